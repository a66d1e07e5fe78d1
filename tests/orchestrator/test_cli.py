"""`switchboard ask` end to end in-process: `main([...])` against a real A2A agent on a real socket that ends each
goal in a chosen state (tests/support/final_state_agent.py); the exit code and what the caller reads."""

from __future__ import annotations

import asyncio
import io
import re
import sys
from pathlib import Path

import pytest

from orchestrator_agent.cli import ASK_EPILOG, EXIT_CODES, main
from orchestrator_agent.render import RULE
from tests.support.final_state_agent import build_app
from tests.support.servers import served

pytestmark = pytest.mark.timeout(30)

NOT_DONE = [
    "NOT DONE (2 parts):",
    "  - order a pizza for delivery at 8pm: no advertised skill can order food",
    "  - book a flight to Lisbon: no advertised skill can book travel",
]


async def ask(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in a thread (it runs its own event loop) while this loop serves the agent."""
    code = await asyncio.to_thread(main, ["ask", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("goal", "code", "expected"),
    [
        ("complete the sum", 0, ["2 + 2 = 4", "Task {id}: completed (Done.)"]),
        ("partial please", 3, [*NOT_DONE, "Task {id}: completed in part, 2 not done (Done.)"]),
        ("fail now", 1, ["s1 failed.", "Task {id}: failed (The goal failed: s1 (arithmetic) failed)"]),
        ("cancel it", 1, ["(no result text)", "Task {id}: canceled (Canceled by the agent.)"]),
        ("drop the stream", 1, ["Task {id}: working, the stream ended before the task did"]),
        ("ask me", 5, ["Input required: Which city should I use?", "Task {id}: input_required"]),
    ],
)
async def test_each_final_state_has_its_exit_code_and_says_what_was_not_done(
    capsys: pytest.CaptureFixture[str], goal: str, code: int, expected: list[str]
) -> None:
    async with served(build_app) as url:
        exit_code, out, err = await ask(capsys, goal, "--url", url, "--plain")
    assert exit_code == code, out + err
    task_id = re.findall(r"^Task (\S+):", out, re.M)[-1]
    lines = out.splitlines()
    for line in expected:
        assert line.format(id=task_id) in lines, out
    assert ("NOT DONE" in out) == (code == 3), out
    assert "\x1b" not in out


async def test_partial_the_not_done_block_comes_before_the_result_body_and_the_plan_line_names_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with served(build_app) as url:
        code, out, _ = await ask(capsys, "partial", "--url", url)  # captured stdout is no terminal: plain lines
    assert code == 3
    plan_line = next(line for line in out.splitlines() if "] plan (scripted):" in line)
    assert plan_line.endswith(
        "plan (scripted): s1:arithmetic | not served (2): order a pizza for delivery at 8pm (no advertised skill can"
        " order food); book a flight to Lisbon (no advertised skill can book travel)"
    )
    result = out[out.index(NOT_DONE[0]) :]
    assert result.splitlines()[:4] == [*NOT_DONE, RULE]
    assert result.splitlines()[4].startswith("Not done: 2 parts of the goal")
    assert "Provenance:" in result and "  s1     arithmetic         completed  calculator" in result


async def test_rejected_says_so_on_one_line_with_what_the_network_can_do(capsys: pytest.CaptureFixture[str]) -> None:
    async with served(build_app) as url:
        code, out, _ = await ask(capsys, "reject this", "--url", url, "--plain")
    assert code == 4, out
    assert "plan (scripted): no subtasks | not served (2): order a pizza" in out
    result = out.split("] rejected: ", 1)[1].split("\n", 1)[1]  # after the plain stream's last line
    assert result.splitlines()[:7] == [
        "",
        "Rejected: No part of the goal can be served: no advertised skill can order food or book travel. "
        "This network can: arithmetic, unit_conversion, statistics.",
        "",
        *NOT_DONE,
        RULE,
    ]
    assert "This network can: arithmetic" in result.split(RULE)[1]  # the result text, framed
    assert re.search(r"^Task \S+: rejected$", result, re.M), result


async def test_a_paused_task_is_answered_with_task(capsys: pytest.CaptureFixture[str]) -> None:
    async with served(build_app) as url:
        code, out, _ = await ask(capsys, "ask", "--url", url, "--plain")
        assert code == 5
        hint = next(line for line in out.splitlines() if line.startswith("Answer with:"))
        task_id = hint.split("--task ", 1)[1].split()[0]
        code, out, _ = await ask(capsys, "Lisbon", "--task", task_id, "--url", url, "--plain")
    assert code == 0, out
    assert "Answered: Lisbon" in out and f"Task {task_id}: completed (Done.)" in out


class FakeTerminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


async def test_on_a_terminal_the_tree_shows_unserved_rows_and_the_block_follows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    async with served(build_app) as url:
        code = await asyncio.to_thread(main, ["ask", "partial", "--url", url])
    out = terminal.getvalue()
    assert code == 3, out
    tree, result = out.rsplit("\x1b[J", 1)[1].split("\n\n", 1)  # the last drawing, then the final block
    assert tree.splitlines() == [
        tree.splitlines()[0],
        "s1 arithmetic ✓ calculator 0.0s",
        "order a pizza for delivery at 8pm ∅ not served (no advertised skill can order food)",
        "book a flight to Lisbon ∅ not served (no advertised skill can book travel)",
    ]
    assert re.fullmatch(r"completed \d+\.\ds · plan \(scripted\) 1/1 done · 2 not served", tree.splitlines()[0])
    assert result.splitlines()[:3] == NOT_DONE


async def test_json_output_keeps_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    async with served(build_app) as url:
        code, out, _ = await ask(capsys, "reject", "--url", url, "--json")
    assert code == 4 and '"TASK_STATE_REJECTED"' in out and "NOT DONE" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "   "], "the goal is empty"),
        (["ask", "x", "--plan", "{missing}"], "No such file or directory"),
        (["ask", "x", "--plan", "{broken}"], "Expecting property name"),
        (["ask"], "the following arguments are required: goal"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str) -> None:
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    argv = [a.format(missing=tmp_path / "missing.json", broken=tmp_path / "broken.json") for a in argv]
    try:
        code = main([*argv, "--url", "http://127.0.0.1:9"])  # never contacted
    except SystemExit as exc:  # argparse's own usage errors
        code = int(str(exc.code))
    assert code == 2
    assert message in capsys.readouterr().err


def test_an_unreachable_agent_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "anything", "--url", "http://127.0.0.1:9", "--plain"]) == 1
    assert "switchboard ask: http://127.0.0.1:9: " in capsys.readouterr().err


def test_every_exit_code_is_documented_in_the_help_and_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    help_text = capsys.readouterr().out
    assert ASK_EPILOG.splitlines()[1] in help_text
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for code in {*EXIT_CODES.values(), 2}:
        assert re.search(rf"^  {code}  \S", help_text, re.M), code
        assert re.search(rf"^\| `{code}` \| \S", readme, re.M), code
