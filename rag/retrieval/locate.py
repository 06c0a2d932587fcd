"""Find a retrieved passage in its own document, so the clinician can check it in place.

A PDF passage comes back as a rendered page (PNG) with rectangles over the passage's lines;
a Markdown, text, web or Word passage as the text of its section with the passage's character
spans. The file must still be the one that was indexed: a missing file or one whose bytes no
longer hash to the passage's ``doc_hash`` is refused, never shown in its place.
"""

from __future__ import annotations

import ctypes
import difflib
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.errors import IngestError, SourceUnavailable
from rag.ingest.metadata import file_hash
from rag.ingest.ocr import MIN_WORD_CONFIDENCE, PageReader
from rag.text import split_sentences
from rag.types import Chunk, Segment

RENDER_SCALE = 2.0  # 144 dpi: small print in dose tables stays legible
MIN_SENTENCE = 12  # normalised characters; shorter sentences match too easily by chance
MIN_BLOCK = 20  # shortest common run accepted by the fuzzy fallback
HIGHLIGHT_FILL = (255, 213, 0)
HIGHLIGHT_ALPHA = 0.35
HIGHLIGHT_EDGE = (214, 140, 0)


@dataclass(frozen=True)
class Box:
    """A highlighted line, in pixels of the rendered page (origin top left)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class PageView:
    """One page of a PDF as an image, with the passage's lines boxed when it is on the page.

    ``found`` is the share of the passage's letters and digits located on this page's text
    (0 on pages the passage is not on, and on scanned pages without a text layer).
    """

    doc_id: str
    title: str
    path: str
    page: int
    pages: int
    first_page: int
    last_page: int
    png: bytes
    width: int
    height: int
    boxes: tuple[Box, ...]
    found: float

    @property
    def on_passage(self) -> bool:
        return self.first_page <= self.page <= self.last_page


@dataclass(frozen=True)
class SectionView:
    """The text of the passage's section (as text, never markup) and where the passage is."""

    doc_id: str
    title: str
    path: str
    kind: str
    section_label: str
    text: str
    spans: tuple[tuple[int, int], ...]
    found: float

    def pieces(self, context: int | None = None) -> list[tuple[str, bool]]:
        """The section cut at the passage: (text, is_passage) in order. With ``context``, only
        that many characters are kept either side of the passage, the cuts marked "…"."""
        low, high = 0, len(self.text)
        if context is not None and self.spans:
            low = max(self.spans[0][0] - context, 0)
            high = min(self.spans[-1][1] + context, len(self.text))
        out: list[tuple[str, bool]] = [("… ", False)] if low > 0 else []
        last = low
        for start, end in self.spans:
            if start > last:
                out.append((self.text[last:start], False))
            out.append((self.text[start:end], True))
            last = end
        if last < high:
            out.append((self.text[last:high], False))
        if high < len(self.text):
            out.append((" …", False))
        return out


SourceView = PageView | SectionView


def locate(
    chunk: Chunk,
    path: str | Path,
    page: int | None = None,
    scale: float = RENDER_SCALE,
    ocr: PageReader | None = None,
) -> SourceView:
    """Open ``chunk`` in the file at ``path``: for a PDF, ``page`` (default the passage's first
    page) rendered at ``scale``; otherwise its section. With ``ocr``, a passage that was read
    by OCR from a scanned page is found by reading the rendered page the same way. Raises
    ``SourceUnavailable`` when the file is missing, unreadable or not the indexed version."""
    file = Path(path)
    data = read_indexed(file, chunk.doc_hash)
    if file.suffix.lower() == ".pdf":
        return _page_view(chunk, file, data, page, scale, ocr)
    return _section_view(chunk, file, data)


def read_indexed(file: Path, doc_hash: str) -> bytes:
    """The bytes of ``file`` if they are still the indexed version (``doc_hash``, the file's
    SHA-256 as ingest computes it)."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise SourceUnavailable(
            f"The document is no longer at {file}; it cannot be shown. Restore the file or "
            "re-index the corpus."
        ) from None
    except OSError as exc:
        raise SourceUnavailable(f"The document at {file} cannot be read ({exc}).") from exc
    if file_hash(data) != doc_hash:
        raise SourceUnavailable(
            f"The document at {file} has changed since this passage was indexed (document "
            f"{doc_hash[:12]}); it is not shown, so that you never check a passage against a "
            "different version. Re-index the corpus and ask again."
        )
    return data


# Matching -----------------------------------------------------------------------------------


def _folded(text: Sequence[str]) -> tuple[str, list[int]]:
    """Letters and digits of ``text``, compatibility-normalised and case-folded, with the index
    of the character each came from: whitespace, hyphenation and ligatures do not matter."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKC", char).casefold():
            if part.isalnum():
                out.append(part)
                origin.append(index)
    return "".join(out), origin


def match_spans(passage: str, haystack: Sequence[str]) -> tuple[list[tuple[int, int]], float]:
    """Where ``passage`` lies in ``haystack`` (a string or per-character list): merged index
    spans and the share of the passage's letters and digits found. The whole passage is tried
    first, then each sentence, then common runs of at least ``MIN_BLOCK`` characters (a
    passage cut by a page break, or extracted in a different order), and for a table row the
    cell values in order."""
    folded, origin = _folded(haystack)
    whole, _ = _folded(passage)
    if not whole or not folded:
        return [], 0.0
    hits: list[tuple[int, int]] = []  # spans in folded coordinates
    found = 0
    at = folded.find(whole)
    if at >= 0:
        hits.append((at, at + len(whole)))
        found = len(whole)
    else:
        missing: list[str] = []
        for sentence in split_sentences(passage):
            key, _ = _folded(sentence)
            where = folded.find(key) if len(key) >= MIN_SENTENCE else -1
            if where >= 0:
                hits.append((where, where + len(key)))
                found += len(key)
            elif key:
                missing.append(key)
        for key in missing:
            blocks = difflib.SequenceMatcher(None, key, folded, autojunk=False)
            for block in blocks.get_matching_blocks():
                if block.size >= MIN_BLOCK:
                    hits.append((block.b, block.b + block.size))
                    found += block.size
    share = min(found / len(whole), 1.0)
    if share < 0.5 and " | " in passage:
        row = _table_row(passage, folded)
        if row is not None:
            hits, share = [row], 1.0
    spans = _merge([(origin[a], _closing(haystack, origin[b - 1] + 1)) for a, b in hits])
    return spans, share


def _table_row(passage: str, folded: str) -> tuple[int, int] | None:
    """A table row as ingest writes it ("Drug: oxaliplatin | Dose: 130 mg/m2 | ..."): the
    page shows the cell values without their column headers, so the row is the shortest
    stretch where every value appears in order. Returns its span in ``folded``."""
    cells = [_folded(cell.rsplit(": ", 1)[-1])[0] for cell in passage.split(" | ")]
    cells = [cell for cell in cells if cell]
    if len(cells) < 2:
        return None
    limit = 3 * sum(len(cell) for cell in cells) + 40
    best: tuple[int, int] | None = None
    start = folded.find(cells[0])
    while start >= 0:
        end = start + len(cells[0])
        for cell in cells[1:]:
            at = folded.find(cell, end)
            if at < 0 or at - start > limit:
                break
            end = at + len(cell)
        else:
            if best is None or end - start < best[1] - best[0]:
                best = (start, end)
        start = folded.find(cells[0], start + 1)
    return best


def _closing(haystack: Sequence[str], end: int) -> int:
    """``end`` moved past the punctuation that closes the last word (``.``, ``%``, ``)``)."""
    while end < len(haystack) and haystack[end] in ".,;:%)]\u2019\"'":
        end += 1
    return end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# PDF ----------------------------------------------------------------------------------------


def _page_view(
    chunk: Chunk, file: Path, data: bytes, page: int | None, scale: float, ocr: PageReader | None
) -> PageView:
    import pypdfium2 as pdfium

    first = chunk.page or 1
    last = max(getattr(chunk, "page_end", None) or first, first)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SourceUnavailable(f"The PDF at {file} cannot be opened for display ({exc}).") from exc
    try:
        pages = len(document)
        number = min(max(first if page is None else page, 1), pages)
        pdf_page = document[number - 1]
        bitmap = pdf_page.render(scale=scale)
        image = bitmap.to_pil().convert("RGB")
        boxes: tuple[Box, ...] = ()
        found = 0.0
        if first <= number <= last:
            boxes, found = _passage_boxes(pdf_page, chunk.text, image.width, image.height)
            if not boxes and ocr is not None and chunk.ocr_confidence is not None:
                boxes, found = _ocr_boxes(image, chunk.text, ocr)
        png = _highlighted_png(image, boxes)
        return PageView(
            doc_id=chunk.doc_id,
            title=chunk.title,
            path=str(file),
            page=number,
            pages=pages,
            first_page=first,
            last_page=last,
            png=png,
            width=image.width,
            height=image.height,
            boxes=boxes,
            found=found,
        )
    except pdfium.PdfiumError as exc:
        raise SourceUnavailable(f"Page {page or first} of {file} cannot be shown ({exc}).") from exc
    finally:
        document.close()


def _passage_boxes(
    pdf_page: object, passage: str, width: int, height: int
) -> tuple[tuple[Box, ...], float]:
    """Line rectangles (in pixels of a ``width`` × ``height`` rendering) over the passage."""
    import pypdfium2.raw as pdfium_c

    text_page = pdf_page.get_textpage()  # type: ignore[attr-defined]
    try:
        count = text_page.count_chars()
        chars = [chr(pdfium_c.FPDFText_GetUnicode(text_page.raw, i)) for i in range(count)]
        spans, found = match_spans(passage, chars)
        lines: list[list[float]] = []  # [left, bottom, right, top] in PDF units, per line
        for start, end in spans:
            for index in range(start, end):
                if chars[index].isspace():
                    continue
                left, bottom, right, top = text_page.get_charbox(index, loose=True)
                if right <= left or top <= bottom:
                    continue
                line = lines[-1] if lines else None
                if line is not None and _same_line(line, bottom, top) and left >= line[0] - 2:
                    line[0], line[1] = min(line[0], left), min(line[1], bottom)
                    line[2], line[3] = max(line[2], right), max(line[3], top)
                else:
                    lines.append([left, bottom, right, top])
        raw_page = pdf_page.raw  # type: ignore[attr-defined]
        boxes = tuple(_to_pixels(pdfium_c, raw_page, line, width, height) for line in lines)
        return boxes, found
    finally:
        text_page.close()


def _ocr_boxes(image: object, passage: str, ocr: PageReader) -> tuple[tuple[Box, ...], float]:
    """Line rectangles over the passage on a scanned page, from Tesseract's word boxes."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = ocr.command
    try:
        data = pytesseract.image_to_data(image, lang=ocr.language, output_type="dict")
    except Exception:  # a Tesseract failure leaves the page shown without a highlight
        return (), 0.0
    chars: list[str] = []
    owner: list[int] = []  # index of the word each character belongs to
    for index, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][index]) >= MIN_WORD_CONFIDENCE:
            chars.extend(word + " ")
            owner.extend([index] * (len(word) + 1))
    spans, found = match_spans(passage, chars)
    words = sorted({owner[i] for start, end in spans for i in range(start, end)})
    lines: dict[tuple[int, int, int], list[float]] = {}
    for i in words:
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        left, top = data["left"][i], data["top"][i]
        right, bottom = left + data["width"][i], top + data["height"][i]
        box = lines.setdefault(key, [left, top, right, bottom])
        box[:] = [min(box[0], left), min(box[1], top), max(box[2], right), max(box[3], bottom)]
    pad = 3.0
    boxes = tuple(
        Box(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)
        for b in sorted(lines.values(), key=lambda b: (b[1], b[0]))
    )
    return boxes, found


def _same_line(line: list[float], bottom: float, top: float) -> bool:
    overlap = min(line[3], top) - max(line[1], bottom)
    return overlap > 0.5 * min(line[3] - line[1], top - bottom)


def _to_pixels(
    pdfium_c: object, raw_page: object, line: list[float], width: int, height: int
) -> Box:
    """Page coordinates → pixels of the rendering (crop box and page rotation included)."""
    pad = 1.5
    corners = []
    for x, y in ((line[0] - pad, line[3] + pad), (line[2] + pad, line[1] - pad)):
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(  # type: ignore[attr-defined]
            raw_page, 0, 0, width, height, 0, ctypes.c_double(x), ctypes.c_double(y), dx, dy
        )
        corners.append((dx.value, dy.value))
    (x0, y0), (x1, y1) = corners
    return Box(
        float(max(min(x0, x1), 0)),
        float(max(min(y0, y1), 0)),
        float(min(max(x0, x1), width)),
        float(min(max(y0, y1), height)),
    )


def _highlighted_png(image: object, boxes: tuple[Box, ...]) -> bytes:
    """The page with each box tinted and outlined, as PNG (fast compression: the image is
    made for one look, on this machine)."""
    from PIL import Image, ImageDraw

    assert isinstance(image, Image.Image)
    draw = ImageDraw.Draw(image)
    for box in boxes:
        rect = (int(box.left), int(box.top), int(box.right), int(box.bottom))
        region = image.crop(rect)
        tint = Image.new("RGB", region.size, HIGHLIGHT_FILL)
        image.paste(Image.blend(region, tint, HIGHLIGHT_ALPHA), rect[:2])
        draw.rectangle(rect, outline=HIGHLIGHT_EDGE, width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


# Markdown, text, web pages, Word --------------------------------------------------------------


def _section_view(chunk: Chunk, file: Path, data: bytes) -> SectionView:
    from rag.ingest.parse import kind_of, parse_file

    try:
        parsed = parse_file(file, data)
    except IngestError as exc:
        raise SourceUnavailable(f"The document at {file} cannot be read again ({exc}).") from exc
    segment = _section_of(chunk, parsed.segments)
    spans: list[tuple[int, int]]
    local = chunk.start - segment.offset
    if local >= 0 and segment.text[local : local + len(chunk.text)] == chunk.text:
        spans, found = [(local, local + len(chunk.text))], 1.0
    else:
        spans, found = match_spans(chunk.text, segment.text)
    return SectionView(
        doc_id=chunk.doc_id,
        title=chunk.title,
        path=str(file),
        kind=kind_of(file) or "",
        section_label=chunk.section_label,
        text=segment.text,
        spans=tuple(spans),
        found=found,
    )


def _section_of(chunk: Chunk, segments: Sequence[Segment]) -> Segment:
    """The segment the chunk was cut from: same heading path, holding its offset or its text."""
    same = [s for s in segments if s.section_path == chunk.section_path] or list(segments)
    for segment in same:
        if segment.offset <= chunk.start < segment.offset + len(segment.text):
            return segment
    return max(same, key=lambda s: match_spans(chunk.text, s.text)[1])
