"""A whole collection pass against the loopback fixture server, good and broken sources mixed.

Every broken source must end as a clear recorded error in source health and the fetch log,
while the good ones are collected in full.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ttdn.collect.collector import collect
from ttdn.records import SourceSpec
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article, FetchLog

GOOD = {
    "vi.rss": ("/feeds/vi.rss", "feed", 2),
    "en.atom": ("/feeds/en.atom", "feed", 2),
    "fr.json": ("/feeds/fr.json", "feed", 2),
    "zh.rdf": ("/feeds/zh.rdf", "feed", 2),
    "ru.rss": ("/feeds/ru.rss", "feed", 2),
    "empty": ("/feeds/empty.rss", "feed", 0),
    "wrong-charset page": ("/broken/wrong-charset.html", "page", 1),
}
BROKEN = {
    "invalid xml": ("/broken/invalid.xml", "feed", "bad_content", ""),
    "404": ("/broken/404", "feed", "fetch_failed", "404"),
    "500": ("/broken/500", "feed", "retry", "500"),
    "429": ("/broken/429-always", "feed", "retry", "429"),
    "50 MB": ("/broken/huge", "feed", "too_large", ""),
    "gzip bomb": ("/broken/gzip-bomb", "feed", "too_large", ""),
    "endless": ("/broken/endless", "feed", "", ""),  # too large or out of time: either is an error
    "redirect loop": ("/broken/redirect-loop", "feed", "fetch_failed", "redirect"),
    "robots": ("/private/page.html", "page", "refused", "robots"),
    "to ftp": ("/broken/to-ftp", "feed", "refused", ""),
}


@pytest.fixture
def collected(store: Store, settings: Settings, fixture_server: Any) -> dict[str, Any]:
    fixture_server.reset()
    specs = [SourceSpec(url=fixture_server.url(path), name=name, kind=kind) for name, (path, kind, _) in GOOD.items()]
    specs += [SourceSpec(url=fixture_server.url(p), name=name, kind=k) for name, (p, k, _, _) in BROKEN.items()]
    specs.append(SourceSpec(url="ftp://127.0.0.1/feed.xml", name="not http", kind="feed"))
    store.sources.add(specs)
    fast = settings.model_copy(update={"total_timeout": 3.0, "retry_attempts": 2})
    summary = collect(store.sources.all(), store, fast, workers=4)
    return {"summary": summary, "sources": {s.name: s for s in store.sources.all()}}


def test_good_sources_are_collected_in_full(collected: dict[str, Any], store: Store) -> None:
    sources = collected["sources"]
    for name, (_, _, expected) in GOOD.items():
        source = sources[name]
        assert source.error_streak == 0, f"{name}: {source.last_error}"
        assert source.last_success_at is not None
        assert source.items_collected == expected, name
    with store.database.engine.connect() as conn:
        langs = dict(conn.execute(select(Article.lang, func.count()).group_by(Article.lang)).all())
        wrong_charset = conn.execute(select(Article.text).where(Article.url.like("%wrong-charset%"))).scalar_one()
    assert {lang: langs.get(lang) for lang in ("vi", "en", "fr", "zh", "ru")} == {
        "vi": 3, "en": 2, "fr": 2, "zh": 2, "ru": 2,
    }  # fmt: skip
    assert "Ã" not in wrong_charset and any(ch in wrong_charset for ch in "ạảấầẩẫậắằẳẵặẹẻẽếềểễệ")


def test_each_broken_source_is_recorded_with_its_reason(collected: dict[str, Any], store: Store) -> None:
    sources = collected["sources"]
    for name, (_, _, kind, words) in BROKEN.items():
        source = sources[name]
        assert source.error_streak == 1, f"{name} should have failed"
        assert source.last_error, name
        if kind:
            assert source.last_error_kind == kind, f"{name}: {source.last_error_kind} {source.last_error}"
        assert words.lower() in source.last_error.lower(), f"{name}: {source.last_error}"
        assert source.items_collected == 0
    assert sources["not http"].last_error_kind == "refused"
    assert collected["summary"].failed == len(BROKEN) + 1
    with store.database.engine.connect() as conn:
        logged = dict(conn.execute(select(FetchLog.outcome, func.count()).group_by(FetchLog.outcome)).all())
    assert logged["ok"] >= 12 and logged["too_large"] >= 2 and logged["refused"] >= 2


def test_second_pass_uses_conditional_get_and_adds_nothing(
    collected: dict[str, Any], store: Store, settings: Settings
) -> None:
    before = store.articles.count()
    good = [s for s in store.sources.all() if s.name in GOOD]
    assert all(s.etag for s in good if s.name != "wrong-charset page")
    summary = collect(good, store, settings)
    assert store.articles.count() == before
    assert sum(1 for outcome in summary.sources if outcome.not_modified) >= 6
    assert summary.failed == 0


def test_sitemaps_and_duplicates(store: Store, settings: Settings, fixture_server: Any) -> None:
    store.sources.add(
        [
            SourceSpec(url=fixture_server.url("/feeds/en.atom"), name="atom", kind="feed"),
            SourceSpec(url=fixture_server.url("/sitemaps/index.xml"), name="index", kind="sitemap"),
        ]
    )
    summary = collect(store.sources.all(), store, settings, workers=1)
    assert summary.failed == 0
    with store.database.engine.connect() as conn:
        rows = conn.execute(select(Article.id, Article.url, Article.duplicate_of, Article.dup_kind)).all()
    urls = [url for _, url, _, _ in rows]
    assert len(urls) == len(set(urls))  # the ?utm_source copy is the same article, not a new one
    assert not any("utm_" in url for url in urls)
    by_url = {url.rsplit("/", 1)[-1]: (id_, dup, kind) for id_, url, dup, kind in rows}
    original = by_url["vietnam-electronics-exports.html"]
    wire = by_url["factories-lift-vietnam-exports.html"]
    assert original[1] is None and wire[1:] == (original[0], "near")
    assert {"xuat-khau-ca-phe.html", "du-lich-ha-long.html", "sapa-tourisme-durable.html"} <= set(by_url)


def test_known_pages_are_not_fetched_again(store: Store, settings: Settings, fixture_server: Any) -> None:
    fixture_server.reset()
    store.sources.add([SourceSpec(url=fixture_server.url("/bulk/feed.xml?n=3"), name="bulk", kind="feed")])
    source = store.sources.all()[0]
    first = collect([source], store, settings)
    assert first.sources[0].stored == 3
    again = collect(store.sources.all(), store, settings)
    assert again.sources[0].stored == 0 and fixture_server.hits("/bulk/page/0") == 1  # known pages not refetched


def test_a_transient_failure_is_recorded_then_recovered(store: Store, settings: Settings, fixture_server: Any) -> None:
    fixture_server.reset()
    store.sources.add([SourceSpec(url=fixture_server.url("/flaky/500-then-ok"), name="flaky", kind="page")])
    once = settings.model_copy(update={"retry_attempts": 1})
    first = collect(store.sources.all(), store, once)
    failing = store.sources.all()[0]
    assert first.failed == 1 and failing.error_streak == 1 and failing.last_error_kind == "retry"
    second = collect(store.sources.all(), store, once)
    recovered = store.sources.all()[0]
    assert second.failed == 0 and recovered.error_streak == 0 and recovered.items_collected == 1
