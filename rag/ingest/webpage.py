"""Saved web pages (HTML) → blocks: the main content only (navigation, banners, scripts and
forms left out), headings as sections, tables as header-keyed rows. Parsing never fetches
anything the page refers to."""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from rag.errors import IngestError
from rag.ingest.blocks import Block
from rag.ingest.clean import normalise, table_rows

_NOISE = (
    "script, style, noscript, template, svg, canvas, iframe, object, embed, form, button, "
    "select, input, nav, header, footer, aside, dialog, [role=navigation], [role=banner], "
    "[role=contentinfo], [role=search], [aria-hidden=true], [hidden]"
)
_MAIN = ("main", "[role=main]", "article", "#main-content", "#content", ".content", "body")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "blockquote", "pre", "figure", "figcaption", "details", "summary", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "br", "address", "center",
}  # fmt: skip


def read_html(text: str) -> tuple[dict[str, str], list[Block]]:
    """Title and blocks of a saved web page."""
    tree = HTMLParser(text)
    if tree.body is None and tree.head is None:
        raise IngestError("web page could not be parsed (no HTML body)")
    meta: dict[str, str] = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["title"] = normalise(" ".join(title.text().split()))
    for name, key in (("citation_title", "title"), ("dc.title", "title"), ("author", "author")):
        node = tree.css_first(f'meta[name="{name}"]')
        value = node.attributes.get("content") if node is not None else None
        if value:
            meta[key] = normalise(value.strip())
    first_heading = tree.css_first("h1")
    if first_heading is not None:
        h1 = normalise(" ".join(first_heading.text().split()))
        if h1 and (not meta.get("title") or meta["title"].startswith(h1)):
            meta["title"] = h1  # "<title>" often adds the site name
    root = next((n for sel in _MAIN if (n := tree.css_first(sel)) is not None), None)
    if root is None:
        raise IngestError("web page has no content")
    for node in root.css(_NOISE):
        node.decompose()
    for node in root.css("[style]"):
        style = str(node.attributes.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            node.decompose()  # text a reader never sees is not guideline content
    for node in root.css("sup"):
        node.replace_with(_superscript(node))
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return meta, walker.blocks


# A superscript that is a footnote's letter ("Delay 1 week<sup>a</sup>", "ULN<sup>a,b</sup>"),
# a reference's number ("standard of care<sup>2,3</sup>"), an isotope's mass
# ("<sup>177</sup>Lu") or part of a unit ("mg/m<sup>2</sup>", "10<sup>9</sup>/L").
_FOOTNOTE_LETTERS = re.compile(r"[A-Za-z*†‡§]{1,2}(?:\s*,\s*[A-Za-z*†‡§]{1,2})*")
_REFERENCE_NUMBERS = re.compile(r"\d{1,3}(?:\s*[,–-]\s*\d{1,3})*")
_UNIT_BEFORE = re.compile(r"(?:\b(?:m|cm|mm|km|µm|dm)|\^)\s*$")
_POWER_BEFORE = re.compile(r"(?:\b|×|x)10\s*$")


def _superscript(node: Node) -> str:
    """A superscript's text as the rest of the pipeline reads it: "^a" for each footnote
    letter (so "1 week^a" still reads as 1 week), " [2,3]" for reference numbers (no
    "care2,3"), the digits themselves before an element ("177Lu") or in a unit ("m2"), and
    "^9" for a power of ten ("10^9")."""
    text = " ".join(node.text().split()).strip("[]() ")
    before = node.prev.text() if node.prev is not None else ""
    after = node.next.text() if node.next is not None else ""
    if re.search(r"\d$", before) and text.lower() in ("st", "nd", "rd", "th"):
        return text  # an ordinal: "2nd-line"
    if _POWER_BEFORE.search(before) and re.fullmatch(r"[-−–]\d{1,2}", text):
        return f"^-{text[1:]}"  # a negative power: "10^-9"
    if _FOOTNOTE_LETTERS.fullmatch(text):
        return "".join(f"^{mark.strip()}" for mark in text.split(","))
    if _REFERENCE_NUMBERS.fullmatch(text):
        if _POWER_BEFORE.search(before) and text.isdigit():
            return f"^{text}"  # a power of ten: "10^9"
        if _UNIT_BEFORE.search(before) and text.isdigit():
            return text  # "m2", "cm3"
        starts_word = not before.strip() or re.search(r"[\s(\[/:–-]$", before)
        if text.isdigit() and starts_word and re.match(r"[A-Z][a-z]?\b", after):
            return text  # an isotope: "177Lu", "18F" (not "care.<sup>3</sup>A patient")
        return f" [{text}]"
    return text


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._inline: list[str] = []

    def flush(self) -> None:
        text = normalise(" ".join("".join(self._inline).split()))
        self._inline = []
        if text:
            self._add(Block("text", text, offset=len(self.blocks)))

    def _add(self, block: Block) -> None:
        self.blocks.append(block)

    def walk(self, node: Node) -> None:
        child = node.child
        while child is not None:
            self._visit(child)
            child = child.next

    def _visit(self, node: Node) -> None:
        tag = node.tag
        if tag == "-text":
            self._inline.append(node.text_content or "")
            return
        if tag in ("-comment", "-doctype"):
            return
        if tag in _HEADINGS:
            self.flush()
            text = normalise(" ".join(node.text().split()))
            if text:
                self._add(Block("heading", text, level=_HEADINGS[tag], offset=len(self.blocks)))
            return
        if tag == "table":
            self.flush()
            self._table(node)
            return
        if tag == "br":
            self._inline.append("\n")
            return
        if tag not in _BLOCK_TAGS:
            self._inline.append(node.text() or "")
            return
        self.flush()
        if tag in ("li", "dd", "dt") and not _has_block_child(node):
            text = normalise(" ".join(node.text().split()))
            if text:
                self._add(Block("text", text, offset=len(self.blocks)))
            return
        self.walk(node)
        self.flush()

    def _table(self, node: Node) -> None:
        caption_node = node.css_first("caption")
        caption = normalise(" ".join(caption_node.text().split())) if caption_node else ""
        if not caption and self.blocks and self.blocks[-1].kind == "text":
            previous = self.blocks[-1].text
            if previous.lower().startswith(("table", "tab.")) and len(previous) < 200:
                caption = previous
                self.blocks.pop()
        rows: list[list[Any]] = []
        for tr in node.css("tr"):
            owner = _parent_table(tr)
            if owner is None or owner.mem_id != node.mem_id:
                continue  # a row of a table nested inside this one
            cells = [c for c in tr.iter() if c.tag in ("th", "td")]
            row: list[Any] = []
            for cell in cells:
                raw_span = str(cell.attributes.get("colspan") or "1").strip()
                span = int(raw_span) if raw_span.isdigit() else 1
                row.extend([" ".join(cell.text().split())] * max(1, min(span, 20)))
            rows.append(row)
        for line in table_rows(rows):
            self._add(Block("row", line, caption=caption, offset=len(self.blocks)))


def _parent_table(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def _has_block_child(node: Node) -> bool:
    return any(c.tag in _BLOCK_TAGS and c.tag != "br" for c in node.iter())
