"""The quality suite: send every goal of evals/*.json to the offline network and score plan, routing, facts,
silent drops and refusals per category.

    .venv/bin/python -m evals.run                      # every goal file, a table per file
    .venv/bin/python -m evals.run evals/goals.json -v  # one file, with the problems of every goal not right
    .venv/bin/python -m evals.run --only multi-03      # one goal, with its plan and result text

Exits 1 when a file's share of fully right goals is under --floor, or any goal is a silent drop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, SendMessageRequest, Task, TaskState

from orchestrator_agent.client import fold, progress_of
from orchestrator_agent.render import manifest_of

from .network import network
from .scoring import Outcome, Score, score

HERE = Path(__file__).parent
FILES = tuple(
    HERE / f"{name}.json"
    for name in (
        "goals",
        "holdout",
        "holdout2",
        "holdout3",
        "holdout4",
        "holdout5",
        "holdout6",
        "holdout7",
        "holdout8",
        "holdout9",
        "holdout10",
        "holdout11",
        "holdout12",
        "holdout13",
        "holdout14",
        "holdout15",
        "holdout16",
        "holdout17",
        "holdout18",
        "holdout19",
        "holdout20",
        "holdout21",
        "holdout22",
        "holdout23",
        "holdout24",
        "holdout25",
        "holdout26",
        "holdout27",
        "holdout28",
        "holdout29",
        "holdout30",
    )
)


def load(path: Path) -> list[dict[str, Any]]:
    goals = json.loads(path.read_text(encoding="utf-8"))["goals"]
    assert isinstance(goals, list)
    return goals


def message(goal: dict[str, Any]) -> Message:
    parts = [Part(text=goal["goal"])]
    for f in goal.get("files", []):
        parts.append(Part(raw=f["text"].encode(), media_type=f.get("media_type", "text/plain"), filename=f["name"]))
    return Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=parts)


def outcome_of(task: Task, plan: dict[str, Any]) -> Outcome:
    state = TaskState.Name(task.status.state).removeprefix("TASK_STATE_").lower()
    result = next((a for a in task.artifacts if a.artifact_id == "result"), None)
    text = "".join(p.text for p in result.parts if p.WhichOneof("content") == "text") if result else ""
    status = " ".join(p.text for p in task.status.message.parts if p.text)
    if state == "input_required":  # the question, and what finished subtasks relayed so far
        text = status + "\n" + "\n".join(p.text for a in task.artifacts for p in a.parts if p.text)
    manifest = manifest_of(task) or {}
    # a goal paused at input-required has no manifest yet: its plan came as a progress event
    subtasks = manifest.get("subtasks") or [_dependencies(s) for s in plan.get("subtasks", [])]
    unserved = manifest.get("unserved") or plan.get("unserved", [])
    return Outcome(state, text or status, list(subtasks), list(unserved))


def _dependencies(subtask: dict[str, Any]) -> dict[str, Any]:
    return {**subtask, "depends_on": subtask.get("depends_on", subtask.get("dependsOn", []))}


async def run_goals(goals: list[dict[str, Any]], url: str) -> list[tuple[dict[str, Any], Outcome, Score]]:
    results = []
    async with httpx.AsyncClient(timeout=60) as http:
        card = await A2ACardResolver(http, url).get_agent_card()
        client = ClientFactory(ClientConfig(httpx_client=http, streaming=True)).create(card)
        for goal in goals:
            task: Task | None = None
            plan: dict[str, Any] = {}
            async for event in client.send_message(SendMessageRequest(message=message(goal))):
                task = fold(task, event)
                progress = progress_of(event)
                if progress and progress.get("event") == "plan":
                    plan = progress.get("plan", {})
            assert task is not None
            outcome = outcome_of(task, plan)
            results.append((goal, outcome, score(goal["expect"], outcome)))
        await client.close()
    return results


def table(results: list[tuple[dict[str, Any], Outcome, Score]]) -> list[str]:
    by: dict[str, list[Score]] = defaultdict(list)
    for goal, _, s in results:
        by[goal["category"]].append(s)
    rows = [
        ("category", "goals", "right", "plan", "routing", "facts", "unserved named", "silent drops", "wrong refusals")
    ]
    everything = [s for _, _, s in results]
    for category, scores in [*sorted(by.items()), ("all", everything)]:
        parts = sum(s.parts for s in scores)
        rows.append(
            (
                category,
                str(len(scores)),
                _pct(sum(s.right for s in scores), len(scores)),
                _pct(sum(s.plan_ok for s in scores), len(scores)),
                _pct(sum(s.routed for s in scores), parts),
                _pct(sum(s.facts_ok for s in scores), len(scores)),
                f"{sum(s.unserved_named for s in scores)}/{sum(s.unserved_expected for s in scores)}",
                str(sum(s.silent_drop for s in scores)),
                str(sum(s.wrong_refusals for s in scores)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "-"


async def evaluate(paths: list[Path], only: str | None, verbose: bool, floor: float) -> int:
    status = 0
    everything: list[tuple[dict[str, Any], Outcome, Score]] = []
    with tempfile.TemporaryDirectory(prefix="switchboard-evals-") as tmp:
        async with network(Path(tmp)) as url:
            for path in paths:
                goals = [g for g in load(path) if only is None or g["id"] == only]
                if not goals:
                    continue
                results = await run_goals(goals, url)
                everything += results
                right = sum(s.right for _, _, s in results)
                print(f"\n{path.name}: {right}/{len(results)} fully right ({100 * right / len(results):.0f}%)")
                print("\n".join(table(results)))
                for goal, outcome, s in results:
                    if (verbose and not s.right) or only:
                        _explain(goal, outcome, s, full=bool(only))
                if right / len(results) < floor or any(s.silent_drop for _, _, s in results):
                    status = 1
    if len(paths) > 1 and everything:
        right = sum(s.right for _, _, s in everything)
        print(f"\nall files: {right}/{len(everything)} fully right ({100 * right / len(everything):.0f}%)")
        print("\n".join(table(everything)))
    return status


def _explain(goal: dict[str, Any], outcome: Outcome, s: Score, *, full: bool) -> None:
    print(f"\n- {goal['id']} [{goal['category']}] {goal['goal'][:150]!r}")
    print(
        f"    state {outcome.state}; plan: "
        + "; ".join(
            f"{t.get('id')}:{t.get('skill')}{'<' + ','.join(t.get('depends_on', [])) if t.get('depends_on') else ''}"
            for t in outcome.subtasks
        )
        + (f"; unserved: {[u.get('text', '')[:40] for u in outcome.unserved]}" if outcome.unserved else "")
    )
    for problem in s.problems:
        print(f"    {problem}")
    if full:
        print("    result:\n" + "\n".join("      " + line for line in outcome.text.splitlines()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="goal files (default: all of evals/)")
    parser.add_argument("--only", help="one goal id")
    parser.add_argument("-v", "--verbose", action="store_true", help="explain every goal that is not fully right")
    parser.add_argument("--floor", type=float, default=0.0, help="fail under this share of fully right goals")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    paths = args.files or [p for p in FILES if p.exists()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"evals: no such goal file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    return asyncio.run(evaluate(paths, args.only, args.verbose, args.floor))


if __name__ == "__main__":
    raise SystemExit(main())
