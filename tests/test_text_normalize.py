"""normalize_text and fold: one spelling per Vietnamese word, search keys without marks."""

from __future__ import annotations

import unicodedata

import pytest

from ttdn.text import fold, normalize_text
from ttdn.text.normalize import _CANDIDATE


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    ("new_style", "traditional"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("hoà bình", "hòa bình"),
        ("HOÀ", "HÒA"),
        ("THUỶ", "THỦY"),
        ("Hoà", "Hòa"),
        ("loè loẹt", "lòe loẹt"),
        ("Thuỵ Sĩ", "Thụy Sĩ"),
        ("luỹ kế", "lũy kế"),
    ],
)
def test_both_tone_placements_become_the_traditional_one(new_style: str, traditional: str) -> None:
    assert normalize_text(new_style) == traditional
    assert normalize_text(traditional) == traditional


@pytest.mark.parametrize(
    "word",
    [
        "quá", "quý", "quỳnh", "Quỳnh", "QUÝ", "quyết", "quốc", "quạ", "quẻ", "quyển",
        "giữ", "giữa", "già", "gì", "gìn", "giếng", "giấy", "giường",
        "hoàn", "thuyết", "hoạch", "huỳnh", "khoét", "ngoài", "xoáy", "khuỷu", "ngoẹo",
        "người", "cứu", "mùa", "tài", "gửi", "chịu", "mía", "huệ", "thuở", "khuya", "Nguyễn",
    ],
)  # fmt: skip
def test_correct_syllables_are_not_changed(word: str) -> None:
    assert normalize_text(word) == word


@pytest.mark.parametrize(
    ("misplaced", "fixed"),
    [("qúy", "quý"), ("gìa", "già"), ("hòan", "hoàn"), ("tìên", "tiền"), ("mưá", "mứa")],
)
def test_marks_misplaced_in_clearly_vietnamese_syllables_are_moved(misplaced: str, fixed: str) -> None:
    assert normalize_text(misplaced) == fixed


def test_nfd_input_equals_nfc_input() -> None:
    sentence = "Tỉnh Khánh Hòa và Thanh Hoá đón khách; sức khoẻ, thuỷ sản, giữa Hoàng Sa và Trường Sa."
    assert normalize_text(nfd(sentence)) == normalize_text(sentence)
    assert unicodedata.is_normalized("NFC", normalize_text(nfd(sentence)))
    assert normalize_text(nfd("Khánh Hoà")) == "Khánh Hòa"


@pytest.mark.parametrize(
    "text",
    [
        "Où est la gare ? Là-bas, près de l'hôtel. Déjà vu, très été.",
        "Il governo può fare di più, così è.",
        "Ele está aí, no país; saúde e baú.",
        "Xí Jìnpíng duì xià huà liú",  # pinyin with tone marks
        "La cuál, día y río; Raúl y María.",
        "越南外交部发言人表示，黄沙群岛。",
        "Министерство иностранных дел Вьетнама, ёлка, йод.",
        "ベトナム外務省は本日、ハノイで会見した。",
        "베트남 외교부",
        "Plain English about Vietnam and the East Sea.",
    ],
)
def test_other_languages_pass_through(text: str) -> None:
    assert normalize_text(text) == text
    assert normalize_text(nfd(text)) == unicodedata.normalize("NFC", text)


def test_mixed_language_text_changes_only_vietnamese_words() -> None:
    text = "Tourists love Khánh Hoà; où aller? 越南 Thuỷ điện, più forte."
    assert normalize_text(text) == "Tourists love Khánh Hòa; où aller? 越南 Thủy điện, più forte."


def test_whitespace_variants() -> None:
    text = "Việt\u00a0Nam\u200b là\u202fđất nước\r\nxinh đẹp\rquá\u2028và\u2029thế\u2060 thôi\ufeff\tTab\u00ad"
    assert normalize_text(text) == "Việt Nam là đất nước\nxinh đẹp\nquá\nvà\nthế thôi\tTab"


def test_line_breaks_and_emoji_joiners_kept() -> None:
    text = "dòng một\n\ndòng hai\n👨\u200d👩\u200d👧"
    assert normalize_text(text) == text


def test_empty_and_ascii() -> None:
    assert normalize_text("") == ""
    assert normalize_text("Hanoi 2024") == "Hanoi 2024"


def test_idempotent_on_a_paragraph() -> None:
    text = nfd("Hoà bình, thuỷ lợi và sức khoẻ: QUỲNH, Thuý, giữa trưa ở Khánh Hoà.\r\n")
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == "Hòa bình, thủy lợi và sức khỏe: QUỲNH, Thúy, giữa trưa ở Khánh Hòa.\n"


def test_candidate_regex_is_linear_on_long_letter_runs() -> None:
    run = "a" * 50_000 + "ò" + "中" * 50_000
    assert _CANDIDATE.search(run) is None
    assert normalize_text(run) == run


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Hoàng Sa", "hoang sa"),
        ("Đà Nẵng", "da nang"),
        ("TRƯỜNG SA", "truong sa"),
        ("Khánh Hoà", "khanh hoa"),
        ("Khánh Hòa", "khanh hoa"),
        (nfd("Việt Nam"), "viet nam"),
        ("Biển Đông / East Sea", "bien dong / east sea"),
        ("Hô Chi Minh-Ville, Hanoï, São Paulo", "ho chi minh-ville, hanoi, sao paulo"),
        ("越南 南海", "越南 南海"),
        ("ВЬЕТНАМ", "вьетнам"),
        ("Йошкар-Ола", "йошкар-ола"),
        ("ベトナムがんばれ", "ベトナムがんばれ"),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_fold_matches_typed_without_diacritics() -> None:
    assert fold("Thủ tướng Phạm Minh Chính thăm Đà Nẵng") == fold("thu tuong pham minh chinh tham da nang")
    assert fold("hoà") == fold("HÒA") == "hoa"
