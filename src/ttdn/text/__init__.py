"""Text handling used everywhere: normalisation, matching keys, language ID, charset decoding."""

from ttdn.text.charset import decode_body, resolve_charset
from ttdn.text.langid import LanguageIdentifier, get_identifier, normalize_lang_code
from ttdn.text.normalize import fold, normalize_text

__all__ = [
    "LanguageIdentifier",
    "decode_body",
    "fold",
    "get_identifier",
    "normalize_lang_code",
    "normalize_text",
    "resolve_charset",
]
