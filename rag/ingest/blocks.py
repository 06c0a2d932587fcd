"""Blocks: the reading-order units every format is read into (heading, paragraph, table row,
footnote), and their assembly into heading-tagged segments for the chunker."""

from __future__ import annotations

from dataclasses import dataclass

from rag.types import Segment


@dataclass(frozen=True)
class Block:
    """One unit of a document in reading order.

    ``kind`` is "heading" (with ``level``), "text" (a paragraph; over a page break it keeps
    the offsets where later pages begin in ``page_breaks``), "row" (one table row with its
    table's ``caption``) or "note" (a footnote, kept out of the running text).
    """

    kind: str
    text: str
    level: int = 0
    page: int | None = None
    offset: int = 0
    page_breaks: tuple[int, ...] = ()
    caption: str = ""
    ocr_confidence: float | None = None


def segments_from_blocks(blocks: list[Block]) -> list[Segment]:
    """Group paragraphs under their heading path. A segment closes at a heading, a table, and
    at a page break that falls between paragraphs (so most passages keep to one page); a
    paragraph that runs on over a page break stays whole. Footnotes come last, each under the
    section it was found in."""
    out: list[Segment] = []
    notes: list[Segment] = []
    path: list[tuple[int, str]] = []
    parts: list[Block] = []

    def heading_path() -> tuple[str, ...]:
        return tuple(title for _, title in path)

    def close() -> None:
        if not parts:
            return
        text, breaks = "", []
        for block in parts:
            if text:
                text += "\n\n"
            breaks += [len(text) + b for b in block.page_breaks]
            text += block.text
        first = parts[0]
        out.append(
            Segment(
                text,
                heading_path(),
                first.page,
                first.offset,
                ocr_confidence=first.ocr_confidence,
                page_breaks=tuple(breaks),
            )
        )
        parts.clear()

    for block in blocks:
        if block.kind == "heading":
            close()
            while path and path[-1][0] >= block.level:
                path.pop()
            path.append((block.level, block.text))
        elif block.kind == "row":
            close()
            out.append(
                Segment(
                    block.text,
                    heading_path(),
                    block.page,
                    block.offset,
                    ocr_confidence=block.ocr_confidence,
                    row=True,
                    caption=block.caption,
                )
            )
        elif block.kind == "note":
            notes.append(
                Segment(block.text, (*heading_path(), "Footnotes"), block.page, block.offset)
            )
        elif block.text.strip():
            if parts and block.page is not None:
                last = parts[-1]
                last_page = (last.page or 0) + len(last.page_breaks)
                if block.page != last_page or block.ocr_confidence != last.ocr_confidence:
                    close()
            parts.append(block)
    close()
    return out + notes
