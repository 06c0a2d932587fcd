"""Guideline documents for the source-viewer tests, written the way real ones are: running
header and footer, numbered sections, long result sentences with HRs and CIs, a paragraph
hyphenated across lines, and one that runs over a page break."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

HEADER = "Colon Cancer Guideline, Version 3.2026 - Adjuvant Therapy"
FOOTER = "Guideline panel consensus document. Printed copies are uncontrolled."

INTRO = (
    "Adjuvant chemotherapy (ACT) is offered after complete resection (R0) of stage III colon "
    "cancer. The decision weighs the absolute benefit against toxicity, comorbidity and the "
    "patient's preferences; age alone is not a reason to withhold treatment."
)
# Written with explicit line breaks so that "che-/motherapy" is hyphenated at a line end.
DURATION_LINES = [
    "In the pooled IDEA analysis of 12,834 patients, 3 months of CAPOX was non-inferior to",
    "6 months for low-risk disease (T1-3 N1): 3-year disease-free survival 83.1% versus 83.3%",
    "(HR 1.01, 95% CI 0.90-1.12), with far less grade 2 or worse neurotoxicity after che-",
    "motherapy (14.2% versus 44.9%). For high-risk disease (T4 or N2), 6 months of FOLFOX",
    "remains the preferred duration for fit patients.",
]
DOSING = (
    "Oxaliplatin 130 mg/m2 is given on day 1 with capecitabine 1000 mg/m2 twice daily on days "
    "1 to 14, every 21 days (CAPOX). Doses are reduced by 25% for grade 3 neuropathy, and "
    "oxaliplatin is stopped for persistent grade 2 paraesthesia with functional impairment."
)
SURVEILLANCE = [
    f"In the {trial} trial (n = {n}), intensive follow-up did not improve overall survival "
    f"(HR {hr}, 95% CI {low}-{high}; p = {p}), although more recurrences were resected with "
    "curative intent in the intensive arm. The panel judged the certainty of evidence as "
    "moderate and downgraded it for imprecision and for heterogeneity between centres."
    for trial, n, hr, low, high, p in [
        ("COLOFOL", "2,509", "0.88", "0.75", "1.03", "0.11"),
        ("FACS", "1,202", "0.96", "0.79", "1.17", "0.70"),
        ("GILDA", "1,228", "1.02", "0.84", "1.24", "0.83"),
        ("CEAwatch", "3,223", "0.97", "0.80", "1.18", "0.76"),
        ("PRODIGE 13", "1,995", "0.98", "0.87", "1.11", "0.74"),
    ]
]
FOLLOW_UP = (
    "Surveillance after curative treatment combines clinical review and carcinoembryonic "
    "antigen (CEA) measurement every 3 to 6 months for 2 years and then every 6 months to 5 "
    "years. Contrast-enhanced CT of the chest, abdomen and pelvis is performed every 6 to 12 "
    "months for 5 years in patients fit for further surgery. A rising CEA on two measurements "
    "prompts imaging even between scheduled scans. Positron emission tomography is not used "
    "for routine surveillance but may clarify an equivocal CT finding. Patients with a "
    "deficient mismatch repair (dMMR) tumour are referred for germline testing, and relatives "
    "are offered counselling. Survivorship care addresses neuropathy, bowel function, fatigue "
    "and return to work, and is shared with primary care after 5 years."
)
CLOSING = "Colonoscopy is repeated one year after resection and then at 3 and 5 years."


@dataclass(frozen=True)
class Placed:
    """Where a paragraph was written: first and last page, top on the first page and bottom
    on the last, in PDF points from the top of the page."""

    page: int
    top: float
    bottom: float
    page_end: int


class _GuidelinePDF(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 6, HEADER, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 6, f"{FOOTER}  Page {self.page_no()}", align="C")


def guideline_pdf(path: Path) -> tuple[Path, dict[str, Placed]]:
    """A three-page guideline PDF; returns where the duration paragraph and the dosing
    paragraph were placed."""
    mm = 72 / 25.4
    pdf = _GuidelinePDF()
    pdf.set_auto_page_break(True, margin=20)
    placed: dict[str, Placed] = {}

    def heading(text: str) -> None:
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def paragraph(text: str, name: str = "") -> None:
        pdf.set_font("Helvetica", "", 11)
        page, top = pdf.page_no(), pdf.get_y()
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        if name:
            placed[name] = Placed(page, top * mm, pdf.get_y() * mm, pdf.page_no())
        pdf.ln(3)

    pdf.add_page()
    heading("1. Adjuvant chemotherapy for stage III disease")
    paragraph(INTRO)
    heading("1.1 Duration of adjuvant therapy")
    paragraph("\n".join(DURATION_LINES), "duration")
    heading("1.2 Dosing and dose modification")
    paragraph(DOSING, "dosing")
    pdf.add_page()
    heading("2. Surveillance")
    for text in SURVEILLANCE:
        paragraph(text)
    pdf.rect(pdf.l_margin, pdf.get_y(), 120, 70)  # a figure pushes the next paragraph down
    pdf.set_y(pdf.get_y() + 72)
    pdf.set_font("Helvetica", "I", 9)
    pdf.cell(0, 5, "Figure 1. Surveillance schedule by year.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    paragraph(FOLLOW_UP, "follow_up")
    paragraph(CLOSING)
    pdf.output(str(path))
    return path, placed


GUIDELINE_MD = """---
title: Colon Cancer Adjuvant Therapy
publisher: Guideline Panel
year: 2026
---
# Colon Cancer Adjuvant Therapy

## Duration of adjuvant therapy

{intro}

{duration}

## Dosing and dose modification

{dosing}
"""


def guideline_md(path: Path) -> Path:
    path.write_text(
        GUIDELINE_MD.format(
            intro=INTRO, duration=" ".join(DURATION_LINES).replace("che- ", "che"), dosing=DOSING
        ),
        encoding="utf-8",
    )
    return path


DOSE_TABLE = [
    ("Regimen", "Drug", "Dose", "Day", "Cycle"),
    ("CAPOX", "oxaliplatin", "130 mg/m2", "1", "21 days"),
    ("CAPOX", "capecitabine", "1000 mg/m2 twice daily", "1-14", "21 days"),
    ("mFOLFOX6", "oxaliplatin", "85 mg/m2", "1", "14 days"),
    ("mFOLFOX6", "fluorouracil", "2400 mg/m2 over 46 h", "1", "14 days"),
]
LEFT_COLUMN = (
    "Patients with deficient mismatch repair (dMMR) stage II tumours have a low recurrence risk "
    "and do not benefit from fluoropyrimidine monotherapy; adjuvant treatment is not advised."
)
RIGHT_COLUMN = (
    "For high-risk stage II disease (T4, fewer than 12 nodes examined, perforation or "
    "obstruction), 3 months of CAPOX or 6 months of FOLFOX may be discussed with the patient."
)


def table_and_columns_pdf(path: Path) -> tuple[Path, dict[str, Placed]]:
    """Page 1: a captioned dose table. Page 2: two text columns side by side. Returns where
    each table row (``row1``...) and each column was placed."""
    mm = 72 / 25.4
    pdf = _GuidelinePDF()
    placed: dict[str, Placed] = {}
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 8, "Table 2. Adjuvant regimens and doses", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    row_height = 7.0
    top = pdf.get_y()
    with pdf.table(
        line_height=row_height, col_widths=(30, 35, 65, 25, 35), first_row_as_headings=True
    ) as table:
        for cells in DOSE_TABLE:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    for index in range(1, len(DOSE_TABLE)):
        start = top + index * row_height
        placed[f"row{index}"] = Placed(1, start * mm, (start + row_height) * mm, 1)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    top = pdf.get_y()
    pdf.set_xy(10, top)
    pdf.multi_cell(90, 6, LEFT_COLUMN)
    placed["left"] = Placed(2, top * mm, pdf.get_y() * mm, 2)
    pdf.set_xy(110, top)
    pdf.multi_cell(90, 6, RIGHT_COLUMN)
    placed["right"] = Placed(2, top * mm, pdf.get_y() * mm, 2)
    pdf.output(str(path))
    return path, placed
