"""Stage: NFC, one Vietnamese tone-mark placement, clean whitespace; reject empty articles."""

from __future__ import annotations

from ttdn.records import Article, Rejection
from ttdn.text.normalize import normalize_text

__all__ = ["normalise"]


def normalise(articles: list[Article]) -> tuple[list[Article], list[Rejection]]:
    kept: list[Article] = []
    rejected: list[Rejection] = []
    for article in articles:
        raw = article.raw
        article.title_norm = normalize_text(raw.title or "").strip()
        article.text_norm = normalize_text(raw.text or "").strip()
        if not article.title_norm and not article.text_norm:
            rejected.append(Rejection(origin=raw.origin, reason="no title and no text", kind="bad_content"))
            continue
        kept.append(article)
    return kept, rejected
