"""Parsing: metadata, sections and pages from PDF, Markdown and text; bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfs import encrypted_pdf, image_only_pdf, text_pdf

from rag.errors import IngestError
from rag.ingest.parse import parse_file

SEED_STYLE = """---
id: esmo-elcap-llm-2025
title: "ESMO First Guidance on LLMs"
organization: European Society for Medical Oncology
url: https://example.org/elcap
publication_date: 2025-10-18
status: current
---

## Scope
Guidance for oncologists.

## Key Recommendations

### Clinical Decision Support
- **Human Oversight**: never standalone.
- **Hallucinations**: check dosing.

```
# not a heading inside a code fence
```
"""


def parse(path: Path):
    return parse_file(path, path.read_bytes())


def test_markdown_front_matter_aliases_and_heading_paths(tmp_path: Path) -> None:
    doc = tmp_path / "elcap.md"
    doc.write_text(SEED_STYLE)
    parsed = parse(doc)
    assert parsed.meta["id"] == "esmo-elcap-llm-2025"
    assert parsed.meta["publisher"] == "European Society for Medical Oncology"
    assert parsed.meta["source_url"] == "https://example.org/elcap"
    assert parsed.meta["year"] == "2025"
    paths = [s.section_path for s in parsed.segments]
    assert ("Scope",) in paths
    assert ("Key Recommendations", "Clinical Decision Support") in paths
    support = next(s for s in parsed.segments if s.section_path[-1] == "Clinical Decision Support")
    assert "# not a heading" in support.text  # fenced code stays text
    text = doc.read_text()
    for segment in parsed.segments:
        assert text[segment.offset : segment.offset + len(segment.text)] == segment.text


def test_plain_text_numbered_and_capital_headings(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text(
        "1. Screening\nAnnual test.\n\n1.1 Interval\nEvery 2 years.\n\nHARMS AND RISKS\nBleeding.\n"
    )
    parsed = parse(doc)
    assert parsed.meta["id"] == "note"
    paths = {s.section_path for s in parsed.segments}
    assert ("1. Screening", "1.1 Interval") in paths
    assert ("Harms And Risks",) in paths


def test_pdf_pages_and_text_headings(tmp_path: Path) -> None:
    pdf = text_pdf(
        tmp_path / "guide.pdf",
        [
            [("h1", "1. Screening"), ("p", "Mammography every 2 years from age 40.")],
            [("p", "Continued screening text on page two.")],
            [("h1", "2. Treatment"), ("p", "Tamoxifen 20 mg daily for 5 years.")],
        ],
        title="Test Breast Guide",
    )
    parsed = parse(pdf)
    assert parsed.pages == 3
    assert parsed.meta["title"] == "Test Breast Guide"
    by_page = {s.page: s for s in parsed.segments}
    assert set(by_page) == {1, 2, 3}
    assert by_page[1].section_path == ("1. Screening",)
    assert by_page[2].section_path == ("1. Screening",)  # a section runs on across pages
    assert by_page[3].section_path == ("2. Treatment",)
    assert "Tamoxifen 20 mg" in by_page[3].text


def test_pdf_outline_gives_sections(tmp_path: Path) -> None:
    pdf = text_pdf(
        tmp_path / "outlined.pdf",
        [
            [("h1", "Recommendations"), ("p", "Screen adults aged 50 to 75.")],
            [("h2", "Harms of colonoscopy"), ("p", "Bleeding and perforation are rare.")],
        ],
        outline=True,
    )
    parsed = parse(pdf)
    sections = {s.page: s.section_path for s in parsed.segments}
    assert sections[1] == ("Recommendations",)
    assert sections[2] == ("Recommendations", "Harms of colonoscopy")


def test_pdf_sidecar_metadata(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "g.pdf", [[("p", "Some guideline text.")]])
    (tmp_path / "g.pdf.meta.yaml").write_text("id: my-guide\npublisher: Test Society\nyear: 2024\n")
    parsed = parse(pdf)
    assert parsed.meta["id"] == "my-guide"
    assert parsed.meta["publisher"] == "Test Society"


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.pdf", lambda p, t: p.write_bytes(b""), "empty"),
        ("blank.md", lambda p, t: p.write_text("   \n\n"), "empty"),
        ("corrupt.pdf", lambda p, t: p.write_bytes(b"%PDF-1.7\n1 0 obj <<< broken"), "corrupt"),
        ("locked.pdf", lambda p, t: encrypted_pdf(p), "password"),
        ("scan.pdf", lambda p, t: image_only_pdf(p, t), "no extractable text"),
        ("bad.md", lambda p, t: p.write_text("---\ntitle: [unclosed\n---\nBody\n"), "YAML"),
        ("binary.txt", lambda p, t: p.write_bytes(b"\x00\x01\x02\xff" * 100), "binary"),
        ("only-front.md", lambda p, t: p.write_text("---\ntitle: x\n---\n"), "no text"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, name, make, reason) -> None:
    path = tmp_path / name
    make(path, tmp_path)
    with pytest.raises(IngestError, match=reason):
        parse(path)


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(IngestError, match="unsupported"):
        parse(path)


def test_pdf_headings_from_font_size_without_numbers(tmp_path: Path) -> None:
    """Real guidelines set headings in larger type, often without numbers or capitals."""
    pdf = text_pdf(
        tmp_path / "styled.pdf",
        [
            [("h1", "Adjuvant Therapy"), ("p", "Oxaliplatin-based chemotherapy for six months."),
             ("h2", "Duration of Treatment"), ("p", "Three months may suffice for low-risk disease.")],
            [("h1", "Follow-up Care"), ("p", "CEA every three to six months.")],
        ],
    )  # fmt: skip
    sections = {seg.text.strip().split(".")[0]: seg.section_path for seg in parse(pdf).segments}
    assert sections["Oxaliplatin-based chemotherapy for six months"] == ("Adjuvant Therapy",)
    assert sections["Three months may suffice for low-risk disease"] == (
        "Adjuvant Therapy",
        "Duration of Treatment",
    )
    assert sections["CEA every three to six months"] == ("Follow-up Care",)
