"""The dashboard at `/ui` in a real headless browser: Debian's `chromium` driven by Selenium through
`chromedriver`, against a real orchestrator process with auth tokens and two scripted worker processes.

The browser and its driver are installed here if missing (apt-get, as root); the test is skipped, saying why,
only if that fails. `SWITCHBOARD_UPDATE_SCREENSHOT=1` writes the mid-goal screenshot to `docs/dashboard.png`
(the README's picture); otherwise it goes to the test's tmp dir.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.a2a import a2a_client, send, state, user_message
from tests.support.debian import apt_install
from tests.support.orchestration import plan_part, url
from tests.support.processes import ROOT, agent_process, free_ports, scripted, wait_for_card

pytestmark = pytest.mark.timeout(420)  # the first run on a machine installs chromium (about a minute)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
TOKEN = "dashboard-test-token-0123456789"
GOAL = "Dashboard test: gather two facts, then compose them."
INJECTED = '<img src=x onerror="window.__pwned = 1">'
WAIT = 20.0  # seconds any one thing may take to appear on the page


def _install_browser() -> str:
    """Install chromium and chromedriver from Debian if missing; '' when both are there, else why not."""
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return ""
    problem = apt_install("chromium", "chromium-driver", timeout=400)
    return f"chromium is missing and could not be installed: {problem}" if problem else ""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the dev extra: pip install -e .[dev]")
    reason = _install_browser()
    if reason:
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)  # never Selenium Manager: nothing downloaded
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def orchestrator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An orchestrator requiring TOKEN over two workers: `gather` (3 s a subtask, longer than one poll of the
    page's goal list, so the page sees it working) and `compose` (2 s). The workers start side by side."""
    gather, compose, port = free_ports(3)
    data = tmp_path_factory.mktemp("orchestrator")
    args = ["-m", "orchestrator_agent", "--port", str(port), "--data-dir", str(data)]
    env = {"SWITCHBOARD_AUTH_TOKENS": f"tester:{TOKEN}", "SWITCHBOARD_RETRY_BACKOFF": "0.05"}
    with (
        agent_process(scripted(gather, skill="gather", name="gatherer", delay=3.0), gather, wait=False) as first,
        agent_process(scripted(compose, skill="compose", name="composer", delay=2.0), compose, wait=False) as second,
    ):
        wait_for_card(url(gather), first)
        wait_for_card(url(compose), second)
        with agent_process([*args, "--agents", f"{url(gather)},{url(compose)}"], port, env=env):
            yield url(port)


def _waiter(driver: Any) -> Callable[[Callable[[Any], Any], str], Any]:
    from selenium.webdriver.support.ui import WebDriverWait

    def wait(condition: Callable[[Any], Any], what: str) -> Any:
        return WebDriverWait(driver, WAIT, poll_frequency=0.05).until(condition, message=f"page never showed {what}")

    return wait


def _text(driver: Any, css: str) -> str:
    return str(driver.execute_script("return document.querySelector(arguments[0])?.textContent || ''", css))


def _node_states(driver: Any) -> dict[str, str]:
    nodes = driver.execute_script(
        "return [...document.querySelectorAll('#dag .node')].map(n => [n.dataset.subtask, n.dataset.state])"
    )
    return {str(k): str(v) for k, v in nodes}


def test_without_a_valid_token_the_page_says_so_and_shows_no_data(browser: Any, orchestrator: str) -> None:
    page = httpx.get(orchestrator + "/ui", timeout=5)  # the page itself is open: it holds no data
    assert page.status_code == 200 and "script-src 'sha256-" in page.headers["content-security-policy"]
    assert httpx.get(orchestrator + "/agents", timeout=5).status_code == 401  # the data it reads is not
    wait = _waiter(browser)
    browser.get(orchestrator + "/ui")
    browser.execute_script("sessionStorage.clear()")
    browser.refresh()
    wait(lambda d: "token required" in _text(d, "#notice").lower(), "'token required'")
    assert browser.execute_script("return document.getElementById('main').hidden") is True
    assert _text(browser, "#agents") == ""
    browser.get(orchestrator + "/ui#token=not-the-right-token-at-all")
    wait(lambda d: "token rejected" in _text(d, "#notice").lower(), "'token rejected'")
    assert "token=" not in browser.current_url  # taken out of the address bar at once
    assert _text(browser, "#agents") == "" and _text(browser, "#goal-list") == ""


def test_a_goal_runs_live_on_the_dashboard(browser: Any, orchestrator: str, tmp_path: Path) -> None:
    wait = _waiter(browser)
    browser.get(orchestrator + f"/ui#token={TOKEN}")
    wait(lambda d: "gatherer" in _text(d, "#agents") and "composer" in _text(d, "#agents"), "both workers")
    assert _text(browser, "#agents").count("healthy") == 2
    assert "token=" not in browser.current_url

    plan = plan_part(
        {"id": "facts_a", "skill": "gather", "brief": f"First fact {INJECTED}"},
        {"id": "facts_b", "skill": "gather", "brief": "Second fact"},
        {"id": "merge", "skill": "compose", "brief": "Compose both facts.", "depends_on": ["facts_a", "facts_b"]},
    )

    async def run_goal() -> Any:
        async with a2a_client(orchestrator, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
            task, _ = await send(client, user_message(GOAL, plan))
            return task

    with ThreadPoolExecutor(1) as pool:
        goal = pool.submit(asyncio.run, run_goal())
        wait(lambda d: GOAL in _text(d, "#goal-list"), "the goal in the list")
        wait(lambda d: _node_states(d).get("facts_a") == "working" == _node_states(d).get("facts_b"), "gathering")
        wait(lambda d: _node_states(d) == {"facts_a": "completed", "facts_b": "completed", "merge": "working"}, "merge")
        update = os.environ.get("SWITCHBOARD_UPDATE_SCREENSHOT") == "1"
        shot = (ROOT / "docs" if update else tmp_path) / "dashboard.png"
        assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:4] == b"\x89PNG"
        wait(lambda d: set(_node_states(d).values()) == {"completed"}, "every subtask completed")
        wait(lambda d: "[merge]" in _text(d, "#result") and "Details" in _text(d, "#result"), "the result")
        task = goal.result(timeout=WAIT)
    assert state(task) == "completed"
    assert task.id in browser.execute_script("return document.getElementById('goal-id').textContent")
    manifest_rows = browser.execute_script(
        "return document.querySelectorAll('#manifest tbody tr[data-subtask]').length"
    )
    assert manifest_rows == 3
    # a worker's output carrying markup is shown as text: no element made from it, nothing run
    assert INJECTED in _text(browser, '#artifacts [data-artifact^="facts_a."] pre')
    assert browser.execute_script("return document.querySelectorAll('#goal img').length") == 0
    assert browser.execute_script("return window.__pwned === undefined") is True
