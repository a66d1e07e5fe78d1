"""The text analyst served over a real socket and reached through the real A2A client."""

from __future__ import annotations

from pathlib import Path

from a2a.types import Part
from google.protobuf.json_format import MessageToDict
from starlette.applications import Starlette

from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from agents.text_analyst.request import ASK_TEXT
from agents.text_analyst.worker import SPEC
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served

REVIEW = "The hotel was absolutely wonderful. The staff were very friendly, but the breakfast was not good."


def builder(tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(url: str) -> Starlette:
        settings = load_worker_settings("text_analyst", {}, {"public_url": url, "data_dir": str(tmp_path)})
        return build_worker_app(SPEC, settings)

    return build


async def test_text_analyst_over_a2a(tmp_path: Path) -> None:
    async with served(builder(tmp_path)) as url, a2a_client(url) as client:
        attached = Part(text=REVIEW, metadata={"source": "s1"})
        task, _ = await send(client, user_message("What is the sentiment of the review from s1?", attached))
        assert state(task) == "completed", status_text(task)
        assert artifact_text(task).startswith("Sentiment: positive (")
        data = [MessageToDict(p.data) for a in task.artifacts for p in a.parts if p.HasField("data")]
        assert data and data[0]["label"] == "positive" and data[0]["source"] == "s1"

        task, _ = await send(client, user_message("What is 17 * 23?"))
        assert state(task) == "rejected"
        assert "Out of scope for text_analyst" in status_text(task)

        task, _ = await send(client, user_message("Summarize the text in 1 sentence."))
        assert state(task) == "input_required"
        assert ASK_TEXT in status_text(task)
        task, _ = await send(client, user_message(REVIEW, task_id=task.id, context_id=task.context_id))
        assert state(task) == "completed", status_text(task)
        assert "1 of 2 sentences" in artifact_text(task)
