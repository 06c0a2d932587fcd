"""Ingest with real Chroma, SQLite and the bundled embedder: incremental, bad files, crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfs import encrypted_pdf, image_only_pdf, text_pdf

from rag.config import load_settings
from rag.ingest.pipeline import ingest
from rag.retrieval.index import GuidelineIndex
from rag.retrieval.retrieve import retrieve

DOC_A = """---
id: doc-a
title: Alpha Screening Digest
publisher: Test Society
year: 2024
---
## Recommendation
Adults aged 50 to 75 years should have colonoscopy every 10 years.

## Harms
Perforation occurs in about 1 in 3,000 colonoscopies.
"""
DOC_B = """---
id: doc-b
title: Beta Treatment Digest
---
## Doses
Pegfilgrastim 6 mg is given once per cycle.
"""


@pytest.fixture
def index(oncoguide_home: Path) -> GuidelineIndex:
    idx = GuidelineIndex(load_settings())
    yield idx
    idx.close()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def statuses(report) -> dict[str, str]:
    return {Path(f.path).name: f.status for f in report.files}


def test_incremental_reingest(index: GuidelineIndex, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "a.md", DOC_A)
    write(corpus, "b.md", DOC_B)
    first = ingest(index, [corpus])
    assert statuses(first) == {"a.md": "added", "b.md": "added"}
    chunks_before = index.catalog.chunk_count()
    assert index.vector_count() == chunks_before > 0

    again = ingest(index, [corpus])
    assert statuses(again) == {"a.md": "unchanged", "b.md": "unchanged"}
    assert again.corpus_snapshot == first.corpus_snapshot

    write(corpus, "a.md", DOC_A.replace("every 10 years", "every 5 years"))
    changed = ingest(index, [corpus])
    assert statuses(changed) == {"a.md": "updated", "b.md": "unchanged"}
    texts = " ".join(c.text for c in index.catalog.chunks())
    assert "every 5 years" in texts and "every 10 years" not in texts
    assert index.vector_count() == index.catalog.chunk_count()
    assert changed.corpus_snapshot != first.corpus_snapshot

    (corpus / "b.md").unlink()
    removed = ingest(index, [corpus])
    assert statuses(removed)["b.md"] == "removed"
    assert index.catalog.document("doc-b") is None
    assert all(c.doc_id == "doc-a" for c in index.catalog.chunks())
    assert index.vector_count() == index.catalog.chunk_count()


def test_bad_files_are_skipped_with_reasons_and_others_indexed(
    index: GuidelineIndex, tmp_path: Path
) -> None:
    corpus = tmp_path / "mixed"
    write(corpus, "good.md", DOC_A)
    (corpus / "empty.txt").write_text("")
    (corpus / "corrupt.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    encrypted_pdf(corpus / "locked.pdf")
    image_only_pdf(corpus / "scanned.pdf", tmp_path)
    text_pdf(corpus / "real.pdf", [[("p", "Real PDF guideline text about mammography.")]])
    report = ingest(index, [corpus, tmp_path / "missing-folder"])
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["good.md"].status == "added"
    assert by_name["real.pdf"].status == "added"
    assert "empty" in by_name["empty.txt"].reason
    assert "corrupt" in by_name["corrupt.pdf"].reason
    assert "password" in by_name["locked.pdf"].reason
    assert "scanned" in by_name["scanned.pdf"].reason
    assert "no such file" in by_name["missing-folder"].reason
    assert {d.doc_id for d in index.catalog.documents()} == {"doc-a", "real"}


def test_oversized_file_is_skipped(oncoguide_home: Path, tmp_path: Path) -> None:
    index = GuidelineIndex(load_settings(max_file_mb=0.001))
    big = write(tmp_path, "big.md", DOC_A + "x" * 5000)
    report = ingest(index, [big])
    assert report.files[0].status == "skipped"
    assert "over the" in report.files[0].reason
    assert index.catalog.chunk_count() == 0


def test_duplicate_document_id_is_refused(index: GuidelineIndex, tmp_path: Path) -> None:
    write(tmp_path / "one", "a.md", DOC_A)
    write(tmp_path / "two", "copy.md", DOC_A.replace("Alpha", "Copy"))
    ingest(index, [tmp_path / "one"])
    report = ingest(index, [tmp_path / "two"])
    assert report.files[0].status == "skipped"
    assert "already used" in report.files[0].reason
    assert index.catalog.document("doc-a").title == "Alpha Screening Digest"


def test_crash_mid_ingest_leaves_index_consistent(
    index: GuidelineIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "a.md", DOC_A)
    write(corpus, "b.md", DOC_B)
    ingest(index, [corpus])
    old_b = {c.chunk_id: c.text for c in index.catalog.chunks() if c.doc_id == "doc-b"}

    write(corpus, "a.md", DOC_A.replace("every 10 years", "every 7 years"))
    write(corpus, "b.md", DOC_B.replace("6 mg", "12 mg"))
    real_replace = index.catalog.replace_document

    def crash_on_b(info, chunks, warnings=()):
        if info.doc_id == "doc-b":
            raise KeyboardInterrupt("power cut")  # after b's vectors went in, before the swap
        return real_replace(info, chunks, warnings)

    monkeypatch.setattr(index.catalog, "replace_document", crash_on_b)
    with pytest.raises(KeyboardInterrupt):
        ingest(index, [corpus])
    monkeypatch.undo()

    # a is wholly new, b wholly old; b's new vectors are orphans that are never served.
    texts = {
        c.doc_id: " ".join(x.text for x in index.catalog.chunks() if x.doc_id == c.doc_id)
        for c in index.catalog.chunks()
    }
    assert "every 7 years" in texts["doc-a"]
    assert {c.chunk_id: c.text for c in index.catalog.chunks() if c.doc_id == "doc-b"} == old_b
    assert index.vector_count() > index.catalog.chunk_count()
    hits = retrieve(index, "pegfilgrastim dose per cycle").hits
    assert all("12 mg" not in h.chunk.text for h in hits)

    # Reconcile removes the orphans; re-running ingest completes the change.
    assert index.reconcile()["orphans_removed"] > 0
    assert index.vector_count() == index.catalog.chunk_count()
    report = ingest(index, [corpus])
    assert statuses(report)["b.md"] == "updated"
    assert "12 mg" in " ".join(c.text for c in index.catalog.chunks() if c.doc_id == "doc-b")


def test_changed_chunking_settings_rebuild_the_index(oncoguide_home: Path, tmp_path: Path) -> None:
    write(tmp_path / "c", "a.md", DOC_A)
    first = GuidelineIndex(load_settings())
    ingest(first, [tmp_path / "c"])
    first.close()
    second = GuidelineIndex(load_settings(chunk_size=300, chunk_overlap=20))
    assert second.catalog.chunk_count() == 0  # built with other settings: dropped, not mixed
    report = ingest(second, [tmp_path / "c"])
    assert statuses(report)["a.md"] == "added"


def test_an_index_of_an_older_format_is_rebuilt_on_open(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    """Ingest changed what it stores (running headers and footers removed, table rows, passages
    over page breaks, the sidecar's own hash): an index written by format 3 must not report its
    files "unchanged" and keep serving passages parsed the old way."""
    write(tmp_path / "c", "a.md", DOC_A)
    first = GuidelineIndex(load_settings())
    ingest(first, [tmp_path / "c"])
    fingerprint = first.catalog.get_meta("index_fingerprint")
    assert fingerprint is not None
    _, shaping = fingerprint.split(":", 1)
    first.catalog.set_meta("index_fingerprint", f"3:{shaping}")  # as format 3 left it
    first.close()

    second = GuidelineIndex(load_settings())
    try:
        assert second.catalog.chunk_count() == 0 and second.vector_count() == 0
        report = ingest(second, [tmp_path / "c"])
        assert statuses(report)["a.md"] == "added"
        assert second.catalog.get_meta("index_fingerprint") == fingerprint
        assert second.vector_count() == second.catalog.chunk_count() > 0
    finally:
        second.close()


def test_ingest_tells_done_after_the_sentence_vectors(oncoguide_home: Path, tmp_path: Path) -> None:
    """Progress: each file, then the sentence vectors, then done (once, last)."""
    from rag.answer.prepare import passage_sentences
    from rag.assistant import Assistant

    assistant = Assistant(load_settings())
    events = []
    folder = tmp_path / "docs"
    write(folder, "a.md", DOC_A)
    write(folder, "b.md", DOC_B)
    report = assistant.ingest([folder], progress=events.append)
    assert report.count("added") == 2
    stages = [e.stage for e in events]
    assert stages == ["reading", "reading", "sentences", "done"], stages
    assert (events[-1].done, events[-1].total) == (2, 2)
    chunks = assistant.index.catalog.chunks()
    sentences = [t for c in chunks for t in passage_sentences(c)]
    assert "Pegfilgrastim 6 mg is given once per cycle." in sentences
    assert assistant.index.embedder.stored(sentences) is not None
    assert report.notes == ()
    # Unchanged documents are not prepared again.
    events.clear()
    assert assistant.ingest([folder], progress=events.append).count("unchanged") == 2
    assert [e.stage for e in events] == ["reading", "reading", "done"]
    assistant.close()


def test_sentence_vectors_on_a_full_disk_are_a_warning(
    oncoguide_home: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A store that cannot be written stops the preparation with a note in the report; the
    documents are indexed and answer all the same (questions embed the sentences)."""
    from rag.assistant import Assistant
    from rag.cli import main
    from rag.retrieval.embed import VectorStore

    tried: list[int] = []

    def full(self, items):  # type: ignore[no-untyped-def]
        tried.append(len(items))
        return False

    monkeypatch.setattr(VectorStore, "put", full)
    folder = tmp_path / "docs"
    write(folder, "a.md", DOC_A)
    write(folder, "b.md", DOC_B)
    assert main(["ingest", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "warning: sentence vectors could not be stored (a full disk" in out
    assert "added 2" in out
    assert len(tried) == 2  # the chunk vectors, then one step of sentences; then it stopped
    assistant = Assistant(load_settings())
    answer = assistant.ask("Pegfilgrastim dose?", mode="evidence")
    assert "6 mg" in answer.text
    assistant.close()
