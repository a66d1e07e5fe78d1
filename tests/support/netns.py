"""Several network hosts on one Linux machine: network namespaces joined by a bridge, for tests in which nothing
may assume localhost.

    with hosts(["orchestrator", "calculator", "client"]) as net:
        net.popen("calculator", ["-m", "agents.calculator"], env={...})
        net.run("client", ["-c", "..."])

Topology, all inside namespaces this module creates (the root namespace, where the host's own network lives, is
left untouched: no interface, address or route is added there):
- a "switch" namespace holding a bridge;
- one namespace per host, with loopback up and a veth pair whose other end is a port of the bridge;
- addresses 10.<x>.<y>.<i>/24 on a random private /24; `/etc/netns/<namespace>/hosts` names every host, and
  `ip netns exec` bind-mounts it over /etc/hosts, so processes reach each other by host name.

`hosts` raises `NetnsUnavailable` (say why; the caller skips) when namespaces cannot be created: no `ip` and it
cannot be installed, or the kernel refuses (no CAP_NET_ADMIN, no veth or bridge support). On exit, even after a
failure, it kills every process started in its namespaces, deletes them and removes their /etc/netns entries.
"""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.debian import apt_install

ROOT = Path(__file__).resolve().parents[2]
NETNS_ETC = Path("/etc/netns")
IP_TIMEOUT = 10.0


def _ip_path() -> str | None:
    return shutil.which("ip") or next((p for p in ("/usr/sbin/ip", "/sbin/ip") if os.access(p, os.X_OK)), None)


class NetnsUnavailable(Exception):
    """Network namespaces cannot be used on this machine; the message says why."""


def ip_command() -> str:
    """The path of `ip`, installing Debian's iproute2 if it is missing; `NetnsUnavailable` if that fails."""
    found = _ip_path()
    if found:
        return found
    problem = apt_install("iproute2")
    if problem:
        raise NetnsUnavailable(f"`ip` (iproute2) is missing and could not be installed: {problem}")
    found = _ip_path()
    if not found:
        raise NetnsUnavailable("iproute2 was installed but `ip` is still not on PATH")
    return found


@dataclass(frozen=True)
class Host:
    name: str  # what the other hosts call it (its entry in every hosts file)
    namespace: str
    address: str


@dataclass
class Network:
    """Hosts in their namespaces, and the processes started in them (see the module docstring)."""

    ip: str
    tag: str  # random, in every namespace and interface name this network creates
    switch: str
    hosts: dict[str, Host] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)  # created so far, for removal

    def command(self, host: str, args: Sequence[str]) -> list[str]:
        """`python <args>` (this interpreter) run in `host`'s namespace."""
        return [self.ip, "netns", "exec", self.hosts[host].namespace, sys.executable, *args]

    def popen(self, host: str, args: Sequence[str], env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
        """Start `python <args>` on `host` from the repository root, output to `log`; stopped by `remove`."""
        with log.open("wb") as out:
            process = subprocess.Popen(
                self.command(host, args),
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process

    def run(
        self, host: str, args: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 30.0
    ) -> subprocess.CompletedProcess[str]:
        """Run `python <args>` on `host` to completion (`TimeoutExpired` after `timeout`); output captured."""
        return subprocess.run(
            self.command(host, args),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ip_run(self, *args: str) -> None:
        """Run `ip <args>`; `NetnsUnavailable` with its error output if it fails."""
        try:
            done = subprocess.run([self.ip, *args], capture_output=True, text=True, timeout=IP_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise NetnsUnavailable(f"`ip {' '.join(args)}` could not run: {exc}") from None
        if done.returncode != 0:
            raise NetnsUnavailable(f"`ip {' '.join(args)}` failed: {done.stderr.strip() or done.returncode}")

    def add_namespace(self, name: str) -> None:
        self.ip_run("netns", "add", name)
        self.namespaces.append(name)
        self.ip_run("-n", name, "link", "set", "lo", "up")

    def remove(self) -> None:
        """Stop every process, delete every namespace and /etc/netns entry; never raises."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for namespace in reversed(self.namespaces):
            pids = subprocess.run([self.ip, "netns", "pids", namespace], capture_output=True, text=True, check=False)
            for pid in pids.stdout.split():  # anything started in it some other way
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            subprocess.run([self.ip, "netns", "del", namespace], capture_output=True, check=False)
            shutil.rmtree(NETNS_ETC / namespace, ignore_errors=True)
        with contextlib.suppress(OSError):
            NETNS_ETC.rmdir()  # only if empty: nobody else has entries there


def _build(net: Network, names: Sequence[str]) -> None:
    """Create the switch, then each host on it, then every host's hosts file."""
    net.add_namespace(net.switch)
    net.ip_run("-n", net.switch, "link", "add", "br0", "type", "bridge")
    net.ip_run("-n", net.switch, "link", "set", "br0", "up")
    subnet = f"10.{random.randint(64, 250)}.{random.randint(0, 255)}"
    for i, name in enumerate(names, start=1):
        namespace, inside, port = f"sb-{net.tag}-{i}", f"{net.tag}h{i}", f"{net.tag}s{i}"
        net.add_namespace(namespace)
        net.ip_run("link", "add", inside, "netns", namespace, "type", "veth", "peer", "name", port, "netns", net.switch)
        net.ip_run("-n", net.switch, "link", "set", port, "master", "br0")
        net.ip_run("-n", net.switch, "link", "set", port, "up")
        net.ip_run("-n", namespace, "addr", "add", f"{subnet}.{i}/24", "dev", inside)
        net.ip_run("-n", namespace, "link", "set", inside, "up")
        net.hosts[name] = Host(name, namespace, f"{subnet}.{i}")
    table = "127.0.0.1 localhost\n" + "".join(f"{h.address} {h.name}\n" for h in net.hosts.values())
    try:
        for host in net.hosts.values():
            (NETNS_ETC / host.namespace).mkdir(parents=True, exist_ok=True)
            (NETNS_ETC / host.namespace / "hosts").write_text(table, encoding="utf-8")
    except OSError as exc:
        raise NetnsUnavailable(f"cannot write the namespaces' hosts files under {NETNS_ETC}: {exc}") from None


@contextlib.contextmanager
def hosts(names: Sequence[str]) -> Iterator[Network]:
    """A network of hosts called `names` (valid host names, distinct); removed on exit, whatever happened."""
    if not names or len(set(names)) != len(names) or not all(n.replace("-", "").isalnum() for n in names):
        raise ValueError(f"host names must be one or more distinct names of letters, digits and dashes: {list(names)}")
    tag = secrets.token_hex(3)  # 6 characters: interface names stay within Linux's 15
    net = Network(ip=ip_command(), tag=tag, switch=f"sb-{tag}-switch")
    try:
        _build(net, names)
        yield net
    finally:
        net.remove()
