"""Sentence vectors made at ingest, so that the first question about a passage is quick.

Answering compares the question with every sentence of the retrieved passages (the evidence
composer) and every claim with every passage sentence (the claim checks). Those sentence
vectors are kept in the embedder's on-disk store; embedding them when a document is ingested,
instead of when a question first retrieves it, takes the embedding (and the import of the
vectorised error function, a third of a second) off the first answer of every fresh process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from rag.answer.compose import candidates
from rag.checks.verify import checked_text as checked
from rag.checks.verify import claim_sentences
from rag.retrieval.embed import Embedder
from rag.types import Chunk

log = logging.getLogger(__name__)

# Texts embedded per step: bounds the memory of one step and paces the progress reports.
_STEP = 500


def passage_sentences(chunk: Chunk) -> list[str]:
    """Every text of a passage that answering embeds: the composer's candidates as shown
    and the claim checks' sentences (of a table row read with its caption)."""
    shown = [c.display(chunk.text) for c in candidates(chunk.text, 0)]
    checked_text = checked(chunk)
    sentences = claim_sentences(checked_text) or [" ".join(checked_text.split())]
    return list(dict.fromkeys(t for t in [*shown, *sentences] if t.strip()))


def embed_passage_sentences(
    embedder: Embedder,
    chunks: Iterable[Chunk],
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """Embed into the embedder's store the sentences of ``chunks`` it lacks, in steps
    (``progress(done, total)`` after each). Returns "" or why it stopped: a store that cannot
    be written (a full disk) or a failing embedder costs speed later (questions embed the
    sentences they need), never the ingest."""
    texts = list(dict.fromkeys(t for c in chunks for t in passage_sentences(c)))
    for start in range(0, len(texts), _STEP):
        try:
            stored = embedder.prepare(texts[start : start + _STEP])
        except Exception as exc:
            log.exception("sentence vectors could not be prepared")
            return f"sentence vectors could not be prepared ({type(exc).__name__}: {exc})"
        if not stored:
            return (
                "sentence vectors could not be stored (a full disk, or a read-only or damaged "
                "index/sentence_vectors.sqlite3); questions about the new documents will embed "
                "them instead, a little slower"
            )
        if progress is not None:
            progress(min(start + _STEP, len(texts)), len(texts))
    return ""
