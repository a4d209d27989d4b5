"""The fact base on the real embedded PostgreSQL: versions, review, validation, search, documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from ttdn.errors import BadInput
from ttdn.kb.facts import FactSource, FactStore
from ttdn.store import Store

DOCS = Path(__file__).parent / "fixtures" / "documents"
TABLES = ("facts", "fact_texts", "fact_sources", "fact_versions", "documents", "document_passages")


@pytest.fixture
def facts(store: Store) -> Iterator[FactStore]:
    yield FactStore(store.database.engine)


def counts(facts: FactStore) -> dict[str, int]:
    with facts.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def make(facts: FactStore, **kw: object) -> int:
    texts = kw.pop("texts", {"vi": ("Quần đảo Hoàng Sa", "Hoàng Sa là của Việt Nam."), "en": ("Paracels", "Body.")})
    return facts.create(kw.pop("topic", "biển đông"), texts, author=str(kw.pop("author", "lan")), **kw)  # type: ignore[arg-type]


def test_create_get_and_history(facts: FactStore) -> None:
    fid = make(
        facts, sources=["https://mofa.gov.vn/x", FactSource(note="Sách trắng 2024")], valid_from=date(2024, 1, 1)
    )
    record = facts.get(fid)
    assert (record.status, record.version, record.topic) == ("draft", 1, "biển đông")
    assert record.texts["vi"] == ("Quần đảo Hoàng Sa", "Hoàng Sa là của Việt Nam.")
    assert record.sources == (FactSource("https://mofa.gov.vn/x"), FactSource(note="Sách trắng 2024"))
    assert record.valid_from == date(2024, 1, 1) and record.valid_to is None

    updated = facts.update(fid, author="minh", texts={"en": ("Paracel Islands", "Body.")}, valid_to=date(2025, 1, 1))
    assert updated.version == 2 and updated.texts["en"][0] == "Paracel Islands"
    facts.update(fid, author="hoa", texts={"fr": ("Paracels", "Texte."), "en": None}, sources=[])
    history = facts.history(fid)
    assert [(v.version, v.author) for v in history] == [(1, "lan"), (2, "minh"), (3, "hoa")]
    assert history[0].change == "created"
    assert history[1].change == "valid_to, title[en]"
    assert history[2].change == "-text[en], +text[fr], sources"
    assert all(isinstance(v.at, datetime) and v.at.tzinfo is not None for v in history)
    assert history[1].at <= history[2].at
    assert set(history[2].snapshot["texts"]) == {"fr", "vi"} and history[2].snapshot["sources"] == []
    assert history[1].snapshot["valid_to"] == "2025-01-01"
    assert sorted(facts.get(fid).texts) == ["fr", "vi"]


def test_noop_update_creates_no_version(facts: FactStore) -> None:
    fid = make(facts)
    before = facts.get(fid)
    same = facts.update(
        fid, author="minh", topic=" biển đông ", texts={"vi": before.texts["vi"]}, valid_from=None, sources=[]
    )
    assert same.version == 1 and same.updated_at == before.updated_at
    assert len(facts.history(fid)) == 1


def test_status_transitions(facts: FactStore) -> None:
    fid = make(facts)
    assert facts.set_status(fid, "approved", author="chief").status == "approved"
    with pytest.raises(BadInput, match=r"approved sang draft / fact \d+ cannot go from approved to draft"):
        facts.set_status(fid, "draft", author="chief")
    with pytest.raises(BadInput, match="cannot go from approved to approved"):
        facts.set_status(fid, "approved", author="chief")
    assert facts.set_status(fid, "retired", author="chief").status == "retired"
    with pytest.raises(BadInput, match="cannot go from retired to approved"):
        facts.set_status(fid, "approved", author="chief")
    assert facts.set_status(fid, "draft", author="lan").status == "draft"
    assert facts.set_status(fid, "retired", author="lan").version == 5
    with pytest.raises(BadInput, match="unknown status"):
        facts.set_status(fid, "published", author="lan")
    changes = [v.change for v in facts.history(fid)]
    assert changes[1:] == [
        "status: draft → approved",
        "status: approved → retired",
        "status: retired → draft",
        "status: draft → retired",
    ]
    assert facts.history(fid)[1].author == "chief"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"texts": {"vi": ("", "body")}}, "the title \\[vi\\] is empty"),
        ({"texts": {"vi": ("Tiêu đề", "   ")}}, "the body \\[vi\\] is empty"),
        ({"texts": {"vie": ("T", "B")}}, "unknown language code 'vie'"),
        ({"texts": {"v1": ("T", "B")}}, "unknown language code"),
        ({"texts": {"vi": ("T", "x" * 100_001)}}, "at most 100,000"),
        ({"texts": {}}, "at least one language"),
        ({"valid_from": date(2025, 1, 2), "valid_to": date(2025, 1, 1)}, "valid_to .* is before valid_from"),
        ({"sources": ["javascript:alert(1)"]}, "must be http"),
        ({"sources": [FactSource(document_id=999)]}, "no document with id \\[999\\]"),
        ({"author": "  "}, "author"),
    ],
)
def test_create_validation_stores_nothing(facts: FactStore, kwargs: dict[str, object], message: str) -> None:
    before = counts(facts)
    with pytest.raises(BadInput, match=message) as caught:
        make(facts, **kwargs)
    assert " / " in caught.value.reason  # Vietnamese / English
    assert counts(facts) == before


def test_update_validation_stores_nothing(facts: FactStore) -> None:
    fid = make(facts, valid_from=date(2024, 1, 1))
    before, record = counts(facts), facts.get(fid)
    refused: list[dict[str, object]] = [
        {"texts": {"en": ("New", "ok"), "vi": ("", "x")}},  # the valid half is not stored either
        {"texts": {"vi": None, "en": None}},
        {"valid_to": date(2023, 12, 31)},
        {"topic": "t" * 201},
        {"sources": ["https://ok.example", FactSource(document_id=12345)]},
    ]
    for kwargs in refused:
        with pytest.raises(BadInput):
            facts.update(fid, author="x", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(BadInput, match="no fact with id 999999"):
        facts.update(999999, author="x", topic="y")
    with pytest.raises(BadInput, match="no fact with id 999999"):
        facts.get(999999)
    with pytest.raises(BadInput, match="no fact with id 999999"):
        facts.history(999999)
    assert counts(facts) == before and facts.get(fid) == record


def test_search_diacritics_tone_marks_and_status(facts: FactStore) -> None:
    approved = make(facts, texts={"vi": ("Hiệp định hòa bình", "Khánh Hòa và Đà Nẵng đón khách quốc tế.")})
    draft = make(facts, texts={"vi": ("Khánh Hoà bản nháp", "Nội dung nháp.")})
    english = make(facts, texts={"en": ("Peace in Khanh Hoa", "An English text.")})
    for fid in (approved, english):
        facts.set_status(fid, "approved", author="chief")
    for query in ("Khánh Hoà", "khánh hòa", "khanh hoa", "KHANH HOA"):
        assert {h.fact_id for h in facts.search(query)} == {approved, english}, query
    for query in ("da nang", "Đà Nẵng", "đà nẵng"):
        assert [h.fact_id for h in facts.search(query)] == [approved], query
    assert [h.fact_id for h in facts.search("hoa binh")] == [approved]
    assert [h.fact_id for h in facts.search("khanh hoa", lang="en")] == [english]
    assert {h.fact_id for h in facts.search("khanh hoa", status=None)} == {approved, draft, english}
    assert [h.fact_id for h in facts.search("khanh hoa", status="draft")] == [draft]
    hit = facts.search("đà nẵng")[0]
    assert (hit.lang, hit.title, hit.status) == ("vi", "Hiệp định hòa bình", "approved")
    assert facts.search("hoàng sa") == []
    with pytest.raises(BadInput):
        facts.search("   ")


def test_list_filters(facts: FactStore) -> None:
    a = make(facts, topic="biển đông")
    b = make(facts, topic="du lịch", texts={"en": ("Tourism", "Body.")})
    facts.set_status(b, "approved", author="chief")
    assert {r.id for r in facts.list()} == {a, b}
    assert [r.id for r in facts.list(status="approved")] == [b]
    assert [r.id for r in facts.list(lang="vi")] == [a]
    assert [r.id for r in facts.list(topic="du lịch")] == [b]
    assert [r.id for r in facts.list(limit=1)] == [b]  # newest change first
    with pytest.raises(BadInput):
        facts.list(status="bogus")


def test_script_title_is_stored_verbatim(facts: FactStore) -> None:
    title = "<script>alert(1)</script>"
    body = "a & b <b>bold</b> 'quote' \"dq\" -- ; DROP TABLE facts;"
    fid = make(facts, texts={"en": (title, body)})
    assert facts.get(fid).texts["en"] == (title, body)
    assert facts.history(fid)[0].snapshot["texts"]["en"] == {"title": title, "body": body}
    assert facts.search("quote", status=None)[0].title == title


def test_import_document_and_dedup(facts: FactStore, tmp_path: Path) -> None:
    doc_id, n = facts.import_document(DOCS / "notes_vi.md", author="lan")
    assert n > 0
    before = counts(facts)
    copy = tmp_path / "renamed.md"
    copy.write_bytes((DOCS / "notes_vi.md").read_bytes())
    assert facts.import_document(copy, author="minh") == (doc_id, n)  # same bytes, another name
    assert counts(facts) == before
    hits = facts.search_passages("hoang sa")
    assert hits and hits[0].document_id == doc_id and "Hoàng Sa" in hits[0].text
    assert hits[0].document_title == "Ghi chú về Biển Đông"
    docx_id, docx_n = facts.import_document(DOCS / "report_vi.docx", author="lan")
    assert docx_id != doc_id and docx_n > 0
    fid = make(facts, sources=[FactSource(document_id=doc_id, note="mục 1")])
    assert facts.get(fid).sources[0].document_id == doc_id


def test_import_refused_stores_nothing(facts: FactStore) -> None:
    before = counts(facts)
    with pytest.raises(BadInput):
        facts.import_document(DOCS / "fake.docx", author="lan")
    with pytest.raises(BadInput):
        facts.import_document(DOCS / "missing.md", author="lan")
    assert counts(facts) == before
