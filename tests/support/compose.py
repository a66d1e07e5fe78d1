"""Boot the default profile of a compose file as local processes, without a container engine.

`booted(compose_file, env, workdir)` parses the file with PyYAML (anchors and `<<` merge keys resolved),
interpolates `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$VAR` and `$$`
from `env` (what `.env` would hold) over the whole file, as compose does, keeps the services without
`profiles`, and runs each one's `command` with its `environment` (and nothing of this process's environment
but PATH and HOME), in `depends_on` order: before a service starts, every dependency is started
(`service_started`), passes its healthcheck (`service_healthy`) or has exited 0
(`service_completed_successfully`). It returns once every service with a healthcheck passes it. On exit every
process gets SIGTERM, then SIGKILL after a grace period; each one's output is in `workdir/logs/<service>.log`
and failures quote its tail.

Since every service listens on the same port inside its own container, the booter translates, and this is all
it translates:
- addresses: each service gets its own free loopback port (`SWITCHBOARD_HOST=127.0.0.1`,
  `SWITCHBOARD_PORT=<port>`), and in every environment value `http://<service>:<its SWITCHBOARD_PORT>` becomes
  `http://127.0.0.1:<port>`, as does `http://localhost:<host port>` (or 127.0.0.1) for a port it publishes;
- volumes: the mount target of a named volume (e.g. `/data`) becomes one temporary directory per volume (shared
  by the services that mount it, as a volume is), in every environment value;
- the image: `python` is this interpreter (`sys.executable`), whose directory leads PATH (as the image's venv
  does), and processes run from the repository root (the image's /app: same code and agent cards).
Commands, environment values, dependencies and healthcheck commands are otherwise run exactly as written, so a
mistake in any of them fails here as it would in a deployment. Unsupported constructs (bind mounts, a service
without `command`, healthchecks that are not `CMD`/`CMD-SHELL`) raise `ComposeError` rather than being guessed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml  # type: ignore[import-untyped]

from orchestrator_agent.network import free_ports

ROOT = Path(__file__).resolve().parents[2]
_VAR = r"[_a-zA-Z][_a-zA-Z0-9]*"
_PATTERN = re.compile(
    rf"\$(?:(?P<escaped>\$)|(?P<named>{_VAR})|{{(?P<braced>{_VAR})(?:(?P<sep>:?[-?])(?P<arg>[^}}]*))?}}|)"
)
_URL = re.compile(r"http://([A-Za-z0-9._-]+):(\d+)(?!\d)")


class ComposeError(Exception):
    """The compose file cannot be booted as written: the message says what and where."""


def interpolate(value: Any, env: Mapping[str, str], where: str = "") -> Any:
    """`value` with every string (recursively, keys excepted) interpolated from `env` by compose's rules.

    An unset `${VAR}` becomes '' (compose warns); `${VAR:?err}` raises `ComposeError` naming `where` and `err`."""
    if isinstance(value, dict):
        return {k: interpolate(v, env, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env, f"{where}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["named"] or match["braced"]
        if name is None:
            raise ComposeError(f"{where}: invalid interpolation in {value!r} (use $$ for a literal $)")
        sep, arg = match["sep"], match["arg"] or ""
        current = env.get(name)
        if sep in (":-", "-"):
            return (current or arg) if sep == ":-" else (arg if current is None else current)
        if sep in (":?", "?") and (current is None or (sep == ":?" and not current)):
            raise ComposeError(f"{where}: required variable {name} is missing a value: {arg or name}")
        return current or ""

    return _PATTERN.sub(substitute, value)


@dataclass(frozen=True)
class Service:
    """One service as it will run here: argv, environment (before address/volume translation), order, probe."""

    name: str
    command: list[str]
    environment: dict[str, str]
    depends_on: dict[str, str]  # dependency -> condition
    healthcheck: list[str] | None  # argv to run; None: no healthcheck
    published: list[int]  # host ports
    volumes: dict[str, str]  # named volume -> mount target


def _healthcheck(name: str, spec: Any) -> list[str] | None:
    if not spec or spec.get("disable"):
        return None
    test = spec.get("test")
    if isinstance(test, str):
        return ["/bin/sh", "-c", test]
    if isinstance(test, list) and test and test[0] == "CMD" and len(test) > 1:
        return [str(t) for t in test[1:]]
    if isinstance(test, list) and len(test) == 2 and test[0] == "CMD-SHELL":
        return ["/bin/sh", "-c", str(test[1])]
    if test == ["NONE"]:
        return None
    raise ComposeError(f"services.{name}.healthcheck.test: unsupported form {test!r}")


def _service(name: str, raw: Mapping[str, Any], volumes: Mapping[str, Any]) -> Service:
    command = raw.get("command")
    if not isinstance(command, list) or not command:
        raise ComposeError(f"services.{name}.command: a non-empty list is required here (the image's CMD is not run)")
    env = raw.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
    deps = raw.get("depends_on") or {}
    if isinstance(deps, list):
        deps = {d: {"condition": "service_started"} for d in deps}
    mounts: dict[str, str] = {}
    for mount in raw.get("volumes") or []:
        source, _, rest = str(mount).partition(":")
        if source not in volumes or not rest:
            raise ComposeError(f"services.{name}.volumes: only named volumes are supported, not {mount!r}")
        mounts[source] = rest.split(":")[0]
    published = [int(str(p).rsplit(":", 2)[-2]) for p in raw.get("ports") or [] if str(p).count(":") >= 1]
    return Service(
        name=name,
        command=[str(c) for c in command],
        environment={str(k): "" if v is None else str(v) for k, v in env.items()},
        depends_on={str(d): str((c or {}).get("condition", "service_started")) for d, c in deps.items()},
        healthcheck=_healthcheck(name, raw.get("healthcheck")),
        published=published,
        volumes=mounts,
    )


def default_services(compose_file: Path, env: Mapping[str, str]) -> dict[str, Service]:
    """The services of the default profile (no `profiles`), interpolated, in dependency order.

    Raises `ComposeError` on a missing required variable, a dependency outside the default profile, or a cycle."""
    raw = yaml.safe_load(compose_file.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("services"), dict):
        raise ComposeError(f"{compose_file}: no services")
    data = interpolate({k: v for k, v in raw.items() if not str(k).startswith("x-")}, env)
    volumes = data.get("volumes") or {}
    chosen = {n: _service(n, s, volumes) for n, s in data["services"].items() if not s.get("profiles")}
    ordered: dict[str, Service] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise ComposeError(f"dependency cycle: {' -> '.join((*path, name))}")
        if name not in ordered:
            for dep in chosen[name].depends_on:
                if dep not in chosen:
                    raise ComposeError(f"services.{name}.depends_on: {dep!r} is not a service of the default profile")
                visit(dep, (*path, name))
            ordered[name] = chosen[name]

    for name in chosen:
        visit(name, ())
    return ordered


@dataclass
class Running:
    service: Service
    port: int
    environment: dict[str, str]
    process: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes] = field(repr=False)
    healthy: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 20) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class ComposeNetwork:
    """The booted services by name; `url(name)` is where one listens on this machine."""

    services: dict[str, Service]
    workdir: Path
    timeout: float = 30.0
    running: dict[str, Running] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return self.running[name].url

    def _translation(self) -> tuple[dict[tuple[str, int], str], dict[str, str]]:
        ports = dict(zip(self.services, free_ports(len(self.services)), strict=True))
        urls: dict[tuple[str, int], str] = {}
        for name, svc in self.services.items():
            local = f"http://127.0.0.1:{ports[name]}"
            urls[(name, int(svc.environment.get("SWITCHBOARD_PORT", "8000")))] = local
            urls.update({(host, p): local for p in svc.published for host in ("localhost", "127.0.0.1")})
        targets = {}
        for svc in self.services.values():
            for volume, target in svc.volumes.items():
                (self.workdir / "volumes" / volume).mkdir(parents=True, exist_ok=True)
                targets[target] = str(self.workdir / "volumes" / volume)
        return urls, targets

    def _environment(
        self, svc: Service, urls: Mapping[tuple[str, int], str], targets: Mapping[str, str]
    ) -> dict[str, str]:
        def address(match: re.Match[str]) -> str:
            host, port = match[1], int(match[2])
            if host in self.services and (host, port) not in urls:
                raise ComposeError(f"services.{svc.name}.environment: {match[0]} but {host} does not listen on {port}")
            return urls.get((host, port), match[0])

        env: dict[str, str] = {}
        for key, value in svc.environment.items():
            value = _URL.sub(address, value)
            for target, local in targets.items():
                if value == target or value.startswith(target + "/"):
                    value = local + value[len(target) :]
            env[key] = value
        own = urls[(svc.name, int(svc.environment.get("SWITCHBOARD_PORT", "8000")))]
        env.update(SWITCHBOARD_HOST="127.0.0.1", SWITCHBOARD_PORT=own.rsplit(":", 1)[1])
        bin_dir = str(Path(sys.executable).parent)
        base = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": os.environ.get("HOME", "/")}
        return {**base, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **env}

    def start(self) -> None:
        """Start every service in order, waiting on each dependency's condition; then wait for every probe."""
        urls, targets = self._translation()
        (self.workdir / "logs").mkdir(parents=True, exist_ok=True)
        try:
            for name, svc in self.services.items():
                for dep, condition in svc.depends_on.items():
                    self._wait(dep, condition)
                env = self._environment(svc, urls, targets)
                log_path = self.workdir / "logs" / f"{name}.log"
                log = log_path.open("wb")
                argv = [sys.executable if svc.command[0] == "python" else svc.command[0], *svc.command[1:]]
                process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
                self.running[name] = Running(svc, int(env["SWITCHBOARD_PORT"]), env, process, log_path, log)
            for name, svc in self.services.items():
                if svc.healthcheck is not None:
                    self._wait(name, "service_healthy")
        except BaseException:
            self.stop()
            raise

    def _wait(self, name: str, condition: str) -> None:
        run = self.running[name]
        deadline = time.monotonic() + self.timeout
        while True:
            code = run.process.poll()
            if condition == "service_completed_successfully" and code is not None:
                if code == 0:
                    return
                raise ComposeError(f"{name} exited with {code}:\n{run.log_tail()}")
            if code is not None:
                raise ComposeError(f"{name} exited with {code} while waiting for {condition}:\n{run.log_tail()}")
            if condition == "service_started" or run.healthy or (condition == "service_healthy" and self._probe(run)):
                return
            if time.monotonic() > deadline:
                raise ComposeError(f"{name}: {condition} not reached within {self.timeout:g} s:\n{run.log_tail()}")
            time.sleep(0.1)  # ok-sleep: polling another process with a deadline

    def _probe(self, run: Running) -> bool:
        """Once its port accepts connections (a cheap pre-check), run the service's healthcheck command with its
        environment, as the engine would; True on exit 0."""
        if run.service.healthcheck is None:
            raise ComposeError(f"{run.service.name}: service_healthy needs a healthcheck")
        try:
            socket.create_connection(("127.0.0.1", run.port), timeout=1).close()
        except OSError:
            return False
        argv = list(run.service.healthcheck)
        argv[0] = sys.executable if argv[0] == "python" else argv[0]
        try:
            result = subprocess.run(argv, cwd=ROOT, env=run.environment, capture_output=True, timeout=5)
        except subprocess.TimeoutExpired:
            return False
        run.healthy = result.returncode == 0
        return run.healthy

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM every process (dependents first), SIGKILL what is left after `grace` seconds."""
        runs = list(reversed(self.running.values()))
        for run in runs:
            if run.process.poll() is None:
                run.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for run in runs:
            try:
                run.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                run.process.kill()
                run.process.wait()
            run.log.close()
        self.running.clear()


@contextlib.contextmanager
def booted(
    compose_file: Path, env: Mapping[str, str], workdir: Path, timeout: float = 30.0
) -> Iterator[ComposeNetwork]:
    """The default profile of `compose_file` running locally (see the module docstring); stopped on exit."""
    network = ComposeNetwork(default_services(compose_file, env), workdir, timeout)
    network.start()
    try:
        yield network
    finally:
        network.stop()


def read_env_file(path: Path) -> dict[str, str]:
    """`KEY=VALUE` lines of a `.env` file (comments and blank lines skipped; no quoting rules needed here)."""
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            if not sep:
                raise ComposeError(f"{path}: not KEY=VALUE: {line!r}")
            pairs[key.strip()] = value
    return pairs
