"""Uploaded guideline files: safe names, private, never replacing another file, clear refusals."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from rag.errors import IngestError
from rag.ingest.uploads import safe_name, save_upload

GUIDELINE = b"# Antiemesis\n\n## Day 1\n\nOlanzapine 5 mg is given on day 1 of cisplatin.\n"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("esmo-antiemesis.md", "esmo-antiemesis.md"),
        ("../../etc/cron.d/evil.md", "evil.md"),
        ("..\\..\\Windows\\evil.pdf", "evil.pdf"),
        (".hidden.md", "hidden.md"),
        ("bad\x00name\nnext.txt", "bad_name_next.txt"),
        ("Guideline V2.PDF", "Guideline V2.pdf"),
        ("x" * 400 + ".docx", "x" * 195 + ".docx"),
        ("é" * 200 + ".md", "é" * 98 + ".md"),
        ("evil\u202etxt.md", "evil_txt.md"),
        ("a\x85b\u2028c\x9b.md", "a_b_c_.md"),
    ],
)
def test_an_upload_is_kept_under_its_plain_file_name(sent: str, kept: str) -> None:
    assert safe_name(sent) == kept


@pytest.mark.parametrize("sent", ["..", ".md", "...md", "notes.exe", "archive.md.zip", "", "/"])
def test_names_that_are_not_guideline_files_are_refused(sent: str) -> None:
    with pytest.raises(IngestError):
        safe_name(sent)


def test_an_upload_is_private_and_stays_inside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    kept = save_upload(folder, "../../outside.md", GUIDELINE, max_mb=1)
    assert kept == folder / "outside.md" and kept.read_bytes() == GUIDELINE
    assert not (tmp_path / "outside.md").exists()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == ["outside.md"]  # no temporary left behind


def test_a_different_file_of_the_same_name_is_refused_and_the_first_kept(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    save_upload(folder, "antiemesis.md", GUIDELINE, max_mb=1)
    assert save_upload(folder, "antiemesis.md", GUIDELINE, max_mb=1).read_bytes() == GUIDELINE
    with pytest.raises(IngestError, match="different file named 'antiemesis.md'"):
        save_upload(folder, "antiemesis.md", GUIDELINE.replace(b"5 mg", b"10 mg"), max_mb=1)
    assert (folder / "antiemesis.md").read_bytes() == GUIDELINE


def test_empty_and_oversized_uploads_are_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="is empty"):
        save_upload(tmp_path, "empty.pdf", b"", max_mb=1)
    with pytest.raises(IngestError, match="over the 0.5 MB limit"):
        save_upload(tmp_path, "big.txt", b"a" * (600 * 1024), max_mb=0.5)
    assert not list(tmp_path.iterdir())


def test_an_upload_is_indexed_by_the_next_ingest(oncoguide_home: Path) -> None:
    from rag.assistant import Assistant
    from rag.config import load_settings

    assistant = Assistant(load_settings())
    kept = assistant.add_upload("antiemesis.md", GUIDELINE)
    report = assistant.ingest([kept.parent])
    assert report.count("added") == 1
    hits = assistant.retrieve("olanzapine day 1 cisplatin").hits
    assert hits and "Olanzapine 5 mg" in hits[0].chunk.text
    assistant.close()
