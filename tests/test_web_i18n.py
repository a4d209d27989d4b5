"""Every message of the interface has its Vietnamese translation, and dates and numbers follow
the user's locale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir

import ttdn.web
from ttdn.web.i18n import catalog, fmt_date, fmt_datetime, fmt_number, gettext, using_locale

WEB = Path(ttdn.web.__file__).parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def interface_messages() -> dict[str, str]:
    """msgid → where it was found, from the web package's Python and templates."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, options_map=options, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_every_interface_message_has_a_vietnamese_translation() -> None:
    messages = interface_messages()
    assert len(messages) > 30, "the extraction found almost nothing: is the extractor configured?"
    missing = {msgid: where for msgid, where in messages.items() if msgid not in catalog("vi")}
    assert not missing, f"add these to web/locale/vi/LC_MESSAGES/*.po: {missing}"


def test_gettext_follows_the_locale() -> None:
    with using_locale("vi"):
        assert gettext("Dashboard") == "Tổng quan"
    with using_locale("en"):
        assert gettext("Dashboard") == "Dashboard"
    with using_locale("xx"):  # unknown → Vietnamese, the default
        assert gettext("Dashboard") == "Tổng quan"


def test_dates_and_numbers_in_the_users_locale() -> None:
    moment = datetime(2026, 11, 22, 20, 5, tzinfo=UTC)  # 03:05 on the 23rd in Hà Nội
    with using_locale("vi"):
        assert fmt_number(1234567.5, 1) == "1.234.567,5"
        assert fmt_datetime(moment) == "03:05 23/11/26"
        assert fmt_date(moment, "short") == "23/11/26"
    with using_locale("en"):
        assert fmt_number(1234567.5, 1) == "1,234,567.5"
        assert fmt_datetime(moment) == "11/23/26, 3:05\u202fAM"
