"""Scanned guidelines: image-only PDF pages are read by the local Tesseract, marked as OCR
text with their confidence, and skipped with a reason when OCR is unavailable."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pdfs import scanned_pdf

from rag.assistant import Assistant
from rag.config import load_settings
from rag.ingest.pipeline import ingest
from rag.retrieval.index import GuidelineIndex
from rag.retrieval.retrieve import source_record

# CI installs Debian's tesseract-ocr, so there the test must run; elsewhere it may be absent.
requires_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="Debian tesseract-ocr is not installed (CI installs it)",
)

SCANNED_PAGES = [
    [
        "NEUTROPENIA PROPHYLAXIS",
        "Pegfilgrastim 6 mg is injected once per",
        "chemotherapy cycle, 24 to 72 hours after",
        "the end of chemotherapy.",
    ],
    [
        "FOLLOW-UP",
        "Clinical review every 3 months for two years.",
    ],
]


@requires_tesseract
@pytest.mark.slow
def test_scanned_pages_are_read_by_ocr_and_marked(oncoguide_home: Path, tmp_path: Path) -> None:
    pdf = scanned_pdf(
        tmp_path / "scanned-guideline.pdf",
        tmp_path,
        SCANNED_PAGES,
        text_first="Typed cover page: supportive care digest for the OCR test.",
    )
    assistant = Assistant(load_settings())
    report = assistant.ingest([pdf])
    (item,) = report.files
    assert item.status == "added", item
    assert any("read by OCR" in w and "2 (" in w and "3 (" in w for w in item.warnings)

    chunks = assistant.index.catalog.chunks()
    typed = [c for c in chunks if c.page == 1]
    scanned = [c for c in chunks if c.page in (2, 3)]
    assert typed and all(c.ocr_confidence is None for c in typed)
    assert {c.page for c in scanned} == {2, 3}
    assert all(c.ocr_confidence is not None and 50 < c.ocr_confidence <= 100 for c in scanned)
    page2 = " ".join(c.text for c in scanned if c.page == 2).lower()
    assert "pegfilgrastim 6 mg" in page2 and "72 hours" in page2
    assert any(c.section_path == ("Neutropenia Prophylaxis",) for c in scanned)  # ALL CAPS line

    retrieval = assistant.retrieve("When is pegfilgrastim injected?")
    top = retrieval.hits[0]
    assert top.chunk.page == 2
    assert source_record(top)["ocr_confidence"] == top.chunk.ocr_confidence


def test_without_tesseract_scanned_pages_are_skipped_with_a_reason(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    index = GuidelineIndex(load_settings(tesseract_cmd=str(tmp_path / "no-such-tesseract")))
    only_scans = scanned_pdf(tmp_path / "scans.pdf", tmp_path, SCANNED_PAGES[:1])
    mixed = scanned_pdf(
        tmp_path / "mixed.pdf", tmp_path, SCANNED_PAGES[:1], text_first="Typed page about G-CSF."
    )
    report = ingest(index, [only_scans, mixed])
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["scans.pdf"].status == "skipped"
    assert "Tesseract is not installed" in by_name["scans.pdf"].reason
    assert by_name["mixed.pdf"].status == "added"
    assert any("skipped" in w and ": 2" in w for w in by_name["mixed.pdf"].warnings)
    assert all(c.ocr_confidence is None for c in index.catalog.chunks())


def test_ocr_can_be_switched_off(oncoguide_home: Path, tmp_path: Path) -> None:
    index = GuidelineIndex(load_settings(ocr="off"))
    report = ingest(index, [scanned_pdf(tmp_path / "s.pdf", tmp_path, SCANNED_PAGES[:1])])
    assert report.files[0].status == "skipped" and "OCR is off" in report.files[0].reason
