"""The `switchboard` command: run agents, the whole network, or talk to any A2A agent.

switchboard up [--port P]              every worker + the orchestrator as local processes
switchboard orchestrator [--port P]    the orchestrator alone (workers from SWITCHBOARD_AGENTS)
switchboard worker NAME [--port P]     one built-in worker
switchboard ask "goal" [--url U]       follow a goal (a live plan tree on a terminal), print the result
switchboard agents [--url U]           the orchestrator's roster: agents, skills, health
switchboard agents add|remove URL      change the roster at run time (needs SWITCHBOARD_ADMIN_TOKEN)
switchboard demo                       start the network on free ports, run a goal, print, stop
switchboard db upgrade|current         bring a database's schema to head (migrations), or show where it is
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import runpy
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from a2a.client.errors import A2AClientError
from a2a.types import Part, StreamResponse, Task
from google.protobuf.json_format import MessageToJson, ParseDict
from google.protobuf.struct_pb2 import Value

from agents.host import tracing
from agents.host.errors import ConfigurationError
from agents.host.process import configure_logging
from agents.host.serving import serve
from agents.registry import WORKERS

from .client import ask, progress_of
from .credentials import parse_agent_tokens
from .live import LiveView
from .network import LocalNetwork, NetworkError, free_ports
from .render import Outcome, outcome_of, render_progress, render_result

DEFAULT_URL = "http://127.0.0.1:8000"
DEMO_GOAL = (
    "Compute the mean, median and standard deviation of 12, 15, 22, 31 and 40. "
    "Search the library for how agent cards describe skills. "
    "Then write a short report that combines these results."
)
EXIT_UNREACHABLE = 1
EXIT_USAGE = 2
EXIT_CODES = {  # `ask` and `demo`: the exit code for what the goal's final task amounts to
    Outcome.COMPLETED: 0,
    Outcome.FAILED: 1,
    Outcome.CANCELED: 1,
    Outcome.UNFINISHED: 1,
    Outcome.PARTIAL: 3,
    Outcome.REJECTED: 4,
    Outcome.INPUT_REQUIRED: 5,
}
ASK_EPILOG = """\
exit codes:
  0  completed: every part of the goal was served
  1  failed or canceled, or the agent could not be reached (or its stream ended before the task did)
  2  usage error (bad arguments, an unreadable --plan file)
  3  completed in part: some parts of the goal were not served (or, after a budget stop, not run), listed
     under NOT DONE
  4  rejected: no part of the goal can be served (the output says what the network can do)
  5  paused for input: answer with  switchboard ask "ANSWER" --task TASK_ID
"""


def run_orchestrator(argv: Sequence[str] | None = None) -> int:
    from .app import build_app
    from .settings import load_settings

    parser = argparse.ArgumentParser(prog="switchboard orchestrator")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--public-url")
    parser.add_argument("--data-dir")
    parser.add_argument("--agents", help="comma-separated worker base URLs (env SWITCHBOARD_AGENTS)")
    args = parser.parse_args(list(argv) if argv is not None else sys.argv[1:])
    overrides = {
        "host": args.host,
        "port": args.port,
        "public_url": args.public_url,
        "data_dir": args.data_dir,
        "agents": args.agents,
    }
    try:
        settings = load_settings(os.environ, overrides)
        tracing.configure_tracing("orchestrator", settings.server.tracing)  # before the app: hooks and middleware
        app = build_app(settings)
    except ConfigurationError as exc:
        print(f"orchestrator: {exc.message}", file=sys.stderr)
        return 2
    agent_tokens = parse_agent_tokens(settings.agent_token_entries()).values()
    configure_logging(settings.server, settings.model, settings.admin_token, *agent_tokens)
    serve(app, settings.server.host, settings.server.port, settings.server.log_level)
    return 0


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _stop_on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (kill, systemd, a closed terminal's SIGHUP) stops the agents as Ctrl-C does


def cmd_up(args: argparse.Namespace) -> int:
    network = LocalNetwork(port=args.port, data_dir=Path(args.data_dir))
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    try:
        network.start(timeout=args.timeout)
    except NetworkError as exc:
        print(f"switchboard up: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped before every agent was ready.")  # start() has stopped the ones it started
        return 0
    _print_table([("AGENT", "URL", "LOG"), *((a.name, a.url, str(a.log_path)) for a in network.agents)])
    print("\nReady. The agents require a token, new on every run; in another shell:")
    print(f"  export SWITCHBOARD_TOKEN={network.token}")
    print(f'  switchboard ask "{DEMO_GOAL[:60]}..." --url {network.orchestrator_url}')
    print(f"Dashboard (read-only, live): {network.dashboard_url}")
    print("Ctrl-C stops every agent.", flush=True)
    try:
        while all(a.process.poll() is None for a in network.agents):
            time.sleep(0.5)
        dead = [a for a in network.agents if a.process.poll() is not None]
        print(f"switchboard up: {dead[0].name} exited:\n{dead[0].log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        network.stop()


async def _ask(url: str, goal: str, parts: Sequence[Part], as_json: bool, token: str | None, task_id: str = "") -> Task:
    started = time.monotonic()

    async def show(event: StreamResponse) -> None:
        if as_json:
            return
        line = render_progress(event, progress_of(event), time.monotonic() - started)
        if line:
            print(line, flush=True)

    return await ask(url, goal, parts, on_event=show, token=token, task_id=task_id)


async def _ask_live(url: str, goal: str, parts: Sequence[Part], token: str | None, task_id: str = "") -> Task:
    """`_ask` for a terminal: the plan tree redrawn in place on each event and ~10 times a second (elapsed
    times move), then once more with the final task's manifest (durations, tokens)."""
    view = LiveView(sys.stdout)

    async def show(event: StreamResponse) -> None:
        view.feed(event, progress_of(event), time.monotonic())
        view.draw(time.monotonic())

    async def tick() -> None:
        while True:
            await asyncio.sleep(view.interval)  # ok-sleep: the redraw rate of a progress display
            view.draw(time.monotonic())

    view.draw(time.monotonic(), force=True)
    ticker = asyncio.create_task(tick())
    try:
        task = await ask(url, goal, parts, on_event=show, token=token, task_id=task_id)
    finally:
        ticker.cancel()
    view.finish(task, time.monotonic())
    view.draw(time.monotonic(), force=True)
    return task


def _plan_part(path: str | None) -> list[Part]:
    if not path:
        return []
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Part(data=ParseDict(data, Value()), media_type="application/json")]


def _lenient_stdout() -> None:
    """Characters stdout's encoding lacks (an ASCII terminal, a worker's Unicode) print as `?`, never crash."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def cmd_ask(args: argparse.Namespace) -> int:
    """Send the goal (or, with --task, an answer), follow it, print the result; the exit code per EXIT_CODES."""
    _lenient_stdout()
    try:
        parts = _plan_part(args.plan)
    except (OSError, ValueError) as exc:  # a usage error: nothing was sent
        print(f"switchboard ask: --plan {args.plan}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if sys.stdout.isatty() and not (args.json or args.plain):
            task = asyncio.run(_ask_live(args.url, args.goal, parts, args.token, args.task))
        else:
            task = asyncio.run(_ask(args.url, args.goal, parts, args.json, args.token, args.task))
    except (httpx.HTTPError, A2AClientError, OSError, ValueError, RuntimeError) as exc:
        print(f"switchboard ask: {args.url}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    if args.json:
        print(MessageToJson(task))
    else:
        print(render_result(task))
    outcome = outcome_of(task)
    if outcome is Outcome.INPUT_REQUIRED and not args.json:
        print(f'Answer with: switchboard ask "ANSWER" --task {task.id} --url {args.url}')
    return EXIT_CODES[outcome]


def _caller_headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def cmd_agents(args: argparse.Namespace) -> int:
    headers = {"Authorization": f"Bearer {os.environ.get('SWITCHBOARD_ADMIN_TOKEN', '')}"}
    with httpx.Client(timeout=10) as http:
        try:
            if args.action == "add":
                r = http.post(f"{args.url}/admin/agents", json={"url": args.target}, headers=headers)
            elif args.action == "remove":
                r = http.delete(f"{args.url}/admin/agents", params={"url": args.target}, headers=headers)
            else:
                r = http.get(f"{args.url}/agents", headers=_caller_headers(args.token))
        except httpx.HTTPError as exc:
            print(f"switchboard agents: cannot reach {args.url}: {exc}", file=sys.stderr)
            return 1
    if r.status_code >= 400:
        print(f"switchboard agents: HTTP {r.status_code}: {r.text}", file=sys.stderr)
        return 1
    if args.action:
        print(json.dumps(r.json(), indent=1))
        return 0
    rows = [("AGENT", "URL", "POOL", "HEALTH", "LOAD", "SKILLS")]
    for a in r.json()["agents"]:
        pool = f"{a.get('pool', '')} x{a.get('replicas', 1)}" if a.get("replicas", 1) > 1 else ""
        skills = ", ".join(s["id"] for s in a["skills"])
        rows.append((a["name"], a["url"], pool, a["health"], str(a["load"]), skills))
    _print_table(rows)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _lenient_stdout()
    ports = free_ports(len(WORKERS) + 1)
    with tempfile.TemporaryDirectory(prefix="switchboard-demo-") as tmp:
        network = LocalNetwork(port=ports[0], worker_ports=ports[1:], data_dir=Path(args.data_dir or tmp))
        print(f"Starting {len(WORKERS)} workers and the orchestrator (offline model, no API key needed)...")
        try:
            with network.running(timeout=args.timeout):
                _print_table([("AGENT", "URL"), *((a.name, a.url) for a in network.agents)])
                print(f"\nGoal: {args.goal}\n")
                task = asyncio.run(_ask(network.orchestrator_url, args.goal, [], False, network.token))
                print(render_result(task))
                return EXIT_CODES[outcome_of(task)]
        except NetworkError as exc:
            print(f"switchboard demo: {exc}", file=sys.stderr)
            return 1


def cmd_db(args: argparse.Namespace) -> int:
    from agents.host.migrate import MigrationFailed, run_command

    url = args.database_url or os.environ.get("SWITCHBOARD_DATABASE_URL")
    if not url:
        print("switchboard db: pass --database-url URL or set SWITCHBOARD_DATABASE_URL", file=sys.stderr)
        return 2
    try:
        lines = asyncio.run(run_command(args.action, url))
    except MigrationFailed as exc:
        print(f"switchboard db {args.action}: {exc.message}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def _run_worker_module(name: str, argv: Sequence[str]) -> int:
    """`switchboard worker NAME`: what `python -m agents.NAME` runs, started by module name (the CLI imports no
    worker)."""
    sys.argv = [f"switchboard worker {name}", *argv]
    try:
        runpy.run_module(f"agents.{name}", run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(argv if argv is not None else sys.argv[1:])
    parser = argparse.ArgumentParser(
        prog="switchboard", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start every agent locally")
    up.add_argument("--port", type=int, default=8000, help="orchestrator port; workers use the ports after it")
    up.add_argument("--data-dir", default=".data")
    up.add_argument("--timeout", type=float, default=60.0)
    sub.add_parser("orchestrator", help="run the orchestrator", add_help=False)
    sub.add_parser("worker", help="run one worker", add_help=False)
    q = sub.add_parser(
        "ask",
        help="send a goal to an agent and follow it",
        epilog=ASK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("goal", help="the goal in your words (with --task: the answer to the agent's question)")
    q.add_argument("--url", default=os.environ.get("SWITCHBOARD_URL", DEFAULT_URL))
    q.add_argument("--token", default=os.environ.get("SWITCHBOARD_TOKEN"), help="bearer token (env SWITCHBOARD_TOKEN)")
    q.add_argument("--json", action="store_true", help="print the final task as JSON")
    q.add_argument("--plan", help="a JSON file with an explicit plan to run")
    q.add_argument("--plain", action="store_true", help="a line per event, even on a terminal (no live tree)")
    q.add_argument("--task", default="", metavar="TASK_ID", help="answer the question of a task paused for input")
    ag = sub.add_parser("agents", help="list (or add/remove) the orchestrator's agents")
    ag.add_argument("action", nargs="?", choices=["add", "remove"])
    ag.add_argument("target", nargs="?")
    ag.add_argument("--url", default=os.environ.get("SWITCHBOARD_URL", DEFAULT_URL))
    ag.add_argument("--token", default=os.environ.get("SWITCHBOARD_TOKEN"), help="bearer token (env SWITCHBOARD_TOKEN)")
    demo = sub.add_parser("demo", help="start the network, run a goal through it, stop")
    demo.add_argument("--goal", default=DEMO_GOAL)
    demo.add_argument("--data-dir")
    demo.add_argument("--timeout", type=float, default=60.0)
    db = sub.add_parser("db", help="database schema: upgrade (idempotent) or show the current revisions")
    db.add_argument("action", choices=["upgrade", "current"])
    db.add_argument("--database-url", help="SQLAlchemy async URL (env SWITCHBOARD_DATABASE_URL)")
    if argv and argv[0] == "orchestrator":
        return run_orchestrator(argv[1:])
    if argv and argv[0] == "worker":
        if len(argv) < 2 or argv[1] not in WORKERS:
            print(f"usage: switchboard worker {{{','.join(WORKERS)}}} [--host H] [--port P]", file=sys.stderr)
            return 2
        return _run_worker_module(argv[1], argv[2:])
    args = parser.parse_args(argv)
    if args.command == "agents" and args.action and not args.target:
        parser.error("agents add|remove needs a URL")
    if args.command == "ask" and not args.goal.strip() and not args.plan:
        q.error("the goal is empty (pass the goal's text, or a plan with --plan)")
    handlers = {"up": cmd_up, "ask": cmd_ask, "agents": cmd_agents, "demo": cmd_demo, "db": cmd_db}
    return handlers[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
