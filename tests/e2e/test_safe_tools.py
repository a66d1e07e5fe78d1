"""Safe tools, driven over real sockets: the librarian reads nothing outside its library (a symlink or a
relative path that leads out finds nothing), and the calculator's evaluator bombs fail fast, clearly, and
leave the worker serving."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from starlette.applications import Starlette

from agents.calculator.worker import SPEC as CALCULATOR
from agents.librarian.worker import SPEC as LIBRARIAN
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from agents.runtime.spec import WorkerSpec
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)


def _builder(spec: WorkerSpec, data_dir: Path):  # type: ignore[no-untyped-def]
    def build(url: str) -> Starlette:
        return build_worker_app(
            spec, load_worker_settings(spec.name, {}, {"public_url": url, "data_dir": str(data_dir)})
        )

    return build


async def test_the_librarian_reads_nothing_outside_its_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "birds.md").write_text("# Birds\n\nOwls hunt at night.\n")
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nThe password is swordfish.\n")
    (library / "link.md").symlink_to(secret)
    monkeypatch.setenv("SWITCHBOARD_LIBRARY_DIR", str(library))
    async with served(_builder(LIBRARIAN, tmp_path)) as url, a2a_client(url) as client:
        searched, _ = await send(client, user_message("Search the library for the password"))
        named, _ = await send(client, user_message("Search the document ../secret.md for the password"))
        owls, _ = await send(client, user_message("Search the library for owls"))
    for task in (searched, named):
        assert "swordfish" not in artifact_text(task) + status_text(task)
    assert state(owls) == "completed" and "Owls hunt at night" in artifact_text(owls)


@pytest.mark.parametrize(
    "bomb", ["9**9**9**9", "(10**100000)**100000", "2**2**2**2**2**2**2", "(" * 500 + "1" + ")" * 500]
)
async def test_evaluator_bombs_fail_fast_and_the_calculator_keeps_serving(tmp_path: Path, bomb: str) -> None:
    async with served(_builder(CALCULATOR, tmp_path)) as url, a2a_client(url) as client:
        started = time.monotonic()
        task, _ = await send(client, user_message(f"Evaluate {bomb}"))
        elapsed = time.monotonic() - started
        after, _ = await send(client, user_message("What is 6 * 7?"))
    assert state(task) in ("failed", "rejected", "input_required", "completed"), status_text(task)
    assert state(task) != "completed" or len(artifact_text(task)) < 5000  # never a giant number
    assert elapsed < 2.0
    assert state(after) == "completed" and "42" in artifact_text(after)
