"""The librarian's text processing, passages, BM25 index, path safety and tools, called directly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from agents.librarian.corpus import DEFAULT_DIR, ENV_VAR, library_dir, list_documents, split_passages
from agents.librarian.index import Bm25Index, index_for
from agents.librarian.text import sentences, stem, tokens
from agents.librarian.tools import AnswerArgs, SearchArgs, answer_question, search_documents
from agents.runtime.tools import ToolContext, ToolError

CTX = ToolContext()


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small library in tmp_path, selected through the environment variable."""
    root = tmp_path / "library"
    (root / "sub").mkdir(parents=True)
    (root / "birds.md").write_text(
        "# Birds\n\nIntro about birds in general and their feathers.\n\n## Penguins\n\n"
        "Penguins cannot fly. They swim very well in cold water and eat fish.\n\n"
        "## Parrots\n\nParrots can imitate human speech. Some parrots live for decades.\n"
    )
    (root / "sub" / "trees.txt").write_text("Oak trees grow slowly.\n\nPine trees keep their needles in winter.\n")
    (root / "ignored.csv").write_text("a,b\n1,2\n")
    monkeypatch.setenv(ENV_VAR, str(root))
    return root


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("retries", "retry"),
        ("retried", "retry"),
        ("retrying", "retry"),
        ("retry", "retry"),
        ("messages", "messag"),
        ("message", "messag"),
        ("running", "run"),
        ("stopped", "stop"),
        ("authentication", "authenticat"),
        ("authenticate", "authenticat"),
        ("status", "status"),
        ("canceled", "cancel"),
        ("quickly", "quick"),
        ("cat", "cat"),
        ("2024", "2024"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What are the Task States?", ["task", "stat"]),
        ("How do retries work with timeouts", ["retry", "work", "timeout"]),
        ("the of and a", []),
        ("Agent's input-required state", ["agent", "input", "requir", "stat"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_sentences_join_wrapped_lines_and_split_list_items() -> None:
    text = "First sentence goes\non here. Second one.\n- item one\n  continues\n1. numbered"
    assert sentences(text) == ["First sentence goes on here.", "Second one.", "item one continues", "numbered"]


def test_split_passages_keeps_heading_paths_and_fences() -> None:
    words = " ".join(["word"] * 30)
    text = (
        f"# Top\n\n{words}\n\n## Sub\n\nshort\n\nnext para joins short one\n\n"
        f"### Deep\n\n```\ncode\n\n# not a heading\n```\n\n## Other\n\n{words}"
    )
    passages = split_passages("doc.md", text)
    assert [(p.heading, p.text.split("\n")[0]) for p in passages] == [
        ("Top", words),
        ("Top > Sub", "short"),
        ("Top > Sub > Deep", "```"),
        ("Top > Other", words),
    ]
    assert "# not a heading" in passages[2].text
    assert split_passages("plain_notes.txt", "no headings here")[0].heading == "plain notes"


def test_long_paragraphs_are_cut_at_sentences() -> None:
    body = " ".join(f"Sentence number {i} has a few words in it." for i in range(60))
    passages = split_passages("long.md", "# Long\n\n" + body)
    assert len(passages) > 1 and all(len(p.text.split()) <= 220 for p in passages)


def test_bm25_ranks_the_passage_with_the_rarer_term_first(library: Path) -> None:
    index = index_for(library)
    assert (index.documents, len(index.passages)) == (2, 4)  # short paragraphs merge with the next
    hits = index.search("can penguins fly", limit=3)
    assert hits[0].passage.heading == "Birds > Penguins" and hits[0].passage.file == "birds.md"
    assert hits[0].matched == ("penguin", "fly")
    assert index.search("volcano") == []


def test_library_dir_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert library_dir() == DEFAULT_DIR
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert library_dir() == tmp_path


def test_index_is_cached_and_rebuilt_when_a_file_changes(library: Path) -> None:
    first = index_for(library)
    assert index_for(library) is first
    doc = library / "birds.md"
    doc.write_text(doc.read_text() + "\n## Owls\n\nOwls hunt at night.\n")
    stat = doc.stat()
    os.utime(doc, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = index_for(library)
    assert second is not first and second.search("owls")[0].passage.heading == "Birds > Owls"


def test_files_outside_the_library_are_never_read(library: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nThe password is swordfish.\n")
    (library / "link.md").symlink_to(secret)
    assert [name for name, _ in list_documents(library)] == ["birds.md", "sub/trees.txt"]
    assert search_documents(SearchArgs(query="password swordfish"), CTX).data["hits"] == []  # type: ignore[index,call-overload]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("../secret.md", "not a document inside the library"),
        ("link.md", "not a document inside the library"),
        ("/etc/passwd", "absolute path"),
        ("missing.md", "not a document inside the library"),
    ],
)
def test_document_filter_refuses_paths_outside(library: Path, tmp_path: Path, document: str, message: str) -> None:
    (tmp_path / "secret.md").write_text("secret")
    (library / "link.md").symlink_to(tmp_path / "secret.md")
    with pytest.raises(ToolError, match=message):
        search_documents(SearchArgs(query="secret", document=document), CTX)


def test_document_filter_restricts_the_search(library: Path) -> None:
    result = search_documents(SearchArgs(query="trees birds", document="sub/trees.txt"), CTX)
    assert isinstance(result.data, dict)
    assert {h["file"] for h in result.data["hits"]} == {"sub/trees.txt"}  # type: ignore[index,union-attr]


def test_search_returns_cited_passages(library: Path) -> None:
    result = search_documents(SearchArgs(query="parrots speech", limit=2), CTX)
    assert result.text.startswith("1 passage(s) for “parrots speech”")
    assert "[1] birds.md § Birds > Parrots (score " in result.text
    assert isinstance(result.data, dict)
    hit: Any = result.data["hits"][0]  # type: ignore[index]
    assert (hit["rank"], hit["file"], hit["heading"]) == (1, "birds.md", "Birds > Parrots")
    assert hit["passage"].startswith("Parrots can imitate") and hit["score"] > 0


def test_answer_is_extractive_with_citations(library: Path) -> None:
    result = answer_question(AnswerArgs(question="Can penguins fly?"), CTX)
    assert result.text.startswith("Penguins cannot fly. [1]\n")  # the first line is the answer sentence
    assert "**Sources**" in result.text and "[1] birds.md § Birds > Penguins" in result.text
    assert isinstance(result.data, dict)
    assert result.data["citations"][0] == "[1] birds.md § Birds > Penguins"  # type: ignore[index]
    assert result.data["answer"].startswith("Penguins cannot fly. [1]")  # type: ignore[union-attr]


def test_no_hits_is_a_normal_result(library: Path) -> None:
    result = answer_question(AnswerArgs(question="volcano eruptions"), CTX)
    assert result.text.startswith("Nothing relevant to “volcano eruptions” was found in the library (2 documents")
    assert result.data == {"question": "volcano eruptions", "documents": 2, "hits": [], "answer": None}


@pytest.mark.parametrize(
    ("setup", "call", "message"),
    [
        (None, lambda: answer_question(AnswerArgs(question="what is it?"), CTX), "no searchable words"),
        ("missing", lambda: search_documents(SearchArgs(query="birds"), CTX), "does not exist"),
    ],
)
def test_tool_errors(
    library: Path, monkeypatch: pytest.MonkeyPatch, setup: str | None, call: Any, message: str
) -> None:
    if setup == "missing":
        monkeypatch.setenv(ENV_VAR, str(library / "nowhere"))
    with pytest.raises(ToolError, match=message):
        call()


def test_empty_query_is_rejected_by_the_schema() -> None:
    with pytest.raises(ValueError):
        SearchArgs(query="")


def test_default_corpus_is_a_real_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    documents = list_documents(library_dir())
    assert 8 <= len(documents) <= 12
    for name, path in documents:
        assert name.endswith(".md") and 300 <= len(path.read_text().split()) <= 900, name
    index = index_for(library_dir())
    assert isinstance(index, Bm25Index)
    assert index.search("push notification webhook")[0].passage.file == "push-notifications.md"
