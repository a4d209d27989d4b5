"""Stage: identify each article's language among the configured ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ttdn.records import Article, Rejection
from ttdn.text.langid import get_identifier

__all__ = ["identify_language"]

SAMPLE_CHARS = 1000


def identify_language(
    languages: Sequence[str],
) -> Callable[[list[Article]], tuple[list[Article], list[Rejection]]]:
    identifier = get_identifier(tuple(languages))

    def stage(articles: list[Article]) -> tuple[list[Article], list[Rejection]]:
        samples = [f"{a.title_norm}\n{a.text_norm[:SAMPLE_CHARS]}" for a in articles]
        declared = [a.raw.lang_hint for a in articles]
        for article, (lang, confidence) in zip(articles, identifier.detect_many(samples, declared), strict=True):
            article.lang, article.lang_confidence = lang, confidence
        return articles, []

    return stage
