"""A worker whose settings carry an API key takes the Claude path: real A2A socket in, real anthropic client out
to a local Messages API stand-in."""

from __future__ import annotations

from pathlib import Path

from a2a.helpers import get_data_parts
from a2a.types import GetTaskRequest, Part
from google.protobuf.json_format import MessageToDict, ParseDict
from google.protobuf.struct_pb2 import Struct, Value
from starlette.applications import Starlette

from agents.runtime.bootstrap import build_worker_app
from agents.runtime.executor import USAGE_KEY
from agents.runtime.settings import load_worker_settings
from agents.writer.worker import SPEC
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.fake_claude import FakeClaude, serve_fake_claude, text_reply, tool_use_reply, usage
from tests.support.servers import served

FINAL = "# Support review\n\nTicket volume fell 20% [1].\n\n## Sources\n\n1. s1 (text_analyst)"
EXPECTED_USAGE = {
    "input_tokens": 300,
    "output_tokens": 50,
    "cache_read_tokens": 1200,
    "cache_write_tokens": 1200,
    "calls": 2,
    "model": "claude-x",  # the model id travels with the usage, for cost estimates
}


def source(name: str) -> Struct:
    return ParseDict({"source": name}, Value()).struct_value


async def test_worker_with_api_key_in_settings_answers_through_claude(tmp_path: Path) -> None:
    fake = FakeClaude(
        tool_use_reply("compose_report", {"title": "Support review"}, tokens=usage(100, 20, 1200, 0)),
        text_reply(FINAL, tokens=usage(200, 30, 0, 1200)),
    )
    async with serve_fake_claude(fake) as claude_url:
        env = {"ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_BASE_URL": claude_url, "SWITCHBOARD_MODEL": "claude-x"}

        def build(url: str) -> Starlette:
            settings = load_worker_settings("writer", env, {"public_url": url, "data_dir": str(tmp_path)})
            assert settings.model.uses_claude
            return build_worker_app(SPEC, settings)

        notes = Part(
            text="Ticket volume fell 20% after the help centre launched.", metadata=source("s1 (text_analyst)")
        )
        async with served(build) as url, a2a_client(url) as client:
            task, events = await send(client, user_message("Write a report titled 'Support review' from s1.", notes))
            assert state(task) == "completed", status_text(task)
            assert artifact_text(task) == FINAL
            [data] = get_data_parts(list(task.artifacts[0].parts))
            assert data["title"] == "Support review" and data["sources"][0]["source"] == "s1 (text_analyst)"

            # usage travels on the final status update, and the server merges it into the stored task
            final = [e.status_update for e in events if e.WhichOneof("payload") == "status_update"][-1]
            assert MessageToDict(final.metadata)[USAGE_KEY] == EXPECTED_USAGE
            stored = await client.get_task(GetTaskRequest(id=task.id))
            assert state(stored) == "completed"
            assert MessageToDict(stored.metadata)[USAGE_KEY] == EXPECTED_USAGE

    first, second = fake.bodies()
    assert first["model"] == "claude-x"
    assert "<materials>" in first["messages"][0]["content"]
    assert '"source": "s1 (text_analyst)"' in first["messages"][0]["content"]
    [result] = second["messages"][-1]["content"]
    assert result["type"] == "tool_result" and result["is_error"] is False
    assert result["content"].startswith("# Support review\n")
    assert "- Ticket volume fell 20% after the help centre launched. [1]" in result["content"]
