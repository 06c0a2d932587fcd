"""Structure-aware chunking: a chunk never crosses a heading; inside a section, paragraphs,
then lines (list items), then sentences are kept whole while they fit the cap. A table row is
one chunk of its own and is never split. A PDF paragraph that runs on over a page break stays
whole, so its chunk carries both its first and its last page."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable

from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.ingest.clean import normalise
from rag.ingest.injection import injection_flags
from rag.types import Chunk, Segment

# Coarsest boundary first: paragraph, line (list item, table row), sentence, clause, word.
SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


def chunk_id(
    doc_id: str, section_path: tuple[str, ...], page: int | None, text: str, n: int
) -> str:
    """Content-derived id: the same passage in the same place keeps its id across re-ingests."""
    key = "\x1f".join((doc_id, *section_path, str(page), text, str(n)))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def chunk_segments(
    segments: Iterable[Segment],
    *,
    doc_id: str,
    doc_hash: str,
    title: str,
    size: int,
    overlap: int,
) -> list[Chunk]:
    """Cut segments into chunks of at most ``size`` characters with up to ``overlap`` shared."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=SEPARATORS,
        keep_separator="end",
        add_start_index=True,
        strip_whitespace=True,
    )
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for segment in segments:
        if segment.row:
            pieces = [(segment.text.strip(), 0)]
        else:
            pieces = [
                (p.page_content, int(p.metadata["start_index"]))
                for p in splitter.create_documents([segment.text])
            ]
        for raw, at in pieces:
            text = normalise(raw)
            if not text.strip():
                continue
            page = _page_at(segment, at)
            page_end = _page_at(segment, at + max(len(raw) - 1, 0))
            start = segment.offset + at
            base = chunk_id(doc_id, segment.section_path, page, text, 0)
            n = seen.get(base, 0)
            seen[base] = n + 1
            chunks.append(
                Chunk(
                    chunk_id=base
                    if n == 0
                    else chunk_id(doc_id, segment.section_path, page, text, n),
                    doc_id=doc_id,
                    doc_hash=doc_hash,
                    title=title,
                    section_path=segment.section_path,
                    page=page,
                    start=start,
                    end=start + len(raw),
                    text=text,
                    ordinal=len(chunks),
                    flags=injection_flags(text),
                    ocr_confidence=segment.ocr_confidence,
                    page_end=page_end,
                    caption=segment.caption,
                )
            )
    return chunks


def _page_at(segment: Segment, offset: int) -> int | None:
    """The page on which character ``offset`` of ``segment`` lies."""
    if segment.page is None:
        return None
    return segment.page + bisect.bisect_right(segment.page_breaks, offset)
