"""The offline SQLite bundle: only approved facts, chosen languages, searchable without diacritics."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ttdn import __version__
from ttdn.errors import BadInput
from ttdn.kb.bundle import export_bundle, search_bundle
from ttdn.kb.facts import FactSource, FactStore
from ttdn.store import Store


@pytest.fixture
def facts(store: Store) -> FactStore:
    fs = FactStore(store.database.engine)
    ids = {
        "approved": fs.create(
            "biển đông",
            {
                "vi": ("Chủ quyền Hoàng Sa", "Việt Nam có đủ bằng chứng về chủ quyền đối với Hoàng Sa và Trường Sa."),
                "en": ("Paracel sovereignty", "Vietnam has ample evidence of its sovereignty over the Paracels."),
                "zh": ("西沙主权", "越南对西沙群岛拥有主权。"),
            },
            sources=["https://mofa.gov.vn/hoang-sa", FactSource(note="Sách trắng")],
            author="lan",
        ),
        "peace": fs.create("ngoại giao", {"vi": ("Khánh Hoà hòa bình", "Đà Nẵng và Khánh Hòa.")}, author="lan"),
        "draft": fs.create("biển đông", {"vi": ("Bản nháp Hoàng Sa", "Nháp.")}, author="lan"),
        "retired": fs.create("biển đông", {"vi": ("Cũ: Hoàng Sa", "Đã thay thế.")}, author="lan"),
    }
    for name in ("approved", "peace", "retired"):
        fs.set_status(ids[name], "approved", author="chief")
    fs.set_status(ids["retired"], "retired", author="chief")
    fs.ids = ids  # type: ignore[attr-defined]
    return fs


def test_bundle_holds_only_approved_facts(facts: FactStore, tmp_path: Path) -> None:
    out = tmp_path / "ttdn.sqlite"
    summary = export_bundle(facts.engine, out)
    ids = facts.ids  # type: ignore[attr-defined]
    assert (summary.facts, summary.texts, summary.sources) == (2, 4, 2)
    assert summary.languages == ("en", "vi", "zh") and summary.bytes == out.stat().st_size
    db = sqlite3.connect(out)
    assert {r[0] for r in db.execute("SELECT id FROM facts")} == {ids["approved"], ids["peace"]}
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    assert meta["ttdn_version"] == __version__ and json.loads(meta["languages"]) == ["en", "vi", "zh"]
    assert (meta["facts"], meta["texts"]) == ("2", "4") and meta["exported_at"].startswith("20")
    assert db.execute("SELECT url FROM fact_sources WHERE url IS NOT NULL").fetchall() == [
        ("https://mofa.gov.vn/hoang-sa",)
    ]
    db.close()
    assert not [p for p in tmp_path.iterdir() if p != out]  # no temporary file left behind

    for query in ("hoang sa", "Hoàng Sa", "HOANG SA", "truong sa"):
        assert [(h.fact_id, h.lang) for h in search_bundle(out, query)] == [(ids["approved"], "vi")], query
    for query in ("Khánh Hoà", "khánh hòa", "khanh hoa", "da nang", "Đà Nẵng"):
        assert [h.fact_id for h in search_bundle(out, query)] == [ids["peace"]], query
    assert [(h.fact_id, h.lang) for h in search_bundle(out, "paracels")] == [(ids["approved"], "en")]
    assert [h.lang for h in search_bundle(out, "西沙")] == ["zh"]
    hit = search_bundle(out, "bang chung")[0]
    assert hit.title == "Chủ quyền Hoàng Sa" and "[bằng]" in hit.snippet and "[chứng]" in hit.snippet
    assert search_bundle(out, "nháp") == [] and search_bundle(out, "thay the") == []


def test_bundle_in_chosen_languages_replaces_atomically(facts: FactStore, tmp_path: Path) -> None:
    out = tmp_path / "bundle.sqlite"
    out.write_bytes(b"old")
    summary = export_bundle(facts.engine, out, langs=["EN", "zh"])
    assert summary.languages == ("en", "zh") and (summary.facts, summary.texts) == (1, 2)
    db = sqlite3.connect(out)
    assert {r[0] for r in db.execute("SELECT lang FROM fact_texts")} == {"en", "zh"}
    db.close()
    assert search_bundle(out, "hoang sa") == []
    assert [h.lang for h in search_bundle(out, "sovereignty")] == ["en"]
    with pytest.raises(BadInput, match="unknown language code"):
        export_bundle(facts.engine, out, langs=["english"])
    with pytest.raises(BadInput, match="no language"):
        export_bundle(facts.engine, out, langs=[])
    assert search_bundle(out, "sovereignty")  # the refused exports left the bundle as it was


def test_search_bundle_refusals(facts: FactStore, tmp_path: Path) -> None:
    out = tmp_path / "b.sqlite"
    export_bundle(facts.engine, out)
    with pytest.raises(BadInput, match="no words"):
        search_bundle(out, "  ... ")
    with pytest.raises(BadInput, match="no bundle"):
        search_bundle(tmp_path / "missing.sqlite", "x")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(BadInput, match="not a bundle"):
        search_bundle(junk, "x")
    assert search_bundle(out, 'hoang "sa" OR') == search_bundle(out, "hoang sa or")  # quotes are plain text


def test_script_title_round_trips(store: Store, tmp_path: Path) -> None:
    fs = FactStore(store.database.engine)
    title = "<script>alert(1)</script>"
    fid = fs.create(None, {"en": (title, "Injected words stay words.")}, author="x")
    fs.set_status(fid, "approved", author="chief")
    out = tmp_path / "b.sqlite"
    export_bundle(fs.engine, out)
    assert search_bundle(out, "injected")[0].title == title
