"""Reading the narrative form: the fields and the variants as repeated language + text rows,
every field length-checked before anything is stored (`FormError` → the form again, 422).
Whether a value is valid (severity, status, language code) is `ttdn.kb.narratives`' call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from ttdn.kb.narrative_input import MAX_CLAIM, MAX_KEY, MAX_SUMMARY, MAX_TITLE
from ttdn.kb.narratives import NarrativeRecord, Variant
from ttdn.web.forms import FormError, check_length
from ttdn.web.i18n import N_, gettext

__all__ = ["NarrativeForm", "VariantRow", "narrative_form"]

MAX_CATEGORY = 200
MAX_VARIANT_ROWS = 60
BLANK_ROWS = 3


@dataclass(slots=True)
class VariantRow:
    lang: str = ""
    text: str = ""


@dataclass(slots=True)
class NarrativeForm:
    """What the analyst typed, as typed."""

    title: str = ""
    canonical_claim: str = ""
    summary: str = ""
    category: str = ""
    severity: str = "medium"
    status: str = "active"
    lang: str = ""
    key: str = ""
    variants: list[VariantRow] = field(default_factory=list)

    @classmethod
    def of(cls, record: NarrativeRecord | None) -> NarrativeForm:
        if record is None:
            return cls(lang="vi", variants=[VariantRow() for _ in range(BLANK_ROWS)])
        rows = [VariantRow(v.lang or "", v.text) for v in record.variants]
        return cls(
            record.title, record.canonical_claim, record.summary, record.category or "", record.severity,
            record.status, record.lang or "", record.key, rows + [VariantRow() for _ in range(BLANK_ROWS)],
        )  # fmt: skip

    def variant_list(self) -> list[Variant]:
        out = []
        for row in self.variants:
            if not row.text.strip():
                if row.lang.strip():
                    raise FormError(gettext("A variant has a language but no text."))
                continue
            out.append(Variant(row.text, row.lang.strip().lower() or None))
        return out

    def values(self) -> dict[str, Any]:
        """Keyword arguments for `NarrativeStore.add` / `update` (without the key)."""
        return {
            "title": self.title,
            "canonical_claim": self.canonical_claim,
            "summary": self.summary,
            "category": self.category.strip() or None,
            "severity": self.severity,
            "status": self.status,
            "lang": self.lang.strip().lower() or None,
            "variants": self.variant_list(),
        }


def _one(form: FormData, name: str, label: str, limit: int, default: str = "") -> str:
    value = form.get(name, default)
    return check_length(value if isinstance(value, str) else default, label, limit)


def narrative_form(form: FormData) -> NarrativeForm:
    langs = [v if isinstance(v, str) else "" for v in form.getlist("variant_lang")]
    texts = [v if isinstance(v, str) else "" for v in form.getlist("variant_text")]
    if len(langs) != len(texts):
        raise FormError(gettext("The form is incomplete; reload the page and try again."))
    if len(texts) > MAX_VARIANT_ROWS:
        raise FormError(gettext("Too many rows in the form."))
    return NarrativeForm(
        title=_one(form, "title", N_("Title"), MAX_TITLE),
        canonical_claim=_one(form, "canonical_claim", N_("Canonical claim"), MAX_CLAIM),
        summary=_one(form, "summary", N_("Summary"), MAX_SUMMARY),
        category=_one(form, "category", N_("Category"), MAX_CATEGORY),
        severity=_one(form, "severity", N_("Severity"), 16, "medium"),
        status=_one(form, "status", N_("Status"), 16, "active"),
        lang=_one(form, "lang", N_("Language"), 8),
        key=_one(form, "key", N_("Key"), MAX_KEY),
        variants=[
            VariantRow(check_length(lang, N_("Language"), 8), check_length(body, N_("Variant"), MAX_CLAIM))
            for lang, body in zip(langs, texts, strict=True)
        ],
    )
