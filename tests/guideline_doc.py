"""One guideline, written the way real ones are (long result sentences with HRs and CIs,
abbreviations, a dose table, a two-column trial summary, footnotes, references), rendered as
Markdown, a browser-printed PDF, a saved web page and a Word file, so that the tests can
compare what ingest keeps of each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TITLE = "Colon Cancer: Adjuvant Systemic Therapy"
PRINT_STAMP = "11/25/26, 7:29 PM"
PRINT_URL = "file:///home/clinic/guidelines/colon-adjuvant-therapy.html"


@dataclass(frozen=True)
class Section:
    level: int  # 2 = section, 3 = subsection (the title is level 1)
    heading: str
    paragraphs: tuple[str, ...] = ()
    table: tuple[str, tuple[tuple[str, ...], ...]] | None = None  # (caption, rows incl. header)
    two_columns: bool = False  # printed in two columns in the PDF


DOSE_TABLE = (
    "Table 1. Adjuvant regimens for stage III colon cancer",
    (
        ("Regimen", "Drug", "Dose", "Day", "Cycle"),
        ("CAPOX", "oxaliplatin", "130 mg/m² IV", "1", "21 days"),
        ("CAPOX", "capecitabine", "1000 mg/m² orally twice daily", "1–14", "21 days"),
        ("mFOLFOX6", "oxaliplatin", "85 mg/m² IV", "1", "14 days"),
        ("mFOLFOX6", "leucovorin", "400 mg/m² IV", "1", "14 days"),
        ("mFOLFOX6", "fluorouracil bolus", "400 mg/m² IV", "1", "14 days"),
        ("mFOLFOX6", "fluorouracil infusion", "2400 mg/m² over 46 hours", "1–2", "14 days"),
        ("Capecitabine alone", "capecitabine", "1250 mg/m² orally twice daily", "1–14", "21 days"),
    ),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        2,
        "Scope and methods",
        (
            "This guideline covers adjuvant systemic therapy after complete (R0) resection of "
            "colon adenocarcinoma in adults and does not address rectal cancer, for which "
            "neoadjuvant chemoradiotherapy (CRT) or total neoadjuvant therapy (TNT) is standard.",
            "Recommendations were graded with GRADE by a multidisciplinary panel of medical "
            "oncologists, colorectal surgeons, pathologists and patient representatives after a "
            "systematic literature search of MEDLINE and Embase up to 31 March 2025.",
        ),
    ),
    Section(
        2,
        "Staging and risk assessment",
        (
            "Pathological staging follows the eighth edition of the AJCC/UICC TNM classification, "
            "and at least 12 lymph nodes should be examined, because fewer examined nodes are "
            "associated with understaging and a worse disease-free survival (DFS).",
            "High-risk features in stage II disease include T4 tumours, fewer than 12 examined "
            "lymph nodes, poorly differentiated histology with proficient mismatch repair, "
            "lymphovascular or perineural invasion, bowel obstruction or perforation at "
            "presentation, and positive resection margins.",
            "Mismatch repair (MMR) status should be determined in every patient by "
            "immunohistochemistry or microsatellite instability testing, as deficient MMR "
            "(dMMR) stage II tumours have an excellent prognosis and derive no benefit from "
            "fluoropyrimidine monotherapy.",
        ),
    ),
    Section(
        2,
        "Adjuvant chemotherapy for stage III disease",
        (
            "Oxaliplatin-based doublet chemotherapy is recommended for patients with resected "
            "stage III colon cancer who are fit for treatment, starting within 8 weeks of "
            "surgery; in the MOSAIC trial, adding oxaliplatin to infusional fluorouracil and "
            "leucovorin improved 6-year overall survival (OS) from 76.0% to 78.5% (HR 0.84, "
            "95% CI 0.71–1.00, p=0.046), with the largest absolute benefit in node-positive "
            "disease.",
            "Either CAPOX or mFOLFOX6 may be used, and the choice depends on patient "
            "preference, the feasibility of a central venous access device, and the expected "
            "toxicity profile, since capecitabine causes more hand–foot syndrome whereas "
            "infusional regimens require a portable pump every two weeks.",
        ),
        table=DOSE_TABLE,
    ),
    Section(
        3,
        "Duration of oxaliplatin-based therapy",
        (
            "In the prospective pooled IDEA analysis of 12,834 patients, three months of CAPOX "
            "was non-inferior to six months for disease-free survival in low-risk stage III "
            "disease (T1–3 N1), with a 3-year DFS of 83.1% versus 83.3% (HR 1.01, 95% CI "
            "0.90–1.12), while grade 3 or higher neurotoxicity fell from 16% to 3%.",
            "For high-risk stage III disease (T4 or N2), six months of treatment is preferred, "
            "particularly with mFOLFOX6, for which three months did not reach non-inferiority "
            "(HR 1.16, 95% CI 1.06–1.26).",
        ),
    ),
    Section(
        2,
        "Stage II disease",
        (
            "Adjuvant chemotherapy is not routinely recommended for stage II colon cancer "
            "without high-risk features, because the absolute benefit on overall survival is "
            "below 5% and must be weighed against toxicity and the preferences of the patient.",
            "Patients with high-risk stage II disease and proficient MMR may be offered "
            "fluoropyrimidine monotherapy or, for T4 tumours, three months of CAPOX after a "
            "discussion of the modest expected gain.",
        ),
    ),
    Section(
        2,
        "Summary of key adjuvant trials",
        (
            "MOSAIC randomised 2,246 patients with resected stage II or III colon cancer to "
            "FOLFOX4 or LV5FU2 for six months; the 5-year DFS was 73.3% versus 67.4% (HR 0.80, "
            "95% CI 0.68–0.93) in the intention-to-treat population.",
            "NSABP C-07 compared FLOX with bolus fluorouracil and leucovorin in 2,409 patients "
            "and reported a 3-year DFS of 76.1% versus 71.8% (HR 0.80, 95% CI 0.69–0.93), at "
            "the cost of more grade 3 or 4 diarrhoea with the weekly bolus schedule.",
            "XELOXA (NO16968) randomised 1,886 patients with stage III disease to CAPOX or bolus "
            "fluorouracil and leucovorin and showed a 7-year OS of 73% versus 67% (HR 0.83, "
            "95% CI 0.70–0.99), confirming that oral capecitabine can replace infusional "
            "fluorouracil in the doublet.",
            "The X-ACT trial showed that capecitabine alone is at least equivalent to bolus "
            "fluorouracil and leucovorin for DFS in stage III disease (HR 0.87, 95% CI "
            "0.75–1.00) and caused less neutropenia and stomatitis.",
        ),
        two_columns=True,
    ),
    Section(
        2,
        "Older patients",
        (
            "Chronological age alone should not preclude adjuvant therapy, but a geriatric "
            "assessment is advised for patients older than 70 years, since pooled ACCENT data "
            "did not show an overall survival benefit from adding oxaliplatin in this group "
            "(HR 1.04, 95% CI 0.85–1.27).",
            "Capecitabine monotherapy for six months is a reasonable option for fit older "
            "patients with stage III disease who prefer to avoid oxaliplatin-induced "
            "peripheral neuropathy.",
        ),
    ),
    Section(
        2,
        "Toxicity management",
        (
            "Oxaliplatin should be stopped at the first sign of persistent grade 2 sensory "
            "neuropathy that interferes with function, and the dose of capecitabine should be "
            "reduced by 25% for creatinine clearance of 30–50 mL/min.",
            "Testing for dihydropyrimidine dehydrogenase (DPD) deficiency by DPYD genotyping "
            "before the first fluoropyrimidine dose is recommended, and patients who are "
            "heterozygous for a decreased-function variant should start at 50% of the dose.",
        ),
    ),
    Section(
        2,
        "Follow-up and surveillance",
        (
            "After completion of adjuvant therapy, carcinoembryonic antigen (CEA) should be "
            "measured every 3 to 6 months for 3 years and then every 6 months until year 5, "
            "together with contrast-enhanced CT of the chest, abdomen and pelvis every 6 to 12 "
            "months for 3 years.",
            "Colonoscopy is recommended 1 year after surgery and, if normal, every 3 to 5 years "
            "thereafter, or within 6 months of surgery when the preoperative colonoscopy was "
            "incomplete because of an obstructing tumour.",
        ),
    ),
)

REFERENCES = (
    "1. André T, Boni C, Navarro M, et al. Improved overall survival with oxaliplatin, "
    "fluorouracil, and leucovorin as adjuvant treatment in stage II or III colon cancer in "
    "the MOSAIC trial. J Clin Oncol. 2009;27(19):3109-3116.",
    "2. Grothey A, Sobrero AF, Shields AF, et al. Duration of adjuvant chemotherapy for stage "
    "III colon cancer. N Engl J Med. 2018;378(13):1177-1188.",
)

FOOTNOTE = (
    "1 Absolute differences are taken from the final updated analysis with a median "
    "follow-up of 9.5 years."
)

# (question, section that answers it) for the cross-format retrieval comparison.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("Which patients does this guideline not cover?", "Scope and methods"),
    ("How many lymph nodes should be examined at staging?", "Staging and risk assessment"),
    ("What are high-risk features in stage II disease?", "Staging and risk assessment"),
    ("What improvement in overall survival did MOSAIC show with oxaliplatin?",
     "Adjuvant chemotherapy for stage III disease"),
    ("What is the dose of oxaliplatin in CAPOX?", "Adjuvant chemotherapy for stage III disease"),
    ("What is the fluorouracil infusion dose in mFOLFOX6?",
     "Adjuvant chemotherapy for stage III disease"),
    ("Is three months of CAPOX enough for low-risk stage III disease?",
     "Duration of oxaliplatin-based therapy"),
    ("Should stage II colon cancer without high-risk features get chemotherapy?",
     "Stage II disease"),
    ("What did the NSABP C-07 trial compare?", "Summary of key adjuvant trials"),
    ("What were the XELOXA overall survival results?", "Summary of key adjuvant trials"),
    ("Is adjuvant oxaliplatin beneficial in patients older than 70?", "Older patients"),
    ("When should oxaliplatin be stopped for neuropathy?", "Toxicity management"),
    ("Should DPYD genotyping be done before fluoropyrimidines?", "Toxicity management"),
    ("How often should CEA be measured during follow-up?", "Follow-up and surveillance"),
    ("When is colonoscopy recommended after surgery?", "Follow-up and surveillance"),
)  # fmt: skip

# Words the PDF splits with a hyphen at a line end, and one sentence split over a page break.
HYPHENATED = ("chemo-therapy", "fluoro-pyrimidine")
RUNNING_TEXT = (PRINT_STAMP, PRINT_URL, "colon-adjuvant-therapy.html")


def markdown() -> str:
    out = [
        "---",
        "id: colon-adjuvant-md",
        f'title: "{TITLE}"',
        "publisher: OncoGuide test society",
        "year: 2025",
        "---",
        "",
        f"# {TITLE}",
        "",
    ]
    for section in SECTIONS:
        out += ["#" * section.level + " " + section.heading, ""]
        for paragraph in section.paragraphs:
            out += [paragraph, ""]
        if section.table:
            caption, rows = section.table
            out += [f"**{caption}**", ""]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
            out.append("")
    out += ["## References", ""] + [f"{r}" for r in REFERENCES]
    return "\n".join(out) + "\n"


def html() -> str:
    from html import escape

    body = [f"<h1>{escape(TITLE)}</h1>"]
    for section in SECTIONS:
        tag = f"h{section.level}"
        body.append(f"<{tag}>{escape(section.heading)}</{tag}>")
        body += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
        if section.table:
            caption, rows = section.table
            head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
            cells = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:]
            )
            body.append(
                f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{cells}</tbody></table>"
            )
    body.append("<h2>References</h2><ol>")
    body += [f"<li>{escape(r.split('. ', 1)[1])}</li>" for r in REFERENCES]
    body.append("</ol>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(TITLE)} | Test Society</title>"
        "<link rel='stylesheet' href='https://cdn.example.org/site.css'>"
        "<script src='https://analytics.example.org/track.js'></script>"
        "<style>body{font-family:sans-serif}</style></head><body>"
        "<header><a href='/'>Test Society home</a><nav><ul><li><a href='/guidelines'>All "
        "guidelines</a></li><li><a href='/about'>About us</a></li><li><a href='/donate'>Donate "
        "today</a></li></ul></nav></header>"
        "<div class='cookie-banner' role='dialog'><form><p>We use cookies to improve your "
        "visit.</p><button>Accept all cookies</button></form></div>"
        "<main id='main-content'><article>" + "".join(body) + "</article></main>"
        "<aside><h2>Related guidelines</h2><p>Rectal cancer: neoadjuvant therapy.</p></aside>"
        "<footer><p>© 2025 Test Society. All rights reserved. Privacy policy.</p></footer>"
        "<script>window.dataLayer=[];</script></body></html>"
    )


def docx_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.author = "OncoGuide test society"
    document.add_heading(TITLE, 0)
    for section in SECTIONS:
        document.add_heading(section.heading, section.level - 1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.table:
            caption, rows = section.table
            document.add_paragraph(caption, style="Caption")
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    document.add_heading("References", 1)
    for reference in REFERENCES:
        document.add_paragraph(reference.split(". ", 1)[1], style="List Number")
    document.save(str(path))
    return path
