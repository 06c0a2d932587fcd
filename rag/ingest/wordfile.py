"""Word files (DOCX) → blocks: heading styles as sections, tables as header-keyed rows."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from rag.errors import IngestError
from rag.ingest.blocks import Block
from rag.ingest.clean import normalise, table_rows

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo)\s*(\d)$", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes) -> tuple[dict[str, str], list[Block]]:
    """Core properties (title, author) and blocks of a .docx file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            "Word file is password-protected or in the old .doc format; "
            "save it as an unprotected .docx to index it"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(
            f"Word file is corrupt or unreadable ({exc.__class__.__name__}: {exc})"
        ) from exc
    except Exception as exc:  # malformed XML inside the package raises lxml's own errors
        raise IngestError(
            f"Word file is corrupt or unreadable ({exc.__class__.__name__}: {exc})"
        ) from exc
    meta: dict[str, str] = {}
    props = document.core_properties
    if props.title:
        meta["title"] = normalise(props.title.strip())
    if props.author:
        meta["author"] = normalise(props.author.strip())

    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = normalise(" ".join(item.text.split()))
            if not text:
                continue
            level = _heading_level(item)
            if level is not None:
                blocks.append(Block("heading", text, level=level, offset=len(blocks)))
            else:
                blocks.append(Block("text", text, offset=len(blocks)))
        elif isinstance(item, Table):
            caption = ""
            if blocks and blocks[-1].kind == "text" and _is_caption(blocks[-1].text):
                caption = blocks.pop().text
            for line in table_rows(_cells(item)):
                blocks.append(Block("row", line, caption=caption, offset=len(blocks)))
    return meta, blocks


def _heading_level(paragraph: Any) -> int | None:
    name = str(getattr(paragraph.style, "name", "") or "")
    if name.lower() == "title":
        return 0
    found = _HEADING_STYLE.match(name.strip())
    return int(found.group(1)) if found else None


def _is_caption(text: str) -> bool:
    return bool(re.match(r"^(?:table|tab\.)\s*\w{1,4}\b", text, re.IGNORECASE)) and len(text) < 200


def _cells(table: Any) -> list[list[str]]:
    """Cell texts row by row; a cell merged across columns is repeated under each header."""
    rows = []
    for row in table.rows:
        rows.append([" ".join(cell.text.split()) for cell in row.cells])
    return rows
