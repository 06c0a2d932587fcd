"""PDF text fidelity: what a browser-printed or typeset guideline PDF becomes after ingest.
Each case is a generated document (tests/pdfs.py, tests/guideline_doc.py) with assertions on
the chunks that retrieval, the evidence answer and the claim checks will see."""

from __future__ import annotations

import re
from pathlib import Path

import guideline_doc as g
import pytest
from fpdf import FPDF
from hypothesis import given
from hypothesis import strategies as st
from pdfs import guideline_pdf, numbered_pdf

from rag.ingest.chunking import chunk_segments
from rag.ingest.clean import join_lines, normalise, table_rows
from rag.ingest.parse import parse_file
from rag.types import Chunk

_PAGE_OF = re.compile(r"\b\d+\s*/\s*\d+\b(?!\s*(?:mg|mL|days|hours))")


def chunks_of(path: Path, size: int = 700) -> list[Chunk]:
    parsed = parse_file(path, path.read_bytes())
    return chunk_segments(
        parsed.segments, doc_id="d", doc_hash="h", title="t", size=size, overlap=100
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[Chunk]:
    path = tmp_path_factory.mktemp("printed") / "colon-adjuvant.pdf"
    return chunks_of(guideline_pdf(path))


def body(chunks: list[Chunk]) -> str:
    return "\n".join(c.text for c in chunks)


def test_browser_print_header_and_footer_are_in_no_chunk(printed: list[Chunk]) -> None:
    assert len(printed) > 15
    for chunk in printed:
        for running in g.RUNNING_TEXT:
            assert running not in chunk.text, chunk.text
        assert "7:29 PM" not in chunk.text and "file:" not in chunk.text
        # "1/3"-style page counters: none, while doses such as "2400 mg/m²" stay.
        assert not _PAGE_OF.search(chunk.text.replace("mg/m²", "")), chunk.text


def test_a_sentence_running_over_a_page_break_stays_whole(printed: list[Chunk]) -> None:
    idea = next(c for c in printed if "IDEA analysis" in c.text)
    assert "three months of CAPOX was non-inferior to six months" in idea.text
    assert (idea.page, idea.page_end) == (1, 2)
    assert idea.pages == (1, 2)
    # A word hyphenated at the foot of one page and finished on the next is one word again.
    older = next(c for c in printed if "pooled ACCENT data" in c.text)
    assert "did not show an overall survival benefit from adding oxaliplatin" in older.text
    assert older.page + 1 == older.page_end
    # Passages that do not cross a page keep to their page.
    assert all(c.page == c.page_end for c in printed if "IDEA" not in c.text and c is not older)


def test_words_hyphenated_at_line_ends_are_rejoined(printed: list[Chunk]) -> None:
    text = body(printed)
    assert "Adjuvant chemotherapy is not routinely recommended" in text
    assert "before the first fluoropyrimidine dose" in text
    assert "chemo-" not in text and "fluoro-" not in text
    # Real compounds keep their hyphen.
    assert "Oxaliplatin-based doublet" in text and "oxaliplatin-induced" in text


def test_ligatures_become_letters(printed: list[Chunk]) -> None:
    text = body(printed)
    assert "\ufb01" not in text
    assert "who are fit for treatment" in text and "at the first sign" in text


def test_two_column_summary_is_read_column_by_column(printed: list[Chunk]) -> None:
    trials = " ".join(c.text for c in printed if c.section == "Summary of key adjuvant trials")
    for sentence in (
        "MOSAIC randomised 2,246 patients with resected stage II or III colon cancer to FOLFOX4",
        "XELOXA (NO16968) randomised 1,886 patients with stage III disease to CAPOX or bolus",
        "confirming that oral capecitabine can replace infusional fluorouracil in the doublet.",
        "(HR 0.87, 95% CI 0.75–1.00) and caused less neutropenia and stomatitis.",
    ):
        assert sentence in trials
    order = [trials.index(t) for t in ("MOSAIC", "NSABP C-07", "XELOXA", "X-ACT")]
    assert order == sorted(order)


def test_footnote_marker_and_footnote_stay_out_of_the_running_text(printed: list[Chunk]) -> None:
    mosaic = next(c for c in printed if "in the MOSAIC trial, adding oxaliplatin" in c.text)
    assert "with the largest absolute benefit in node-positive disease." in mosaic.text
    assert "disease.1" not in mosaic.text and "Absolute differences" not in mosaic.text
    idea = next(c for c in printed if "IDEA analysis" in c.text)
    assert "Absolute differences" not in idea.text
    note = next(c for c in printed if "Absolute differences" in c.text)
    assert note.section == "Footnotes"


def test_reference_list_is_its_own_section(printed: list[Chunk]) -> None:
    for chunk in printed:
        if "J Clin Oncol" in chunk.text or "N Engl J Med" in chunk.text:
            assert chunk.section == "References"
    assert not any("2009;27" in c.text for c in printed if c.section != "References")


def test_dose_table_rows_keep_their_headers_and_caption(printed: list[Chunk]) -> None:
    caption, rows = g.DOSE_TABLE
    expected = table_rows(rows)
    got = [c for c in printed if c.caption]
    assert [c.text for c in got] == expected
    assert (
        expected[0]
        == "Regimen: CAPOX | Drug: oxaliplatin | Dose: 130 mg/m² IV | Day: 1 | Cycle: 21 days"
    )
    assert {c.caption for c in got} == {caption}
    assert {c.section for c in got} == {"Adjuvant chemotherapy for stage III disease"}
    # The table's text is not also left behind as loose body text.
    loose = body([c for c in printed if not c.caption])
    assert "2400 mg/m²" not in loose and "Regimen Drug" not in loose


def test_page_number_footers_and_running_titles_are_dropped(tmp_path: Path) -> None:
    chunks = chunks_of(numbered_pdf(tmp_path / "gastric.pdf", pages=3))
    assert {c.page for c in chunks} >= {1, 2, 3}
    for chunk in chunks:
        assert "Page " not in chunk.text and "Gastric cancer 2025" not in chunk.text
        assert chunk.section == "Perioperative chemotherapy"
    # Every sentence survives whole, also those cut by a page break in the PDF.
    text = " ".join(c.text for c in chunks)
    assert text.count("without more surgical complications. Grade 3 or 4 neutropenia") == 18
    assert "colony-stimulating factor" in text
    spanning = [c for c in chunks if c.page_end != c.page]
    assert spanning, "a paragraph crossing a page break keeps both pages"


def test_unicode_is_normalised_for_matching() -> None:
    assert normalise("\ufb01rst \ufb02ow") == "first flow"
    assert normalise("5 µg/kg") == normalise("5 μg/kg") == "5 μg/kg"
    assert normalise("130\u00a0mg/m²") == "130 mg/m²"  # superscripts in units are kept
    assert normalise("chemo\u00adtherapy") == "chemotherapy"
    # a superscript letter marks a footnote: it is not glued to the word as a letter of it
    assert normalise("posaconazoleᵃ | 70") == "posaconazole^a | 70"
    assert normalise("ᵇ Myelodysplasia-related genes") == "^b Myelodysplasia-related genes"


def test_line_end_hyphens() -> None:
    assert join_lines("adjuvant chemo-", "therapy is") == "adjuvant chemotherapy is"
    assert join_lines("5-", "fluorouracil") == "5-fluorouracil"
    known = frozenset({"oxaliplatin-based"})
    assert join_lines("an oxaliplatin-", "based doublet", known) == "an oxaliplatin-based doublet"
    assert join_lines("stage III", "disease") == "stage III disease"
    assert join_lines("was non-", "inferior", frozenset({"non-inferiority"})) == "was non-inferior"
    assert join_lines("disease-", "free survival") == "disease-free survival"
    assert join_lines("and follow-", "up.") == "and follow-up."
    assert join_lines("survival bene-", "fit from") == "survival benefit from"
    assert join_lines("(95% CI 0.70–", "0.99)") == "(95% CI 0.70–0.99)"
    assert join_lines("a pause —", "then") == "a pause — then"
    # A browser's print breaks lines only at real hyphens.
    assert join_lines("decreased-", "function", hyphenates=False) == "decreased-function"


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
)
def test_joining_lines_never_loses_a_letter(head: str, tail: str) -> None:
    joined = join_lines(f"the {head}-", f"{tail} rest")
    assert joined in (f"the {head}{tail} rest", f"the {head}-{tail} rest")
    assert join_lines(f"the {head}", f"{tail}") == f"the {head} {tail}"


def _long_table_pdf(path: Path, repeat_header: bool) -> Path:
    """A dose-modification table that runs over a page break, under a heading set on two
    lines."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(
        70, 8, "Dose modifications for capecitabine toxicity", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0,
        5,
        "Doses are modified by the worst toxicity grade in the previous cycle.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "B", 9)
    pdf.multi_cell(
        0, 6, "Table 3. Capecitabine dose by toxicity grade", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(repeat_headings=1 if repeat_header else 0, line_height=6) as table:
        header = table.row()
        for value in ("Toxicity", "Grade", "Occurrence", "Dose next cycle"):
            header.cell(value)
        for n in range(60):
            row = table.row()
            for value in (
                f"Event {n + 1}",
                str(1 + n % 4),
                f"{1 + n % 3}st",
                f"{100 - 25 * (n % 4)}%",
            ):
                row.cell(value)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_table_running_over_a_page_break_keeps_its_header(
    tmp_path: Path, repeat_header: bool
) -> None:
    chunks = chunks_of(_long_table_pdf(tmp_path / "long.pdf", repeat_header))
    rows = [c for c in chunks if c.caption]
    assert len(rows) == 60
    assert {c.page for c in rows} == {1, 2}
    assert {c.caption for c in rows} == {"Table 3. Capecitabine dose by toxicity grade"}
    for n, row in enumerate(rows):
        assert row.text.startswith(f"Toxicity: Event {n + 1} | Grade: {1 + n % 4} |"), row.text
    assert all(c.section == "Dose modifications for capecitabine toxicity" for c in chunks)


def test_borderless_table_is_read_row_by_row(tmp_path: Path) -> None:
    """Short cells side by side are not two columns of text."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "Antiemetic prophylaxis", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for drug, dose in [("Ondansetron", "8 mg twice daily"), ("Dexamethasone", "8 mg once daily"),
                       ("Aprepitant", "125 mg on day 1"), ("Olanzapine", "5 mg at night")]:  # fmt: skip
        pdf.cell(90, 6, drug)
        pdf.cell(90, 6, dose, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "borderless.pdf"))
    text = " ".join(c.text for c in chunks_of(tmp_path / "borderless.pdf"))
    assert "Ondansetron 8 mg twice daily Dexamethasone 8 mg once daily" in text
