"""Claim-level checks of an answer against the passages it cites.

Every sentence or list item is a claim. Each claim gets a support score against the passages
it cites (MiniLM similarity to the best-matching passage sentence, plus the share of its terms
found in the passage) and a verdict: supported, weakly supported, unsupported or uncited.
The number guard requires every number (dose, unit, age, interval, percentage, stage, grade)
to appear with the same value and unit in a cited passage, and in the same context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from rag.checks.quantities import Quantity, quantities
from rag.retrieval.embed import Embedder
from rag.retrieval.lexical import content_words, tokenize
from rag.text import parse_citations, split_sentences, strip_citations
from rag.types import Hit

SUPPORTED = "supported"
WEAK = "weakly supported"
UNSUPPORTED = "unsupported"
UNCITED = "uncited"

# Score thresholds, chosen on the labelled claim set (docs/VERIFIER.md).
SUPPORTED_AT = 0.62
WEAK_AT = 0.45

_CLAUSE_END = re.compile(r"[;()\n]|,(?!\d{3})|\.(?!\d)|\bor\b|\band\b")


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str
    suggestion: int | None = None  # a passage number to cite instead


@dataclass(frozen=True)
class Claim:
    text: str
    citations: tuple[int, ...]
    verdict: str
    score: float
    flags: tuple[Flag, ...]
    best_source: int | None
    best_score: float


@dataclass(frozen=True)
class Verification:
    claims: tuple[Claim, ...]
    flags: tuple[Flag, ...] = field(default=())  # answer-level flags (sources, not claims)

    @property
    def supported(self) -> int:
        return sum(c.verdict == SUPPORTED for c in self.claims)

    @property
    def open_flags(self) -> list[tuple[int, Flag]]:
        """(claim number, flag) for every flag a clinician must resolve; claim 0 = answer."""
        out = [(0, f) for f in self.flags]
        for number, claim in enumerate(self.claims, start=1):
            out += [(number, f) for f in claim.flags]
        return out

    @property
    def summary(self) -> str:
        return f"{self.supported} of {len(self.claims)} claims supported"

    @property
    def has_unsupported(self) -> bool:
        return any(c.verdict in (UNSUPPORTED, UNCITED) or c.flags for c in self.claims)


def claim_records(verification: Verification) -> list[dict[str, Any]]:
    """Each claim as stored with a record and printed by ``check``/``ask --json``."""
    return [
        {
            "text": claim.text,
            "citations": list(claim.citations),
            "verdict": claim.verdict,
            "score": claim.score,
            "flags": [
                {"kind": f.kind, "message": f.message, "suggestion": f.suggestion}
                for f in claim.flags
            ],
            "best_source": claim.best_source,
            "best_score": claim.best_score,
        }
        for claim in verification.claims
    ]


def _clause(text: str, position: int) -> tuple[str, str]:
    """The words of the clause around ``position``: (before it, after it)."""
    clause_start = 0
    for match in _CLAUSE_END.finditer(text, 0, position):
        clause_start = match.end()
    end_match = _CLAUSE_END.search(text, position)
    return text[clause_start:position], text[
        position : end_match.start() if end_match else len(text)
    ]


def _specific(words: list[str], embedder: Embedder) -> list[str]:
    """Rare, specific terms (drug, test, procedure names), stemmed."""
    return [
        tokenize(w)[0]
        for w in words
        if w.isalpha() and len(w) >= 5 and embedder.is_rare_word(w) and tokenize(w)
    ]


def _anchor(text: str, position: int, embedder: Embedder) -> str | None:
    """The specific term a number in a claim belongs to: the nearest rare word before it in
    its clause, else the first one after it."""
    before, after = _clause(text, position)
    terms = [
        *reversed(_specific(content_words(before), embedder)),
        *_specific(content_words(after)[:4], embedder),
    ]
    return terms[0] if terms else None


def _context_terms(text: str, position: int, embedder: Embedder) -> set[str]:
    """Every specific term in the clause where a number occurs in a passage."""
    before, after = _clause(text, position)
    return set(_specific(content_words(before + " " + after), embedder))


def split_claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """(claim text without markers, cited passage numbers) for each sentence or list item."""
    claims = []
    for sentence in split_sentences(text.replace("\n- ", "\n").replace("\n* ", "\n")):
        sentence = sentence.lstrip("-*• ").strip()
        bare = strip_citations(sentence)
        if len(content_words(bare)) < 2:
            continue
        claims.append((bare, tuple(parse_citations(sentence))))
    return claims


class Verifier:
    """Checks answers against retrieved passages with the bundled embedder."""

    def __init__(
        self, embedder: Embedder, max_source_age_years: int = 5, today: date | None = None
    ) -> None:
        self.embedder = embedder
        self.max_source_age_years = max_source_age_years
        self.today = today or date.today()

    def _source_flags(self, hits: Sequence[Hit], cited: set[int]) -> list[Flag]:
        """Answer-level flags for the passages the answer relies on."""
        flags = []
        for h in hits:
            if h.rank not in cited:
                continue
            if h.chunk.flags:
                flags.append(
                    Flag(
                        "injection_source",
                        f"passage [{h.rank}] contains {', '.join(h.chunk.flags)}; it was shown to "
                        "the model as data only — check that the answer does not follow it",
                        h.rank,
                    )
                )
            if h.superseded:
                flags.append(
                    Flag(
                        "superseded_source",
                        f"passage [{h.rank}] comes from a superseded version of "
                        f"'{h.chunk.title}'; a newer version is indexed",
                        h.rank,
                    )
                )
            elif h.year.isdigit() and self.today.year - int(h.year) > self.max_source_age_years:
                flags.append(
                    Flag(
                        "old_source",
                        f"passage [{h.rank}] comes from a {h.year} document, older than "
                        f"{self.max_source_age_years} years; check for a newer version",
                        h.rank,
                    )
                )
        return flags

    def verify(self, text: str, hits: Sequence[Hit]) -> Verification:
        claims = split_claims(text)
        if not claims:
            return Verification(())
        passages = {h.rank: h.chunk.text for h in hits}
        sentences = {r: split_sentences(" ".join(t.split())) or [t] for r, t in passages.items()}
        flat = [(r, s) for r, items in sentences.items() for s in items]
        vectors = self.embedder.embed([c for c, _ in claims] + [s for _, s in flat])
        claim_vectors, sentence_vectors = vectors[: len(claims)], vectors[len(claims) :]
        passage_terms = {r: set(tokenize(t)) for r, t in passages.items()}
        passage_quantities = {r: quantities(t) for r, t in passages.items()}

        def support(index: int, rank: int) -> float:
            rows = [i for i, (r, _) in enumerate(flat) if r == rank]
            if not rows:
                return 0.0
            semantic = float(np.max(sentence_vectors[rows] @ claim_vectors[index]))
            terms = {t for t in tokenize(claims[index][0]) if not t[0].isdigit()}
            lexical = len(terms & passage_terms[rank]) / len(terms) if terms else 0.0
            return 0.5 * max(semantic, 0.0) + 0.5 * lexical

        results = []
        for index, (claim, cited) in enumerate(claims):
            valid = [n for n in cited if n in passages]
            scores = {rank: support(index, rank) for rank in passages}
            best = max(scores, key=lambda r: scores[r]) if scores else None
            flags: list[Flag] = []
            for n in cited:
                if n not in passages:
                    flags.append(Flag("invalid_citation", f"[{n}] is not one of the sources shown"))
            score = max((scores[n] for n in valid), default=0.0)
            # An uncited claim's numbers are checked against its closest passage.
            checked = valid or ([best] if best is not None else [])
            flags += self._number_flags(claim, checked, passage_quantities, passages)
            if not valid:
                verdict = UNCITED
                flags.append(
                    Flag(
                        "uncited",
                        "no source is cited for this statement"
                        + (f"; the closest passage is [{best}]" if best else ""),
                        best if best and scores[best] >= WEAK_AT else None,
                    )
                )
            elif any(f.kind.startswith("number") for f in flags):
                verdict = UNSUPPORTED
            elif score >= SUPPORTED_AT:
                verdict = SUPPORTED
            elif score >= WEAK_AT:
                verdict = WEAK
            else:
                verdict = UNSUPPORTED
            if valid and verdict in (UNSUPPORTED, WEAK) and best is not None and best not in valid:
                alternative = self._number_flags(claim, [best], passage_quantities, passages)
                if scores[best] >= SUPPORTED_AT and not alternative:
                    flags.append(
                        Flag(
                            "wrong_citation",
                            f"the cited passage does not support this; passage [{best}] does",
                            best,
                        )
                    )
            results.append(
                Claim(
                    text=claim,
                    citations=cited,
                    verdict=verdict,
                    score=round(score, 3),
                    flags=tuple(flags),
                    best_source=best,
                    best_score=round(scores[best], 3) if best is not None else 0.0,
                )
            )
        cited_ranks = {n for claim in results for n in claim.citations}
        return Verification(tuple(results), tuple(self._source_flags(hits, cited_ranks)))

    def _number_flags(
        self,
        claim: str,
        cited: Sequence[int],
        passage_quantities: dict[int, list[Quantity]],
        passages: dict[int, str],
    ) -> list[Flag]:
        flags: list[Flag] = []
        for quantity in quantities(claim):
            shown = quantity.text.strip()
            in_cited = [
                (rank, q)
                for rank in cited
                for q in passage_quantities[rank]
                if q.key == quantity.key
            ]
            if not in_cited and not quantity.unit:
                with_units = sorted(
                    {
                        q.text
                        for rank in cited
                        for q in passage_quantities[rank]
                        if q.value == quantity.value
                    }
                )
                if with_units:
                    flags.append(
                        Flag(
                            "number_other_context",
                            f"'{shown}' appears in the cited passage only as "
                            f"{', '.join(repr(t) for t in with_units)}",
                        )
                    )
                    continue
            if not in_cited:
                elsewhere = [
                    rank
                    for rank, found in passage_quantities.items()
                    if rank not in cited and any(q.key == quantity.key for q in found)
                ]
                if elsewhere and cited:
                    flags.append(
                        Flag(
                            "number_other_source",
                            f"'{shown}' is not in the cited passage; it appears in passage "
                            f"[{elsewhere[0]}] — check which source it belongs to",
                            elsewhere[0],
                        )
                    )
                else:
                    flags.append(
                        Flag(
                            "number_not_in_source", f"'{shown}' does not appear in the cited source"
                        )
                    )
                continue
            if quantity.unit == "label":
                continue
            claim_anchor = _anchor(claim, quantity.start, self.embedder)
            if claim_anchor is None:
                continue
            contexts = [
                _context_terms(passages[rank], q.start, self.embedder) for rank, q in in_cited
            ]
            if all(terms and claim_anchor not in terms for terms in contexts):
                others = sorted({t for terms in contexts for t in terms})
                flags.append(
                    Flag(
                        "number_other_context",
                        f"'{shown}' appears in the cited passage, but in another context "
                        f"({', '.join(others)}), not for '{claim_anchor}'",
                    )
                )
        return flags
