"""Read a guideline file (PDF, Markdown with YAML front matter, plain text) into metadata and
heading-tagged segments. Every refusal is an ``IngestError`` whose message says why."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from types import EllipsisType
from typing import Any

from rag.errors import IngestError
from rag.ingest import pdf_layout
from rag.ingest.blocks import Block, segments_from_blocks
from rag.ingest.clean import join_lines, normalise, table_rows
from rag.ingest.metadata import load_yaml_mapping, read_sidecar, sidecar_meta
from rag.ingest.ocr import OcrText, PageReader
from rag.ingest.webpage import read_html
from rag.ingest.wordfile import read_docx
from rag.types import Segment

SUPPORTED_SUFFIXES = {
    ".pdf": "pdf",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_NUMBERED_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.)[ \t]+[A-Z][^.!?]{1,78}$"
)


@dataclass(frozen=True)
class ParsedFile:
    meta: dict[str, str]
    segments: tuple[Segment, ...]
    pages: int
    warnings: tuple[str, ...]


def kind_of(path: Path) -> str | None:
    return SUPPORTED_SUFFIXES.get(path.suffix.lower())


def parse_file(
    path: Path,
    data: bytes,
    ocr: PageReader | None = None,
    sidecar: bytes | None | EllipsisType = ...,
) -> ParsedFile:
    """Parse ``data`` (the bytes of ``path``) by its suffix. With ``ocr``, image-only PDF
    pages are read by OCR; without it they are skipped with a warning. ``sidecar``: the bytes
    of the metadata file already read (None: it has none); left out, it is read here."""
    kind = kind_of(path)
    if kind is None:
        raise IngestError(
            f"unsupported file type '{path.suffix}' (use .pdf, .md, .txt, .html or .docx)"
        )
    if not data.strip():
        raise IngestError("file is empty")
    if kind == "pdf":
        parsed = _parse_pdf(data, ocr)
    elif kind == "html":
        html_meta, blocks = read_html(_decode(data))
        parsed = ParsedFile(html_meta, tuple(segments_from_blocks(blocks)), 0, ())
    elif kind == "docx":
        docx_meta, blocks = read_docx(data)
        parsed = ParsedFile(docx_meta, tuple(segments_from_blocks(blocks)), 0, ())
    else:
        text = _decode(data)
        parsed = _parse_markdown(text) if kind == "markdown" else _parse_text(text)
    extra = sidecar_meta(path, read_sidecar(path) if sidecar is ... else sidecar)
    meta = normalise_meta({**parsed.meta, **extra}, path)
    if not any(s.text.strip() for s in parsed.segments):
        raise IngestError("no text found in the file")
    return ParsedFile(meta, parsed.segments, parsed.pages, parsed.warnings)


# Metadata ---------------------------------------------------------------------------------

# Front-matter keys accepted for each field, in order of preference.
_META_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id"),
    "title": ("title", "short_title"),
    "publisher": ("publisher", "organization", "organisation", "author"),
    "year": ("year",),
    "version": ("version", "publication_date", "date"),
    "source_url": ("source_url", "url", "source"),
    "licence": ("licence", "license", "licence_note"),
    "status": ("status",),
    "supersedes": ("supersedes", "replaces"),
    "superseded_by": ("superseded_by", "replaced_by"),
    "series": ("series", "guideline"),
}


def normalise_meta(raw: dict[str, Any], path: Path) -> dict[str, str]:
    """Map the many spellings found in guideline front matter onto OncoGuide's fields."""
    meta: dict[str, str] = {}
    for field, keys in _META_ALIASES.items():
        for key in keys:
            value = raw.get(key)
            if value not in (None, ""):
                meta[field] = str(value).strip()
                break
        else:
            meta[field] = ""
    if not meta["year"]:
        for key in ("publication_date", "date", "version"):
            found = re.search(r"(19|20)\d{2}", str(raw.get(key) or ""))
            if found:
                meta["year"] = found.group(0)
                break
    meta["id"] = slugify(meta["id"] or path.stem)
    meta["title"] = meta["title"] or path.stem.replace("_", " ").replace("-", " ")
    return meta


def slugify(value: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", value.strip()).strip("-").lower()
    return slug or "document"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\x00" in data[:4096]:
            raise IngestError("file looks binary, not text") from None
        return data.decode("latin-1")


# Markdown ---------------------------------------------------------------------------------


def _parse_markdown(text: str) -> ParsedFile:
    meta: dict[str, Any] = {}
    body_start = 0
    match = _FRONT_MATTER.match(text)
    if match:
        meta = load_yaml_mapping(match.group(1), "front matter")
        body_start = match.end()
    text = text[:body_start] + pdf_layout.without_running_lines(
        text[body_start:], _markdown_heading
    )
    segments, _ = _split_headed_text(text, body_start, _markdown_heading, page=None)
    segments = [part for segment in segments for part in _split_tables(segment)]
    if "title" not in meta:
        first = next((s.section_path[0] for s in segments if s.section_path), "")
        if first:
            meta["title"] = first
    return ParsedFile(meta, tuple(segments), 0, ())


_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_MD_CAPTION = re.compile(r"^[ \t]*[*_]{0,2}(?:table|tab\.)[ \t]*\w{1,4}\b.*$", re.IGNORECASE)


def _split_tables(segment: Segment) -> list[Segment]:
    """Markdown tables in ``segment`` become one row segment per body row ("Header: cell |
    Header: cell"), with the caption line just above the table ("Table 2. ...")."""
    lines = segment.text.splitlines(keepends=True)
    out: list[Segment] = []
    start = 0  # character offset in segment.text of the text not yet emitted
    pos = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if "|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1].rstrip("\r\n")):
            table_start = pos
            body = [line]
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                body.append(lines[j])
                j += 1
            before = segment.text[start:table_start]
            caption = ""
            kept = before.rstrip()
            last = kept.rsplit("\n", 1)[-1]
            if _MD_CAPTION.match(last):
                caption = normalise(last.strip().strip("*_ ").strip())
                before = kept[: len(kept) - len(last)]
            if before.strip():
                out.append(replace(segment, text=before, offset=segment.offset + start))
            row_at = table_start + len(line) + len(lines[i + 1])
            rows = [_md_cells(row) for row in body]
            for k, formatted in enumerate(table_rows(rows)):
                out.append(
                    replace(
                        segment,
                        text=formatted,
                        offset=segment.offset + row_at,
                        row=True,
                        caption=caption,
                    )
                )
                if k + 2 < len(body):
                    row_at += len(body[k + 1])
            pos = table_start + sum(len(x) for x in lines[i:j])
            start = pos
            i = j
            continue
        pos += len(line)
        i += 1
    if start == 0:
        return [segment]
    rest = segment.text[start:]
    if rest.strip():
        out.append(replace(segment, text=rest, offset=segment.offset + start))
    return out


def _md_cells(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|") if line.strip() != "|" else "")
    return [re.sub(r"(\*\*|__|`)", "", c).replace("\\|", "|").strip() for c in cells]


def _markdown_heading(line: str) -> tuple[int, str] | None:
    found = _ATX_HEADING.match(line)
    if not found:
        return None
    return len(found.group(1)), found.group(2).strip()


def _split_headed_text(
    text: str,
    start: int,
    heading_of: Any,
    page: int | None,
    path: list[tuple[int, str]] | None = None,
) -> tuple[list[Segment], list[tuple[int, str]]]:
    """Split ``text[start:]`` at headings; each segment keeps its heading path and offset.

    ``path`` is the heading path open before ``text`` (the previous page of a PDF); the path
    open at the end is returned with the segments.
    """
    segments: list[Segment] = []
    path = list(path or [])
    seg_start = start
    in_fence = False
    pos = start

    def close(end: int) -> None:
        body = text[seg_start:end]
        if body.strip():
            segments.append(Segment(body, tuple(t for _, t in path), page, seg_start))

    for line in text[start:].splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        stripped = line.rstrip("\r\n")
        if _FENCE.match(stripped):
            in_fence = not in_fence
            continue
        heading = None if in_fence else heading_of(stripped)
        if heading is None:
            continue
        close(line_start)
        level, title = heading
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, title))
        seg_start = pos
    close(len(text))
    return segments, path


# Plain text and PDF text --------------------------------------------------------------------


def _text_heading(line: str) -> tuple[int, str] | None:
    """Headings in plain or PDF-extracted text: Markdown-style, numbered, or short ALL CAPS."""
    md = _markdown_heading(line)
    if md:
        return md
    candidate = line.strip()
    if not candidate or len(candidate) > 80:
        return None
    if _NUMBERED_HEADING.match(candidate):
        number = candidate.split()[0].rstrip(".")
        return (number.count(".") + 1 if number[0].isdigit() else 1), candidate
    letters = [c for c in candidate if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters) and len(candidate.split()) <= 10:
        return 1, candidate.title()
    return None


def _parse_text(text: str) -> ParsedFile:
    segments, _ = _split_headed_text(
        pdf_layout.without_running_lines(text, _text_heading), 0, _text_heading, page=None
    )
    return ParsedFile({}, tuple(segments), 0, ())


def _parse_pdf(data: bytes, ocr: PageReader | None) -> ParsedFile:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise IngestError(f"PDF is encrypted and cannot be opened ({exc})") from exc
            if not unlocked:
                raise IngestError("PDF is password-protected; save an unprotected copy to index it")
        pages = reader.pages
        n_pages = len(pages)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(
            f"PDF is corrupt or unreadable ({exc.__class__.__name__}: {exc})"
        ) from exc
    if n_pages == 0:
        raise IngestError("PDF has no pages")

    meta: dict[str, Any] = {}
    try:
        info = reader.metadata
        if info and info.title:
            meta["title"] = info.title
        if info and info.author:
            meta["author"] = info.author
    except Exception:  # damaged info dictionaries are common and harmless
        pass

    warnings: list[str] = []
    layouts = _pdf_layouts(data, n_pages, warnings)
    repeated = pdf_layout.running_lines(list(layouts.values()))

    def keep(line: pdf_layout.Line) -> bool:
        return not pdf_layout.is_running(line, repeated)

    empty_pages: list[int] = []
    scanned: dict[int, OcrText] = {}
    for index in range(n_pages):
        layout = layouts.get(index)
        # A page whose only text is a running header or footer is a scan with a stamp on it.
        if layout is not None and pdf_layout.has_body(layout, keep):
            continue
        layouts.pop(index, None)
        if ocr is not None:
            try:
                read = ocr.read(pages[index])
            except Exception as exc:  # a damaged image or a Tesseract failure skips the page
                warnings.append(f"page {index + 1}: OCR failed ({exc.__class__.__name__}: {exc})")
                read = None
            if read is not None and read.text.strip():
                scanned[index] = read
                continue
        empty_pages.append(index + 1)
    if empty_pages and len(empty_pages) == n_pages:
        raise IngestError(
            "PDF has no extractable text (scanned or image-only pages; "
            + ("OCR found no text in them)" if ocr else "OCR is off or Tesseract is not installed)")
        )

    typed = [layouts[i] for i in sorted(layouts)]
    body = pdf_layout.body_size(typed)
    headings = _PdfHeadings(typed, body, _pdf_outline(reader))
    builder = pdf_layout.BlockBuilder(
        pdf_layout.vocabulary(typed), body, hyphenates=not _printed_by_browser(reader)
    )
    for index in range(n_pages):
        if index in layouts:
            lines = pdf_layout.ordered_lines(layouts[index], keep)
            builder.page(index + 1, lines, headings, layouts[index].height)
        elif index in scanned:
            builder.flush()
            builder.blocks.extend(
                _text_blocks(scanned[index].text, index + 1, round(scanned[index].confidence, 1))
            )
    builder.flush()
    segments = segments_from_blocks(builder.blocks)
    if scanned:
        warnings.append(
            "pages read by OCR from images; check them against the original (page, mean word "
            "confidence): "
            + ", ".join(f"{i + 1} ({r.confidence:.0f} %)" for i, r in sorted(scanned.items()))
        )
    if empty_pages:
        warnings.append(
            "pages without extractable text were skipped (scanned or image-only"
            + ("" if ocr else "; OCR is off or Tesseract is not installed")
            + "): "
            + ", ".join(str(p) for p in empty_pages)
        )
    return ParsedFile(meta, tuple(segments), n_pages, tuple(warnings))


def _printed_by_browser(reader: Any) -> bool:
    """Browsers break lines only at spaces and real hyphens: their PDFs never hyphenate."""
    try:
        info = reader.metadata
        made_by = f"{info.producer or ''} {info.creator or ''}" if info else ""
    except Exception:  # damaged info dictionaries are common and harmless
        return False
    return any(k in made_by for k in ("Skia/PDF", "Chrome", "Firefox", "Gecko", "Safari"))


def _pdf_layouts(data: bytes, n_pages: int, warnings: list[str]) -> dict[int, Any]:
    """Word and table layout of every page that can be read: words by pypdfium2 (fast),
    ruled tables by pdfplumber on the pages that draw lines."""
    import io

    import pdfplumber
    import pypdfium2 as pdfium

    layouts: dict[int, Any] = {}
    plumber: list[Any] = []

    def tables_of(index: int) -> Any:
        if not plumber:
            plumber.append(pdfplumber.open(io.BytesIO(data), password=""))
        return plumber[0].pages[index]

    try:
        document = pdfium.PdfDocument(data, password="")
    except Exception as exc:
        raise IngestError(
            f"PDF is corrupt or unreadable ({exc.__class__.__name__}: {exc})"
        ) from exc
    try:
        for index in range(min(n_pages, len(document))):
            try:
                page = document[index]
                layouts[index] = pdf_layout.read_page(
                    page, index + 1, functools.partial(tables_of, index)
                )
                page.close()
            except Exception as exc:  # one damaged page must not lose the others
                warnings.append(f"page {index + 1}: text could not be extracted ({exc})")
    finally:
        document.close()
        if plumber:
            plumber[0].close()
    return layouts


def _text_blocks(text: str, page: int | None, confidence: float | None = None) -> list[Block]:
    """Plain text (an OCR page) as paragraphs and headings."""
    blocks: list[Block] = []
    para = ""
    offset = 0

    def flush(at: int) -> None:
        nonlocal para
        if para.strip():
            blocks.append(
                Block("text", normalise(para), page=page, offset=at, ocr_confidence=confidence)
            )
        para = ""

    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.strip()
        if not line:
            flush(offset)
        elif (heading := _text_heading(line)) is not None:
            flush(offset)
            blocks.append(Block("heading", heading[1], level=heading[0], page=page))
        else:
            if not para:
                offset = pos
            para = join_lines(para, line)
        pos += len(raw)
    flush(offset)
    return blocks


class _PdfHeadings:
    """Which PDF lines are headings: the bookmarks when the file has them (headings in larger
    or bold type that are not bookmarked go one level below them); otherwise lines set in
    larger or wholly bold type (the largest size is level 1), else numbered or capital lines
    that stand alone (not a wrapped line of a paragraph)."""

    def __init__(
        self,
        layouts: list[pdf_layout.PageLayout],
        body: float,
        outline: dict[int, list[tuple[int, str]]],
    ) -> None:
        self.body = body
        self.outline = {
            index + 1: {_heading_key(t): level for level, t in items}
            for index, items in outline.items()
        }
        sizes = set()
        for layout in layouts:
            for word in layout.words:
                size = round(float(word["size"]), 1)
                if size >= body * 1.15:
                    sizes.add(size)
        self.levels = sorted(sizes, reverse=True)

    def __call__(self, line: pdf_layout.Line, page: int) -> tuple[int, str] | None:
        text = line.text.strip()
        if not self.outline:
            return self._by_type(line, text)
        titles = self.outline.get(page, {})
        key = _heading_key(text)
        if key in titles:
            return titles[key], text
        for title, level in titles.items():  # a bookmarked heading set on two lines
            if len(key) >= 8 and (title.startswith(key) or title.endswith(key)):
                return level, text
        # Headings deeper than the bookmarks go under them.
        found = self._by_type(line, text)
        depth = max((lv for items in self.outline.values() for lv in items.values()), default=0)
        return (depth + 1, text) if found else None

    def _by_type(self, line: pdf_layout.Line, text: str) -> tuple[int, str] | None:
        if not (2 <= len(text) <= 120) or not any(c.isalpha() for c in text):
            return None
        if pdf_layout.is_caption(text):
            return None
        closed = text.endswith((".", ",", ";", ":")) and not _NUMBERED_HEADING.match(text)
        if line.size >= self.body * 1.15 and not closed:
            near = min(self.levels, key=lambda s: abs(s - line.size), default=line.size)
            level = self.levels.index(near) + 1 if self.levels else 1
            return min(level, 4), text
        if line.bold and line.size >= self.body * 0.95 and not closed and not text[0].islower():
            return min(len(self.levels) + 1, 4), text
        full = line.right and line.x1 >= line.right - 2 * max(line.size, 1.0)
        if not full and line.size >= self.body * 0.95:
            return _text_heading(text)
        return None


def _heading_key(text: str) -> str:
    return " ".join(normalise(text).lower().split())


def _pdf_outline(reader: Any) -> dict[int, list[tuple[int, str]]]:
    """Bookmarks by 0-based page index: [(level, title), ...] in reading order."""
    by_page: dict[int, list[tuple[int, str]]] = {}

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            try:
                page_index = reader.get_destination_page_number(item)
            except Exception:
                continue
            title = str(getattr(item, "title", "") or "").strip()
            if title and page_index is not None:
                by_page.setdefault(page_index, []).append((level, title))

    try:
        walk(reader.outline, 1)
    except Exception:
        return {}
    return by_page
