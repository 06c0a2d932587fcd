"""PDF pages → blocks in reading order, from the position, size and font of every word
(pdfplumber): running headers and footers dropped, two-column pages read column by column,
ruled tables read as rows under their column headers, superscript footnote markers and
footnotes kept out of the running text, and paragraphs rejoined across lines, columns and
pages (hyphenated words included)."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from rag.ingest.blocks import Block
from rag.ingest.clean import join_lines, normalise, table_rows

HeadingOf = Callable[["Line", int], "tuple[int, str] | None"]

_EDGE_SHARE = 0.12  # running headers and footers lie in the top or bottom 12 % of a page
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page|p\.|seite|pag\.)?\s*\d{1,4}(?:\s*(?:/|of|von|de|\|)\s*\d{1,4})?"
    r"(?:\s*[-–—])?$",
    re.IGNORECASE,
)
_PRINT_STAMP = re.compile(
    r"(?:^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?\b)"
    r"|(?:file:/{2,3}\S+)|(?:^https?://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$)"
    r"|(?:\S+\.html?\s+\d{1,4}\s*/\s*\d{1,4}$)",
    re.IGNORECASE,
)
_MARKER = re.compile(r"^[\d,–\-*†‡§¶]{1,8}$")
_BULLET = re.compile(r"^(?:[•◦▪▫●○■□–—*-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_CAPTION = re.compile(r"^(?:table|tab\.)\s*[A-Z0-9]{1,4}\b", re.IGNORECASE)
_END_OF_SENTENCE = re.compile(r"[.!?:;)\]\"”’]$")


@dataclass
class Line:
    """One line of words on a page (in one column)."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    column: int = 0  # 0 full width or single column, 1 left, 2 right
    right: float = 0.0  # right edge of the text in this line's column
    table: list[list[str | None]] | None = None  # cell grid, when this "line" is a table
    caption: str = ""


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    words: list[dict[str, Any]]
    tables: list[tuple[tuple[float, float, float, float], list[list[str | None]]]]
    edge_lines: list[Line] = field(default_factory=list)


def read_page(page: Any, number: int, tables_of: Callable[[], Any]) -> PageLayout:
    """Words of one pypdfium2 page, and its ruled tables (pdfplumber, asked through
    ``tables_of`` only when the page draws lines, as tables do)."""
    import pypdfium2.raw as pdfium_c

    width, height = (float(v) for v in page.get_size())
    textpage = page.get_textpage()
    try:
        words = _pdfium_words(textpage, height, pdfium_c)
    finally:
        textpage.close()
    tables = []
    # Ruled tables draw vertical rules or cell boxes; link underlines and rules between
    # paragraphs are flat and do not make pdfplumber (slow) look at the page.
    upright = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, low, right, high = obj.get_bounds()
        upright += high - low >= 8
    if upright >= 3:
        for table in tables_of().find_tables():
            rows = table.extract()
            if len(rows) >= 2 and max((len(r) for r in rows), default=0) >= 2:
                tables.append((table.bbox, rows))
    inside = [w for w in words if not any(_within(w, bbox) for bbox, _ in tables)]
    for bbox, grid in _borderless_tables(inside):
        tables.append((bbox, grid))
        inside = [w for w in inside if not _within(w, bbox)]
    layout = PageLayout(number, width, height, inside, tables)
    lines = _lines(inside)
    top, bottom = height * _EDGE_SHARE, height * (1 - _EDGE_SHARE)
    edge = [ln for ln in lines[:2] if ln.bottom <= top] + [
        ln for ln in lines[-2:] if ln.top >= bottom
    ]
    layout.edge_lines = list({id(ln): ln for ln in edge}.values())
    return layout


def _pdfium_words(textpage: Any, height: float, c: Any) -> list[dict[str, Any]]:
    """Characters (with loose boxes, size and weight) joined into words; a word ends at a
    space, a line end, a change of size or weight, or a gap."""
    import ctypes

    words: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    matrix = c.FS_MATRIX()
    for i in range(textpage.count_chars()):
        code = c.FPDFText_GetUnicode(textpage, i)
        char = "-" if code == 2 else chr(code)  # pdfium reports a line-end hyphen as 0x02
        if not char.strip() or code < 32 and code != 2:
            current = None
            continue
        left, low, right, high = textpage.get_charbox(i, loose=True)
        c.FPDFText_GetMatrix(textpage, i, matrix)
        scale = (matrix.c**2 + matrix.d**2) ** 0.5 or 1.0  # browsers print scaled text
        size = round(float(c.FPDFText_GetFontSize(textpage, i)) * scale, 1)
        weight = int(c.FPDFText_GetFontWeight(textpage, i))
        bold = weight >= 600
        if not bold:  # fonts that are not embedded report no weight: read their name
            c.FPDFText_GetFontInfo(textpage, i, name, 128, ctypes.byref(flags))
            bold = any(k in name.value for k in (b"Bold", b"Black", b"Heavy", b"Semibold"))
        top, bottom = height - high, height - low
        if current is not None and (
            current["size"] != size
            or current["bold"] != bold
            or left - current["x1"] > 0.25 * size
            or left < current["x1"] - 0.5 * size
            or abs(bottom - current["bottom"]) > 0.3 * size
        ):
            current = None
        if current is None:
            current = {
                "text": char, "x0": left, "x1": right, "top": top, "bottom": bottom,
                "size": size, "bold": bold,
            }  # fmt: skip
            words.append(current)
        else:
            current["text"] += char
            current["x1"] = max(current["x1"], right)
            current["top"] = min(current["top"], top)
            current["bottom"] = max(current["bottom"], bottom)
    return words


def _borderless_tables(
    words: list[dict[str, Any]],
) -> list[tuple[tuple[float, float, float, float], list[list[str | None]]]]:
    """Tables drawn without rules (a web page printed by a browser): runs of at least three
    rows of short cells set apart by wide gaps, whose columns are the left edges that most
    rows share."""
    rows = [sorted(r, key=lambda w: w["x0"]) for r in _word_rows(words)]
    found = []
    i = 0
    while i < len(rows):
        if not _tabular(rows[i]):
            i += 1
            continue
        j = i + 1
        while j < len(rows):
            size = max(float(w["size"]) for w in rows[j - 1])
            gap = min(w["top"] for w in rows[j]) - max(w["bottom"] for w in rows[j - 1])
            wrapped = len(rows[j]) <= 2 and gap < 0.5 * size  # a cell set on two lines
            aligned = _shared_starts(rows[j], rows[j - 1]) >= 3  # cells too full for gaps
            if gap > 1.2 * size or not (_tabular(rows[j]) or wrapped or aligned):
                break
            j += 1
        grid = _grid(rows[i:j]) if j - i >= 3 else None
        if grid is None:
            i = j
            continue
        cells = [w for r in rows[i:j] for w in r]
        bbox = (
            min(w["x0"] for w in cells) - 1,
            min(w["top"] for w in cells) - 1,
            max(w["x1"] for w in cells) + 1,
            max(w["bottom"] for w in cells) + 1,
        )
        found.append((bbox, grid))
        i = j
    return found


def _shared_starts(row: list[dict[str, Any]], other: list[dict[str, Any]]) -> int:
    return sum(1 for w in row if any(abs(w["x0"] - o["x0"]) <= 2.5 for o in other))


def _tabular(row: list[dict[str, Any]]) -> bool:
    """Three or more runs of words with wide gaps between them."""
    size = max(float(w["size"]) for w in row)
    gaps = sum(1 for a, b in zip(row, row[1:], strict=False) if b["x0"] - a["x1"] >= 1.2 * size)
    return gaps >= 2


def _opens_column(rows: list[list[dict[str, Any]]], x: float) -> bool:
    """Whether words at ``x`` start a column: first in their row, or after a wide gap in at
    least one row (a word that always follows its neighbour closely is inside a cell)."""
    for row in rows:
        for k, word in enumerate(row):
            wide = k == 0 or word["x0"] - row[k - 1]["x1"] >= 1.2 * float(word["size"])
            if abs(word["x0"] - x) <= 2.5 and wide:
                return True
    return False


def _grid(rows: list[list[dict[str, Any]]]) -> list[list[str | None]] | None:
    """Rows of words as a cell grid, when at least three columns line up in most rows."""
    if len(rows) < 3:
        return None
    data = rows[1:]
    starts: list[float] = []
    for x in sorted(w["x0"] for r in data for w in r):
        if starts and x - starts[-1] <= 2.5:
            continue
        share = sum(1 for r in data if any(abs(w["x0"] - x) <= 2.5 for w in r)) / len(data)
        if share >= 0.7 and _opens_column(data, x):
            starts.append(x)
    if len(starts) < 3:
        return None

    def column(word: dict[str, Any], centred: bool) -> int:
        x = (word["x0"] + word["x1"]) / 2 if centred else word["x0"] + 2.5
        return max((k for k, s in enumerate(starts) if s <= x), default=0)

    grid: list[list[str | None]] = []
    for n, r in enumerate(rows):
        cells: list[list[str]] = [[] for _ in starts]
        for word in r:
            cells[column(word, centred=n == 0)].append(word["text"])
        texts = [" ".join(c) if c else "" for c in cells]
        previous = grid[-1] if len(grid) > 1 else None
        if previous is not None and sum(1 for t in texts if t) <= len(starts) // 2:
            # A cell wrapped onto a second line: part of the row above.
            grid[-1] = [f"{p or ''} {t}".strip() for p, t in zip(previous, texts, strict=True)]
            continue
        grid.append(list(texts))
    return grid


def _within(word: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] - 1 <= x <= bbox[2] + 1 and bbox[1] - 1 <= y <= bbox[3] + 1


_EDGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\b|\b(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$"
)


def signature(text: str) -> str:
    """A running header's identity: its text with a leading or trailing page number masked
    ("Page 3 of 12", "3 | Title", "Title 3/12"); numbers inside the line are kept, so body
    lines that differ only in their figures are not taken for a running header."""
    return _EDGE_NUMBER.sub("#", " ".join(text.lower().split()))


def running_lines(layouts: list[PageLayout]) -> set[str]:
    """Signatures of the lines at the top or bottom edge that repeat on many pages."""
    counts: Counter[str] = Counter()
    for layout in layouts:
        counts.update({signature(ln.text) for ln in layout.edge_lines})
    need = min(3, max(2, len(layouts) // 2))
    return {sig for sig, n in counts.items() if n >= need}


def is_running(line: Line, repeated: set[str]) -> bool:
    text = line.text.strip()
    if _PAGE_NUMBER.match(text) or _PRINT_STAMP.search(text):
        return True
    # A line that starts in lower case ends a sentence from the page before: body text,
    # however often the same words close a page.
    return signature(text) in repeated and not text[:1].islower()


def has_body(layout: PageLayout, keep: Callable[[Line], bool]) -> bool:
    """Whether the page holds text besides its running header and footer."""
    if layout.tables:
        return True
    dropped = _edge_words(layout, {id(ln) for ln in layout.edge_lines if not keep(ln)})
    return any(id(w) not in dropped for w in layout.words)


def body_size(layouts: list[PageLayout]) -> float:
    """The type size most of the text is set in."""
    sizes: Counter[float] = Counter()
    for layout in layouts:
        for word in layout.words:
            sizes[round(float(word["size"]), 1)] += len(word["text"])
    return sizes.most_common(1)[0][0] if sizes else 10.0


def vocabulary(layouts: list[PageLayout]) -> frozenset[str]:
    """Every word of the document in lower case, to tell "oxaliplatin-based" from "chemo-"
    + "therapy" when a hyphen falls at a line end."""
    words: set[str] = set()
    for layout in layouts:
        for word in layout.words:
            words.update(re.findall(r"[\w-]+", normalise(word["text"]).lower()))
    return frozenset(words)


# Lines and columns ------------------------------------------------------------------------


def _lines(words: list[dict[str, Any]], column: int = 0) -> list[Line]:
    """Group words into lines by vertical overlap; superscript markers are dropped."""
    return [line for row in _word_rows(words) if (line := _line(row, column)) is not None]


def _line(words: list[dict[str, Any]], column: int) -> Line | None:
    words = sorted(words, key=lambda w: w["x0"])
    main = max(float(w["size"]) for w in words)
    baseline = statistics.median(w["bottom"] for w in words if float(w["size"]) >= main * 0.9)
    kept = [
        w
        for i, w in enumerate(words)
        if not (
            i > 0
            and _MARKER.match(w["text"])
            and float(w["size"]) <= main * 0.8
            and w["bottom"] < baseline - 0.12 * main
        )
    ]
    if not kept:
        return None
    text = ""
    previous: dict[str, Any] | None = None
    for word in kept:
        gap = word["x0"] - previous["x1"] if previous else 0.0
        sep = " " if previous and gap > 0.12 * float(word["size"]) else ""
        text += sep + word["text"]
        previous = word
    chars = sum(len(w["text"]) for w in kept)
    size = sum(float(w["size"]) * len(w["text"]) for w in kept) / max(chars, 1)
    bold = all(w["bold"] for w in kept)
    return Line(
        normalise(text),
        min(w["top"] for w in kept),
        max(w["bottom"] for w in kept),
        min(w["x0"] for w in kept),
        max(w["x1"] for w in kept),
        round(size, 1),
        bold,
        column,
    )


def _word_rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into rows across the whole page width, top to bottom."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows:
            last = rows[-1]
            top = min(w["top"] for w in last)
            bottom = max(w["bottom"] for w in last)
            overlap = min(bottom, word["bottom"]) - max(top, word["top"])
            height = min(bottom - top, word["bottom"] - word["top"]) or 1.0
            if overlap > 0.3 * height:
                last.append(word)
                continue
        rows.append([word])
    return rows


def _gap(row: list[dict[str, Any]], width: float) -> tuple[float, float] | None:
    """The widest empty stretch between two words of a row, near the middle of the page."""
    ordered = sorted(row, key=lambda w: w["x0"])
    best: tuple[float, float] | None = None
    for a, b in zip(ordered, ordered[1:], strict=False):
        start, end = a["x1"], b["x0"]
        size = float(a.get("size", 10.0))
        middle = (start + end) / 2
        wide = end - start >= max(10.0, 1.5 * size) and 0.3 * width <= middle <= 0.7 * width
        if wide and (best is None or end - start > best[1] - best[0]):
            best = (start, end)
    return best


def _column_regions(words: list[dict[str, Any]], width: float) -> list[tuple[float, float, float]]:
    """Stretches of the page set in two columns: (top, bottom, gutter x). A stretch is at
    least three rows whose words leave a common empty strip near the middle."""
    rows = _word_rows(words)
    regions: list[tuple[float, float, float]] = []
    i = 0
    while i < len(rows):
        gap = _gap(rows[i], width)
        if gap is None:
            i += 1
            continue
        lo, hi = gap
        j = i + 1
        while j < len(rows):
            nxt = _gap(rows[j], width)
            if nxt is None or min(hi, nxt[1]) - max(lo, nxt[0]) < 4:
                break
            lo, hi = max(lo, nxt[0]), min(hi, nxt[1])
            j += 1
        if j - i < 3:
            i += 1
            continue
        gutter = (lo + hi) / 2
        if not _prose_on_both_sides(rows[i:j], gutter):
            i = j  # short cells side by side: a borderless table, read row by row
            continue
        # Unequal columns: rows below with words on one side only still belong to the stretch.
        end, k = j, j
        while k < len(rows) and all(w["x1"] < gutter or w["x0"] > gutter for w in rows[k]):
            k += 1
            if any(w["x0"] > gutter for w in rows[k - 1]):
                end = k
        top = min(w["top"] for w in rows[i])
        bottom = max(w["bottom"] for row in rows[i:end] for w in row)
        regions.append((top, bottom, gutter))
        i = end
    return regions


def _prose_on_both_sides(rows: list[list[dict[str, Any]]], gutter: float) -> bool:
    """Columns of running text hold several words a line on each side of the gutter."""
    left = statistics.median(sum(1 for w in row if w["x1"] < gutter) for row in rows)
    right = statistics.median(sum(1 for w in row if w["x0"] > gutter) for row in rows)
    return min(left, right) >= 4


def ordered_lines(layout: PageLayout, keep: Callable[[Line], bool]) -> list[Line]:
    """Body lines (and tables, as one pseudo-line each) in reading order: two-column
    stretches are read left column first."""
    edge_drop = {id(ln) for ln in layout.edge_lines if not keep(ln)}
    dropped_words = _edge_words(layout, edge_drop)
    words = [w for w in layout.words if id(w) not in dropped_words]
    items: list[dict[str, Any]] = list(words)
    for bbox, rows in layout.tables:
        items.append(
            {"x0": bbox[0], "x1": bbox[2], "top": bbox[1], "bottom": bbox[3], "table": rows}
        )
    regions = _column_regions(words, layout.width)
    units: list[tuple[float, list[Line]]] = []
    outside = []
    inside: list[list[dict[str, Any]]] = [[] for _ in regions]
    for item in items:
        mid = (item["top"] + item["bottom"]) / 2
        for n, (top, bottom, gutter) in enumerate(regions):
            spans = item["x0"] < gutter - 1 and item["x1"] > gutter + 1
            if top - 1 <= mid <= bottom + 1 and not ("table" in item and spans):
                inside[n].append(item)
                break
        else:
            outside.append(item)
    for line in _with_tables(outside, 0):
        units.append((line.top, [line]))
    for (top, _, gutter), members in zip(regions, inside, strict=True):
        left = [w for w in members if (w["x0"] + w["x1"]) / 2 < gutter]
        right = [w for w in members if (w["x0"] + w["x1"]) / 2 >= gutter]
        units.append((top, _with_tables(left, 1) + _with_tables(right, 2)))
    units.sort(key=lambda u: u[0])
    return [line for _, lines in units for line in lines]


def _edge_words(layout: PageLayout, drop: set[int]) -> set[int]:
    dropped: set[int] = set()
    for line in layout.edge_lines:
        if id(line) not in drop:
            continue
        for w in layout.words:
            mid = (w["top"] + w["bottom"]) / 2
            if line.top - 0.5 <= mid <= line.bottom + 0.5:
                dropped.add(id(w))
    return dropped


def _with_tables(items: list[dict[str, Any]], column: int) -> list[Line]:
    """Lines of ``items`` with each table placed at its height among them."""
    words = [w for w in items if "table" not in w]
    lines = _lines(words, column)
    right = max((ln.x1 for ln in lines), default=0.0)
    for line in lines:
        line.right = right
    for t in (w for w in items if "table" in w):
        line = Line("", t["top"], t["bottom"], t["x0"], t["x1"], 0.0, False, column)
        line.table = t["table"]
        lines.append(line)
    return sorted(lines, key=lambda ln: ln.top)


# Blocks ----------------------------------------------------------------------------------


class BlockBuilder:
    """Turns each page's ordered lines into blocks, carrying the open paragraph from one
    column or page to the next while its sentence runs on."""

    def __init__(self, known: frozenset[str], body: float, hyphenates: bool = True) -> None:
        self.known = known
        self.hyphenates = hyphenates
        self.body = body
        self.blocks: list[Block] = []
        self._para = ""
        self._page = 0
        self._breaks: list[int] = []
        self._offset = 0
        self._last: Line | None = None
        self._last_page = 0
        self._page_chars = 0
        self._table: list[list[str | None]] | None = None

    def page(self, number: int, lines: list[Line], heading_of: HeadingOf, height: float) -> None:
        self._page_chars = 0
        in_note = False
        previous_heading: Line | None = None
        captions = self._captions(lines)
        body_lines = [ln for ln in lines if ln.table is not None or ln.size >= self.body * 0.86]
        last_body = max((ln.bottom for ln in body_lines), default=0.0)
        for line in lines:
            if id(line) in captions:
                continue
            if line.table is not None:
                self.flush()
                grid = line.table
                body = [b for b in self.blocks if b.kind != "note"]
                last = body[-1] if body else None
                first_on_page = not any(b.page == number for b in body)
                carried = (
                    self._table
                    if last is not None and last.kind == "row" and first_on_page
                    else None
                )
                caption = line.caption
                if not caption and last is not None and last.kind != "row" and first_on_page:
                    caption = self._dangling_caption(grid)
                    last = self.blocks[-1] if self.blocks else None
                if carried is not None and not caption and len(grid[0]) == len(carried[0]):
                    # The table goes on from the previous page, with or without its header.
                    caption = last.caption if last is not None else ""
                    if [str(c or "") for c in grid[0]] != [str(c or "") for c in carried[0]]:
                        grid = [carried[0], *grid]
                self._table = grid
                for row in table_rows(grid):
                    self._emit(Block("row", row, page=number, caption=caption))
                previous_heading = None
                continue
            small = line.size < self.body * 0.86 and line.top > last_body
            if small and line.top > height * 0.6 and (in_note or _looks_like_note(line)):
                if in_note and not _looks_like_note(line):
                    note = self.blocks[-1]
                    self.blocks[-1] = Block("note", join_lines(note.text, line.text), page=number)
                else:
                    self._emit(Block("note", line.text, page=number))
                in_note = True
                continue
            heading = heading_of(line, number)
            if heading is not None:
                self.flush()
                last = self.blocks[-1] if self.blocks else None
                if (
                    previous_heading is not None
                    and last is not None
                    and last.kind == "heading"
                    and last.level == heading[0]
                    and previous_heading.size == line.size
                    and 0 <= line.top - previous_heading.bottom < 0.8 * max(line.size, 1.0)
                ):  # a heading set on two lines is one heading
                    self.blocks[-1] = replace(last, text=f"{last.text} {heading[1]}")
                else:
                    self._emit(Block("heading", heading[1], level=heading[0], page=number))
                previous_heading = line
                continue
            previous_heading = None
            self._add(line, number)

    def _dangling_caption(self, grid: list[list[str | None]]) -> str:
        """A caption (and header row) left at the foot of the previous page by a table that
        starts on this one: taken off the running text and returned."""
        header = " ".join(str(c or "") for c in grid[0]).strip()
        body = [i for i, b in enumerate(self.blocks) if b.kind != "note"]
        drop = []
        if (
            body
            and self.blocks[body[-1]].kind == "heading"
            and self.blocks[body[-1]].text == header
        ):
            drop.append(body.pop())  # the header row, set in bold, left on that page
        if not body or self.blocks[body[-1]].kind != "text":
            return ""
        text = self.blocks[body[-1]].text
        if not _CAPTION.match(text) or len(text) > 300:
            return ""
        drop.append(body[-1])
        for index in sorted(drop, reverse=True):
            del self.blocks[index]
        return text[: -len(header)].strip() if header and text.endswith(header) else text

    def _captions(self, lines: list[Line]) -> dict[int, str]:
        """Caption lines ("Table 2. ...") next to a table: attached to it, left out of text."""
        used: dict[int, str] = {}
        for i, line in enumerate(lines):
            if line.table is None:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(lines) and lines[j].table is None:
                    near = lines[j]
                    gap = line.top - near.bottom if j < i else near.top - line.bottom
                    if _CAPTION.match(near.text) and gap < 3 * max(near.size, 1.0):
                        line.caption = near.text
                        used[id(near)] = near.text
                        break
        return used

    def _add(self, line: Line, number: int) -> None:
        last = self._last
        if self._para and last is not None:
            if number != self._page or line.column != last.column or line.top < last.top:
                joins = not _END_OF_SENTENCE.search(self._para) and not _BULLET.match(line.text)
            else:
                gap = line.top - last.bottom
                short = last.x1 < last.right - 3 * max(last.size, 1.0)
                joins = not (
                    gap > 0.8 * max(line.size, 1.0)
                    or _BULLET.match(line.text)
                    or (short and _END_OF_SENTENCE.search(self._para))
                )
            if not joins:
                self.flush()
        new_page = bool(self._para) and number != self._last_page
        if not self._para:
            self._page = number
            self._breaks = []
            self._offset = self._page_chars
        self._para = join_lines(self._para, line.text, self.known, self.hyphenates)
        if new_page:
            self._breaks.append(max(len(self._para) - len(line.text), 0))
        self._last = line
        self._last_page = number

    def flush(self) -> None:
        if self._para.strip():
            self._emit(
                Block(
                    "text",
                    self._para,
                    page=self._page,
                    offset=self._offset,
                    page_breaks=tuple(b for b in self._breaks if b < len(self._para)),
                )
            )
        self._para, self._last = "", None

    def _emit(self, block: Block) -> None:
        if block.kind != "text":
            block = Block(
                block.kind,
                block.text,
                block.level,
                block.page,
                self._page_chars,
                block.page_breaks,
                block.caption,
            )
        self.blocks.append(block)
        self._page_chars += len(block.text) + 2


def is_caption(text: str) -> bool:
    """A table caption line ("Table 2. Adjuvant regimens")."""
    return bool(_CAPTION.match(text))


def _looks_like_note(line: Line) -> bool:
    return bool(re.match(r"^(?:[\d*†‡§]{1,3}|\[\d{1,3}\]|[a-z])[\s.)]", line.text)) or (
        line.text[:1].isdigit()
    )


# A text or Markdown export of a PDF keeps the page furniture the PDF reader would drop:
# "Gynaecological RT consensus — page 12", "Version 3.1 · March 2026", "Page 7 of 41", each
# a paragraph of its own between the paragraphs of the body. Never furniture: headings, table
# rows, list items, quotes, code, captions ("Table 4. …"), and a line that ends a sentence.
# Lines that are never furniture however often they recur: headings, list items, captions, a
# sentence's end, and a recommendation's grading standing on its own line ("Level of evidence:
# I; grade of recommendation: A", "Strong consensus")
_NOT_FURNITURE = re.compile(
    r"^\s*(?:#|\||[-*+•]\s|\d+[.)]\s|>|```|(?i:table|figure|fig\.)\s*\d)|[.!?:;]\s*$|"
    r"(?i:\b(?:level|grade|strength|quality|certainty)\s+of\s+(?:the\s+)?"
    r"(?:evidence|recommendation)|\b(?:strong|expert|majority|weak)\s+consensus\b|"
    r"\bconsensus\s+recommendation|\brecommendation\s+grade|\bevidence\s+level|"
    r"\b(?:strong|weak|conditional)\s+recommendation|\bnot\s+recommended|^\s*GRADE\s*:)"
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def without_running_lines(text: str, heading: Callable[[str], object] | None = None) -> str:
    """``text`` with its running headers and footers blanked, each to as many spaces (offsets
    hold). A paragraph of one or two short lines ("Reference ID: 5438812" over "Page 3 of 41")
    is furniture when each of its lines is a page counter (three or more in the text; a bare
    number only on a line of its own) or, with its page number masked, a line of two words or
    more that recurs three times or more.
    ``heading`` tells the reader's headings, which are kept; so are the lines
    ``_NOT_FURNITURE`` names and a line starting in lower case (a sentence's end)."""
    lines = text.split("\n")

    def short(line: str) -> bool:
        bare = line.strip()
        return (
            0 < len(bare) <= 100
            and not _NOT_FURNITURE.search(line)
            and not bare[:1].islower()
            and not (heading and heading(line))
        )

    paragraphs: list[range] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end].strip():
            end += 1
        if end - i <= 2 and all(short(lines[j]) for j in range(i, end)):
            paragraphs.append(range(i, end))
        i = end
    counts = Counter(signature(lines[j]) for block in paragraphs for j in block)
    counters = sum(
        bool(_PAGE_NUMBER.match(lines[j].strip())) for block in paragraphs for j in block
    )

    def furniture(line: str, alone: bool) -> bool:
        bare = line.strip()
        if _PAGE_NUMBER.match(bare):
            # a bare number under a label ("Sigmoid D2cm³" over "70") is the label's value
            return counters >= 3 and (alone or not bare.isdigit())
        return counts[signature(bare)] >= 3 and len(_WORD.findall(signature(bare))) >= 2

    for block in paragraphs:
        if all(furniture(lines[j], len(block) == 1) for j in block):
            for j in block:
                lines[j] = " " * len(lines[j])
    return "\n".join(lines)
