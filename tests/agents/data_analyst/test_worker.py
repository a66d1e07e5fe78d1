"""data_analyst over a real socket: a CSV file part end to end, bad input, and the server living on."""

from __future__ import annotations

from pathlib import Path

from a2a.types import Part
from google.protobuf.json_format import MessageToDict
from starlette.applications import Starlette

from agents.data_analyst.worker import SPEC
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served

SALES = b"region,product,revenue\nNorth,A,100\nSouth,B,250\nNorth,C,80\nSouth,A,40\n"


def builder(tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(url: str) -> Starlette:
        settings = load_worker_settings("data_analyst", {}, {"public_url": url, "data_dir": str(tmp_path)})
        return build_worker_app(SPEC, settings)

    return build


async def test_group_by_over_a_csv_file_part_then_bad_input(tmp_path: Path) -> None:
    async with served(builder(tmp_path)) as url, a2a_client(url) as client:
        csv_part = Part(raw=SALES, media_type="text/csv", filename="sales.csv")
        task, _ = await send(client, user_message("Group by region and sum revenue", csv_part))
        assert state(task) == "completed", status_text(task)
        text = artifact_text(task)
        assert "| region | sum_revenue |" in text and "| North | 180 |" in text and "| South | 290 |" in text
        data = [MessageToDict(p.data) for a in task.artifacts for p in a.parts if p.HasField("data")]
        assert data[0]["rows"] == [{"region": "North", "sum_revenue": 180}, {"region": "South", "sum_revenue": 290}]

        by_url = Part(url="https://example.com/sales.csv", media_type="text/csv")
        task, _ = await send(client, user_message("Describe this table", by_url))
        assert state(task) == "failed"
        assert "file URL" in status_text(task) and "inline" in status_text(task)

        task, _ = await send(client, user_message("Translate this poem into French: the rain falls softly"))
        assert state(task) == "rejected"
        assert status_text(task).startswith("Out of scope for data_analyst:")

        task, _ = await send(client, user_message("Describe the columns of this CSV:\nname,age\nAda,36\nBob,41"))
        assert state(task) == "completed", status_text(task)
        assert "| age | int | 2 | 0 | 2 | 36 | 41 |" in artifact_text(task)


async def test_missing_table_asks_then_the_reply_completes(tmp_path: Path) -> None:
    async with served(builder(tmp_path)) as url, a2a_client(url) as client:
        task, _ = await send(client, user_message("Show the top 1 rows by revenue"))
        assert state(task) == "input_required"
        assert "attach the table" in status_text(task)
        csv_part = Part(raw=SALES, media_type="text/csv", filename="sales.csv")
        reply = user_message("here it is", csv_part, task_id=task.id, context_id=task.context_id)
        task, _ = await send(client, reply)
        assert state(task) == "completed", status_text(task)
        assert "| South | B | 250 |" in artifact_text(task)
