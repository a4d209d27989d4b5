"""Checking what users give the narrative registry: fields, variants, imported JSONL lines.

Every refusal is a `ttdn.errors.BadInput`, Vietnamese first, then English. Texts are kept as
given (NFC, surrounding spaces removed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ttdn.errors import BadInput
from ttdn.jsonl import id_and_text, read_json_lines
from ttdn.kb.narrative_tables import NARRATIVE_SEVERITIES, NARRATIVE_STATUSES
from ttdn.records import Rejection
from ttdn.text.normalize import fold

__all__ = [
    "MAX_CATEGORY",
    "MAX_CLAIM",
    "MAX_KEY",
    "MAX_SUMMARY",
    "MAX_TITLE",
    "MAX_VARIANTS",
    "UNSET",
    "Draft",
    "Unset",
    "Variant",
    "check_changes",
    "check_key",
    "check_lang",
    "check_variants",
    "fold_key",
    "read_drafts",
    "title_from",
    "wordings",
]

MAX_TITLE = 1_000
MAX_CLAIM = 5_000
MAX_SUMMARY = 20_000
MAX_CATEGORY = 200
MAX_KEY = 200
MAX_VARIANTS = 50


class Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording of a narrative; ``lang`` is an ISO 639-1 code or None."""

    text: str
    lang: str | None = None


def _clean(value: object) -> str:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else ""


def _required(value: object, what_vi: str, what_en: str, limit: int) -> str:
    cleaned = _clean(value)
    if not cleaned:
        raise BadInput(f"{what_vi} đang trống / the {what_en} is empty")
    if len(cleaned) > limit:
        raise BadInput(
            f"{what_vi} quá dài ({len(cleaned):,} ký tự, tối đa {limit:,}) "
            f"/ the {what_en} is too long ({len(cleaned):,} characters, at most {limit:,})"
        )
    return cleaned


def check_lang(value: object) -> str | None:
    """An ISO 639-1 code, or None for no language."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    from ttdn.kb.facts import check_lang as fact_lang

    return fact_lang(value)


def _choice(value: object, allowed: Sequence[str], what_vi: str, what_en: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise BadInput(
            f"{what_vi} không hợp lệ {value!r} ({', '.join(allowed)}) / unknown {what_en} {value!r} "
            f"({', '.join(allowed)})"
        )
    return value.strip().lower()


def _category(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BadInput(f"Nhóm phải là chuỗi ký tự / the category must be a string, not {value!r}")
    cleaned = _clean(value)
    if len(cleaned) > MAX_CATEGORY:
        raise BadInput(f"Nhóm quá dài (tối đa {MAX_CATEGORY}) / the category is too long (max {MAX_CATEGORY})")
    return cleaned or None


def check_variants(values: Iterable[Variant | tuple[str | None, str] | str | Mapping[str, Any]]) -> list[Variant]:
    """Variants from ``Variant``, ``(lang, text)``, a bare string or ``{"lang", "text"}``."""
    out: list[Variant] = []
    for value in values:
        if isinstance(value, Variant):
            lang, body = value.lang, value.text
        elif isinstance(value, str):
            lang, body = None, value
        elif isinstance(value, tuple) and len(value) == 2:
            lang, body = value
        elif isinstance(value, Mapping) and isinstance(value.get("text"), str):
            lang, body = value.get("lang"), value["text"]
        else:
            raise BadInput(
                f'Biến thể không hợp lệ {value!r}: cần chuỗi hoặc {{"lang", "text"}} '
                f'/ a variant must be a string or {{"lang", "text"}}, not {value!r}'
            )
        out.append(Variant(_required(body, "Biến thể", "variant", MAX_CLAIM), check_lang(lang)))
    if len(out) > MAX_VARIANTS:
        raise BadInput(f"Quá nhiều biến thể (tối đa {MAX_VARIANTS}) / too many variants (at most {MAX_VARIANTS})")
    return out


def check_key(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return _required(value, "Mã luận điệu", "narrative key", MAX_KEY)


def fold_key(value: str) -> str:
    return " ".join(fold(value).split())


def wordings(title: str, claim: str, lang: str | None, variants: Sequence[Variant]) -> list[Variant]:
    """The matched wordings in order (title, claim, variants), repeats after folding dropped."""
    out: list[Variant] = []
    seen: set[str] = set()
    for item in (Variant(title, lang), Variant(claim, lang), *variants):
        key = fold_key(item.text)
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def title_from(claim: str, limit: int = 120) -> str:
    if len(claim) <= limit:
        return claim
    return claim[:limit].rsplit(" ", 1)[0] + "…"


def check_changes(**given: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in given.items():
        if isinstance(value, Unset):
            continue
        if name == "title":
            out[name] = _required(value, "Tiêu đề", "title", MAX_TITLE)
        elif name == "canonical_claim":
            out[name] = _required(value, "Luận điệu gốc", "canonical claim", MAX_CLAIM)
        elif name == "summary":
            out[name] = _required(value, "Tóm tắt", "summary", MAX_SUMMARY) if _clean(value) else ""
        elif name == "category":
            out[name] = _category(value)
        elif name == "severity":
            out[name] = _choice(value, NARRATIVE_SEVERITIES, "Mức độ", "severity")
        elif name == "status":
            out[name] = _choice(value, NARRATIVE_STATUSES, "Trạng thái", "status")
    return out


@dataclass(slots=True)
class Draft:
    key: str
    values: dict[str, Any]
    lang: str | Unset | None
    variants: list[Variant] | None
    facts: list[int] | None


def _draft(row: Mapping[str, Any], key: str) -> Draft:
    """One imported line, validated (BadInput with the reason otherwise)."""
    given = {name: row[name] for name in ("title", "summary", "category", "severity", "status") if name in row}
    for name in ("title", "summary", "severity", "status"):
        if name in given and not isinstance(given[name], str):
            raise BadInput(f"trường {name!r} phải là chuỗi / field {name!r} must be a string")
    values = check_changes(canonical_claim=row["text"], **given)
    variants = row.get("variants")
    if variants is not None and not isinstance(variants, list):
        raise BadInput('"variants" phải là danh sách / "variants" must be a list')
    facts = row.get("facts")
    if facts is not None and (
        not isinstance(facts, list) or not all(isinstance(f, int) and not isinstance(f, bool) for f in facts)
    ):
        raise BadInput('"facts" phải là danh sách số / "facts" must be a list of fact ids (integers)')
    return Draft(
        check_key(key),
        values,
        check_lang(row["lang"]) if "lang" in row else UNSET,
        None if variants is None else check_variants(variants),
        None if facts is None else list(facts),
    )


def read_drafts(path: Path, rejections: list[Rejection]) -> list[tuple[str, Draft]]:
    """The valid lines of a narratives JSONL file as ``(FILE:LINE, Draft)``; bad lines go to
    ``rejections``; the same id on two lines → BadInput naming them all (nothing to import)."""
    drafts: list[tuple[str, Draft]] = []
    lines: dict[str, list[int]] = {}
    for origin, lineno, value in read_json_lines(path):
        if isinstance(value, Rejection):
            rejections.append(value)
            continue
        checked = id_and_text(value, origin)
        if isinstance(checked, Rejection):
            rejections.append(checked)
            continue
        lines.setdefault(checked[0].strip(), []).append(lineno)
        try:
            drafts.append((origin, _draft(value, checked[0])))
        except BadInput as exc:
            rejections.append(Rejection(origin, exc.reason))
    dups = {key: nos for key, nos in lines.items() if len(nos) > 1}
    if dups:
        where = "; ".join(f"{key!r} (dòng / lines {', '.join(map(str, nos))})" for key, nos in list(dups.items())[:20])
        raise BadInput(
            f"Mã luận điệu trùng trong {path.name}, không nhập gì / duplicate narrative ids in {path.name}, "
            f"nothing imported: {where}" + (" …" if len(dups) > 20 else "")
        )
    return drafts
