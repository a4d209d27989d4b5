"""decode_body: BOM, declared charsets checked against the bytes, guesses, never an exception."""

from __future__ import annotations

import codecs
import json
import random
import unicodedata
from pathlib import Path

import pytest

from ttdn.text import decode_body, normalize_text, resolve_charset

FIXTURES = Path(__file__).parent / "fixtures" / "text"
TEXTS = json.loads((FIXTURES / "charset_texts.json").read_text(encoding="utf-8"))
VI = TEXTS["vi"]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def assert_has(text: str, expected: str) -> None:
    assert normalize_text(expected) in normalize_text(text)


def test_windows_1258_declared_in_meta() -> None:
    body = fixture("vi_cp1258.html")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text, encoding = decode_body(body)
    assert encoding == "cp1258"
    assert unicodedata.is_normalized("NFC", text)
    assert VI in text  # NFC already, before normalize_text
    assert "Việt Nam" in text and "Khánh Hòa" in text


def test_windows_1258_declared_in_http_header() -> None:
    text, encoding = decode_body(fixture("vi_cp1258_undeclared.html"), "windows-1258")
    assert encoding == "cp1258"
    assert VI in text


@pytest.mark.parametrize("declared", ["iso-8859-1", "ISO-8859-1", "windows-1252", "us-ascii", None])
def test_windows_1258_wrongly_declared_latin1(declared: str | None) -> None:
    body = fixture("vi_cp1258_as_latin1.html")
    assert b'charset="iso-8859-1"' in body
    text, encoding = decode_body(body, declared)
    assert encoding == "cp1258"
    assert VI in text
    assert "Ì" not in text and "Ò" not in text  # the cp1252 reading of the tone bytes


def test_windows_1258_undeclared_and_xml_declaration() -> None:
    assert decode_body(fixture("vi_cp1258_undeclared.html"))[1] == "cp1258"
    text, encoding = decode_body(fixture("vi_feed_cp1258.xml"))
    assert encoding == "cp1258"
    assert VI in text


def test_real_western_pages_are_not_mistaken_for_cp1258() -> None:
    text, encoding = decode_body(fixture("fr_cp1252.html"), "iso-8859-1")
    assert encoding == "cp1252"
    assert TEXTS["fr"] in text
    text, encoding = decode_body(fixture("it_latin1_undeclared.html"))
    assert encoding in {"cp1252", "latin-1", "iso8859-1"}
    assert TEXTS["it"] in text  # può, più, così, perché


@pytest.mark.parametrize("declared", ["windows-1252", "iso-8859-1", None])
def test_utf8_declared_as_windows_1252(declared: str | None) -> None:
    body = fixture("vi_utf8_as_1252.html")
    assert b'charset="windows-1252"' in body
    text, encoding = decode_body(body, declared)
    assert encoding == "utf-8"
    assert VI in text
    assert "Ã" not in text  # no mojibake


@pytest.mark.parametrize(
    ("name", "lang", "declared", "encoding"),
    [
        ("ja_shift_jis.html", "ja", None, "cp932"),
        ("ja_shift_jis_undeclared.html", "ja", "Shift_JIS", "cp932"),
        ("zh_gb2312.html", "zh", None, "gb18030"),
        ("zh_gb2312_undeclared.html", "zh", "GB2312", "gb18030"),
        ("ru_koi8r.html", "ru", None, "koi8-r"),
        ("ru_koi8r_undeclared.html", "ru", "KOI8-R", "koi8-r"),
        # a default Latin-1 server header does not beat the page's own meta
        ("ja_shift_jis.html", "ja", "iso-8859-1", "cp932"),
        ("zh_gb2312.html", "zh", "iso-8859-1", "gb18030"),
        ("ru_koi8r.html", "ru", "iso-8859-1", "koi8-r"),
    ],
)
def test_legacy_asian_and_cyrillic_pages(name: str, lang: str, declared: str | None, encoding: str) -> None:
    text, used = decode_body(fixture(name), declared)
    assert used == encoding
    assert_has(text, TEXTS[lang])


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("ja_shift_jis_undeclared.html", "ja"),
        ("zh_gb2312_undeclared.html", "zh"),
        ("ru_koi8r_undeclared.html", "ru"),
    ],
)
@pytest.mark.parametrize("declared", [None, "x-foo", "iso-8859-1"])
def test_undeclared_or_wrong_legacy_pages_are_guessed(name: str, lang: str, declared: str | None) -> None:
    text, _ = decode_body(fixture(name), declared)
    assert_has(text, TEXTS[lang])


def test_bom_wins_over_declarations() -> None:
    text, encoding = decode_body(fixture("vi_utf16_bom.html"), "iso-8859-1")
    assert encoding == "utf-16-le"
    assert VI in text
    body = codecs.BOM_UTF8 + '<meta charset="windows-1252">Đà Nẵng'.encode()
    text, encoding = decode_body(body, "koi8-r")
    assert (text.endswith("Đà Nẵng"), encoding) == (True, "utf-8")
    assert not text.startswith("\ufeff")
    assert decode_body(codecs.BOM_UTF16_BE + "Huế".encode("utf-16-be")) == ("Huế", "utf-16-be")
    assert decode_body(codecs.BOM_UTF32_LE + "Huế".encode("utf-32-le")) == ("Huế", "utf-32-le")


@pytest.mark.parametrize("label", ["x-foo", "", "utf-99", "base64", "rot13", "utf-7", "x-user-defined", "\x00"])
def test_unknown_or_unsafe_charset_names_fall_back(label: str) -> None:
    body = "Thủ tướng thăm Đà Nẵng".encode()
    assert decode_body(body, label) == ("Thủ tướng thăm Đà Nẵng", "utf-8")
    meta = f'<meta charset="{label}"><p>Huế</p>'.encode()
    assert decode_body(meta)[0].endswith("<p>Huế</p>")
    assert resolve_charset(label) is None


def test_resolve_charset_widens_legacy_labels() -> None:
    assert resolve_charset("ISO-8859-1") == "cp1252"
    assert resolve_charset("GB2312") == "gb18030"
    assert resolve_charset("Shift_JIS") == "cp932"
    assert resolve_charset("EUC-KR") == "cp949"
    assert resolve_charset("windows-1258") == "cp1258"
    assert resolve_charset(' "UTF8" ') == "utf-8"
    assert resolve_charset(None) is None


def test_http_declared_charset_is_used_when_the_bytes_agree() -> None:
    body = "Привет, Ханой".encode("cp1251")
    assert decode_body(body, "windows-1251") == ("Привет, Ханой", "cp1251")


@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE", "utf-32"])
def test_utf16_label_on_an_8bit_page_is_not_trusted(label: str) -> None:
    body = ('<meta charset="utf-16"><p>' + VI + "</p>").encode()
    assert decode_body(body, label) == ('<meta charset="utf-16"><p>' + VI + "</p>", "utf-8")
    utf16 = VI.encode("utf-16-le")
    text, encoding = decode_body(utf16, label if label != "utf-32" else "utf-16le")
    assert text == VI
    assert encoding in {"utf-16", "utf-16-le"}


def test_declared_utf8_that_does_not_decode_is_not_trusted() -> None:
    body = ("<p>" + TEXTS["fr"] + "</p>").encode("cp1252")
    text, encoding = decode_body(body, "utf-8")
    assert encoding != "utf-8"
    assert TEXTS["fr"] in text


def test_truncated_utf8_keeps_utf8() -> None:
    body = ("<p>" + VI + "</p>").encode()
    cut = body[: body.index("Trường".encode()) + 3]  # inside the multi-byte "ư"
    text, encoding = decode_body(cut, "utf-8")
    assert encoding == "utf-8"
    assert text.endswith("Tr\ufffd")
    assert "Hoàng Sa" in text


def test_empty_and_ascii() -> None:
    assert decode_body(b"") == ("", "utf-8")
    assert decode_body(b"", "windows-1258") == ("", "utf-8")
    assert decode_body(b"Hanoi, Vietnam") == ("Hanoi, Vietnam", "ascii")


def test_nfc_output_for_decomposed_utf8() -> None:
    body = unicodedata.normalize("NFD", "Việt Nam").encode()
    assert decode_body(body) == ("Việt Nam", "utf-8")


def test_never_raises_on_arbitrary_bytes() -> None:
    rng = random.Random(1258)
    declared = [None, "utf-8", "iso-8859-1", "shift_jis", "utf-16", "x-foo", "cp1258", "koi8-r", "utf-32"]
    samples = [bytes(range(256)), b"\xff\xfe\x00", b"\xfe\xff\xd8", b"\xef\xbb", b"<meta charset=>"]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))) for _ in range(200)]
    for body in samples:
        for label in declared:
            text, encoding = decode_body(body, label)
            assert isinstance(text, str)
            assert codecs.lookup(encoding)
