"""Everyday wording mapped to the library's vocabulary, so casual questions find the passages they mean.

People ask "how do I keep push notifications safe" where the documents say "security", "how do I stop a
task" where they say "cancel", "what if it hangs" where they say "timeout". `expand(text)` returns `text`
followed by the library's words for what it asks, once each; BM25 then scores both. Only additions are made
(the caller's own words always count), and each rule needs the everyday phrase itself, so a question that
already uses the library's words is unchanged apart from harmless repeats.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[str, str], ...] = (
    (r"\bsafe(?:ly|ty)?\b|\bsecur(?:e|ely)\b|\bprotect\w*|\bharden\w*", "security"),
    (
        r"\bprove who\b|\bwho (?:they|it|you|i) (?:are|is|am)\b|\blog ?in\b|\bcredentials?\b|\bpasswords?\b",
        "authentication token",
    ),
    (r"\b(?:stop|abort|kill|halt)\w*\b", "cancel cancellation"),
    (r"\bhangs?\b|\bstuck\b|\btoo long\b|\btakes? forever\b|\bnever (?:finish|end|return|answer)s?\b", "timeout"),
    (r"\btry again\b|\bre-?send\w*\b|\bre-?run\w*\b", "retry idempotent"),
    (
        r"\b(?:send|attach|upload|pass)\w*\s+(?:a\s+|an\s+|the\s+|my\s+)?(?:files?|images?|pdfs?|documents?)\b|"
        r"\battachments?\b",
        "file part",
    ),
    (r"\bhow (?:big|large|long)\b|\btoo (?:big|large)\b|\bmax(?:imum)? size\b", "size limit"),
    (
        r"\bdrop(?:s|ped)?\b|\bdisconnect\w*\b|\blost (?:the |my )?connection\b|\bconnection (?:breaks|broke|dies)\b",
        "reconnect subscribe stream",
    ),
    (r"\blive updates?\b|\breal-?time\b|\bas it happens\b|\bprogress\b", "stream status update"),
    (r"\bwebhooks?\b|\bcall ?backs?\b|\bnotify\b", "push notification"),
    (r"\bresults?\b|\boutputs?\b|\bdeliverables?\b", "artifact"),
    (
        r"\bfind (?:out )?(?:what|which) (?:an? )?agents?\b|\bdiscover\w*\b|\bwhat (?:an? )?agents? can do\b",
        "agent card skill discovery",
    ),
    (
        r"\b(?:pick|choos|select)\w*\b.*\b(?:agents?|workers?)\b|\b(?:agents?|workers?)\b.*\b(?:pick|choos|select)\w*\b",
        "selection skill",
    ),
    (r"\bsplit\w*\b.*\b(?:goal|task|work)\b|\bbreak\w* (?:down|up)\b", "decomposition plan subtask"),
    (r"\bcontext\b|\bearlier steps?\b|\bprevious steps?\b|\bwhat (?:each|a) worker (?:sees|gets)\b", "context routing"),
    (r"\bcrash\w*\b|\bbroken\b|\berrors?\b|\bgoes wrong\b", "failed"),
    (r"\bwhere\b.*\b(?:publish|find|get|fetch|serve|host|put|live|kept|stored)\w*\b", "path url live"),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), words) for pattern, words in _RULES)


def expand(text: str) -> str:
    """`text` plus the library's words for the everyday phrases it uses (see the module docstring)."""
    added = [words for pattern, words in _COMPILED if pattern.search(text)]
    extra = " ".join(dict.fromkeys(w for words in added for w in words.split()))
    return f"{text} {extra}" if extra else text
