"""Text helpers shared by every stage: sentence splitting, ``[n]`` citation markers, and
Markdown that shows outside text as text (the app and the exports)."""

from __future__ import annotations

import re

# A colon introduces what follows (a list, a dose): it does not end a claim.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9(\[-])|\n+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


_CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")


def parse_citations(text: str) -> list[int]:
    """Citation numbers in order of first appearance: [1], [2, 3] and [1-3] are understood."""
    found: list[int] = []
    for group in _CITATION.findall(text):
        for part in re.split(r"\s*,\s*", group):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                low, high = int(bounds[0]), int(bounds[1])
                numbers = list(range(low, high + 1)) if 0 < high - low < 20 else [low, high]
            else:
                numbers = [int(bounds[0])]
            found.extend(n for n in numbers if n not in found)
    return found


def strip_citations(text: str) -> str:
    """``text`` without its [n] markers."""
    return re.sub(r"\s*" + _CITATION.pattern, "", text).strip()


# Showing outside text in Markdown ----------------------------------------------------------

# GFM turns bare "http://…", "www.…" and "name@host" into links after escapes are resolved;
# an invisible word joiner (U+2060) inside each keeps them text.
_BARE_LINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
JOINER = "\u2060"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that start Markdown (CommonMark, GFM, Streamlit's math) anywhere in a line …
MARKDOWN_ACTIVE = frozenset("\\`*_[]<>&~|$")
# … and those that start a block at the beginning of one (headings, lists, rules, setext).
_LINE_START = re.compile(r"[#+=-]|\d{1,9}(?=[.)])")


def plain_lines(text: str) -> list[str]:
    """``text`` as lines, without control characters, bare links broken by a word joiner."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BARE_LINK.sub(JOINER, text).split("\n")


def _escape_line(line: str) -> str:
    line = line.lstrip(" \t")  # four leading spaces would make a code block
    escaped = "".join("\\" + c if c in MARKDOWN_ACTIVE else c for c in line)
    start = _LINE_START.match(escaped)
    if start is None:
        return escaped
    cut = start.end() if start.group(0)[0].isdigit() else 0  # "12." → "12\.", "#" → "\#"
    return escaped[:cut] + "\\" + escaped[cut:]


def markdown_literal(text: str) -> str:
    """Markdown that shows ``text`` as it is: every character that would start Markdown,
    HTML or math escaped, bare links broken, line breaks kept."""
    return "  \n".join(_escape_line(line) for line in plain_lines(text))
