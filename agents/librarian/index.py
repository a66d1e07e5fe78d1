"""`Bm25Index`: Okapi BM25 (k1=1.5, b=0.75) over passages, built lazily once per directory and cached.

`index_for(root)` returns the index of a library directory, rebuilding it only when the set of documents,
their sizes or their modification times changed (the cache key). It is safe to call from several threads
(tools run in worker threads); nothing is read or built at import time.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .corpus import Passage, list_documents, split_passages
from .text import tokens

K1 = 1.5
B = 0.75
TITLE_BOOST = 0.5  # a passage whose own heading is made of the query's terms gains half its score


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    matched: tuple[str, ...]  # query terms found in the passage


class Bm25Index:
    """An immutable BM25 index; a passage's heading path is indexed along with its text, and a passage whose
    own (last) heading is made only of the query's terms scores `TITLE_BOOST` more ("what's an agent card"
    prefers the section titled "Agent cards", "when is it safe to retry" the one titled "Retries")."""

    def __init__(self, passages: Sequence[Passage], documents: int) -> None:
        self.passages = tuple(passages)
        self.documents = documents
        self._terms = [Counter(tokens(f"{p.heading}\n{p.text}")) for p in self.passages]
        self._titles = [set(tokens(p.heading.rsplit(" > ", 1)[-1])) for p in self.passages]
        self._lengths = [sum(t.values()) for t in self._terms]
        self._average = (sum(self._lengths) / len(self._lengths)) if self._lengths else 0.0
        df: Counter[str] = Counter()
        for terms in self._terms:
            df.update(terms.keys())
        n = len(self.passages)
        self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def idf(self, term: str) -> float:
        """The inverse document frequency of a (stemmed) term over the passages; 0 for unknown terms."""
        return self._idf.get(term, 0.0)

    def search(self, query: str, limit: int = 5, files: frozenset[str] | None = None) -> list[Hit]:
        """The best `limit` passages for `query` with a positive score, best first (ties: file order)."""
        terms = list(dict.fromkeys(tokens(query)))
        hits: list[Hit] = []
        for i, passage in enumerate(self.passages):
            if files is not None and passage.file not in files:
                continue
            counts = self._terms[i]
            matched = tuple(t for t in terms if t in counts)
            if not matched:
                continue
            norm = K1 * (1 - B + B * self._lengths[i] / (self._average or 1.0))
            score = sum(self._idf[t] * counts[t] * (K1 + 1) / (counts[t] + norm) for t in matched)
            if self._titles[i] and self._titles[i] <= set(terms):
                score *= 1 + TITLE_BOOST  # the section is about exactly what the query names
            hits.append(Hit(passage, score, matched))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], Bm25Index]] = {}


def index_for(root: Path) -> Bm25Index:
    """The index of the library at `root`, from the cache unless a document was added, removed or changed."""
    key = root.resolve()
    documents = list_documents(root)
    signature = tuple((name, path.stat().st_mtime_ns, path.stat().st_size) for name, path in documents)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == signature:
            return cached[1]
        passages = [
            p for name, path in documents for p in split_passages(name, path.read_text("utf-8", errors="replace"))
        ]
        index = Bm25Index(passages, len(documents))
        _cache[key] = (signature, index)
        return index
