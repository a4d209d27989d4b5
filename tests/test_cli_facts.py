"""The fact base from the command line, on the real embedded PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


@pytest.fixture
def ttdn(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path / "d")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ttdn.cli", "facts", *args], env=env, capture_output=True, text=True
        )

    return run


@pytest.mark.timeout(600)  # a dozen CLI processes, each importing the models' libraries
def test_fact_lifecycle_history_and_offline_bundle(ttdn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    added = ttdn("add", "--lang", "vi", "--title", "Quần đảo Hoàng Sa", "--author", "analyst-1",
                 "--body", "Việt Nam có đầy đủ bằng chứng lịch sử và cơ sở pháp lý về chủ quyền đối với Hoàng Sa.",
                 "--source", "https://mofa.example/hoang-sa")  # fmt: skip
    assert added.returncode == 0, added.stderr
    fact_id = str(json.loads(added.stdout)["id"])
    edited = ttdn("edit", fact_id, "--lang", "en", "--title", "Paracel Islands",
                  "--body", "Vietnam has full historical evidence and legal basis for its sovereignty.",
                  "--author", "analyst-2")  # fmt: skip
    assert json.loads(edited.stdout)["version"] == 2
    assert ttdn("search", "hoang sa").stdout.strip() == "[]"  # drafts are not found by default
    assert json.loads(ttdn("approve", fact_id, "--author", "editor").stdout)["status"] == "approved"
    shown = ttdn("show", fact_id).stdout
    assert "analyst-1" in shown and "analyst-2" in shown and "editor" in shown and "approved" in shown
    found = json.loads(ttdn("search", "hoang sa").stdout)
    assert [hit["id"] for hit in found] == [int(fact_id)]
    bundle = tmp_path / "bundle.sqlite"
    exported = ttdn("export", str(bundle), "--lang", "vi")
    assert exported.returncode == 0 and json.loads(exported.stdout)["facts"] == 1
    offline = json.loads(ttdn("search-bundle", str(bundle), "chu quyen hoang sa").stdout)
    assert [(hit["id"], hit["lang"]) for hit in offline] == [(int(fact_id), "vi")]
    refused = ttdn("approve", fact_id)  # already approved: not an allowed transition
    assert refused.returncode == 2 and " / " in refused.stderr and "Traceback" not in refused.stderr
    assert ttdn("retire", fact_id).returncode == 0
    assert json.loads(ttdn("search", "hoang sa").stdout) == []


@pytest.mark.timeout(600)
def test_document_import_and_bad_inputs(ttdn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = next(FIXTURES.glob("*.md"))
    first = json.loads(ttdn("import-doc", str(document)).stdout)
    again = json.loads(ttdn("import-doc", str(document)).stdout)
    assert first["document_id"] == again["document_id"] and first["passages"] > 0
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    bad_doc = ttdn("import-doc", str(fake))
    assert bad_doc.returncode == 2 and "Traceback" not in bad_doc.stderr
    empty = ttdn("add", "--lang", "vi", "--title", " ", "--body", "x")
    assert empty.returncode == 2 and "Traceback" not in empty.stderr
    bad_lang = ttdn("add", "--lang", "vietnamese", "--title", "t", "--body", "b")
    assert bad_lang.returncode == 2
    assert ttdn("list").stdout.count("draft") == 0  # nothing was stored half-done
    assert ttdn("show", "999999").returncode == 2
