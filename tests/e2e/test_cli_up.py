"""`switchboard up` as a user runs it: a real process that starts every agent, says Ready, and on Ctrl-C
(SIGINT) stops them all and exits 0, leaving no agent behind."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import ROOT, free_ports

pytestmark = pytest.mark.timeout(90)

CARD = "/.well-known/agent-card.json"
AGENTS = 6  # the orchestrator on P, the five built-in workers on P+1..P+5


def _bindable(port: int) -> bool:
    """Nothing listens on `port` (SO_REUSEADDR, as servers bind: TIME_WAIT leftovers do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_block(size: int, tries: int = 50) -> int:
    """A port P such that P..P+size-1 are all free right now."""
    for _ in range(tries):
        (start,) = free_ports(1)
        if start + size <= 65535 and all(_bindable(start + i) for i in range(size)):
            return start
    raise RuntimeError(f"no block of {size} free ports found")


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}{CARD}", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def _up(port: int, data_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestrator_agent.cli", "up", "--port", str(port), "--data-dir", str(data_dir)],
        cwd=ROOT,
        # -u equivalent: a pipe is block-buffered, and the test reads "Ready" as it is printed
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:  # the test failed before stopping it: do not leave it running
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _read_until(process: subprocess.Popen[bytes], marker: str, timeout: float) -> str:
    """Everything the process printed up to `marker`; fails if it exits first or after `timeout`.

    Reads the raw pipe (os.read), since a buffered reader could hold lines back from the selector."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    output = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while marker.encode() not in output:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {marker!r} within {timeout} s; output:\n{output.decode(errors='replace')}")
            if selector.select(remaining):
                chunk = os.read(fd, 65536)
                if not chunk:
                    text = output.decode(errors="replace")
                    raise RuntimeError(f"exited with {process.wait()} before {marker!r}:\n{text}")
                output += chunk
    return output.decode(errors="replace")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_up_starts_every_agent_and_ctrl_c_stops_them_all(tmp_path: Path, stop: signal.Signals) -> None:
    port = _free_block(AGENTS)
    ports = [port + i for i in range(AGENTS)]
    with _up(port, tmp_path / "data") as process:
        printed = _read_until(process, "Ready", timeout=60)
        for name in ("orchestrator", "calculator", "text_analyst", "data_analyst", "librarian", "writer"):
            assert name in printed, printed
        assert [p for p in ports if not _answers(p)] == [], "every agent answers once up says Ready"
        process.send_signal(stop)  # Ctrl-C, or `kill` / a service manager: neither may leave an agent behind
        try:
            rest = process.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            pytest.fail(f"switchboard up did not exit within 20 s of {stop.name}")
    assert process.returncode == 0, rest
    assert "Stopping" in rest
    assert [p for p in ports if _answers(p)] == [], "an agent outlived switchboard up"
    assert all(_bindable(p) for p in ports), "a port is still held after switchboard up exited"


def test_up_refuses_ports_already_in_use_instead_of_saying_ready(tmp_path: Path) -> None:
    """An agent left over from an earlier run (or any server) on one of the ports would answer the readiness
    probe for ours: `up` must say which port is taken and start nothing."""
    port = _free_block(AGENTS)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port + 3))
        squatter.listen()
        with _up(port, tmp_path / "data") as process:
            out = process.communicate(timeout=30)[0].decode(errors="replace")
    assert process.returncode == 1, out
    assert f"{port + 3}" in out and "already in use" in out, out
    assert "Ready" not in out
    assert [p for p in range(port, port + AGENTS) if p != port + 3 and _answers(p)] == []
