"""The embedded PostgreSQL server: started under the data directory, sized from the machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ttdn.errors import ConfigError
from ttdn.store.server import TUNING_FILE, server_tuning

GIB = 2**30

# Starts the embedded server in its own process (it stops when the process exits) and prints
# what the server runs with, or the ConfigError message.
SHOW = """
import sys, psycopg
from pathlib import Path
from ttdn.errors import ConfigError
from ttdn.store.server import embedded_url
try:
    url = embedded_url(Path(sys.argv[1]), shared_buffers=sys.argv[2])
except ConfigError as exc:
    print("ConfigError:", exc)
    raise SystemExit(2)
with psycopg.connect(url) as conn:
    for name in ("shared_buffers", "shared_preload_libraries"):
        print(conn.execute("SELECT current_setting(%s)", (name,)).fetchone()[0])
"""


def start(data_dir: Path, shared_buffers: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SHOW, str(data_dir), shared_buffers],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.parametrize(
    ("memory", "data", "setting", "buffers", "cache"),
    [
        (24 * GIB, 0, "auto", "6144MB", "12288MB"),  # a quarter of the memory
        (24 * GIB, 4 * GIB, "auto", "6144MB", "12288MB"),  # the quarter holds the data
        (24 * GIB, 8 * GIB, "auto", "10240MB", "12288MB"),  # grows: a quarter more than the data
        (24 * GIB, 40 * GIB, "auto", "12288MB", "12288MB"),  # up to half the memory
        (256 * 2**20, 0, "auto", "128MB", "128MB"),  # never below PostgreSQL's own default
        (512 * GIB, 0, "auto", "32768MB", "262144MB"),  # at most 32 GB
        (24 * GIB, 40 * GIB, "2GB", "2048MB", "12288MB"),  # a size given is taken as it is
        (24 * GIB, 0, "512MB", "512MB", "12288MB"),
    ],
)
def test_tuning_follows_the_memory_the_data_and_the_setting(
    memory: int, data: int, setting: str, buffers: str, cache: str
) -> None:
    tuning = server_tuning(setting, memory_bytes=memory, data_bytes=data)
    assert tuning["shared_buffers"] == buffers
    assert tuning["effective_cache_size"] == cache
    assert tuning["shared_preload_libraries"] == "pg_prewarm"


@pytest.mark.parametrize("setting", ["lots", "2 GB", "0MB", "-1GB", "2G"])
def test_a_bad_size_is_refused(setting: str) -> None:
    with pytest.raises(ConfigError, match="TTDN_PG_SHARED_BUFFERS"):
        server_tuning(setting)


@pytest.mark.timeout(600)
def test_the_embedded_server_starts_with_its_tuning_and_applies_a_change_at_the_next_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = start(data_dir, "160MB")
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.split() == ["160MB", "pg_prewarm"]  # a new data directory: restarted once to apply
    assert "shared_buffers = '160MB'" in (data_dir / "pg" / TUNING_FILE).read_text(encoding="utf-8")

    second = start(data_dir, "192MB")  # the first process stopped the server on exit
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.split() == ["192MB", "pg_prewarm"]

    # a size PostgreSQL refuses: a clear error naming the setting and the log, not a trace
    refused = start(data_dir, "64TB")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "ConfigError: the embedded PostgreSQL did not start" in refused.stdout
    assert "TTDN_PG_SHARED_BUFFERS=64TB" in refused.stdout
    assert "Traceback" not in refused.stdout

    # and a good value afterwards starts it again, with the data directory intact
    again = start(data_dir, "128MB")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.split() == ["128MB", "pg_prewarm"]


def test_the_doctor_advises_a_buffer_cache_that_holds_the_database() -> None:
    from ttdn.doctor import buffer_cache_check

    small = buffer_cache_check(200 * 2**20, 6 * GIB, embedded=True)
    assert small.ok and "0.2 GB database" in small.detail and "read the disk" not in small.detail
    big = buffer_cache_check(int(10.4 * GIB), 6 * GIB, embedded=True)
    assert big.ok  # advice, not a failure
    assert "searches will read the disk" in big.detail and "TTDN_PG_SHARED_BUFFERS=13GB" in big.detail
    external = buffer_cache_check(int(10.4 * GIB), 6 * GIB, embedded=False)
    assert "raise shared_buffers toward 13GB" in external.detail


RESTART = """
import sys, psycopg
from pathlib import Path
from ttdn.store.server import embedded_url, restart

def show(url):
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW shared_buffers").fetchone()[0]

data_dir = Path(sys.argv[1])
print(show(embedded_url(data_dir, shared_buffers="160MB")))
url = embedded_url(data_dir, shared_buffers="224MB")  # running: the new value waits
print(show(url))
restart(data_dir)
print(show(url))
"""


@pytest.mark.timeout(600)
def test_a_changed_size_waits_for_a_restart(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", RESTART, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.split() == ["160MB", "160MB", "224MB"]


def test_the_data_size_is_what_the_databases_take(tmp_path: Path) -> None:
    from ttdn.store.server import data_size

    assert data_size(tmp_path / "pg") == 0  # before the first start
    for folder, name, size in (("1", "16384", 1000), ("1", "16384.1", 500), ("5", "2619", 24)):
        (tmp_path / "pg" / "base" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "pg" / "base" / folder / name).write_bytes(b"\0" * size)
    (tmp_path / "pg" / "pg_wal").mkdir()
    (tmp_path / "pg" / "pg_wal" / "000000010000000000000001").write_bytes(b"\0" * 4096)  # not data
    assert data_size(tmp_path / "pg") == 1524


HOLD = """
import sys, time
from pathlib import Path
from ttdn.store.server import embedded_url
embedded_url(Path(sys.argv[1]))
print("up", flush=True)
time.sleep(600)
"""


def _server_running(pgdata: Path) -> bool:
    import psutil

    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    return psutil.pid_exists(int(pid_file.read_text().split()[0]))


@pytest.mark.timeout(600)
def test_a_killed_process_does_not_keep_the_server_forever(tmp_path: Path) -> None:
    import signal

    data_dir = tmp_path / "data"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(data_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "up"
        holder.send_signal(signal.SIGKILL)  # no exit hook runs: its pid stays on the server's list
        holder.wait(30)
        assert _server_running(data_dir / "pg")
        later = start(data_dir, "auto")  # a later process uses the server and exits normally
        assert later.returncode == 0, later.stdout + later.stderr
        assert not _server_running(data_dir / "pg")  # the last live user stopped it
    finally:
        holder.kill()
        if _server_running(data_dir / "pg"):  # never leave a server behind
            import psutil

            psutil.Process(int((data_dir / "pg" / "postmaster.pid").read_text().split()[0])).terminate()
