"""Faults: full disk during ingest and save, a killed ingest, corrupt databases."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS
from fakes import ScriptedModel

from rag.assistant import Assistant
from rag.cli import main
from rag.config import load_settings
from rag.errors import StoreError
from rag.review.store import RecordStore
from rag.types import Review


def test_disk_full_during_ingest_changes_nothing(
    corpus_home: Path, tmp_path: Path, monkeypatch
) -> None:
    assistant = Assistant(load_settings())
    before = (assistant.index.snapshot(), assistant.index.catalog.chunk_count())
    extra = tmp_path / "new"
    extra.mkdir()
    (extra / "note.md").write_text("---\nid: new-note\n---\n## Section\nPegfilgrastim note text.\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(assistant.index._collection, "upsert", full)
    report = assistant.ingest([extra])
    (item,) = report.files
    assert item.status == "skipped" and "No space left on device" in item.reason
    assert (assistant.index.snapshot(), assistant.index.catalog.chunk_count()) == before


def test_disk_full_during_save_writes_nothing(corpus_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    ScriptedModel.reply = "Pegfilgrastim 6 mg is given once per chemotherapy cycle [1]."
    answer = Assistant(load_settings()).ask("What is the pegfilgrastim dose?")
    store = RecordStore(corpus_home / "records.sqlite3")
    store.save_verified(answer, Review(True, "Dr A", answer.text))
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    with pytest.raises(StoreError, match="full"):
        store.save_verified(answer, Review(True, "Dr B", "x" * 20000))
    assert store.count() == 1
    assert store.verify_audit().ok and store.verify_audit().entries == 3


def test_corrupt_catalog_is_refused_and_left_untouched(oncoguide_home: Path, capsys) -> None:
    catalog = oncoguide_home / "index" / "catalog.sqlite3"
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    before = catalog.read_bytes()
    assert main(["ask", "anything", "--retrieval-only"]) == 2
    assert "not a readable OncoGuide database" in capsys.readouterr().err
    assert catalog.read_bytes() == before


@pytest.mark.slow
def test_app_killed_during_ingest_leaves_a_consistent_index(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "big"
    corpus.mkdir()
    for copy in range(30):
        for source in sorted(CORPUS.glob("*.md")):
            text = source.read_text().replace("\nid: ", f"\nid: c{copy}-", 1)
            (corpus / f"{copy}-{source.name}").write_text(text.replace("## ", f"## Copy {copy} "))
    # The app itself: `oncoguide serve` indexes its corpus before it starts serving.
    script = Path(sys.executable).parent / "oncoguide"
    process = subprocess.Popen(
        [str(script), "serve", "--port", "0"],
        env={**os.environ, "ONCOGUIDE_CORPUS_DIR": str(corpus)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    catalog = oncoguide_home / "index" / "catalog.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill it once some documents are in
        if catalog.exists():
            try:
                with sqlite3.connect(catalog) as conn:
                    if conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] > 20:
                        break
            except sqlite3.Error:
                pass
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assistant = Assistant(load_settings())
    catalog_ids = assistant.index.catalog.chunk_ids()
    assert len(catalog_ids) > 0
    assert assistant.index.vector_count() >= len(catalog_ids)  # vectors go in first
    for doc in assistant.index.catalog.documents():  # no document is half there
        assert assistant.index.catalog.chunk_ids(doc.doc_id)
    assistant.index.reconcile()
    assert assistant.index.vector_count() == len(catalog_ids)
    report = assistant.ingest([corpus])
    assert report.count("skipped") == 0
    assert report.count("added") + report.count("unchanged") == 30 * len(list(CORPUS.glob("*.md")))
    assert not assistant.retrieve("What is the pegfilgrastim dose?").not_found


def test_corrupt_records_database_is_refused_and_left_untouched(
    oncoguide_home: Path, capsys
) -> None:
    records = oncoguide_home / "records.sqlite3"
    records.parent.mkdir(parents=True)
    records.write_bytes(b"SQLite format 3\x00" + b"\x00\xff" * 3000)
    before = records.read_bytes()
    assert main(["audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert "not a readable OncoGuide database" in err and "Traceback" not in err
    assert records.read_bytes() == before
