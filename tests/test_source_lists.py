"""Source lists: OPML and CSV, validation of each entry, safe XML, the packaged default list."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ttdn.errors import BadInput
from ttdn.records import SourceSpec
from ttdn.sources.lists import COUNTRIES, LANGUAGES, default_source_list_path, read_source_list

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "sources"
OPML = FIXTURES / "sources.opml"
CSV = FIXTURES / "sources.csv"


def test_opml_good_outlines_with_inherited_and_plain_attributes() -> None:
    sources, _ = read_source_list(OPML)
    assert sources == [
        # country, language and cadence come from the category; "vn" is upper-cased
        SourceSpec("https://bao.example.vn/rss/home.rss", "Báo thử nghiệm", "feed", "VN", "vi", 15),
        SourceSpec("https://bao.example.vn/sitemap-news.xml", "Sitemap thử nghiệm", "sitemap", "VN", "vi", 120),
        # title when there is no text; "fr-FR" → "fr"; kind is case-insensitive
        SourceSpec("https://journal.example.fr/rss", "Le Journal d'essai", "feed", "FR", "fr", None),
        SourceSpec("https://zh.example.cn/page.html", "测试页面", "page", "CN", "zh", None),
        # no name: the host
        SourceSpec("https://unnamed.example.ru/rss", "unnamed.example.ru", "feed", None, "ru", None),
    ]


def test_opml_bad_outlines_are_rejected_with_line_and_reason() -> None:
    _, rejections = read_source_list(OPML)
    got = {int(r.origin.rsplit(":", 1)[1]): r.reason for r in rejections}
    assert all(r.origin.startswith(f"{OPML}:") and r.kind == "bad_input" for r in rejections)
    assert got == {
        9: "not an http(s) URL: 'ftp://bao.example.vn/feed.xml'",
        13: "kind 'podcast' is not one of feed, sitemap, page",
        14: "country 'UK' is not an ISO 3166-1 alpha-2 code",
        15: "lang 'vie' is not an ISO 639-1 code",
        16: "cadence '0' is not a positive whole number of minutes",
        17: "cadence 'hourly' is not a positive whole number of minutes",
        18: f"duplicate of {OPML}:7",
        19: "no URL (xmlUrl)",
    }


def test_csv_source_list() -> None:
    sources, rejections = read_source_list(CSV)
    assert sources == [
        SourceSpec("https://e.example.vn/rss/news.rss", "Example International", "feed", "VN", "en", 30),
        SourceSpec("https://e.example.vn/sitemap.xml", "Example sitemap", "sitemap", "VN", "vi", None),
        SourceSpec("https://de.example.de/rss", "Beispiel", "feed", "DE", "de", None),  # kind defaults
    ]
    got = {int(r.origin.rsplit(":", 1)[1]): r.reason for r in rejections}
    assert got == {
        5: "not an http(s) URL: 'mailto:editor@example.org'",
        6: "kind 'newsletter' is not one of feed, sitemap, page",
        7: "country 'Vietnam' is not an ISO 3166-1 alpha-2 code",
        8: "cadence '-5' is not a positive whole number of minutes",
        10: f"duplicate of {CSV}:2",
    }  # line 9 is empty: skipped


def test_undeclared_ttdn_prefix_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "hand-written.opml"
    path.write_text(
        '<opml version="2.0"><body><outline text="Báo" xmlUrl="https://a.example.vn/rss" '
        'ttdn:country="vn" ttdn:lang="VI"/></body></opml>',
        encoding="utf-8",
    )
    assert read_source_list(path) == ([SourceSpec("https://a.example.vn/rss", "Báo", "feed", "VN", "vi")], [])


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    path = tmp_path / "bomb.opml"
    path.write_text(
        f"<?xml version='1.0'?>\n<!DOCTYPE opml [{''.join(entities)}]>\n"
        '<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://a.example.org/rss"/>'
        "<outline text='x' xmlUrl='https://b.example.org/rss'>&lol9;</outline></body></opml>",
        encoding="utf-8",
    )
    started = time.monotonic()
    with pytest.raises(BadInput, match="not well-formed XML"):
        read_source_list(path)
    assert time.monotonic() - started < 5


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    doctype = f'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    in_attribute = tmp_path / "xxe-attribute.opml"
    in_attribute.write_text(
        doctype + '<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://a.example.org/rss"/></body></opml>',
        encoding="utf-8",
    )
    with pytest.raises(BadInput, match="external entity") as caught:
        read_source_list(in_attribute)
    assert "TOP-SECRET" not in caught.value.reason
    in_content = tmp_path / "xxe-content.opml"
    in_content.write_text(
        doctype + '<opml version="2.0"><body><outline text="Feed" xmlUrl="https://a.example.org/rss">'
        "&xxe;</outline></body></opml>",
        encoding="utf-8",
    )
    assert read_source_list(in_content) == ([SourceSpec("https://a.example.org/rss", "Feed")], [])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.txt", "https://a.example.org/rss\n", "must be an .opml, .xml or .csv"),
        ("broken.opml", "<opml><body><outline", "not well-formed XML"),
        ("feed.xml", "<rss version='2.0'><channel/></rss>", "not <opml>"),
        ("names.csv", "name,country\nA,VN\n", "no 'url' column"),
    ],
)
def test_unusable_files_raise(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInput, match=message):
        read_source_list(path)


def test_code_tables() -> None:
    assert len(COUNTRIES) == 250 and {"VN", "GB", "US", "CN", "LA", "KH"} <= COUNTRIES
    assert "UK" not in COUNTRIES
    assert len(LANGUAGES) == 184 and {"vi", "en", "fr", "zh", "ru", "lo", "km"} <= LANGUAGES


# --- the packaged default list ------------------------------------------------------------


def test_default_source_list_is_valid_and_multilingual() -> None:
    path = default_source_list_path()
    assert path.is_file() and path.name == "default_sources.opml"
    sources, rejections = read_source_list(path)
    assert rejections == []
    assert len(sources) >= 30
    languages = Counter(s.lang for s in sources)
    assert None not in languages and len(languages) >= 8
    assert {"vi", "en", "fr", "zh", "ru", "es"} <= set(languages)
    assert all(urlsplit(s.url).scheme in ("http", "https") for s in sources)
    assert len({s.url for s in sources}) == len(sources)
    assert all(s.country is not None and s.kind in ("feed", "sitemap", "page") for s in sources)
    # Vietnamese outlets' own foreign-language editions are there, not only foreign media
    vietnamese_abroad = {s.lang for s in sources if s.country == "VN" and s.lang != "vi"}
    assert {"en", "fr", "zh", "ru", "es"} <= vietnamese_abroad
