"""The read-only web dashboard at `GET /ui`: one static, self-contained page (`dashboard/index.html`).

The page holds no data, so it is served without a token (it is in the app's `open_paths`). Everything it shows
it reads in the browser, with the caller's own token, from what the orchestrator already serves: `GET /agents`
(the roster), ListTasks and GetTask over the HTTP+JSON binding, and SubscribeToTask (SSE) for a live goal. So
the dashboard is exactly as protected as the A2A API and can change nothing.

The page's inline script and style are allowed by their hashes in a strict Content-Security-Policy (no other
script, no inline event handler, connections to this origin only): a second line of defence behind the page
rendering every string from the network as text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

UI_PATH = "/ui"
_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def load_page() -> str:
    """The page's HTML, shipped as package data."""
    return (resources.files(__package__) / "dashboard" / "index.html").read_text(encoding="utf-8")


def content_security_policy(html: str) -> str:
    """A CSP allowing exactly the page's inline `<script>` and `<style>` blocks (by SHA-256) and fetches to
    this origin; nothing else loads or runs (no images, frames, forms, plugins, or base-URL changes)."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, body in _INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes[tag].append(f"'sha256-{digest}'")
    scripts = " ".join(hashes["script"]) or "'none'"
    styles = " ".join(hashes["style"]) or "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def dashboard_routes() -> list[BaseRoute]:
    """`GET /ui`: the page, read once, here (a missing page fails at start-up, not on the first visit)."""
    html = load_page()
    headers = {
        "Content-Security-Policy": content_security_policy(html),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
    }

    async def page(_request: Request) -> Response:
        return HTMLResponse(html, headers=headers)

    return [Route(UI_PATH, page, methods=["GET"])]
