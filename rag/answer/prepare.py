"""Sentence vectors made at ingest, so that the first question about a passage is quick.

Answering compares the question with every sentence of the retrieved passages (the evidence
composer) and every claim with every passage sentence (the claim checks). Those sentence
vectors are kept in the embedder's on-disk store; embedding them when a document is ingested,
instead of when a question first retrieves it, takes the embedding (and the import of the
vectorised error function, a third of a second) off the first answer of every fresh process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from rag.answer.compose import candidates
from rag.checks.verify import claim_sentences
from rag.retrieval.embed import Embedder
from rag.types import Chunk

log = logging.getLogger(__name__)

# Texts embedded per call: bounds the memory of one step on a large corpus.
_STEP = 2000


def passage_sentences(text: str) -> list[str]:
    """Every text of a passage that answering embeds: the composer's candidates as shown
    and the claim checks' sentences."""
    shown = [c.display(text) for c in candidates(text, 0)]
    checked = claim_sentences(text) or [" ".join(text.split())]
    return list(dict.fromkeys(t for t in [*shown, *checked] if t.strip()))


def embed_passage_sentences(embedder: Embedder, chunks: Iterable[Chunk]) -> int:
    """Embed (into the store) the sentences of ``chunks`` not embedded before; returns how
    many sentences the chunks hold. Best effort: a failure costs speed later, never the
    ingest, and is logged."""
    texts = list(dict.fromkeys(t for c in chunks for t in passage_sentences(c.text)))
    try:
        for start in range(0, len(texts), _STEP):
            embedder.embed_cached(texts[start : start + _STEP])
    except Exception:
        log.exception("sentence vectors could not be prepared; questions embed them instead")
    return len(texts)
