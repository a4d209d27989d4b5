"""Importing documents into passages: real PDF, DOCX, HTML, Markdown and text files."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from ttdn.errors import BadInput
from ttdn.kb import documents
from ttdn.kb.documents import MEDIA_TYPES, read_document

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def _all_text(path: Path) -> str:
    return "\n".join(p.text for p in read_document(path).passages)


def _refused(path: Path, expected: str, *, max_bytes: int = documents.MAX_BYTES, media_type: str | None = None) -> str:
    with pytest.raises(BadInput) as caught:
        read_document(path, max_bytes=max_bytes, media_type=media_type)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: "), message
    assert expected in message, message
    return message


# ---- the formats --------------------------------------------------------------------


def test_text_pdf_pages_become_passages() -> None:
    document = read_document(FIXTURES / "text.pdf")
    assert document.title == "Vietnam and France"
    assert document.media_type == "application/pdf"
    assert document.lang_hint == "en"
    text = "\n".join(p.text for p in document.passages)
    assert "raised their relations to a comprehensive strategic partnership." in text
    assert "la défense, la santé et l'énergie" in text  # WinAnsi accents decoded
    assert "provinces du Vietnam, de la Normandie" in text  # the sentence over the page break stays whole
    assert "reviewed every six months." in text
    assert [p.ordinal for p in document.passages] == list(range(len(document.passages)))


def test_pdf_with_only_an_owner_password_opens() -> None:
    assert "comprehensive strategic partnership" in _all_text(FIXTURES / "owner_only.pdf")


def test_encrypted_pdf_refused() -> None:
    _refused(FIXTURES / "encrypted.pdf", "encrypted with a password")


def test_scanned_pdf_refused_with_ocr_advice() -> None:
    _refused(FIXTURES / "scanned.pdf", "no text layer (scanned images): OCR it first")


@pytest.mark.parametrize(
    "body",
    [b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", b"%PDF-1.7\n" + bytes(range(256)) * 4, b"%PDF-"],
)
def test_corrupt_pdf_refused(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(body)
    message = _refused(path, "PDF")
    assert "corrupt PDF" in message or "no pages" in message


def test_docx_headings_paragraphs_and_table() -> None:
    document = read_document(FIXTURES / "report_vi.docx")
    assert document.title == "Báo cáo TTĐN"
    assert document.media_type == MEDIA_TYPES["docx"]
    assert document.lang_hint == "vi-VN"
    first = document.passages[0]
    assert first.heading == "1. Kết quả nổi bật"
    assert first.text.startswith("Trong sáu tháng đầu năm")
    assert "TP. Hồ Chí Minh" in first.text
    assert "Đối tác | Năm\nHoa Kỳ | 2023\nPháp | 2024" in first.text
    assert "2. Chủ quyền biển, đảo" in first.text  # a short section keeps its heading as a line


def test_markdown_in_vietnamese() -> None:
    document = read_document(FIXTURES / "notes_vi.md")
    assert document.title == "Ghi chú về Biển Đông"
    assert document.media_type == "text/markdown"
    text = "\n".join(p.text for p in document.passages)
    assert document.passages[0].heading == "Biển Đông"
    assert "quần đảo Hoàng Sa và Trường Sa trên cơ sở" in text  # wrapped line joined, ** and * gone
    assert "bằng chứng cứ." in text and "https://" not in text
    assert "Hoàng Sa | Paracel" in text
    assert "title:" not in text


def test_html_in_french() -> None:
    document = read_document(FIXTURES / "article_fr.html")
    assert document.title == "Le Vietnam vu de Paris"
    assert document.lang_hint == "fr"
    text = "\n".join(p.text for p in document.passages)
    assert "Convention des Nations unies sur le droit de la mer de 1982" in text
    assert "ne pas extraire" not in text and "Accueil" not in text


def test_plain_text_and_media_type_for_uploads(tmp_path: Path) -> None:
    path = tmp_path / "upload-7f3a"
    path.write_text("Ghi chú\n\nViệt Nam có quan hệ ngoại giao với gần 200 quốc gia.\n", encoding="utf-8")
    document = read_document(path, media_type="text/plain; charset=utf-8")
    assert document.title == "Ghi chú"
    assert document.media_type == "text/plain"
    assert "gần 200 quốc gia" in document.passages[0].text
    html = tmp_path / "upload-2"
    html.write_bytes((FIXTURES / "article_fr.html").read_bytes())
    assert read_document(html, media_type="text/html").lang_hint == "fr"


def test_cp1258_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Thông tin đô\u0301i ngoa\u0323i cu\u0309a Viê\u0323t Nam.".encode("cp1258"))
    assert _all_text(path) == "Thông tin đối ngoại của Việt Nam."


# ---- passages -----------------------------------------------------------------------


def _long_markdown() -> str:
    sentence = "Việt Nam tăng cường thông tin đối ngoại tại TP. Hồ Chí Minh và Hà Nội trong năm {n}."
    paragraph = " ".join(sentence.format(n=2000 + i) for i in range(12))  # ~1,000 characters
    return (
        "# Mở đầu\n\nĐoạn ngắn.\n\n## Bối cảnh\n\n"
        + "\n\n".join([paragraph] * 3)
        + "\n\n## Một đoạn rất dài\n\n"
        + " ".join([paragraph] * 3)
        + "\n\n## Cuối\n\n"
        + "x" * 4000
        + "\n"
    )


def test_passages_sized_and_cut_between_sentences(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(_long_markdown(), encoding="utf-8")
    passages = read_document(path).passages
    assert all(len(p.text) <= documents.MAX_CHARS for p in passages)
    assert passages[0].heading == "Mở đầu"
    assert passages[0].text.startswith("Đoạn ngắn.\nBối cảnh\n")  # short section merged with the next
    sentences_only = [p for p in passages if not p.text.startswith("x")]
    for passage in sentences_only:
        assert passage.text.endswith("."), passage.text[-40:]
        assert "TP.\n" not in passage.text and not passage.text.startswith("Hồ Chí Minh")
    long_ones = [p for p in passages if p.heading == "Một đoạn rất dài"]
    assert len(long_ones) >= 2
    assert all(len(p.text) >= documents.MIN_CHARS for p in long_ones)  # even cuts, no tiny tail
    words = [p for p in passages if p.heading == "Cuối"]
    assert "".join(p.text for p in words) == "x" * 4000  # no sentence, no space: cut at the limit


# ---- refusals -----------------------------------------------------------------------


def test_docx_that_is_plain_text() -> None:
    _refused(FIXTURES / "fake.docx", "does not match the DOCX type: it is text")


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    _refused(path, "not a Word (.docx) document")


def test_truncated_docx(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes((FIXTURES / "report_vi.docx").read_bytes()[:2000])
    _refused(path, "corrupt .docx")


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("report.pdf", "report_vi.docx", "does not match the PDF type: it is a ZIP archive"),
        ("notes.txt", "text.pdf", "does not match the TEXT type: it is a PDF file"),
        ("page.html", "report_vi.docx", "does not match the HTML type: it is a ZIP archive"),
        ("report.docx", "text.pdf", "does not match the DOCX type: it is a PDF file"),
    ],
)
def test_content_must_match_the_extension(tmp_path: Path, name: str, source: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes((FIXTURES / source).read_bytes())
    _refused(path, expected)


def test_old_word_file(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    _refused(path, "old binary Office file")


@pytest.mark.parametrize("name", ["report.doc", "sheet.xlsx", "run.exe", "noextension"])
def test_unknown_types(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Việt Nam", encoding="utf-8")
    _refused(path, "unsupported file type")
    _refused(path, "unsupported media type", media_type="application/msword")


@pytest.mark.parametrize("name", ["empty.txt", "blank.md", "empty.pdf", "empty.docx"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("" if name.startswith("empty") else "  \n\n\t\n", encoding="utf-8")
    _refused(path, "the file is empty")


def test_markdown_with_no_text(tmp_path: Path) -> None:
    path = tmp_path / "rules.md"
    path.write_text("---\n\n***\n\n<!-- comment -->\n", encoding="utf-8")
    _refused(path, "the document has no text")


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "nowhere.pdf", "cannot read the file")


def test_huge_file_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(100_000_000)  # sparse: costs nothing on disk

    def never(path: Path, limit: int) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(documents, "_read_bytes", never)
    started = time.perf_counter()
    _refused(path, "file too large (100.0 MB, the limit is 50.0 MB)")
    assert time.perf_counter() - started < 0.1
    small = tmp_path / "small.txt"
    small.write_text("Việt Nam " * 200, encoding="utf-8")
    _refused(small, "file too large", max_bytes=1000)
