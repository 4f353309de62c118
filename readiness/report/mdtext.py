"""Client text in the packet's Markdown and plain-text files: readable as written, inert when rendered.

``md_escape`` escapes only what CommonMark (and GitHub's tables and strikethrough) would read as
markup: ``customer_email``, ``(about 2 days)`` and ``tickets.csv`` stay as they are, while HTML,
links, images, code spans, emphasis, headings, lists and table cells cannot come from the data.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import lru_cache
from typing import Any

from readiness.profile.names import visible

ASCII_PUNCTUATION = r"!-/:-@\[-`{-~"
_BACKSLASH = re.compile(rf"\\(?=[{ASCII_PUNCTUATION}]|$)")  # a backslash that would escape what follows
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # an & that would start an entity (&lt; &#60;)
_ALWAYS = re.compile(r"[`|]")  # code spans; table cells
_URL = re.compile(r"(?<=[A-Za-z0-9])(?=://)|(?<=\bwww)(?=\.)", re.IGNORECASE)  # GitHub's bare-URL links
# a [...] pair that is no link (no "(", "[" or ":" right after it: no inline, reference or definition),
# else each bracket alone
_BRACKETS = re.compile(r"\[[^\[\]]*\](?=[^(\[:])|[\[\]]")
_DELIMITERS = re.compile(r"\*+|_+|~+")
_LINE_START = re.compile(r"^(\s*)(?:(#{1,6})(?=\s|$)|([-+=])(?=\s|$|[-=])|(\d{1,9})([.)])(?=\s|$))")
_UNKNOWN = ("a", " ", "!")  # what may stand beside the text in the template: a letter, a space, punctuation


def _space(char: str) -> bool:
    return char.isspace()


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    """CommonMark's left- and right-flanking, for a delimiter run between these characters."""
    left = not _space(after) and (not _punctuation(after) or _space(before) or _punctuation(before))
    right = not _space(before) and (not _punctuation(before) or _space(after) or _punctuation(after))
    return left, right


def _options(char: str) -> tuple[str, ...]:
    """What a neighbour may count as: at the edge of the text ("") anything; a symbol outside ASCII
    is punctuation to CommonMark 0.31 and a plain character to earlier versions."""
    if not char:
        return _UNKNOWN
    if ord(char) > 127 and unicodedata.category(char)[0] == "S":
        return (char, "a")
    return (char,)


def _may_delimit(run: str, before: str, after: str) -> bool:
    """Whether a run of ``*``, ``_`` or ``~`` could open or close emphasis (strikethrough) in any
    reading of its neighbours."""
    for prev in _options(before):
        for nxt in _options(after):
            left, right = _flanking(prev, nxt)
            if run[0] == "_":
                if (left and (not right or _punctuation(prev))) or (right and (not left or _punctuation(nxt))):
                    return True
            elif left or right:
                return True
    return False


def _delimiter(match: re.Match[str]) -> str:
    text, run = match.string, match.group()
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return "".join("\\" + c for c in run) if _may_delimit(run, before, after) else run


def _bracket(match: re.Match[str]) -> str:
    found = match.group()
    return found if len(found) > 1 else "\\" + found


def _line_start(match: re.Match[str]) -> str:
    space, hashes, marker, number, dot = match.groups()
    if hashes:
        return f"{space}\\{hashes}"
    if marker:
        return f"{space}\\{marker}"
    return f"{space}{number}\\{dot}"


def md_escape(text: Any) -> str:
    """Client text for Markdown, on one line, escaped only where Markdown would read markup."""
    return _md_escape(str(text))


@lru_cache(maxsize=65536)  # a folder of 10,000 tables repeats its column names
def _md_escape(text: str) -> str:
    value = visible(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    value = _BACKSLASH.sub(r"\\\\", value)
    value = _ENTITY.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;")  # no HTML, no <autolink>
    value = _ALWAYS.sub(lambda m: "\\" + m.group(), value)
    value = _URL.sub("\\\\", value)
    value = _BRACKETS.sub(_bracket, value)
    value = _DELIMITERS.sub(_delimiter, value)
    return _LINE_START.sub(_line_start, value, count=1)


def md_code(text: Any) -> str:
    """Text as one Markdown code span: a fence of more backticks than any run inside it."""
    value = visible(str(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {value} " if value.startswith(("`", " ")) or value.endswith(("`", " ")) else value
    return f"{fence}{padded}{fence}"


def plain(text: Any) -> str:
    """Client text for the plain-text briefing: on one line, control characters written out."""
    return visible(str(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def wrap(text: Any, width: int = 100, indent: str = "", first: str | None = None) -> str:
    """A paragraph of the plain-text briefing wrapped at ``width`` (a long name is not split)."""
    return textwrap.fill(str(text), width=width, initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
