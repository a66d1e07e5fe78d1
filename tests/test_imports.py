"""The import rules of the architecture (DESIGN.md, "Module map"), read from the code itself.

The orchestrator knows workers only by their cards and the protocol: it imports `agents.host`, never
`agents.runtime` or a worker package. The host imports neither the orchestrator nor a worker; the worker runtime
imports no worker and not the orchestrator. No module imports itself back through others.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).parents[1]
WORKERS = sorted(
    p.name for p in (ROOT / "agents").iterdir() if (p / "__init__.py").exists() and p.name not in ("host", "runtime")
)
# alembic's environment script, run only by the `alembic` command when authoring a revision: it composes every
# owner's tables, the journal's included, as the whole system declares them
AUTHORING_SCRIPTS = {ROOT / "agents" / "host" / "migrations" / "env.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (annotations only, never executed)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            lines |= {n.lineno for child in node.body for n in ast.walk(child) if hasattr(n, "lineno")}
    return lines


def imports_of(path: Path) -> Iterator[str]:
    """Every module `path` imports at run time (relative imports resolved; TYPE_CHECKING blocks skipped)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)  # "from . import tracing"


def sources(*packages: str) -> list[Path]:
    return [
        p
        for package in packages
        for p in sorted((ROOT / package.replace(".", "/")).rglob("*.py"))
        if p not in AUTHORING_SCRIPTS and "versions" not in p.parts
    ]


def violations(packages: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{module_name(path)} imports {name}"
        for path in sources(*packages)
        for name in sorted(set(imports_of(path)))
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


WORKER_PACKAGES = tuple(f"agents.{w}" for w in WORKERS)


@pytest.mark.parametrize(
    "packages, forbidden",
    [
        (("orchestrator_agent",), ("agents.runtime", *WORKER_PACKAGES)),
        (("agents.host",), ("orchestrator_agent", "agents.runtime", *WORKER_PACKAGES)),
        (("agents.runtime",), ("orchestrator_agent", *WORKER_PACKAGES)),
        (WORKER_PACKAGES, ("orchestrator_agent",)),
    ],
    ids=["orchestrator", "host", "runtime", "workers"],
)
def test_import_rules(packages: tuple[str, ...], forbidden: tuple[str, ...]) -> None:
    assert violations(packages, forbidden) == []


def test_there_are_no_import_cycles() -> None:
    modules = {module_name(p): p for p in sources("agents", "orchestrator_agent")}
    graph = {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}
    cycles = [sorted(c) for c in _strongly_connected(graph) if len(c) > 1]
    assert cycles == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative: the strongly connected components of `graph`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def test_loading_the_orchestrator_loads_no_worker_code() -> None:
    """What the rules are for, observed: the orchestrator's process, CLI included, never loads the worker
    runtime or a worker."""
    probe = (
        "import sys, orchestrator_agent.app, orchestrator_agent.cli, orchestrator_agent.network; "
        "print('\\n'.join(m for m in sys.modules if m.startswith(('agents.runtime', "
        + ", ".join(repr(w) for w in WORKER_PACKAGES)
        + "))))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert loaded.stdout.split() == []
