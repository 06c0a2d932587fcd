"""Named sections of a generated Markdown file, so two scripts can share docs/BENCHMARKS.md:
each rewrites only the part between its own ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->``."""

from __future__ import annotations

import re
from pathlib import Path


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"<!-- {name}:begin -->\n.*?<!-- {name}:end -->\n", re.DOTALL)


def read_section(path: Path, name: str) -> str:
    """The whole marked section (markers included), or "" when the file or section is absent."""
    if not path.exists():
        return ""
    found = _pattern(name).search(path.read_text())
    return found.group(0) if found else ""


def write_section(path: Path, name: str, body: str) -> None:
    """Replace section ``name`` of ``path`` with ``body`` (appended when absent)."""
    block = f"<!-- {name}:begin -->\n{body.rstrip()}\n<!-- {name}:end -->\n"
    text = path.read_text() if path.exists() else ""
    if _pattern(name).search(text):
        text = _pattern(name).sub(lambda _: block, text)
    else:
        text = text.rstrip() + ("\n\n" if text.strip() else "") + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
