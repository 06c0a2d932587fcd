"""Text clean-up shared by every format: Unicode normalisation, words hyphenated across
lines, and table rows written as "Header: cell | Header: cell" lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Characters NFKC would flatten but that carry meaning in doses and units (mg/m², 10³/L).
_KEEP = frozenset("²³¹⁰⁴⁵⁶⁷⁸⁹⁺⁻°")
# Soft hyphens go; zero-width and bidi controls stay so that injection checks still see them.
_DROP = {0xAD: None}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise(text: str) -> str:
    """NFKC (ligatures ﬁ ﬂ, full-width forms, micro sign µ → Greek μ, no-break spaces) except
    for superscripts and degree signs, with soft hyphens removed."""
    text = unicodedata.normalize("NFC", text).translate(_DROP)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii() or ch in _KEEP:
            out.append(ch)
        else:
            flat = unicodedata.normalize("NFKC", ch)
            # "posaconazoleᵃ", "ᵃ The ratio …": a footnote mark, not a letter of the word
            out.append("^" + flat if _footnote_letter(ch, flat) else flat)
    return _SPACES.sub(lambda m: " " if "\t" not in m.group(0) else m.group(0), "".join(out))


def _footnote_letter(ch: str, flat: str) -> bool:
    """Whether ``ch`` (``flat`` once normalised) is a superscript small letter (ᵃ, ᵇ, ᶜ, ⁱ),
    a table's footnote mark."""
    name = unicodedata.name(ch, "")
    return flat.isascii() and name.startswith(
        ("MODIFIER LETTER SMALL ", "SUPERSCRIPT LATIN SMALL LETTER ")
    )


_HYPHEN_END = re.compile(r"([A-Za-z\u00c0-\u024f\u0370-\u03ff])[-\u2010]$")


# A hyphen at a line end before or after these is part of the word ("disease-free",
# "follow-up", "non-inferior"), unless the document spells the word without it elsewhere.
_COMPOUND_TAILS = frozenset(
    "free based related dense induced naive resistant sensitive containing specific positive "
    "negative risk line term grade dose up defined directed guided associated mediated "
    "refractory intensity".split()
)
_COMPOUND_HEADS = frozenset("non self well all ill ex".split())


def join_lines(
    previous: str, line: str, known: frozenset[str] = frozenset(), hyphenates: bool = True
) -> str:
    """Append ``line`` to ``previous`` as running text. A word hyphenated at the line end is
    rejoined ("chemo-" + "therapy" → "chemotherapy") unless it is a compound: ``known`` (words
    seen elsewhere in the document) spells it with the hyphen ("oxaliplatin-based",
    "non-inferiority"), or its parts are ones that take a hyphen ("disease-free", "follow-up").
    With ``hyphenates`` false (a browser's print, which breaks lines only at real hyphens)
    every hyphen stays."""
    if not previous:
        return line
    if not line:
        return previous
    found = _HYPHEN_END.search(previous)
    if found and not hyphenates:
        return previous + line
    if found and line[:1].islower():
        head = previous.rsplit(" ", 1)[-1]
        tail = re.split(r"[\s,.;:)]", line, maxsplit=1)[0]
        hyphenated = (head + tail).lower()
        joined = head[:-1].lower() + tail.lower()
        if joined not in known and (
            tail.lower() in _COMPOUND_TAILS
            or head[:-1].lower().lstrip("(") in _COMPOUND_HEADS
            or any(word.startswith(hyphenated) for word in known if "-" in word)
        ):
            return previous + line
        return previous[:-1] + line
    if previous.endswith(("\u2010", "/")) or (previous.endswith("-") and previous[-2:-1].isdigit()):
        return previous + line
    if previous.endswith(("–", "—")) and not previous[-2:-1].isspace():
        return previous + line  # a range or a dash broken at the line end: "0.70–" "0.99"
    return previous + " " + line


def cell_text(value: object) -> str:
    """A table cell as one line of normalised text."""
    return " ".join(normalise(str(value or "")).split())


def format_row(headers: Sequence[str], cells: Sequence[str]) -> str:
    """One table row as "Header: cell | Header: cell"; empty cells are left out and a cell
    under an empty header stands alone."""
    parts = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        header = headers[index] if index < len(headers) else ""
        parts.append(f"{header}: {cell}" if header and header != cell else cell)
    return " | ".join(parts)


def table_rows(rows: Sequence[Sequence[object]]) -> list[str]:
    """Rows of a table whose first row holds the column headers, formatted by ``format_row``.
    A table of one row or one column is not a grid: its cells come back as plain lines.
    ``None`` marks a cell merged with the one above (PDF tables) and repeats its value. As
    drug labels print them: a second header line under header cells that span two columns
    joins its column names to them; a first cell left empty repeats the label above it; a row
    that gives the interval of the row above ("(95% CI)") is joined to it; and a row with only
    its first cell heads the rows under it, said in brackets at the end of each of them."""
    grid: list[list[str]] = []
    for row in rows:
        above = grid[-1] if grid else []
        grid.append(
            [
                above[i] if c is None and i < len(above) and len(grid) > 1 else cell_text(c)
                for i, c in enumerate(row)
            ]
        )
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    width = max(len(r) for r in grid)
    if len(grid) < 2 or width < 2:
        return [" ".join(c for c in row if c) for row in grid]
    headers, body = grid[0], grid[1:]
    if _sub_header(headers, body[0]):
        headers, body = _joined_headers(headers, body[0]), body[1:]
    kept: list[list[str]] = []
    label = group = ""
    for row in body:
        if len(row) >= 3 and row[0] and not any(row[1:]):
            # a row that heads the rows under it ("Infections and infestations", "Overall
            # survival"): kept, and said in brackets at the end of each of them
            group, label = row[0], ""
            kept.append(row)
            continue
        if (
            _INTERVAL_LABEL.fullmatch(row[0])
            and kept
            and any(row[1:])
            and len(row) == len(kept[-1]) - bool(group)
        ):
            # the row's confidence interval on a line of its own ("| ORR, n (%) | 225 (93.4) |"
            # over "| (95% CI) | (89.4, 96.2) |"): one row, each cell with its interval
            above = kept[-1]
            joined = [" ".join(c for c in pair if c) for pair in zip(above, row, strict=False)]
            kept[-1] = joined + above[len(row) :]
            continue
        if row[0]:
            label = row[0]
        elif (label or group) and any(row[1:]):
            # a cell merged down: "| | Second | Interrupt …" goes on the row above's label, or
            # on the heading row's when it is the row right above ("Anemia" then "| | First |")
            row = [label or group] + row[1:]
        if group and row[0] and row[0] != group:
            row = row + [f"({group})"]
        kept.append(row)
    return [line for row in kept if (line := format_row(headers, row))]


# A row that gives the interval of the row above: "(95% CI)", "(range)", "(IQR)"
_INTERVAL_LABEL = re.compile(r"\(\s*(?:9[059]\s*%\s*CI|CI|range|IQR|min,?\s*max)\s*\)", re.I)


_COLUMN_NAME = re.compile(r"\(%\)|,\s*%$|\bgrades?\b|\bn\s*\(%\)", re.I)


def _sub_header(headers: Sequence[str], row: Sequence[str]) -> bool:
    """Whether ``row`` is a second header line under cells that span two columns, as drug labels
    set out adverse reactions: "| | Drug (N = 240) | | Placebo (N = 227) | |" over "| | All
    Grades (%) | Grade 3 or 4 (%) | …": its first cell is empty, the header has an empty
    cell, and its cells repeat or each name a column."""
    cells = [c for c in row if c]
    if row[0] or len(cells) < 2 or not any(not h for h in headers[1:]):
        return False
    # each arm's columns named alike ("All Grades (%)" under both arms), or every cell a
    # column name ("Grade 3 or 4 (%)", "n (%)"): not a row of values ("Cisplatin | 75 mg/m2")
    return len(set(cells)) < len(cells) or all(_COLUMN_NAME.search(c) for c in cells)


def _joined_headers(headers: Sequence[str], below: Sequence[str]) -> list[str]:
    """Each column's header with the second header line under it ("Drug (N = 240) Grade 3 or
    4 (%)"); an empty header cell is the cell on its left spanning it."""
    out, spanning = [], ""
    for index in range(max(len(headers), len(below))):
        head = headers[index] if index < len(headers) else ""
        sub = below[index] if index < len(below) else ""
        if head:
            spanning = head
        elif sub and index:
            head = spanning
        out.append(f"{head} {sub}".strip())
    return out
