"""The semantic signal for offline selection: how close in meaning a request is to a skill's advertised texts.

`Similarity` is the port (one method). `WordLlamaSimilarity` uses the static embedding model that ships inside
the `wordllama` wheel (256 dimensions, ~1 ms per query on a CPU): loaded from the installed package only,
never downloaded. Its loader looks for the bundled tokenizer under `cache_dir`, so the package folder itself is
passed as the cache. Embeddings of skill texts are cached: a roster's texts are embedded once.
`NoSimilarity` stands in where the model cannot be loaded; selection then rests on words and shapes alone.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Similarity(Protocol):
    async def ready(self) -> None:
        """Load what `scores` needs, off the event loop (idempotent)."""
        ...

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        """Cosine similarity (-1..1) of `query` with each of `texts`, in order."""
        ...


class NoSimilarity:
    async def ready(self) -> None:
        return None

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        return [0.0 for _ in texts]


class WordLlamaSimilarity:
    """Cosine similarity of WordLlama embeddings. The model loads on first use (about a second), or at start-up
    through `load()`; loading is thread-safe and happens once."""

    def __init__(self, cache_size: int = 8192) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._vector = functools.lru_cache(maxsize=cache_size)(self._embed_one)

    async def ready(self) -> None:
        if self._model is None:
            await asyncio.to_thread(self.load)

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            import wordllama  # a 30 MB import with numpy: only where the offline planner runs

            folder = Path(wordllama.__file__).parent
            self._model = wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
            log.info("offline selection: WordLlama embeddings loaded from %s", folder)

    def _embed_one(self, text: str) -> Any:
        return self._model.embed([text], norm=True)[0]

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        if self._model is None:
            self.load()
        import numpy

        q = self._vector(query)
        if not texts:
            return []
        matrix = numpy.stack([self._vector(t) for t in texts])
        return [float(v) for v in matrix @ q]


def default_similarity() -> Similarity:
    """WordLlama when its package is installed (it is a dependency), else none with a warning."""
    try:
        import wordllama  # noqa: F401
    except ImportError:
        log.warning("offline selection: wordllama is not installed; matching by words and shapes only")
        return NoSimilarity()
    return WordLlamaSimilarity()
