"""Text helpers shared by every stage: sentence splitting and ``[n]`` citation markers."""

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
