"""The search-box query language: parsing, folding, errors, and safe tsquery on real PostgreSQL."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator

import psycopg
import pytest

from ttdn.errors import BadInput
from ttdn.search import ParsedQuery, parse_query, search_text_of

# The whole tsquery must be made of quoted lexemes, operators and parentheses: nothing else.
_TSQUERY_TOKEN = re.compile(r"\s*(?:'(?:[^'\\]|''|\\\\)*'|<->|<\d+>|[&|!()])")


def _well_formed(tsquery: str) -> bool:
    pos = 0
    while pos < len(tsquery):
        match = _TSQUERY_TOKEN.match(tsquery, pos)
        if match is None or match.end() == pos:
            return False
        pos = match.end()
    return True


@pytest.fixture(scope="module")
def pg(pg_admin_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        yield conn


def _matches(pg: psycopg.Connection, query: str, title: str, text: str = "") -> bool:
    parsed = parse_query(query)
    row = pg.execute(
        "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)", (search_text_of(title, text), parsed.tsquery)
    ).fetchone()
    assert row is not None
    return bool(row[0])


# ---- folding ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    ["Hoàng Sa", "hoang sa", "HOANG SA", unicodedata.normalize("NFD", "Hoàng Sa"), "  hoàng   sa ", "Hoàng\u00a0Sa"],
)
def test_spellings_of_one_name_give_one_query(variant: str) -> None:
    assert parse_query(variant).tsquery == "'hoang' & 'sa'"


@pytest.mark.parametrize("variant", ["Khánh Hòa", "Khánh Hoà", "khanh hoa", unicodedata.normalize("NFD", "Khánh Hoà")])
def test_both_tone_placements_and_no_diacritics(variant: str) -> None:
    assert parse_query(variant).tsquery == "'khanh' & 'hoa'"
    assert parse_query(f'"{variant}"').tsquery == "('khanh' <-> 'hoa')"


def test_d_stroke_folds_to_d() -> None:
    assert parse_query("Đà Nẵng").terms == ("da", "nang")


# ---- syntax -------------------------------------------------------------------------


def test_phrase_compiles_to_followed_by() -> None:
    parsed = parse_query('"Biển Đông" tranh chấp')
    assert parsed.tsquery == "('bien' <-> 'dong') & 'tranh' & 'chap'"
    assert parsed.terms == ("bien dong", "tranh", "chap")


def test_cjk_word_is_a_phrase_of_characters() -> None:
    assert parse_query("越南").tsquery == "('越' <-> '南')"
    assert parse_query("ベトナム 南海").tsquery == "('ベ' <-> 'ト' <-> 'ナ' <-> 'ム') & ('南' <-> '海')"
    assert parse_query("越南").terms == ("越南",)


def test_operators_and_precedence() -> None:
    assert parse_query("vietnam OR laos").tsquery == "'vietnam' | 'laos'"
    assert parse_query("vietnam AND laos").tsquery == "'vietnam' & 'laos'"
    assert parse_query("vietnam NOT china").tsquery == "'vietnam' & !'china'"
    assert parse_query("vietnam -china").tsquery == "'vietnam' & !'china'"
    assert parse_query('vietnam -"south china sea"').tsquery == "'vietnam' & !('south' <-> 'china' <-> 'sea')"
    assert parse_query("a1 OR b1 c1").tsquery == "'a1' | ('b1' & 'c1')"
    assert parse_query("(a1 OR b1) c1").tsquery == "('a1' | 'b1') & 'c1'"
    assert parse_query("vietnam -(china OR laos)").tsquery == "'vietnam' & !('china' | 'laos')"
    assert parse_query("vietnam | laos").tsquery == "'vietnam' | 'laos'"


def test_vietnamese_operators_only_in_capitals() -> None:
    assert parse_query("Hà Nội HOẶC Huế").tsquery == "('ha' & 'noi') | 'hue'"
    assert parse_query("Hà Nội hoac Huế").tsquery == "'ha' & 'noi' & 'hoac' & 'hue'"
    assert parse_query("biển KHÔNG đảo").tsquery == "'bien' & !'dao'"
    assert parse_query("biển KHONG đảo").tsquery == "'bien' & !'dao'"
    assert parse_query("Hà Nội VÀ Huế").tsquery == "'ha' & 'noi' & 'hue'"
    # lower-case “không” is a word (không quân = air force), “và” a stop word
    assert parse_query("không quân và hải quân").tsquery == "'khong' & 'quan' & 'hai' & 'quan'"


def test_caps_lock_query_keeps_vietnamese_words() -> None:
    assert parse_query("KHÔNG QUÂN NHÂN DÂN").tsquery == "'khong' & 'quan' & 'nhan' & 'dan'"
    assert parse_query("HANOI OR HUE").tsquery == "'hanoi' | 'hue'"


def test_stop_words_dropped_from_bare_words_kept_in_phrases() -> None:
    assert parse_query("the economy of Vietnam").tsquery == "'economy' & 'vietnam'"
    assert parse_query("Hoàng Sa và Trường Sa").tsquery == "'hoang' & 'sa' & 'truong' & 'sa'"
    assert parse_query('"Hoàng Sa và Trường Sa"').tsquery == "('hoang' <-> 'sa' <-> 'va' <-> 'truong' <-> 'sa')"
    assert parse_query('"the of"').tsquery == "('the' <-> 'of')"
    assert parse_query("vả").tsquery == "'va'"  # only “và” with its grave accent is the stop word


def test_adjacent_syllables_are_and_with_a_phrase_boost() -> None:
    parsed = parse_query("thông tin đối ngoại")
    assert parsed.tsquery == "'thong' & 'tin' & 'doi' & 'ngoai'"
    assert parsed.boost_tsquery == "'thong' <-> 'tin' <-> 'doi' <-> 'ngoai'"
    assert parse_query("Hoàng Sa và Trường Sa").boost_tsquery == "'hoang' <-> 'sa' <2> 'truong' <-> 'sa'"
    assert parse_query('"biển đông" vietnam').boost_tsquery is None
    assert parse_query("ha noi OR hue").boost_tsquery == "'ha' <-> 'noi'"
    assert parse_query("vietnam -(ha noi)").boost_tsquery is None


def test_text_for_embedding_has_no_operators_or_excluded_terms() -> None:
    parsed = parse_query('("Biển Đông" OR "East Sea") AND chủ quyền -china NOT "du lịch"')
    assert parsed.text_for_embedding == "Biển Đông East Sea chủ quyền"
    assert parsed.excluded == ("china", "du lich")
    assert "china" not in parsed.terms


def test_empty_query_allowed_on_request() -> None:
    parsed = parse_query("   ", allow_empty=True)
    assert parsed.is_empty and parsed.tsquery == "" and parsed.terms == ()
    assert not parse_query("vietnam").is_empty
    assert isinstance(parsed, ParsedQuery)


# ---- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "empty"),
        ("   \t\n", "empty"),
        ("... !!! ---", "only punctuation"),
        ("(()", "empty parentheses"),
        ("the of và của", "only stop words"),
        ('"Hoàng Sa', "unbalanced quote"),
        ('vietnam "laos" "', "unbalanced quote"),
        ("(vietnam OR laos", "never closed"),
        ("vietnam)", "no matching"),
        ("()", "empty parentheses"),
        ("AND", "operator AND"),
        ("vietnam AND", "operator AND"),
        ("AND vietnam", "operator AND"),
        ("vietnam OR", "operator OR"),
        ("vietnam OR AND laos", "operator OR"),
        ("NOT", "operator NOT"),
        ("vietnam NOT", "operator NOT"),
        ("vietnam HOẶC", "operator HOẶC"),
        ("vietnam (laos OR)", "operator OR"),
        ("NOT china", "not excluded"),
        ("-china -laos", "not excluded"),
        ("x " * 65, "too many terms"),
        ("越" * 65, "too many terms"),
        ("a-" * 64 + "a", "too many terms"),
        ("(" * 17 + "x" + ")" * 17, "nested too deep"),
    ],
)
def test_errors_are_bad_input_vietnamese_first(raw: str, expected: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_query(raw)
    message = str(caught.value)
    assert expected in message
    vietnamese, _, english = message.partition(" / ")
    assert vietnamese and english, message


def test_sixty_four_terms_are_fine() -> None:
    assert parse_query("x " * 64).tsquery.count("'x'") == 64


def test_overlong_query_refused_without_parsing() -> None:
    started = time.perf_counter()
    with pytest.raises(BadInput, match="too long"):
        parse_query('"' * 10_000)
    assert time.perf_counter() - started < 0.01
    assert parse_query("a" * 1000).terms == ("a" * 1000,)


# ---- search_text_of -----------------------------------------------------------------


def test_search_text_is_folded_with_cjk_spaced() -> None:
    assert search_text_of("Việt Nam", "越南和Đà Nẵng") == "viet nam\n越 南 和 da nang"
    assert search_text_of("", "ภาษาไทย ที่") == "ภ า ษ า ไ ท ย ที่"  # marks stay on their letter
    assert search_text_of("", "Tokyo 東京タワー 서울") == "tokyo 東 京 タ ワ ー 서 울"


# ---- real PostgreSQL ----------------------------------------------------------------

NASTY = [
    "vietnam'; DROP TABLE articles; --",
    "a'b",
    "it's",
    "back\\slash",
    "trailing\\",
    "\\'",
    "''''",
    "vietnam:*",
    "viet:*A & nam",
    "a&b|c!d<e>f",
    "x<->y",
    "x<2>y",
    "!vietnam",
    "vietnam !",
    '"\'\\"',
    '"a\'b c\\d"',
    "covid-19 l'état example.com 1.5",
    "\x00vietnam\x01",
    "ｖｉｅｔｎａｍ",
    "\u200bvietnam\u202e",
    "emoji 🇻🇳 vietnam",
    "Вьетнам 越南 베트남 ベトナム",
    "-",
    "- -",
    "-( vietnam )",
    ":* & | !",
]


@pytest.mark.parametrize("raw", NASTY)
def test_injection_attempts_give_a_safe_tsquery(pg: psycopg.Connection, raw: str) -> None:
    try:
        parsed = parse_query(raw)
    except BadInput:
        return
    assert _well_formed(parsed.tsquery), parsed.tsquery
    for query in (parsed.tsquery, parsed.boost_tsquery):
        if query is not None:
            row = pg.execute("SELECT to_tsquery('simple', %s)::text", (query,)).fetchone()
            assert row is not None


def test_quotes_and_backslashes_stay_inside_lexemes(pg: psycopg.Connection) -> None:
    parsed = parse_query("vietnam'; DROP TABLE articles; --")
    assert parsed.tsquery == "'vietnam' & 'drop' & 'table' & 'articles'"
    assert parse_query("it's").tsquery == "'it''s'"
    row = pg.execute("SELECT to_tsquery('simple', %s)::text", (parse_query("it's").tsquery,)).fetchone()
    assert row == ("'it' <-> 's'",)


@pytest.mark.parametrize(
    ("query", "title", "text", "expected"),
    [
        ("hoang sa", "Quần đảo Hoàng Sa", "", True),
        ("Hoàng Sa", unicodedata.normalize("NFD", "Quần đảo Hoàng Sa"), "", True),
        ("Khánh Hòa", "", "Tỉnh Khánh Hoà đón khách", True),
        ('"hoang sa"', "", "Hoàng Sa và Trường Sa", True),
        ('"sa hoang"', "", "Hoàng Sa và Trường Sa", False),
        ("sa hoang", "", "Hoàng Sa và Trường Sa", True),
        ('"trường sa"', "Trường Sa", "", True),
        ("thông tin đối ngoại", "", "Công tác thông tin đối ngoại năm 2024", True),
        ("vietnam -china", "", "Vietnam and China", False),
        ("vietnam -china", "", "Vietnam and Laos", True),
        ("越南", "", "越南和中国的关系", True),
        ("南越", "", "越南和中国的关系", False),
        ("中国 -日本", "", "越南和中国的关系", True),
        ("ベトナム", "", "ベトナムの経済", True),
        ("covid-19", "", "The COVID-19 pandemic", True),
        ("l'état", "", "L'État vietnamien", True),
        ("vnexpress.net", "", "selon vnexpress.net hier", True),
        ("(laos OR cambodia) vietnam", "", "Vietnam, Cambodia", True),
        ("(laos OR cambodia) vietnam", "", "Vietnam, Thailand", False),
        ("Biển Đông", "", "East Sea", False),
    ],
)
def test_match_on_real_postgres(pg: psycopg.Connection, query: str, title: str, text: str, expected: bool) -> None:
    assert _matches(pg, query, title, text) is expected


def test_boost_query_prefers_adjacent_syllables(pg: psycopg.Connection) -> None:
    parsed = parse_query("thông tin đối ngoại")
    assert parsed.boost_tsquery is not None
    together = search_text_of("", "công tác thông tin đối ngoại")
    apart = search_text_of("", "đối tác cung cấp thông tin ngoại giao")
    sql = "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)"
    assert pg.execute(sql, (together, parsed.boost_tsquery)).fetchone() == (True,)
    assert pg.execute(sql, (apart, parsed.boost_tsquery)).fetchone() == (False,)
    assert pg.execute(sql, (apart, parsed.tsquery)).fetchone() == (True,)
    gap = parse_query("Hoàng Sa và Trường Sa")
    assert gap.boost_tsquery is not None
    text = search_text_of("", "quần đảo Hoàng Sa và Trường Sa")
    assert pg.execute(sql, (text, gap.boost_tsquery)).fetchone() == (True,)
