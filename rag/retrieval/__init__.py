"""Retrieval stage: embeddings, the Chroma and BM25 indexes, and hybrid search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag import lazy_exports

if TYPE_CHECKING:
    from rag.retrieval.catalog import Catalog as Catalog
    from rag.retrieval.embed import Embedder as Embedder
    from rag.retrieval.index import CorpusView as CorpusView
    from rag.retrieval.index import GuidelineIndex as GuidelineIndex
    from rag.retrieval.index import IndexUnavailable as IndexUnavailable
    from rag.retrieval.index import PendingDocument as PendingDocument
    from rag.retrieval.lexical import LexicalIndex as LexicalIndex
    from rag.retrieval.lexical import content_words as content_words
    from rag.retrieval.lexical import tokenize as tokenize
    from rag.retrieval.locate import PageView as PageView
    from rag.retrieval.locate import SectionView as SectionView
    from rag.retrieval.locate import read_indexed as read_indexed
    from rag.retrieval.retrieve import source_record as source_record
    from rag.retrieval.vocabulary import Vocabulary as Vocabulary
    from rag.retrieval.vocabulary import load_vocabulary as load_vocabulary

# Public names and their modules, imported on first use (see rag.lazy_exports).
_EXPORTS = {
    "Catalog": "catalog",
    "CorpusView": "index",
    "Embedder": "embed",
    "GuidelineIndex": "index",
    "IndexUnavailable": "index",
    "LexicalIndex": "lexical",
    "PageView": "locate",
    "PendingDocument": "index",
    "SectionView": "locate",
    "Vocabulary": "vocabulary",
    "content_words": "lexical",
    "load_vocabulary": "vocabulary",
    "read_indexed": "locate",
    "source_record": "retrieve",
    "tokenize": "lexical",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
