"""The source viewer: a passage found and highlighted in its own document (rag.retrieval.locate),
and opened from a source card on the Ask page (AppTest)."""

from __future__ import annotations

import hashlib
import html
import io
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pdfs import scanned_pdf
from PIL import Image
from viewer_docs import (
    DOSING,
    DURATION_LINES,
    FOLLOW_UP,
    RIGHT_COLUMN,
    guideline_md,
    guideline_pdf,
    table_and_columns_pdf,
)

from rag.errors import SourceUnavailable
from rag.ingest.chunking import chunk_segments
from rag.ingest.ocr import PageReader
from rag.ingest.parse import parse_file
from rag.retrieval.locate import RENDER_SCALE, PageView, SectionView, locate, match_spans
from rag.types import Chunk

PX = RENDER_SCALE  # pixels per PDF point in the rendering


@dataclass(frozen=True)
class SpanningChunk(Chunk):
    """A passage running over a page break, as ingest records it (first and last page)."""

    page_end: int | None = None


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def passage(path: Path, text: str, page: int | None, section: tuple[str, ...] = ()) -> Chunk:
    return Chunk("c1", "colon", sha(path), "Colon Cancer Guideline", section, page, 0, 0, text, 0)


def real_chunks(path: Path) -> list[Chunk]:
    """The chunks ingest makes of ``path`` (real parser and chunker)."""
    data = path.read_bytes()
    parsed = parse_file(path, data)
    return chunk_segments(
        parsed.segments,
        doc_id="colon",
        doc_hash=hashlib.sha256(data).hexdigest(),
        title="Colon Cancer Guideline",
        size=700,
        overlap=100,
    )


def yellow_share(view: PageView, left: float, top: float, right: float, bottom: float) -> float:
    """Share of the PNG's pixels in the rectangle that carry the yellow highlight."""
    image = Image.open(io.BytesIO(view.png)).convert("RGB")
    region = image.crop((int(left), int(top), int(right), int(bottom)))
    pixels = list(region.getdata())
    return sum(1 for r, g, b in pixels if r > 200 and g > 170 and b < 200) / len(pixels)


# PDF ------------------------------------------------------------------------------------------


def test_pdf_boxes_cover_the_passage_lines_and_nothing_else(tmp_path: Path) -> None:
    pdf, placed = guideline_pdf(tmp_path / "colon.pdf")
    # As an extractor may give it: hyphen at the line end, lines joined by newlines, a
    # ligature, a non-breaking space.
    text = "\n".join(DURATION_LINES).replace(" fit ", " \ufb01t ").replace("12,834 ", "12,834\xa0")
    assert text != "\n".join(DURATION_LINES)
    view = locate(passage(pdf, text, 1), pdf)
    assert isinstance(view, PageView)
    assert (view.page, view.pages, view.on_passage) == (1, 3, True)
    assert view.found == pytest.approx(1.0)
    assert len(view.boxes) == len(DURATION_LINES)  # one box per printed line
    where = placed["duration"]
    top, bottom = where.top * PX, where.bottom * PX
    assert abs(view.boxes[0].top - top) < 12 and abs(view.boxes[-1].bottom - bottom) < 12
    assert all(top - 12 <= b.top < b.bottom <= bottom + 12 for b in view.boxes)
    assert all(b.left < 30 * PX * 72 / 25.4 for b in view.boxes)  # from the left margin
    for box in view.boxes:  # drawn into the image: mostly yellow (the rest is the text)
        assert yellow_share(view, box.left, box.top, box.right, box.bottom) > 0.5
    dosing = placed["dosing"]
    assert yellow_share(view, 0, dosing.top * PX, view.width, dosing.bottom * PX) == 0
    assert view.width == pytest.approx(595.28 * PX, abs=2)
    assert view.png.startswith(b"\x89PNG")


def test_every_ingested_pdf_chunk_is_found_on_its_page(tmp_path: Path) -> None:
    """The chunks ingest really makes (running header, footer and all) are located in full."""
    pdf, _ = guideline_pdf(tmp_path / "colon.pdf")
    chunks = real_chunks(pdf)
    assert len(chunks) >= 6
    for chunk in chunks:
        view = locate(chunk, pdf)
        assert isinstance(view, PageView)
        assert view.page == chunk.page
        assert view.boxes
        # A passage over a page break is found part on each of its pages, none of it missing.
        last = getattr(chunk, "page_end", None) or chunk.page
        views = [view] + [locate(chunk, pdf, page=n) for n in range(chunk.page + 1, last + 1)]
        assert sum(v.found for v in views if isinstance(v, PageView)) > 0.95, chunk.text


def test_passage_over_a_page_break_is_highlighted_on_both_pages(tmp_path: Path) -> None:
    pdf, placed = guideline_pdf(tmp_path / "colon.pdf")
    where = placed["follow_up"]
    assert (where.page, where.page_end) == (2, 3)
    base = passage(pdf, FOLLOW_UP, 2)
    chunk = SpanningChunk(**{**base.__dict__, "page_end": 3})
    first, second = locate(chunk, pdf), locate(chunk, pdf, page=3)
    assert isinstance(first, PageView) and isinstance(second, PageView)
    assert (first.first_page, first.last_page) == (2, 3)
    assert first.boxes and second.boxes
    assert first.boxes[0].top == pytest.approx(where.top * PX, abs=12)  # from its start
    assert second.boxes[-1].bottom == pytest.approx(where.bottom * PX, abs=12)  # to its end
    assert 0.9 <= first.found + second.found <= 1.05  # split between the pages, none missing
    assert first.found > 0.2 and second.found > 0.2


def test_page_navigation(tmp_path: Path) -> None:
    pdf, _ = guideline_pdf(tmp_path / "colon.pdf")
    chunk = passage(pdf, DOSING, 1)
    pages = [locate(chunk, pdf, page=n) for n in (1, 2, 3)]
    assert [v.page for v in pages] == [1, 2, 3]  # type: ignore[union-attr]
    assert len({v.png for v in pages}) == 3  # type: ignore[union-attr]
    other = pages[1]
    assert isinstance(other, PageView)
    assert not other.on_passage and other.boxes == () and other.found == 0
    assert locate(chunk, pdf, page=0).page == 1  # type: ignore[union-attr]
    later = passage(pdf, FOLLOW_UP, 2)
    assert locate(later, pdf).page == 2  # type: ignore[union-attr]
    assert locate(later, pdf, page=0).page == 1  # type: ignore[union-attr]
    assert locate(chunk, pdf, page=99).page == 3  # type: ignore[union-attr]


def test_text_not_on_the_page_is_not_highlighted(tmp_path: Path) -> None:
    """Only what is on the page is boxed: a sentence the page does not carry lowers ``found``
    and gets no box (the viewer never pretends)."""
    pdf, _ = guideline_pdf(tmp_path / "colon.pdf")
    text = DOSING + " Irinotecan 180 mg/m2 is added on day 1 for microsatellite-stable disease."
    view = locate(passage(pdf, text, 1), pdf)
    assert isinstance(view, PageView)
    assert 0.6 < view.found < 0.9
    assert len(view.boxes) == 3  # the three printed lines of the dosing paragraph


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Debian tesseract-ocr absent")
def test_scanned_page_passage_is_boxed_from_ocr(tmp_path: Path) -> None:
    """A passage ingest read by OCR has no text layer to match: the rendered page is read the
    same way and the passage's lines are boxed where the scan shows them."""
    lines = [
        "NEUTROPENIA PROPHYLAXIS",
        "Pegfilgrastim 6 mg is injected once per",
        "chemotherapy cycle, 24 to 72 hours after",
        "the end of chemotherapy.",
        "Filgrastim is an alternative for patients",
        "who cannot attend on the following day.",
    ]
    pdf = scanned_pdf(tmp_path / "scan.pdf", tmp_path, [lines])
    data = pdf.read_bytes()
    reader = PageReader(shutil.which("tesseract") or "", "eng")
    parsed = parse_file(pdf, data, reader)
    (chunk,) = chunk_segments(
        parsed.segments, doc_id="scan", doc_hash=sha(pdf), title="Scan", size=700, overlap=0
    )
    assert chunk.ocr_confidence is not None
    wanted = replace(chunk, text="\n".join(lines[1:4]))  # the dosing sentence only
    plain = locate(wanted, pdf)
    assert isinstance(plain, PageView) and plain.boxes == ()  # no text layer, no pretence
    view = locate(wanted, pdf, ocr=reader)
    assert isinstance(view, PageView)
    assert view.found > 0.9 and len(view.boxes) == 3
    # scanned_pdf draws line ``row`` at 150 + 70 * row pixels of a 1700-pixel-wide scan
    # placed across the A4 width: its top in the rendering is at about this height.
    to_render = 595.28 / 1700 * PX
    for row, box in enumerate(view.boxes, start=1):
        assert abs(box.top - (150 + 70 * row) * to_render) < 15, (row, box)
    assert view.boxes[0].left < 140 * to_render


def test_table_row_is_boxed_on_its_row(tmp_path: Path) -> None:
    """A table row as ingest writes it (cell values under their column headers) is found on
    the page, where the values stand without the headers, and boxed on that row only."""
    pdf, placed = table_and_columns_pdf(tmp_path / "tables.pdf")
    row = (
        "Table 2. Adjuvant regimens and doses — Regimen: CAPOX | Drug: capecitabine | "
        "Dose: 1000 mg/m2 twice daily | Day: 1-14 | Cycle: 21 days"
    )
    view = locate(passage(pdf, row, 1), pdf)
    assert isinstance(view, PageView)
    assert view.found == 1.0 and len(view.boxes) == 1
    (box,) = view.boxes
    where = placed["row2"]
    assert where.top * PX - 4 <= box.top < box.bottom <= where.bottom * PX + 4
    assert box.right - box.left > 400 * PX  # across the columns of the row


def test_passage_in_the_right_column_is_boxed_in_that_column(tmp_path: Path) -> None:
    pdf, placed = table_and_columns_pdf(tmp_path / "columns.pdf")
    view = locate(passage(pdf, RIGHT_COLUMN, 2), pdf)
    assert isinstance(view, PageView)
    assert view.found == 1.0 and len(view.boxes) == 4
    middle = 105 * 72 / 25.4 * PX  # the gutter, 105 mm from the left edge
    assert all(box.left > middle for box in view.boxes)
    where = placed["right"]
    assert view.boxes[0].top == pytest.approx(where.top * PX, abs=12)


# Markdown and text ------------------------------------------------------------------------------


def test_markdown_section_with_the_passage_highlighted(tmp_path: Path) -> None:
    md = guideline_md(tmp_path / "colon.md")
    chunks = real_chunks(md)
    target = next(c for c in chunks if "IDEA analysis" in c.text)
    view = locate(target, md)
    assert isinstance(view, SectionView)
    assert view.kind == "markdown"
    assert view.section_label.endswith("Duration of adjuvant therapy")
    assert "Adjuvant chemotherapy (ACT)" in view.text  # the whole section is shown
    assert "Oxaliplatin" not in view.text  # and only that section
    assert view.found == 1.0
    marked = "".join(text for text, hit in view.pieces() if hit)
    assert marked == target.text
    assert "".join(text for text, _ in view.pieces()) == view.text


def test_section_view_finds_a_passage_whose_offset_is_stale(tmp_path: Path) -> None:
    """Offsets from another extractor (web or Word text) fall back to matching the text."""
    md = guideline_md(tmp_path / "colon.md")
    target = next(c for c in real_chunks(md) if "Oxaliplatin" in c.text)
    view = locate(replace(target, start=0, text=" ".join(target.text.split()).upper()), md)
    assert isinstance(view, SectionView)
    assert view.found == 1.0
    assert "".join(t for t, hit in view.pieces() if hit).startswith("Oxaliplatin 130 mg/m2")


def test_text_file_section(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(
        "DURATION\n" + " ".join(DURATION_LINES) + "\n\nDOSING\n" + DOSING + "\n", encoding="utf-8"
    )
    target = next(c for c in real_chunks(path) if "Oxaliplatin" in c.text)
    view = locate(target, path)
    assert isinstance(view, SectionView) and view.kind == "text"
    assert view.text.strip() == DOSING and view.found == 1.0


def test_markdown_table_row_is_highlighted_in_its_section(tmp_path: Path) -> None:
    path = tmp_path / "doses.md"
    path.write_text(
        "# Dosing\n\nTable 2. Adjuvant regimens and doses\n\n"
        "| Regimen | Drug | Dose | Day | Cycle |\n|---|---|---|---|---|\n"
        "| CAPOX | oxaliplatin | 130 mg/m² | 1 | 21 days |\n"
        "| CAPOX | capecitabine | 1000 mg/m² twice daily | 1-14 | 21 days |\n",
        encoding="utf-8",
    )
    row = "Regimen: CAPOX | Drug: oxaliplatin | Dose: 130 mg/m² | Day: 1 | Cycle: 21 days"
    chunk = replace(passage(path, row, None, ("Dosing",)), start=0)
    view = locate(chunk, path)
    assert isinstance(view, SectionView)
    (marked,) = [text for text, hit in view.pieces() if hit]
    # Ingest reads a table row with its headers; the section shows it as ingest read it.
    assert marked == row
    assert "capecitabine" not in marked


def test_long_section_is_cut_around_the_passage(tmp_path: Path) -> None:
    filler = " ".join(
        f"Background sentence {n} about colon cancer epidemiology." for n in range(400)
    )
    path = tmp_path / "long.md"
    path.write_text(f"# Background\n\n{filler}\n\n{DOSING}\n\n{filler}\n", encoding="utf-8")
    target = next(c for c in real_chunks(path) if "Oxaliplatin 130" in c.text)
    view = locate(target, path)
    assert isinstance(view, SectionView) and len(view.text) > 40_000
    pieces = view.pieces(context=500)
    assert pieces[0] == ("… ", False) and pieces[-1] == (" …", False)
    assert sum(len(text) for text, hit in pieces if not hit) <= 1000 + 4
    assert "".join(text for text, hit in pieces if hit) == target.text
    assert "".join(text for text, _ in view.pieces()) == view.text  # uncut without context


# Refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "md"])
def test_changed_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = (
        guideline_pdf(tmp_path / "colon.pdf")[0]
        if kind == "pdf"
        else guideline_md(tmp_path / "colon.md")
    )
    chunk = real_chunks(path)[1]
    data = path.read_bytes()
    # A PDF saved again by an editor (incremental update); a Markdown dose edited.
    path.write_bytes(data + b"\n%edited\n" if kind == "pdf" else data.replace(b"130", b"150"))
    with pytest.raises(SourceUnavailable, match="changed since this passage was indexed"):
        locate(chunk, path)


@pytest.mark.slow
def test_documents_with_a_metadata_sidecar_open_in_the_viewer(tmp_path: Path) -> None:
    """A sidecar gives a PDF or text file its title; the viewer still checks the file itself
    (its SHA-256, as sha256sum prints it) and shows the passage."""
    from rag.assistant import Assistant
    from rag.config import load_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf, _ = guideline_pdf(corpus / "colon.pdf")
    (corpus / "colon.pdf.meta.yaml").write_text("id: colon-pdf\ntitle: Colon PDF 2025\n")
    txt = corpus / "notes.txt"
    txt.write_text("DURATION\n" + " ".join(DURATION_LINES) + "\n\nDOSING\n" + DOSING + "\n")
    (corpus / "notes.txt.meta.yaml").write_text("id: colon-notes\ntitle: Colon Notes 2025\n")
    helper = Assistant(load_settings())
    try:
        assert helper.ingest([corpus]).count("added") == 2
        chunks = {c.doc_id: c for c in reversed(helper.chunks())}
        assert chunks["colon-pdf"].title == "Colon PDF 2025"
        assert chunks["colon-pdf"].doc_hash == sha(pdf)
        assert chunks["colon-notes"].doc_hash == sha(txt)
        page = helper.source_view(chunks["colon-pdf"])
        assert isinstance(page, PageView) and page.boxes and page.found > 0.9
        section = helper.source_view(chunks["colon-notes"])
        assert isinstance(section, SectionView) and section.found == 1.0
        # Editing the sidecar changes nothing the viewer checks against.
        (corpus / "notes.txt.meta.yaml").write_text("id: colon-notes\ntitle: Renamed\n")
        assert isinstance(helper.source_view(chunks["colon-notes"]), SectionView)
    finally:
        helper.close()


def test_missing_file_is_refused(tmp_path: Path) -> None:
    md = guideline_md(tmp_path / "colon.md")
    chunk = real_chunks(md)[0]
    md.unlink()
    with pytest.raises(SourceUnavailable, match="no longer at"):
        locate(chunk, md)


# Matching ---------------------------------------------------------------------------------------


def test_matching_ignores_spacing_hyphenation_case_and_ligatures() -> None:
    page = "Grade 2 or worse neuro-\ntoxicity af\ufb01rmed after che-\r\nmotherapy (14.2%)."
    spans, found = match_spans("NEUROTOXICITY affirmed after chemotherapy (14.2%)", page)
    assert found == 1.0
    assert [page[a:b] for a, b in spans] == [page[page.index("neuro") :]]


@given(
    words=st.lists(st.from_regex(r"[a-z0-9]{3,9}", fullmatch=True), min_size=12, max_size=40),
    cut=st.integers(0, 5),
    gaps=st.lists(st.sampled_from([" ", "\n", "  ", "-\n", " \r\n"]), min_size=40, max_size=40),
)
def test_any_reflowed_stretch_of_a_page_is_found_whole(words, cut, gaps) -> None:
    """Invariant: a passage taken from a page is found whole however its lines were broken."""
    page = " ".join(words)
    chosen = words[cut : cut + 8]
    reflowed = "".join(w + g for w, g in zip(chosen, gaps, strict=False)).strip()
    spans, found = match_spans(reflowed, page)
    assert found == 1.0
    joined = " ".join(page[a:b] for a, b in spans)
    assert "".join(joined.split()).startswith("".join(chosen)[:20])


# The app ----------------------------------------------------------------------------------------


def open_viewer(at, rank: int = 1):  # type: ignore[no-untyped-def]
    """Click the "View in document" button under source card ``rank``."""
    buttons = [b for b in at.button if b.label == "View in document"]
    assert buttons, "no View in document button on the page"
    buttons[rank - 1].click().run()
    assert not at.exception, at.exception
    return at


def test_ask_page_opens_a_markdown_source_in_its_section(corpus_home: Path, monkeypatch) -> None:
    from test_app import app, ask, scripted

    scripted(monkeypatch)
    at = open_viewer(ask(app(), "What is the pegfilgrastim dose?"))
    texts = " ".join(t.value for t in at.text)
    assert "Section text with the passage highlighted (100% located)" in texts
    section = next(m.value for m in at.markdown if 'class="og-section"' in m.value)
    assert section.count('<span class="og-hit">') == 1
    body = section.split('class="og-section">', 1)[1]
    hit = html.unescape(body.split('<span class="og-hit">')[1].split("</span>")[0])
    assert "neutrophil" in hit.lower()
    # Document text is inert: no character left that Markdown or HTML would act on.
    bare = re.sub(r'<span class="og-hit">|</span>|<br>|</div>$|&#\d+;', "", body)
    assert not set(bare) & set("<>()[]*_:`#!$"), bare
    assert any("checked to be the version that was indexed" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Close").click().run()
    assert not any('class="og-section"' in m.value for m in at.markdown)


def test_ask_page_opens_a_pdf_source_on_its_page(corpus_home: Path, monkeypatch, tmp_path) -> None:
    from test_app import app, ask, scripted

    from rag.assistant import Assistant
    from rag.config import load_settings

    scripted(monkeypatch)
    pdf, _ = guideline_pdf(tmp_path / "colon-adjuvant.pdf")
    helper = Assistant(load_settings())
    assert helper.ingest([pdf]).count("added") == 1
    helper.close()
    at = ask(app(), "How long should adjuvant CAPOX be given for low-risk stage III colon cancer?")
    cards = [m.value for m in at.markdown if 'class="og-source"' in m.value]
    rank = next(i for i, card in enumerate(cards, start=1) if "p. 1" in card)
    at = open_viewer(at, rank)
    texts = " ".join(t.value for t in at.text)
    assert "Page 1 of 3 · passage on page 1" in texts and "Highlighted" in texts
    images = at.get("image")
    assert len(images) == 1
    next(b for b in at.button if b.label == "Next page ▶").click().run()
    assert not at.exception
    texts = " ".join(t.value for t in at.text)
    assert "Page 2 of 3" in texts and "shown without highlight" in texts
    next(b for b in at.button if b.label == "Passage page").click().run()
    assert "Page 1 of 3" in " ".join(t.value for t in at.text)


def test_viewer_refuses_a_document_changed_after_the_answer(
    corpus_home: Path, monkeypatch, tmp_path
) -> None:
    from test_app import app, ask, scripted

    from rag.assistant import Assistant
    from rag.config import load_settings

    scripted(monkeypatch)
    md = guideline_md(tmp_path / "colon-adjuvant.md")
    helper = Assistant(load_settings())
    assert helper.ingest([md]).count("added") == 1
    helper.close()
    at = ask(app(), "By how much is the oxaliplatin dose reduced for grade 3 neuropathy?")
    cards = [m.value for m in at.markdown if 'class="og-source"' in m.value]
    rank = next(i for i, card in enumerate(cards, start=1) if "Colon Cancer Adjuvant" in card)
    md.write_text(md.read_text().replace("25%", "50%"))  # edited after the answer was drafted
    at = open_viewer(at, rank)
    assert any("has changed since this passage was indexed" in e.value for e in at.error)
    assert not at.get("image") and not any('class="og-section"' in m.value for m in at.markdown)


def test_saved_answer_sources_open_on_their_page(corpus_home: Path, monkeypatch, tmp_path) -> None:
    """A saved record keeps the document hash it was verified against: the viewer shows that
    version, and refuses once the file on disk differs from it."""
    from test_app import app, scripted

    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.review.store import RecordStore
    from rag.types import Review

    scripted(monkeypatch)
    pdf, _ = guideline_pdf(tmp_path / "colon-adjuvant.pdf")
    helper = Assistant(load_settings())
    helper.ingest([pdf])
    answer = helper.ask("How long is adjuvant CAPOX given for low-risk stage III colon cancer?")
    helper.close()
    rank = next(h.rank for h in answer.hits if h.chunk.page)
    RecordStore(corpus_home / "records.sqlite3").save_verified(
        answer, Review(True, "Dr Lin", "3 months of CAPOX for low-risk disease [1].")
    )
    at = app()
    at.switch_page("views/saved.py").run()
    assert not at.exception
    at = open_viewer(at, rank)
    assert "Page 1 of 3 · passage on page 1" in " ".join(t.value for t in at.text)
    assert len(at.get("image")) == 1
    next(b for b in at.button if b.label == "Close").click().run()
    assert not at.get("image")

    pdf.write_bytes(pdf.read_bytes() + b"\n%edited\n")
    at = open_viewer(at, rank)
    assert any("has changed since" in e.value for e in at.error)
    assert not at.get("image")


def test_board_view_sources_open_in_their_section(corpus_home: Path, monkeypatch) -> None:
    from test_app import app, scripted

    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.review.board import CaseInput
    from rag.review.store import RecordStore
    from rag.types import Review

    scripted(monkeypatch)
    store = RecordStore(corpus_home / "records.sqlite3")
    case_id = store.create_case(CaseInput("Board 2 case 1", "Breast cancer", "stage I"), "dr.a")
    answer = Assistant(load_settings()).ask("What is the pegfilgrastim dose?")
    store.save_verified(answer, Review(True, "Dr Ada", "6 mg once per cycle [1]."), case_id=case_id)
    at = app()
    at.switch_page("views/board.py").run()
    assert not at.exception
    at = open_viewer(at, 1)
    assert "Section text with the passage highlighted" in " ".join(t.value for t in at.text)
    assert any('class="og-section"' in m.value for m in at.markdown)
