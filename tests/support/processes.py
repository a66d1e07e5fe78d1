"""Start real agent processes for end-to-end tests, wait until their card answers, and always stop them."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import httpx

from orchestrator_agent.network import free_ports

ROOT = Path(__file__).resolve().parents[2]


def wait_for_card(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0) as http:
        while True:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"process for {url} exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if http.get(url + "/.well-known/agent-card.json").status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not come up within {timeout} s")
            time.sleep(0.05)  # ok-sleep: readiness poll with a deadline


@contextlib.contextmanager
def agent_process(
    args: Sequence[str], port: int, env: Mapping[str, str] | None = None, wait: bool = True
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `python <args>` from the repository root; yields the process; kills it on exit."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if wait:
            wait_for_card(f"http://127.0.0.1:{port}", process)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def scripted(
    port: int,
    *,
    skill: str = "slow_echo",
    mode: str = "ok",
    delay: float = 0.0,
    name: str = "scripted",
    extra_skills: Sequence[str] = (),
    gate: int = 0,
) -> list[str]:
    args = [
        "-m",
        "tests.support.scripted_agent",
        "--port",
        str(port),
        "--name",
        name,
        "--mode",
        mode,
        "--delay",
        str(delay),
        "--skill",
        skill,
        "--gate",
        str(gate),
    ]
    for s in extra_skills:
        args += ["--skill", s]
    return args


def seen(port: int) -> dict[str, dict[str, object]]:
    result: dict[str, dict[str, object]] = httpx.get(f"http://127.0.0.1:{port}/seen", timeout=5).json()
    return result


def peak_concurrency(port: int) -> int:
    """How many tasks the scripted agent on `port` ran at once, at most."""
    peak: int = httpx.get(f"http://127.0.0.1:{port}/concurrency", timeout=5).json()["peak"]
    return peak


__all__ = ["agent_process", "free_ports", "peak_concurrency", "scripted", "seen", "wait_for_card"]
