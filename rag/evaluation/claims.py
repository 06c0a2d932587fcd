"""The claim verifier measured on a labelled claim set, cited and unmarked.

Each labelled claim names the passage (document and section) that it is about. In the
``cited`` setting the claim carries a ``[n]`` marker for that passage; in the ``unmarked``
setting (what ``oncoguide check`` sees) it has no marker and is judged against every passage
retrieved for its question. The labelled passage is added when retrieval missed it, and the
misses are counted.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rag.retrieval.lexical import content_words
from rag.types import Hit, Retrieval


@dataclass(frozen=True)
class LabelledItem:
    group: str
    split: str  # "tune" or "heldout"
    question: str
    claim: str
    cite_doc: str
    cite_section: str
    wrong: bool
    error: str  # kind of error for wrong claims: number, moved, unit, entity, polarity, grade


@dataclass(frozen=True)
class ClaimOutcome:
    item: LabelledItem
    flagged: bool
    verdict: str
    flag_kinds: tuple[str, ...]
    latency_ms: float


@dataclass(frozen=True)
class ClaimScore:
    setting: str
    outcomes: tuple[ClaimOutcome, ...]
    retrieval_misses: int

    def share_flagged(self, wrong: bool, error: str | None = None) -> tuple[int, int]:
        """(flagged, total) among wrong or true claims, optionally of one error kind."""
        chosen = [
            o
            for o in self.outcomes
            if o.item.wrong == wrong and (error is None or o.item.error == error)
        ]
        return sum(o.flagged for o in chosen), len(chosen)

    @property
    def mean_latency_ms(self) -> float:
        return sum(o.latency_ms for o in self.outcomes) / max(len(self.outcomes), 1)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        kinds = sorted({o.item.error for o in self.outcomes if o.item.wrong})
        return {k: self.share_flagged(True, k) for k in kinds}


def load_items(path: Path, split: str | None = None) -> list[LabelledItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw: dict[str, Any] = json.loads(line)
        item = LabelledItem(
            raw.get("group", ""),
            raw.get("split", "tune"),
            raw["question"],
            raw["claim"],
            raw["cite"]["doc_id"],
            raw["cite"]["section"],
            raw["label"] == "wrong",
            raw.get("error", ""),
        )
        if split is None or item.split == split:
            items.append(item)
    return items


def _overlap(claim: str, text: str, caption: str = "") -> int:
    """Content words and numbers shared (stop words left out: a table row and a sentence in one
    section share "of", "the", "in" alike; a results sentence is found by its values)."""
    words = len(set(content_words(claim)) & set(content_words(f"{caption} {text}")))
    numbers = set(re.findall(r"\d+(?:\.\d+)?", claim)) & set(re.findall(r"\d+(?:\.\d+)?", text))
    return words + len(numbers)


def _with_labelled_passage(
    chunks: list[Any], retrieval: Retrieval, item: LabelledItem
) -> tuple[Retrieval, int, bool]:
    """The labelled passage's rank among the hits, added when retrieval missed it. A section
    split into several chunks (a table, one row per chunk) is labelled by its chunk that
    shares the most words with the claim."""
    in_section = [
        c for c in chunks if c.doc_id == item.cite_doc and item.cite_section in c.section_path
    ]
    chunk = max(in_section, key=lambda c: _overlap(item.claim, c.text, c.caption))
    hits = list(retrieval.hits)
    rank = next((h.rank for h in hits if h.chunk.chunk_id == chunk.chunk_id), None)
    if rank is not None:
        return retrieval, rank, False
    rank = len(hits) + 1
    hits.append(Hit(chunk, rank, 0.0, None, None))
    return replace(retrieval, hits=tuple(hits)), rank, True


def score_claims(
    assistant: Any, items: list[LabelledItem], setting: str, top_k: int = 5
) -> ClaimScore:
    """Run every item in ``setting`` ("cited" or "unmarked"); a claim counts as flagged when
    its verdict is not ``supported`` or it carries a flag."""
    outcomes = []
    misses = 0
    retrievals: dict[str, Retrieval] = {}
    chunks = list(assistant.chunks())
    for item in items:
        if item.question not in retrievals:
            retrievals[item.question] = assistant.retrieve(item.question, top_k=top_k)
        retrieval, rank, missed = _with_labelled_passage(chunks, retrievals[item.question], item)
        misses += missed
        text = item.claim if setting == "unmarked" else f"{item.claim.rstrip('.')} [{rank}]."
        start = time.perf_counter()
        verification = assistant.verifier.verify(
            text, retrieval.hits, judge_unmarked=setting == "unmarked"
        )
        latency = (time.perf_counter() - start) * 1000
        claims = verification.claims
        flagged = any(c.verdict != "supported" or c.flags for c in claims)
        verdicts = Counter(c.verdict for c in claims)
        outcomes.append(
            ClaimOutcome(
                item,
                flagged,
                ", ".join(sorted(verdicts)),
                tuple(sorted({f.kind for c in claims for f in c.flags})),
                latency,
            )
        )
    return ClaimScore(setting, tuple(outcomes), misses)


# "Answers the question asked" (rag.checks.relevance) on labelled question-answer pairs ------


@dataclass(frozen=True)
class RelevanceCase:
    question: str
    answer: str
    expected: str  # "entity", "attribute", or "" for an answer that answers the question
    note: str = ""


@dataclass(frozen=True)
class RelevanceOutcome:
    case: RelevanceCase
    kinds: tuple[str, ...]  # relevance flag kinds raised on the answer

    @property
    def flagged(self) -> bool:
        return bool(self.kinds)

    @property
    def right(self) -> bool:
        """Flagged with the expected kind, or not flagged when none is expected."""
        if not self.case.expected:
            return not self.kinds
        return f"relevance_{self.case.expected}" in self.kinds


@dataclass(frozen=True)
class RelevanceScore:
    outcomes: tuple[RelevanceOutcome, ...]

    def share_flagged(self, bad: bool, expected: str | None = None) -> tuple[int, int]:
        """(flagged, total) among answers that should be flagged (``bad``) or not."""
        chosen = [
            o
            for o in self.outcomes
            if bool(o.case.expected) == bad and (expected is None or o.case.expected == expected)
        ]
        return sum(o.flagged for o in chosen), len(chosen)

    def right_kind(self) -> tuple[int, int]:
        """(flagged with the expected kind, total) among the bad answers."""
        bad = [o for o in self.outcomes if o.case.expected]
        return sum(o.right for o in bad), len(bad)


def load_relevance_cases(path: Path) -> list[RelevanceCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw: dict[str, Any] = json.loads(line)
            cases.append(
                RelevanceCase(raw["question"], raw["answer"], raw["expected"], raw.get("note", ""))
            )
    return cases


def score_relevance(cases: list[RelevanceCase], vocabulary: Any) -> RelevanceScore:
    """The relevance check on each case, as the assistant runs it on a shown answer."""
    from rag.answer.focus import question_focus
    from rag.checks.relevance import relevance_flags

    outcomes = []
    for case in cases:
        focus = question_focus(case.question, vocabulary)
        flags = relevance_flags(focus, case.answer, vocabulary)
        outcomes.append(RelevanceOutcome(case, tuple(f.kind for f in flags)))
    return RelevanceScore(tuple(outcomes))


def verbatim_sentences_flagged(
    assistant: Any, doc_prefix: str = "synthetic-"
) -> tuple[int, int, list[str]]:
    """Every sentence with a number in the documents whose id starts with ``doc_prefix``,
    checked as a claim citing its own passage and unmarked against that passage alone:
    (flagged, total, the flagged sentences). A verbatim source sentence must never be flagged."""
    from rag.checks.quantities import quantities
    from rag.checks.verify import split_claims

    flagged: list[str] = []
    total = 0
    for chunk in assistant.chunks():
        if not chunk.doc_id.startswith(doc_prefix):
            continue
        hits = (Hit(chunk, 1, 1.0, None, None),)
        for sentence, _ in split_claims(chunk.text):
            if not quantities(sentence):
                continue
            total += 1
            for text, unmarked in ((f"{sentence.rstrip('.')} [1].", False), (sentence, True)):
                claims = assistant.verifier.verify(text, hits, judge_unmarked=unmarked).claims
                if any(c.verdict != "supported" or c.flags for c in claims):
                    flagged.append(f"{'unmarked' if unmarked else 'cited'}: {sentence}")
                    break
    return len(flagged), total, flagged
