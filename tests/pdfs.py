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
