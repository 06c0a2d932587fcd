"""Saved answers: verification required, full traceability, migrations, corrupt files refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fakes import ScriptedModel  # noqa: F401  (registers the scripted backend)

from rag.assistant import Assistant
from rag.config import load_settings
from rag.errors import StoreError, VerificationRequired
from rag.review.store import MIGRATIONS, RecordStore
from rag.types import Review


@pytest.fixture
def answer(corpus_home: Path):
    settings = load_settings(llm_backend="scripted", answer_mode="generated")
    return Assistant(settings).ask("What is the pegfilgrastim dose?")


def test_unverified_answers_are_never_written(answer, oncoguide_home: Path) -> None:
    store = RecordStore(oncoguide_home / "records.sqlite3")
    with pytest.raises(VerificationRequired):
        store.save_verified(answer, Review(False, "Dr A", answer.text))
    with pytest.raises(VerificationRequired):
        store.save_verified(answer, Review(True, "  ", answer.text))
    assert store.count() == 0


def test_saved_record_is_traceable(answer, oncoguide_home: Path) -> None:
    store = RecordStore(oncoguide_home / "records.sqlite3")
    record_id = store.save_verified(
        answer, Review(True, "Dr Ada", "Edited: 6 mg once per cycle [1].")
    )
    (record,) = store.records()
    assert record.record_id == record_id
    assert record.generated_answer == answer.text
    assert record.final_answer == "Edited: 6 mg once per cycle [1]."
    assert record.verifier == "Dr Ada" and record.verified_at
    assert record.model_name == "scripted" and len(record.model_sha256) == 64
    assert record.prompt_name == "answer_completion" and len(record.prompt_sha256) == 64
    assert record.corpus_snapshot == answer.retrieval.corpus_snapshot
    assert record.settings["top_k"] == 5
    source = record.sources[0]
    hit = answer.hits[0]
    assert (source.doc_id, source.doc_hash, source.chunk_id, source.page, source.score) == (
        hit.chunk.doc_id,
        hit.chunk.doc_hash,
        hit.chunk.chunk_id,
        hit.chunk.page,
        hit.score,
    )
    assert len(source.doc_hash) == 64 and source.section_path == hit.chunk.section_path
    assert source.label == hit.chunk.source_label  # one wording of where a passage is
    assert store.records("nothing matches this") == []
    assert len(store.records("Ada")) == 1


def test_migrations_are_recorded(oncoguide_home: Path) -> None:
    path = oncoguide_home / "records.sqlite3"
    RecordStore(path).close()
    RecordStore(path).close()  # re-opening applies nothing twice
    rows = sqlite3.connect(path).execute("SELECT number, name FROM _migrations").fetchall()
    assert rows == [
        (1, "saved answers"),
        (2, "verification, disclosure and audit trail"),
        (3, "patient summaries"),
        (4, "evaluation runs"),
        (5, "tumour-board cases"),
        (6, "board runs"),
        (7, "evaluation runs: answer mode"),
    ]


def test_corrupt_database_is_refused_and_left_untouched(oncoguide_home: Path) -> None:
    path = oncoguide_home / "records.sqlite3"
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="left untouched"):
        RecordStore(path)
    assert path.read_bytes() == garbage


def test_evaluation_runs_from_before_answer_modes_keep_the_mode_they_ran(tmp_path: Path) -> None:
    """Migration 7 reads an earlier run's mode from its report's settings."""
    import json

    from rag.db import connect

    path = tmp_path / "records.sqlite3"
    before = [m for m in MIGRATIONS if m[0] < 7]
    conn = connect(path, before)
    for run_id, only, mode in [("a", 0, "evidence"), ("b", 0, None), ("c", 1, "auto")]:
        settings = {"answer_mode": mode} if mode else {}
        conn.execute(
            "INSERT INTO eval_runs(run_id, created_at, gold, gold_sha256, retrieval_only,"
            " model_sha256, prompt_sha256, corpus_snapshot, metrics, report)"
            " VALUES (?, '2026-11-01', 'gold', '', ?, '', '', '', '{}', ?)",
            (run_id, only, json.dumps({"settings": settings})),
        )
    conn.commit()
    conn.close()
    RecordStore(path).close()
    modes = dict(sqlite3.connect(path).execute("SELECT run_id, mode FROM eval_runs"))
    assert modes == {"a": "evidence", "b": "generated", "c": ""}
