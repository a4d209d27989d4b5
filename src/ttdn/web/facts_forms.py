"""Reading the fact form: repeated language and source rows, every field length-checked
before anything is stored (uploads and the shared helpers are in `ttdn.web.forms`).

A form problem raises `FormError` with a message in the user's language; the page re-renders
the form with it (422). Problems only the fact base can judge (a language code, a URL, dates
in the wrong order) come back from `ttdn.kb.facts.FactStore` as `ttdn.errors.BadInput`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from starlette.datastructures import FormData

from ttdn.kb.facts import MAX_BODY, MAX_NOTE, MAX_TITLE, MAX_TOPIC, MAX_URL, FactSource
from ttdn.web.forms import FormError, check_length
from ttdn.web.i18n import N_, gettext

__all__ = ["FactForm", "SourceRow", "TextRow", "fact_form"]

MAX_LANG = 8
MAX_ROWS = 30
MAX_SOURCES = 50


@dataclass(slots=True)
class TextRow:
    lang: str = ""
    title: str = ""
    body: str = ""
    existing: bool = False
    remove: bool = False


@dataclass(slots=True)
class SourceRow:
    url: str = ""
    document: str = ""
    note: str = ""


@dataclass(slots=True)
class FactForm:
    """What the analyst typed, as typed (to show again when something is refused)."""

    topic: str = ""
    valid_from: str = ""
    valid_to: str = ""
    texts: list[TextRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)

    def text_mapping(self) -> dict[str, tuple[str, str] | None]:
        """lang → (title, body), or None to remove; blank new rows left out."""
        out: dict[str, tuple[str, str] | None] = {}
        for row in self.texts:
            lang = row.lang.strip().lower()
            if not row.existing and not row.title.strip() and not row.body.strip():
                continue  # a blank block for a new language (its code may be filled in already)
            if not lang:
                raise FormError(gettext("Give the language code (vi, en, fr…) of every text."))
            if lang in out:
                raise FormError(gettext("The language %(lang)s appears twice.") % {"lang": lang})
            out[lang] = None if row.remove else (row.title, row.body)
        return out

    def source_list(self) -> list[FactSource]:
        out = []
        for row in self.sources:
            if not (row.url.strip() or row.document.strip() or row.note.strip()):
                continue
            document = row.document.strip()
            if document and not document.isdigit():
                raise FormError(gettext("Choose the document from the list."))
            out.append(FactSource(row.url.strip() or None, int(document) if document else None, row.note))
        if len(out) > MAX_SOURCES:
            raise FormError(gettext("Too many sources (at most %(n)s).") % {"n": MAX_SOURCES})
        return out

    def dates(self) -> tuple[date | None, date | None]:
        return _date(self.valid_from), _date(self.valid_to)


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormError(gettext("A date must be written YYYY-MM-DD: %(value)s") % {"value": value[:20]}) from None


def _field(form: FormData, name: str, label: str, limit: int) -> str:
    value = form.get(name, "")
    return check_length(value if isinstance(value, str) else "", label, limit)


def _fields(form: FormData, name: str, label: str, limit: int) -> list[str]:
    values = [v if isinstance(v, str) else "" for v in form.getlist(name)]
    if len(values) > MAX_ROWS + MAX_SOURCES:
        raise FormError(gettext("Too many rows in the form."))
    return [check_length(v, label, limit) for v in values]


def fact_form(form: FormData) -> FactForm:
    """Read and length-check the fact form (``lang``/``title``/``body`` rows, ``remove`` = the
    languages to drop, ``source_url``/``source_doc``/``source_note`` rows)."""
    result = FactForm(
        topic=_field(form, "topic", N_("Topic"), MAX_TOPIC),
        valid_from=_field(form, "valid_from", N_("Valid from"), 10),
        valid_to=_field(form, "valid_to", N_("Valid until"), 10),
    )
    langs = _fields(form, "lang", N_("Language"), MAX_LANG)
    titles = _fields(form, "title", N_("Title"), MAX_TITLE)
    bodies = _fields(form, "body", N_("Text"), MAX_BODY)
    existing = set(_fields(form, "existing", N_("Language"), MAX_LANG))
    removed = set(_fields(form, "remove", N_("Language"), MAX_LANG))
    if not len(langs) == len(titles) == len(bodies):
        raise FormError(gettext("The form is incomplete; reload the page and try again."))
    if len(langs) > MAX_ROWS:
        raise FormError(gettext("Too many rows in the form."))
    for lang, title, body in zip(langs, titles, bodies, strict=True):
        key = lang.strip().lower()
        result.texts.append(TextRow(lang, title, body, key in existing, key in removed))
    urls = _fields(form, "source_url", N_("Address"), MAX_URL)
    docs = _fields(form, "source_doc", N_("Document"), 12)
    notes = _fields(form, "source_note", N_("Note"), MAX_NOTE)
    if not len(urls) == len(docs) == len(notes):
        raise FormError(gettext("The form is incomplete; reload the page and try again."))
    result.sources = [SourceRow(u, d, n) for u, d, n in zip(urls, docs, notes, strict=True)]
    return result
