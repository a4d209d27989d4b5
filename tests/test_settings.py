"""Settings: declared once, validated at start, documented (docs/settings.md kept in step)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from ttdn.settings import DEFAULT_LANGUAGES, Settings, settings_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_docs_list_every_setting_exactly_as_declared() -> None:
    assert settings_markdown() in DOCS.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`TTDN_{name.upper()}`" in DOCS.read_text(encoding="utf-8")


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TTDN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TTDN_LANGUAGES", "vi, EN ,fr")
    monkeypatch.setenv("TTDN_HOST_DELAY", "2.5")
    settings = Settings()
    assert settings.data_dir == tmp_path
    assert settings.languages == ["vi", "en", "fr"]
    assert settings.host_delay == 2.5


def test_languages_as_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_LANGUAGES", '["vi","zh"]')
    assert Settings().languages == ["vi", "zh"]


def test_defaults_cover_the_required_languages() -> None:
    required = {
        "vi",
        "en",
        "fr",
        "zh",
        "ru",
        "ja",
        "ko",
        "de",
        "es",
        "th",
        "lo",
        "km",
        "id",
        "ms",
        "pt",
        "it",
        "ar",
    }
    assert required <= set(DEFAULT_LANGUAGES)
    assert Settings().database_url is None  # embedded by default


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("languages", ["vi", "english"], "ISO 639-1"),
        ("languages", [], "at least one language"),
        ("database_url", "mysql://x/y", "postgresql://"),
        ("host_delay", -1, "greater than or equal"),
        ("max_response_bytes", 0, "greater than 0"),
        ("port", 70000, "less than 65536"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(name: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**{name: value})  # type: ignore[arg-type]
