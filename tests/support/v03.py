"""A separate virtualenv with a2a-sdk 0.3 (the last 0.3 release), for tests that need a REAL protocol-0.3 client
or server: the 1.x SDK in our own venv cannot play that part.

The venv lives under `.data/venv-a2a03` (gitignored). It is created on first use (about 20 s from PyPI) and
reused while its marker file matches the pinned requirements; a file lock keeps concurrent test runs from
building it twice. `run_v03` runs one of the scripts in `tests/foreign/` with it and returns its JSON output.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.processes import wait_for_card

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".data" / "venv-a2a03"
FOREIGN = ROOT / "tests" / "foreign"
REQUIREMENTS = ("a2a-sdk[http-server]==0.3.26", "uvicorn==0.54.0", "httpx==0.28.1")
INSTALL_TIMEOUT = 170.0


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_v03_python() -> Path:
    """The venv's python, installing the venv first when it is missing or pinned differently."""
    python = VENV / "bin" / "python"
    marker = VENV / "switchboard-requirements.txt"
    wanted = "\n".join(REQUIREMENTS)
    with _locked(VENV.parent / "venv-a2a03.lock"):
        if python.exists() and marker.exists() and marker.read_text() == wanted:
            return python
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=60)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"installing {REQUIREMENTS} into {VENV} failed:\n{done.stderr[-3000:]}")
        marker.write_text(wanted)
    return python


def v03_script(name: str) -> str:
    return str(FOREIGN / name)


def run_v03(python: Path, script: str, *args: str, timeout: float = 60.0) -> Any:
    """Run `tests/foreign/<script>` under the 0.3 venv; its last stdout line is JSON, returned parsed."""
    done = subprocess.run(
        [str(python), v03_script(script), *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def v03_agent(python: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Run `tests/foreign/v03_agent.py` (the a2a-sdk 0.3 worker) on `port` until the block exits."""
    process = subprocess.Popen(
        [str(python), v03_script("v03_agent.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_card(f"http://127.0.0.1:{port}", process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
