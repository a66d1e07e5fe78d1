"""The built-in workers, by name, in their default port order. Specs are imported only when asked for."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the names must not import the worker runtime
    from .runtime.spec import WorkerSpec

WORKERS = ("calculator", "text_analyst", "data_analyst", "librarian", "writer")


def worker_spec(name: str) -> WorkerSpec:
    if name not in WORKERS:
        raise KeyError(f"unknown worker {name!r}; known: {', '.join(WORKERS)}")
    from .runtime.spec import WorkerSpec

    spec = importlib.import_module(f"agents.{name}.worker").SPEC
    assert isinstance(spec, WorkerSpec)
    return spec
