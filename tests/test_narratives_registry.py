"""The narrative registry on the real embedded PostgreSQL: CRUD, import, facts, decisions, timelines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from ttdn.errors import BadInput
from ttdn.kb.facts import FactStore
from ttdn.kb.matching import DEFAULT_THRESHOLD, calibrate_threshold
from ttdn.kb.narrative_matches import ArticleMatches, NarrativeHit
from ttdn.kb.narratives import NarrativeStore, Variant
from ttdn.pipeline.topology import ingest
from ttdn.records import RawArticle, SourceSpec
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article


def count(store: Store, table: str) -> int:
    with store.database.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def write_lines(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def calibration(store: Store) -> tuple[float, int] | None:
    with store.database.engine.connect() as conn:
        row = conn.execute(text("SELECT threshold, decisions FROM match_calibration WHERE name = 'narratives'")).first()
    return None if row is None else (float(row[0]), int(row[1]))


def test_add_get_edit_and_status(store: Store) -> None:
    narratives = store.narratives
    record = narratives.add(
        "Vietnam hid its COVID deaths",
        "Vietnam hid thousands of COVID-19 deaths and published fake figures.",
        summary="Spread by blogs in 2021.",
        variants=[("vi", "Việt Nam che giấu số người chết vì COVID-19."), "Le Vietnam a caché ses morts du Covid."],
        category="health", severity="high", lang="en", key="N26",
    )  # fmt: skip
    assert (record.key, record.severity, record.status, record.lang) == ("N26", "high", "active", "en")
    assert record.variants == (
        Variant("Việt Nam che giấu số người chết vì COVID-19.", "vi"),
        Variant("Le Vietnam a caché ses morts du Covid."),
    )
    assert count(store, "narrative_variants") == 4  # title, claim and the two variants are matched
    assert narratives.get("N26") == narratives.get(record.id) == narratives.get(str(record.id))

    version = narratives.version()
    same = narratives.update("N26", title="Vietnam hid its COVID deaths")  # nothing changes
    assert same.updated_at == record.updated_at and narratives.version() == version
    edited = narratives.update("N26", title="Vietnam hid COVID deaths", variants=[("fr", "Le Vietnam a menti.")])
    assert edited.title == "Vietnam hid COVID deaths" and edited.variants == (Variant("Le Vietnam a menti.", "fr"),)
    assert edited.updated_at > record.updated_at and narratives.version() != version
    assert count(store, "narrative_variants") == 3
    assert narratives.set_status("N26", "dormant").status == "dormant"

    with pytest.raises(BadInput, match="already in the registry"):
        narratives.add("Another", "Another claim.", key="N26")
    with pytest.raises(BadInput, match="unknown severity"):
        narratives.add("Bad", "A claim.", severity="extreme")
    with pytest.raises(BadInput, match="canonical claim is empty"):
        narratives.add("Bad", "   ")
    with pytest.raises(BadInput, match="unknown status"):
        narratives.set_status("N26", "deleted")
    with pytest.raises(BadInput, match="no narrative with id or key 'N99'"):
        narratives.get("N99")
    assert count(store, "narratives") == 1 and narratives.get("N26").status == "dormant"
    assert narratives.add("Generated key", "A claim with no key.").key.startswith("n-")


def test_import_adds_then_updates_by_key_and_rejects_bad_lines(store: Store, tmp_path: Path) -> None:
    n01 = {
        "id": "N01",
        "title": "No historical basis for the Paracel claim",
        "text": "Vietnam has no historical evidence of sovereignty over the Paracel Islands.",
        "severity": "critical",
        "category": "sovereignty",
        "variants": [{"lang": "vi", "text": "Việt Nam không có bằng chứng lịch sử về Hoàng Sa."}],
    }
    n02 = {"id": 2, "text": "Foreign investors are fleeing Vietnam.", "variants": ["Les investisseurs fuient."]}
    rows: list[object] = [n01, n02, {"id": "N03", "text": "A claim.", "severity": "extreme"}, "not an object"]
    path = write_lines(tmp_path / "narratives.jsonl", rows)
    summary = store.narratives.import_jsonl(path)
    assert (summary.added, summary.updated, summary.unchanged) == (2, 0, 0)
    assert sorted(r.origin for r in summary.rejections) == [f"{path}:3", f"{path}:4"]
    assert "unknown severity 'extreme'" in summary.rejections[0].reason
    first = store.narratives.get("N01")
    assert (first.severity, first.category, first.variants[0].lang) == ("critical", "sovereignty", "vi")
    assert store.narratives.get("2").title == "Foreign investors are fleeing Vietnam."  # title from the claim

    n01["title"] = "No historical basis for Vietnam's Paracel claim"
    again = store.narratives.import_jsonl(write_lines(path, [n01, n02]))
    assert (again.added, again.updated, again.unchanged, again.rejections) == (0, 1, 1, [])
    assert count(store, "narratives") == 2
    assert store.narratives.get("N01").title == "No historical basis for Vietnam's Paracel claim"


def test_import_with_duplicate_ids_stores_nothing(store: Store, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "dup.jsonl",
        [{"id": "N01", "text": "One."}, {"id": "N02", "text": "Two."}, {"id": "N01", "text": "Three."}],
    )
    with pytest.raises(BadInput, match=r"duplicate narrative ids in dup.jsonl, nothing imported: 'N01' .*1, 3"):
        store.narratives.import_jsonl(path)
    assert count(store, "narratives") == 0 and count(store, "narrative_variants") == 0


def test_rebuttal_facts(store: Store, tmp_path: Path) -> None:
    facts = FactStore(store.database.engine)
    fact_id = facts.create("sovereignty", {"en": ("Paracels", "Evidence."), "vi": ("Hoàng Sa", "Bằng chứng.")},
                           author="lan")  # fmt: skip
    store.narratives.add("Paracels", "No evidence for the Paracels.", key="N01")
    linked = store.narratives.link_fact("N01", fact_id)
    assert [(f.id, f.title, f.status) for f in linked.facts] == [(fact_id, "Hoàng Sa", "draft")]
    assert store.narratives.link_fact("N01", fact_id).facts == linked.facts  # twice is one link
    with pytest.raises(BadInput, match="no fact with id 999999"):
        store.narratives.link_fact("N01", 999999)
    assert store.narratives.unlink_fact("N01", fact_id).facts == ()
    with pytest.raises(BadInput, match="is not linked"):
        store.narratives.unlink_fact("N01", fact_id)
    path = write_lines(tmp_path / "n.jsonl", [{"id": "N01", "text": "No evidence.", "facts": [fact_id, 999999]}])
    result = store.narratives.import_jsonl(path)
    assert "unknown fact ids 999999" in result.rejections[0].reason and result.updated == 0
    assert store.narratives.get("N01").canonical_claim == "No evidence for the Paracels."  # the line changed nothing
    line = {"id": "N01", "text": "No evidence.", "facts": [fact_id]}
    result = store.narratives.import_jsonl(write_lines(path, [line]))
    assert result.updated == 1 and [f.id for f in store.narratives.get("N01").facts] == [fact_id]


# ---- matches, decisions, timelines --------------------------------------------------------

DAY1 = datetime(2025, 3, 1, 9, tzinfo=UTC)
DAY2 = datetime(2025, 3, 2, 9, tzinfo=UTC)
TEXTS = {
    "vi": ("Việt Nam bị cáo buộc che giấu số liệu", "Một số trang mạng cho rằng Việt Nam che giấu số người tử vong."),
    "fr": ("Le Vietnam accusé de cacher des chiffres", "Selon des blogs, le Vietnam aurait caché ses morts du Covid."),
    "en": ("Vietnam accused of hiding figures", "Some websites claim that Vietnam hid the number of deaths."),
}


@pytest.fixture
def articles(store: Store, settings: Settings) -> dict[str, int]:
    """Five articles: two Vietnamese sources (VN), one French (FR); two days; three languages."""
    store.sources.add([SourceSpec("https://vn.example/rss", "VN paper", country="VN", lang="vi"),
                       SourceSpec("https://fr.example/rss", "FR paper", country="FR", lang="fr")])  # fmt: skip
    source = {s.country: s.id for s in store.sources.all()}
    plan = {  # name: (language, source country, day)
        "a": ("vi", "VN", DAY1), "b": ("vi", "VN", DAY2), "c": ("en", "VN", DAY2), "d": ("fr", "FR", DAY2),
        "e": ("fr", "FR", DAY1),
    }  # fmt: skip
    raws = [
        RawArticle(url=f"https://x.example/{name}", title=TEXTS[lang][0], text=TEXTS[lang][1] + f" ({name})",
                   published_at=day, lang_hint=lang, source_id=source[country], origin=name)
        for name, (lang, country, day) in plan.items()
    ]  # fmt: skip
    ingest(raws, store, settings)
    with store.database.engine.connect() as conn:
        return {str(url).rsplit("/", 1)[-1]: i for i, url in conn.execute(select(Article.id, Article.url))}


def hit(narrative_id: int, score: float, sentence: str = "Evidence sentence.") -> NarrativeHit:
    return NarrativeHit(narrative_id, score, sentence, 0, len(sentence))


def test_record_matches_upserts_and_keeps_decisions(store: Store, articles: dict[str, int]) -> None:
    narratives = store.narratives
    n1 = narratives.add("One", "Claim one.", key="N1").id
    n2 = narratives.add("Two", "Claim two.", key="N2").id
    a, b = articles["a"], articles["b"]
    narratives.record_matches([ArticleMatches(a, DAY1, [hit(n1, 0.7), hit(n2, 0.8)]),
                               ArticleMatches(b, DAY2, [hit(n1, 0.9)])], [n1, n2])  # fmt: skip
    assert count(store, "narrative_matches") == 3
    assert narratives.get("N1").first_seen == DAY1
    first = {(m.narrative_id, m.article_id): m for m in narratives.matches()}
    narratives.reject(first[(n2, a)].id, who="minh")
    # scored again: n1 on a now stronger, n2 on a no longer found (but rejected: kept), n1 on b gone
    narratives.record_matches([ArticleMatches(a, DAY1, [hit(n1, 0.75, "New evidence.")]),
                               ArticleMatches(b, DAY2, [])], [n1, n2])  # fmt: skip
    now = {(m.narrative_id, m.article_id): m for m in narratives.matches()}
    assert set(now) == {(n1, a), (n2, a)} and count(store, "narrative_matches") == 2
    assert (now[(n1, a)].id, now[(n1, a)].score, now[(n1, a)].sentence) == (first[(n1, a)].id, 0.75, "New evidence.")
    assert (now[(n2, a)].status, now[(n2, a)].decided_by, now[(n2, a)].score) == ("rejected", "minh", 0.8)
    # a narrative that was not scored keeps its pending rows
    narratives.record_matches([ArticleMatches(b, DAY2, [hit(n2, 0.66)])], [n2])
    narratives.record_matches([ArticleMatches(b, DAY2, [])], [n1])
    assert (n2, b) in {(m.narrative_id, m.article_id) for m in narratives.matches(status="pending")}


def test_decisions_recalibrate_the_threshold(store: Store, articles: dict[str, int]) -> None:
    narratives = store.narratives
    nid = narratives.add("One", "Claim one.", key="N1").id
    scores = {"a": 0.9, "b": 0.72, "c": 0.61, "d": 0.6}
    narratives.record_matches(
        [ArticleMatches(articles[k], DAY1 if k == "a" else DAY2, [hit(nid, s)]) for k, s in scores.items()], [nid]
    )
    ids = {m.article_id: m.id for m in narratives.matches()}
    assert narratives.threshold().threshold == DEFAULT_THRESHOLD and calibration(store) is None

    record, cal = narratives.confirm(ids[articles["a"]], who="lan")
    assert (record.status, record.decided_by, record.decided_at is not None) == ("confirmed", "lan", True)
    assert calibration(store) == (pytest.approx(cal.threshold), 1)
    narratives.reject(ids[articles["c"]], who="minh")
    _, cal = narratives.reject(ids[articles["d"]], who="minh")
    expected = calibrate_threshold([(0.9, True), (0.61, False), (0.6, False)])
    assert cal.decisions == 3 and cal.threshold == pytest.approx(expected) and expected != DEFAULT_THRESHOLD
    assert calibration(store) == (pytest.approx(expected), 3) and narratives.threshold().threshold == cal.threshold

    with pytest.raises(BadInput, match="no narrative match with id 999999"):
        narratives.confirm(999999, who="lan")
    with pytest.raises(BadInput, match="say who decides"):
        narratives.confirm(ids[articles["b"]], who=" ")
    assert calibration(store) == (pytest.approx(expected), 3)

    listed = {n.key: n for n in narratives.list()}
    m = listed["N1"].matches
    assert (m.pending, m.confirmed, m.rejected) == (1, 1, 2)
    # first seen: the earliest article whose match is not rejected
    narratives.reject(ids[articles["a"]], who="lan")
    assert narratives.get("N1").first_seen == DAY2


def test_timeline_by_country_and_language(store: Store, articles: dict[str, int]) -> None:
    narratives = store.narratives
    n1 = narratives.add("One", "Claim one.", key="N1").id
    n2 = narratives.add("Two", "Claim two.", key="N2").id
    at = {"a": DAY1, "b": DAY2, "c": DAY2, "d": DAY2, "e": DAY1}
    narratives.record_matches([ArticleMatches(articles[k], at[k], [hit(n1, 0.8)]) for k in at], [n1, n2])
    narratives.record_matches([ArticleMatches(articles["b"], DAY2, [hit(n1, 0.8), hit(n2, 0.7)])], [n1, n2])
    rejected = next(m.id for m in narratives.matches("N1") if m.article_id == articles["e"])
    narratives.reject(rejected, who="lan")

    line = narratives.timeline("N1")
    d1, d2 = DAY1.date(), DAY2.date()
    assert [(p.day, p.key, p.count) for p in line.by_country] == [(d1, "VN", 1), (d2, "FR", 1), (d2, "VN", 2)]
    assert [(p.day, p.key, p.count) for p in line.by_lang] == [(d1, "vi", 1), (d2, "en", 1), (d2, "fr", 1),
                                                               (d2, "vi", 1)]  # fmt: skip
    assert line.total == 4 and isinstance(line.by_lang[0].day, date)
    assert narratives.timeline("N1", since=DAY2 - timedelta(hours=1)).total == 3

    active = narratives.active(now=DAY2 + timedelta(days=1))
    assert [(a.key, a.matches) for a in active] == [("N1", 4), ("N2", 1)]
    assert sorted(active[0].countries) == ["FR", "VN"] and sorted(active[0].languages) == ["en", "fr", "vi"]
    assert narratives.active(now=DAY2 + timedelta(days=30)) == []  # nothing in the last 7 days


def test_cli_registry(store: Store, database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path), "COLUMNS": "200"}

    def ttdn(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ttdn.cli", "narratives", *args], env=env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip

    line = {"id": "N01", "title": "Paracels", "text": "No evidence.", "variants": [{"lang": "vi", "text": "Không có."}]}
    path = write_lines(tmp_path / "n.jsonl", [line])
    imported = ttdn("import", str(path), "--no-embed")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout) == {"added": 1, "updated": 0, "unchanged": 0, "rejected": 0, "embedded": 0}
    listed = json.loads(ttdn("list", "--json").stdout)
    assert [(n["key"], n["matches"]["pending"]) for n in listed] == [("N01", 0)]
    shown = ttdn("show", "N01")
    assert shown.returncode == 0 and "Không có." in shown.stdout
    dup = write_lines(tmp_path / "dup.jsonl", [{"id": "N01", "text": "a"}, {"id": "N01", "text": "b"}])
    refused = ttdn("import", str(dup))
    assert refused.returncode == 2 and "duplicate narrative ids" in refused.stderr
    unknown = ttdn("link-fact", "N01", "424242")
    assert unknown.returncode == 2 and "no fact with id 424242" in unknown.stderr
    missing = ttdn("confirm", "424242", "--who", "lan")
    assert missing.returncode == 2 and "no narrative match with id 424242" in missing.stderr
    assert json.loads(ttdn("timeline", "N01", "--json").stdout)["by_country"] == []
    assert ttdn("timeline").returncode == 0 and ttdn("matches").returncode == 0
    added = ttdn("add", "--title", "Rice", "--claim", "Vietnam will stop exporting rice.", "--variant",
                 "fr:Le Vietnam va cesser d'exporter du riz.", "--severity", "high", "--key", "N32")  # fmt: skip
    assert added.returncode == 0, added.stderr
    shown = json.loads(ttdn("show", "N32", "--json").stdout)
    assert shown["variants"] == [{"text": "Le Vietnam va cesser d'exporter du riz.", "lang": "fr"}]
    bad = ttdn("add", "--title", "x", "--claim", "y", "--severity", "extreme")
    assert bad.returncode == 2 and "unknown severity" in bad.stderr and count(store, "narratives") == 2
    with store.database.engine.connect() as conn:  # add embedded every wording still without a vector
        assert conn.execute(text("SELECT count(*) FROM narrative_variants WHERE embedding IS NULL")).scalar() == 0


def test_store_offers_the_registry(store: Store) -> None:
    assert isinstance(store.narratives, NarrativeStore) and store.narratives.list() == []


def test_fact_search_snippets_are_highlighted_passages(store: Store) -> None:
    facts = FactStore(store.database.engine)
    body = "Lời mở đầu. " * 40 + "Việt Nam có đầy đủ bằng chứng lịch sử về quần đảo Hoàng Sa. " + "Phần kết. " * 40
    fid = facts.create("sovereignty", {"vi": ("Chủ quyền", body)}, author="lan")
    (hit,) = facts.search("bang chung hoang sa", status=None)
    assert hit.fact_id == fid and hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "bằng chứng lịch sử về quần đảo Hoàng Sa" in hit.snippet and len(hit.snippet) < 300
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["bằng chứng", "Hoàng Sa"]
