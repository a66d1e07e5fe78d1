"""The calculator served over a real socket and reached through the real A2A client."""

from __future__ import annotations

from pathlib import Path

from a2a.types import Part
from google.protobuf.json_format import MessageToDict
from starlette.applications import Starlette

from agents.calculator.worker import SPEC
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served


def builder(tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(url: str) -> Starlette:
        settings = load_worker_settings("calculator", {}, {"public_url": url, "data_dir": str(tmp_path)})
        return build_worker_app(SPEC, settings)

    return build


async def test_calculator_over_a2a(tmp_path: Path) -> None:
    async with served(builder(tmp_path)) as url, a2a_client(url) as client:
        task, _ = await send(client, user_message("Compute the mean and standard deviation of 4, 8, 15, 16, 23, 42."))
        assert state(task) == "completed", status_text(task)
        assert "**Mean:** 18" in artifact_text(task)
        data = [MessageToDict(p.data) for a in task.artifacts for p in a.parts if p.HasField("data")]
        assert data and data[0]["mean"] == 18

        task, _ = await send(client, user_message("What is 9**9**9**9?"))
        assert state(task) == "failed", status_text(task)
        assert "exponent" in status_text(task)

        task, _ = await send(client, user_message("Summarize this article about the economy."))
        assert state(task) == "rejected"
        assert "Out of scope for calculator" in status_text(task)

        task, _ = await send(client, user_message("Average these", Part(url="https://example.com/numbers.csv")))
        assert state(task) == "failed"
        assert "file URL" in status_text(task)

        task, _ = await send(client, user_message("Convert 5 ft to cm"))
        assert state(task) == "completed", status_text(task)
        assert "152.4 cm" in artifact_text(task)
