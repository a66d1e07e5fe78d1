"""Switchboard across several network hosts: the orchestrator, each worker and the caller on hosts of their own
(Linux network namespaces on one bridge, `tests/support/netns.py`), reaching each other by host name only.

Every agent binds its host's own address (not loopback, not 0.0.0.0) and advertises `http://<host name>:port`;
authentication is on, with a token per worker held by the orchestrator. The caller is a process on a `client`
host running `switchboard ask --token` (rather than giving the root namespace a leg on the bridge: the machine's
own network stays untouched, and the caller too goes through name resolution and the bridge, never loopback).
A fourth "rogue" worker whose card names another host is refused. Skipped, with the reason, where namespaces
cannot be created."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from a2a.types import Task
from google.protobuf.json_format import Parse

from orchestrator_agent.render import manifest_of
from tests.support.netns import NetnsUnavailable, Network, hosts

pytestmark = pytest.mark.timeout(90)

ORCHESTRATOR_PORT, WORKER_PORT = 8000, 8001
WORKERS = ("calculator", "writer")
MARK = "----- roster -----"

# waits until each URL's agent card answers (stdlib only: starts in a blink); exit status 1 and why, if not
WAIT = """
import sys, time, urllib.request
deadline = time.monotonic() + float(sys.argv[1])
for url in sys.argv[2:]:
    while True:
        try:
            urllib.request.urlopen(url + "/.well-known/agent-card.json", timeout=1).read()
            break
        except OSError as exc:
            if time.monotonic() > deadline:
                sys.exit(f"{url} did not answer: {exc}")
            time.sleep(0.05)  # ok-sleep: readiness poll, bounded by the deadline above
"""

# the caller: `switchboard ask` with an explicit plan, then the roster (with and without the token)
CLIENT = """
import sys
import httpx
from orchestrator_agent.cli import main
url, token, plan, mark = sys.argv[1:5]
code = main(["ask", "Statistics, then a report.", "--url", url, f"--token={token}", "--plan", plan, "--json"])
print(mark)
print(httpx.get(url + "/agents", headers={"Authorization": "Bearer " + token}, timeout=5).text)
print(mark)
print(httpx.get(url + "/agents", timeout=5).status_code)
sys.exit(code)
"""

PLAN = {
    "subtasks": [
        {"id": "stats", "skill": "statistics", "brief": "Compute the mean and median of 4, 8, 15, 16, 23, 42."},
        {"id": "report", "skill": "write_report", "brief": "Write a short report on the statistics.",
         "depends_on": ["stats"]},
    ]
}  # fmt: skip


@pytest.fixture
def net() -> Iterator[Network]:
    try:
        with hosts(["orchestrator", *WORKERS, "rogue", "client"]) as network:
            yield network
    except NetnsUnavailable as exc:
        pytest.skip(f"network namespaces are not available here: {exc}")


def agent_env(net: Network, host: str, port: int, data: Path, **extra: str) -> dict[str, str]:
    """An agent on `host`: bound to that host's address, advertising its host name, offline model."""
    return {
        "SWITCHBOARD_HOST": net.hosts[host].address,
        "SWITCHBOARD_PORT": str(port),
        "SWITCHBOARD_PUBLIC_URL": f"http://{host}:{port}",
        "SWITCHBOARD_DATA_DIR": str(data / host),
        "ANTHROPIC_API_KEY": "",
        "NO_PROXY": "*",  # never send these names to a proxy the machine may have configured
        **extra,
    }


def wait_for(net: Network, from_host: str, urls: list[str], logs: Path) -> None:
    done = net.run(from_host, ["-c", WAIT, "30", *urls], timeout=40)
    assert done.returncode == 0, f"{done.stderr}\n{_logs(logs)}"


def _logs(logs: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(logs.glob("*.log")))


def start_workers(net: Network, tmp_path: Path, tokens: Mapping[str, str]) -> list[str]:
    """Start the workers and the rogue (a calculator claiming to be at http://calculator); their URLs."""
    urls = []
    for host in (*WORKERS, "rogue"):
        public = f"http://calculator:{WORKER_PORT}" if host == "rogue" else f"http://{host}:{WORKER_PORT}"
        env = agent_env(net, host, WORKER_PORT, tmp_path, SWITCHBOARD_PUBLIC_URL=public)
        env["SWITCHBOARD_AUTH_TOKENS"] = f"orchestrator:{tokens[host]}"
        module = "agents.calculator" if host == "rogue" else f"agents.{host}"
        net.popen(host, ["-m", module], env, tmp_path / f"{host}.log")
        urls.append(f"http://{host}:{WORKER_PORT}")
    return urls


def test_a_goal_runs_across_workers_on_other_hosts_by_host_name(net: Network, tmp_path: Path) -> None:
    tokens = {host: secrets.token_urlsafe(16) for host in (*WORKERS, "rogue")}
    caller_token = secrets.token_urlsafe(16)
    worker_urls = start_workers(net, tmp_path, tokens)
    wait_for(net, "orchestrator", worker_urls, tmp_path)  # so discovery at start-up finds them all
    orchestrator = f"http://orchestrator:{ORCHESTRATOR_PORT}"
    env = agent_env(
        net,
        "orchestrator",
        ORCHESTRATOR_PORT,
        tmp_path,
        SWITCHBOARD_AGENTS=",".join(worker_urls),
        SWITCHBOARD_AGENT_TOKENS=",".join(f"{u}={tokens[u.split('//')[1].split(':')[0]]}" for u in worker_urls),
        SWITCHBOARD_AUTH_TOKENS=f"client:{caller_token}",
        SWITCHBOARD_RETRY_BACKOFF="0.05",
    )
    net.popen("orchestrator", ["-m", "orchestrator_agent"], env, tmp_path / "orchestrator.log")
    wait_for(net, "client", [orchestrator], tmp_path)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(PLAN), encoding="utf-8")
    done = net.run("client", ["-c", CLIENT, orchestrator, caller_token, str(plan), MARK], {"NO_PROXY": "*"}, 60)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}\n{_logs(tmp_path)}"
    answer, roster_text, unauthenticated = done.stdout.split(MARK)
    goal = Parse(answer, Task(), ignore_unknown_fields=True)
    manifest = manifest_of(goal)
    assert manifest is not None
    ran_on = {s["id"]: s["worker_url"] for s in manifest["subtasks"]}
    assert ran_on == {"stats": f"http://calculator:{WORKER_PORT}", "report": f"http://writer:{WORKER_PORT}"}
    assert all(s["state"] == "completed" for s in manifest["subtasks"])
    roster = {a["url"]: a for a in json.loads(roster_text)["agents"]}
    assert all(roster[u]["health"] == "healthy" for u in worker_urls[:2])
    rogue = roster[f"http://rogue:{WORKER_PORT}"]  # its card names another host: never selected
    assert rogue["health"] == "unhealthy" and "point away from rogue" in rogue["error"], rogue
    assert unauthenticated.strip() == "401"
