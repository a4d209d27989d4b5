"""TTĐN — an on-premises platform for Vietnam's foreign-information work.

Collect what the world's media publish about Vietnam, understand it, answer from an
approved fact base and measure the result.
"""

import logging
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ttdn")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

logging.getLogger("ttdn").addHandler(logging.NullHandler())

__all__ = ["__version__"]
