"""Names for codes in the user's language: languages (ISO 639-1), countries (ISO 3166-1
alpha-2, Babel's CLDR names) and topics (the taxonomy's own Vietnamese and English labels).

A code nobody knows is shown as it is; a missing one as "unknown"."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from babel import Locale

from ttdn.web.i18n import current_locale, gettext

__all__ = ["country_name", "language_name", "topic_label"]

TAXONOMY = Path(__file__).parent.parent / "data" / "topics" / "taxonomy.json"


@cache
def _babel(locale: str) -> Locale:
    return Locale.parse(locale)


@cache
def _topics() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(TAXONOMY.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(t["id"]): {k: str(v) for k, v in t.items() if k in ("vi", "en")} for t in data.get("topics", [])}


def language_name(code: str | None) -> str:
    if not code:
        return gettext("unknown")
    return str(_babel(current_locale()).languages.get(code.lower()) or code)


def country_name(code: str | None) -> str:
    if not code:
        return gettext("unknown")
    return str(_babel(current_locale()).territories.get(code.upper()) or code)


def topic_label(topic: str | None) -> str:
    if not topic:
        return gettext("unknown")
    labels = _topics().get(topic, {})
    return labels.get(current_locale()) or labels.get("en") or topic
