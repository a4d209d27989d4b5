"""Storage: PostgreSQL (embedded by default), tables, migrations and repositories."""

from __future__ import annotations

from ttdn.kb.narratives import NarrativeStore
from ttdn.settings import Settings
from ttdn.store.articles import ArticleStore, SavedBatch
from ttdn.store.db import Database, open_database
from ttdn.store.searches import SavedSearchStore
from ttdn.store.sources import SourceRecord, SourceStore
from ttdn.store.stories import StoryStore, StorySummary

__all__ = [
    "ArticleStore",
    "Database",
    "NarrativeStore",
    "SavedBatch",
    "SavedSearchStore",
    "SourceRecord",
    "SourceStore",
    "Store",
    "StoryStore",
    "StorySummary",
]


class Store:
    """The repositories over one database; ``Store.open(settings)`` is the usual way in."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.articles = ArticleStore(database.engine)
        self.sources = SourceStore(database.engine, default_cadence_minutes=settings.default_cadence_minutes)
        self.stories = StoryStore(database.engine)
        self.searches = SavedSearchStore(database.engine)
        self.narratives = NarrativeStore(database.engine)

    @classmethod
    def open(cls, settings: Settings) -> Store:
        return cls(open_database(settings), settings)

    def close(self) -> None:
        self.database.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
