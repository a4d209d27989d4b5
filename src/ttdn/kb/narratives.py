"""The narrative registry: false or distorted narratives, their wordings, their rebuttals.

A narrative has a stable ``key`` (the ``id`` of an imported file, or one made up), a title, a
summary, a canonical claim, variants (other wordings, each in a language or none), a
category, a severity (low · medium · high · critical) and a status: only ``active``
narratives are matched against new articles (``dormant`` and ``retired`` keep their matches).
Facts of the fact base that rebut it are linked to it.

Wordings and their embeddings: every text the matcher compares with — the title, the
canonical claim and the variants, in that order, a repeat (after folding) counted once, as
`ttdn.kb.matching.Narrative.texts` gives them — is one row of ``narrative_variants`` with its
e5 *passage* embedding. A record's ``variants`` are those rows that are neither the title nor
the claim. Writes store texts only (a text that stays keeps its vector); `ttdn.kb.narrative_index`
embeds the rows that have none and builds the matcher's `NarrativeIndex` from the stored
vectors. :meth:`NarrativeStore.version` changes with every write that changes a narrative, so
a process rebuilds its index only when the registry changed. Input checks and the JSONL
format are in `ttdn.kb.narrative_input`.

Matches found in articles, analysts' decisions, the calibrated threshold and timelines are in
`ttdn.kb.narrative_matches`; :class:`NarrativeStore` offers them too. Every refusal is a
`ttdn.errors.BadInput`, Vietnamese first, then English; a refused call stores nothing.
"""

from __future__ import annotations

import builtins
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update

from ttdn.errors import BadInput
from ttdn.kb.narrative_input import (
    UNSET,
    Unset,
    Variant,
    check_changes,
    check_key,
    check_lang,
    check_variants,
    fold_key,
    read_drafts,
    title_from,
    wordings,
)
from ttdn.kb.narrative_matches import (
    ActiveNarrative,
    ArticleMatches,
    Calibration,
    MatchCounts,
    MatchRecord,
    Timeline,
    match_counts,
)
from ttdn.kb.narrative_tables import NarrativeFact, NarrativeRow
from ttdn.records import Rejection

if TYPE_CHECKING:
    from ttdn.kb.narrative_index import LoadedIndex
    from ttdn.models.embeddings import EmbeddingBackend

__all__ = [
    "ImportSummary",
    "LinkedFact",
    "NarrativeRecord",
    "NarrativeStore",
    "Variant",
]

_FIELDS: Final = ("title", "summary", "canonical_claim", "category", "severity", "status")


@dataclass(frozen=True, slots=True)
class LinkedFact:
    """A fact that rebuts a narrative: its id, one title (Vietnamese first) and its status."""

    id: int
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class NarrativeRecord:
    id: int
    key: str
    title: str
    summary: str
    canonical_claim: str
    category: str | None
    severity: str
    status: str
    first_seen: datetime | None
    created_at: datetime
    updated_at: datetime
    lang: str | None = None  # of the title and claim rows
    variants: tuple[Variant, ...] = ()
    facts: tuple[LinkedFact, ...] = ()
    matches: MatchCounts = field(default_factory=MatchCounts)


@dataclass(slots=True)
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": len(self.rejections)}  # fmt: skip


def _unknown(ref: object) -> BadInput:
    return BadInput(f"Không có luận điệu {ref!r} / no narrative with id or key {ref!r}")


# ---- the store --------------------------------------------------------------------------


class NarrativeStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- writing --

    def add(
        self,
        title: str,
        canonical_claim: str,
        *,
        summary: str = "",
        variants: Iterable[Variant | tuple[str | None, str] | str] = (),
        category: str | None = None,
        severity: str = "medium",
        status: str = "active",
        key: str | None = None,
        lang: str | None = None,
    ) -> NarrativeRecord:
        """Store a new narrative; a ``key`` already used → BadInput (use :meth:`update`)."""
        values = check_changes(
            title=title, canonical_claim=canonical_claim, summary=summary, category=category, severity=severity,
            status=status,
        )  # fmt: skip
        chosen_key = check_key(key) if key is not None else f"n-{secrets.token_hex(4)}"
        chosen_variants = check_variants(variants)
        chosen_lang = check_lang(lang)
        with self.engine.begin() as conn:
            if conn.execute(select(NarrativeRow.id).where(NarrativeRow.key == chosen_key)).first() is not None:
                raise BadInput(
                    f"Mã {chosen_key!r} đã có trong sổ luận điệu / the key {chosen_key!r} is already in the registry"
                )
            nid = self._insert(conn, chosen_key, values, chosen_lang, chosen_variants)
            return self._load(conn, nid)

    def update(
        self,
        ref: int | str,
        *,
        title: str | Unset = UNSET,
        canonical_claim: str | Unset = UNSET,
        summary: str | Unset = UNSET,
        variants: Iterable[Variant | tuple[str | None, str] | str] | Unset = UNSET,
        category: str | Unset | None = UNSET,
        severity: str | Unset = UNSET,
        status: str | Unset = UNSET,
        lang: str | Unset | None = UNSET,
    ) -> NarrativeRecord:
        """Change what is given (``variants`` replaces the list); nothing changed → nothing written."""
        changes = check_changes(
            title=title, canonical_claim=canonical_claim, summary=summary, category=category, severity=severity,
            status=status,
        )  # fmt: skip
        new_variants = None if isinstance(variants, Unset) else check_variants(variants)
        new_lang = UNSET if isinstance(lang, Unset) else check_lang(lang)
        with self.engine.begin() as conn:
            nid = self._resolve(conn, ref, lock=True)
            self._apply(conn, nid, changes, new_variants, new_lang)
            return self._load(conn, nid)

    def set_status(self, ref: int | str, status: str) -> NarrativeRecord:
        """active (matched against new articles), dormant or retired (kept, not matched)."""
        return self.update(ref, status=status)

    def link_fact(self, ref: int | str, fact_id: int) -> NarrativeRecord:
        """Link a rebuttal fact (linking twice is one link); an unknown fact → BadInput."""
        from ttdn.kb.fact_tables import Fact

        with self.engine.begin() as conn:
            nid = self._resolve(conn, ref, lock=True)
            if conn.execute(select(Fact.id).where(Fact.id == fact_id)).first() is None:
                raise BadInput(f"Không có dữ kiện số {fact_id} / no fact with id {fact_id}")
            conn.execute(
                text("INSERT INTO narrative_facts (narrative_id, fact_id) VALUES (:n, :f) ON CONFLICT DO NOTHING"),
                {"n": nid, "f": fact_id},
            )
            return self._load(conn, nid)

    def unlink_fact(self, ref: int | str, fact_id: int) -> NarrativeRecord:
        """Remove a rebuttal link; a fact that is not linked → BadInput."""
        with self.engine.begin() as conn:
            nid = self._resolve(conn, ref, lock=True)
            removed = conn.execute(
                delete(NarrativeFact).where(NarrativeFact.narrative_id == nid, NarrativeFact.fact_id == fact_id)
            ).rowcount
            if not removed:
                raise BadInput(
                    f"Dữ kiện {fact_id} không gắn với luận điệu {ref!r} / fact {fact_id} is not linked to {ref!r}"
                )
            return self._load(conn, nid)

    def import_jsonl(self, path: Path) -> ImportSummary:
        """Add or update narratives from JSONL lines ``{"id", "text" (the canonical claim),
        "title"?, "summary"?, "category"?, "severity"?, "status"?, "lang"?, "variants"?: [{"lang",
        "text"}] or [str], "facts"?: [fact ids]}``.

        An ``id`` already in the registry updates that narrative with the fields the line gives
        (``variants`` and ``facts`` replace the lists); a new one adds it (title defaults to the
        claim's start). A bad line (JSON, field, unknown fact) is skipped and returned as a
        Rejection with ``FILE:LINE``; the same id on two lines → BadInput naming them, and
        nothing is stored. Everything else is written in one transaction.
        """
        from ttdn.kb.fact_tables import Fact

        summary = ImportSummary()
        drafts = read_drafts(Path(path), summary.rejections)
        with self.engine.begin() as conn:
            wanted = {f for _, d in drafts for f in d.facts or ()}
            known = set(conn.execute(select(Fact.id).where(Fact.id.in_(wanted))).scalars()) if wanted else set()
            keys = [d.key for _, d in drafts]
            existing = dict(
                conn.execute(select(NarrativeRow.key, NarrativeRow.id).where(NarrativeRow.key.in_(keys))).all()
            )
            for origin, draft in drafts:
                missing = sorted(set(draft.facts or ()) - known)
                if missing:
                    ids = ", ".join(map(str, missing))
                    summary.rejections.append(Rejection(origin, f"không có dữ kiện {ids} / unknown fact ids {ids}"))
                    continue
                nid = existing.get(draft.key)
                if nid is None:
                    values = {"title": title_from(draft.values["canonical_claim"]), "summary": "", "category": None,
                              "severity": "medium", "status": "active", **draft.values}  # fmt: skip
                    lang = None if isinstance(draft.lang, Unset) else draft.lang
                    existing[draft.key] = nid = self._insert(conn, draft.key, values, lang, draft.variants or [])
                    self._set_facts(conn, nid, draft.facts or [])
                    summary.added += 1
                    continue
                changed = self._apply(conn, nid, draft.values, draft.variants, draft.lang)
                if draft.facts is not None:
                    changed = self._set_facts(conn, nid, draft.facts) or changed
                if changed:
                    summary.updated += 1
                else:
                    summary.unchanged += 1
        return summary

    # -- embeddings and the matcher (ttdn.kb.narrative_index) --

    def embed_missing(
        self, backend: EmbeddingBackend | None = None, *, on_progress: Callable[[int], None] | None = None
    ) -> int:
        """Embed the wordings that have no vector yet; returns how many were embedded."""
        from ttdn.kb import narrative_index

        return narrative_index.embed_missing(self.engine, backend, on_progress=on_progress)

    def load_index(self, backend: EmbeddingBackend | None = None) -> LoadedIndex | None:
        """The active narratives as a `NarrativeIndex` built from the stored vectors (missing
        ones embedded and stored first); None when no narrative is active."""
        from ttdn.kb import narrative_index

        return narrative_index.load_index(self.engine, backend)

    def version(self) -> tuple[int, datetime | None, float]:
        """Changes with every write that changes a narrative: (count, last change, and a sum over
        every change time, which also moves when an older transaction commits after a newer one)."""
        query = text(
            "SELECT count(*), max(updated_at), coalesce(sum(extract(epoch FROM updated_at)), 0) FROM narratives"
        )
        with self.engine.connect() as conn:
            count, last, total = conn.execute(query).one()
        return int(count), last, float(total)

    # -- reading --

    def get(self, ref: int | str) -> NarrativeRecord:
        with self.engine.connect() as conn:
            return self._load(conn, self._resolve(conn, ref))

    def list(
        self, status: str | None = None, category: str | None = None, *, limit: int | None = None
    ) -> builtins.list[NarrativeRecord]:
        """Narratives (without variants and facts), most severe then newest first, with match counts."""
        order = text("CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, id DESC")
        query = select(*_COLUMNS).order_by(order)
        if status is not None:
            query = query.where(NarrativeRow.status == check_changes(status=status)["status"])
        if category is not None:
            query = query.where(NarrativeRow.category == check_changes(category=category)["category"])
        if limit is not None:
            query = query.limit(max(limit, 0))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            counts = match_counts(conn, [r[0] for r in rows])
        return [NarrativeRecord(*row, matches=counts.get(row[0], MatchCounts())) for row in rows]

    # -- matches (ttdn.kb.narrative_matches) --

    def threshold(self) -> Calibration:
        from ttdn.kb import narrative_matches

        return narrative_matches.current_calibration(self.engine)

    def record_matches(self, results: Sequence[ArticleMatches], scored: Sequence[int]) -> None:
        from ttdn.kb import narrative_matches

        narrative_matches.record_matches(self.engine, results, scored)

    def matches(
        self, ref: int | str | None = None, *, status: str | None = None, article_id: int | None = None,
        limit: int = 50,
    ) -> builtins.list[MatchRecord]:  # fmt: skip
        from ttdn.kb import narrative_matches

        with self.engine.connect() as conn:
            nid = None if ref is None else self._resolve(conn, ref)
        return narrative_matches.list_matches(self.engine, nid, status=status, article_id=article_id, limit=limit)

    def decide(self, match_id: int, confirmed: bool, *, who: str) -> tuple[MatchRecord, Calibration]:
        """Confirm or reject a match, then recalibrate the threshold over every decision."""
        from ttdn.kb import narrative_matches

        return narrative_matches.decide(self.engine, match_id, confirmed, who=who)

    def confirm(self, match_id: int, *, who: str) -> tuple[MatchRecord, Calibration]:
        return self.decide(match_id, True, who=who)

    def reject(self, match_id: int, *, who: str) -> tuple[MatchRecord, Calibration]:
        return self.decide(match_id, False, who=who)

    def timeline(self, ref: int | str, *, since: datetime | None = None) -> Timeline:
        from ttdn.kb import narrative_matches

        with self.engine.connect() as conn:
            nid = self._resolve(conn, ref)
        return narrative_matches.timeline(self.engine, nid, since=since)

    def active(self, *, days: int = 7, limit: int = 20, now: datetime | None = None) -> builtins.list[ActiveNarrative]:
        """The narratives with (not rejected) matches in articles of the last ``days``, most first."""
        from ttdn.kb import narrative_matches

        return narrative_matches.active(self.engine, days=days, limit=limit, now=now)

    # -- internals --

    @staticmethod
    def _resolve(conn: Connection, ref: int | str, *, lock: bool = False) -> int:
        """A narrative id from an id or a key (a key is tried first; digits then mean an id)."""
        queries = []
        if isinstance(ref, str):
            queries.append(select(NarrativeRow.id).where(NarrativeRow.key == ref.strip()))
        if (isinstance(ref, int) and not isinstance(ref, bool)) or (isinstance(ref, str) and ref.strip().isdigit()):
            queries.append(select(NarrativeRow.id).where(NarrativeRow.id == int(ref)))
        for query in queries:
            found = conn.execute(query.with_for_update() if lock else query).scalar()
            if found is not None:
                return int(found)
        raise _unknown(ref)

    @staticmethod
    def _insert(
        conn: Connection, key: str, values: Mapping[str, Any], lang: str | None, variants: Sequence[Variant]
    ) -> int:
        nid = int(conn.execute(insert(NarrativeRow).values(key=key, **values).returning(NarrativeRow.id)).scalar_one())
        _writewordings(conn, nid, wordings(values["title"], values["canonical_claim"], lang, variants), [])
        return nid

    def _apply(
        self,
        conn: Connection,
        nid: int,
        changes: Mapping[str, Any],
        variants: Sequence[Variant] | None,
        lang: str | Unset | None,
    ) -> bool:
        """Write what differs; True when something changed (``updated_at`` moves)."""
        current = self._load(conn, nid)
        new = {name: changes.get(name, getattr(current, name)) for name in _FIELDS}
        new_lang = current.lang if isinstance(lang, Unset) else lang
        wanted = wordings(new["title"], new["canonical_claim"], new_lang,
                       list(current.variants) if variants is None else variants)  # fmt: skip
        old = conn.execute(
            text("SELECT id, text, lang FROM narrative_variants WHERE narrative_id = :n ORDER BY id"), {"n": nid}
        ).all()
        rows_changed = [(r.text, r.lang) for r in old] != [(v.text, v.lang) for v in wanted]
        fields_changed = any(new[name] != getattr(current, name) for name in _FIELDS)
        if not rows_changed and not fields_changed:
            return False
        conn.execute(update(NarrativeRow).where(NarrativeRow.id == nid).values(**new, updated_at=func.now()))
        if rows_changed:
            _writewordings(conn, nid, wanted, [r.id for r in old])
        return True

    @staticmethod
    def _set_facts(conn: Connection, nid: int, fact_ids: Sequence[int]) -> bool:
        current = set(conn.execute(select(NarrativeFact.fact_id).where(NarrativeFact.narrative_id == nid)).scalars())
        if current == set(fact_ids):
            return False
        conn.execute(delete(NarrativeFact).where(NarrativeFact.narrative_id == nid))
        if fact_ids:
            conn.execute(insert(NarrativeFact), [{"narrative_id": nid, "fact_id": f} for f in sorted(set(fact_ids))])
        return True

    def _load(self, conn: Connection, nid: int) -> NarrativeRecord:
        row = conn.execute(select(*_COLUMNS).where(NarrativeRow.id == nid)).first()
        if row is None:
            raise _unknown(nid)
        title, claim = fold_key(row.title), fold_key(row.canonical_claim)
        variants: list[Variant] = []
        lang = None
        for body, vlang in conn.execute(
            text("SELECT text, lang FROM narrative_variants WHERE narrative_id = :n ORDER BY id"), {"n": nid}
        ):
            folded = fold_key(body)
            if folded in (title, claim):
                lang = vlang if folded == claim else lang
                continue
            variants.append(Variant(body, vlang))
        facts = [
            LinkedFact(int(fid), ftitle or "", status)
            for fid, ftitle, status in conn.execute(
                text(
                    "SELECT f.id, (SELECT t.title FROM fact_texts t WHERE t.fact_id = f.id "
                    "ORDER BY t.lang <> 'vi', t.lang LIMIT 1), f.status FROM narrative_facts nf "
                    "JOIN facts f ON f.id = nf.fact_id WHERE nf.narrative_id = :n ORDER BY f.id"
                ),
                {"n": nid},
            )
        ]
        counts = match_counts(conn, [nid]).get(nid, MatchCounts())
        return NarrativeRecord(*row, lang=lang, variants=tuple(variants), facts=tuple(facts), matches=counts)


_COLUMNS = (
    NarrativeRow.id,
    NarrativeRow.key,
    NarrativeRow.title,
    NarrativeRow.summary,
    NarrativeRow.canonical_claim,
    NarrativeRow.category,
    NarrativeRow.severity,
    NarrativeRow.status,
    NarrativeRow.first_seen,
    NarrativeRow.created_at,
    NarrativeRow.updated_at,
)


def _writewordings(conn: Connection, nid: int, rows: Sequence[Variant], old_ids: Sequence[int]) -> None:
    """Replace a narrative's wordings by ``rows`` (in order); a text kept keeps its vector."""
    statement = text(
        "INSERT INTO narrative_variants (narrative_id, lang, text, embedding) SELECT :n, :lang, :text, "
        "(SELECT o.embedding FROM narrative_variants o WHERE o.id = ANY(:old) AND o.text = :text "
        "AND o.embedding IS NOT NULL LIMIT 1)"
    )
    conn.execute(statement, [{"n": nid, "lang": r.lang, "text": r.text, "old": list(old_ids)} for r in rows])
    if old_ids:
        conn.execute(text("DELETE FROM narrative_variants WHERE id = ANY(:old)"), {"old": list(old_ids)})
