"""Run the whole network locally as separate processes: every worker, then the orchestrator.

`LocalNetwork` starts each agent with the same Python (`python -m agents.<name>`, `python -m
orchestrator_agent`), logs each to `<data_dir>/logs/<name>.log`, waits until every card answers, and stops
them all (SIGTERM, then SIGKILL after a grace period) on exit, so no process outlives it.

Authenticated by default (`secure`): each run generates a token per worker (held by the orchestrator, sent only
to that worker) and a caller token for the orchestrator (`token`: what `switchboard ask` needs), so nothing on
the machine can use the agents without it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from agents.registry import WORKERS

CARD_PATH = "/.well-known/agent-card.json"


def new_token() -> str:
    """A random bearer token that never starts with "-", so `switchboard ask --token TOKEN` cannot read it as
    an option (one `token_urlsafe` in 64 does)."""
    while (token := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return token


class NetworkError(Exception):
    pass


def free_ports(count: int) -> list[int]:
    """Ports the OS reports free right now (bound then released)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _bindable(host: str, port: int) -> bool:
    """Nothing listens on `port` (bound as servers bind, so connections in TIME_WAIT do not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


@dataclass
class Agent:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] | None = field(repr=False, default=None)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class LocalNetwork:
    port: int = 8000
    data_dir: Path = Path(".data")
    workers: Sequence[str] = WORKERS
    worker_ports: Sequence[int] | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    host: str = "127.0.0.1"
    secure: bool = True
    agents: list[Agent] = field(default_factory=list)
    token: str = field(default="", repr=False)  # the caller token of the orchestrator (empty unless `secure`)
    worker_tokens: dict[str, str] = field(default_factory=dict, repr=False)  # worker URL -> its token

    @property
    def orchestrator_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def dashboard_url(self) -> str:
        """The orchestrator's dashboard, with the caller token in the fragment (the browser never sends it)."""
        return f"{self.orchestrator_url}/ui" + (f"#token={self.token}" if self.token else "")

    def _spawn(self, name: str, module: str, port: int, extra_env: Mapping[str, str]) -> Agent:
        logs = self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log_path = logs / f"{name}.log"
        log = log_path.open("wb")
        env = {
            **self.env,
            "SWITCHBOARD_HOST": self.host,
            "SWITCHBOARD_PORT": str(port),
            "SWITCHBOARD_DATA_DIR": str(self.data_dir),
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        env.pop("SWITCHBOARD_PUBLIC_URL", None)
        process = subprocess.Popen([sys.executable, "-m", module], stdout=log, stderr=subprocess.STDOUT, env=env)
        return Agent(name, f"http://{self.host}:{port}", process, log_path, log)

    def start(self, timeout: float = 60.0) -> None:
        ports = list(self.worker_ports or range(self.port + 1, self.port + 1 + len(self.workers)))
        taken = [p for p in (self.port, *ports) if not _bindable(self.host, p)]
        if taken:  # else an agent left over from an earlier run would answer for ours (with other tokens)
            raise NetworkError(
                f"port{'s' if len(taken) > 1 else ''} {', '.join(map(str, taken))} on {self.host} already in use "
                "(is another `switchboard up` still running?); stop it or pass another --port"
            )
        worker_tokens = self.worker_tokens
        worker_tokens.clear()
        try:
            for name, port in zip(self.workers, ports, strict=True):
                extra: dict[str, str] = {}
                if self.secure:
                    worker_tokens[f"http://{self.host}:{port}"] = new_token()
                    extra["SWITCHBOARD_AUTH_TOKENS"] = f"orchestrator:{worker_tokens[f'http://{self.host}:{port}']}"
                self.agents.append(self._spawn(name, f"agents.{name}", port, extra))
            self.wait_ready(timeout)  # workers first, so the orchestrator discovers all of them at start-up
            orchestrator_env = {"SWITCHBOARD_AGENTS": ",".join(a.url for a in self.agents)}
            if self.secure:
                self.token = new_token()
                orchestrator_env["SWITCHBOARD_AUTH_TOKENS"] = f"local:{self.token}"
                orchestrator_env["SWITCHBOARD_AGENT_TOKENS"] = ",".join(f"{u}={t}" for u, t in worker_tokens.items())
            self.agents.append(self._spawn("orchestrator", "orchestrator_agent", self.port, orchestrator_env))
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = list(self.agents)
        with httpx.Client(timeout=2.0) as http:
            while pending:
                agent = pending[0]
                if agent.process.poll() is not None:
                    raise NetworkError(f"{agent.name} exited with code {agent.process.returncode}:\n{agent.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if http.get(agent.url + CARD_PATH).status_code == 200:
                        pending.pop(0)
                        continue
                if time.monotonic() > deadline:
                    raise NetworkError(f"{agent.name} did not answer at {agent.url} within {timeout:g} s")
                time.sleep(0.05)

    def stop(self, grace: float = 5.0) -> None:
        for agent in reversed(self.agents):
            if agent.process.poll() is None:
                agent.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for agent in self.agents:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                agent.process.wait(remaining)
            except subprocess.TimeoutExpired:
                agent.process.kill()
                agent.process.wait()
            if agent._log is not None:
                agent._log.close()
        self.agents.clear()

    @contextlib.contextmanager
    def running(self, timeout: float = 60.0) -> Iterator[LocalNetwork]:
        self.start(timeout)
        try:
            yield self
        finally:
            self.stop()
