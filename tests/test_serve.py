"""``ttdn serve`` as a user runs it: embedded PostgreSQL by default, scheduler inside."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from ttdn.records import SourceSpec
from ttdn.store import Store
from ttdn.web.accounts import AccountStore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(env: dict[str, str], *args: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TTDN_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ttdn.cli", "serve", "--port", str(port), *args],
        env={**clean, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited: {process.stdout.read()}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("serve did not answer in time")


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    return output


def test_serve_starts_and_stops_the_embedded_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "ttdn-data"
    process, base = serve({"TTDN_DATA_DIR": str(data_dir)}, "--no-scheduler")
    try:
        health = httpx.get(f"{base}/health").json()
        assert health["status"] == "ok" and health["embedded"] is True and health["articles"] == 0
        assert (data_dir / "pg" / "PG_VERSION").exists()
        assert (data_dir / "pg" / "postmaster.pid").exists()
        # first start: an admin account with a generated password, kept in the data directory
        password = (data_dir / "initial-admin-password").read_text().strip()
        with httpx.Client(base_url=base) as client:
            assert client.get("/openapi.json").status_code == 401
            page = client.get("/login")
            token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
            login = client.post("/login", data={"username": "admin", "password": password, "csrf_token": token})
            assert login.status_code == 303
            assert client.get("/openapi.json").json()["info"]["title"] == "TTĐN"
            assert client.get("/api/articles/12345").status_code == 404
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    deadline = time.monotonic() + 15
    while (data_dir / "pg" / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (data_dir / "pg" / "postmaster.pid").exists(), "the embedded server was not stopped"


def test_scheduler_inside_serve_collects_due_sources(
    store: Store, database_url: str, tmp_path: Path, fixture_server: Any
) -> None:
    store.sources.add([SourceSpec(url=fixture_server.url("/feeds/vi.rss"), name="vi", kind="feed", lang="vi")])
    accounts = AccountStore(store.database.engine)
    accounts.add("may-doc", "mat-khau-cua-script", role="viewer")
    auth = {"Authorization": f"Bearer {accounts.create_token('may-doc', 'test')}"}
    process, base = serve({"TTDN_DATABASE_URL": database_url, "TTDN_DATA_DIR": str(tmp_path), "TTDN_HOST_DELAY": "0"})
    try:
        deadline = time.monotonic() + 60
        while store.articles.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert store.articles.count() == 2
        [source] = httpx.get(f"{base}/api/sources", headers=auth).json()
        assert source["items_collected"] == 2 and source["healthy"] is True
        titles = [a["title"] for a in httpx.get(f"{base}/api/articles", headers=auth).json()]
        assert len(titles) == 2 and all(titles)
        deadline = time.monotonic() + 90  # the worker then analyses them
        while time.monotonic() < deadline and any(
            httpx.get(f"{base}/api/articles/{a['id']}", headers=auth).json()["enriched_at"] is None
            for a in httpx.get(f"{base}/api/articles", headers=auth).json()
        ):
            time.sleep(0.5)
        article = httpx.get(
            f"{base}/api/articles/{httpx.get(f'{base}/api/articles', headers=auth).json()[0]['id']}", headers=auth
        ).json()
        assert article["enriched_at"] is not None and article["relevance"] > 0.5
        found = httpx.get(f"{base}/api/search", params={"q": "ha long", "vector": "false"}, headers=auth).json()
        assert found["lexical_matches"] == 1 and "Hạ Long" in found["hits"][0]["title"]
        assert "<mark>" in " ".join(found["hits"][0]["passages"])
        refused = httpx.get(f"{base}/api/search", params={"q": '"unbalanced'}, headers=auth)
        assert refused.status_code == 400 and "/" in refused.json()["detail"]
    finally:
        stop(process)
