"""File importers: JSONL, CSV, a folder of HTML pages, WARC — good records, bad ones, limits."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ttdn.errors import BadInput
from ttdn.records import RawArticle, Rejection
from ttdn.sources.files import count_units, iter_import

FIXTURES = Path(__file__).parent / "fixtures" / "import"
JSONL = FIXTURES / "articles.jsonl"
CSV = FIXTURES / "articles_semicolon.csv"
HTML = FIXTURES / "html"


def split(items: object) -> tuple[list[RawArticle], list[Rejection]]:
    out = list(items)  # type: ignore[call-overload]
    articles = [item for item in out if isinstance(item, RawArticle)]
    rejections = [item for item in out if isinstance(item, Rejection)]
    assert len(articles) + len(rejections) == len(out)
    return articles, rejections


# --- JSONL --------------------------------------------------------------------------------


def test_jsonl_good_lines_become_articles() -> None:
    articles, _ = split(iter_import(JSONL))
    assert [a.origin for a in articles] == [f"{JSONL}:{n}" for n in (1, 2, 6, 10, 13)]
    vi, en, fr, zh, ru = articles
    assert vi.url == "https://vnexpress.net/thu-nghiem-1.html"
    assert vi.title == "Hà Nội mở hội chợ du lịch quốc tế"
    assert vi.published_at == datetime(2024, 3, 5, 1, 30, tzinfo=UTC)
    assert vi.published_at.utcoffset() == timedelta(hours=7)
    assert (vi.lang_hint, vi.source_name, vi.authors) == ("vi", "VnExpress", ["Nguyễn Văn An"])
    # a date alone is midnight UTC; "en-US" is reduced to its language; an author string is split
    assert en.published_at == datetime(2024, 3, 6, tzinfo=UTC)
    assert (en.lang_hint, en.authors) == ("en", ["Jane Doe", "John Roe"])
    # a naive time is taken as UTC, "Z" is UTC
    assert fr.published_at == datetime(2024, 3, 7, 10, tzinfo=UTC)
    assert zh.published_at == datetime(2024, 3, 8, 2, tzinfo=UTC) and zh.title == "越南经济测试新闻"
    # a title without text is enough; no url is allowed
    assert (ru.url, ru.text, ru.title, ru.source_name) == (None, "", "Тестовая новость о Вьетнаме", "ТАСС")


def test_jsonl_each_bad_line_is_rejected_with_its_line_and_reason() -> None:
    _, rejections = split(iter_import(JSONL))
    got = {int(r.origin.rsplit(":", 1)[1]): r.reason for r in rejections}
    assert all(r.origin.startswith(f"{JSONL}:") for r in rejections)
    # lines 3 (empty) and 14 (whitespace) are blank: skipped silently
    assert sorted(got) == [4, 5, 7, 8, 9, 11, 12]
    assert got[4].startswith("invalid JSON")
    assert got[5] == "not a JSON object but an array"
    assert "'07/03/2024'" in got[7] and "published_at" in got[7]
    assert "ftp://example.org/file.txt" in got[8] and "http(s)" in got[8]
    assert "invalid UTF-8" in got[9]
    assert got[11] == "no text and no title"
    assert got[12] == "'title' must be a string, not a number"


def test_jsonl_gz_reads_the_same_and_a_truncated_gz_stops_with_a_rejection(tmp_path: Path) -> None:
    data = JSONL.read_bytes()
    packed = tmp_path / "articles.jsonl.gz"
    packed.write_bytes(gzip.compress(data))
    plain = [(type(x).__name__, x.origin.rsplit(":", 1)[1]) for x in iter_import(JSONL)]
    assert [(type(x).__name__, x.origin.rsplit(":", 1)[1]) for x in iter_import(packed)] == plain

    big = b"".join(b'{"title": "t%d", "text": "%s"}\n' % (i, b"x" * 200) for i in range(2000))
    truncated = tmp_path / "cut.ndjson.gz"
    truncated.write_bytes(gzip.compress(big)[:3000])
    articles, rejections = split(iter_import(truncated))
    assert articles, "the lines before the break still come through"
    assert len(rejections) == 1 and "the rest was skipped" in rejections[0].reason
    assert rejections[0].origin == f"{truncated}:{len(articles) + 1}"


def test_jsonl_line_over_max_bytes_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(b'{"title": "before", "text": "first good line"}\n')
        out.write(b'{"title": "huge", "text": "')
        chunk = b"a" * (1 << 20)
        for _ in range(60):
            out.write(chunk)
        out.write(b'"}\n')
        out.write(b'{"title": "after", "text": "last good line"}\n')
    tracemalloc.start()
    try:
        articles, rejections = split(iter_import(path, max_bytes=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.title for a in articles] == ["before", "after"]
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:3"]
    assert [(r.origin, r.kind) for r in rejections] == [(f"{path}:2", "too_large")]
    assert "longer than 1000000 bytes" in rejections[0].reason
    assert peak < 30_000_000, f"peak {peak} bytes: the long line was loaded whole"


# --- CSV ----------------------------------------------------------------------------------


def test_csv_with_bom_and_semicolons() -> None:
    articles, rejections = split(iter_import(CSV))
    assert [a.origin for a in articles] == [f"{CSV}:{n}" for n in (2, 4, 9)]
    vi, en, ru = articles
    # the BOM does not leak into the first column name: "Link" is read as the url
    assert vi.url == "https://tuoitre.vn/thu-nghiem-5.htm"
    assert vi.text == "Đoạn văn thử nghiệm; có dấu chấm phẩy\nvà xuống dòng."
    assert (vi.title, vi.source_name, vi.authors) == ("Huế đón khách quốc tế", "Tuổi Trẻ", ["Trần Thị Bình"])
    assert vi.published_at == datetime(2024, 4, 1, 7, tzinfo=timezone(timedelta(hours=7)))
    assert (en.lang_hint, en.published_at) == ("en", datetime(2024, 4, 2, tzinfo=UTC))
    assert (ru.title, ru.lang_hint) == ("Тест", "ru")
    got = {int(r.origin.rsplit(":", 1)[1]): r.reason for r in rejections}
    assert sorted(got) == [6, 7, 8, 10]  # line 5 is an empty row: skipped
    assert "'yesterday'" in got[6]
    assert got[7] == "row has 9 fields, the header has 7"
    assert "javascript:alert(1)" in got[8]
    assert got[10] == "invalid UTF-8 in the row"


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_other_delimiters_and_long_rows(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "articles.csv"
    rows = [
        ["URL", "Title", "Content", "Published", "Lang"],
        ["https://example.org/1", "Một", "Nội dung", "2024-01-01", "vi"],
        ["https://example.org/2", "Long", "x" * 5000, "", "en"],
        ["https://example.org/3", "Ba", "Văn bản", "", "vi"],
    ]
    path.write_text("\n".join(delimiter.join(row) for row in rows) + "\n", encoding="utf-8")
    articles, rejections = split(iter_import(path, max_bytes=1000))
    assert [a.title for a in articles] == ["Một", "Ba"]
    assert articles[0].published_at == datetime(2024, 1, 1, tzinfo=UTC)
    assert [(r.origin, r.kind) for r in rejections] == [(f"{path}:3", "too_large")]


def test_csv_without_text_or_title_column_is_a_whole_file_error(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("url,date\nhttps://example.org/1,2024-01-01\n", encoding="utf-8")
    with pytest.raises(BadInput, match="neither a 'text' nor a 'title' column"):
        list(iter_import(path))


# --- HTML folder --------------------------------------------------------------------------


def test_html_folder_extracts_pages_recursively_in_sorted_order() -> None:
    articles, rejections = split(iter_import(HTML))
    by_name = {Path(a.origin).name: a for a in articles}
    assert [Path(a.origin).relative_to(HTML).as_posix() for a in articles] == [
        "a_vi_utf8.html",
        "b_vi_cp1258.html",
        "c_zh_wrong_charset.html",
        "nested/d_fr_og.htm",
        "nested/e_ru_nourl.html",
    ]
    vi = by_name["a_vi_utf8.html"]
    assert vi.url == "https://example.vn/le-hoi-hoa"  # the canonical link
    assert (vi.title, vi.lang_hint) == ("Lễ hội hoa ở Đà Lạt", "vi")
    assert "lễ hội hoa ở thành phố cao nguyên" in vi.text
    assert "Home" not in vi.text and "© test" not in vi.text  # boilerplate removed
    assert vi.published_at is not None and vi.published_at.date().isoformat() == "2024-05-01"
    assert by_name["d_fr_og.htm"].url == "https://example.fr/baie-along"  # og:url
    assert by_name["e_ru_nourl.html"].url is None  # no canonical: no invented file:// URL
    assert by_name["e_ru_nourl.html"].lang_hint == "ru"
    assert [(Path(r.origin).name, r.reason, r.kind) for r in rejections] == [
        ("f_empty.html", "no article text (empty page)", "bad_content"),
        ("g_blank_page.html", "no article text", "bad_content"),
    ]


def test_html_legacy_and_wrongly_declared_charsets_are_decoded() -> None:
    articles, _ = split(iter_import(HTML))
    by_name = {Path(a.origin).name: a for a in articles}
    cp1258 = by_name["b_vi_cp1258.html"]
    assert cp1258.title == "Phố cổ Hội An về đêm"
    assert "bảng mã Windows-1258 để kiểm tra việc giải mã tiếng Việt có dấu" in cp1258.text
    wrong = by_name["c_zh_wrong_charset.html"]  # says iso-8859-1, is UTF-8
    assert wrong.title == "河内测试新闻"
    assert "字符集" in wrong.text


def test_html_file_over_max_bytes_is_rejected(tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_text("<html><body><p>" + "word " * 1000 + "</p></body></html>", encoding="utf-8")
    (rejection,) = iter_import(tmp_path, max_bytes=1000)
    assert isinstance(rejection, Rejection)
    assert (rejection.origin, rejection.kind) == (str(page), "too_large")
    assert "over the 1000-byte limit" in rejection.reason


# --- WARC ---------------------------------------------------------------------------------


def _page(title: str, sentence: str, lang: str) -> bytes:
    paragraphs = "".join(f"<p>{sentence} ({i}).</p>" for i in range(6))
    html = f"<html lang='{lang}'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    return (html + paragraphs + "</article></body></html>").encode("utf-8")


def write_warc(path: Path, *, gzip_records: bool) -> None:
    responses = [
        ("https://example.vn/bai-1", "200 OK", "text/html; charset=utf-8",
         _page("Tin thử nghiệm", "Một câu thử nghiệm đủ dài để trích xuất nội dung bài viết", "vi")),
        ("https://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\nnot really"),
        ("https://example.org/missing", "404 Not Found", "text/html",
         _page("Not found", "This page does not exist on the server at all", "en")),
        ("https://example.fr/article-2", "200 OK", "application/xhtml+xml",
         _page("Essai", "Une phrase d'essai assez longue pour que l'extraction la garde", "fr")),
    ]  # fmt: skip
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "ttdn tests"}))
        for url, status, content_type, body in responses:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_takes_html_200_responses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, gzip_records=name.endswith(".gz"))
    articles, rejections = split(iter_import(path))
    assert rejections == []
    assert [a.url for a in articles] == ["https://example.vn/bai-1", "https://example.fr/article-2"]
    assert [a.title for a in articles] == ["Tin thử nghiệm", "Essai"]
    assert [a.lang_hint for a in articles] == ["vi", "fr"]
    assert "Một câu thử nghiệm" in articles[0].text
    offsets = [int(a.origin.rsplit("@", 1)[1]) for a in articles]
    assert all(a.origin.startswith(f"{path}@") for a in articles)
    assert 0 < offsets[0] < offsets[1] < path.stat().st_size
    assert count_units(path) is None


def test_truncated_warc_gz_keeps_what_came_before_and_says_where_it_broke(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, gzip_records=True)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])  # inside the last record
    articles, rejections = split(iter_import(cut))
    assert [a.url for a in articles] == ["https://example.vn/bai-1"]
    (broken,) = rejections
    where = int(broken.origin.rsplit("@", 1)[1])
    assert 0 < where < len(data) - 200
    assert f"WARC broken at byte {where}" in broken.reason
    assert "the rest of the file was skipped" in broken.reason


def test_truncated_plain_warc_is_reported(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzip_records=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[:-300])
    articles, rejections = split(iter_import(cut))
    assert [a.url for a in articles] == ["https://example.vn/bai-1"]
    assert len(rejections) == 1 and rejections[0].kind == "bad_content"


# --- dispatch and counting ----------------------------------------------------------------


def test_unknown_extension_and_missing_path_raise(tmp_path: Path) -> None:
    odd = tmp_path / "articles.xlsx"
    odd.write_bytes(b"PK")
    with pytest.raises(BadInput, match="unknown import format"):
        iter_import(odd)
    with pytest.raises(BadInput, match="no such file"):
        iter_import(tmp_path / "absent.jsonl")
    assert count_units(odd) is None


def test_count_units() -> None:
    assert count_units(JSONL) == 14  # every line, blank ones included
    assert count_units(CSV) == 9  # lines after the header (a quoted newline counts twice)
    assert count_units(HTML) == 7  # .html and .htm files, not notes.txt
