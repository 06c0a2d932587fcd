"""The guideline index: catalog (SQLite) + vectors (Chroma) + BM25, kept on one snapshot.

Write order for a document: vectors first, then the catalog swap, then removal of the
vectors no longer listed. A crash between steps leaves orphan vectors that are never served
and that ``reconcile()`` removes; the catalog itself is never half-replaced.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from rag.config import INDEX_FORMAT, INDEX_SHAPING_KEYS, Settings
from rag.errors import OncoGuideError
from rag.files import private_dir, private_tree
from rag.retrieval.catalog import Catalog
from rag.retrieval.embed import Embedder
from rag.retrieval.lexical import LexicalIndex
from rag.types import Chunk, DocumentInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingDocument:
    """A parsed, chunked document waiting to be written to the index."""

    info: DocumentInfo
    chunks: tuple[Chunk, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class CorpusView:
    """A consistent read-only picture of one corpus snapshot."""

    snapshot: str
    lexical: LexicalIndex
    documents: dict[str, DocumentInfo]
    superseded: frozenset[str]
    vectors: tuple[list[str], np.ndarray] | None = None  # for exact dense search
    backfilled: bool = False  # Chroma's vectors were copied to the store once for this snapshot


def index_hash(chunk: Chunk) -> str:
    """Hash of the text a chunk's vector is embedded from, stored beside the vector."""
    return hashlib.sha256(chunk.index_text().encode()).hexdigest()[:32]


class IndexUnavailable(OncoGuideError):
    """The vector store cannot be reached or opened."""


def chroma_client(settings: Settings) -> Any:
    """Embedded (PersistentClient under home) or a Chroma server, telemetry off either way."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_mode == "http":
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        private_dir(settings.home)
        private_dir(settings.index_dir)
        client = chromadb.PersistentClient(
            path=str(settings.index_dir / "chroma"), settings=chroma_settings
        )
        private_tree(settings.index_dir)
        return client
    except Exception as exc:
        where = (
            f"Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_mode == "http"
            else f"Chroma store in {settings.index_dir / 'chroma'}"
        )
        raise IndexUnavailable(f"Cannot open the {where}: {exc}") from exc


_OPEN_LOCK = threading.Lock()
# Up to this many chunks, dense search is an exact NumPy product (under 10 ms per question).
EXACT_SEARCH_MAX = 20000


class GuidelineIndex:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(
            settings.embedder,
            settings.embed_batch_size,
            store=settings.index_dir / "sentence_vectors.sqlite3",
        )
        self.catalog = Catalog(settings.index_dir / "catalog.sqlite3")
        self._chroma: tuple[Any, Any] | None = None
        self._view: CorpusView | None = None
        self._lexical_lock = threading.Lock()
        self._check_shape()
        if settings.chroma_mode == "http":
            self._open_chroma()  # a server that cannot be reached is said at once

    def _open_chroma(self) -> tuple[Any, Any]:
        """The Chroma client and collection, opened on first use: importing and opening
        Chroma costs more than a second, and a question on a small local corpus needs
        neither (``dense_search``)."""
        # chromadb shares one client system per store path within a process; opening the same
        # store from two threads at once races in it ("Could not connect to tenant").
        with _OPEN_LOCK:
            if self._chroma is None:
                client = chroma_client(self.settings)
                try:
                    collection = client.get_or_create_collection(
                        self.settings.collection,
                        configuration={"hnsw": {"space": "cosine"}},
                        metadata={"oncoguide": "guideline chunks"},
                    )
                except Exception as exc:
                    raise IndexUnavailable(
                        f"The vector store refused the collection: {exc}"
                    ) from exc
                self._chroma = (client, collection)
            return self._chroma

    @property
    def _client(self) -> Any:
        return self._open_chroma()[0]

    @property
    def _collection(self) -> Any:
        return self._open_chroma()[1]

    def _check_shape(self) -> None:
        """Chunks built with other chunking or embedding settings, or by other embedding
        weights, are re-built, never mixed."""
        shaping = f"{INDEX_FORMAT}:{self.settings.fingerprint(INDEX_SHAPING_KEYS)}"
        fingerprint = f"{shaping}:{self.embedder.identity()}"
        stored = self.catalog.get_meta("index_fingerprint")
        # An index from before the embedder's identity was recorded keeps its vectors.
        if stored is not None and stored not in (fingerprint, shaping):
            documents = self.catalog.documents()
            for doc in documents:
                self.remove_document(doc.doc_id)
            if documents:
                log.warning(
                    "the index was built with other chunking or embedding settings or another "
                    "embedding model; its %d documents were removed: run `oncoguide ingest` "
                    "to index them again",
                    len(documents),
                )
        self.catalog.set_meta("index_fingerprint", fingerprint)

    # Writing --------------------------------------------------------------------------
    def upsert_documents(self, batch: Sequence[PendingDocument]) -> None:
        """Index several documents: their new vectors embedded together (large batches are
        what makes embedding fast), then each document swapped into the catalog on its own."""
        self._add_vectors([chunk for doc in batch for chunk in doc.chunks])
        for doc in batch:
            old_ids = self.catalog.chunk_ids(doc.info.doc_id)
            self.catalog.replace_document(doc.info, doc.chunks, doc.warnings)
            stale = old_ids - {c.chunk_id for c in doc.chunks}
            if stale:
                self._collection.delete(ids=sorted(stale))

    def remove_document(self, doc_id: str) -> None:
        ids = self.catalog.chunk_ids(doc_id)
        self.catalog.remove_document(doc_id)
        if ids:
            self._collection.delete(ids=sorted(ids))

    def _add_vectors(self, chunks: Sequence[Chunk]) -> None:
        """Embed and store the chunks whose vectors are missing or were embedded from another
        text: a chunk keeps its id when only its title or caption changes (a sidecar edit),
        but what the embedder read (``index_text``) did change, so its vector is made again."""
        if not chunks:
            return
        stored = self._collection.get(ids=[c.chunk_id for c in chunks], include=["metadatas"])
        embedded = {
            cid: (meta or {}).get("index_hash")
            for cid, meta in zip(stored["ids"], stored["metadatas"] or [], strict=False)
        }
        missing = [c for c in chunks if embedded.get(c.chunk_id, "") != index_hash(c)]
        if not missing:
            return
        vectors = self.embedder.embed([c.index_text() for c in missing])
        self.embedder.keep({c.index_text(): v for c, v in zip(missing, vectors, strict=True)})
        step = max(1, min(5000, self._client.get_max_batch_size()))
        for i in range(0, len(missing), step):
            part = missing[i : i + step]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[i : i + step],
                metadatas=[
                    {"doc_id": c.doc_id, "page": c.page or 0, "index_hash": index_hash(c)}
                    for c in part
                ],
            )

    def reconcile(self) -> dict[str, int]:
        """Remove orphan vectors, and embed catalogued chunks whose vector is missing or was
        made from another text (a crash between writing vectors and the catalog swap)."""
        chunks = self.catalog.chunks()
        listed = {c.chunk_id for c in chunks}
        stored = self._collection.get(include=["metadatas"])
        orphans = sorted(set(stored["ids"]) - listed)
        if orphans:
            self._collection.delete(ids=orphans)
        embedded = {
            cid: (meta or {}).get("index_hash")
            for cid, meta in zip(stored["ids"], stored["metadatas"] or [], strict=False)
        }
        stale = [c for c in chunks if embedded.get(c.chunk_id) != index_hash(c)]
        self._add_vectors(stale)
        return {"orphans_removed": len(orphans), "vectors_added": len(stale)}

    # Reading --------------------------------------------------------------------------
    def snapshot(self) -> str:
        return self.catalog.snapshot()

    def vector_count(self) -> int:
        return int(self._collection.count())

    def dense_search(self, query: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest catalogued chunks.

        A local corpus of up to ``EXACT_SEARCH_MAX`` chunks whose vectors all lie in the
        embedder's vector store is searched exactly with NumPy (same vectors as Chroma's, no
        Chroma opened); otherwise, and with a Chroma server, Chroma's index answers."""
        view = self.view()
        listed = view.lexical.id_set
        if not listed:
            return []
        vector = self.embedder.embed_query(query)
        exact = self._stored_vectors(view) if self.settings.chroma_mode != "http" else None
        if exact is not None:
            ids, matrix = exact
            scores = matrix @ vector
            top = np.argsort(-scores, kind="stable")[: min(k, len(ids))]
            return [(ids[i], float(scores[i])) for i in top]
        # Vectors are written before the catalog lists them, so Chroma holds at least as many.
        result = self._collection.query(
            query_embeddings=[vector], n_results=min(k, len(listed)), include=["distances"]
        )
        pairs = zip(result["ids"][0], result["distances"][0], strict=True)
        if (
            self.settings.chroma_mode != "http"
            and len(listed) <= EXACT_SEARCH_MAX
            and not view.backfilled
        ):
            # An index built before the store: next time, NumPy. Once per snapshot, so a
            # store that cannot be written costs one copy, not one per question.
            with self._lexical_lock:
                if self._view is view:
                    self._view = replace(view, backfilled=True)
            self._keep_chroma_vectors()
        return [(cid, 1.0 - float(dist)) for cid, dist in pairs if cid in listed]

    def _keep_chroma_vectors(self) -> None:
        chunks = self.catalog.chunks()
        got = self._collection.get(ids=[c.chunk_id for c in chunks], include=["embeddings"])
        vectors = dict(zip(got["ids"], got["embeddings"], strict=True))
        self.embedder.keep(
            {
                c.index_text(): np.asarray(vectors[c.chunk_id], dtype=np.float32)
                for c in chunks
                if c.chunk_id in vectors
            }
        )

    def _stored_vectors(self, view: CorpusView) -> tuple[list[str], np.ndarray] | None:
        """Every catalogued chunk's vector from the embedder's store, or None when any is
        missing there (an index built before the store) or the corpus is large."""
        if view.vectors is not None:
            return view.vectors
        if len(view.lexical.ids) > EXACT_SEARCH_MAX:
            return None
        chunks = self.catalog.chunks()
        ids = [c.chunk_id for c in chunks]
        stored = self.embedder.stored([c.index_text() for c in chunks])
        if stored is None or set(ids) != view.lexical.id_set:
            return None
        with self._lexical_lock:
            if self._view is view:
                self._view = replace(view, vectors=(ids, stored))
        return ids, stored

    def lexical(self) -> LexicalIndex:
        return self.view().lexical

    def view(self) -> CorpusView:
        """Everything retrieval reads per query, rebuilt only when the snapshot changes."""
        snapshot = self.snapshot()
        with self._lexical_lock:
            if self._view is None or snapshot != self._view.snapshot:
                chunks = self.catalog.chunks()
                self._view = CorpusView(
                    snapshot=snapshot,
                    lexical=LexicalIndex(
                        [c.chunk_id for c in chunks], [c.index_text() for c in chunks]
                    ),
                    documents={d.doc_id: d for d in self.catalog.documents()},
                    superseded=frozenset(self.catalog.superseded_ids()),
                )
            return self._view

    def close(self) -> None:
        self.catalog.close()
        self.embedder.close()
