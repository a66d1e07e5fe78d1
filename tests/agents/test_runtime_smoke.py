from pathlib import Path

import pytest

from agents.runtime.bootstrap import build_worker_app
from agents.runtime.executor import json_safe
from agents.runtime.settings import load_worker_settings
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served
from tests.support.toy import SPEC

CARDS = Path(__file__).parents[1] / "support" / "cards"


async def test_toy_round_trip(tmp_path: Path) -> None:
    def build(url: str):
        settings = load_worker_settings(
            "toy", {}, {"public_url": url, "data_dir": str(tmp_path), "cards_dir": str(CARDS)}
        )
        return build_worker_app(SPEC, settings)

    async with served(build) as url, a2a_client(url) as client:
        task, events = await send(client, user_message("count: a b c"))
        print([e.WhichOneof("payload") for e in events])
        assert state(task) == "completed", status_text(task)
        assert "3 words" in artifact_text(task)
        task, _ = await send(client, user_message("ask me"))
        assert state(task) == "input_required"
        task2, _ = await send(client, user_message("Bob", task_id=task.id, context_id=task.context_id))
        assert state(task2) == "completed", status_text(task2)
        assert "Bob" in artifact_text(task2)
        task, _ = await send(client, user_message("other"))
        assert state(task) == "rejected"


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        (10**400, str(10**400)),
        (2**53, 2**53),
        (float("nan"), None),
        (float("inf"), None),
        ({"a": [1, 2.5, True, None, 10**20]}, {"a": [1, 2.5, True, None, str(10**20)]}),
        ((1, "x"), [1, "x"]),
    ],
)
def test_tool_data_is_made_safe_for_protobuf(value: object, safe: object) -> None:
    assert json_safe(value) == safe
