"""Foreign (non-Python) agents for end-to-end tests: install their dependencies once, run them as real processes.

`js_agent` (session fixture) makes `tests/foreign/js_agent/` runnable: it runs `npm ci` there once (under a
file lock, so concurrent test runs do not race) and skips it when `node_modules` already matches the lock
file; it fails the test with a readable message when Node.js or npm is missing. `process` runs any command as
an agent on a port, waits for its card and always stops it (the generic sibling of `processes.agent_process`,
which runs only `python`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.processes import ROOT, wait_for_card

JS_AGENT_DIR = ROOT / "tests" / "foreign" / "js_agent"
LOCK_DIR = ROOT / ".data"  # gitignored
INSTALL_TIMEOUT = 170.0  # the first install must stay well under 3 minutes
STAMP = ".switchboard-installed"  # inside node_modules: the hash of the lock file it was installed from
MIN_NODE_MAJOR = 20  # @a2a-js/sdk 1.x declares engines.node >= 20


@dataclass(frozen=True)
class NodeAgent:
    """A Node.js agent script whose dependencies are installed; `command(port)` starts it on that port."""

    node: str
    script: Path

    def command(self, port: int) -> list[str]:
        return [self.node, str(self.script), str(port)]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"`{name}` is not on PATH: the foreign-agent tests run an agent built with the official A2A "
            f"JavaScript SDK and need Node.js >= {MIN_NODE_MAJOR} with npm (e.g. `apt-get install nodejs npm`)",
            pytrace=False,
        )
    return path


def _check_node_version(node: str) -> None:
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    major = version.lstrip("v").split(".", 1)[0]
    if not major.isdigit() or int(major) < MIN_NODE_MAJOR:
        pytest.fail(f"Node.js {version or '(unknown version)'} is too old: need >= {MIN_NODE_MAJOR}", pytrace=False)


def _lock_hash(directory: Path) -> str:
    return hashlib.sha256((directory / "package-lock.json").read_bytes()).hexdigest()


def installed(directory: Path) -> bool:
    """Whether `directory/node_modules` is a complete install of the current lock file."""
    stamp = directory / "node_modules" / STAMP
    return stamp.is_file() and stamp.read_text().strip() == _lock_hash(directory)


def npm_install(directory: Path, npm: str) -> None:
    """`npm ci` in `directory` unless its node_modules is already complete; fails the test on an npm error."""
    LOCK_DIR.mkdir(exist_ok=True)
    with open(LOCK_DIR / f"npm-{directory.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test run may be installing the same directory
        if installed(directory):
            return
        args = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
        try:
            done = subprocess.run(args, cwd=directory, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"`npm ci` in {directory} took longer than {INSTALL_TIMEOUT:.0f} s", pytrace=False)
        if done.returncode != 0:
            pytest.fail(f"`npm ci` in {directory} failed ({done.returncode}):\n{done.stderr[-3000:]}", pytrace=False)
        (directory / "node_modules" / STAMP).write_text(_lock_hash(directory))


@pytest.fixture(scope="session")
def js_agent() -> NodeAgent:
    """The agent built with `@a2a-js/sdk`, its npm dependencies installed (once per machine and lock file)."""
    node, npm = _tool("node"), _tool("npm")
    _check_node_version(node)
    npm_install(JS_AGENT_DIR, npm)
    return NodeAgent(node=node, script=JS_AGENT_DIR / "agent.mjs")


@contextlib.contextmanager
def process(
    cmd: Sequence[str], port: int, env: Mapping[str, str] | None = None, *, wait: bool = True
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `cmd` (an agent that serves on 127.0.0.1:`port`), wait for its card, yield it, stop it on exit.

    Its output goes to a temporary file whose tail is part of the error when it dies before answering.
    """
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(list(cmd), cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=log)
        try:
            if wait:
                try:
                    wait_for_card(f"http://127.0.0.1:{port}", proc)
                except (RuntimeError, TimeoutError) as exc:
                    log.seek(0)
                    tail = log.read()[-2000:].decode(errors="replace")
                    raise RuntimeError(f"{' '.join(cmd)}: {exc}\n{tail}") from None
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
