"""The librarian tools: BM25 passage search over the library, and extractive answers with citations.

Both read only documents inside `library_dir()` (see `corpus`), search with the question's everyday wording
expanded into the library's (`phrasing`), return Markdown text plus a data part
`{query|question, documents, hits: [{rank, file, heading, score, passage}]}`, and treat "nothing relevant"
as a normal result, not an error. An answer's first line is its answer sentence, cited; supporting sentences
and the quoted sources follow (`answer`). `ToolError` is raised for questions with no searchable words, a missing
library directory, or a `document` filter naming something outside the library.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, JsonValue

from agents.runtime.tools import Tool, ToolContext, ToolError, ToolResult

from .answer import compose_answer
from .corpus import document_path, library_dir
from .enumeration import asked_for, listing
from .index import Bm25Index, Hit, index_for
from .phrasing import expand
from .text import tokens

PASSAGE_CHARS = 1500  # passage text carried in the data part
ANSWER_POOL = 6  # passages an answer may draw on; only the ones it uses beyond `limit` are cited too
LIST_POOL = 20  # passages searched for the list that answers "what states ...", "which kinds of ..."
EXCERPT_CHARS = 500  # passage text quoted in the Markdown answer


class SearchArgs(BaseModel):
    query: str = Field(min_length=1, max_length=2000, description="What to look for, in plain words.")
    limit: int = Field(default=5, ge=1, le=20, description="How many passages to return.")
    document: str | None = Field(
        default=None, description="Only search this document (its file name relative to the library)."
    )


class AnswerArgs(BaseModel):
    question: str = Field(min_length=1, max_length=2000, description="The question to answer from the library.")
    limit: int = Field(default=3, ge=1, le=10, description="How many passages to cite at most.")
    document: str | None = Field(
        default=None, description="Only use this document (its file name relative to the library)."
    )


def _search(text: str, limit: int, document: str | None) -> tuple[Bm25Index, list[Hit]]:
    if not tokens(text):
        raise ToolError("the question has no searchable words; ask about a topic, e.g. 'task states'")
    root = library_dir()
    index = index_for(root)
    files = None
    if document:
        path = document_path(root, document)
        files = frozenset({path.relative_to(root.resolve()).as_posix()})
    return index, index.search(expand(text), limit, files)


def citation(rank: int, hit: Hit) -> str:
    return f"[{rank}] {hit.passage.file} § {hit.passage.heading}"


def _hits_data(hits: list[Hit]) -> list[JsonValue]:
    return [
        {
            "rank": rank,
            "file": h.passage.file,
            "heading": h.passage.heading,
            "score": round(h.score, 4),
            "passage": h.passage.text[:PASSAGE_CHARS],
        }
        for rank, h in enumerate(hits, 1)
    ]


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= EXCERPT_CHARS:
        return flat
    return flat[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " ..."


def _passages_markdown(hits: list[Hit]) -> str:
    return "\n\n".join(
        f"{citation(rank, h)} (score {h.score:.2f})\n> {_excerpt(h.passage.text)}" for rank, h in enumerate(hits, 1)
    )


def _nothing(what: str, index: Bm25Index) -> str:
    return (
        f"Nothing relevant to “{what}” was found in the library ({index.documents} documents,"
        f" {len(index.passages)} passages). Try other words, or ask about a topic the library covers."
    )


def search_documents(args: SearchArgs, _ctx: ToolContext) -> ToolResult:
    index, hits = _search(args.query, args.limit, args.document)
    data: dict[str, JsonValue] = {"query": args.query, "documents": index.documents, "hits": _hits_data(hits)}
    if not hits:
        return ToolResult(text=_nothing(args.query, index), data=data)
    head = f"{len(hits)} passage(s) for “{args.query}”, best first:"
    return ToolResult(text=f"{head}\n\n{_passages_markdown(hits)}", data=data)


def _cited(hits: list[Hit], limit: int, used: list[int]) -> tuple[list[Hit], dict[int, int]]:
    """The passages to cite: the best `limit`, plus any further one an answer sentence came from, renumbered."""
    ranks = list(range(1, min(limit, len(hits)) + 1)) + sorted({r for r in used if r > limit})
    return [hits[r - 1] for r in ranks], {old: new for new, old in enumerate(ranks, 1)}


# words that ask about the library rather than name a topic: "what do the docs say about timeouts?"
_ABOUT_THE_LIBRARY = frozenset(
    tokens(
        "docs doc documents documentation library notes say says said mention mentions recommend recommends "
        "cover covers talk talks guide guidance according written write"
    )
)


def _relevant(question: str, hits: list[Hit]) -> bool:
    """Whether the best passages speak of the question: of a question of two or more words (its own, and the
    library's words for them), at least two appear in one passage ("which month was best?" shares only "best"
    with the library: not relevant)."""
    own = set(tokens(expand(question))) - _ABOUT_THE_LIBRARY  # the library's words for everyday ones count too
    if len(own) < 2:
        return bool(hits)
    return any(len(own & set(tokens(f"{h.passage.heading} {h.passage.text}"))) >= 2 for h in hits[:ANSWER_POOL])


def answer_question(args: AnswerArgs, _ctx: ToolContext) -> ToolResult:
    index, pool = _search(args.question, max(args.limit, ANSWER_POOL), args.document)
    if not _relevant(args.question, pool):
        pool = []
    if not pool:
        data: dict[str, JsonValue] = {"question": args.question, "documents": index.documents, "hits": []}
        data["answer"] = None
        return ToolResult(text=_nothing(args.question, index), data=data)
    chosen = compose_answer(args.question, pool, index.idf)
    noun = asked_for(args.question)
    if noun is not None:  # "what states can a task be in?": the list, from a wider pool of passages
        _, wide = _search(args.question, LIST_POOL, args.document)
        found = listing(noun, wide)
        if found is not None:
            rank, sentence = found
            if wide[rank - 1] not in pool:
                pool = [*pool, wide[rank - 1]]
            chosen = [(pool.index(wide[rank - 1]) + 1, sentence), *chosen]
    hits, number = _cited(pool, args.limit, [rank for rank, _ in chosen])
    picks = [f"{sentence} [{number[rank]}]" for rank, sentence in chosen]
    data = {"question": args.question, "documents": index.documents, "hits": _hits_data(hits)}
    data["answer"] = " ".join(picks)
    data["citations"] = [citation(rank, h) for rank, h in enumerate(hits, 1)]
    supporting = " ".join(picks[1:])
    body = "\n\n".join(part for part in (picks[0], supporting, f"**Sources**\n\n{_passages_markdown(hits)}") if part)
    return ToolResult(text=body, data=data)


TOOLS: list[Tool[SearchArgs] | Tool[AnswerArgs]] = [
    Tool(
        "search_documents",
        "Search the document library (Markdown/text files) with BM25 and return the best passages, each cited"
        " as [n] file § heading with its score.",
        SearchArgs,
        search_documents,
    ),
    Tool(
        "answer_question",
        "Answer a question from the document library: a short extractive answer built from the best passages,"
        " with numbered citations [n] file § heading and the passages quoted.",
        AnswerArgs,
        answer_question,
    ),
]
