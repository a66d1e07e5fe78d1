"""A real PostgreSQL server for tests: Debian's binaries, our own throw-away cluster, one per test session.

`postgres_server` (session fixture) finds the server binaries under `/usr/lib/postgresql/*/bin`, installing
Debian's `postgresql` package with apt-get if they are missing (idempotent; the package's own cluster is never
used), then runs `initdb` and `postgres` as the unprivileged `postgres` user (PostgreSQL refuses to run as root)
in a temporary directory: TCP on 127.0.0.1 at a free port plus a unix socket in that directory, durability off
(fsync, synchronous_commit, full_page_writes) for speed. It waits by polling `pg_isready` with a deadline and
stops the server (`pg_ctl stop -m immediate`) and removes the directory at session end.

`pg_url` (function fixture) creates a fresh database per test and returns its `postgresql+asyncpg://` URL.

If the server cannot be installed or started, every test using it is skipped with the reason (also printed),
within the deadlines below: nothing here waits without one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from orchestrator_agent.network import free_ports
from tests.support.debian import apt_install

PG_USER = "postgres"
INSTALL_TIMEOUT = 300.0
START_TIMEOUT = 30.0


class PostgresUnavailable(Exception):
    """The server could not be installed or started; the message says why."""


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://{self.user}@{self.host}:{self.port}/{database}"

    async def create_database(self, name: str) -> str:
        """Create database `name`; returns its SQLAlchemy async URL."""
        conn = await asyncpg.connect(host=self.host, port=self.port, user=self.user, database="postgres")
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)


def _run(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env)


def find_bin_dir() -> Path | None:
    """The newest installed server's bin directory, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def install_server() -> Path:
    """The server binaries, installing Debian's package if they are missing. Raises PostgresUnavailable."""
    bin_dir = find_bin_dir()
    if bin_dir is not None:
        return bin_dir
    problem = apt_install("postgresql", timeout=INSTALL_TIMEOUT)
    if problem:
        raise PostgresUnavailable(f"PostgreSQL is not installed and could not be installed: {problem}")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/postgres exists")
    return bin_dir


def _as_pg_user(cmd: list[str]) -> list[str]:
    """Run as the `postgres` user when we are root (the server refuses root); as ourselves otherwise."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root, but runuser (to drop to the postgres user) is missing")
    return [runuser, "-u", PG_USER, "--", *cmd]


def _pg_user() -> str:
    return PG_USER if os.geteuid() == 0 else os.environ.get("USER", "postgres")


def start_server(bin_dir: Path, root: Path) -> PostgresServer:
    """initdb + postgres in `root`; returns once it accepts connections. Raises PostgresUnavailable."""
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, PG_USER)
        shutil.chown(sock, PG_USER)
    user = _pg_user()
    done = _run(_as_pg_user([str(bin_dir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8"]), 60)
    if done.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
    port = free_ports(1)[0]
    options = (
        f"-h 127.0.0.1 -p {port} -k {sock} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c max_connections=200"
    )
    log = root / "server.log"
    done = _run(_as_pg_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "start"]), 60)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr.strip()[-300:]} {tail}")
    _wait_ready(bin_dir, port, user)
    return PostgresServer("127.0.0.1", port, user)


def _wait_ready(bin_dir: Path, port: int, user: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        cmd = [str(bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d", "postgres"]
        if _run(cmd, 10).returncode == 0:
            return
        if time.monotonic() > deadline:
            raise PostgresUnavailable(f"the server did not accept connections within {START_TIMEOUT:.0f} s")
        time.sleep(0.05)  # ok-sleep: readiness poll with a deadline


def stop_server(bin_dir: Path, root: Path) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        _run(_as_pg_user([str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "stop", "-m", "immediate"]), 30)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running server for the session; skips (with the reason) the tests using it if there can be none."""
    root = Path(tempfile.mkdtemp(prefix="switchboard-pg-"))
    try:
        bin_dir = install_server()
        server = start_server(bin_dir, root)
    except PostgresUnavailable as exc:
        shutil.rmtree(root, ignore_errors=True)
        print(f"\nPostgreSQL unavailable, skipping its tests: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield server
    finally:
        stop_server(bin_dir, root)


@pytest.fixture
async def pg_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server: its `postgresql+asyncpg://` URL."""
    return await postgres_server.create_database(f"t_{uuid.uuid4().hex[:16]}")
