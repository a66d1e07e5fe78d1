"""The writer served over A2A on a real socket (offline model), through the real a2a client."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from a2a.helpers import get_data_parts
from a2a.types import Part
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value
from starlette.applications import Starlette

from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from agents.writer.worker import SPEC
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served


def app_for(tmp_path: Path) -> Callable[[str], Starlette]:
    def build(url: str) -> Starlette:
        settings = load_worker_settings("writer", {}, {"public_url": url, "data_dir": str(tmp_path)})
        return build_worker_app(SPEC, settings)

    return build


async def test_report_from_routed_materials_then_out_of_scope_then_still_serving(tmp_path: Path) -> None:
    calc = Part(
        data=ParseDict({"mean": 18, "count": 6}, Value()),
        metadata=ParseDict({"source": "s1 (calculator)"}, Value()).struct_value,
        media_type="application/json",
    )
    notes = Part(
        text="Ticket volume fell 20% after the new help centre launched. Median resolution is now 4 hours.",
        metadata=ParseDict({"source": "s2 (text_analyst)"}, Value()).struct_value,
    )
    async with served(app_for(tmp_path)) as url, a2a_client(url) as client:
        task, _ = await send(
            client, user_message("Write a report titled 'Support review' from s1 and s2.", calc, notes)
        )
        assert state(task) == "completed", status_text(task)
        text = artifact_text(task)
        assert text.startswith("# Support review\n")
        assert "| mean | 18 |" in text
        assert "- Ticket volume fell 20% after the new help centre launched. [2]" in text
        assert "1. s1 (calculator) (application/json)" in text
        data = get_data_parts(list(task.artifacts[0].parts))
        assert data[0]["title"] == "Support review"

        task, _ = await send(client, user_message("Calculate 17% of 2,340."))
        assert state(task) == "rejected"
        assert "Out of scope for writer: computing numbers is a job for a calculator agent" in status_text(task)

        task, _ = await send(client, user_message("Give me an executive summary"))
        assert state(task) == "input_required"
        assert status_text(task).startswith("What material should the summary be based on?")
        reply = user_message(
            "Hiring slowed in Q2. Attrition fell to 8%. Two offices merged.",
            task_id=task.id,
            context_id=task.context_id,
        )
        task, _ = await send(client, reply)
        assert state(task) == "completed", status_text(task)
        assert artifact_text(task).startswith("Hiring slowed in Q2. [1]")  # the summary paragraph comes first
