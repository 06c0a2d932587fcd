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
from typing import Any

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


# Verifier evaluation -------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledClaim:
    question: str
    claim: str
    cite_doc: str
    cite_section: str
    wrong: bool
    error: str


@dataclass(frozen=True)
class VerifierScore:
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    mean_latency_ms: float
    misses: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        wrong = self.true_positive + self.false_negative
        return self.true_positive / wrong if wrong else 0.0


def load_labelled_claims(path: Path) -> list[LabelledClaim]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            items.append(
                LabelledClaim(
                    raw["question"],
                    raw["claim"],
                    raw["cite"]["doc_id"],
                    raw["cite"]["section"],
                    raw["label"] == "wrong",
                    raw.get("error", ""),
                )
            )
    return items


def score_verifier(assistant: Any, items: list[LabelledClaim]) -> VerifierScore:
    """Each claim cites the labelled passage (added to the retrieved ones if retrieval missed
    it); the verifier "flags" a claim when its verdict is not supported or it has a flag."""
    import time
    from dataclasses import replace

    from rag.types import Hit

    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    misses: list[str] = []
    alarms: list[str] = []
    latencies = []
    for item in items:
        retrieval = assistant.retrieve(item.question, top_k=5)
        hits = list(retrieval.hits)
        rank = next(
            (
                h.rank
                for h in hits
                if h.chunk.doc_id == item.cite_doc and item.cite_section in h.chunk.section_path
            ),
            None,
        )
        if rank is None:
            chunk = next(
                c
                for c in assistant.index.catalog.chunks()
                if c.doc_id == item.cite_doc and item.cite_section in c.section_path
            )
            rank = len(hits) + 1
            hits.append(Hit(chunk, rank, 0.0, None, None))
        retrieval = replace(retrieval, hits=tuple(hits))
        text = f"{item.claim.rstrip('.')} [{rank}]."
        start = time.perf_counter()
        verification = assistant.verify(text, retrieval)
        latencies.append((time.perf_counter() - start) * 1000)
        flagged = any(c.verdict != "supported" or c.flags for c in verification.claims)
        key = ("tp" if flagged else "fn") if item.wrong else ("fp" if flagged else "tn")
        counts[key] += 1
        if key == "fn":
            misses.append(f"{item.claim} ({item.error})")
        if key == "fp":
            alarms.append(item.claim)
    return VerifierScore(
        counts["tp"],
        counts["fp"],
        counts["fn"],
        counts["tn"],
        sum(latencies) / len(latencies) if latencies else 0.0,
        tuple(misses),
        tuple(alarms),
    )
