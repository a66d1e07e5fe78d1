"""Synthesis: one result for people (text) and one for programs (the manifest), with provenance.

`OfflineSynthesizer` merges the subtasks' outputs in plan order under headings that name the skill and the
worker. `ClaudeSynthesizer` (in `claude_planning`) writes the text from the same material, fenced as data.
The manifest is the same either way: per subtask its skill, worker, remote task id, state, attempts, timing,
token use, estimated cost and why the worker was chosen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from agents.host.wire import Usage

from .budget import Prices, add_costs, cost_usd
from .models import Plan, SubtaskResult, SubtaskState, UnservedPart


class Synthesizer(Protocol):
    async def synthesize(self, goal: str, plan: Plan, results: Sequence[SubtaskResult]) -> tuple[str, Usage]: ...


def manifest(
    goal_id: str,
    plan: Plan,
    results: Sequence[SubtaskResult],
    *,
    state: str,
    usage: Usage,
    synthesis_usage: Usage,
    duration_s: float,
    prices: Prices,
    model: str,
) -> dict[str, Any]:
    """The manifest; costs are estimates from `prices`, for a subtask on the model its worker reported (else
    `model`, the orchestrator's, which also priced planning and synthesis); null where a model has no price."""
    by_id = plan.by_id()
    total = sum((r.usage for r in results), Usage()) + usage + synthesis_usage
    costs = [cost_usd(r.usage, r.model or model, prices) for r in results]
    return {
        "goal_id": goal_id,
        "state": state,
        "plan_source": plan.source,
        "rationale": plan.rationale,
        "unserved": [u.model_dump() for u in plan.unserved],
        "duration_s": round(duration_s, 3),
        "usage": total.model_dump(),
        "cost_usd": add_costs(cost_usd(usage + synthesis_usage, model, prices), *costs),
        "subtasks": [
            {
                "id": r.subtask_id,
                "skill": r.skill,
                "depends_on": list(by_id[r.subtask_id].depends_on),
                "state": r.state.value,
                "worker": r.worker_name,
                "worker_url": r.worker_url,
                "remote_task_id": r.remote_task_id,
                "attempts": [a.model_dump(mode="json") for a in r.attempts],
                "duration_s": round(r.duration_s, 3),
                "usage": r.usage.model_dump(),
                "model": r.model or model,
                "cost_usd": cost,
                "selected_because": r.choice_reason,
                "reason": r.reason,
            }
            for r, cost in zip(results, costs, strict=True)
        ],
    }


def _provenance(r: SubtaskResult) -> str:
    where = f"{r.worker_name}, task {r.remote_task_id}" if r.worker_name else "no worker"
    return f"`{r.subtask_id}` · {r.skill} · {where}"


def not_done_line(unserved: Sequence[UnservedPart]) -> str:
    """The one line that opens a result served in part: what was not done, and why."""
    items = "; ".join(f"{clip(u.text, 80)} ({u.reason})" for u in unserved)
    return f"**Not done:** {items}."


def refusal_text(unserved: Sequence[UnservedPart], skills: Sequence[str]) -> str:
    """The result of a goal no part of which can be served: what was asked, why not, and what can be done."""
    lines = ["# Not done", "", not_done_line(unserved), ""]
    lines.append("This network can: " + (", ".join(_humanize(s) for s in skills) or "nothing right now") + ".")
    return "\n".join(lines) + "\n"


def clip(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters, cut at a word boundary (never mid-word)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _humanize(skill_id: str) -> str:
    return skill_id.replace("_", " ")


def title(plan: Plan) -> str:
    """The goal's intent from what its parts are for (the skills' names), not its first line."""
    names = list(dict.fromkeys(_humanize(s.skill) for s in plan.subtasks))
    if not names:
        return "Not done"
    if len(plan.subtasks) == 1 and plan.subtasks[0].part:
        words = clip(_without_data(plan.subtasks[0].part), 80)
        return words[:1].upper() + words[1:]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return joined[:1].upper() + joined[1:]


def _without_data(text: str) -> str:
    """A part's words without the quoted or pasted material it carries."""
    head = re.split(r":\s|\n|\"|“", text, maxsplit=1)[0]
    return head.strip(" ,.;") or text


_HEADING = re.compile(r"^(#{1,6})\s+", re.M)
_LEAD_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+)+")  # a heading, a quote, a bullet: not "-15 + 3"
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")  # **Result:** but not the ** of "2 ** 16"


def _plain(line: str) -> str:
    return _BOLD.sub(r"\2", _LEAD_MARKUP.sub("", line)).strip()


def answer_line(text: str) -> str:
    """The first line of a worker's answer that says something (its direct answer), as plain text; a heading
    only when nothing follows it."""
    heading = ""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        plain = _plain(line)
        if not plain or plain.startswith("|") or re.fullmatch(r"[-=|: ]+", plain):
            continue
        if line.lstrip().startswith("#"):
            heading = heading or plain
            continue
        following = next((n for n in lines[index + 1 :] if n.strip()), "")
        if _SOURCE_LABEL.match(line) and re.match(r"\s+[-*] ", following):
            return _plain(following)  # an outline's "**s1 (answer_question, librarian)** [1]": its first point
        return plain
    return heading


_SOURCE_LABEL = re.compile(r"^\s*[-*]\s+\*\*[^*]+\*\*\s*(?:\[\d+\])?\s*$")


def _nested(text: str, level: int) -> str:
    """The worker's Markdown with its headings pushed below `level`, so they nest under the section."""
    return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + level) + " ", text)


def _details(body: str, answer: str) -> str:
    """The body without the line that is the answer already shown above it (among its first lines)."""
    lines = body.strip().splitlines()
    for index, line in enumerate(lines[:6]):
        if answer and _plain(line) == answer:
            del lines[index]
            break
    return "\n".join(lines).strip()


class OfflineSynthesizer:
    """A structured merge: one direct answer per part (numbers included), then each part's details under a
    heading that names its subtask, skill and worker. (The goal puts the unserved parts' line above it.)"""

    async def synthesize(self, goal: str, plan: Plan, results: Sequence[SubtaskResult]) -> tuple[str, Usage]:
        briefs = plan.by_id()
        lines = [f"# {title(plan)}", ""]
        answers: dict[str, str] = {}
        for r in results:
            part = clip(_without_data(briefs[r.subtask_id].part or briefs[r.subtask_id].brief), 70)
            if r.state is SubtaskState.COMPLETED:
                answers[r.subtask_id] = answer_line(r.output.text) or "(no text output; see the data parts)"
                lines.append(f"- **{part}** [{r.subtask_id}]: {clip(answers[r.subtask_id], 300)}")
            else:
                lines.append(f"- **{part}** [{r.subtask_id}]: not done ({r.state.value}: {clip(r.reason, 200)})")
        lines += ["", "## Details"]
        for r in results:
            lines += ["", f"### {r.subtask_id} · {_humanize(r.skill)}", f"*Source: {_provenance(r)}*", ""]
            if r.state is SubtaskState.COMPLETED:
                details = _details(r.output.text, answers[r.subtask_id])
                lines.append(_nested(details, 3) if details else "(nothing more than the answer above)")
            else:
                lines.append(f"**{r.state.value}**: {r.reason}")
        return "\n".join(lines).strip() + "\n", Usage()


def failure_summary(results: Sequence[SubtaskResult]) -> str:
    bad = [r for r in results if r.state is not SubtaskState.COMPLETED]
    return "; ".join(f"{r.subtask_id} ({r.skill}) {r.state.value}: {r.reason}" for r in bad)
