"""Real PDF files made by the tests (fpdf2), including the bad kinds ingest must refuse."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF


def text_pdf(
    path: Path,
    pages: list[list[tuple[str, str]]],
    title: str = "",
    outline: bool = False,
) -> Path:
    """``pages``: per page, a list of (kind, text) with kind "h1", "h2" or "p"."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for blocks in pages:
        pdf.add_page()
        for kind, text in blocks:
            if kind in ("h1", "h2"):
                pdf.set_font("Helvetica", "B", 14 if kind == "h1" else 12)
                if outline:
                    pdf.start_section(text, level=0 if kind == "h1" else 1)
                pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("Helvetica", "", 11)
                pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, user_password: str = "secret") -> Path:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0, 6, "Confidential guideline text that must not be readable without a password."
    )
    pdf.output(str(path))
    return path


def image_only_pdf(path: Path, tmp: Path) -> Path:
    """A PDF whose only page is a picture with no text in it (nothing for OCR to read)."""
    from PIL import Image, ImageDraw

    picture = tmp / "scan.png"
    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).ellipse((200, 50, 400, 250), fill="lightgray", outline="gray")
    image.save(picture)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(picture), x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path, tmp: Path, pages: list[list[str]], text_first: str = "") -> Path:
    """A scanned guideline: each page one image of typed lines (what a scanner makes). With
    ``text_first``, a normal text page comes before the scanned ones."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=34)
    pdf = FPDF()
    if text_first:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, text_first)
    for number, lines in enumerate(pages):
        image = Image.new("L", (1700, 2200), "white")
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            draw.text((120, 150 + row * 70), line, fill="black", font=font)
        picture = tmp / f"scan-{number}.png"
        image.save(picture)
        pdf.add_page()
        pdf.image(str(picture), x=0, y=0, w=210)
    pdf.output(str(path))
    return path


_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


class _PrintedPage(FPDF):
    """A web page printed to PDF by a browser: date, time and title at the top of every page,
    the file:/// address and "page/pages" at the bottom; footnotes above the footer."""

    def __init__(self, title: str, stamp: str, url: str) -> None:
        super().__init__(format="A4")
        self.print_title, self.stamp, self.url = title, stamp, url
        self.notes: dict[int, str] = {}
        self.alias_nb_pages()
        self.set_auto_page_break(True, margin=30)
        self.set_margins(18, 18, 18)
        if (_DEJAVU / "DejaVuSans.ttf").exists():
            self.add_font("Body", "", str(_DEJAVU / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(_DEJAVU / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:  # core font: Latin-1 only
            self.family = "Helvetica"

    def header(self) -> None:
        self.set_font(self.family, "", 7.5)
        self.set_xy(6, 5)
        self.cell(40, 4, self.stamp)
        self.set_xy(70, 5)
        self.cell(120, 4, self.print_title, align="C")
        self.set_xy(18, 18)

    def footer(self) -> None:
        note = self.notes.get(self.page_no())
        if note:
            self.set_font(self.family, "", 7)
            self.set_xy(18, -24)
            self.multi_cell(174, 3.2, note)
        self.set_font(self.family, "", 7.5)
        self.set_xy(6, -10)
        self.cell(150, 4, self.url)
        self.set_xy(180, -10)
        self.cell(24, 4, f"{self.page_no()}/{{nb}}", align="R")


def guideline_pdf(path: Path, scanned: list[str] | None = None, tmp: Path | None = None) -> Path:
    """The test guideline (tests/guideline_doc.py) as a browser prints it, with a ligature
    font, hyphenated line ends, a word hyphenated over a page break, a superscript footnote
    marker and its footnote, a ruled dose table with its caption, a two-column trial summary
    and references. With ``scanned`` lines, a last page is a scanned image of them."""
    import guideline_doc as g

    pdf = _PrintedPage(g.TITLE, g.PRINT_STAMP, g.PRINT_URL)
    pdf.set_title(g.TITLE)
    pdf.add_page()
    unicode = pdf.family == "Body"

    def text(value: str) -> str:
        if unicode:
            return value.replace("fit ", "\ufb01t ").replace("first", "\ufb01rst")
        return (
            value.replace("–", "-")
            .replace("²", "2")
            .replace("—", "-")
            .encode("latin-1", "replace")
            .decode("latin-1")
        )

    def heading(value: str, size: float) -> None:
        pdf.set_font(pdf.family, "B", size)
        pdf.ln(2)
        pdf.multi_cell(0, size * 0.5, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(value: str) -> None:
        pdf.set_font(pdf.family, "", 10)
        pdf.multi_cell(0, 5, text(value), align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)

    heading(g.TITLE, 18)
    for section in g.SECTIONS:
        heading(section.heading, 14 if section.level == 2 else 12)
        paragraphs = list(section.paragraphs)
        if section.two_columns:
            pdf.set_font(pdf.family, "", 9.5)
            with pdf.text_columns(ncols=2, gutter=8, text_align="J", balance=True) as cols:
                for value in paragraphs:
                    with cols.paragraph(bottom_margin=2) as par:
                        par.write(text(value))
            pdf.ln(3)
            continue
        for number, value in enumerate(paragraphs):
            if section.heading == "Stage II disease" and number == 0:
                value = value.replace("chemotherapy", "chemo-\ntherapy", 1)
            if section.heading == "Toxicity management" and number == 1:
                value = value.replace("fluoropyrimidine", "fluoro-\npyrimidine", 1)
            if section.heading == "Older patients" and number == 0:
                head, tail = value.split("benefit", 1)
                pdf.set_font(pdf.family, "", 10)
                pdf.multi_cell(0, 5, text(head + "bene-"), align="J", new_x="LMARGIN", new_y="NEXT")
                pdf.add_page()
                paragraph(text("fit" + tail))
                continue
            if section.heading.startswith("Adjuvant chemotherapy") and number == 0:
                pdf.set_font(pdf.family, "", 10)
                pdf.write(5, text(value))
                pdf.char_vpos = "SUP"
                pdf.write(5, "1")
                pdf.char_vpos = "LINE"
                pdf.ln(7.5)
                pdf.notes[pdf.page_no()] = text(g.FOOTNOTE)
                continue
            paragraph(value)
        if section.table:
            caption, rows = section.table
            pdf.set_font(pdf.family, "B", 9)
            pdf.multi_cell(0, 5, text(caption), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(pdf.family, "", 8.5)
            with pdf.table(col_widths=(22, 28, 48, 12, 16), line_height=4.5) as table:
                for row in rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(text(value))
            pdf.ln(4)
    heading("References", 14)
    for reference in g.REFERENCES:
        pdf.set_font(pdf.family, "", 8.5)
        pdf.multi_cell(0, 4.2, text(reference), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if scanned:
        from PIL import Image, ImageDraw, ImageFont

        assert tmp is not None
        font = ImageFont.load_default(size=34)
        image = Image.new("L", (1700, 2200), "white")
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(scanned):
            draw.text((120, 200 + row * 70), line, fill="black", font=font)
        picture = tmp / "scanned-appendix.png"
        image.save(picture)
        pdf.add_page()
        pdf.image(str(picture), x=0, y=0, w=210)
    pdf.output(str(path))
    return path


NUMBERED_RUNNING = ("ESMO-style Clinical Practice Guideline | Gastric cancer 2025", "Page ")


def numbered_paragraph(n: int) -> str:
    """Paragraph ``n`` of ``numbered_pdf``: trial results with HRs and CIs."""
    months, hr = 30 + n % 17, 0.61 + (n % 9) / 50
    return (
        f"In substudy {n + 1} of the FLOT4 programme, perioperative FLOT improved median "
        f"overall survival compared with ECF or ECX ({months + 12} versus {months} months; "
        f"HR {hr:.2f}, 95% CI {hr - 0.14:.2f}-{hr + 0.17:.2f}), and the rate of R0 "
        f"resection rose from {70 + n % 11}% to {80 + n % 7}% without more surgical "
        "complications. Grade 3 or 4 neutropenia occurred in "
        f"{40 + n % 13}% of patients receiving FLOT, and febrile neutropenia in "
        f"{3 + n % 5}% during cycle {1 + n % 4}, mostly before granulocyte colony-"
        "stimulating factor support became routine at the participating centres."
    )


def numbered_pdf(path: Path, pages: int) -> Path:
    """A typeset guideline: running title header, "Page n of N" footer, one long section
    whose paragraphs run over the page breaks."""

    class Doc(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, NUMBERED_RUNNING[0])
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Doc()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, "Perioperative chemotherapy", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10.5)
    for n in range(pages * 6):
        paragraph = numbered_paragraph(n)
        pdf.multi_cell(0, 5.5, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return path


CHROMIUM = "/usr/bin/chromium"


def browser_printed_pdf(html: Path, path: Path) -> Path:
    """``html`` printed to PDF by Debian chromium with the header and footer a browser puts
    on every page (date and time, title, address, page/pages)."""
    from playwright.sync_api import sync_playwright

    header = (
        "<div style='font-size:8px;width:100%;padding:0 10mm;display:flex;"
        "justify-content:space-between'><span class='date'></span>"
        "<span class='title'></span><span></span></div>"
    )
    footer = (
        "<div style='font-size:8px;width:100%;padding:0 10mm;display:flex;"
        "justify-content:space-between'><span class='url'></span>"
        "<span><span class='pageNumber'></span>/<span class='totalPages'></span></span></div>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.abort()
                    if not route.request.url.startswith("file:")
                    else route.continue_()
                ),
            )
            page.goto(html.resolve().as_uri())
            page.pdf(
                path=str(path),
                format="A4",
                display_header_footer=True,
                header_template=header,
                footer_template=footer,
                margin={"top": "18mm", "bottom": "18mm", "left": "12mm", "right": "12mm"},
            )
        finally:
            browser.close()
    return path
