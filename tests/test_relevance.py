"""Relevance: title and lead weigh more than a passing mention; the formula stays in [0, 1]."""

from __future__ import annotations

from ttdn.understand import relevance_score
from ttdn.understand.relevance import BIAS, FEATURES, WEIGHTS, RelevanceResult

FILLER = "The central bank kept its rate unchanged and exporters of rubber and rice reported weak demand. " * 30


def test_title_about_vietnam_is_relevant() -> None:
    result = relevance_score("Vietnam's exports hit record", "Shipments from Hanoi and Da Nang grew fast.")
    assert isinstance(result, RelevanceResult)
    assert result.score > 0.9
    assert result.relevant
    assert result.countries == ["VN"]
    assert result.provinces == ["Hà Nội", "Đà Nẵng"]
    assert result.in_title == 1


def test_passing_mention_in_long_text_is_not() -> None:
    text = "Thailand's economy slowed. " + FILLER + "Some firms moved to Vietnam. " + FILLER + "Bangkok and Thailand."
    result = relevance_score("Thai economy slows", text)
    assert result.score < 0.2
    assert "VN" in result.countries and "TH" in result.countries


def test_lead_counts_more_than_the_tail() -> None:
    early = relevance_score("Economy", "Vietnam's growth. " + FILLER)
    late = relevance_score("Economy", FILLER + "Vietnam's growth.")
    assert early.score > late.score


def test_share_of_other_countries_lowers_the_score() -> None:
    alone = relevance_score("Sea tensions", "Vessels near the Paracels and in the South China Sea.")
    crowded = relevance_score(
        "Philippines protests", "Vessels in the South China Sea: the Philippines, China, the US and Japan disagree."
    )
    assert alone.score > crowded.score


def test_offsets_of_title_and_text_mentions() -> None:
    title, text = "Đà Nẵng đón khách", "Khách đến Đà Nẵng và Huế."
    result = relevance_score(title, text)
    title_part, text_part = result.mentions[: result.in_title], result.mentions[result.in_title :]
    assert [title[m.start : m.end] for m in title_part] == ["Đà Nẵng"]
    assert [text[m.start : m.end] for m in text_part] == ["Đà Nẵng", "Huế"]


def test_empty_article() -> None:
    result = relevance_score("", "")
    assert 0.0 <= result.score < 0.1
    assert result.mentions == []


def test_parameters_in_one_place() -> None:
    assert set(WEIGHTS) == set(FEATURES)
    assert BIAS < 0
