"""Read a guideline file (PDF, Markdown with YAML front matter, plain text) into metadata and
heading-tagged segments. Every refusal is an ``IngestError`` whose message says why."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from types import EllipsisType
from typing import Any

from rag.errors import IngestError
from rag.ingest.metadata import load_yaml_mapping, read_sidecar, sidecar_meta
from rag.ingest.ocr import PageReader
from rag.types import Segment

SUPPORTED_SUFFIXES = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}

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


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
        raise IngestError(f"unsupported file type '{path.suffix}' (use .pdf, .md or .txt)")
    if not data.strip():
        raise IngestError("file is empty")
    if kind == "pdf":
        parsed = _parse_pdf(data, ocr)
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
    segments, _ = _split_headed_text(text, body_start, _markdown_heading, page=None)
    if "title" not in meta:
        first = next((s.section_path[0] for s in segments if s.section_path), "")
        if first:
            meta["title"] = first
    return ParsedFile(meta, tuple(segments), 0, ())


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
    segments, _ = _split_headed_text(text, 0, _text_heading, page=None)
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

    outline = _pdf_outline(reader)
    segments: list[Segment] = []
    warnings: list[str] = []
    empty_pages: list[int] = []
    path: list[tuple[int, str]] = []
    texts: dict[int, str] = {}
    confidence: dict[int, float] = {}  # pages read by OCR
    lines = _FontLines()
    for index in range(n_pages):
        number = index + 1
        try:
            page_text = pages[index].extract_text(visitor_text=lines.visit) or ""
        except Exception as exc:
            warnings.append(f"page {number}: text could not be extracted ({exc})")
            continue
        lines.end_line()
        if not page_text.strip() and ocr is not None:
            try:
                read = ocr.read(pages[index])
            except Exception as exc:  # a damaged image or a Tesseract failure skips the page
                warnings.append(f"page {number}: OCR failed ({exc.__class__.__name__}: {exc})")
                read = None
            if read is not None:
                page_text = read.text
                confidence[index] = round(read.confidence, 1)
        if not page_text.strip():
            empty_pages.append(number)
            continue
        texts[index] = page_text
    font_headings = lines.headings()

    def heading_of(line: str) -> tuple[int, str] | None:
        level = font_headings.get(" ".join(line.split()))
        return (level, line.strip()) if level else _text_heading(line)

    for index, page_text in texts.items():
        number = index + 1
        if outline:
            page_segments, path = _split_by_outline(page_text, number, outline.get(index, []), path)
        else:
            page_segments, path = _split_headed_text(page_text, 0, heading_of, number, path)
        if index in confidence:
            page_segments = [replace(s, ocr_confidence=confidence[index]) for s in page_segments]
        segments.extend(page_segments)
    if confidence:
        warnings.append(
            "pages read by OCR from images; check them against the original (page, mean word "
            "confidence): "
            + ", ".join(f"{i + 1} ({c:.0f} %)" for i, c in sorted(confidence.items()))
        )
    if empty_pages and len(empty_pages) == n_pages:
        raise IngestError(
            "PDF has no extractable text (scanned or image-only pages; "
            + ("OCR found no text in them)" if ocr else "OCR is off or Tesseract is not installed)")
        )
    if empty_pages:
        warnings.append(
            "pages without extractable text were skipped (scanned or image-only"
            + ("" if ocr else "; OCR is off or Tesseract is not installed")
            + "): "
            + ", ".join(str(p) for p in empty_pages)
        )
    return ParsedFile(meta, tuple(segments), n_pages, tuple(warnings))


class _FontLines:
    """Collects each text line's font size and weight while pypdf extracts a page, so that
    headings set in larger or bold type are found even without numbers or capitals."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, float, bool]] = []
        self._text = ""
        self._size = 0.0
        self._bold = True

    def visit(self, text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        scale = abs(tm[3]) if tm and len(tm) > 3 and tm[3] else 1.0
        name = str((font or {}).get("/BaseFont", "")) if hasattr(font, "get") else ""
        for index, part in enumerate(text.split("\n")):
            if index:
                self.end_line()
            if part.strip():
                self._text += part
                self._size = max(self._size, float(size or 0) * scale)
                self._bold = self._bold and ("Bold" in name or "Black" in name or "Heavy" in name)

    def end_line(self) -> None:
        if self._text.strip():
            self.lines.append((" ".join(self._text.split()), self._size, self._bold))
        self._text, self._size, self._bold = "", 0.0, True

    def headings(self) -> dict[str, int]:
        """Short lines in a larger type than the body text (weighted median), or wholly bold,
        mapped to a level: the largest size is level 1."""
        sized = [(len(t), s) for t, s, _ in self.lines if s > 0]
        if not sized:
            return {}
        total = sum(n for n, _ in sized)
        running, body = 0, 0.0
        for n, size in sorted(sized, key=lambda x: x[1]):
            running += n
            if running >= total / 2:
                body = size
                break
        candidates = {
            text: size
            for text, size, bold in self.lines
            if 2 <= len(text) <= 100
            and not text.endswith((".", ",", ";"))
            and any(c.isalpha() for c in text)
            and (size >= body * 1.15 or (bold and size >= body * 0.95))
        }
        levels = sorted({round(s, 1) for s in candidates.values()}, reverse=True)
        return {t: min(levels.index(round(s, 1)) + 1, 4) for t, s in candidates.items()}


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


def _split_by_outline(
    page_text: str, page: int, headings: list[tuple[int, str]], path: list[tuple[int, str]]
) -> tuple[list[Segment], list[tuple[int, str]]]:
    segments: list[Segment] = []
    cursor = 0
    lowered = page_text.lower()
    for level, title in headings:
        found = lowered.find(title.lower(), cursor)
        cut = found if found >= 0 else cursor
        if page_text[cursor:cut].strip():
            segments.append(Segment(page_text[cursor:cut], tuple(t for _, t in path), page, cursor))
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, title))
        cursor = cut + len(title) if found >= 0 else cut
    if page_text[cursor:].strip():
        segments.append(Segment(page_text[cursor:], tuple(t for _, t in path), page, cursor))
    return segments, path
