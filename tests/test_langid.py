"""Language identification: configured languages only, scripts lingua lacks, declared hints."""

from __future__ import annotations

import logging

import pytest

from ttdn.settings import DEFAULT_LANGUAGES
from ttdn.text import LanguageIdentifier, get_identifier, normalize_lang_code
from ttdn.text.langid import DECLARED_CONFIDENCE, SAMPLE_CHARS

VI = "Bộ Ngoại giao khẳng định Việt Nam có đủ cơ sở pháp lý về chủ quyền đối với quần đảo Hoàng Sa."
EN = "The foreign ministry said Vietnam has enough legal grounds and historical evidence for its claims."
FR = "Le ministère des Affaires étrangères a tenu sa conférence de presse habituelle ce matin à Hanoï."
LO = "ນາຍົກລັດຖະມົນຕີຫວຽດນາມໄດ້ພົບປະກັບນັກລົງທຶນຕ່າງປະເທດຢູ່ນະຄອນຫຼວງຮ່າໂນ້ຍ"
KM = "នាយករដ្ឋមន្ត្រីវៀតណាមបានជួបជាមួយវិនិយោគិនបរទេសនៅទីក្រុងហាណូយ"
TH = "นายกรัฐมนตรีเวียดนามพบปะนักลงทุนต่างชาติที่กรุงฮานอยเพื่อหารือเรื่องพลังงาน"


@pytest.fixture(scope="module")
def ident() -> LanguageIdentifier:
    return get_identifier(tuple(DEFAULT_LANGUAGES))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("vi-VN", "vi"), ("en_US", "en"), ("zh-Hans", "zh"), ("ZH-tw", "zh"), (" FR ", "fr"),
        ("vie", "vi"), ("in", "id"), ("", None), (None, None), ("x", None), ("12", None),
        ("en-US;q=0.8", "en"),
    ],
)  # fmt: skip
def test_normalize_lang_code(code: str | None, expected: str | None) -> None:
    assert normalize_lang_code(code) == expected


@pytest.mark.parametrize(("text", "lang"), [(VI, "vi"), (EN, "en"), (FR, "fr")])
def test_detects_latin_languages(ident: LanguageIdentifier, text: str, lang: str) -> None:
    code, conf = ident.detect(text)
    assert code == lang
    assert 0.5 < conf <= 1.0


@pytest.mark.parametrize(("text", "lang"), [(LO, "lo"), (KM, "km"), (TH, "th")])
def test_lao_khmer_thai_by_script(ident: LanguageIdentifier, text: str, lang: str) -> None:
    code, conf = ident.detect(text)
    assert code == lang
    assert conf > 0.9


def test_script_language_not_configured_is_not_guessed() -> None:
    only_latin = LanguageIdentifier(["vi", "en"])
    assert only_latin.detect(LO) == (None, 0.0)
    assert only_latin.detect(KM, declared="km") == (None, 0.0)


def test_only_configured_languages_are_returned() -> None:
    ident = LanguageIdentifier(["vi", "en"])
    code, _ = ident.detect(FR)
    assert code in {"vi", "en"}


def test_unknown_configured_codes_are_skipped_with_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ttdn.text.langid"):
        ident = LanguageIdentifier(["vi", "en", "my", "qq", "lo"])
    assert ident.languages == ("vi", "en", "my", "qq", "lo")
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "'my'" in warned and "'qq'" in warned and "'lo'" not in warned
    assert ident.detect(VI)[0] == "vi"
    assert ident.detect(LO)[0] == "lo"


def test_nothing_lingua_knows_does_not_crash() -> None:
    ident = LanguageIdentifier(["lo", "km", "xx"])
    assert ident.detect(KM)[0] == "km"
    assert ident.detect(EN) == (None, 0.0)
    assert ident.detect(EN, declared="lo") == ("lo", 0.0)


def test_single_lingua_language() -> None:
    ident = LanguageIdentifier(["vi"])
    assert ident.detect(VI)[0] == "vi"


def test_empty_text() -> None:
    ident = LanguageIdentifier(["vi", "en"])
    assert ident.detect("") == (None, 0.0)
    assert ident.detect("   \n", declared="vi-VN") == ("vi", 0.0)
    assert ident.detect("2024 — 15:30 !!!", declared="en") == ("en", 0.0)


def test_short_text_trusts_declared(ident: LanguageIdentifier) -> None:
    assert ident.detect("Hà Nội", declared="vi-VN") == ("vi", DECLARED_CONFIDENCE)
    # Even when lingua would say otherwise: three words are too few to overrule the source.
    assert ident.detect("Hanoi Da Nang", declared="vi") == ("vi", DECLARED_CONFIDENCE)


def test_short_text_without_usable_declaration_has_lowered_confidence(ident: LanguageIdentifier) -> None:
    long_code, long_conf = ident.detect(VI)
    code, conf = ident.detect("Thủ tướng phát", declared="sv")
    assert code == "vi"
    assert conf <= 0.5
    assert long_conf > conf
    assert long_code == "vi"


def test_cjk_title_is_not_short(ident: LanguageIdentifier) -> None:
    # No spaces, but far more than three words: detection, not the (wrong) declaration.
    code, conf = ident.detect("越南外交部发言人今天在河内表示越南拥有充分的法律依据", declared="en")
    assert code == "zh"
    assert conf > 0.5


def test_declared_wins_only_when_lingua_is_unsure() -> None:
    ident = LanguageIdentifier(["es", "pt", "it", "en", "vi"])
    unsure = "La casa es grande y bonita para la familia."  # es/pt/it all plausible
    detected, conf = ident.detect(unsure)
    assert detected == "es" and conf < 0.5
    code, conf_pt = ident.detect(unsure, declared="pt-BR")
    assert code == "pt"
    assert 0.0 < conf_pt < conf  # lingua's own (lower) score for the declared language
    # A confident detection is not overruled by a wrong declaration.
    assert ident.detect(VI, declared="en")[0] == "vi"
    # A declaration outside the configured list is ignored.
    assert ident.detect(unsure, declared="sv")[0] == "es"


def test_only_the_beginning_is_read(ident: LanguageIdentifier) -> None:
    text = (EN + " ") * (SAMPLE_CHARS // len(EN) + 2) + (VI + " ") * 200
    assert ident.detect(text)[0] == "en"


def test_detect_many_matches_detect(ident: LanguageIdentifier) -> None:
    texts = [VI, EN, FR, LO, KM, TH, "", "Hà Nội"]
    declared = [None, None, "fr-FR", None, None, None, "vi", "vi"]
    many = ident.detect_many(texts, declared)
    assert many == [ident.detect(t, d) for t, d in zip(texts, declared, strict=True)]
    assert [code for code, _ in many] == ["vi", "en", "fr", "lo", "km", "th", "vi", "vi"]
    assert ident.detect_many([]) == []
    with pytest.raises(ValueError):
        ident.detect_many([VI], [None, None])


def test_get_identifier_is_cached() -> None:
    assert get_identifier(("vi", "en")) is get_identifier(("vi", "en"))
    assert get_identifier(("vi", "en")) is not get_identifier(("en", "vi"))
