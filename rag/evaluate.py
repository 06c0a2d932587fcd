"""Gold-set evaluation of retrieval: does the expected document and section come back?

Gold format (JSON Lines), one object per question::

    {"id": "q001", "question": "...",
     "expected": [{"doc_id": "...", "section": "..."}],   # section optional
     "key_facts": ["40", "every 2 years"], "out_of_scope": false, "tags": ["screening"]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rag.types import Hit, Retrieval


@dataclass(frozen=True)
class Expected:
    doc_id: str
    section: str = ""
    page: int | None = None


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    expected: tuple[Expected, ...]
    key_facts: tuple[str, ...]
    out_of_scope: bool
    tags: tuple[str, ...]


def load_gold(path: Path) -> list[GoldItem]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(
                GoldItem(
                    id=str(raw.get("id", f"line{number}")),
                    question=raw["question"],
                    expected=tuple(Expected(**e) for e in raw.get("expected", [])),
                    key_facts=tuple(str(f) for f in raw.get("key_facts", [])),
                    out_of_scope=bool(raw.get("out_of_scope", False)),
                    tags=tuple(raw.get("tags", [])),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a valid gold item ({exc})") from exc
    return items


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def hit_matches(hit: Hit, expected: Expected) -> bool:
    """Same document, and (when given) the section is the hit's heading or one of its parents."""
    chunk = hit.chunk
    if chunk.doc_id != expected.doc_id:
        return False
    if expected.page is not None and chunk.page != expected.page:
        return False
    if expected.section:
        return _norm(expected.section) in {_norm(s) for s in chunk.section_path}
    return True


def first_relevant_rank(retrieval: Retrieval, item: GoldItem) -> int | None:
    for hit in retrieval.hits:
        if any(hit_matches(hit, e) for e in item.expected):
            return hit.rank
    return None
