"""librarian over a real socket: a cited answer end to end, bad input, and the server living on."""

from __future__ import annotations

from pathlib import Path

import pytest
from a2a.types import Part
from google.protobuf.json_format import MessageToDict
from starlette.applications import Starlette

from agents.librarian.corpus import ENV_VAR
from agents.librarian.worker import SPEC
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served


def builder(tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(url: str) -> Starlette:
        settings = load_worker_settings("librarian", {}, {"public_url": url, "data_dir": str(tmp_path)})
        return build_worker_app(SPEC, settings)

    return build


async def test_answer_with_citations_then_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    async with served(builder(tmp_path)) as url, a2a_client(url) as client:
        task, _ = await send(client, user_message("What does the input-required task state mean?"))
        assert state(task) == "completed", status_text(task)
        text = artifact_text(task)
        assert text.startswith("`input-required`: the agent paused because it needs something from the caller")
        assert "interrupted states" in text
        assert "[1] tasks-and-states.md § Tasks and their states > " in text
        data = [MessageToDict(p.data) for a in task.artifacts for p in a.parts if p.HasField("data")]
        hit = data[0]["hits"][0]
        assert hit["file"] == "tasks-and-states.md" and hit["score"] > 0 and hit["passage"]

        task, _ = await send(client, user_message("What is 17 * 23?"))
        assert state(task) == "rejected"
        assert "arithmetic" in status_text(task)

        by_url = Part(url="https://example.com/notes.md", media_type="text/plain")
        task, _ = await send(client, user_message("Search this document for retries", by_url))
        assert state(task) == "failed" and "file URL" in status_text(task)

        task, _ = await send(client, user_message("What is the capital of France?"))
        assert state(task) == "completed", status_text(task)
        assert artifact_text(task).startswith("Nothing relevant")


async def test_a_library_chosen_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / "owls.md").write_text("# Owls\n\nOwls hunt at night and fly silently thanks to soft feathers.\n")
    monkeypatch.setenv(ENV_VAR, str(library))
    async with served(builder(tmp_path)) as url, a2a_client(url) as client:
        task, _ = await send(client, user_message("Find passages about owls"))
        assert state(task) == "completed", status_text(task)
        assert "[1] owls.md § Owls" in artifact_text(task)
