"""The librarian's document collection: where it lives, which files may be read, and their passages.

`library_dir()` reads `SWITCHBOARD_LIBRARY_DIR` from the environment at call time (not import time), so a
process can be pointed at another corpus without code changes; the default is the package's own `corpus/`
directory. Only regular `.md`/`.txt` files whose resolved path lies inside the resolved library directory
are read: symlinks or names that lead outside it are skipped when listing and refused when named.
Documents are split into passages by heading and paragraph, each keeping its heading path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from agents.runtime.tools import ToolError

ENV_VAR = "SWITCHBOARD_LIBRARY_DIR"
DEFAULT_DIR = Path(__file__).resolve().parent / "corpus"
SUFFIXES = (".md", ".markdown", ".txt")
MAX_FILES = 2000
MAX_FILE_BYTES = 1_000_000
MIN_PASSAGE_WORDS = 25  # shorter paragraphs join the next one under the same heading
MAX_PASSAGE_WORDS = 220

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Passage:
    file: str  # path relative to the library directory, with forward slashes
    heading: str  # heading path, e.g. "Tasks > Terminal states"
    text: str


def library_dir() -> Path:
    """The library directory: `$SWITCHBOARD_LIBRARY_DIR` when set (read now), else the packaged corpus."""
    configured = os.environ.get(ENV_VAR, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_DIR


def inside(root: Path, candidate: Path) -> Path | None:
    """`candidate` resolved (symlinks followed) when it is a regular file inside `root`, else None."""
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        return None
    return resolved


def document_path(root: Path, name: str) -> Path:
    """The file `name` (relative to the library) or `ToolError` when it is missing or outside the library."""
    if Path(name).is_absolute():
        raise ToolError(f"refused: {name!r} is an absolute path; name a document inside the library")
    resolved = inside(root, root / name)
    if resolved is None:
        raise ToolError(f"refused or not found: {name!r} is not a document inside the library")
    return resolved


def list_documents(root: Path) -> list[tuple[str, Path]]:
    """(relative name, resolved path) of every readable document, sorted by name; capped at `MAX_FILES`."""
    if not root.is_dir():
        raise ToolError(f"the library directory {str(root)!r} does not exist")
    found: list[tuple[str, Path]] = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in SUFFIXES:
            continue
        resolved = inside(root, path)
        if resolved is None or resolved.stat().st_size > MAX_FILE_BYTES:
            continue
        found.append((path.relative_to(root).as_posix(), resolved))
        if len(found) >= MAX_FILES:
            break
    return found


def split_passages(name: str, text: str) -> list[Passage]:
    """Passages of one document: paragraphs (code fences kept whole) under their heading path; short
    paragraphs merged with the next one in the same section, long ones cut at sentence boundaries."""
    stack: list[tuple[int, str]] = []
    blocks: list[tuple[str, str]] = []  # (heading path, paragraph)
    current: list[str] = []
    in_fence = False
    default = Path(name).stem.replace("-", " ").replace("_", " ")

    def flush() -> None:
        if current:
            blocks.append((" > ".join(t for _, t in stack) or default, "\n".join(current).strip()))
            current.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            stack[:] = [(lv, t) for lv, t in stack if lv < level] + [(level, heading.group(2).strip())]
        elif not line.strip() and not in_fence:
            flush()
        else:
            current.append(line)
    flush()
    return [Passage(name, heading, body) for heading, body in _sized(blocks)]


def _sized(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for heading, body in blocks:
        if not body:
            continue
        if merged and merged[-1][0] == heading and len(merged[-1][1].split()) < MIN_PASSAGE_WORDS:
            merged[-1] = (heading, merged[-1][1] + "\n\n" + body)
        else:
            merged.append((heading, body))
    out: list[tuple[str, str]] = []
    for heading, body in merged:
        words = body.split()
        if len(words) <= MAX_PASSAGE_WORDS:
            out.append((heading, body))
            continue
        chunk: list[str] = []
        for sentence in re.split(r"(?<=[.!?])\s+", body):
            if chunk and len(" ".join([*chunk, sentence]).split()) > MAX_PASSAGE_WORDS:
                out.append((heading, " ".join(chunk)))
                chunk = []
            chunk.append(sentence)
        if chunk:
            out.append((heading, " ".join(chunk)))
    return out
