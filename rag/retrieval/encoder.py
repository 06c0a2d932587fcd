"""A BERT sentence encoder in NumPy, for sentence-transformers folders of the plain BERT kind.

The bundled all-MiniLM-L6-v2 is such a folder. Running it here instead of through
sentence-transformers gives the same vectors (to float rounding; a slow test holds them
within 1e-5 cosine) without importing torch and transformers, which cost seconds at
every cold start of the command line. The weights are read from ``model.safetensors``
and the text is split by the folder's own ``tokenizer.json``; nothing is downloaded.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# The modules a folder may list, in order, for this encoder to reproduce it exactly.
_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"
# Padding rows cost attention memory that grows with the square of the length.
_TOKENS_PER_STEP = 4096


@dataclass(frozen=True)
class EncoderLayout:
    """What the folder's configuration files say about the network and its pooling."""

    layers: int
    heads: int
    hidden: int
    eps: float
    max_length: int
    pooling: str  # "mean" or "cls"
    lower_case: bool


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def encoder_layout(folder: Path) -> EncoderLayout | None:
    """The layout when ``folder`` is a BERT sentence-transformers model this encoder runs
    exactly (BERT, GELU, absolute positions, mean or CLS pooling); else None."""
    try:
        modules = [m.get("type") for m in _read_json(folder / "modules.json")]
        config = _read_json(folder / "config.json")
        pooling_dir = next(
            (
                m.get("path")
                for m in _read_json(folder / "modules.json")
                if m.get("type") == _POOLING
            ),
            "1_Pooling",
        )
        pooling = _read_json(folder / pooling_dir / "config.json")
        st_config_path = folder / "sentence_bert_config.json"
        st_config = _read_json(st_config_path) if st_config_path.is_file() else {}
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    if modules not in ([_TRANSFORMER, _POOLING], [_TRANSFORMER, _POOLING, _NORMALIZE]):
        return None
    if not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        return None
    if (
        config.get("model_type") != "bert"
        or config.get("hidden_act") != "gelu"
        or config.get("position_embedding_type", "absolute") != "absolute"
    ):
        return None
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v is True}
    if modes == {"pooling_mode_mean_tokens"}:
        mode = "mean"
    elif modes == {"pooling_mode_cls_token"}:
        mode = "cls"
    else:
        return None
    max_positions = int(config.get("max_position_embeddings", 512))
    return EncoderLayout(
        layers=int(config["num_hidden_layers"]),
        heads=int(config["num_attention_heads"]),
        hidden=int(config["hidden_size"]),
        eps=float(config.get("layer_norm_eps", 1e-12)),
        max_length=min(int(st_config.get("max_seq_length") or max_positions), max_positions),
        pooling=mode,
        lower_case=bool(st_config.get("do_lower_case", False)),
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: np.ndarray = centred / np.sqrt(var + eps) * weight + bias
    return out


# The error function, element-wise from the standard library or vectorised by SciPy. SciPy's
# is ~7x quicker per value but importing it costs a third of a second, most of a cold
# `oncoguide ask`. So: SciPy for large arrays (ingest batches), and once this process has
# spent about as long on element-wise values as the import costs (a long-running app, an
# eval, a board run); the standard library's until then. On this platform both give the same
# float32s (tests/test_embed.py compares them).
_SMALL_GELU = 1 << 18
_ELEMENTWISE_BUDGET = 1 << 22
_elementwise_done = 0
_erf_each = np.frompyfunc(math.erf, 1, 1)


def _erf(x: np.ndarray) -> np.ndarray:
    global _elementwise_done
    if (
        x.size <= _SMALL_GELU
        and _elementwise_done < _ELEMENTWISE_BUDGET
        and "scipy.special" not in sys.modules
    ):
        _elementwise_done += x.size
        return np.asarray(_erf_each(x), dtype=np.float32)
    from scipy.special import erf

    return np.asarray(erf(x), dtype=np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), with the error function (float32 in, float32 out)."""
    out: np.ndarray = (0.5 * x * (1.0 + _erf(x * np.float32(1 / np.sqrt(2.0))))).astype(
        np.float32, copy=False
    )
    return out


class BertEncoder:
    """Sentence vectors from a BERT sentence-transformers folder, computed with NumPy."""

    def __init__(self, folder: Path, layout: EncoderLayout) -> None:
        from safetensors.numpy import load_file
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        self._blas = ThreadpoolController()

        self.folder = folder
        self.layout = layout
        raw = load_file(str(folder / "model.safetensors"))
        self._w = {k.removeprefix("bert."): v for k, v in raw.items()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=layout.max_length)
        # q, k and v as one product: one matrix multiply per layer instead of three.
        self._qkv = [
            (
                np.concatenate(
                    [self._w[f"{p}.attention.self.{n}.weight"] for n in ("query", "key", "value")]
                ).T.copy(),
                np.concatenate(
                    [self._w[f"{p}.attention.self.{n}.bias"] for n in ("query", "key", "value")]
                ),
            )
            for p in (f"encoder.layer.{i}" for i in range(layout.layers))
        ]

    @property
    def dimension(self) -> int:
        return self.layout.hidden

    def piece_count(self, word: str) -> int:
        """How many word pieces the tokenizer splits ``word`` into."""
        return len(self.tokenizer.encode(word, add_special_tokens=False).ids)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """L2-normalised sentence vectors, one row per text."""
        if self.layout.lower_case:
            texts = [t.lower() for t in texts]
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        # One BLAS thread: the products are small, and on a busy 2-core machine waking more
        # threads made a question 20 times slower and a batch of passages 2 to 3 times.
        with self._blas.limit(limits=1, user_api="blas"):
            return self._encode_ids(ids, batch_size)

    def _encode_ids(self, ids: list[list[int]], batch_size: int) -> np.ndarray:
        out = np.zeros((len(ids), self.layout.hidden), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            longest = len(ids[order[min(start + batch_size, len(order)) - 1]])
            rows = max(1, min(batch_size, _TOKENS_PER_STEP // max(longest, 1)))
            part = order[start : start + rows]
            out[part] = self._encode_padded([ids[i] for i in part])
            start += rows
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalised: np.ndarray = out / np.maximum(norms, 1e-12)
        return normalised

    def _encode_padded(self, ids: list[list[int]]) -> np.ndarray:
        w, lay = self._w, self.layout
        batch, length = len(ids), max(len(i) for i in ids)
        tokens = np.zeros((batch, length), dtype=np.int64)
        mask = np.zeros((batch, length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        # Activations are kept as (batch * length, hidden): plain 2-D products run on BLAS.
        x = (
            w["embeddings.word_embeddings.weight"][tokens]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        ).reshape(batch * length, lay.hidden)
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], lay.eps
        )
        heads, size = lay.heads, lay.hidden // lay.heads
        blocked = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(size))
        for i, (qkv_w, qkv_b) in enumerate(self._qkv):
            p = f"encoder.layer.{i}"
            qkv = (x @ qkv_w + qkv_b).reshape(batch, length, 3, heads, size)
            # Stacked products take the BLAS path only on contiguous operands.
            q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3))
            k = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            scores = (q @ k) * scale + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, lay.hidden)
            attended = context @ w[f"{p}.attention.output.dense.weight"].T
            x = _layer_norm(
                attended + w[f"{p}.attention.output.dense.bias"] + x,
                w[f"{p}.attention.output.LayerNorm.weight"],
                w[f"{p}.attention.output.LayerNorm.bias"],
                lay.eps,
            )
            inner = _gelu(
                x @ w[f"{p}.intermediate.dense.weight"].T + w[f"{p}.intermediate.dense.bias"]
            )
            x = _layer_norm(
                inner @ w[f"{p}.output.dense.weight"].T + w[f"{p}.output.dense.bias"] + x,
                w[f"{p}.output.LayerNorm.weight"],
                w[f"{p}.output.LayerNorm.bias"],
                lay.eps,
            )
        states = x.reshape(batch, length, lay.hidden)
        if lay.pooling == "cls":
            pooled: np.ndarray = states[:, 0]
            return pooled
        summed = (states * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled
