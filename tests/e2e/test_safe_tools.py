"""Safe tools, driven over real sockets: the librarian reads nothing outside its library (a symlink or a
relative path that leads out finds nothing), the calculator's evaluator bombs fail fast, clearly, and leave the
worker serving, and file parts given by URL are fetched only from allowed hosts, within size and time limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from a2a.types import Part
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from agents.calculator.worker import SPEC as CALCULATOR
from agents.data_analyst.worker import SPEC as DATA_ANALYST
from agents.librarian.worker import SPEC as LIBRARIAN
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from agents.runtime.spec import WorkerSpec
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)


def _builder(spec: WorkerSpec, data_dir: Path, **env: str):  # type: ignore[no-untyped-def]
    def build(url: str) -> Starlette:
        return build_worker_app(
            spec, load_worker_settings(spec.name, env, {"public_url": url, "data_dir": str(data_dir)})
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
@pytest.mark.timeout(20)  # evaluated, any of these would run for hours: ending at all is failing fast
async def test_evaluator_bombs_fail_fast_and_the_calculator_keeps_serving(tmp_path: Path, bomb: str) -> None:
    async with served(_builder(CALCULATOR, tmp_path)) as url, a2a_client(url) as client:
        task, _ = await send(client, user_message(f"Evaluate {bomb}"))
        after, _ = await send(client, user_message("What is 6 * 7?"))
    assert state(task) in ("failed", "rejected", "input_required", "completed"), status_text(task)
    assert state(task) != "completed" or len(artifact_text(task)) < 5000  # never a giant number
    assert state(after) == "completed" and "42" in artifact_text(after)


def _file_server(base: str) -> Starlette:
    """Serves a CSV, a body that never ends, a body that never comes, and a redirect to another host."""

    async def csv(_request: Request) -> Response:
        return Response(b"region,revenue\nNorth,100\nSouth,290\nNorth,80\n", media_type="text/csv")

    async def endless(_request: Request) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            while True:
                yield b"x" * 65536
                await asyncio.sleep(0)

        return StreamingResponse(chunks(), media_type="text/csv")

    async def silent(request: Request) -> Response:
        while (await request.receive())["type"] != "http.disconnect":
            pass
        return Response(status_code=204)

    async def away(_request: Request) -> Response:
        return Response(status_code=302, headers={"Location": "http://10.9.9.9/secrets.csv"})

    routes = [Route("/sales.csv", csv), Route("/endless", endless), Route("/silent", silent), Route("/away", away)]
    return Starlette(routes=routes)


async def test_file_urls_are_fetched_only_from_allowed_hosts_within_size_and_time(tmp_path: Path) -> None:
    async with served(_file_server) as files:
        port = files.rsplit(":", 1)[1]
        fetching = {"SWITCHBOARD_FETCH_HOSTS": f"127.0.0.1:{port}", "SWITCHBOARD_FETCH_TIMEOUT": "0.5"}
        async with served(_builder(DATA_ANALYST, tmp_path, **fetching)) as url, a2a_client(url) as client:

            async def ask(link: str) -> tuple[str, str, str]:
                part = Part(url=link, media_type="text/csv", filename="sales.csv")
                task, _ = await send(client, user_message("Group by region and sum revenue", part))
                return state(task), status_text(task), artifact_text(task)

            fetched = await ask(f"{files}/sales.csv")
            other_port = await ask(f"http://127.0.0.1:{int(port) + 1}/sales.csv")
            other_host = await ask(f"http://localhost:{port}/sales.csv")
            metadata = await ask("http://169.254.169.254/latest/meta-data")
            not_http = await ask("file:///etc/passwd")
            endless = await ask(f"{files}/endless")
            silent = await ask(f"{files}/silent")
            redirect = await ask(f"{files}/away")
            missing = await ask(f"{files}/nothing-here")
            again = await ask(f"{files}/sales.csv")
    assert fetched[0] == "completed" and "| North | 180 |" in fetched[2], fetched
    for refused in (other_port, other_host, metadata):
        assert refused[0] == "failed" and "not among the hosts this agent fetches from" in refused[1], refused
    assert not_http[0] == "failed" and "not http(s)" in not_http[1]
    assert endless[0] == "failed" and "larger than this agent's limit of 1000000 bytes" in endless[1]
    assert silent[0] == "failed" and "timed out after 0.5 s" in silent[1]
    assert redirect[0] == "failed" and "redirect, which is not followed" in redirect[1]
    assert missing[0] == "failed" and "HTTP 404" in missing[1]
    assert again[:3] == fetched[:3]  # nothing disturbed the worker
