"""The NumPy encoder gives sentence-transformers' vectors; the sentence-vector cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.retrieval.embed import Embedder, resolve_embedder_path
from rag.retrieval.encoder import BertEncoder, encoder_layout

# Written the way guideline text is: results with CIs and HRs, units, table rows, headers.
TEXTS = [
    "Pegfilgrastim 6 mg subcutaneously once per chemotherapy cycle, 24 to 72 hours after chemotherapy.",
    "Disease-free survival at 48 months was 70% with osimertinib and 29% with placebo "
    "(HR for disease recurrence or death, 0.23; 95% CI, 0.18 to 0.30; P<0.001).",
    "| Regimen | Dose | Schedule |\n| mFOLFOX6 | oxaliplatin 85 mg/m² IV day 1 | every 14 days |",
    "NCCN Guidelines Version 2.2025 — Non-Small Cell Lung Cancer   NSCL-C 3 of 9",
    "Adjuvant T-DM1 (trastuzumab emtansine) 3.6 mg/kg q3w × 14 cycles; LVEF ≥ 50%.",
    "ÉTUDE café naïve µg résumé – “quoted” text",
    "",
    "?",
    "Annual LDCT for adults aged 50 to 80 years who have a 20 pack-year smoking history. " * 30,
]


@pytest.mark.slow
def test_numpy_encoder_matches_sentence_transformers() -> None:
    from sentence_transformers import SentenceTransformer

    folder = resolve_embedder_path("bundled")
    layout = encoder_layout(folder)
    assert layout is not None and layout.pooling == "mean" and layout.max_length == 256
    ours = BertEncoder(folder, layout)
    theirs = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    # Mixed lengths in one batch exercise the padding mask; one at a time, the unpadded path.
    batched = ours.encode(TEXTS, batch_size=4)
    single = np.stack([ours.encode([t])[0] for t in TEXTS])
    reference = theirs.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    for vectors in (batched, single):
        cosines = (vectors * reference).sum(axis=1)
        assert cosines.min() > 1 - 1e-5, cosines
        assert np.abs(vectors - reference).max() < 1e-4
    for word in ("pegfilgrastim", "dose", "osimertinib", "FOLFOX", "µg", "naïve"):
        assert ours.piece_count(word) == len(theirs.tokenizer.tokenize(word)), word


def _copy_configs(tmp_path: Path) -> Path:
    source = resolve_embedder_path("bundled")
    folder = tmp_path / "model"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    (folder / "model.safetensors").write_bytes(b"")
    return folder


@pytest.mark.parametrize(
    ("filename", "change"),
    [
        ("config.json", {"hidden_act": "gelu_new"}),
        ("config.json", {"model_type": "xlm-roberta"}),
        ("config.json", {"position_embedding_type": "relative_key"}),
        ("1_Pooling/config.json", {"pooling_mode_max_tokens": True}),
    ],
)
def test_folders_the_encoder_cannot_reproduce_go_to_sentence_transformers(
    tmp_path: Path, filename: str, change: dict[str, object]
) -> None:
    folder = _copy_configs(tmp_path)
    assert encoder_layout(folder) is not None
    path = folder / filename
    path.write_text(json.dumps({**json.loads(path.read_text()), **change}))
    assert encoder_layout(folder) is None


def test_a_folder_with_an_extra_module_goes_to_sentence_transformers(tmp_path: Path) -> None:
    folder = _copy_configs(tmp_path)
    modules = json.loads((folder / "modules.json").read_text())
    modules.append(
        {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"}
    )
    (folder / "modules.json").write_text(json.dumps(modules))
    assert encoder_layout(folder) is None
    (folder / "modules.json").unlink()
    assert encoder_layout(folder) is None


@pytest.mark.slow
def test_cached_vectors_equal_fresh_ones_and_are_not_recomputed(monkeypatch) -> None:
    embedder = Embedder().load()
    texts = [TEXTS[0], TEXTS[1], TEXTS[0], "a sentence seen only here"]
    fresh = embedder.embed(texts)
    calls: list[list[str]] = []
    real = embedder.embed

    def counting(batch):
        calls.append(list(batch))
        return real(batch)

    monkeypatch.setattr(embedder, "embed", counting)
    first = embedder.embed_cached(texts)
    assert np.allclose(first, fresh, atol=1e-6)
    assert first.shape == (4, embedder.dimension)
    assert sum(len(c) for c in calls) <= 3  # a repeated text is embedded once
    calls.clear()
    again = embedder.embed_cached([TEXTS[1], TEXTS[0]])
    assert calls == []  # both came from the cache
    assert np.array_equal(again, first[[1, 0]])
    assert embedder.embed_cached([]).shape == (0, embedder.dimension)


@pytest.mark.slow
def test_cache_keeps_models_apart(tmp_path: Path) -> None:
    """The same sentence under another model folder is embedded by that model, not served
    the bundled model's vector."""
    bundled = Embedder().load()
    other_folder = tmp_path / "copy"
    shutil.copytree(resolve_embedder_path("bundled"), other_folder)
    other = Embedder(str(other_folder)).load()
    sentence = "Tamoxifen 20 mg daily for 5 to 10 years."
    bundled.embed_cached([sentence])
    calls: list[list[str]] = []
    real = other.embed
    other.embed = lambda batch: calls.append(list(batch)) or real(batch)  # type: ignore[method-assign]
    other.embed_cached([sentence])
    assert calls == [[sentence]]


@pytest.mark.slow
def test_a_user_model_the_encoder_cannot_run_goes_through_sentence_transformers(
    tmp_path: Path,
) -> None:
    """A configured embedding folder outside the encoder's reach (here max pooling) is
    embedded by sentence-transformers itself, with that library's vectors."""
    from sentence_transformers import SentenceTransformer

    folder = tmp_path / "max-pooled"
    shutil.copytree(resolve_embedder_path("bundled"), folder)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(
        json.dumps(config | {"pooling_mode_mean_tokens": False, "pooling_mode_max_tokens": True})
    )
    embedder = Embedder(str(folder)).load()
    assert not isinstance(embedder._model, BertEncoder)
    ours = embedder.embed(TEXTS[:3])
    theirs = SentenceTransformer(str(folder), device="cpu", local_files_only=True).encode(
        TEXTS[:3], normalize_embeddings=True, convert_to_numpy=True
    )
    assert np.allclose(ours, theirs, atol=1e-6)
    mean_pooled = Embedder().load().embed(TEXTS[:3])
    assert not np.allclose(ours, mean_pooled, atol=1e-3)  # max pooling really ran


@pytest.mark.slow
def test_sentence_vectors_persist_across_processes(tmp_path: Path, monkeypatch) -> None:
    """A second process (here: a fresh embedder and an empty in-memory cache) reads the
    vectors the first one stored instead of embedding again; they are the same vectors."""
    from rag.retrieval import embed as embed_module

    store = tmp_path / "index" / "sentence_vectors.sqlite3"
    monkeypatch.setattr(embed_module, "_CACHE", embed_module.OrderedDict())
    first = Embedder(store=store).load()
    texts = [TEXTS[0], TEXTS[1], TEXTS[4]]
    stored = first.embed_cached(texts)
    first.close()
    monkeypatch.setattr(embed_module, "_CACHE", embed_module.OrderedDict())
    second = Embedder(store=store).load()
    calls: list[list[str]] = []
    real = second.embed
    monkeypatch.setattr(second, "embed", lambda batch: calls.append(list(batch)) or real(batch))
    again = second.embed_cached([TEXTS[4], TEXTS[0], "a sentence not stored yet"])
    assert calls == [["a sentence not stored yet"]]
    assert np.array_equal(again[:2], stored[[2, 0]])
    assert np.allclose(again[2], first.embed(["a sentence not stored yet"])[0], atol=1e-6)


@pytest.mark.slow
def test_an_unusable_vector_store_costs_speed_not_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-db"
    blocked.mkdir()  # a folder where the database file should be
    embedder = Embedder(store=blocked).load()
    assert embedder.embed_cached([TEXTS[0]]).shape == (1, embedder.dimension)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 100)
    embedder = Embedder(store=garbage).load()
    assert embedder.embed_cached([TEXTS[1]]).shape == (1, embedder.dimension)
    assert garbage.read_bytes() == b"not a database" * 100  # left untouched


@pytest.mark.slow
def test_weights_replaced_in_the_same_folder_rebuild_the_index(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    """An index is never searched with vectors of other weights: a model changed in place
    (here its pooling, in a subfolder) empties the index until the next ingest re-embeds."""
    from rag.assistant import Assistant
    from rag.config import load_settings

    folder = tmp_path / "embedder"
    shutil.copytree(resolve_embedder_path("bundled"), folder)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "g.md").write_text("# G-CSF\n\n## Dose\n\nPegfilgrastim 6 mg once per cycle.\n")
    settings = load_settings(embedder=str(folder))
    first = Assistant(settings)
    assert first.ingest([corpus]).count("added") == 1
    assert first.retrieve("pegfilgrastim dose").hits
    first.close()
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(
        json.dumps(config | {"pooling_mode_mean_tokens": False, "pooling_mode_max_tokens": True})
    )
    second = Assistant(settings)
    assert second.chunk_count() == 0  # the old vectors are gone, not mixed with the new model's
    assert second.ingest([corpus]).count("added") == 1
    assert "Pegfilgrastim 6 mg" in second.retrieve("pegfilgrastim dose").hits[0].chunk.text
    second.close()


def test_the_model_identity_follows_content_not_file_times(tmp_path: Path) -> None:
    """A reinstall or a copy keeps the identity (no index rebuilt for nothing); other
    settings in the same folder change it."""
    import os

    folder = tmp_path / "model"
    shutil.copytree(resolve_embedder_path("bundled"), folder)
    before = Embedder(str(folder)).identity()
    assert before == Embedder("bundled").identity()
    for path in folder.rglob("*"):
        os.utime(path, (1, 1))
    assert Embedder(str(folder)).identity() == before
    pooling = folder / "1_Pooling" / "config.json"
    pooling.write_text(pooling.read_text().replace("true", "false", 1))
    assert Embedder(str(folder)).identity() != before


def test_both_error_functions_give_the_same_gelu() -> None:
    """Small arrays take the standard library's erf (until SciPy is worth importing), large
    ones SciPy's: the same float32s."""
    from scipy.special import erf

    from rag.retrieval import encoder

    rng = np.random.default_rng(7)
    x = np.concatenate(
        [
            rng.standard_normal(200_000).astype(np.float32) * 4,
            np.array([0.0, -0.0, 1e-30, -1e-30, 5.9, -5.9, 30.0, -30.0], dtype=np.float32),
        ]
    )
    small = np.asarray(encoder._erf_each(x), dtype=np.float32)  # the element-wise path
    assert x.size <= encoder._SMALL_GELU
    assert small.dtype == np.float32
    np.testing.assert_array_equal(small, np.asarray(erf(x), dtype=np.float32))
    large = np.tile(x, 2)
    assert large.size > encoder._SMALL_GELU  # SciPy's path
    np.testing.assert_array_equal(encoder._erf(large), np.tile(small, 2))


def test_a_long_running_process_moves_to_scipy(monkeypatch) -> None:
    """Element-wise erf only until the process has spent about the import's cost on it."""
    import sys

    from rag.retrieval import encoder

    monkeypatch.delitem(sys.modules, "scipy.special", raising=False)
    monkeypatch.setattr(encoder, "_elementwise_done", 0)
    monkeypatch.setattr(encoder, "_ELEMENTWISE_BUDGET", 3000)
    x = np.linspace(-4, 4, 1000, dtype=np.float32)
    for _ in range(3):
        encoder._erf(x)
        assert "scipy.special" not in sys.modules
    assert encoder._elementwise_done == 3000
    encoder._erf(x)
    assert "scipy.special" in sys.modules
    assert encoder._elementwise_done == 3000


@pytest.mark.slow
def test_known_texts_are_read_back_and_new_ones_kept_nowhere(tmp_path: Path, monkeypatch) -> None:
    """A claim quoting a stored passage sentence costs no embedding; a claim of the user's
    own is embedded but never written to the store or the sentence cache."""
    from rag.retrieval import embed as embed_module

    monkeypatch.setattr(embed_module, "_CACHE", embed_module.OrderedDict())
    store = tmp_path / "sentence_vectors.sqlite3"
    embedder = Embedder(store=store).load()
    embedder.prepare([TEXTS[0], TEXTS[1]])
    calls: list[list[str]] = []
    real = embedder.embed
    monkeypatch.setattr(embedder, "embed", lambda batch: calls.append(list(batch)) or real(batch))
    own = "Mrs Example should get pegfilgrastim 6 mg."
    vectors = embedder.embed_known([TEXTS[1], own, TEXTS[0]])
    assert calls == [[own]]
    assert np.allclose(vectors[0], real([TEXTS[1]])[0], atol=1e-6)
    assert embedder.stored([own]) is None and not embed_module._CACHE
    # The question's vector is computed once and kept in memory only.
    calls.clear()
    first = embedder.embed_query(own)
    assert np.array_equal(embedder.embed_query(own), first) and calls == [[own]]
    assert embedder.stored([own]) is None
