"""Ingest stage: guideline files → parsed pages and sections → chunks in the index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag import lazy_exports

if TYPE_CHECKING:
    from rag.ingest.chunking import chunk_id as chunk_id
    from rag.ingest.chunking import chunk_segments as chunk_segments
    from rag.ingest.injection import injection_flags as injection_flags
    from rag.ingest.injection import neutralise as neutralise
    from rag.ingest.metadata import file_hash as file_hash
    from rag.ingest.metadata import metadata_hash as metadata_hash
    from rag.ingest.metadata import read_sidecar as read_sidecar
    from rag.ingest.ocr import OcrText as OcrText
    from rag.ingest.ocr import PageReader as PageReader
    from rag.ingest.parse import ParsedFile as ParsedFile
    from rag.ingest.parse import kind_of as kind_of
    from rag.ingest.parse import parse_file as parse_file
    from rag.ingest.parse import slugify as slugify
    from rag.ingest.pipeline import discover as discover
    from rag.ingest.pipeline import ingest as ingest

# Public names and their modules, imported on first use (see rag.lazy_exports).
_EXPORTS = {
    "OcrText": "ocr",
    "PageReader": "ocr",
    "ParsedFile": "parse",
    "chunk_id": "chunking",
    "chunk_segments": "chunking",
    "discover": "pipeline",
    "file_hash": "metadata",
    "ingest": "pipeline",
    "injection_flags": "injection",
    "kind_of": "parse",
    "metadata_hash": "metadata",
    "neutralise": "injection",
    "parse_file": "parse",
    "read_sidecar": "metadata",
    "slugify": "parse",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
