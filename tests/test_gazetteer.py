"""Gazetteer: offsets into the original text, spellings, former provinces, extension and errors."""

from __future__ import annotations

import itertools
import time
import unicodedata
from pathlib import Path

import pytest

from ttdn.errors import ConfigError
from ttdn.understand.gazetteer import Gazetteer, Mention


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def check_offsets(text: str, mentions: list[Mention]) -> None:
    for m in mentions:
        assert text[m.start : m.end] == m.surface, m
    for a, b in itertools.pairwise(mentions):
        assert a.end <= b.start, (a, b)


def ids(mentions: list[Mention]) -> list[str]:
    return [m.id for m in mentions]


def test_default_is_cached_and_covers_the_data(gaz: Gazetteer) -> None:
    assert Gazetteer.load() is gaz
    kinds = [e.kind for e in gaz.entries.values()]
    assert kinds.count("province") == 34
    assert kinds.count("country") >= 190
    former = {e.name for e in gaz.entries.values() if e.kind == "former_province"}
    current = {e.name for e in gaz.entries.values() if e.kind == "province"}
    assert len(former) + len(current) - 1 == 63  # Huế's former unit is Thừa Thiên Huế
    vn_langs = {alias for alias, _ in gaz.entries["VN"].aliases}
    assert {"越南", "Вьетнам*", "ベトナム", "베트남", "เวียดนาม", "ຫວຽດນາມ", "វៀតណាម", "فيتنام", "Wietnam*"} <= vn_langs


def test_empty_and_plain_text(gaz: Gazetteer) -> None:
    assert gaz.find("") == []
    assert gaz.find("nothing to see here") == []


def test_nfd_input_offsets(gaz: Gazetteer) -> None:
    text = unicodedata.normalize("NFD", "Bão đổ bộ vào Khánh Hòa và Đà Nẵng, Việt Nam.")
    mentions = gaz.find(text)
    check_offsets(text, mentions)
    assert ids(mentions) == ["khanh-hoa", "da-nang", "VN"]
    assert unicodedata.normalize("NFC", mentions[1].surface) == "Đà Nẵng"


def test_mixed_scripts_offsets(gaz: Gazetteer) -> None:
    text = "Hà Nội – 河内: Вьетнама и Китая; 越南和中国在南海; ベトナム; 베트남은 Viêt Nam\u00a0Việt\u200bNam"
    mentions = gaz.find(text)
    check_offsets(text, mentions)
    assert ids(mentions) == ["ha-noi", "ha-noi", "VN", "CN", "VN", "CN", "bien-dong", "VN", "VN", "VN", "VN"]


def test_tone_placements_and_unaccented(gaz: Gazetteer) -> None:
    for text in ("Khánh Hòa", "Khánh Hoà", "Khanh Hoa", "KHÁNH HÒA", "khanh hoa"):
        assert ids(gaz.find(text)) == ["khanh-hoa"], text
    mentions = gaz.find("tin moi ve hoang sa va truong sa")
    assert ids(mentions) == ["hoang-sa", "truong-sa"]


def test_former_province_resolves_to_current_unit(gaz: Gazetteer) -> None:
    mentions = gaz.find("Quảng Nam, Bình Dương, Hà Giang và Thừa Thiên Huế")
    assert [m.kind for m in mentions] == ["former_province"] * 4
    assert gaz.provinces(mentions) == ["Đà Nẵng", "Thành phố Hồ Chí Minh", "Tuyên Quang", "Huế"]
    assert gaz.countries(mentions) == ["VN"]


def test_cities_resolve_to_province(gaz: Gazetteer) -> None:
    mentions = gaz.find("From Nha Trang to Hoi An and Sa Pa")
    assert [m.kind for m in mentions] == ["city"] * 3
    assert gaz.provinces(mentions) == ["Khánh Hòa", "Đà Nẵng", "Lào Cai"]


def test_longest_match_wins(gaz: Gazetteer) -> None:
    text = "Thành phố Hồ Chí Minh; Thừa Thiên Huế; South China Sea; Papua New Guinea; Điện Biên Phủ"
    mentions = gaz.find(text)
    check_offsets(text, mentions)
    assert ids(mentions) == ["ho-chi-minh", "thua-thien-hue", "bien-dong", "PG", "dien-bien-phu"]
    assert mentions[0].surface == "Thành phố Hồ Chí Minh"


def test_ho_chi_minh_person_is_not_the_city(gaz: Gazetteer) -> None:
    assert gaz.find("Hồ Chí Minh") == []
    assert gaz.find("Ho Chi Minh") == []
    assert gaz.find("Chủ tịch Hồ Chí Minh đọc Tuyên ngôn Độc lập") == []
    city = ("TP. Hồ Chí Minh", "TP.HCM", "Tp.HCM", "Thành phố Hồ Chí Minh", "Ho Chi Minh City", "Saigon", "胡志明市")
    for text in city:
        assert ids(gaz.find(text)) == ["ho-chi-minh"], text


def test_ambiguous_names(gaz: Gazetteer) -> None:
    assert gaz.find("adjust the hue slider") == []
    assert gaz.find("Hugh Grant") == []
    assert gaz.find("Hue and saturation explained") == []  # lone ASCII "Hue", nothing Vietnamese
    assert ids(gaz.find("Hue, the old capital of Vietnam")) == ["hue", "VN"]
    assert ids(gaz.find("Cố đô Huế")) == ["hue"]
    assert gaz.find("tell us about my son") == []
    assert ids(gaz.find("Mỹ và Việt Nam")) == ["US", "VN"]
    assert gaz.find("son la mejor opción") == []
    assert gaz.find("Miền Nam, nam ca sĩ, Nam June Paik") == []
    assert ids(gaz.find("Thái Bình Dương")) == []


def test_word_boundaries_and_stems(gaz: Gazetteer) -> None:
    assert ids(gaz.find("Vietnamese exporters")) == ["VN"]
    assert gaz.find("Vietnamese exporters")[0].surface == "Vietnamese"
    assert ids(gaz.find("во Вьетнаме и Вьетнаму")) == ["VN", "VN"]
    assert gaz.find("Sovietnamed") == []
    assert ids(gaz.find("Niger and Nigeria")) == ["NE", "NG"]


def test_custom_extra_dir_adds_entries(tmp_path: Path) -> None:
    (tmp_path / "mine.tsv").write_text(
        "kind\tid\tname\tparent\tlang\taliases\n"
        "city\tly-son\tLý Sơn\tquang-ngai\tvi\tLý Sơn;đảo Lý Sơn\n"
        "\tVN\t\t\tvi\tnước ta\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load(tmp_path)
    mentions = gaz.find("Ngư dân đảo Lý Sơn, nước ta")
    assert ids(mentions) == ["ly-son", "VN"]
    assert gaz.provinces(mentions) == ["Quảng Ngãi"]
    assert Gazetteer.load().find("đảo Lý Sơn") == []


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("kind\tid\tname\tparent\tlang\taliases\ncity\tx\tX\tnowhere\ten\tXville\n", 2, "parent"),
        ("kind\tid\tname\tlang\taliases\nplanet\tmars\tMars\ten\tMars\n", 2, "kind"),
        ("kind\tid\tname\tlang\taliases\ncountry\tZZ\tZed\ten\tZ*ed\n", 2, "'*'"),
        ("kind\tid\tname\tlang\taliases\ncountry\tZZ\tZed\ten\tZed\ta\tb\n", 2, "cells"),
        ("# only a comment\nname\tfoo\n", 2, "'id'"),
        ("kind\tid\tname\tlang\taliases\ncountry\tZZ\tZed\ten\tVietnam\n", 2, "already used"),
    ],
)
def test_bad_extra_file_names_file_and_line(tmp_path: Path, content: str, line: int, words: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Gazetteer.load(tmp_path)
    assert f"bad.tsv:{line}" in str(info.value)
    assert words in str(info.value)


def test_missing_extra_dir(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Gazetteer.load(tmp_path / "nope")


def test_five_megabytes_in_reasonable_time(gaz: Gazetteer) -> None:
    para = (
        "Thủ tướng Việt Nam tiếp Đại sứ Nhật Bản tại Hà Nội. The economy of Thailand grew while exports "
        "from Ho Chi Minh City rose. Вьетнам и Китай обсудили торговлю. 越南与中国在南海问题上. "
    )
    text = unicodedata.normalize("NFD", para) * (5_000_000 // len(para))
    started = time.perf_counter()
    mentions = gaz.find(text)
    elapsed = time.perf_counter() - started
    assert len(mentions) > 100_000
    m = mentions[-1]
    assert text[m.start : m.end] == m.surface
    assert elapsed < 10, f"{elapsed:.1f} s for 5 MB"  # about 2 s on a 2-core machine
