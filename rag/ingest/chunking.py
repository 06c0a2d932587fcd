"""Structure-aware chunking: a chunk never crosses a heading or a page; inside a section,
paragraphs, then lines (list items), then sentences are kept whole while they fit the cap."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from langchain_text_splitters import RecursiveCharacterTextSplitter

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
        for piece in splitter.create_documents([segment.text]):
            text = piece.page_content
            if not text.strip():
                continue
            start = segment.offset + int(piece.metadata["start_index"])
            base = chunk_id(doc_id, segment.section_path, segment.page, text, 0)
            n = seen.get(base, 0)
            seen[base] = n + 1
            chunks.append(
                Chunk(
                    chunk_id=base
                    if n == 0
                    else chunk_id(doc_id, segment.section_path, segment.page, text, n),
                    doc_id=doc_id,
                    doc_hash=doc_hash,
                    title=title,
                    section_path=segment.section_path,
                    page=segment.page,
                    start=start,
                    end=start + len(text),
                    text=text,
                    ordinal=len(chunks),
                    flags=injection_flags(text),
                    ocr_confidence=segment.ocr_confidence,
                )
            )
    return chunks
