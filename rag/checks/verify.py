"""Claim-level checks of an answer against retrieved passages.

Each statement is a claim (``claim_sentences``: sentences and list items, never cut inside
parentheses or a statistics clause). A claim is scored against the passages (MiniLM similarity
to the best-matching passage sentence, plus the share of its terms found in the passage) and
gets a verdict: supported, weakly supported, unsupported, contradicted or uncited.

- A claim with ``[n]`` markers must be supported by a passage it cites; when another passage
  supports it instead, that one is named.
- A claim without markers is, in ``judge_unmarked`` mode (``oncoguide check``), judged against
  every retrieved passage; not being cited is noted, not flagged. Otherwise it is ``uncited``.
- The number guard: every quantity in a claim (dose, interval, duration, age, percentage,
  hazard ratio, CI, ratio, label) must occur with the same value and unit in a passage, attached
  to the same entity (the drug, test, arm or therapy named before it). A passage that gives
  another value for the same entity and quantity contradicts the claim.
- Polarity and strength: a claim whose recommendation (recommended / may be considered /
  not recommended / insufficient evidence), negation or grade differs from the passage
  sentence it matches is contradicted, whatever the similarity.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from rag.checks.abbreviations import contract, contract_regimens, definitions, regimens
from rag.checks.quantities import (
    GRADE_LEGEND,
    LAB_NAMES,
    Quantity,
    daily_total,
    normalise_value,
    quantities,
    word_value,
)
from rag.ingest.injection import instructs
from rag.retrieval.embed import Embedder
from rag.retrieval.lexical import content_words, tokenize
from rag.text import parse_citations, strip_citations
from rag.types import (
    CONTRADICTED,
    SUPPORTED,
    UNCITED,
    UNSUPPORTED,
    WEAK,
    Chunk,
    Claim,
    Flag,
    Hit,
    Verification,
)

# Score thresholds, chosen on the tuning part of the labelled claim set (docs/VERIFIER.md).
SUPPORTED_AT = 0.62
WEAK_AT = 0.42
# A claim is compared for polarity with a passage sentence only when they match this well.
STANCE_MATCH_AT = 0.6
# A statement longer than this is flagged unchecked (the longest trial-report sentences run to
# about 800 characters; judging tens of thousands takes minutes).
MAX_CLAIM_CHARS = 1500

NUMBER_FLAGS = (
    "number_not_in_source",
    "number_other_context",
    "number_other_source",
    "number_contradicted",
)
# entity_contradicted: the passage says it of another group or trial ("high-risk" for
# "low-risk", PALISADE-2 for CORMORANT-1)
CONTRADICTION_FLAGS = (
    "number_contradicted",
    "polarity_contradicted",
    "grade_contradicted",
    "entity_contradicted",
)


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
            "note": claim.note,
            "support_source": claim.support_source,
        }
        for claim in verification.claims
    ]


# Claim splitting -------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "vs e.g i.e al fig figs approx no nos dr ca cf incl resp ref st mr mrs ms prof ed eds vol "
    "max min mo yr wk".split()
)
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|has|have|had|should|shall|may|might|can|could|must|will|would|"
    r"did|does|do|occurred|improved|reduced|increased|decreased|prolonged|showed|received|"
    r"consists|continued|remained|recommended|recommend|recommends|favoured|favored)\b",
    re.I,
)
_STATS_START = re.compile(r"\s*(?:HR|OR|RR|P\s*[<=>]|p\s*[<=>]|\d|95|n\s*=|CI\b|hazard ratio)")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
# an entry of a grading legend after its first: "B, strong or moderate evidence …"
_LEGEND_ENTRY = re.compile(r"([A-E])\s*[,:(]\s")
_FOOTNOTE_MARK = re.compile(r"\^[a-z\d]{1,2}\b")
_FOOTNOTE_LINE = re.compile(r"\^[a-z\d]{1,2}\s+(?=[A-Z])")
_OPEN_END = re.compile(
    r"(?:,|\b(?:and|or|with|without|for|of|to|by|the|a|an|in|on|at|plus|than|from|after|before|"
    r"versus|vs|is|are|was|were|be|then|receive|receives|given|including|such as))\s*$",
    re.I,
)
_HEADING_LINE = re.compile(r"[A-Z][A-Za-z-]*(?:\s+[A-Za-z-]+){0,4}")
_LABEL_LINE = re.compile(
    r"(?:Days?|Cycles?|Weeks?|Step)\s+\d[\d,–-]*(?:\s+(?:and|to)\s+\d+)?\s*:\s+\S"
)
# A clause that says what happens otherwise, or in the case the one before names: it is
# judged with it ("resume one level lower if recovered within 14 days; otherwise it is
# stopped").
_DEPENDENT_START = re.compile(r"\s*(?:otherwise|if not|else|failing that|in that case)\b", re.I)


# Reference numbers as PDF extraction leaves them, glued to the end of a sentence: "(grade A).7,8
# Pelvic ..." or "P < .001).12 The ...". They are not values and hide the sentence boundary.
_REFERENCE_MARK = re.compile(r"(?<=[A-Za-z)%\]])\.\d{1,3}(?:[,–-]\d{1,3})*(?=\s+[A-Z(]|\s*$)")


_GLUED_REFERENCE = re.compile(r"[A-Za-z)%]\.\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]$")

_TEXT_ROW = re.compile(r"^[^|]{1,80}:\s*[^|]+\|\s*[^|:]{1,80}:")


# Markdown emphasis around words ("*Pneumocystis pneumonia.* Patients …", "**Grade 3:**"): the
# words are read without it, so a run-in heading ends its sentence. A list's "* " bullet and a
# footnote's "OS*" are not emphasis.
_EMPHASIS = re.compile(r"(?<![\w*\\])(\*\*?)(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*])\1(?![\w*])")


def without_emphasis(text: str) -> str:
    """``text`` with Markdown emphasis around words taken away ("*Pneumocystis pneumonia.*"
    → "Pneumocystis pneumonia."), as statements are read. A run-in heading that gives advice
    ("**Not recommended.** Routine G-CSF …") ends in a colon: its advice is the sentence's."""
    return _EMPHASIS.sub(_plain_emphasis, text)


def _plain_emphasis(match: re.Match[str]) -> str:
    words = match.group(2)
    if words.endswith(".") and stances(words):
        return words[:-1] + ":"
    return words


def _paragraphs(text: str) -> list[str]:
    """Lines joined into paragraphs; list items and headings stand alone."""
    out: list[str] = []
    current = ""
    text = without_emphasis(_REFERENCE_MARK.sub(".", text))
    after_row = after_label = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if current:
                out.append(current)
            current = ""
            continue
        # A table row written as text ("Header: cell | Header: cell") stands alone too.
        row = bool(_TEXT_ROW.search(line))
        item = bool(_BULLET.match(line)) or line.startswith(("#", "|")) or row
        # a labelled line of an order set or protocol ("Day 1: oxaliplatin 85 mg/m² IV over 2
        # hours") starts a statement, though the line before it has no full stop
        labelled = bool(_LABEL_LINE.match(line))
        # a footnote ("^b FOLFIRINOX should be …") and a list's heading ("Other recommended
        # regimens") stand alone, though the line before has no full stop
        footnote = _FOOTNOTE_LINE.match(line)
        if footnote:
            line = line[footnote.end() :]
        heading = (
            bool(_HEADING_LINE.fullmatch(line))
            and bool(current)
            # not the end of a sentence wrapped after "followed by", "with", "and", …
            and not _OPEN_END.search(current)
        )
        item = item or labelled or bool(footnote) or heading
        if (
            item
            or after_row
            # a sentence after a labelled line is not its continuation
            or after_label
            and line[:1].isupper()
            and not _OPEN_END.search(current)
            or not current
            or current.endswith((".", "!", "?", ":", ";"))
            and line[:1].isupper()
        ):
            if current:
                out.append(current)
            current = _BULLET.sub("", line).lstrip("#").strip() if item else line
        else:
            current += " " + line
        after_row = row
        after_label = labelled or after_label and not item and not line[:1].isupper()
    if current:
        out.append(current)
    return out


def _independent(left: str, right: str) -> bool:
    """Whether a semicolon between ``left`` and ``right`` separates two statements."""
    return (
        bool(_VERB.search(left))
        and bool(_VERB.search(right))
        and len(right.split()) >= 4
        and not _STATS_START.match(right)
        and not _DEPENDENT_START.match(right)
    )


def claim_sentences(text: str) -> list[str]:
    """Statements a clinician would judge on their own: sentences and list items, never cut
    inside parentheses or brackets, after an abbreviation (``vs.``, ``e.g.``) or inside a
    decimal; a semicolon splits only two independent clauses."""
    return [statement for statement, _ in _statements(text)]


def _statements(text: str) -> list[tuple[str, int]]:
    """(statement, number of the sentence it belongs to): clauses split at a semicolon share
    their sentence's number."""
    sentences: list[tuple[str, int]] = []
    group = 0
    for paragraph in _paragraphs(text):
        depth = 0
        start = 0
        pieces: list[tuple[str, int]] = []
        for i, char in enumerate(paragraph):
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth = max(0, depth - 1)
                # "… sequence.[12] The 2-year …": the reference closes its sentence
                rest = paragraph[i + 1 :].lstrip()
                if (
                    depth == 0
                    and rest[:1].isupper()
                    and _GLUED_REFERENCE.search(paragraph[: i + 1])
                ):
                    pieces.append((paragraph[start : i + 1], group))
                    group += 1
                    start = i + 1
            elif (
                depth == 0
                and char in ".!?;"
                and (i + 1 == len(paragraph) or paragraph[i + 1] == " ")
            ):
                rest = paragraph[i + 1 :].lstrip()
                if not rest:
                    continue
                if char == ";":
                    nxt = rest.split(";")[0]
                    if not _independent(paragraph[start:i], nxt):
                        continue
                else:
                    word = re.search(r"(?:^|\s)([A-Za-z.]+)$", paragraph[start:i])
                    token = word.group(1).lower() if word else ""
                    graded = re.search(
                        r"\b(?:grade|level|category|group)\s+\w$", paragraph[:i], re.I
                    )
                    if token in _ABBREVIATIONS or (
                        len(token) == 1 and token.isalpha() and not graded
                    ):
                        continue  # "vs.", "E. coli"; but "… (grade B). Grade A. Women …" ends
                    if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "([\"'“‘-•*"):
                        continue
                pieces.append((paragraph[start : i + 1], group))
                group += char != ";"
                start = i + 1
        pieces.append((paragraph[start:], group))
        group += 1
        for piece, number in pieces:
            if not piece.strip():
                continue
            if sentences and _GRADE_ONLY.fullmatch(piece) and not sentences[-1][0].endswith(":"):
                # "… do not screen with PSA. Grade D.": the grade is the statement's before it
                last, last_group = sentences[-1]
                sentences[-1] = (f"{last} {' '.join(piece.split())}", last_group)
                continue
            sentences.append((" ".join(piece.split()), number))
    return sentences


_GRADE_ONLY = re.compile(
    r"\s*[(\[]?\s*(?:(?:level|grade|category)\s+(?:of\s+(?:evidence|recommendation)\s+)?"
    r"(?:[A-E]|I{1,3}|IV|[1-3][AB]?)\s*,?\s*)+[)\]]?(?:\s*\[\d+(?:\s*[,–-]\s*\d+)*\])*\s*\.?\s*",
    re.I,
)


# A section that says only "None." ("4 CONTRAINDICATIONS" in a drug label)
_NONE_ONLY = re.compile(r"\s*none(?:\s+known|\s+reported|\s+identified)?\.?\s*", re.I)


# A section heading's number: "8.1 ", "4. ", "4 CONTRAINDICATIONS"
_SECTION_NUMBERING = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s*")
# The same, where what follows may be a value: not the "12" of "12 Months of Durvalumab"
_SECTION_NUMBER_BEFORE_WORDS = re.compile(
    r"^\s*(?:\d+(?:\.\d+)+\.?|\d+\.)\s*|^\s*\d+\s+(?=[A-Z])"
    r"(?!(?i:months?|weeks?|days?|years?|hours?|cycles?|fractions?|doses?|mg|gy)\b)"
)
# The kinds of value a heading may state as the condition of its section: a time, an age, a
# laboratory limit (never a dose, a share or a count: a heading's "Cisplatin 75 mg/m2" or
# "Reduce etoposide to 75%" supports no dose of another drug beneath it).
_CONDITIONS = frozenset({"duration", "age", "lab", "cells"})


@functools.lru_cache(maxsize=1024)
def _heading_conditions(section: str) -> tuple[tuple[Quantity, ...], frozenset[str]]:
    """The conditions a section heading states ("8.1 Relapse 6 months or more after first-line
    therapy": 6 months or more) and the stemmed words they are of, numbers, units and the
    words of a bound ("at least", "or more", "within") left out. Headings repeat across
    passages and claims, so each is read once."""
    heading = _SECTION_NUMBER_BEFORE_WORDS.sub("", section)
    values = tuple(q for q in quantities(heading) if q.kind in _CONDITIONS)
    words = frozenset(t for t in _plain_stems(heading) if len(t) > 2 and t not in _HEADING_PLAIN)
    return values, words


# words of a bound and words every clinical heading shares: no subject of its own
_HEADING_PLAIN = frozenset(
    tokenize(
        "least most more less fewer than above below over under within after before aged "
        "patient patients therapy treatment treated line first second third disease dose doses "
        "management"
    )
)


def checked_text(chunk: Chunk) -> str:
    """The text a passage is checked against: a table row with its caption ("Table 2. Grade 3
    or higher adverse events"), which says what the row's values are; a section that says
    only "None." with what it has none of ("There are no contraindications.")."""
    if _NONE_ONLY.fullmatch(chunk.text) and chunk.section_path:
        what = _SECTION_NUMBERING.sub("", chunk.section_path[-1]).strip().lower()
        if what:
            return f"There are no {what}. {chunk.text.strip()}"
    return f"{chunk.caption}\n{chunk.text}" if chunk.caption else chunk.text


_LETTER = re.compile(r"[^\W\d_]")
_LIST_NUMBER = re.compile(r"\(?\d{1,2}[.)]")


def split_claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """(claim text without markers, cited passage numbers) for each statement."""
    statements = _statements(text)
    # A clause split off at a semicolon carries the markers its sentence ends with.
    sentence_markers: dict[int, tuple[int, ...]] = {}
    for sentence, group in statements:
        sentence_markers[group] = tuple(parse_citations(sentence)) or sentence_markers.get(
            group, ()
        )
    claims: list[tuple[str, tuple[int, ...]]] = []
    for index, (sentence, group) in enumerate(statements):
        bare = strip_citations(sentence)
        if bare.endswith(";"):
            bare = bare[:-1] + "."
        if _LIST_NUMBER.fullmatch(bare.strip()) and index + 1 < len(statements):
            continue  # "2." before a list item is the list's; "90." at the end is a value
        if claims and not _LETTER.search(bare):
            # "(2.3, 7)", a drug label's cross-reference after its sentence, or a number left
            # alone: checked with the statement before it, never dropped
            said, cited = claims[-1]
            own = tuple(n for n in parse_citations(sentence) if n not in cited)
            claims[-1] = (f"{said} {bare}", cited + own)
            continue
        if len(content_words(bare)) < 2:
            continue
        claims.append((bare, tuple(parse_citations(sentence)) or sentence_markers[group]))
    return claims


# Polarity and strength -------------------------------------------------------------------

# A statement of fact is no advice against: "does not exceed 15 cm³", "a benefit that does
# not outweigh the risks", "provided it does not delay CRT" ("should not exceed 50 days" stays
# advice: "should exceed 50 days" reverses it)
_LIMIT = (
    r"(?!\s+(?:exceed|surpass|outweigh|differ|delay|fall\s+below|rise\s+above|"
    r"be\s+(?:more|greater|higher|less|lower|longer|shorter|fewer)\s+than)\b)"
)

_STANCES = (
    (
        "insufficient",
        re.compile(
            # ("insufficient evidence to recommend X" recommends nothing)
            r"\b(?:insufficient evidence(?:\s+(?:exists|is\s+available))?|evidence\s+(?:is|was|"
            r"remains)\s+insufficient)(?:\s+to\s+(?:recommend|support|make\s+a\s+recommendation)"
            r"(?:\s+(?:for|against))?)?\b|"
            r"\binsufficient to (?:assess|recommend|determine)\b|\bno recommendation\b",
            re.I,
        ),
    ),
    (
        "against",
        re.compile(
            r"\b(?:not|cannot|no longer|never)\s+(?:be\s+|been\s+)?"
            r"(?:routinely\s+|generally\s+)?"
            r"(?:recommended|indicated|advised|suggested|offered|used|given|required|needed|"
            r"performed|use|give|offer|start)\b"
            # "a VEGF TKI not given before": which drug, not advice against it
            r"(?!\s+(?:before|previously|earlier|prior|in the past|in an earlier)\b)|\b(?:recommends?|recommendations?) against\b|"
            r"\b(?:should|must)\s+(?:not\b|be\s+avoided\b|avoid\b)|\bavoid(?:ed)?\b|"
            r"\bcontraindicated\b|\bshould not\b|"
            # a drug label's "Advise women not to breastfeed", "recommended not to" (not "advised
            # in women electing not to receive chemotherapy")
            r"\b(?:advised|recommended)\s+not\s+to\b|"
            r"(?:^|[.;:]\s*)\W*advise\s+(?:(?!(?:in|for|who|those|whether)\b)[\w-]+\s+){0,2}?not\s+to\b|"
            # "does not exceed 15 cm³", "a benefit that does not outweigh the risks" advise
            # nothing
            r"\b(?:do|does) not\b(?!\s+need\s+to\s+(?:be\s+)?avoid)" + _LIMIT + "|"
            # "No dose reductions are recommended during the concomitant phase" (not "patients
            # with no residual disease are recommended to receive …")
            r"(?:^\W*(?:\d+(?:\.\d+)+\.?\s+)?|[;:]\s*)no\s+(?:[\w-]+\s+){0,3}?(?:is|are|was|were)\s+"
            r"(?:routinely\s+|generally\s+)?(?:recommended|required|needed|indicated|necessary)\b",
            re.I,
        ),
    ),
    (
        "conditional",
        re.compile(
            r"\b(?:may|can|could|might)\s+(?:also\s+)?(?:be\s+)?(?:considered|offered|"
            r"discussed|added|omitted|an option|treated with|receive)\b|"
            # "can be given as 400 mg every 6 weeks": a dose option, not a strength
            r"\b(?:may|can|could|might)\s+(?:also\s+)?(?:be\s+)?(?:used|given)\b"
            r"(?!\s+(?:as|at|every|over|once|twice|daily|orally|intravenously|by)\b)"
            r"|\bis an option\b|"
            r"\b(?:weak|conditional)\s+recommendation\b|\bindividual (?:one|decision)\b|"
            r"\b(?:should|may|can)\s+(?:also\s+)?consider\b|\bshould\s+(?:also\s+)?be\s+considered\b|"
            r"\b(?:recommends?|advises?|suggests?)\s+considering\b|"
            r"\bis (?:suggested|considered)\b|\bselectively\b|"
            # NCCN: "useful in certain circumstances"
            r"\buseful\s+in\s+(?:certain|some|selected)\s+circumstances\b|"
            # NICE: "1.2.3 Consider …" (not "…; consider cystatin C": advice, no grading)
            r"^\W*(?:\d+(?:\.\d+)+\.?\s+)?Consider\b",
            re.I,
        ),
    ),
    (
        "for",
        re.compile(
            r"\b(?:is|are|be|remains?)\s+(?:strongly\s+)?(?:recommended|indicated|preferred|"
            r"advised|required)\b|\brecommends?\b(?! against| considering)|"
            # a grading legend: "B: … limited clinical benefit; generally recommended."
            r"\b(?:strongly|generally)\s+recommended\b|"
            r"\bshould\b(?! not| (?:also )?consider\b| (?:also )?be considered\b)|\bmust\b|"
            r"\bstrong recommendation\b|"
            # NICE: "1.2.3 Offer …", "…; offer total laryngectomy …"
            r"(?:^|[;:]\s*|^\W*\d+(?:\.\d+)+\.?\s+)offer\b",
            re.I,
        ),
    ),
)
_GRADE = re.compile(
    r"\b(?P<t>(?i:grade|level|category))\s+(?:(?P<of>(?i:of\s+(?:recommendation|evidence)))\s+)?"
    # a numbered "Level of evidence 2b", "Level of evidence 4" (Oxford levels), only so named
    r"(?P<g>[A-E]|IV|V|I{1,3}|1|2A|2B|3|(?<=[Ee]vidence )[1-5][abc]?)\b"
)
# Levels of evidence and grades of recommendation in brackets: "[I, A]", "(II, B)", "(IA)".
_GRADE_PAIR = re.compile(r"[\[(]\s*(?P<l>IV|V|I{1,3})\s*,?\s*(?P<g>[A-E])\s*[\])]")
# Strength and evidence quality as guidelines write them: "strong recommendation", "high-
# quality evidence", and ASCO's "Evidence quality: intermediate; Strength of recommendation:
# moderate" or "the recommendation is moderate, on intermediate-quality evidence".
_STRENGTH_WORD = r"strong|moderate|weak|conditional"
_QUALITY_WORD = r"high|intermediate|moderate|low|very low|insufficient"
# GRADE's "certainty of the evidence" is what older texts call its quality
_QUALITY = r"(?:quality|certainty)"
_STRENGTH = re.compile(
    rf"\b(?P<s>{_STRENGTH_WORD})\s+recommendation\b|"
    # "a moderate-strength recommendation", "a moderate strength of recommendation"
    rf"\b(?P<s4>{_STRENGTH_WORD})[- ]strength(?:\s+of\s+(?:the\s+)?recommendation)?\b|"
    # "the recommendation against X in Y is strong"
    rf"\brecommendation\s+(?:for|against|to)\b[^.;:]{{0,80}}?\b(?:is|remains)\s+"
    rf"(?P<s5>{_STRENGTH_WORD})\b"
    r"(?![- ](?:quality|certainty|evidence))|"
    # "strength of recommendation: moderate", "Strength: weak", "2b; strength: weak" (not
    # "muscle strength was weak" nor "grip strength: weak", a strength of something named)
    rf"(?:\bstrength\s+of\s+(?:the\s+)?recommendation\s*(?:[:=]|is|was)?|"
    rf"(?<!\w\s)(?<!\w)strength\s*[:=])\s*"
    rf"(?P<s2>{_STRENGTH_WORD})\b|"
    rf"\brecommendation\s+(?:is|was|remains)\s+(?P<s3>{_STRENGTH_WORD})\b|"
    rf"\b(?P<q>{_QUALITY_WORD})[- ]{_QUALITY}(?:\s+of)?\s+evidence\b|"
    rf"\b(?P<q2>{_QUALITY_WORD})[- ]{_QUALITY}\b|"
    rf"\b(?:evidence\s+{_QUALITY}|{_QUALITY}\s+of\s+(?:the\s+)?evidence)\s*(?:[:=]|is|was)?\s*"
    rf"(?P<q3>{_QUALITY_WORD})\b|\bevidence\s+of\s+(?P<q4>{_QUALITY_WORD})\s+{_QUALITY}\b",
    re.I,
)
# "without" and "none" are left out: "with or without a boost", "patients without progression".
# "uninterpretable" is "should not be interpreted" ("contraindicated" heads table columns
# whose rows deny nothing: "Cisplatin contraindicated: <50 mL/min")
_NEGATION = re.compile(
    r"\b(?:not|cannot|no|never|neither|nor|failed to|uninterpretable|unreliable|unsuitable|"
    r"inappropriate)\b",
    re.I,
)
# A bound is not a negation: "no more than 3 × ULN", "not exceeding 2 g", "no later than".
_BOUND_PHRASE = re.compile(
    r"\b(?:no|not)\s+(?:more|less|greater|fewer|later|earlier|longer|higher|lower)\s+than\b|"
    r"\bnot\s+(?:exceed|exceeds|exceeding|to exceed|below|above)\b",
    re.I,
)


# A group of patients described by what they do not have or need is no negation of the
# statement: "CrCl below 30 mL/min not requiring dialysis", "patients not eligible for ASCT".
_GROUP_QUALIFIER = re.compile(
    r"\bnot\s+(?:requiring|receiving|on|undergoing|eligible\s+for|candidates?\s+for|"
    r"previously\s+treated|yet\s+treated)\b|"
    # "patients who cannot tolerate cisplatin", "patients whose plan cannot meet constraints"
    r"\b(?:who|whom|that|which)\s+cannot\b|"
    # "patients who do not respond", "patients whose disease does not respond"
    # (only the relative clause's own verb: in "patients whose tumours are RAS-mutant do not
    # benefit" the "do not" is the statement's)
    r"\b(?:who|whom)\s+(?:do|does|did|have|has|had)\s+not\b|"
    # (not "whose use is not recommended": advice)
    r"\bwhose\s+[\w-]+\s+(?:cannot|(?:do|does|did)\s+not)\b",
    re.I,
)


_GROUP = re.compile(
    r"\b(?P<not>not\s+)?(?P<what>requiring|receiving|undergoing|previously\s+treated\s+with|"
    r"candidates?\s+for|eligible\s+for)\s+(?P<object>[a-z][\w-]+)",
    re.I,
)


# "patients with fever" and "patients without fever": one group and its opposite
_WITH_GROUP = re.compile(
    r"\b(?:patients?|those|people|adults|women|men|children|persons?)\s+"
    r"(?P<with>with|without)\s+(?:(?:an?|the|any|known|prior|previous)\s+)?"
    r"(?!(?:no|the|any|an?)\b)(?P<object>[a-z][\w-]+)",
    re.I,
)


def _groups(text: str) -> set[tuple[str, str, bool]]:
    """Patient groups a statement describes, each with whether it is negated: "not requiring
    dialysis" → (requiring, dialysis, True); "patients without fever" → (with, fever, True)."""
    return {
        (" ".join(m["what"].lower().split()), m["object"].lower(), bool(m["not"]))
        for m in _GROUP.finditer(text)
    } | {
        ("with", m["object"].lower(), m["with"].lower() == "without")
        for m in _WITH_GROUP.finditer(text)
    }


def _group_flipped(claim: str, sentence: str) -> str:
    """The passage's group where the claim names only its opposite ("not requiring dialysis"
    for "requiring dialysis"), or "". A passage that names both groups is left to the values."""
    found = _groups(sentence)
    values = _value_keys(claim)
    for what, thing, negated in _groups(claim):
        if (what, thing, not negated) not in found or (what, thing, negated) in found:
            continue
        if what == "with" and values:
            # "below 10 × 10⁹/L, or below 20 × 10⁹/L in patients with fever": only the values
            # of the clause that names the group are said of it
            clauses = [
                c for c in re.split(r"[,;]", sentence) if (what, thing, not negated) in _groups(c)
            ]
            if not any(values & _value_keys(c) for c in clauses):
                continue
        return f"{'' if negated else 'not '}{what} {thing}"
    return ""


# Words that name one group of a scale, each before its head word ("high-risk", "moderate
# hepatic impairment", "first-line therapy") or after it ("HER2-positive", "platinum-resistant").
_SCALES_BEFORE = {
    "level": ("low", "intermediate", "high", "very high"),
    "outlook": ("favourable", "favorable", "intermediate", "poor", "unfavourable", "adverse"),
    "severity": ("mild", "moderate", "severe"),
    "line": ("first", "second", "third", "later"),
}
_SCALES_AFTER = {
    "status": ("positive", "negative"),
    "response": ("sensitive", "resistant", "refractory"),
    "gene": ("mutated", "mutant", "wild type"),
    "methylation": ("methylated", "unmethylated"),
}
# one group written two ways
_SAME_GROUP = {
    "mutant": "mutated",
    "wild-type": "wild-type",
    "wild type": "wild-type",
    "favorable": "favourable",
    "adverse": "poor",
}
_JOIN = (
    r"(?:\s*,\s*|\s+or\s+|\s+and\s+|\s+to\s+|\s*/\s*|\s+rather\s+than\s+|\s+(?:vs\.?|versus)\s+)"
)


_FUNCTION_WORDS = (
    r"(?:for|of|in|to|and|or|with|the|a|an|than|at|on|by|as|vs|versus|is|are|was|were)"
)


def _scale_pattern(words: tuple[str, ...], before: bool) -> re.Pattern[str]:
    one = "|".join(w.replace(" ", r"[\s-]") for w in sorted(words, key=len, reverse=True))
    listed = rf"(?P<q>(?:{one})(?:-?{_JOIN}(?:{one}))*)"
    if words == _SCALES_BEFORE["line"]:
        return re.compile(rf"(?<![\w-]){listed}[\s-](?P<head>line)\b", re.I)
    if before:
        # "very high-risk" is not "high-risk"
        # the head is a noun: "low for OS" names no group of anything
        return re.compile(
            rf"(?<![\w-])(?<!very[\s-]){listed}[\s-](?:line\s+)?(?!{_FUNCTION_WORDS}\b)"
            rf"(?P<head>[a-z]\w+)",
            re.I,
        )
    return re.compile(rf"(?P<head>\b[A-Za-z][\w]*)[\s-]{listed}\b", re.I)


_SCALE_WORDS = "|".join(w for ws in _SCALES_BEFORE.values() for w in ws if " " not in w)
_HEADED_GROUP = re.compile(
    rf"(?:^|(?<=\|\s))(?P<h>[A-Za-z]\w+)(?:\s+(?:category|group|level|class))?:\s*"
    rf"(?P<g>(?:{_SCALE_WORDS}))(?=\s*(?:\||$|[.;,]))",
    re.I,
)
_SCALES = [
    (family, words, _scale_pattern(words, before))
    for before, scales in ((True, _SCALES_BEFORE), (False, _SCALES_AFTER))
    for family, words in scales.items()
]


@functools.lru_cache(maxsize=4096)
def _qualifiers(text: str) -> dict[tuple[str, str], frozenset[str]]:
    """The group of each scale a statement names, by scale and head word: "high-risk UTUC"
    gives {("level", "risk"): {"high"}}, "mild or moderate hepatic impairment" gives
    {("severity", "hepat"): {"mild", "moderate"}}, "HER2-negative" {("status", "her2"): …}."""
    found: dict[tuple[str, str], set[str]] = {}
    # a table cell under its header: "Risk category: Intermediate" is "intermediate risk"
    text = _HEADED_GROUP.sub(r"\g<g> \g<h>", text)
    for family, words, pattern in _SCALES:
        for match in pattern.finditer(text):
            head = (tokenize(match.group("head")) or [match.group("head").lower()])[0]
            said = re.findall(
                "|".join(w.replace(" ", r"[\s-]") for w in sorted(words, key=len, reverse=True)),
                match.group("q"),
                re.I,
            )
            found.setdefault((family, head), set()).update(
                _SAME_GROUP.get(w.lower(), " ".join(w.lower().replace("-", " ").split()))
                for w in said
            )
    return {key: frozenset(words) for key, words in found.items()}


def _group_swapped(
    claim: str, row: int, rows: list[int], flat: list[tuple[int, str]], scores: list[float]
) -> str:
    """The passage's group where the claim names another group of the same scale ("low-risk"
    where the sentence it matches best says "high-risk") and no sentence that matches it about
    as well names the claim's group; or ""."""
    mine = _qualifiers(claim)
    theirs = _qualifiers(flat[row][1])
    for key, said in mine.items():
        other, text = theirs.get(key), flat[row][1]
        if other and other & said and len(other) > 1:
            # the sentence names both groups: the claim's values are said after the other one
            # ("in MGMT-methylated tumours … 27.3 months, whereas in MGMT-unmethylated tumours
            # … HR 0.95" claimed for the methylated)
            other, text = _group_of_values(claim, flat[row][1], key)
        if not other or other & said:
            continue
        if _negations(claim) % 2 != _negations(text) % 2:
            continue  # "has no role in EGFR wild-type", "not KRAS-mutated": the other group
        if any(
            _qualifiers(flat[i][1]).get(key, frozenset()) & said and scores[i] >= scores[row] - 0.05
            for i in rows
            if i != row
        ):
            continue
        return " or ".join(sorted(other)) + f" ({key[1]})"
    return ""


def _group_of_values(claim: str, sentence: str, key: tuple[str, str]) -> tuple[frozenset[str], str]:
    """The groups of scale ``key`` that ``sentence`` names before the claim's values, each value
    taking the group named last before it, and the sentence's text from those groups on; none
    where a value stands before any group or the claim names its values before its group."""
    pattern = next(p for family, _, p in _SCALES if family == key[0])
    none: tuple[frozenset[str], str] = (frozenset(), sentence)
    own = pattern.search(claim)
    claimed = [q for q in quantities(claim) if q.kind != "label"]
    mentions = [
        (m.start(), _qualifiers(m.group(0)).get(key, frozenset()))
        for m in pattern.finditer(sentence)
    ]
    if not mentions or own is None or not claimed:
        return none
    if any(q.start < own.start() for q in claimed):
        return none  # "27.3 months in methylated tumours": the group after its value
    values = {q.key for q in claimed}
    found = quantities(sentence)
    seen = Counter(q.key for q in found)
    groups: set[str] = set()
    start, last = len(sentence), 0
    for q in found:
        if q.key not in values or seen[q.key] > 1:
            continue  # "95% CI" after each group tells none apart
        before = [(at, said) for at, said in mentions if at < q.start]
        if not before or len(before[-1][1]) != 1:
            return none
        groups |= before[-1][1]
        start, last = min(start, before[-1][0]), max(last, before[-1][0])
    if not groups:
        return none
    # the text of those groups, up to the next group named
    end = min((at for at, _ in mentions if at > last), default=len(sentence))
    return frozenset(groups), sentence[start:end]


# A median or an interval's end that has no value yet is no negation: "(95% CI 41.0–not
# reached)", "median PFS was not reached" (not "significance was not reached", "the MTD was
# not reached", "could not be evaluated").
_NO_ESTIMATE = re.compile(
    r"(?:(?<=[–(-])|(?<=\d,))\s*not\s+(?:reached|estimable|evaluable)\b|"
    r"\bmedian\s+(?:[\w-]+\s+){0,6}?(?:(?:was|were|is|are|has|have|had|been)\s+)*"
    r"not\s+(?:yet\s+)?(?:been\s+)?(?:reached|estimable|evaluable)\b",
    re.I,
)


# A relative clause describing a group, with or without its negation: "who do not have brain
# metastases", "who have brain metastases", "whose plan cannot meet", "whose plan can meet".
_RELATIVE_CLAUSE = re.compile(
    r"\b(?P<rel>who|whom|whose\s+[\w-]+)\s+(?P<aux>(?:cannot|(?:can|does|did|do|is|are|was|"
    r"were|has|have|had)\s+not|can|does|did|do)\b)?\s*(?P<verb>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)",
    re.I,
)


def _relative_clauses(text: str) -> dict[tuple[str, str], set[bool]]:
    """Each relative clause's subject and verb, and whether it is negated (both, where the
    text describes one group each way)."""
    out: dict[tuple[str, str], set[bool]] = {}
    for m in _RELATIVE_CLAUSE.finditer(text):
        stems = tokenize(m.group("verb"))  # "have brain": "have" is no content word
        if stems:
            aux = (m.group("aux") or "").lower()
            key = (" ".join(m.group("rel").lower().split()[1:]), stems[0])
            out.setdefault(key, set()).add(aux == "cannot" or aux.endswith("not"))
    return out


def _qualifier_flipped(claim: str, passage: str) -> bool:
    """Whether the claim describes a group by the passage's relative clause with its negation
    taken away or added ("for patients who have brain metastases" where the passage says "who
    do not have brain metastases"): the group-qualifier rule leaves both out of the count of
    negations, so the two are compared here."""
    mine = _relative_clauses(claim)
    if not mine:
        return False
    # the clause the claim restates ("…, and SRS is preferred for patients who have brain
    # metastases" describes the other group for another treatment)
    words = _content(claim)
    clause = max(_GROUP_CLAUSES.split(passage), key=lambda c: len(words & _content(c)))
    theirs = _relative_clauses(clause)
    return any(not negated <= theirs[k] for k, negated in mine.items() if k in theirs)


_GROUP_CLAUSES = re.compile(r",\s+(?:and|but|whereas|while)\s+|;\s+", re.I)


def _negations(text: str) -> int:
    """How many negations ``text`` holds, bounds ("no more than"), descriptions of a group
    ("not requiring dialysis") and estimates not reached left out."""
    text = _NO_ESTIMATE.sub(" ", _BOUND_PHRASE.sub(" ", text))
    return len(_NEGATION.findall(_GROUP_QUALIFIER.sub(" ", text)))


# Statistical significance as a statement says it: words first, else a P value, else a hazard
# ratio's confidence interval that holds 1.
_NOT_SIGNIFICANT = re.compile(
    r"\b(?:not|no|nor|never|neither|failed to|without)\b(?:[ -]+[a-z]+){0,3}?[ -]+"
    r"(?:statistical(?:ly)?\s+)?significan\w*|\bnon-?significan\w*|"
    # "did not differ significantly": the word after is part of the denial
    r"\b(?:did|does|do)\s+not\s+differ(?:\s+(?:statistically\s+)?significantly)?\b|"
    r"\bno\s+difference\b|\b(?:was|were)\s+similar\b|"
    r"\bneither\b.{0,120}?\bnor\b.{0,120}?\b(?:improved|prolonged|reduced|increased)\b",
    re.I,
)
# A claim of an effect: "improved overall survival", "reduced the risk of death".
_EFFECT = re.compile(
    r"\b(?:improved|improves|prolonged|prolongs|lengthened|extended|reduced|reduces|lowered|"
    r"increased|increases|superior|better|benefit(?:ed|s)?|shortened|shortens|worsened)\b",
    re.I,
)
# An effect said to be beyond doubt: read as a claim that it was significant.
_CLEARLY = re.compile(
    r"\b(?:clearly|markedly|substantially|considerably|greatly|convincingly)\b", re.I
)
_SIGNIFICANT = re.compile(r"\b(?:statistically\s+)?significant(?:ly)?\b", re.I)


# Whether a trial showed non-inferiority: "met the criterion for non-inferiority", "was
# non-inferior to", against "did not meet its non-inferiority endpoint", "failed to show
# non-inferiority", "non-inferiority was not demonstrated".
_NONINFERIOR = r"non-?\s?inferio\w*"
# a gap that does not run past a contrast ("did not demonstrate superiority but met its
# non-inferiority endpoint")
_NO_CONTRAST = r"(?:(?!\b(?:but|although|though|while|whereas|yet)\b)[^.;(),])"
_NONINFERIORITY_DENIED = re.compile(
    # "was not only non-inferior but also superior" denies nothing
    # the denial governs a verb of showing: "did not meet its non-inferiority endpoint", "failed
    # to show non-inferiority" (not "did not cross the non-inferiority margin", a success)
    rf"\b(?:not(?!\s+only\b)|never|fail(?:ed|s)?)\s+(?:\w+\s+){{0,2}}?"
    rf"(?:meet|met|show|shown|demonstrat\w*|establish\w*|achiev\w*|confirm\w*|prov\w*|reach\w*)"
    rf"\b{_NO_CONTRAST}{{0,40}}?\b{_NONINFERIOR}|"
    rf"\b(?:was|were|is|are)\s+not\s+{_NONINFERIOR}|\bfail(?:ed|s)?\s+{_NONINFERIOR}|"
    rf"\b{_NONINFERIOR}{_NO_CONTRAST}{{0,40}}?\b(?:was|were|could|has|had)\s+not\b|"
    rf"\b{_NONINFERIOR}[^.;()]{{0,30}}?\b(?:not\s+(?:met|shown|demonstrated|established)|"
    rf"failed|missed)\b",
    re.I,
)
_NONINFERIORITY_SHOWN = re.compile(
    # "designed to show non-inferiority" is an aim, not a result
    rf"(?<!\bto\s)\b(?:met|meet|meets|achieved|showed|shown|show|demonstrated|established|confirmed|"
    rf"proved|proven)\b[^.;()]{{0,50}}?\b{_NONINFERIOR}|"
    rf"\b{_NONINFERIOR}[^.;()]{{0,40}}?\b(?:was|were|is|has\s+been)\s+(?:met|shown|"
    rf"demonstrated|established|confirmed)\b|"
    rf"\b(?:was|were|is|are|be|proved|proven)\s+(?:statistically\s+)?{_NONINFERIOR}\s+to\b",
    re.I,
)


def noninferiority(text: str) -> str:
    """ "shown", "not shown" or "" for a statement that says nothing of non-inferiority or
    says both (of two trials or two endpoints)."""
    denied = bool(_NONINFERIORITY_DENIED.search(text))
    shown = bool(_NONINFERIORITY_SHOWN.search(_NONINFERIORITY_DENIED.sub(" ", text)))
    if denied == shown:
        return ""
    return "not shown" if denied else "shown"


# Who may enter a trial or receive a treatment: "were eligible" against "were excluded".
_EXCLUDED = re.compile(
    r"\b(?:were|was|are|is|be)\s+(?:also\s+)?(?:excluded|ineligible|not\s+eligible|not\s+allowed|"
    r"not\s+permitted)\b|\bexclusion criteria\b",
    re.I,
)
_INCLUDED = re.compile(
    r"\b(?:were|was|are|is|be)\s+(?:also\s+)?(?:eligible|included|allowed|permitted)\b", re.I
)


def eligibility(text: str) -> str:
    """ "in", "out" or "" for a statement that says neither or both."""
    out, into = bool(_EXCLUDED.search(text)), bool(_INCLUDED.search(text))
    return "" if out == into else "out" if out else "in"


# What a dose-modification rule does with the drug: it goes on ("continue", "may be
# continued while …", "no dose change") or it stops ("withhold", "interrupt", "discontinue").
# "continued until progression" or "for 2 years" says how long, not what to do on a toxicity.
_GOES_ON = re.compile(
    r"\b(?:continu(?:e[sd]?|ing|ation)\b(?!\s+(?:until|for|up to|beyond|through|after|to)\b)|"
    r"no (?:dose )?(?:change|modification|interruption|adjustment)s?\b|without interruption\b)",
    re.I,
)
_STOPS = re.compile(
    r"\b(?:withh[oe]ld\w*|interrupt\w*|hold|held|discontinu\w*|suspend\w*|stop(?:s|ped)?)\b",
    re.I,
)


# An action denied ("is not stopped", "does not need to be interrupted") or the end of a
# course ("stopped at progression", "discontinued after a maximum of 35 cycles"): no rule on a
# toxicity to compare.
_NOT_AN_ACTION = re.compile(
    r"\b(?:not|never|no need to|need not)\s+(?:\w+\s+){0,3}?(?:withh|interrupt|stop|discontinu|"
    r"continu|hold|held|suspend)|\bprogress|\bafter\s+(?:a\s+maximum|up\s+to|\d|completion)|"
    r"\bmaximum\s+of\b",
    re.I,
)


def dose_action(text: str) -> str:
    """ "on", "off" or "" for a statement that says neither or both: whether a
    dose-modification rule lets the drug go on or stops it. Clauses that deny an action or end
    a course ("permanently discontinue if not resolved after 12 weeks") are left out."""
    clauses = [c for c in re.split(r"[;,]|\bthen\b", text) if not _NOT_AN_ACTION.search(c)]
    on = any(_GOES_ON.search(c) for c in clauses)
    off = any(_STOPS.search(c) for c in clauses)
    return "" if on == off else "on" if on else "off"


def significance(text: str) -> str:
    """ "significant", "not significant" or "" for a statement that says neither."""
    words = _NOT_SIGNIFICANT.search(text), _SIGNIFICANT.search(_NOT_SIGNIFICANT.sub(" ", text))
    if words[0] or words[1]:
        return "" if all(words) else "not significant" if words[0] else "significant"
    found = quantities(text)
    # (value, whether it is an upper bound: "P < .001")
    p_values = [
        (float(q.value), bool(re.search("[<≤]|&lt;", q.text))) for q in found if q.kind == "p"
    ]
    if p_values:
        if all(v < 0.05 or upper and v <= 0.05 for v, upper in p_values):
            return "significant"
        return "not significant" if all(v >= 0.05 and not upper for v, upper in p_values) else ""
    ratios = [q for q in found if q.kind == "hr"]
    bounds = [float(q.value) for q in found if q.kind == "ci" and q.bound == "range"]
    if len(ratios) == 1 and len(bounds) == 2:
        return "not significant" if bounds[0] <= 1.0 <= bounds[1] else "significant"
    return ""


_DOWN = re.compile(
    r"\b(?:reduc\w*|lower\w*|decreas\w*|less\s+(?:frequent|common|often|likely)|fewer)\b", re.I
)
_UP = re.compile(
    r"\b(?:increas\w*|rais\w*|rose|higher|more\s+(?:frequent|common|often|likely))\b", re.I
)
# A negation of the effect itself, not of a word near it ("patients who had not received
# prior therapy", "no new safety signals" deny nothing of the effect).
_EFFECT_DENIED = re.compile(
    r"\b(?:did|does|do|was|were|is|are|has|have|had|could|can|will)\s+not\s+(?:\w+ly\s+)?"
    r"(?:improv|reduc|prolong|lengthen|extend|lower|decreas|increas|rais|shorten|benefit)\w*|"
    r"\bno\s+(?:(?:statistically\s+)?significant\s+)?"
    r"(?:improvement|reduction|difference|benefit|increase|decrease)\b|\bfailed\s+to\b",
    re.I,
)
_DIRECTION_CLAUSE = re.compile(r",?\s+\b(?:but|whereas|while|although)\b|;\s+(?![^()]*\))")
_BETTER = re.compile(r"\b(?:improv\w*|prolong\w*|lengthen\w*|extend\w*)\b", re.I)


def _direction_contradicted(claim: str, sentence: str) -> str:
    """What the passage's significant ratio shows where the claim says the opposite: "less
    frequent (RR 1.27; 95% CI, 1.09 to 1.48)", or "did not improve PFS" where HR 0.62 has a
    CI below 1. Risk and odds ratios are read both ways; a hazard ratio only for a claim that
    the treatment did not improve or reduce (an "increased PFS" has a hazard ratio below 1)."""
    ratios = [q for q in quantities(claim) if q.kind == "hr"]
    if len(ratios) != 1:
        return ""
    ratio = ratios[0]
    parts = [p for p in _parts(sentence) if ratio.key in _value_keys(p)]
    if not parts or significance(parts[0]) != "significant":
        return ""
    # only the clause that gives the ratio: "improved PFS (HR 0.62) but did not improve OS"
    clause = next(
        (c for c in _DIRECTION_CLAUSE.split(claim) if ratio.text in c), claim[: ratio.end]
    )
    if re.search(r"\bthan\b", clause, re.I):
        return ""  # "less frequent with A than with B": which arm the ratio is for is unclear
    value, negated = float(ratio.value), bool(_EFFECT_DENIED.search(clause))
    # "grade 3 or higher", "no more than": bounds, not directions
    words = _BOUND_PHRASE.sub(
        " ", re.sub(r"\b(?:or|and)\s+(?:higher|more|lower|less|fewer)\b", " ", clause)
    )
    down, up = bool(_DOWN.search(words)), bool(_UP.search(words))
    if down == up and not (negated and _BETTER.search(words)):
        return ""
    if ratio.unit in ("RR", "OR") and not negated:
        if down and value > 1:
            return f"a significant increase ({ratio.text.strip()})"
        if up and value < 1:
            return f"a significant decrease ({ratio.text.strip()})"
    if negated and value < 1 and (down or _BETTER.search(words)):
        return f"a significant effect ({ratio.text.strip()})"
    return ""


# A relative clause's own verb, right before its negation: "who do not", "who are not".
_RELATIVE = re.compile(
    r"\b(?:who|whom|that|which)\s+(?:(?:are|is|were|was|have|has|had)\s+)?(?:been\s+)?$|"
    # "patients whose disease does not respond"
    r"\bwhose\s+[\w-]+\s+$",
    re.I,
)
# A recommendation's strength named in words: "(conditional recommendation; low-quality …)".
_NAMED_STRENGTH = re.compile(r"\b(strong|weak|conditional)\s+recommendation\b(?!\s+against)", re.I)
# "is recommended", "recommends": a stance in words, which a named strength does not override
_RECOMMENDED = re.compile(r"\b(?:is|are|be)\s+(?:strongly\s+)?recommended\b|\brecommends?\b", re.I)
# A clause about what the clause before it is about: "…, but it is not required"
_BACK_REFERENCE = re.compile(
    r"\s*(?:(?:but|and|although|though|yet|while)\s+)?(?:it|they)\b(?!\s+\w+ing\b)", re.I
)
_NEED_WORDS = frozenset(tokenize("required necessary needed mandatory optional"))
# Words that give a stance, not what it is about.
_STANCE_WORDS = frozenset(
    tokenize("recommended recommend should avoided avoid considered consider offered offer not may")
)
# A clause that states a case, not advice: "If X cannot be used, …", "Where Y is not given, …".
_CONDITION = re.compile(r"\s*(?:if|unless|where|when|whenever|in case)\b", re.I)
# A condition right before a denial: "if it does not prolong", "provided that it does not"; a
# "do not" only after a plural subject ("if they do not tolerate it", not the advice in "If
# pregnant do not use methotrexate")
_IF = r"\b(?:if|provided(?:\s+that)?|as\s+long\s+as|so\s+long\s+as)\s+"
_IF_NOT = re.compile(rf"{_IF}(?:[\w-]+\s+){{0,2}}$", re.I)
_IF_THEY_NOT = re.compile(
    rf"{_IF}(?:[\w-]+\s+)?(?:they|you|we|patients|women|men|people|children|adults)\s+$", re.I
)


# A recommendation to refrain: "should be advised to avoid", "is recommended not to" (not "should
# be used to avoid relapse", a purpose).
_ADVISING = r"(?:advised|advise|counsell?ed|told|instructed|encouraged|asked|reminded)"
_ADVISED_AGAINST = re.compile(
    rf"\s+(?:(?:be\s+)?(?P<verb>{_ADVISING})\s+)?(?:to\s+avoid|to\s+not|(?P<not>not\s+to))\b",
    re.I,
)


# "should be advised whether or not to continue": a choice, no advice against
_WHETHER = re.compile(r"\s+(?:\w+\s+){0,2}?whether\s+or\s+not\b", re.I)
# A refraining advised against: "should not be advised to avoid", "need not be told to avoid"
_NOT_ADVISED = re.compile(rf"\b(?:not|no need to)\s+(?:be\s+)?{_ADVISING}\s+(?:to\s+)?$", re.I)
# "Patients need not avoid grapefruit", "do not need to avoid", "no need to avoid": the
# opposite of advice to avoid it
_NEED_NOT = re.compile(
    r"\b(?:need\s+not|(?:do|does|did)\s+not\s+need\s+to|no\s+need\s+to|not\s+necessary\s+to)"
    r"\s+(?:be\s+)?$",
    re.I,
)


def _advised_against(advice: re.Match[str], text: str) -> bool:
    """Whether the advice ``advice`` matched is advice to refrain from what follows it."""
    after = _ADVISED_AGAINST.match(text, advice.end())
    return bool(
        after
        and (
            after.group("not")
            or after.group("verb")
            or re.search(rf"\b{_ADVISING}$", advice.group(0), re.I)
        )
    )


def stances(text: str) -> list[str]:
    """The recommendation stances a statement takes, in order: for, conditional, against,
    insufficient."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _STANCES:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            relative = _RELATIVE.search(text, max(0, match.start() - 30), match.start())
            if relative and re.match(
                # "a regimen that is not recommended" is advice; "CRS that does not improve",
                # "patients who are not given" describe
                r"(?:cannot|do|does|did)\b"
                if relative.group(0).lower().startswith(("that", "which", "whose"))
                else r"(?:not|cannot|do|does|did)\b",
                match.group(0),
                re.I,
            ):
                # "patients who do not receive neoadjuvant chemotherapy", "those who are not
                # given", "CRS that does not improve": who the advice is for, not the advice
                # ("patients who progress should not receive" is advice)
                continue
            if match.group(0).lower() == "contraindicated" and re.search(
                r"\b(?:unless|if\s+not|where\s+not|when\s+not)\s+(?:(?:it|they|this|otherwise)\s+)?"
                r"(?:is\s+|are\s+)?$",
                text[: match.start()],
                re.I,
            ):
                continue  # "unless contraindicated": the usual proviso, no advice against
            if (
                name == "for"
                and _advised_against(match, text)
                and not _WHETHER.match(text, match.end())
            ):
                continue  # "should be advised to avoid": the advice is the avoiding
            if name == "against" and (
                _NOT_ADVISED.search(text, 0, match.start())
                or (
                    match.group(0).lower().startswith("avoid")
                    and _NEED_NOT.search(text, 0, match.start())
                )
            ):
                # "need not be advised to avoid X": no advice against X, the opposite
                found.append((match.start(), "for"))
                continue
            if _CONDITION.match(re.split(r"[,;:]", text[: match.start()])[-1]) and re.match(
                r"[^.;:]*?,", text[match.end() :]
            ):
                continue  # "If ZV-pembrolizumab cannot be used, …": the case, not the advice
            said = match.group(0).lower()
            if (
                name == "against"
                and not said.startswith("avoid")  # "If possible avoid X" is advice
                and (_IF_THEY_NOT if re.match(r"do\s+not\b", said) else _IF_NOT).search(
                    text, max(0, match.start() - 60), match.start()
                )
            ):
                # "may be given if it does not prolong the OTT", "if cisplatin cannot be
                # given": a condition, not advice
                continue
            found.append((match.start(), name))
    ordered = [name for _, name in sorted(found)]
    return [s for i, s in enumerate(ordered) if i == 0 or ordered[i - 1] != s]


# NICE words its strength in the verb a recommendation starts with: "Offer" and "Do not offer"
# for a strong recommendation, "Consider" for a conditional one; a restatement may quote the
# verb ("a strong ('Offer') recommendation").
_NICE_VERB = re.compile(r"^\W*(?:\d+(?:\.\d+){1,3}\.?\s+)?(?P<v>Offer|Do not offer|Consider)\b")
_NICE_QUOTED = re.compile(r"\(\s*['\"‘“]?(?P<v>Offer|Do not offer|Consider)['\"’”]?\s*\)")


def grades(text: str) -> set[str]:
    """Recommendation grades and evidence levels named in ``text``, each with what it grades:
    ``grade A`` → ``grade A``; ``[II, B]``, ``(IIB)``, ``Level II, grade B`` → ``level II``,
    ``grade B``; ``strong recommendation, moderate-quality evidence`` → ``strength strong``,
    ``quality moderate``."""
    out = set()
    for m in _GRADE.finditer(text):
        kind = m.group("t").lower()
        value = m.group("g").upper()
        if kind == "grade" and value[0] in "123" and len(value) == 1:
            continue  # "grade 3" is a toxicity grade
        out.add(f"{'grade' if kind == 'grade' and value[0] in 'ABCDE' else kind} {value}")
    for m in _GRADE_PAIR.finditer(text):
        out |= {f"level {m.group('l')}", f"grade {m.group('g')}"}
    for m in _STRENGTH.finditer(text):
        strength = m.group("s") or m.group("s2") or m.group("s3") or m.group("s4") or m.group("s5")
        if strength:
            strength = strength.lower()
            out.add(f"strength {'weak' if strength == 'conditional' else strength}")
        else:
            quality = (m.group("q") or m.group("q2") or m.group("q3") or m.group("q4")).lower()
            out.add(f"quality {'moderate' if quality == 'intermediate' else quality}")
    verbs = [m.group("v") for m in _NICE_QUOTED.finditer(text)]
    if opening := _NICE_VERB.match(text):
        verbs.append(opening.group("v"))
    out |= {f"strength {'weak' if v == 'Consider' else 'strong'}" for v in verbs}
    return out


# where a table cell ends: at the next cell, or at the row's end (a row may end with a
# reference marker and a full stop)
_CELL_END = r"(?=\s*(?:\||(?:\[[\d,\s–-]+\]\s*)*(?:\.\s*)?$))"
# A table cell under a column headed in percent ("Lenvatinib, any grade (%): 26.6",
# "Grade ≥ 3, %: 7.2"): its number, alone in the cell, is a percentage, and the header is
# read without its "(%)" so that it names the arm as "Lenvatinib: 26.6%" would. Counts and
# differences are left alone: "n (%)", "No. (%)", "Patients with event (%)" and "Risk
# difference (95% CI), %" headers, "45/118 (38.1)", "45 of 118".
_PERCENT_CELL = re.compile(
    r"(?P<label>(?:^|(?<=\|))[^|:]*?)(?:\s*\(%\)|,\s*%|\s+in %)\s*:\s*(?P<v>\d+(?:\.\d+)?)"
    + _CELL_END,
    re.M,
)
_NO_RATE = re.compile(
    r"\b(?:n(?!\s*=)|no\.|number|patients|events|difference|change|delta|reduction|increase|"
    # a column in months is no rate; a landmark rate ("12-month OS rate (%)") is
    r"(?<!-)(?:months?|years?|weeks?|days?)|ratio|CI)(?!\w)",
    re.I,
)
# A percentage cell whose label names its arm and then its column ("Placebo, grade ≥3:
# 0.8%"): the label is read whole, so that the arm stays with the value. Only a column that
# says which events it counts; "Velantinib, placebo: 41%" names two arms and is left alone.
_LABELLED_PERCENT = re.compile(
    r"(?P<lead>(?:^|\|)\s*)(?P<arm>[^|:,]+?),\s*"
    r"(?P<col>(?:any|all|grade|serious|overall|treatment|immune)[^|:,]*?:\s*\d+(?:\.\d+)?%)"
    + _CELL_END,
    re.M | re.I,
)


# A bare number in a column whose header gives its unit ("Total dose (Gy): 70", "Duration
# (weeks): 6.5", "Fractions: 35"): the cell read with its unit, as a sentence would give it.
# The column's footnote marker may follow its unit ("Recommended Dosage (mg)^a: 80 twice
# daily"), and a dose may be followed by how often it is given.
_UNIT_CELL = re.compile(
    r"(?P<label>(?:^|(?<=\|))[^|:()]*?)\s*\((?P<u>Gy|cGy|Gy/fraction|weeks?|months?|days?|years?|"
    r"hours?|mg/m2/day|mg/m²/day|mg/m2|mg/m²|mg/kg/day|mg/kg|mg/day|mg|µg|mcg|mL/min|mL|cm|mm|"
    r"cm³|U/mL|ng/mL)\)(?P<mark>\^[a-z]\b|[*†‡§]+)?\s*:\s*(?P<v>\d+(?:\.\d+)?)"
    r"(?P<often>\s+(?:once|twice|three times|four times)\s+(?:daily|a day|weekly)[*†‡§]*)?"
    + _CELL_END,
    re.M,
)
# A count with its share in brackets in a row or column given as "n (%)" ("ORR, n (%) | Drug:
# 225 (93.4)"): the bracketed number is a percentage.
_COUNT_SHARE = re.compile(r"\bn\s*\(%\)", re.I)
# The share is read first, right after its column's arm: "Rituximab: 85.3% (203)".
_COUNT_CELL = re.compile(r"(?P<lead>:\s*)(?P<n>\d[\d,]*)\s*\((?P<v>\d+(?:\.\d+)?)\)")
_FRACTIONS_CELL = re.compile(
    r"(?P<label>(?:^|(?<=\|))\s*(?:(?:number|no\.)\s+of\s+)?fractions)\s*:\s*(?P<v>\d+)"
    + _CELL_END,
    re.M | re.I,
)


# A toxicity grade alone in a "Grade" or "Severity" column ("Grade: 4, or febrile
# neutropenia", "Grade: 3–4", "Grade: 2 or 3"): the cell says "grade 4", "grade 3–4".
_GRADE_CELL = re.compile(
    r"(?P<lead>(?:^|\|)\s*(?:CTCAE\s+)?(?:grade|severity)\s*:\s*)"
    r"(?P<v>[1-5](?:\s*(?:–|-|to|or)\s*[1-5](?!\s*×))?)"
    r"(?=\s*(?:\||$|,|\bor\b))",
    re.M | re.I,
)


# A table row whose label says "(95% CI)" gives each estimate with its interval in brackets,
# as drug labels print them: "Hazard ratio (95% CI) | Drug: 0.42 (0.28, 0.63)", "Median PFS,
# months (95% CI) | Placebo: 33.7 (28.1, 41.0)", "ORR, n (%) (95% CI) | Drug: 225 (93.4) (89.4,
# 96.2)".
_CI_LABEL = re.compile(r"\(\s*95\s*%\s*CI\s*\)", re.I)
_NUMBER = r"\d+(?:\.\d+)?"
_CI_CELL = re.compile(
    rf"(?P<lead>:\s*)(?:(?P<v>{_NUMBER}%?|NR|NE)(?P<share>\s*\({_NUMBER}%?\))?\s*)?"
    rf"\(\s*(?P<a>{_NUMBER})\s*(?:,|–|-|to)\s*"
    rf"(?P<b>{_NUMBER})\s*\)" + _CELL_END
)


_RATIO_WORDS = re.compile(r"\bhazard\s+ratio\b|\bHR\b", re.I)


def _interval_cells(line: str) -> str:
    """A row's "0.42 (0.28, 0.63)" cells under a "(95% CI)" label written as a sentence gives
    them: "HR 0.42 (95% CI, 0.28–0.63)", with the label's "months" after a median."""
    label = line.split("|")[0]
    # the "(95% CI)" may label the row or only a column ("| HR (95% CI): 0.61 (0.42–0.88)")
    of_row = bool(_CI_LABEL.search(label))
    if not of_row and not _CI_LABEL.search(line):
        return line

    def written(m: re.Match[str]) -> str:
        column = line[: m.start()].rsplit("|", 1)[-1]
        if not of_row and not _CI_LABEL.search(column):
            return m.group(0)
        named = label if of_row else column
        ratio = "HR " if _RATIO_WORDS.search(named) else ""
        unit = " months" if re.search(r"\bmonths\b", named, re.I) else ""
        if _RATIO_WORDS.search(column):
            # a hazard ratio column in a row of medians: "HR (95% CI): 0.70 (0.55, 0.89)"
            return (
                f"{m.group('lead')}HR {m.group('v') or ''} (95% CI, {m.group('a')}–{m.group('b')})"
            )
        if m.group("v") in ("NR", "NE"):
            # "NR (55, 79)": a median not reached, with its interval
            return f"{m.group('lead')}not reached (95% CI, {m.group('a')}–{m.group('b')})"
        share = m.group("share") or ""
        interval = f"(95% CI, {m.group('a')}–{m.group('b')})"
        if m.group("v") and m.group("v").endswith("%"):
            # "93.4% (225)": the interval is the share's, right after it, then the count
            return f"{m.group('lead')}{m.group('v')} {interval}{share}"
        value = f"{ratio}{m.group('v')}{unit}{share} " if m.group("v") else ""
        return f"{m.group('lead')}{value}{interval}"

    return _CI_CELL.sub(written, line)


# An arm's column header with its size ("Drug (N = 240) All Grades: 26%"): the size is left out
# of the reading, so that no count stands between the arm and its values and no arm's size is
# read as another arm's denominator.
_ARM_SIZE = re.compile(
    r"(?P<lead>(?:^|\|)\s*)(?P<arm>[^|:()]+?)\s*\(\s*N\s*=\s*(?P<n>\d[\d,]*)\s*\)"
    r"(?P<rest>[^|:]*?):\s*(?P<cell>[^|]*?)(?P<end>\s*)(?=\||$)",
    re.I,
)


def _without_arm_sizes(line: str) -> str:
    """A table row's cells without their column's "(N = 240)"."""
    if "|" not in line:
        return line
    return _ARM_SIZE.sub(
        lambda m: (
            f"{m.group('lead')}{m.group('arm')}{m.group('rest')}: {m.group('cell')}"
            + m.group("end")
        ),
        line,
    )


def _cell_units(text: str) -> str:
    """Table cells read with the unit their column gives: "(%)" columns as percentages (not
    counts, differences or columns in time), "(Gy)", "(weeks)", "(mg/m2)" … and "Fractions"
    columns with theirs, a bare number under "Grade" as that toxicity grade."""

    def percent(match: re.Match[str]) -> str:
        if _NO_RATE.search(match.group("label")):
            return match.group(0)
        return f"{match.group('label')}: {match.group('v')}%"

    text = _PERCENT_CELL.sub(percent, text)
    text = "\n".join(
        _interval_cells(
            _COUNT_CELL.sub(r"\g<lead>\g<v>% (\g<n>)", line) if _COUNT_SHARE.search(line) else line
        )
        for line in text.split("\n")
    )
    text = _UNIT_CELL.sub(
        lambda m: (
            f"{m.group('label')}{m.group('mark') or ''}: {m.group('v')} {m.group('u')}"
            + (m.group("often") or "")
        ),
        text,
    )
    text = _FRACTIONS_CELL.sub(lambda m: f"{m.group('label')}: {m.group('v')} fractions", text)
    text = _GRADE_CELL.sub(lambda m: f"{m.group('lead')}grade {m.group('v')}", text)
    text = _LABELLED_PERCENT.sub(
        lambda m: f"{m.group('lead')}{m.group('arm')} {m.group('col')}", text
    )
    return "\n".join(_without_arm_sizes(line) for line in text.split("\n"))


def _as_read(text: str, defined: dict[str, str], drugs_of: dict[str, frozenset[str]]) -> str:
    """A claim or a passage sentence as its values are read, the one as the other: percent
    table cells written out, defined terms and regimens abbreviated."""
    return contract_regimens(contract(_cell_units(text), defined), drugs_of)


# ASCO's grading stands on its own lines under the recommendation: "Type: evidence based,
# benefits outweigh harms; Evidence quality: moderate; Strength of recommendation: strong".
_GRADING_LINE = re.compile(
    r"^\W*(?:type|evidence quality|quality of evidence|strength of recommendation)\s*:", re.I
)


_QUALIFYING = re.compile(r"^\W*(?:qualifying statement|note)\s*:", re.I)


def _graded_below(flat: Sequence[tuple[int, str]], row: int) -> set[str]:
    """The grades of the grading lines right after sentence ``row`` of the same passage."""
    out: set[str] = set()
    rank = flat[row][0]
    for next_rank, sentence in flat[row + 1 : row + 6]:
        if next_rank != rank:
            break
        if _QUALIFYING.match(sentence) and not out:
            continue  # "Qualifying statement: …" may stand between them
        if not _GRADING_LINE.match(sentence):
            break
        out |= grades(sentence)
    return out


# How a guideline ranks the regimens it recommends: "preferred", "other recommended", "useful
# in certain circumstances" (not "preferred over X", a comparison).
_TIERS = (
    ("other recommended", re.compile(r"\b(?:other|another)\s+recommended\b", re.I)),
    (
        "useful in certain circumstances",
        re.compile(r"\buseful\s+in\s+(?:certain|some|selected)\s+circumstances\b", re.I),
    ),
    ("preferred", re.compile(r"\bpreferred\b(?!\s+(?:over|to|rather|than)\b)", re.I)),
)


_LIST_NOUN = re.compile(
    r"\b(?:regimens|options|therapies|treatments|agents|circumstances|settings)\b|:\s*$", re.I
)


def _list_heading(sentence: str) -> bool:
    """Whether a line heads a list: a few words, no value, no brackets ("Third-line options")."""
    return (
        len(sentence.split()) <= 6
        and not re.search(r"[\d(.]", sentence)
        # not a short item of the list ("Capecitabine monotherapy")
        and bool(tier(sentence) or _LIST_NOUN.search(sentence))
    )


def _tier_above(flat: Sequence[tuple[int, str]], row: int) -> str:
    """The rank named by the heading of the list that sentence ``row`` is an item of
    ("Preferred regimens", then "- FOLFIRINOX (category 1)"), or ""."""
    rank = flat[row][0]
    for earlier_rank, sentence in reversed(flat[max(0, row - 8) : row]):
        if earlier_rank != rank or sentence.rstrip().endswith("."):
            break
        if _list_heading(sentence):
            return tier(sentence)  # the nearest heading, whether it names a rank or not
    return ""


_RANK_WORDS = frozenset(
    tokenize("other recommended preferred useful certain circumstances category grade level")
)


def _tier_differs(
    claim: str, row: int, rows: list[int], flat: Sequence[tuple[int, str]]
) -> tuple[int, str, str] | None:
    """(rank, sentence, its rank among regimens) where the claim gives the regimen another
    rank: the list item whose every word the claim names ("ORVIFOX (category 2A)" under "Other
    recommended regimens"), else the sentence the claim matches best; or None."""
    claimed = tier(claim)
    if not claimed or len(_segments(claim)) > 1:
        return None
    words = _content(claim)
    values = _measured(claim)
    # an item's footnote letter ("ORVIFOX (category 2A)^e") and its rank and category are no
    # words the claim must repeat; an item that shares none of the claim's measured values
    # ("60 Gy in 40 fractions" where the claim gives 45 Gy in 30) is another item in the same
    # words
    named = [
        i
        for i in rows
        if (own := _content(_FOOTNOTE_MARK.sub(" ", flat[i][1])) - _REGIMEN_WORDS - _RANK_WORDS)
        and own <= words
        and not _list_heading(flat[i][1])
        and not (values and (theirs := _measured(flat[i][1])) and not theirs & values)
    ]
    # only an item that is ranked, itself or by its list's heading, ranks the regimen (not a
    # condition listed above it, "No bevacizumab in first line")
    ranked = [i for i in named if tier(flat[i][1]) or _tier_above(flat, i)]
    if not ranked and values:
        # no item in the claim's words: the ranked item that gives the claim's values ("66 Gy
        # in 33 fractions is preferred" where "Other recommended (category 2A): 66 Gy in 33
        # once-daily fractions …")
        shared = {i: len(_measured(flat[i][1]) & values) for i in rows}
        ranked = [
            i
            for i in rows
            if shared[i] >= min(2, len(values))
            and (tier(flat[i][1]) or _tier_above(flat, i))
            and not _list_heading(flat[i][1])
        ]
        top = max((shared[i] for i in ranked), default=0)
        ranked = [i for i in ranked if shared[i] == top]
    best = max(ranked, key=lambda i: len(_content(flat[i][1])), default=row)
    found = tier(flat[best][1]) or _tier_above(flat, best)
    if not found or found == claimed:
        return None
    return flat[best][0], flat[best][1], found


def _measured(text: str) -> frozenset[tuple[str, str]]:
    """The values that tell one regimen from another: doses, counts, durations (not grades,
    nor a schedule such as "twice daily" that several items share)."""
    return frozenset(
        k for k in _value_keys(text) if k[1] != "label" and not k[1].startswith("per ")
    )


def tier(text: str) -> str:
    """The rank a statement gives a regimen among those recommended, or ""; a statement that
    names two ranks ranks nothing alone."""
    found = [name for name, pattern in _TIERS if pattern.search(text)]
    return found[0] if len(found) == 1 else ""


_SEGMENT = re.compile(r"[;,]\s+(?=(?:with|and|whereas|while|but|or)\b)|;\s+", re.I)


def _several_of_a_system(found: set[str]) -> bool:
    """Whether grades of one system are named twice ("category 1", "category 2B"); "[I, A]"
    names one level and one grade."""
    systems = [g.split()[0] for g in found if " " in g]
    return len(systems) > len(set(systems))


def _grade_mentions(text: str) -> bool:
    """Whether a claim names grades of one system twice or more, alike or not ("(category 1),
    with … as a category 1 choice")."""
    systems = [m.group("t").lower() for m in _GRADE.finditer(text)]
    return len(systems) > len(set(systems))


def _segments(claim: str) -> list[str]:
    return [p for p in _SEGMENT.split(claim) if p.strip()]


def _segment_grades(
    claim: str, sentences: list[tuple[int, str]]
) -> tuple[int, str, set[str], set[str]] | None:
    """The first clause of a claim naming several grades whose grade differs from the graded
    sentence it shares most words with: (rank, sentence, its grades, the clause's grades)."""
    graded = [(r, s, found) for r, s in sentences if (found := grades(s))]
    for segment in _segments(claim):
        mine = grades(segment)
        if not mine:
            continue
        words = _content(segment) - _RANK_WORDS
        if _several_of_a_system(mine) or _grade_mentions(segment):
            # a clause naming two grades itself: each grade against the list item named just
            # before it ("FOLFIRINOX (category 1) and gemcitabine plus capecitabine (category
            # 2A)"); an item that gives both grades itself gives them both ("… Category 1 if
            # BRCA-mutated and Category 2A if wild-type")
            start = 0
            for mention in _GRADE.finditer(segment):
                piece = segment[start : mention.end()]
                start = mention.end()
                said = _content(piece) - _RANK_WORDS
                items = [g for g in graded if (own := _content(g[1]) - _RANK_WORDS) and own <= said]
                given = set().union(*(g[2] for g in items)) if items else set()
                if items and grades_differ(grades(piece), given):
                    return items[0][0], items[0][1], given, grades(piece)
            continue
        rank, sentence, theirs = max(graded, key=lambda g: len(words & _content(g[1])))
        if grades_differ(mine, theirs):
            return rank, sentence, theirs, mine
    return None


def grades_differ(claim: set[str], passage: set[str]) -> bool:
    """Whether a claim gives another grade, level or strength than the passage, for a kind of
    grading both name (a claim may give only the grade of a '[I, A]' recommendation)."""
    kinds = {g.split()[0] for g in claim} & {g.split()[0] for g in passage}
    return any(
        {g for g in claim if g.split()[0] == k} != {g for g in passage if g.split()[0] == k}
        for k in kinds
    )


# A sentence that gives two recommendations ("... [II, B], and olaparib ... [I, A]"; "X is not
# recommended, but Y should be used"): each part has its own grade and stance.
_PART_END = re.compile(
    r"[,;]\s*(?:but|whereas|while|although|however)\b|;\s|"
    r"\s+but\s+(?=not\b|(?:did|does|do|was|were|is|are|has|have|had)\s+not\b)",
    re.I,
)
_GRADE_BRACKET = re.compile(
    r"\[[^\[\]]*\]|\([^()]*(?:grade|level|recommendation|evidence)[^()]*\)", re.I
)


def _parts(sentence: str) -> list[str]:
    """The parts of a sentence that each carry a recommendation: split after each grade
    bracket that more text follows, and at ', but', ', whereas' and semicolons."""
    pieces, start = [], 0
    for match in _GRADE_BRACKET.finditer(sentence):
        if sentence[match.end() :].strip(" .;,"):
            pieces.append(sentence[start : match.end()])
            start = match.end()
    pieces.append(sentence[start:])
    return [p for piece in pieces for p in _split_outside_brackets(piece) if p and p.strip()]


def _split_outside_brackets(text: str) -> list[str]:
    """``text`` split at ``_PART_END`` where no bracket is open: "(HR, 0.73; 95% CI …)" stays
    whole."""
    depth, marks = 0, [0] * (len(text) + 1)
    for i, char in enumerate(text):
        depth += char in "([{"
        depth -= char in ")]}" and depth > 0
        marks[i + 1] = depth
    out, start = [], 0
    for match in _PART_END.finditer(text):
        if marks[match.start()] == 0:
            out.append(text[start : match.start()])
            start = match.end()
    out.append(text[start:])
    return out


# What a passage denies: "do not benefit from", "did not improve", "no benefit".
_DENIAL = re.compile(
    r"\b(?:do|does|did|is|are|was|were|has|have|had|could|can|will)\s+not\s+(?:\w+ly\s+)?"
    r"(?P<verb>[a-z]{4,})|\bno\s+(?P<noun>benefit|improvement|advantage|effect|difference)\b",
    re.I,
)
_NOT_DENIED = frozenset({"been", "have", "need", "require", "recommended", "given", "used"})


def _endpoints_named(text: str) -> set[str]:
    return {(m.lastgroup or "").rstrip("0123456789") for m in _ENDPOINT.finditer(text)}


def _denied(claim: str, sentence: str) -> bool:
    """Whether the passage denies what the claim asserts: the passage says its subject does not
    benefit, improve or respond, and the claim says the same word with no negation ("dMMR
    tumours benefit from fluoropyrimidine" against "dMMR tumours do not benefit from ...")."""
    if _negations(claim) or re.search(r"\bwithout\b|n't\b", claim, re.I):
        return False
    said, denied = _endpoints_named(claim), _endpoints_named(sentence)
    if said and denied and not said & denied:
        return False  # "improved DFS" is not denied by "did not improve OS"
    claim_terms = set(tokenize(claim))
    # "patients who are not candidates for ASCT" describes them; it denies nothing
    # (nor is an estimate "not reached": a median, not a denial)
    for match in _DENIAL.finditer(_NO_ESTIMATE.sub(" ", _GROUP_QUALIFIER.sub(" ", sentence))):
        word = (match.group("verb") or match.group("noun")).lower()
        if word in _NOT_DENIED:
            continue  # recommendation words are the stances' business
        if set(tokenize(word)) & claim_terms:
            return True
    return False


# "A is preferred over B": which option comes first.
_PREFERENCE = re.compile(
    r"(?P<a>[^,;:.]{3,80}?)\s+(?:is|are|was|were|remains?)\s+(?:generally\s+|usually\s+)?"
    r"(?:preferred|favou?red|superior)\s+(?:over|to)\s+(?P<b>[^,;.()\[]{3,80})",
    re.I,
)


def _preference(text: str) -> tuple[frozenset[str], frozenset[str]] | None:
    match = _PREFERENCE.search(text)
    if not match:
        return None
    a, b = (frozenset(content_words(match.group(g))) for g in ("a", "b"))
    return a - b, b - a


def _preference_reversed(claim: str, sentence: str) -> bool:
    """Whether the claim prefers what the passage puts second ("BRAF plus MEK inhibitors are
    preferred over immunotherapy" against "immunotherapy is preferred over BRAF plus MEK")."""
    said, source = _preference(claim), _preference(sentence)
    if not said or not source:
        return False
    (a, b), (first, second) = said, source
    return bool(a & second and b & first) and not (a & first and b & second)


@functools.lru_cache(maxsize=4096)
def _bounded(text: str) -> frozenset[tuple[tuple[str, str], str]]:
    return frozenset((q.key, q.bound) for q in quantities(text) if q.bound in ("min", "max"))


def _copied(claim: str, sentence: str) -> bool:
    """Whether ``claim`` is ``sentence`` copied, whole or nearly (four fifths of it or more)."""
    said = " ".join(claim.split()).rstrip(" .").lower()
    given = " ".join(sentence.split()).rstrip(" .").lower()
    if not said or said not in given or len(said) < 0.8 * len(given):
        return False
    # "No dose adjustments are recommended …" copied without its "No" says the opposite
    return not re.search(r"\b(?:no|not|never)\W*$", given[: given.index(said)])


def _same_bounds(
    claim: str, rows: list[int], row: int, flat: Sequence[tuple[int, str]], scores: list[float]
) -> int:
    """The sentence a claim with a threshold restates: where the best-matching sentence gives
    the claim's threshold the other way round ("CPS ≥1" for a claim about "CPS <1") and a
    sentence that matches nearly as well gives it the claim's way, that one."""
    said, given = _bounded(claim), _bounded(flat[row][1])
    keys = {key for key, _ in said}
    if said <= given or not any(key in keys and (key, b) not in said for key, b in given):
        return row
    others = [i for i in rows if said <= _bounded(flat[i][1]) and scores[i] >= scores[row] - 0.1]
    return max(others, key=lambda i: scores[i]) if others else row


# A range of toxicity grades, in prose or a "Grade" cell: "grade 3–4", "Grade: 1–2", "grades 3
# to 4", "grade 3 or 4" (not "grade 3 in 4%").
_GRADE_RANGE = re.compile(
    r"\bgrades?\s*:?\s*([1-5])\s*(?:–|-|to|or)\s*([1-5])\b(?!\s*(?:%|\.\d))", re.I
)


def _grade_range_differs(claim: str, texts: Sequence[str]) -> str:
    """Where the claim gives a range of grades whose lower grade the passage starts a range
    with, but ends it elsewhere ("grade 1–3" where the row says "Grade: 1–2"): values read one
    grade at a time match only the lower grade, so the upper one is compared here."""
    given = {(a, b) for text in texts for a, b in _GRADE_RANGE.findall(text) if a < b}
    for low, high in _GRADE_RANGE.findall(claim):
        ends = {b for a, b in given if a == low}
        if low < high and ends and high not in ends:
            return (
                f"'grade {low}–{high}' is not in the passage, which gives grade {low}–"
                f"{'/'.join(sorted(ends))}"
            )
    return ""


def _restated_whole(claim: str, sentence: str) -> bool:
    """Whether the claim restates every word of a short statement that takes a stance, and
    adds some ("travolimab is recommended as consolidation after chemoradiotherapy in
    limited-stage disease" of "There is insufficient evidence to recommend travolimab as
    consolidation in limited-stage disease"): it is judged on that statement's stance however
    much it adds."""
    own = _content(sentence) - _STANCE_WORDS - _STANCE_FILLER
    return (
        3 <= len(own) <= 8
        and own <= _content(claim)
        and bool(stances(sentence))
        and not _value_keys(sentence) - _value_keys(claim)
    )


# words a stance is said in that a claim need not repeat
_STANCE_FILLER = frozenset(tokenize("evidence insufficient sufficient"))


@functools.lru_cache(maxsize=4096)
def _value_keys(text: str) -> frozenset[tuple[str, str]]:
    """The values of ``text`` that identify a result: every quantity but bare small numbers."""
    return frozenset(
        q.key for q in quantities(text) if q.unit or not q.value.isdigit() or int(q.value) > 10
    )


_CLAUSE_END = re.compile(r"[;:]\s|,\s*(?:and|but|whereas|while|although)\b", re.I)


def _content(text: str) -> set[str]:
    """Stemmed words of ``text`` without its numbers."""
    return {t for t in tokenize(text) if not t[0].isdigit()}


def _trials(text: str) -> set[str]:
    """Trial names in ``text`` ("PALISADE-2", "SYN-MM-52"), not markers ("CTLA-4", "PD-1")."""
    return {
        m.group(0).upper()
        for m in _TRIAL_NAME.finditer(text)
        if sum(c.isalpha() for c in m.group(0)) >= 5
    }


def _other_trial(claim: str, row: int, rows: list[int], flat: list[tuple[int, str]]) -> str:
    """The trial the sentence a claim restates is about, where the claim names another trial
    and no sentence of the passage names it; or ""."""
    mine = _trials(claim)
    theirs = _trials(flat[row][1])
    if not mine or not theirs or mine & theirs:
        return ""
    if any(mine & _trials(flat[i][1]) for i in rows):
        return ""
    return ", ".join(sorted(theirs))


# not the bound of a grade or count: "grade 3 or worse", "10 or more"
_COMPARATIVE = re.compile(
    r"(?<!\bor )\b(?:(?P<up>more|higher|greater|longer|better|increased)|"
    r"(?P<down>less|lower|fewer|shorter|worse|reduced|decreased))\b",
    re.I,
)


_RISK_WORDS = re.compile(r"\b(?:risk|hazard|odds|death|mortality)\b", re.I)


_PAIR_IN_BRACKETS = re.compile(
    r"\(\s*\d[\d.]*\s*(?:%|months?)?\s*(?:vs\.?|versus|and|,)\s*\d[\d.]*\s*(?:%|months?)\s*\)"
)


def _comparison_inconsistent(claim: str) -> str:
    """What is wrong when a claim compares two arms in words its own two values contradict:
    "more common with A than with B (26% vs 31%)"; or ""."""
    pair = _PAIR_IN_BRACKETS.search(claim)
    than = re.search(r"\bthan\b", claim)
    if not pair or not than or than.start() > pair.start():
        return ""  # only "(26% vs 31%)" after the comparison, no arm or measure inside
    found = [
        q
        for q in quantities(pair.group(0))
        if q.kind in ("percent", "duration") and not q.span and q.bound == ""
    ]
    if len(found) != 2 or found[0].unit != found[1].unit:
        return ""
    if _RISK_WORDS.search(claim):
        return ""  # "a lower risk of death … (median OS 47.5 vs 29.1 months)": two measures
    words = [
        m
        for m in _COMPARATIVE.finditer(claim[: than.start()])
        # "more than 10%" is a bound, not a comparison
        if not re.match(r"\s+than\b", claim[m.end() :])
    ]
    if len(words) != 1:
        return ""
    first, second = (float(q.value) for q in found)
    up = bool(words[0].group("up"))
    if first == second or (first > second) == up:
        return ""
    return (
        f"the claim's own values ({found[0].text.strip()} vs {found[1].text.strip()}) say the "
        f"opposite of '{words[0].group(0)}'"
    )


_ABSENCE = re.compile(
    r"\b(?:without|absent|absence|lack(?:s|ing)?|omit\w*|free of|rather than|instead of|only|"
    r"except|other than)\b",
    re.I,
)


def _short_denial(claim: str, sentences: list[tuple[int, str]]) -> tuple[int, str] | None:
    """A short sentence of the passage that denies what the claim asserts, every word of it
    in the claim: "No fluorouracil bolus is given." for "A fluorouracil bolus is given on day
    1", "Doses reduced for toxicity are not re-escalated." for "… may be re-escalated"."""
    words = _content(claim)
    values = {q.key for q in quantities(claim)}
    for rank, sentence in sentences:
        said = _content(_NEGATION.sub(" ", sentence))
        if (
            2 <= len(said) <= 8
            and said <= words
            and _negations(sentence) == 1
            # a statement, not a condition listed ("No bevacizumab in first line")
            and _VERB.search(sentence)
            # about the claim's grades and values ("not reduced for grade 2" denies nothing of
            # grade 3)
            and {q.key for q in quantities(sentence)} <= values
        ):
            return rank, sentence
    return None


def _denying_clause(claim: str, sentence: str) -> str:
    """The clause of ``sentence`` that holds three quarters or more of the claim's words and
    denies what the claim asserts, or advises against what it recommends (or the reverse);
    "" when none does."""
    words = _content(claim)
    if len(words) < 3:
        return ""
    said = set(stances(claim))
    for clause in _CLAUSE_END.split(_PARENTHESES.sub(" ", sentence)):
        if len(words & set(tokenize(clause))) < 0.75 * len(words):
            continue
        found = set(stances(clause))
        flipped = ("for" in said and "against" in found and "for" not in found) or (
            "against" in said and "for" in found and "against" not in found
        )
        if _denied(claim, clause) or flipped:
            return clause.strip()
    return ""


_CLAIM_CLAUSE = re.compile(r"[,;]\s+(?![^()]*\))")


def _cells(sentence: str) -> list[str]:
    """A sentence's parts, and a table row's cells, each as its own piece."""
    return [c for piece in _parts(sentence) for c in piece.split(" | ") if c.strip()]


def _restates_more(claim: str, part: str, sentence: str) -> bool:
    """Whether the claim restates clearly more of ``sentence`` than its ``part``."""
    mine = _content(claim)
    restated = set().union(*(_content(c) for c in _cells(sentence) if len(mine & _content(c)) >= 2))
    return len(mine & restated) - len(mine & _content(part)) >= 0.2 * max(len(mine), 1)


def _clause_negation_differs(claim: str, sentence: str) -> bool:
    """Whether a clause of the claim and the part or cell of ``sentence`` it restates best (two
    shared words or more) differ in negation."""
    cells = _cells(sentence)
    for clause in _CLAIM_CLAUSE.split(claim):
        words = _content(clause)
        if len(words) < 2:
            continue
        best = max(cells, key=lambda c: len(words & _content(c)))
        if len(words & _content(best)) >= 2 and _negations(clause) % 2 != _negations(best) % 2:
            return True
    return False


def _best_part(claim: str, sentence: str) -> str:
    """The part of ``sentence`` that the claim matches best by shared terms (the sentence
    itself when it has one part)."""
    parts = _parts(sentence)
    if len(parts) < 2:
        return sentence
    words = set(tokenize(claim))
    return max(parts, key=lambda p: len(words & set(tokenize(p))) / (1 + 0.01 * len(p)))


# Number context --------------------------------------------------------------------------

_RARE: dict[str, bool] = {}
_NOT_ENTITIES = frozenset(
    {"CI", "HR", "IV", "SC", "PO", "OR", "RR", "P", "AUC", "NA", "NR", "IU", "GBQ", "MBQ", "KBQ"}
    # endpoints are what a value measures (see ``_endpoint``), not whom it is for
    | {"OS", "PFS", "RPFS", "EFS", "DFS", "IDFS", "RFS", "MFS", "ORR", "DOR", "TTP", "DCR", "CBR"}
    # words of study design and statistics: "5 RCTs", "IQR", "NNT 12"
    | {"RCT", "NMA", "ITT", "IQR", "SD", "NNT", "NNH", "GRADE"}
)
# A name written with a hyphen is one name: "nab-paclitaxel" is not paclitaxel, "T-DXd" and
# "G-CSF" are acronyms. Other hyphenated words ("HER2-low", "pembrolizumab-containing") are
# read part by part.
_HYPHENATED = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+")
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_DRUG_PREFIX = frozenset({"nab", "peg", "lipo", "liposomal", "pegylated"})
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_ROMAN = re.compile(
    r"[IVX]+[A-C]?\d?"
)  # stage II, phase III, stage IIIA, FIGO IB3, IIIC1: not names
_TNM = re.compile(r"[TNM][0-4X][a-c]?")
# A regimen or marker written in mixed case: two capitals or more in a short word (VRd, KRd,
# IsaKd, IgG), or a capital and "d" (Rd, Pd: lenalidomide or pomalidomide with dexamethasone).
_MIXED_ACRONYM = re.compile(r"(?=(?:[a-z]*[A-Z]){2})[A-Z][A-Za-z]{1,7}|[A-Z]d")
_SCOPE_END = re.compile(r"[;:.](?!\d)\s|[;:]$")


# How a drug is given is not what a value belongs to: "dabrafenib 150 mg orally twice daily".
_ROUTES = frozenset(
    "oral orally intravenous intravenously subcutaneous subcutaneously intramuscular "
    "intramuscularly intravesical intrathecal intrathecally topical topically".split()
)


_NAME_DASH = re.compile(r"(?<=[A-Za-z0-9])[‐‑–—](?=[A-Za-z])")
_DESCRIPTOR = re.compile(
    r"(?<=[A-Za-z0-9])-(?:positive|negative|mutant|mutated|high|low|based|refractory|naive|"
    r"resistant|containing|expressing|amplified|deficient|proficient|related|associated|"
    r"treated|like|directed|targeted)\b",
    re.I,
)
# A trial's name: capitals, a hyphen and digits ("KEYNOTE-564", "MEL-ADJ-02").
# KEYNOTE-564, RENAL-ADJ-21, SOLSTICE-OV1, DESTINY-Breast04 (not PD-L1, BCR-ABL1, FGFR-TACC3)
_TRIAL_NAME = re.compile(
    r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:-(?:[A-Z][A-Za-z]*|\d+[A-Z][A-Za-z]*))*-\d+[A-Za-z]?"
    # a name of five or more letters, then letters and digits: not a fusion gene (BCR-ABL1)
    r"|[A-Z][A-Za-z]{4,}-[A-Za-z]{2,}\d+[A-Za-z]?"
)
# A trial named in capitals and letters only, the first word of four or more: LUMEN-CX,
# PORTAL-EC (not BCR-ABL, PET-CT, a regimen's FOLFOX-IV, or "Dara-VRd", which names are
# upper-cased into). Such names are kept as they are first seen written.
_LETTER_TRIAL = re.compile(
    r"[A-Z]{4,}-(?!(?:I|II|III|IV|V|VI|TKI|ADC|MAB|ICI|CAR|CTLA|MEK|PARP|CDK|ALK|HER|EGFR|VEGF)"
    r"[Ss]?\b)[A-Z]{2,4}"
)
_LETTER_TRIALS: set[str] = set()


def _is_trial(name: str) -> bool:
    """Whether ``name`` (in any case) is a trial's name."""
    upper = name.upper()
    return bool(_TRIAL_NAME.fullmatch(upper)) or upper in _LETTER_TRIALS


def _terms(text: str, embedder: Embedder) -> set[str]:
    """Specific terms in ``text``: drug, test, procedure and arm names, stemmed or upper."""
    out: set[str] = set()
    # "PD-L1–positive" and "PD-L1-positive" name PD-L1
    text = _DESCRIPTOR.sub("", _NAME_DASH.sub("-", text))
    for compound in _HYPHENATED.findall(text):
        parts = compound.split("-")
        if _LETTER_TRIAL.fullmatch(compound):
            _LETTER_TRIALS.add(compound)
        if _TRIAL_NAME.fullmatch(compound) or compound in _LETTER_TRIALS:
            out.add(compound.upper())  # RENAL-ADJ-21, KEYNOTE-564, LUMEN-CX: one name
            text = text.replace(compound, " ")
        elif parts[0].lower() in _DRUG_PREFIX and _DRUG.search(parts[-1].lower()):
            out.add(compound.lower())
            text = text.replace(compound, " ")
        elif (
            len(parts) == 2
            and all(len(part) <= 4 for part in parts)
            and sum(c.isupper() for c in compound) >= 2
            and any(c.isupper() for c in parts[-1])
            and any(c.isupper() for c in parts[0])
            and not _TNM.fullmatch(parts[0])
            # "stage I–II", "IB3–IVA", "grade II-III": a range of stages names nothing
            and not all(re.fullmatch(r"[IVX]+[A-C]?\d?", part) for part in parts)
        ):
            out.add(compound.upper())  # T-DXd, G-CSF, PD-L1
            text = text.replace(compound, " ")
        elif (
            len(parts) >= 3
            and all(len(part) <= 5 and part.isalpha() for part in parts)
            and sum(c.isupper() for c in parts[-1]) >= 2
        ):
            out.add(compound.upper())  # pola-R-CHP, R-DA-EPOCH: one regimen
            text = text.replace(compound, " ")
    for word in _WORD.findall(text):
        if len(word) >= 4 and word[0] == "m" and word[1:].isupper():
            word = word[1:]  # mFOLFOX6 is a modified FOLFOX6
        if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
            word = word[:-1]  # "TKIs" are TKI
        elif _MIXED_ACRONYM.fullmatch(word):
            word = word.upper()  # regimens written in mixed case: VRd, KRd, IsaKd, Rd
        if (
            word.isupper()
            and 2 <= len(word) <= 8
            and word not in _NOT_ENTITIES
            and not _ROMAN.fullmatch(word)
        ):
            out.add(word)
            continue
        lower = word.lower()
        if len(lower) < 5 or not lower.isalpha() or lower in _ROUTES:
            continue
        if lower not in _RARE:
            _RARE[lower] = embedder.is_rare_word(lower)
        if _RARE[lower]:
            stem = tokenize(lower)
            if stem:
                out.add(stem[0])
    return out


_ARMS = frozenset(
    "placebo control observation chemotherapy combination alone monotherapy without standard".split()
)
# Drug-name endings, as written and as stemmed ("pemetrexed" → "pemetrex", "letrozole" →
# "letrozol"): terms are compared stemmed.
_DRUG = re.compile(
    r"(?:mab|nib|lib|parib|lutamide?|terone?|platin|taxel|rubicin|stim|tant|sone?|pine?|zole?|fen|"
    r"trex(?:ed|ate?)?|citabine?|uracil|racil|gafur|parin|xaban|ciclib|tecan|mycin|vorin|"
    r"etron|prepit(?:ant)?|relin|relbine?|olimus|ronat|dron(?:ic)?|estane?|phamide?|posid[e]?|"
    # proteasome inhibitors, immunomodulators, BCL-2 and XPO1 inhibitors, alkylators,
    # nucleoside analogues: bortezomib, lenalidomide, venetoclax, melphalan, cytarabine
    r"zomib|lidomide?|clax|nexor|phalan|arabine?|mustine?|citidine?|"
    # kinase, hedgehog, PI3K and AKT inhibitors, fusion proteins, interleukins, oxazaphosphorines
    r"staurin|degib|lisib|sertib|cept|leukin|famide?|"
    # corticosteroids, antivirals, xanthine oxidase and IL-1 inhibitors, anticonvulsants:
    # methylprednisolone, aciclovir, allopurinol, anakinra, levetiracetam
    r"isolone?|inolone?|ovir|purinol|kinra|racetam)$"
)
# A hazard ratio, CI or P value belongs to the comparison of arms, not to the arm named last
# before it ("48.9 months in the placebo group (HR 0.68; ...)").
_COMPARISON_KINDS = frozenset({"hr", "ci", "ci_level", "p"})
# where the words after a value end: a clause break or the next number (not a digit right
# after a letter, inside a name: "SOLSTICE-OV1", "HER2"; "KEYNOTE-564" is still cut)
_AFTER_STOP = re.compile(
    r"[,;:]|\.(?:\s|$)|\b(?:and|or|vs|versus|but|then|plus|whereas|compared)\b|(?<![A-Za-z])\d"
)
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _entity_term(term: str) -> bool:
    """Whether ``term`` names a drug, a test (acronym) or a trial arm."""
    return term.isupper() or (term in _ARMS and term != "combination") or bool(_DRUG.search(term))


# Endpoints, spelled out or abbreviated: a value of one endpoint never supports the same value
# claimed for another ("HR 0.51" for PFS when the passage gives it for OS).
_ENDPOINTS = (
    ("dfs", r"\binvasive disease[- ]free survival\b|\bi?DFS\b|\bIDFS\b"),
    ("dfs", r"\bdisease[-‐‑–— ]free survival\b"),
    ("efs", r"\bevent[-‐‑–— ]free survival\b|\bEFS\b"),
    ("rfs", r"\b(?:recurrence|relapse)[-‐‑–— ]free survival\b|\bRFS\b"),
    ("mfs", r"\bmetastasis[-‐‑–— ]free survival\b|\bD?MFS\b"),
    (
        "pfs",
        r"\bprogression[-‐‑–— ]free survival\b|\br?PFS\b|\b(?:HR|hazard ratio) for progression\b",
    ),
    ("css", r"\b(?:cancer|disease)[- ]specific survival\b|\bCSS\b"),
    ("rfs", r"\b(?:HR|hazard ratio) for (?:relapse|recurrence)\b"),
    (
        "os",
        r"\boverall survival\b|\bOS\b|\brisk of death\b|\bsurvival rate\b|"
        r"\b(?:HR|hazard ratio) for death\b",
    ),
    ("orr", r"\b(?:objective|overall) response(?: rate)?\b|\bORR\b|\bresponse rate\b"),
    ("pcr", r"\bpathologic(?:al)? complete response\b|\bpCR\b"),
    ("dor", r"\bduration of response\b|\bDOR\b"),
    ("ttp", r"\btime to progression\b|\bTTP\b"),
)
_ENDPOINT = re.compile(
    "|".join(f"(?P<{name}{i}>{pattern})" for i, (name, pattern) in enumerate(_ENDPOINTS))
)


def _endpoint(text: str, q: Quantity) -> str:
    """The endpoint ``q`` measures: named right after it ("4-year OS", "36-month event-free
    survival"), or else nearest before it in its statement ("median OS was 23.0 months"); ""
    when none is."""
    end = q.end if q.end >= 0 else q.start + len(q.text)
    right_after = _ENDPOINT.match(text, end + len(text[end:]) - len(text[end:].lstrip()))
    if right_after and q.unit in ("year", "month", "week"):
        return (right_after.lastgroup or "").rstrip("0123456789")
    found = ""
    # "hazard ratio for relapse-free survival was 0.64": the endpoint inside its own words
    limit = q.end if q.kind == "hr" and q.end >= 0 else q.start
    for match in _ENDPOINT.finditer(text, 0, limit):
        found = (match.lastgroup or "").rstrip("0123456789")
    if (
        not found
        and q.unit in ("year", "month", "week")
        and re.search(r"\bat\s*$", text[: q.start], re.I)
    ):
        # "At 3 years, PFS was 83.1%": the time point of the endpoint named after it
        later = _ENDPOINT.search(text[end : end + 60])
        found = (later.lastgroup or "").rstrip("0123456789") if later else ""
    if not found and (group := _ROW_GROUP.search(text)):
        # a table row under the row that names its endpoint ("| (Progression-free survival)")
        heading = group.group(1).strip()
        named = _ENDPOINT.search(heading[:1].lower() + heading[1:])  # "Overall survival"
        found = (named.lastgroup or "").rstrip("0123456789") if named else ""
    return found


# the row a table row is under, as ingestion gives it in brackets at the row's end
_ROW_GROUP = re.compile(r"\|\s*\(([^()|]*)\)\s*$", re.M)


def _entity_like(terms: frozenset[str]) -> bool:
    return any(_entity_term(t) for t in terms)


@dataclass(frozen=True)
class _Context:
    """What a quantity is attached to in its statement."""

    before: frozenset[str]  # specific terms between the previous quantity and this one
    after: frozenset[str]  # specific terms after it, up to the end of its clause
    lead: frozenset[str]  # every specific term earlier in the statement
    follower: Quantity | None  # the next quantity in the statement
    close: bool  # the follower is a few words away, with no comma between
    item: frozenset[str] = frozenset()  # words of its list item or clause, numbers left out
    statement: frozenset[str] = frozenset()  # names (drugs, tests, arms) in the whole statement
    item_names: frozenset[str] = frozenset()  # names in its list item
    nearest: str = ""  # the name nearest before it in its list item
    heads: frozenset[str] = frozenset()  # acronyms before it (regimen, test): "CAPOX consists of"
    sentence: int = 0  # which sentence of its passage holds it
    subject: frozenset[str] = frozenset()  # a table row's first cell ("Adverse event: Fatigue")
    events: tuple[frozenset[str], ...] = ()  # that cell's items when it lists several events
    gloss: frozenset[str] = frozenset()  # words in brackets in that cell ("(high risk)")
    # another row of its passage differs from its first cell only in those brackets
    gloss_tells: bool = False
    words: frozenset[str] = frozenset()  # stemmed words of the whole statement
    grades: str = ""  # the toxicity grades it counts: "any", "3" ("grade ≥3"), "" unknown
    tail: frozenset[str] = frozenset()  # words right after it in its item ("in lymph nodes")
    clause: frozenset[str] = frozenset()  # words of its clause, names and numbers left out
    acronyms: frozenset[str] = frozenset()  # acronyms (regimens, tests) in the whole statement
    endpoint: str = ""  # the endpoint it measures (os, pfs, efs, dfs, orr...), "" unknown
    since: frozenset[str] = frozenset()  # words since the previous value of its kind, no names
    setting: frozenset[str] = frozenset()  # words of the statement's opening "For ...," phrase
    respective: frozenset[str] = frozenset()  # the arm of a value given "respectively"
    arms: tuple[frozenset[str], ...] = ()  # all arms of its "respectively" list, in order
    owner: frozenset[str] = frozenset()  # names it is given for: "9.7% of those given X"
    grouped: frozenset[str] = frozenset()  # owners the text calls a group or arm ("CRT group")
    pair: tuple[frozenset[str], ...] = ()  # the two arms a hazard ratio compares
    interval: str = ""  # its confidence interval, "54.5–63.9", when one follows it
    entry: frozenset[str] = frozenset()  # a legend letter's words ("A, strong evidence …")
    values: frozenset[tuple[str, str]] = frozenset()  # the statement's measured values' keys
    row_words: frozenset[str] = frozenset()  # a table row's words after its first cell
    # a table cell's column, in the words only its header has among the row's columns of
    # its kind ("limit" for "Limit: < 75%" beside "Planning aim: < 65%"), and theirs
    column: frozenset[str] = frozenset()
    other_columns: frozenset[str] = frozenset()
    near: frozenset[str] = frozenset()  # words of its clause up to its kind's values around it
    leader: tuple[str, str] | None = None  # the value it follows closely ("64 Gy in 32 fractions")


_GRADE_SCOPE = re.compile(r"\bany[- ]grade\b|\ball grades\b|\bgrades?\s*(?:≥\s*)?([1-5])\b", re.I)
_BOUND_WORDS = frozenset(
    "more less higher lower greater fewer longer shorter older younger above below least "
    "most".split()
)


def _label_family(value: str) -> str:
    """What a label labels: "stage iiia" → stage, "auc 5" → auc, "t1b" → t, "n0" → n."""
    return value.split()[0] if " " in value else value[:1]


def _same_kind(a: Quantity, b: Quantity) -> bool:
    """Whether two values measure the same kind of thing (a T label and an N label do not)."""
    return (
        a.unit == b.unit
        and a.kind == b.kind
        and (a.unit != "label" or _label_family(a.value) == _label_family(b.value))
    )


# a grade with a rate of its own: "grade 3 or 4 hypertension in 6.7%"
_GRADED_RATE = re.compile(
    r"(?:\s*(?:or|to|–|-)\s*(?:[1-5]|higher))?[\w\s-]{0,40}?\bin\s+\d+(?:\.\d+)?\s*%"
)


def _grade_scope(text: str, upto: int = -1) -> str:
    """The adverse-event grades a statement or a table cell's header counts: for a value at
    ``upto``, the grade named nearest before it ("grade 1 pneumonitis requires ..., and grade
    2 or higher pneumonitis requires ... 1 mg/kg"), else the first one named, unless that one
    has a rate of its own ("hypertension in 14%, with grade 3 or 4 hypertension in 6.7%": the
    grade is the 6.7%'s)."""
    before = list(_GRADE_SCOPE.finditer(text, 0, upto)) if upto >= 0 else []
    match = before[-1] if before else _GRADE_SCOPE.search(text)
    if not match:
        return ""
    if not before and upto >= 0 and match.start() > upto and _GRADED_RATE.match(text, match.end()):
        return ""
    return match.group(1) or "any"


_LEADING_INTERVAL = re.compile(
    r"^\s*\((?:(?:9[059]\s?%\s*)?CI\b[^()]*|\d[\d.·]*\s*(?:to|–|-)\s*\d[\d.·]*)\)", re.I
)


def _tail_words(text: str, q: Quantity) -> frozenset[str]:
    """Stemmed words after ``q`` up to the end of its list item, bounds and generic words left
    out: what the value is said of when it is named after it ("1.0 cm or more in solid
    organs")."""
    end = q.end if q.end >= 0 else q.start + len(q.text)
    # "0.81 (95% CI, 0.66 to 0.99) in HBV-related disease", "0.66 (0.55–0.80) in stage C":
    # the estimate's interval is no other value
    after = _LEADING_INTERVAL.sub(" ", text[end:], count=1)
    after = _ITEM_SEP.split(after, maxsplit=1)[0]
    after = re.split(r"\d", after, maxsplit=1)[0]
    words = [
        w
        for w in content_words(after)
        if w not in _GENERIC and w not in _BOUND_WORDS and not w[0].isdigit()
    ]
    opening = text.rfind("(", 0, q.start)
    if (
        not words
        and q.kind == "hr"
        and 0 <= q.start - opening <= 16
        and ")" not in text[opening : q.start]
    ):
        # a value opening the brackets after its group: "consistent in oligodendrogliomas (HR
        # 0.41, …) and astrocytomas (HR 0.35, …)" gives 0.41 for oligodendrogliomas
        group = _BRACKETED_FOR.search(text[:opening])
        if group:
            words = [w for w in content_words(group.group(1)) if w not in _GENERIC]
    return frozenset(t for w in words for t in tokenize(w))


# the group a bracketed value is given for, named right before its brackets after "in", "and"…
_BRACKETED_FOR = re.compile(
    r"(?:\b(?:in|among|and|or|for|with)\b|[,;])\s+([^,;()]{2,60}?)\s*$", re.I
)


def _clause_words(text: str, q: Quantity, embedder: Embedder) -> frozenset[str]:
    """Stemmed words of the clause holding ``q`` up to it (from the last comma or semicolon
    before it), without names: what is measured ("median overall survival was"), not for
    whom."""
    clause = re.split(r"[,;]\s", _PARENTHESES.sub(" ", text[: q.start]))[-1]
    names = set(_names(clause, embedder))
    return frozenset(t for t in _plain_stems(clause) if t not in names)


def _plain_stems(text: str) -> Iterator[str]:
    """The stems of ``text``'s content words, numbers and words any value may have around it
    ("every", "dose", "given", "recommended") left out."""
    return (
        t
        for w in content_words(text)
        if not w[0].isdigit() and w not in _GENERIC
        for t in tokenize(w)
    )


# where a clause about another value ends: "20% or more myeloid blasts …, or 10% or more"
_CLAUSE_BREAK = re.compile(r",\s+(?:or|and|but|whereas|while)\b|;\s|\s(?:whereas|while)\s")


_NEAR_BREAK = re.compile(
    r"[,;]\s|\||\s(?:and|or|but|whereas|while|then|versus|vs\.?|compared with)\s", re.I
)


def _near_words(text: str, q: Quantity, found: list[Quantity]) -> frozenset[str]:
    """Stemmed words around ``q`` within its clause and table cell, after the value before it
    and up to the value after it: "as a planning aim" in "below 45 Gy as a planning aim and 50
    Gy as a limit". Words that lead on to the next value ("55 Gy in fractions of 2.2 Gy") are
    that value's."""
    end = q.end if q.end >= 0 else q.start + len(q.text)
    start = max((p.end for p in found if 0 <= p.end <= q.start), default=0)
    stop = min((p.start for p in found if p.start >= end), default=len(text))
    before = _NEAR_BREAK.split(text[start : q.start])[-1]
    after = _NEAR_BREAK.split(text[end:stop], maxsplit=1)
    said_after = after[0] if len(after) > 1 or stop == len(text) else ""
    return frozenset(tokenize(f"{before} {said_after}"))


def _since_words(
    text: str, q: Quantity, found: list[Quantity], names: frozenset[str]
) -> frozenset[str]:
    """Stemmed words between the previous value of ``q``'s kind (or the statement's start) and
    ``q``, names and generic words left out: what the statement says this value is of
    ("51% and 33% of patients and grade 3 or higher diarrhoea in 10%": diarrhoea)."""
    start = max((p.end for p in found if p.start < q.start and _same_kind(p, q)), default=0)
    between = _PARENTHESES.sub(" ", text[max(start, 0) : q.start])
    if start > 0:
        # "20% or more myeloid blasts in the marrow, or 10% or more when …": the words before
        # a clause break describe the previous value
        between = _CLAUSE_BREAK.split(between)[-1]
    stems = {t for n in names for t in tokenize(n)}
    return frozenset(
        t
        for w in content_words(between)
        if not w[0].isdigit() and w not in _GENERIC
        for t in tokenize(w)
        if t not in stems and t not in _PLAIN
    )


# A statement's opening phrase that names its population or setting: "For high-risk stage III
# disease (T4 or N2), ...", "Among patients with a CPS of 10 or more, ...".
_SETTING = re.compile(r"\s*(?:for|in|among|with)\s+([^,;]{2,80}?)(?:\s*\([^()]*\))?,\s", re.I)


def _other_setting(quantity: Quantity, context: _Context, index: int, passage: _Passage) -> bool:
    """Whether the claim's setting ("For high-risk stage III colon cancer, 3 months") is one the
    passage gives another value of this kind for, in another statement, while the value's own
    statement is about another setting ("For low-risk stage III disease, 3 months ...")."""
    own = passage.contexts[index]
    if not context.setting or not own.setting:
        return False
    distinct = context.setting - own.setting
    if not distinct:
        return False
    return any(
        c.sentence != own.sentence
        and distinct & c.setting
        and _same_kind(q, quantity)
        and q.key != quantity.key
        for q, c in zip(passage.quantities, passage.contexts, strict=True)
    )


_FIRST_CELL = re.compile(r"^[^|:]{1,80}:\s*([^|]+)\|")


_TRAILING_OWNER = re.compile(
    # "12.7 months (95% CI, 9.4 to 15.6) with placebo": its interval may stand between
    r"\s*(?:months?|years?|weeks?)?\s*(?:\([^()]{0,60}\)\s*)?"
    r"(?:of\s+(?:the\s+)?(?:patients|those|participants)\s+)?"
    r"(?:who\s+(?:were\s+|had\s+)?)?(?:given|receiving|received|treated\s+with|assigned\s+to|"
    r"randomi[sz]ed\s+to|on|with|in\s+the)\s+(?:the\s+)?(?P<name>[^,;.()\d]{2,50})",
    re.I,
)
# "…, respectively", "… of patients in the three arms": values in the order of the arms.
_CALLED_ARM = re.compile(r"\s*((?:[\w-]+\s+){1,2}?)(?:group|arm|cohort)\b", re.I)
_RESPECTIVELY = re.compile(
    r"\brespectively\b|\bin the (?:two|three|four|2|3|4) (?:arms|groups|cohorts)\b", re.I
)
# Two results compared in brackets: "(88.7% vs 88.6%)", "(13.8 versus 11.1 months)".
_COMPARED_IN_BRACKETS = re.compile(
    r"\((?:\s*(?:median|mean)\b)?(?P<pair>\s*\d[\d.,]*\s*%?[^()\d]{0,12}?\s*(?:vs\.?|versus)\s*"
    r"\d[\d.,]*\s*(?:%|[a-z]+)?)"
    r"\s*(?:[;,][^()]*)?\)",  # "(10.2 vs 8.0 months; hazard ratio 0.76)"
    re.I,
)
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|vs\.?|versus)\s*", re.I)
_ALTERNATIVE = re.compile(r"[\w\s/]{0,40}?\bor\s*", re.I)
_CHANGED_FROM = re.compile(
    r"\b(?:lengthen|improv|increas|reduc|prolong|extend|decreas|rais|lower|shorten)\w*\b"
    r"[^.;]{0,60}\bfrom\s*$",
    re.I,
)
_CHANGE_VALUES = re.compile(
    r"\b(?P<verb>(?:lengthen|improv|increas|prolong|extend|rais|rose|grew|climb|reduc|decreas|"
    r"lower|shorten|fell|declin|drop)\w*)\b[^.;]{0,60}?\bfrom\s+(?P<a>\d+(?:\.\d+)?)\s*%?\s*"
    r"(?:[a-z]+\s+)?to\s+(?P<b>\d+(?:\.\d+)?)",
    re.I,
)
_RISING = ("lengthen", "improv", "increas", "prolong", "extend", "rais", "rose", "grew", "climb")


def _change_reversed(claim: str) -> str:
    """A change the claim's own numbers contradict: "lengthened OS from 13.8 to 11.1 months"
    (the two values swapped). The message, or ""."""
    for m in _CHANGE_VALUES.finditer(claim):
        if not _ENDPOINT.search(claim):
            break  # a pain score or a creatinine "improves" downwards
        a, b = float(m.group("a")), float(m.group("b"))
        rising = m.group("verb").lower().startswith(_RISING)
        if a != b and (a > b) == rising:
            return (
                f"the claim says {m.group('verb').lower()} from {m.group('a')} to "
                f"{m.group('b')}, but the second value is {'lower' if rising else 'higher'}: "
                "the two values look swapped"
            )
    return ""


_RESULT_KINDS = frozenset({"percent", "duration", "number", "count", "hr"})
# Results one arm has alone (a hazard ratio belongs to the two arms it compares).
_OWNED_KINDS = _RESULT_KINDS - {"hr"}


_ARM_SPLIT = re.compile(
    r"[,;]|\b(?:or|and|nor|neither|vs\.?|versus|compared with|than|over|against|"
    r"in comparison with)\b|\b(?:non-?inferior|superior|compared|similar|equivalent|relative)\s+to\b",
    re.I,
)
_ARM_WORDS = frozenset(
    {"placebo", "combination", "observation", "chemotherapy", "surgery", "radiotherapy"}
)


# A drug that describes the patients by their earlier treatment, not an arm.
_PRIOR_EXPOSURE = re.compile(
    r"[\w-]+-(?:refractory|resistant|naive|naïve|pretreated|exposed|intolerant|sensitive|"
    r"experienced|relapsed)\b",
    re.I,
)


# What a comparison may name as its control arm besides a drug ("over active surveillance").
_NAMED_ARMS = _ARM_WORDS | {"surveillance"}


def _arms_named(text: str, embedder: Embedder) -> list[frozenset[str]]:
    """The arms a statement names outside brackets, in order of first mention: each the names
    of one part of it ("nab-paclitaxel plus carboplatin, … or gemcitabine plus carboplatin")."""
    arms: list[frozenset[str]] = []
    while (shorter := _PARENTHESES.sub(" ", text)) != text:
        text = shorter  # "(combination vs. ipilimumab: HR, 0.52)", "[Level of evidence A1]"
    text = _PRIOR_EXPOSURE.sub(" ", text)  # "lenalidomide-refractory patients" is no arm
    for part in _ARM_SPLIT.split(text):
        # a drug, an acronym (TIL, ADT) or an arm word: not an event ("hypertension")
        names = {
            t.lower()
            for t in _terms(part, embedder)
            if _entity_term(t)
            and (t.isupper() or _DRUG.search(t.lower()))
            and not _ENDPOINT.fullmatch(t)
            and not _is_trial(t)
        } | {w.lower() for w in re.findall(r"[A-Za-z]+", part) if w.lower() in _NAMED_ARMS}
        if names and frozenset(names) not in arms:
            arms.append(frozenset(names))
    return arms


def _respective_arms(
    text: str, found: list[Quantity], embedder: Embedder, earlier: Sequence[str] = ()
) -> dict[int, tuple[frozenset[str], tuple[frozenset[str], ...]]]:
    """Values given "respectively" ("… 14.4% in the nivolumab arm and 45.9% in the ipilimumab
    arm, and stopped in 9.7% and 42.6% of patients, respectively"): index of each value → the
    arm it belongs to (name, terms), by the order in which the statement named its arms. Only
    where it named as many arms as the list has values."""
    out: dict[int, tuple[frozenset[str], tuple[frozenset[str], ...]]] = {}
    for match in _RESPECTIVELY.finditer(text):
        before = [i for i, q in enumerate(found) if q.start < match.start()]
        if not before:
            continue
        group = _list_ending_at(text, found, before[-1])
        last = found[group[-1]]
        tail = text[(last.end if last.end >= 0 else last.start + len(last.text)) : match.start()]
        if len(group) < 2 or len(tail.split()) > 8 or re.search(r"\d", tail):
            continue
        # arms named between the list and "respectively" ("7.2 and 3.1 months with TIL and
        # ipilimumab, respectively"), else before the list; else, where the statement names
        # none before it ("The 6.5-year OS rates were 49%, 42%, and 23%, respectively"), those
        # of the statement before it
        arms = _arms_named(tail, embedder)
        if len(arms) != len(group):
            arms = _arms_named(text[: found[group[0]].start], embedder)
        if len(arms) != len(group):
            # the nearest earlier statement that names as many arms ("The confirmed ORR by
            # RECIST 1.1 was 30% and 11%, respectively": RECIST is no arm)
            arms = next(
                (
                    named
                    for statement in reversed(earlier)
                    if len(named := _arms_named(statement, embedder)) == len(group)
                ),
                [],
            )
        if len(arms) == len(group):
            for i, arm in zip(group, arms, strict=True):
                out[i] = (arm, tuple(arms))
    for bracket in _COMPARED_IN_BRACKETS.finditer(text):
        # "OS did not differ between pola-R-CHP and R-CHOP (88.7% vs 88.6%)": the values in
        # the order of the arms named before them
        group = [
            i
            for i, q in enumerate(found)
            if bracket.start("pair") <= q.start < bracket.end("pair") and q.kind in _RESULT_KINDS
        ]
        arms = _arms_named(text[: bracket.start()], embedder)
        if len(group) == 2 == len(arms) and not any(i in out for i in group):
            for i, arm in zip(group, arms, strict=True):
                out[i] = (arm, tuple(arms))
    if earlier and not _arms_named(text, embedder):
        # "The ORR was 71.0%, 53.5% and 36.1%", "Median PFS was 7.4 vs 3.8 months" in a
        # statement that names no arm: the values follow the arms of the statement before
        ends = [
            i
            for i in range(len(found))
            if i not in out
            and found[i].kind in _RESULT_KINDS
            and (i + 1 == len(found) or _list_ending_at(text, found, i + 1)[0] > i)
        ]
        for last_index in ends:
            group = _list_ending_at(text, found, last_index)
            if len(group) < 2 or any(i in out for i in group):
                continue
            arms = next(
                (
                    named
                    for statement in reversed(earlier)
                    if len(named := _arms_named(statement, embedder)) == len(group)
                ),
                [],
            )
            for i, arm in zip(group, arms, strict=False):
                out[i] = (arm, tuple(arms))
    return out


def _list_ending_at(text: str, found: list[Quantity], last: int) -> list[int]:
    """Indexes of the run of values of one unit written as a list ("9.7% and 42.6%", "71.0%,
    53.5% and 36.1%", "7.4 vs 3.8 months") that ends with ``found[last]``."""
    group = [last]
    for i in reversed(range(last)):
        q, nxt = found[i], found[group[0]]
        end = q.end if q.end >= 0 else q.start + len(q.text)
        paired = q.start == nxt.start  # "64% and 44%" is read as one pair
        if q.unit != nxt.unit and q.unit and nxt.unit or q.kind != nxt.kind:
            break
        if not paired and not _LIST_GAP.fullmatch(text[end : nxt.start]):
            break
        group.insert(0, i)
    return group


# The rest of a column header after its grade, up to the cell's value: "… or 4 (%): ", " or
# higher: "
_HEADER_GRADE_END = re.compile(
    r"(?:\s*(?:or|to|–|-)\s*(?:\d|higher|more|greater))?\s*(?:\(%\))?\s*:\s*"
)


# What a row's first cell says of how its values are given, not of what they are: "ORR, n
# (%) (95% CI)^a" is the ORR row.
_ROW_GLUE = re.compile(
    r",?\s*\b(?:n|no\.)\s*\(%\)|\(\s*9[059]\s*%\s*CI\s*\)|,\s*%(?=\s|$)|\^[a-z]\b|[*†‡§]+", re.I
)


def _columns(text: str, found: Sequence[Quantity]) -> list[tuple[frozenset[str], frozenset[str]]]:
    """For each value of a table row, the words of its cell's header that no other header of
    a cell with a value of its kind has, and theirs that its header has not: empty outside a
    table row and where no other cell holds a value of its kind."""
    none: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    if "|" not in text:
        return [none for _ in found]
    cells = [(m.start(), m.end(), m.group(0).partition(":")) for m in re.finditer(r"[^|]+", text)]
    starts = [start for start, _, _ in cells]
    header: dict[int, frozenset[str]] = {}  # cell index: its header's words
    kinds: dict[str, set[int]] = {}  # kind: the cells with a value of that kind
    where = []

    def kind_of(q: Quantity) -> str:
        # a grade and an occurrence are labels of two kinds
        return f"label {_label_family(q.value)}" if q.unit == "label" else q.kind

    for q in found:
        at = bisect.bisect_right(starts, q.start) - 1
        where.append(at)
        label, colon, _ = cells[at][2]
        if colon:
            header[at] = frozenset(
                w for w in tokenize(label) if w.isalpha() and len(w) >= 2 and w not in _PLAIN
            )
            kinds.setdefault(kind_of(q), set()).add(at)
    out: list[tuple[frozenset[str], frozenset[str]]] = []
    for q, at in zip(found, where, strict=True):
        others = kinds.get(kind_of(q), set()) - {at}
        if at not in header or not others:
            out.append(none)
            continue
        theirs = frozenset().union(*(header[c] for c in others))
        # a word that heads a column of another kind ("Fractions" beside "Dose per fraction
        # (Gy)") may be said of that column's value in the claim
        elsewhere = frozenset().union(
            *(header[c] for kind, cells in kinds.items() if kind != kind_of(q) for c in cells)
        )
        out.append((header[at] - theirs, theirs - header[at] - elsewhere))
    return out


def _contexts(
    text: str, found: list[Quantity], embedder: Embedder, previous: Sequence[str] = ()
) -> list[_Context]:
    """For each quantity, the entity it belongs to ("cisplatin 75 mg/m2", "30 months with
    pembrolizumab") and the quantity that follows it."""
    out: list[_Context] = []
    starts = sorted({q.start for q in found})
    statement = frozenset(_names(text, embedder))
    entries = {(q.start, q.end): words for q, words in _legend_entries(text, found)}
    first_cell = _FIRST_CELL.match(text) if _TEXT_ROW.search(text) else None
    label = _ROW_GLUE.sub(" ", first_cell.group(1)) if first_cell else ""
    # "Grade 3 febrile neutropenia; Grade 4 neutropenia …; …": the row is for any one of a
    # set of events
    events = (
        tuple(frozenset(tokenize(item)) for item in label.split(";") if item.strip())
        if label.count(";") >= 2
        else ()
    )
    subject = frozenset(tokenize(label))
    # what the first cell says in brackets: a gloss a claim may leave out ("(high risk)")
    gloss = frozenset(t for inner in re.findall(r"\(([^()]*)\)", label) for t in tokenize(inner))
    words = frozenset(tokenize(text))
    acronyms = frozenset(
        t.lower() for t in _terms(text, embedder) if t.isupper() and not _TNM.fullmatch(t)
    )
    opening = _SETTING.match(text)
    setting = (
        frozenset(t for t in tokenize(opening.group(1)) if t not in _PLAIN and not t[0].isdigit())
        if opening
        else frozenset()
    )
    # grades and schedules recur in every row of a table: only measured values pin one
    values = frozenset(q.key for q in found if q.kind not in ("label", "frequency", "schedule"))
    # what a row's condition names besides its first cell, up to its first value, cell labels
    # left out: "Hemoglobin" in "Anemia | Severity: Hemoglobin < 8 g/dL | …", "ANC"; not the
    # action words every row shares ("withhold", "resume"), nor "250 mg twice daily"
    condition = text[first_cell.end() : found[0].start] if first_cell and found else ""
    row_words = frozenset(
        w
        for cell in condition.split("|")
        for w in tokenize(re.sub(r"^\s*[^:|]{1,80}:", " ", cell))
        if not w[0].isdigit() and w not in _PLAIN
    )
    columns = _columns(text, found)
    respective = (
        _respective_arms(text, found, embedder, previous)
        if previous or _RESPECTIVELY.search(text) or _COMPARED_IN_BRACKETS.search(text)
        else {}
    )
    for index, q in enumerate(found):
        earlier = [p for p in found if p.start < q.start]
        previous_end = max((p.end for p in earlier), default=0)
        scope = _SCOPE_END.split(text[previous_end : q.start])[-1]
        end = q.end if q.end >= 0 else q.start + len(q.text)
        tail = text[end:]
        while True:
            shorter = _PARENTHESES.sub(" ", tail)
            if shorter == tail:
                break
            tail = shorter
        tail = " ".join(_AFTER_STOP.split(tail, maxsplit=1)[0].split()[:8])
        later = [s for s in starts if s > q.start]
        follower = next((p for p in found if later and p.start == later[0]), None)
        gap = text[end : follower.start] if follower else ""
        before = frozenset(
            t
            for t in _terms(scope, embedder)
            if q.kind not in _COMPARISON_KINDS or t.lower() not in _ARMS
        )
        if not before and q.kind == "frequency" and out and out[-1].follower is q and out[-1].close:
            before = out[-1].before  # "apalutamide 240 mg once daily": apalutamide's too
        after = frozenset(_terms(tail, embedder) | {w for w in content_words(tail) if w in _ARMS})
        item_names = _item_names(text, q, embedder)
        item_words = _item_words(text, q, found)
        alternative = next(
            (c for p, c in zip(reversed(earlier), reversed(out), strict=False) if p.kind == q.kind),
            None,
        )
        # the text between the value before this one and this one
        since_last = (
            text[earlier[-1].end if earlier[-1].end >= 0 else 0 : q.start] if earlier else ""
        )
        if alternative is not None and not item_names[0] and _ALTERNATIVE.fullmatch(since_last):
            # "nivolumab 240 mg every 2 weeks or 480 mg every 4 weeks": the alternative dose is
            # nivolumab's too
            item_words |= alternative.item
            item_names = (alternative.item_names, alternative.nearest)
        elif (
            not item_names[0]
            and out
            and earlier
            and (
                (earlier[-1].unit == "label" and _HEADER_GRADE_END.fullmatch(since_last))
                or (q.kind == "percent" and re.fullmatch(r"\s*\(\s*", since_last) is not None)
            )
        ):
            # "Drug Grade 3 or 4: 6.7%": a column headed by an arm and a grade gives the value
            # for that arm; "Placebo: 203 (85.3%)": the share is the count's arm's
            item_words |= out[-1].item
            item_names = (out[-1].item_names, out[-1].nearest)
        elif not item_names[0] and out and out[-1].follower is q and out[-1].close:
            # "480 mg IV every 4 weeks": the schedule goes with the dose before it
            item_words |= out[-1].item
            item_names = (out[-1].item_names, out[-1].nearest)
        trailing = _TRAILING_OWNER.match(text, end) if q.kind in _RESULT_KINDS else None
        owner: frozenset[str] = frozenset()
        grouped: frozenset[str] = frozenset()
        if trailing:
            # "42.6% of patients given ipilimumab and 9.7% of those given nivolumab": a result
            # named after it is that arm's, whatever the value before it was said of.
            owned = trailing.group("name")
            owner = frozenset(_names(owned, embedder)) | {
                w for w in content_words(owned) if w in _NAMED_ARMS
            }
            before = frozenset(_terms(owned, embedder)) | (owner & _NAMED_ARMS) or before
            # "in the CRT group", "the RT arm": an acronym the text itself calls an arm
            called = _CALLED_ARM.match(owned)
            if called:
                grouped = frozenset(n.lower() for n in _terms(called.group(1), embedder))
        if index in respective:
            # names are kept in lower case: an acronym read again is no longer one
            before = frozenset(
                t
                for n in respective[index][0]
                for t in _terms(n, embedder) or ({n} if n in _NAMED_ARMS else {n.upper()})
            )
            after, owner = frozenset(), respective[index][0]
            # its arm is its order's, whatever name stands nearest ("noninferior to sorafenib
            # for overall survival (13.6 vs 12.3 months)": 13.6 is lenvatinib's)
            item_names = (respective[index][0], "")
        if _CHANGED_FROM.search(text[max(0, q.start - 80) : q.start]):
            # "adding X lengthened median OS from 11.1 to 13.8 months": the value before the
            # change is the other arm's, whatever the statement names
            before, owner = frozenset(), frozenset()
            if q.kind in _RESULT_KINDS:
                item_names = (frozenset(), "")
        out.append(
            _Context(
                before,
                after,
                frozenset(_terms(text[: q.start], embedder)),
                follower,
                follower is not None
                and len(gap.split()) <= 3
                # (a table's next cell is no partner: "dexamethasone 8 mg PO | Days 2 to 4: …")
                and not re.search(r"[,;()|]", gap)
                # "53.5% at 3 months and 24.2% at 12 months": a second result, not a partner
                # ("200 mg on days 1 to 14 and 100 mg on days 15 to 21" keeps its partners)
                and not (
                    follower.kind == "percent"
                    and re.search(r"\b(?:and|or|whereas|while|but)\b", gap, re.I)
                )
                and not _terms(gap, embedder),
                item_words,
                statement,
                *item_names,
                frozenset(
                    t.lower()
                    for t in _terms(text[: q.start], embedder)
                    # laboratory tests in a list of criteria name their own values, not what
                    # the statement is about ("ANC ≥1.5 × 10^9/L, platelets ≥100 × 10^9/L")
                    # a trial's name is neither ("In SOLSTICE-OV1, 1,184 patients …")
                    if t.isupper()
                    and not _TNM.fullmatch(t)
                    and t not in LAB_NAMES
                    and not _is_trial(t)
                ),
                subject=subject,
                events=events,
                gloss=gloss,
                words=words,
                # a grade counts itself, not the grade named before it ("Grade 2 recurrent, or
                # grade 3")
                grades=q.value[-1]
                if q.unit == "label" and re.fullmatch(r"grade [1-5]", q.value)
                else _grade_scope(
                    text[text.rfind("|", 0, q.start) + 1 : q.start] if first_cell else text,
                    q.end if q.end >= 0 else q.start + len(q.text),
                ),
                # a value given "respectively" is its arm's, whatever words follow it
                tail=before if index in respective else _tail_words(text, q),
                clause=_clause_words(text, q, embedder),
                acronyms=acronyms,
                endpoint=_endpoint(text, q),
                since=_since_words(text, q, found, statement),
                setting=setting,
                respective=respective[index][0] if index in respective else frozenset(),
                arms=respective[index][1] if index in respective else (),
                owner=owner or item_names[0],
                grouped=grouped,
                pair=_compared_arms(text, q, found, embedder) if q.kind == "hr" else (),
                interval=_interval(q, found),
                entry=entries.get((q.start, q.end), frozenset()),
                values=values,
                row_words=row_words,
                column=columns[index][0],
                other_columns=columns[index][1],
                near=_near_words(text, q, found),
                leader=found[index - 1].key
                if index
                and out[-1].follower is q
                and out[-1].close
                and found[index - 1].kind not in _COMMON_PARTNERS
                else None,
            )
        )
    return out


# What separates the items of a list or the arms of a comparison: each value belongs to the
# words of its own item ("docetaxel 50 mg/m2, oxaliplatin 85 mg/m2"; "28% vs 16%").
_ITEM_SEP = re.compile(
    r"[,;|()\[\]]|\.(?:\s|$)|"
    r"\b(?:and|or|vs|versus|then|whereas|compared with|followed by|instead of|rather than|"
    r"(?:preferred|favou?red|chosen) over|in preference to|superior to)\b"
    # "1.0 cm or more in solid organs": a bound, not a new item
    r"(?!\s+(?:more|less|higher|lower|greater|fewer|longer|shorter|older|younger|above|below)\b)",
    re.I,
)
_GENERIC = frozenset(
    "every each day days week weeks month months year years cycle cycles dose doses "
    "given take taken is was were are "
    # words of a recommendation's strength, not of what a value belongs to
    "may can could might should must be considered consid recommended recommend option "
    "preferred prefer used use offered offer".split()
)


def _names(text: str, embedder: Embedder) -> list[str]:
    """Drug, test and arm names in ``text`` in order, lower case."""
    out = []
    for word in _NAME_TOKEN.findall(_DESCRIPTOR.sub("", _NAME_DASH.sub("-", text))):
        terms = _terms(word, embedder)
        out += [t.lower() for t in terms if _entity_term(t)]
    return out


def _item_names(text: str, q: Quantity, embedder: Embedder) -> tuple[frozenset[str], str]:
    """The names in the list item that holds ``q``, and the one nearest before it."""
    end = q.end if q.end >= 0 else q.start + len(q.text)
    segments = _ITEM_SEP.split(text[: q.start])
    before = _names(segments[-1], embedder)
    # "four 28-day cycles … before high-dose melphalan": what comes before or after the value's
    # event is another event's
    after = _names(_LATER_EVENT.split(_ITEM_SEP.split(text[end:], maxsplit=1)[0])[0], embedder)
    opened = text[: q.start - len(segments[-1])].rstrip()
    if not before and not after and opened.endswith("(") and len(segments) > 1:
        # "trastuzumab (8 mg/kg loading dose, then 6 mg/kg)": the name before the bracket
        outer = _names(segments[-2], embedder)
        if outer:
            return frozenset(outer[-1:]), outer[-1]
    if q.kind == "duration" and _FOR_A_TIME.search(text, max(0, q.start - 30), q.start):
        # "carboplatin AUC 2 and paclitaxel 80 mg/m2 for six weeks": the time is the whole
        # list's, up to a comma or a stronger break
        head = _JOINED_ITEM.split(text[: q.start])[-1]
        parts = re.split(r"\b(?:and|plus)\b", head)
        # only a regimen listed with a dose for each drug, the last with no schedule of its
        # own ("pembrolizumab 400 mg every 6 weeks for 2 years" is pembrolizumab's alone)
        if (
            len(parts) > 1
            and all(re.search(r"\d", p) for p in parts)
            and not _OWN_SCHEDULE.search(parts[-1])
        ):
            joined = _names(head, embedder)
            if len(joined) > len(before):
                before = joined
    label = _CELL_LABEL.search(text[: q.start])
    if label:
        # "Acalabrutinib or placebo: hold until grade 1": the cell's label names each arm
        before = _names(label.group(1), embedder) + before
    of = _OF_NAME.match(text[end:]) or _OF_WEEKLY_NAME.match(text[end:])
    if of and after and _names(of.group(1), embedder)[:1] == after[:1]:
        # "six 21-day cycles of R-CHOP": the name the value is "of" is its nearest
        return frozenset(before + after), after[0]
    return frozenset(before + after), before[-1] if before else ""


_FOR_A_TIME = re.compile(r"\bfor\s+(?:up\s+to\s+|a\s+total\s+of\s+)?$", re.I)
_OWN_SCHEDULE = re.compile(r"\bevery\b|\bq\d|\b(?:weekly|daily|monthly)\b", re.I)
_JOINED_ITEM = re.compile(
    r"[,;|()\[\]]|\.(?:\s|$)|\b(?:or|vs|versus|then|whereas|compared with|followed by|"
    r"instead of|rather than|before|after)\b",
    re.I,
)
_LATER_EVENT = re.compile(r"\b(?:before|after|prior to|following|until)\b", re.I)
# A table cell's label before the value in the same cell ("| Acalabrutinib or placebo: hold
# until grade 1 or lower"), and a value "of" a name right after it ("21-day cycles of R-CHOP").
_CELL_LABEL = re.compile(r"(?:^|\|)\s*([A-Za-z][\w\s-]{1,40}?\s(?:or|and)\s[\w-]{2,30}):\s[^|:;]*$")
_OF_NAME = re.compile(r"[\w-]*\s+(?:[a-z-]+\s+)?of\s+([\w-]+)")
# "six weeks of weekly carboplatin"
_OF_WEEKLY_NAME = re.compile(r"[\w-]*\s+of\s+(?:weekly|daily|oral|intravenous|adjuvant)\s+([\w-]+)")


# A statement's opening phrase ("With FOLFOX,", "In FLOT,", "For high-volume disease,") applies
# to every value after it, though a comma separates them.
_LEADING_PHRASE = re.compile(r"\s*(?:with|in|for|under|after|during)\s+([^,;()\d]{2,40}),\s", re.I)


def _item_words(text: str, q: Quantity, found: list[Quantity]) -> frozenset[str]:
    """Stemmed content words of the list item or clause that holds ``q``."""
    end = q.end if q.end >= 0 else q.start + len(q.text)
    before = _ITEM_SEP.split(text[: q.start])[-1]
    after = _ITEM_SEP.split(text[end:], maxsplit=1)[0]
    item = before + " " + after
    low, high = q.start - len(before), end + len(after)
    lead = _LEADING_PHRASE.match(text)
    if lead and lead.end(1) <= low:
        item += " " + lead.group(1)  # "With FOLFOX, nivolumab is given at 240 mg": FOLFOX too
    for other in found:  # other values in the item are not words of it
        if (
            other is not q
            and low <= other.start < high
            and _same_kind(other, q)
            and (other.span != q.span or not q.span)
        ):
            return frozenset()  # two values of one kind in one item: it binds neither
        item = item.replace(other.text, " ")
    words = [w for w in content_words(item) if w.lower() not in _GENERIC and not w[0].isdigit()]
    return frozenset(t for w in words for t in tokenize(w))


@dataclass(frozen=True)
class _Passage:
    rank: int
    text: str
    sentences: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    contexts: tuple[_Context, ...]
    terms: frozenset[str]
    shown: tuple[str, ...]  # its sentences as written; ``sentences`` abbreviate defined terms
    names: frozenset[str] = frozenset()  # drug, test and arm names in all its sentences
    heading: str = ""  # its document's title and section path ("Norvatamab …: 4.2 Posology")
    # a grading legend's words for each grade: ("b", words of "B, strong or moderate …")
    legend: tuple[tuple[str, frozenset[str]], ...] = ()
    # the values its own section's heading gives ("8.1 Relapse 6 months or more after …"),
    # and the heading's words
    titled: tuple[Quantity, ...] = ()
    titled_words: frozenset[str] = frozenset()


def _same_entity(claim: _Context, passage: _Context, kind: str = "") -> bool:
    """Whether a quantity of a claim and one of a passage belong to the same entity."""
    if passage.subject and claim.words and _other_row(claim, passage):
        return False  # the table row is about another item (another adverse event, drug)
    if _other_column(claim, passage):
        return False  # the row gives it under another column ("Limit", not "Planning aim")
    if passage.grades and claim.grades and passage.grades != claim.grades:
        return False  # "grade ≥3" is not "any grade"
    if claim.endpoint and passage.endpoint and claim.endpoint != passage.endpoint:
        return False  # the passage gives this value for another endpoint (OS, not PFS)
    if passage.respective:
        return not _respective_mismatch(claim, passage)
    if _another_arm(claim, passage, kind):
        return False
    if _other_nearest(claim, passage, kind):
        return False  # drug A's dose given to drug B
    if (
        claim.heads
        and (passage.item_names - claim.statement) & passage.acronyms
        and not claim.heads & passage.item_names
        and claim.heads & passage.statement
    ):
        return False  # the passage gives the claim's regimen ("with FOLFOX") another value
    if (
        claim.heads
        and passage.heads
        and not claim.heads & passage.statement
        and not passage.heads & claim.statement
    ):
        return False  # each statement is about its own regimen or test (CAPOX vs FOLFOX6)
    named = {t.lower() for t in claim.before | claim.after if _entity_term(t) and t not in _ARMS}
    if named and passage.statement and not _overlap(named, passage.statement):
        return False  # the passage's statement names other drugs or arms, not this one
    if (
        passage.item_names
        and passage.item_names <= claim.statement
        and not (claim.nearest and passage.nearest and claim.nearest != passage.nearest)
    ):
        return True  # the value's own list item in the passage names only what the claim names
    before_differs = claim.before and passage.before and not claim.before & passage.before
    if before_differs and (_entity_like(passage.before) or not claim.before & passage.lead):
        return False
    if (
        _entity_like(claim.before)
        and not passage.before
        and _entity_like(passage.lead)
        and not claim.before & passage.lead
    ):
        return False  # the passage's sentence is about another drug or test
    claim_after = {t for t in claim.after if _entity_term(t)}
    passage_after = {t for t in passage.after if _entity_term(t)}
    return not (claim_after and passage_after and not claim_after & passage_after)


def _other_claim_arm(claim: _Context, passage: _Context) -> bool:
    """Whether the claim gives the value to one of its arms by their order ("between A and B
    (x vs y)") and the passage gives it to another of them."""
    return bool(
        claim.respective
        and passage.item_names
        and not _overlap(claim.respective, passage.item_names)
        and _overlap(passage.item_names, frozenset().union(*claim.arms))
    )


def _another_arm(claim: _Context, passage: _Context, kind: str) -> bool:
    """Whether the passage gives the value to another of the claim's arms: by their order, or
    (a result one arm has alone, not a hazard ratio) by the arm it is given for."""
    return _other_claim_arm(claim, passage) or (
        kind in _OWNED_KINDS and _other_owner(claim, passage)
    )


def _other_owner(claim: _Context, passage: _Context) -> bool:
    """Whether the claim gives a result to one arm and the passage gives it to another arm that
    the claim names too ("394 to kelaparib and 790 to placebo" where the passage has
    "kelaparib (n = 790) or placebo (n = 394)"). In a table row, where each column names its
    arm, the claim need not name the other arm; a clause of the claim that names no arm is
    said of the arms the claim names; and a combination's column claimed for one of its drugs
    is another arm."""
    # drugs and arms only: a trial's name ("In SOLSTICE-OV1, 1,184 patients") or a test
    # ("CNS relapse in 5.7%") is no arm
    said = frozenset(
        n for n in claim.owner if _DRUG.search(n) or n in _ARM_WORDS or n in claim.grouped
    )
    given = frozenset(
        n for n in passage.owner if _DRUG.search(n) or n in _ARM_WORDS or n in passage.grouped
    )
    in_row = bool(passage.subject)
    if in_row:
        # a column headed by an arm names it, a regimen's acronym ("BR") as much as a drug
        given = passage.owner
    # (not a value compared with the one before it: "(81% vs 78%)" gives the second to the
    # other arm)
    if in_row and not said and not claim.item_names and claim.leader is None:
        # a table row's cell claimed in a clause that names no arm ("rash in 26% of patients
        # given X, with grade 3 or 4 rash in 3.1%"): it is said of the arms the claim names
        said = claim.statement
    if (
        in_row
        and said
        and _overlap(said, given)
        and any(not _overlap({n}, claim.statement) for n in given)
    ):
        # a column for a combination ("Drug + rituximab: 93.4%") claimed for one of its drugs
        # ("93.4% with rituximab"): the result is the combination's
        return True
    return bool(
        said
        and given
        and not _overlap(said, given)
        # a row names each arm in its own cell: the claim need not name the other arm
        and (in_row or _overlap(given, claim.statement))
        and _overlap(said, passage.statement)
    )


_CHEMO_ADDED = re.compile(r"(?i)(?P<base>(?!c)[a-z]*rt)\|c{1,2}(?P=base)")  # RT, CRT, CCRT


def _overlap(names: set[str] | frozenset[str], others: frozenset[str]) -> bool:
    """Whether a name is shared, one spelling inside the other (CT, LDCT; FOLFOX, FOLFOX6);
    a hyphenated name only as itself, give or take a trailing number ("PD-L" where the "1" of
    "PD-L1" was read as a value), and nab-paclitaxel is not paclitaxel; a gene's variant names
    its gene ("FLT3-ITD" and "FLT3"); British and American spellings of a name are one."""
    return any(
        n == o
        or (
            "-" not in n
            and "-" not in o
            and (n in o or o in n)
            # chemoradiotherapy is not radiotherapy alone: "CRT" and "RT" are two arms
            and not _CHEMO_ADDED.fullmatch(f"{n}|{o}")
            and not _CHEMO_ADDED.fullmatch(f"{o}|{n}")
        )
        or _numbered(n, o)
        or _variant_of(n, o)
        or _variant_of(o, n)
        or len(n) >= 5
        and _spelling(n) == _spelling(o)
        for n in names
        for o in others
    )


_GENE = re.compile(r"[a-z]{2,6}\d{1,2}[a-z]?")
# TNM labels and laboratory names that look like genes: pT3, ypT2, cT4b, HbA1c
_NOT_GENE = re.compile(r"(?:y?[pcra])?[tnm]\d[a-d]?|hba1c|ca\d+")


def _genes(names: frozenset[str] | set[str]) -> set[str]:
    """The genes and markers among ``names`` ("flt3" of "flt3-itd", "idh1", "cd19")."""
    heads = (n.split("-")[0] for n in names)
    return {h for h in heads if _GENE.fullmatch(h.lower()) and not _NOT_GENE.fullmatch(h.lower())}


def _spelling(name: str) -> str:
    """A name (of a drug, test or arm) with British and American spellings made one
    ("aciclovir", "acyclovir"; "oestradiol", "estradiol")."""
    return re.sub(r"ae|oe", "e", name.lower()).replace("y", "i").replace("ph", "f")


def _other_gene(claim: _Context, passage: _Context) -> bool:
    """Whether the claim's statement names genes or markers and the passage's statement names
    others, none of the claim's ("gilteritinib 120 mg … IDH1-mutated AML" where the passage
    gives it for FLT3-mutated AML)."""
    mine, theirs = _genes(claim.statement), _genes(passage.statement)
    return bool(mine and theirs and not mine & theirs)


def _variant_of(name: str, gene: str) -> bool:
    """``name`` is a variant of ``gene``: "flt3-itd" of "flt3", "idh1-r132" of "idh1"."""
    head, _, variant = name.partition("-")
    return (
        bool(variant)
        and "-" not in gene
        and head == gene
        and len(gene) >= 3
        and (any(c.isdigit() for c in gene))
    )


def _numbered(a: str, b: str) -> bool:
    """``b`` is ``a`` with a number after it, or the other way round (PD-L, PD-L1; not HER2,
    HER3)."""
    short, long = sorted((a, b), key=len)
    return short != long and long.startswith(short) and long[len(short) :].isdigit()


def _binding(claim: _Context, passage: _Context) -> int:
    return 2 * len(claim.item & passage.item) + len(claim.statement & passage.statement)


def _named_after(context: _Context) -> frozenset[str]:
    return frozenset(t for t in context.after if _entity_term(t))


def _other_nearest(claim: _Context, passage: _Context, kind: str) -> bool:
    """Whether the claim and the passage each name a drug or arm before the value in its list
    item, and the passage's nearest one is another ("pemetrexed 500 mg/m2 plus cisplatin 75
    mg/m2" gives 75 mg/m2 to cisplatin)."""
    if kind in ("label", "duration"):
        # "Ipilimumab is permanently discontinued for grade 3 or 4 colitis, whereas anti–PD-1
        # monotherapy may be resumed after grade 3 colitis": each grade is said of its drug;
        # "pembrolizumab for up to 2 years; axitinib until progression": each duration too
        # a trial's name ("reported … at 5 years in PORTAL-EC", "the start of CRT in LUMEN-CX
        # was 7 days") says where a time was found, unless the passage gives its times by
        # trial ("49 days in LUMEN-CX and 58 days in PORTAL-EC")
        if _is_trial(claim.nearest):
            trials = frozenset(n for n in passage.item_names if _is_trial(n))
            return bool(trials) and not _overlap({claim.nearest}, trials)
        named = frozenset(n for n in passage.item_names if not _is_trial(n))
        return bool(
            claim.nearest
            and named - _ARM_WORDS - {"placebo"}
            and (claim.grades or kind == "duration")
            and not _overlap({claim.nearest}, passage.item_names)
            # "osimertinib or placebo for up to 3 years": the arms share it
            and not (kind == "duration" and passage.item_names & {"placebo", "observation"})
        )
    return bool(
        kind == "dose"
        and claim.nearest
        and passage.nearest
        and not _overlap({claim.nearest}, frozenset({passage.nearest}))
    )


# What a laboratory row says happened to its test ("ALT or AST increase").
_CHANGE_WORDS = frozenset("increas elev decreas rais abnorm".split())


_ROW_MEASURES = frozenset(tokenize("mean median maximum minimum dose volume point Dmax Dmean"))


def _akin(word: str, words: frozenset[str]) -> bool:
    """Whether ``word`` is in ``words``, or a short word there differs from it only in its
    ending ("rectal" and "rectum", "vagin" and "vagina": the stemmer keeps them apart)."""
    if word in words:
        return True
    for other in words:
        short, long = sorted((len(word), len(other)))
        # "rectal" and "rectum", not "brain" and "brainstem", "ureter" and "urethra"
        if (
            4 <= short <= 7
            and long - short <= 2
            and word[:4] == other[:4]
            and len(os.path.commonprefix((word, other))) >= long - 2
        ):
            return True
    return False


def _other_column(claim: _Context, passage: _Context) -> bool:
    """Whether the claim names another column of the row the value stands in, and not its
    own ("the planning aim is below 75%" where 75% is the "Limit" column's)."""
    return bool(
        passage.column and claim.near & passage.other_columns and not claim.near & passage.column
    )


def _other_row(claim: _Context, passage: _Context) -> bool:
    """Whether a table row's first cell names what the claim does not ("Dose level: first
    reduction" for a claim about the second reduction)."""
    if "hr" in claim.words and {"hazard", "ratio"} <= passage.subject:
        # "HR 0.42" is the "Hazard ratio (95% CI)" row's
        claim = replace(claim, words=claim.words | {"hazard", "ratio"})
    if passage.events:
        # a row for any one of several events is the claim's row if one of them is the claim's
        return all(
            _other_row(claim, replace(passage, subject=event, gloss=frozenset(), events=()))
            for event in passage.events
        )
    shared = claim.values & passage.values
    units = {unit for _, unit in passage.values if unit}
    if (
        len(shared) >= 2
        # a measure every row of a constraint table repeats ("D2cm³", "V20Gy", "Mean dose")
        # names no row
        and {w for w in claim.words & passage.row_words if w.isalpha()} - _ROW_MEASURES
        # none of the claim's other values is one the row gives otherwise ("ANC 500 to
        # <1,000" against the row for "ANC < 500")
        and not any(unit in units for _, unit in claim.values - shared)
    ):
        # the row holds two of the claim's measured values and names the claim's condition
        # ("Hemoglobin < 8 g/dL | Withhold until ≥ 9 g/dL" for "for hemoglobin below 8 g/dL,
        # hold until 9 g/dL"), whatever its first cell calls the event ("Anemia")
        return False
    if not any(_akin(w, claim.words) for w in passage.subject):
        return True
    words = {w for w in passage.subject if w.isalpha() and w not in _PLAIN}
    if not claim.words & _CHANGE_WORDS:
        # what a laboratory row says happened to its test ("ALT or AST increase"): a claim may
        # name the test and its threshold ("ALT above 5 × ULN") without it, but a claim that
        # says "decrease" is not about the "increase" row
        words -= _CHANGE_WORDS
    missing = {w for w in words if not _akin(w, claim.words)}
    if len(missing) <= (1 if len(words) > 3 else 0):
        return False
    # a row named but for its gloss in brackets ("the primary tumour and involved nodes" for
    # "Definitive: primary tumour and involved nodes (high risk)") is the claim's row, unless
    # the claim names another step of the scale a gloss word belongs to ("low risk") or adds a
    # word of its own that the row does not hold; words outside brackets ("febrile" in "Grade
    # 4 febrile neutropenia", "chronic" in "CML, chronic phase") tell rows apart
    own = passage.subject | passage.words
    added = {
        w
        for w in claim.words - own - _PLAIN - _GENERIC - _REGIMEN_WORDS - _CHANGE_WORDS
        if w.isalpha() and not _number_word(w)
    }
    return (
        not missing <= passage.gloss
        # "Neutropenia (febrile)" beside "Neutropenia (afebrile)"; a severity is never a gloss
        or passage.gloss_tells
        or bool(missing & _SEVERITY)
        or bool(added)
        or any(scale & missing and scale & claim.words - missing for scale in _ROW_SCALES)
    )


_SEVERITY = frozenset(tokenize("mild moderate severe febrile afebrile"))


def _number_word(word: str) -> bool:
    """Whether a (stemmed) word is a number written out ("seven", "twelv")."""
    try:
        word_value(word)
    except KeyError:
        return word in _NUMBER_STEMS
    return True


_NUMBER_STEMS = frozenset(
    tokenize("one two three four five six seven eight nine ten eleven twelve twenty thirty")
)


# Closed sets of words that tell table rows apart, stemmed.
_ROW_SCALES = tuple(
    frozenset(tokenize(words))
    for words in (
        "first second third fourth fifth sixth initial subsequent recurrent",
        "low intermediate high very",
        "favourable favorable poor unfavourable",
        "mild moderate severe",
        "definitive postoperative adjuvant neoadjuvant preoperative palliative salvage "
        "induction maintenance consolidation metastatic advanced localised localized",
        "monotherapy alone combination combined",
        "positive negative",
        "increase decrease",
        "above below",
        "elective involved",
    )
)


def _endpoints_agree(claim: _Context, passage: _Context) -> bool:
    return not claim.endpoint or not passage.endpoint or claim.endpoint == passage.endpoint


def _interval(q: Quantity, found: list[Quantity]) -> str:
    """The confidence interval written right after an estimate ("59.3% (95% CI, 54.5 to
    63.9)", "HR, 0.66; 95% CI, 0.53 to 0.83"): its span, or ""."""
    if q.kind in ("ci", "ci_level", "p"):
        return ""
    for later in (p for p in found if p.start > q.start):
        if later.kind == "ci_level":
            continue
        return later.span if later.kind == "ci" and later.span else ""
    return ""


def _compared_arms(
    text: str, q: Quantity, found: list[Quantity], embedder: Embedder
) -> tuple[frozenset[str], ...]:
    """The two arms a hazard ratio compares: "(combination vs. ipilimumab: HR, 0.52; nivolumab
    vs. ipilimumab: HR, 0.63)", "Compared with ipilimumab, nivolumab alone reduced the risk of
    death (HR, 0.52)"; () when the statement does not say."""
    start = max((p.end for p in found if p.start < q.start and p.end >= 0), default=0)
    segment = text[start : q.start]
    opened = max(segment.rfind("("), segment.rfind(";"), segment.rfind("["))
    if opened >= 0:
        arms = _arms_named(segment[opened + 1 :], embedder)
        if len(arms) == 2:
            return tuple(arms)
        segment = segment[: segment.rfind("(")] if "(" in segment else segment
    arms = _arms_named(segment, embedder)
    return tuple(arms) if len(arms) == 2 else ()


def _same_arm(a: frozenset[str], b: frozenset[str]) -> bool:
    if "combination" in a | b:
        return len((a | b) - _ARM_WORDS) >= 2 or a == b
    return a == b


def _same_pair(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    return all(any(_same_arm(x, y) for y in b) for x in a) and all(
        any(_same_arm(y, x) for x in a) for y in b
    )


def _respective_mismatch(claim: _Context, passage: _Context) -> bool:
    """Whether the claim gives a value the passage gives "respectively" for another arm: the
    arm is known by the order the passage named its arms in; the claim's arm is the one that
    fits the names it gives the value for."""
    said = claim.owner
    if not said:
        return False
    drugs = said - _ARM_WORDS

    def fit(arm: frozenset[str]) -> float:
        if "combination" in arm:
            return 1.0 if len(drugs) >= 2 or "combination" in said else 0.0
        bonus = 1.0 if "combination" in said and len(arm - _ARM_WORDS) >= 2 else 0.0
        return len(said & arm) + bonus - 0.5 * len(drugs - arm)

    best = max(fit(arm) for arm in passage.arms)
    return best > 0 and fit(passage.respective) < best


def _alternatives(context: _Context, index: int, passage: _Passage) -> bool:
    """Whether every other value of its kind in its sentence is an alternative to the passage's
    value at ``index`` or another step of its schedule, joined by "or" or "then" with no
    setting between ("64 Gy in 32 fractions or 55 Gy in 20 fractions"; not "for peripheral
    tumours, 54 Gy …; for central tumours, 60 Gy …"), and no other sentence that gives one
    matches the claim as well."""
    own, where = passage.quantities[index], passage.contexts[index].sentence
    sentence = passage.sentences[where]
    mine = len(context.words & passage.contexts[index].words)
    rivals = [
        (q, c)
        for q, c in zip(passage.quantities, passage.contexts, strict=True)
        if q is not own and _same_kind(q, own) and q.key != own.key
    ]
    for q, c in rivals:
        if c.sentence != where:
            if len(context.words & c.words) >= mine:
                return False  # "… 54 Gy in 3 fractions. … 66 Gy … for ultra-central tumours"
            continue
        between = sentence[min(q.start, own.start) : max(q.start, own.start)]
        if ";" in between or not _OR.search(between) or _SETTING_WORDS.search(between):
            return False
    return bool(rivals)


# alternatives ("… or …") and the steps of one schedule ("every 3 months for 2 years, then
# every 6 months until 5 years")
_OR = re.compile(r"\b(?:or|then)\b", re.I)
# "for central tumours", "whereas", "in patients": a setting ("for 2 years" is a duration)
_SETTING_WORDS = re.compile(
    r"\bfor\s+(?!\d|up to|a total)|\b(?:whereas|while|if|when|in patients|in those)\b", re.I
)


# Partners too common to pin a value ("10 mg once daily", "on day 1", "grade 2"); a dose is
# pinned by its drug, never by its partner ("prednisone 10 mg once daily" in two regimens).
_COMMON_PARTNERS = frozenset({"frequency", "schedule", "label", "dose"})


def _bound_elsewhere(quantity: Quantity, context: _Context, index: int, passage: _Passage) -> bool:
    """Whether the passage binds the words the claim gives this value ("a 6 mg/kg loading
    dose", "ramucirumab plus paclitaxel: 19%", "6 months of CAPOX") to another value of the
    same kind, and binds its own occurrence of the value less well: the values were swapped
    or moved."""
    own_context = passage.contexts[index]
    if own_context.respective:
        return _respective_mismatch(context, own_context)
    if (
        quantity.unit == "label"
        and context.follower is not None
        and own_context.follower is not None
        and context.follower.time_key == own_context.follower.time_key
    ):
        # a grade or stage named with the value the passage gives it ("grade 3 or 4 glioma …
        # two years" where the passage says "for CNS WHO grade 3 or 4 glioma, the period is 24
        # months"): the claim keeps the passage's pairing, however its other words are bound
        return False
    if context.respective and _overlap(context.respective, own_context.owner):
        # the claim gives the value by the order of its arms ("… over active surveillance
        # (median 33.1 vs 30.4 months)") to the arm the passage gives it for
        return False
    if context.pair and own_context.pair and not _same_pair(context.pair, own_context.pair):
        # "nivolumab vs. ipilimumab: HR, 0.63" where the claim gives nivolumab 0.52, the
        # combination's hazard ratio against ipilimumab
        return any(
            c.pair and _same_pair(context.pair, c.pair) and q.value != quantity.value
            for q, c in zip(passage.quantities, passage.contexts, strict=True)
            if q.kind == "hr" and c.sentence == own_context.sentence
        )
    if (
        quantity.kind not in _COMMON_PARTNERS
        and (
            (
                context.close
                and own_context.close
                and context.follower is not None
                and own_context.follower is not None
                and context.follower.kind not in _COMMON_PARTNERS
                and context.follower.key == own_context.follower.key
            )
            or (context.leader is not None and context.leader == own_context.leader)
        )
        and _alternatives(context, index, passage)
    ):
        # "64 Gy in 32 fractions" stated as the passage states it, whichever alternative the
        # claim gives first: the words around it do not move it
        return False
    # what the claim says after the value and its own occurrence does not, said of another
    # value: "1.0 cm ... in solid organs or 2.5 cm ... in lymph nodes"; for a subgroup's ratio,
    # "in HCV-related disease" where the passage has "in HBV-related disease" though both say
    # "related disease"
    if quantity.kind == "hr":
        claimed_only = context.tail - own_context.tail - _PLAIN
        differs = bool(claimed_only and own_context.tail - context.tail - _PLAIN)
    else:
        claimed_only = context.tail
        differs = bool(context.tail and own_context.tail and not context.tail & own_context.tail)
    if differs:
        moved = any(
            _same_kind(q, quantity)
            and q.value != quantity.value
            and c.sentence == own_context.sentence
            and _endpoints_agree(context, c)
            and claimed_only & c.tail
            for q, c in zip(passage.quantities, passage.contexts, strict=True)
        )
        if moved:
            return True
    named = _named_after(context)
    if named and not named & _named_after(own_context):
        swapped = any(  # "3 months of CAPOX ... instead of 6 months", claimed the other way
            _same_kind(q, quantity)
            and q.value != quantity.value
            and not q.span
            and c.sentence == own_context.sentence
            and _endpoints_agree(context, c)
            and named & _named_after(c)
            and _binding(context, c) > _binding(context, own_context)
            # the rival measures what the claim measures, as much as the value's own clause
            and len(context.clause & c.clause) >= len(context.clause & own_context.clause)
            for q, c in zip(passage.quantities, passage.contexts, strict=True)
        )
        if swapped:
            return True
    if not own_context.item:
        return False  # its own item holds several values of its kind: no binding to judge
    own = _binding(context, own_context)
    names = _names_of(context)
    if (
        quantity.kind in ("count", "number")
        and own_context.nearest
        and _overlap({own_context.nearest}, frozenset(names))
    ):
        return False  # "kelaparib (n = 790)": the count is the named arm's, however worded
    own_named = bool(names) and _overlap(names, own_context.item_names)
    return any(
        # a rival given for another drug or arm cannot outbid a value given for the claim's
        not (own_named and c.item_names and not _overlap(names, c.item_names))
        and _same_kind(q, quantity)
        and q.value != quantity.value
        and not (q.span and q.span == passage.quantities[index].span)
        and _binding(context, c) > own
        and context.item & c.item
        and _endpoints_agree(context, c)
        # the rival's sentence matches the claim as well as the value's own sentence does
        and len(context.words & c.words) >= len(context.words & own_context.words)
        # what the claim names right after the value is named after this one, not the rival
        and not (context.tail & own_context.tail and not context.tail & c.tail)
        for q, c in zip(passage.quantities, passage.contexts, strict=True)
    )


def _written_in(name: str, passage: _Passage, heading: bool = False) -> bool:
    """Whether the passage writes ``name`` though not as a name of its own: an acronym as a
    word or after a lower-case prefix ("IPI" in "aaIPI", not "AC" in "cardiac"), a stem at a
    word's start ("lenalidomid" in "lenalidomide-refractory", not "paclitaxel" in
    "nab-paclitaxel"). With ``heading``, its title and section path count too: a product
    label's dose section names its drug only in the heading."""
    text = f"{passage.heading}\n{passage.text}" if heading else passage.text
    if len(name) < 5:
        pattern = rf"(?<![\w-])[a-z]{{0,2}}{re.escape(name.upper())}(?![\w-])"
        # a heading's trial name is written whole: "Trial Report: NEXUS-GBM" names NEXUS and GBM
        in_heading = heading and re.search(rf"\b{re.escape(name.upper())}\b", passage.heading)
        return re.search(pattern, text) is not None or bool(in_heading) or _spelled_out(name, text)
    low = text.lower()
    if re.search(rf"(?<![\w-]){re.escape(name)}", low):
        return True
    # "FLT3-ITD" in "FLT3-mutated (ITD or TKD)": each part of the name written as a word
    parts = name.split("-")
    return (
        len(parts) == 2
        and all(parts)
        and all(re.search(rf"(?<![\w-]){re.escape(part)}(?![a-z])", low) for part in parts)
    )


# Short words that spell no acronym ("and creatinine" is no "ANC").
_LINK_WORDS = frozenset(
    "a an and or of the to in on at for with by from is are be as after before than that "
    "this per".split()
)


def _spelled_out(acronym: str, text: str) -> bool:
    """Whether consecutive words of ``text`` spell ``acronym``, which no source defines, each
    by its first letter ("SBP": "systolic blood pressure"); short linking words spell
    nothing. Only acronyms of three to five letters."""
    letters = acronym.lower()
    if not 3 <= len(letters) <= 5 or not letters.isalpha():
        return False
    words = re.findall(r"[a-z]+", text.lower())
    size = len(letters)
    return any(
        "".join(w[0] for w in words[i : i + size]) == letters
        and not _LINK_WORDS & set(words[i : i + size])
        for i in range(len(words) - size + 1)
    )


# Words that say nothing about which value is which ("of patients", "those given").
_PLAIN = frozenset(
    "patient particip those group arm occur receiv recipi given treat popul rate median vs "
    "event".split()
)
# Words that link a value to what it is compared with, said of every value alike.
_LINKING = frozenset("compar against versu than".split())
# Words that give a part of what was just counted ("grade ≥3 adverse events in 61% and 19%,
# most commonly anemia (29% vs 2%)"): the part is said of what the whole was.
_BREAKDOWN = frozenset(
    "common includ main especi notabl chiefli princip predomin frequent mostli".split()
)


def _names_of(context: _Context) -> set[str]:
    """The names the claim binds a value to: named at it, or in its list item."""
    return {
        t.lower() for t in context.before | context.after if _entity_term(t) and t not in _ARMS
    } | set(context.item_names)


def _said_of_another(
    quantity: Quantity, context: _Context, index: int, passage: _Passage, other: bool = False
) -> bool:
    """Whether words the claim says of the value, absent where the passage gives it, are said
    in the same passage sentence of another value of its kind ("permanently discontinued for
    grade 2" where the passage withholds for grade 2 and discontinues for grade 3). With
    ``other``, only where the passage also says of its value what the claim does not ("Pyrexia
    occurred in 63%; grade 3 or 4 adverse events in 41%", claimed as grade 3 or 4 in 63%)."""
    own = passage.contexts[index]
    # a table row's first cell is said of every value in the row; "regimen" or "option" says
    # nothing of which
    distinctive = context.since - own.since - own.item - own.subject - _REGIMEN_WORDS
    # a grade's action may be said in the statement before or after ("For grade 2 colitis,
    # anti–PD-1 therapy is withheld …. Ipilimumab is permanently discontinued for grade 3")
    near = (
        {own.sentence - 1, own.sentence, own.sentence + 1}
        if quantity.unit == "label"
        else {own.sentence}
    )
    if other:
        # what is measured (its clause) as well; the next or previous statement too: "…; grade
        # 3 or 4 adverse events occurred in 41%"
        distinctive = (
            (context.since | context.clause)
            - own.since
            - own.clause
            - own.item
            - own.subject
            - _PLAIN
            - _LINKING
        )
        own_words = own.since | own.clause
        said = context.since | context.clause | context.item | context.words
        if not own_words - said - _PLAIN - _BREAKDOWN:
            return False
        near = {own.sentence - 1, own.sentence, own.sentence + 1}
    return bool(distinctive) and any(
        c.sentence in near
        and _same_kind(q, quantity)
        # another value of its kind, or the same grade said of another drug
        and (q.key != quantity.key or _other_drug(quantity, own, c))
        and _endpoints_agree(context, c)
        and distinctive & (c.since | c.clause if other else c.since)
        for q, c in zip(passage.quantities, passage.contexts, strict=True)
    )


_REGIMEN_WORDS = frozenset(tokenize("regimen option therapy treatment line choice approach"))


def _other_drug(quantity: Quantity, own: _Context, other: _Context) -> bool:
    return bool(
        quantity.unit == "label"
        and own.item_names
        and other.item_names
        and not own.item_names & other.item_names
    )


_ALONE = frozenset({"alon", "monotherapi", "singl"})


def _alone_or_combined(claim: _Context, passage: _Context) -> bool:
    """A dose the passage gives for a drug alone ("encorafenib 300 mg once daily alone")
    claimed for a combination ("… 300 mg once daily plus binimetinib"), or the reverse."""
    claim_alone = bool(_ALONE & (claim.item | claim.tail))
    passage_alone = bool(_ALONE & (passage.item | passage.tail))
    if passage_alone and not claim_alone:
        return len(claim.statement - _ARM_WORDS) >= 2 or "combin" in claim.words
    if claim_alone and not passage_alone:
        return len(passage.item_names - _ARM_WORDS) >= 2
    return False


def _mismatch(quantity: Quantity, context: _Context, index: int, passage: _Passage) -> bool:
    return bool(_mismatch_reason(quantity, context, index, passage))


def _mismatch_reason(quantity: Quantity, context: _Context, index: int, passage: _Passage) -> str:
    """Whether the passage shows that its occurrence of the value is not the claim's: another
    table row, toxicity grade, endpoint or regimen; a name the claim binds to it that the
    passage does not name, or binds to another value of the same kind; or words of the claim's
    item that the passage gives another value of the same kind."""
    own = passage.contexts[index]
    if own.subject and context.words and _other_row(context, own):
        return "another table row"
    if _other_column(context, own):
        return "another column of its row"
    if own.grades and context.grades and own.grades != context.grades:
        return "another toxicity grade"
    if context.endpoint and own.endpoint and context.endpoint != own.endpoint:
        return "another endpoint"
    if (
        context.heads
        and own.heads
        and not context.heads & own.statement
        and not own.heads & context.statement
    ):
        return "another regimen or test"
    if _other_nearest(context, own, quantity.kind):
        return "the passage gives the value for another drug or arm"
    if _bound_elsewhere(quantity, context, index, passage):
        if own.respective:
            arm = " plus ".join(sorted(own.respective))
            return f"the passage gives it for {arm}, by the order of its arms"
        return "the passage binds its words to another value"
    if own.respective:
        return ""
    if _another_arm(context, own, quantity.kind):
        return "the passage gives it for another of the claim's arms"
    # "placebo" is no drug name; a trial's name may stand only in an earlier passage
    names = {n for n in _names_of(context) - _ARM_WORDS if not _is_trial(n)}
    # names of every sentence: "daratumumab, bortezomib, lenalidomide and dexamethasone
    # (Dara-VRd)" may stand in a sentence with no value
    everywhere = passage.names or frozenset(n for c in passage.contexts for n in c.statement)
    # a trial report or a product label may name its trial or drug only in its heading
    if any(
        not _overlap({n}, everywhere) and not _written_in(n, passage, heading=True) for n in names
    ):
        return "the claim names a drug, test or arm the passage does not"
    # a trial's name ("Table 5. PORTAL-EC 5-year outcomes") says where, not whose
    items = frozenset(n for n in own.item_names if not _is_trial(n))
    if items and names and not _overlap(names, items) and items - context.statement:
        return "the passage gives the value for a name the claim does not mention"
    if _other_gene(context, own):
        return "the passage gives the value for another gene or marker"
    # a table row's first cell is said of every value in the row
    distinctive = context.since - own.since - own.item - own.subject - _PLAIN
    for q, c in zip(passage.quantities, passage.contexts, strict=True):
        if (
            c.sentence != own.sentence
            or not _same_kind(q, quantity)
            or q.key == quantity.key
            or not _endpoints_agree(context, c)
        ):
            continue
        if any(_overlap({n}, c.item_names) and not _overlap({n}, own.item_names) for n in names):
            return "the claim's name goes with another value of this kind"
        if distinctive & c.since:
            return "what the claim says of the value goes with another value"
    return ""


# Values that pair up across rows or sentences: a dose with the kidney function or the group
# it is for ("CrCl 30 to 59 mL/min: 0.35 mg"), a dose with the dose of a companion drug.
_PAIRED_KINDS = frozenset({"dose", "radiation", "percent", "lab", "cells", "age", "size"})


def _partners(found: list[Quantity]) -> list[Quantity | None]:
    """For each value of the claim, the nearest value before it of a pairing kind and another
    unit: the one it is stated together with."""
    out: list[Quantity | None] = []
    for i, q in enumerate(found):
        partner = None
        if q.kind in _PAIRED_KINDS and q.unit:
            partner = next(
                (
                    p
                    for p in reversed(found[:i])
                    if p.kind in _PAIRED_KINDS and p.unit and p.unit != q.unit
                ),
                None,
            )
        out.append(partner)
    return out


def _apart(quantity: Quantity, partner: Quantity, passage: _Passage) -> bool:
    """Whether the passage gives the two values only in different sentences, clauses or table
    rows, each beside another value of the other's kind: "30 to 59 mL/min ... 0.35 mg" and "15 to 29
    mL/min ... 0.25 mg" do not support "30 to 59 mL/min ... 0.25 mg"."""

    def clause(p: Quantity, c: _Context) -> tuple[int, int]:
        # "30 to 59 mL/min, 10 mg once daily; below 30 mL/min, 15 mg": clauses of a sentence
        return c.sentence, passage.sentences[c.sentence][: max(p.start, 0)].count(";")

    def holding(q: Quantity) -> set[tuple[int, int]]:
        return {
            clause(p, c)
            for p, c in zip(passage.quantities, passage.contexts, strict=True)
            if p.key == q.key and p.span == q.span
        }

    def rival_in(where: tuple[int, int], q: Quantity) -> bool:
        return any(
            clause(p, c) == where and _same_kind(p, q) and (p.key, p.span) != (q.key, q.span)
            for p, c in zip(passage.quantities, passage.contexts, strict=True)
        )

    mine, theirs = holding(quantity), holding(partner)
    if not mine or not theirs or mine & theirs:
        return False
    return all(rival_in(s, partner) for s in mine) and all(rival_in(s, quantity) for s in theirs)


_BARE_LIST = re.compile(
    r"(?<![\w.,])(?<!days )(?<!day )(?<!cycles )(?<!weeks )\d+(?:\.\d+)?\s*%?"
    r"(?:(?:\s*,\s*|,?\s+and\s+|,?\s+or\s+)\d+(?:\.\d+)?\s*%?){2,}"
    r"(?:\s*(?:months?|weeks?|years?|%))?(?![\w.])"
)


def _bare_lists(text: str) -> list[list[str]]:
    """Runs of three or more values written as a bare list ("72%, 39% and 44%"; "8.3, 5.5 and
    6.0 months"), or two compared ("22% vs 66%"), with no name or word between them: their
    order is all that says which value is which arm's. Schedules ("days 1, 8 and 15") are
    left out."""
    return [
        [normalise_value(v) for v in re.findall(r"\d+(?:\.\d+)?", m.group(0))]
        for pattern in (_BARE_LIST, _BARE_PAIR)
        for m in pattern.finditer(text)
    ]


_BARE_PAIR = re.compile(
    r"(?<![\w.,])\d+(?:\.\d+)?\s*%?\s+(?:vs\.?|versus)\s+\d+(?:\.\d+)?\s*%?"
    r"(?:\s*(?:months?|weeks?|years?|%))?(?![\w.])"
)


_ARM_WORD = re.compile(r"\b(?:with|on|in the)\s+(?:the\s+|an?\s+)?([A-Za-z][\w-]{3,})", re.I)


def _arm_of(text: str, q: Quantity, arms: list[str]) -> str:
    """Which of the two ``arms`` the claim gives ``q`` for: the one named in its list item, or
    else the one named nearest before it."""
    end = q.end if q.end >= 0 else q.start + len(q.text)
    item = (
        _ITEM_SEP.split(text[: q.start])[-1] + " " + _ITEM_SEP.split(text[end:], maxsplit=1)[0]
    ).lower()
    in_item = [a for a in arms if re.search(rf"\b{re.escape(a)}", item)]
    if len(in_item) == 1:
        return in_item[0]
    before = text[: q.start].lower()
    found = {a: before.rfind(a) for a in arms if a in before}
    return max(found, key=lambda a: found[a]) if found else ""


def _repeat_for_course(a: Quantity, b: Quantity) -> bool:
    """ "every 2 weeks" against "for 2 weeks": how often, said of how long (a cycle's length,
    "four 28-day cycles" and "4 cycles of 28 days", is both)."""
    every = next((q for q in (a, b) if q.kind == "interval"), None)
    return (
        every is not None
        and {a.kind, b.kind} == {"interval", "duration"}
        and re.match(r"every\b", every.text.strip(), re.I) is not None
    )


def _legend_letter(q: Quantity) -> bool:
    """Whether a value is a grade named by a legend's letter alone ("B, strong or …")."""
    return q.value.startswith("grade ") and len(q.text) == 1


def _legend_entries(text: str, found: Sequence[Quantity]) -> list[tuple[Quantity, frozenset[str]]]:
    """Each legend letter of ``text`` with the words of its entry, up to the next letter ("A,
    strong evidence for efficacy …; B, …")."""
    letters = [q for q in found if _legend_letter(q)]
    ends = [q.start for q in letters[1:]] + [len(text)] * bool(letters)
    return [
        (q, frozenset(_content(text[q.end : end]))) for q, end in zip(letters, ends, strict=True)
    ]


def _legend_mismatch(
    quantity: Quantity, context: _Context, matches: list[int], passage: _Passage
) -> bool:
    """Whether a grade found only in a grading legend ("B, strong or moderate evidence …") is
    said in words the legend gives another grade ("grade A means a limited clinical benefit"),
    or given to a recommendation the legend does not grade."""
    if (
        not quantity.value.startswith("grade ")
        or not passage.legend
        or not all(_legend_letter(passage.quantities[i]) for i in matches)
    ):
        return False
    letter = quantity.value.removeprefix("grade ")
    # a claim that is a legend itself is read entry by entry ("run from A (…) through B (…)")
    said = context.entry or context.words
    shared = {g: len(said & words) for g, words in passage.legend}
    # a recommendation graded "(grade A)" is not given its grade by the legend that defines
    # grade A: only a claim that restates the legend's words for it is
    return letter not in shared or shared[letter] < 2 or max(shared.values()) > shared[letter]


def _once_for_total(claim: Quantity, passage: Quantity) -> bool:
    """Whether the claim says "once daily" where the passage gives a dose per day ("400 mg/day"),
    which may be split into two doses; "daily" restates it."""
    return (
        daily_total(passage)
        and not daily_total(claim)
        and " ".join(claim.text.lower().split()) not in ("daily", "every day", "each day")
    )


def _same_value(a: Quantity, b: Quantity) -> bool:
    """The same value, or how often written another way ("every week" and "weekly")."""
    return a.key == b.key or a.rhythm is not None and a.rhythm == b.rhythm


def _same_time(claim: Quantity, own: _Context, passage: Quantity, other: _Context) -> bool:
    """A time written in other units: "every 21 days" is "every 3 weeks"; "36-month PFS" is
    PFS "at 3 years". A duration counts only as the time point of the same endpoint: "for up
    to 2 years" of treatment is not the "24-month" rate."""
    if {claim.kind, passage.kind} == {"interval", "frequency"}:
        # "every week" is "weekly", "twice a year" is "every 6 months"
        return claim.rhythm is not None and claim.rhythm == passage.rhythm
    return (
        claim.time_key == passage.time_key
        and claim.kind == passage.kind
        and (
            claim.kind == "interval"
            or bool(own.endpoint)
            and own.endpoint == other.endpoint
            # "for up to 24 months" of treatment is "for up to 2 years"; "after 24 months of
            # bisphosphonate therapy" is "after two years"
            or not own.endpoint
            and not other.endpoint
            and claim.bound == passage.bound
        )
    )


# "reduced the risk of progression or death by 59%", "lowered the odds of relapse by 30%", "a
# 29% reduction in the risk of death": a ratio written as the change it stands for.
_RATIO_CHANGE = re.compile(
    r"\b(?P<verb>reduc\w*|lower\w*|decreas\w*|cut|increas\w*|rais\w*)\s+(?:the\s+)?"
    r"(?P<what>risk|hazard|odds)\b[^.;%]{0,80}?\bby\s*$",
    re.I,
)
_CHANGE_IN_RATIO = re.compile(
    r"^\s*(?P<verb>reduction|decrease|lower|increase|higher)\s+(?:in\s+)?(?:the\s+)?"
    r"(?P<what>risk|hazard|odds)\b",
    re.I,
)


def _as_ratios(text: str, found: list[Quantity]) -> list[Quantity]:
    """``found`` with each percentage that states a ratio as a change read as that ratio: "by
    59%" after "reduced the risk of death" is HR 0.41, "by 27%" after "increased the odds" is
    OR 1.27. The text is kept, so a message quotes it as written."""
    out = []
    for q in found:
        if q.kind != "percent" or q.span or q.bound:
            out.append(q)
            continue
        end = q.end if q.end >= 0 else q.start + len(q.text)
        change = _RATIO_CHANGE.search(text[max(0, q.start - 120) : q.start]) or (
            _CHANGE_IN_RATIO.match(text[end:])
        )
        if change is None:
            out.append(q)
            continue
        down = change.group("verb").lower().startswith(("reduc", "lower", "decreas", "cut"))
        ratio = 1 - float(q.value) / 100 if down else 1 + float(q.value) / 100
        unit = "OR" if change.group("what").lower() == "odds" else "HR"
        derived = replace(q, value=normalise_value(f"{ratio:.4f}"), unit=unit, kind="hr")
        # "by 59% (HR 0.41)": the claim states the ratio as well, which is checked as written
        if not any(o.kind == "hr" and o.key == derived.key for o in found):
            out.append(derived)
    return out


def _bounds_agree(claim: str, passage: str) -> bool:
    """ "10% or higher" is not "10% to 20%"; "up to 3 years" is not "3 years or more"."""
    return not claim or not passage or claim == passage


_REPEATED_KINDS = frozenset({"dose", "percent", "size", "lab", "radiation", "hr", "cells"})


def _repeat_flags(
    found: list[Quantity], checked: Sequence[int], passages: dict[int, _Passage], flags: list[Flag]
) -> list[Flag]:
    """A value the claim gives twice where the passage gives it once ("1-mm margins for tumors
    1.0 mm thick" against "1-cm margins for tumors 1.0 mm thick"): one of the two is not the
    passage's, though each alone finds it."""
    if not checked or any(f.kind in NUMBER_FLAGS for f in flags):
        return []
    out: list[Flag] = []
    for key in dict.fromkeys(q.key for q in found if q.kind in _REPEATED_KINDS and not q.span):
        said = len({q.start for q in found if q.key == key and not q.span})
        if said < 2:
            continue
        given = max(
            len({q.start for q in passages[r].quantities if q.key == key and not q.span})
            for r in checked
        )
        if given < said:
            shown = next(q.text.strip() for q in found if q.key == key)
            out.append(
                Flag(
                    "number_other_context",
                    f"'{shown}' is given {said} times in the claim but "
                    f"{'once' if given == 1 else f'{given} times'} in passage [{checked[0]}]: "
                    "one of them belongs to something else",
                    checked[0],
                )
            )
    return out


def _marks(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _embed(embedder: Embedder, claims: list[str], sentences: list[str]) -> np.ndarray:
    """Vectors of the claims, then of the passage sentences. Passage sentences recur and are
    cached (also on disk); claims are the user's or the model's text, which may name a
    patient: kept nowhere (a claim that quotes a passage sentence reads that one's vector)."""
    return np.vstack([embedder.embed_known(claims), embedder.embed_cached(sentences)])


class Verifier:
    """Checks answers against retrieved passages with the bundled embedder."""

    def __init__(
        self,
        embedder: Embedder,
        max_source_age_years: int = 5,
        today: date | None = None,
        glossary: Callable[[str], str] | None = None,
    ) -> None:
        """``glossary`` gives a document's list of abbreviations by its id, read for the terms
        and regimens that the retrieved passages abbreviate."""
        self.embedder = embedder
        self.max_source_age_years = max_source_age_years
        self.glossary = glossary
        self.today = today or date.today()

    def _source_flags(self, hits: Sequence[Hit], cited: set[int]) -> list[Flag]:
        """Answer-level flags for the passages the answer relies on."""
        flags = []
        for h in hits:
            if h.rank not in cited:
                continue
            if instructs(h.chunk.flags):
                flags.append(
                    Flag(
                        "injection_source",
                        f"passage [{h.rank}] contains {', '.join(h.chunk.flags)}; its instruction-like "
                        "sentences were withheld from the model — check that the answer does "
                        "not follow them",
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

    def _passage(
        self,
        rank: int,
        text: str,
        defined: dict[str, str],
        drugs_of: dict[str, frozenset[str]] | None = None,
        section: str = "",
    ) -> _Passage:
        """The passage's sentences, values and their contexts; under a heading that names a
        grading legend ("Grades of recommendation"), its lines "A: …", "B: …" are the legend's
        entries."""
        shown = tuple(claim_sentences(text)) or (" ".join(text.split()),)
        # values are read where defined terms are abbreviated, as the claim is (see _judge)
        sentences = tuple(_as_read(s, defined, drugs_of or {}) for s in shown)
        found: list[Quantity] = []
        contexts: list[_Context] = []
        in_legend = bool(GRADE_LEGEND.search(section))
        entries: list[tuple[str, frozenset[str]]] = []
        for n, sentence in enumerate(sentences):
            # "reduced the risk of death by 27%" is HR 0.73 in a passage as in a claim
            in_sentence = _as_ratios(sentence, quantities(sentence))
            # a grading legend split at its semicolons: "…: A, strong …; B, strong or moderate …"
            entry = _LEGEND_ENTRY.match(sentence) if in_legend else None
            if entry:
                letter = Quantity(f"grade {entry.group(1).lower()}", "label", "", 0, "label", 1)
                in_sentence = [replace(letter, text=entry.group(1)), *in_sentence]
            in_legend = bool(entry) or bool(GRADE_LEGEND.search(sentence))
            entries += [(q.value[-1], words) for q, words in _legend_entries(sentence, in_sentence)]
            found += in_sentence
            earlier = sentences[max(0, n - 3) : n]
            contexts += [
                replace(c, sentence=n)
                for c in _contexts(sentence, in_sentence, self.embedder, earlier)
            ]
        # rows that differ only in their brackets: the brackets tell them apart
        plain = Counter(
            (c.subject - c.gloss, c.gloss)
            for c in {c.sentence: c for c in contexts if c.gloss}.values()
        )
        told = Counter(key for key, _ in plain)
        contexts = [
            replace(c, gloss_tells=True) if c.gloss and told[c.subject - c.gloss] > 1 else c
            for c in contexts
        ]
        return _Passage(
            rank,
            text,
            sentences,
            tuple(found),
            tuple(contexts),
            # the words as written and as abbreviated: "non-Hodgkin lymphoma" matches "NHL"
            frozenset(tokenize(text)) | frozenset(t for s in sentences for t in tokenize(s)),
            shown,
            self._with_regimens(
                frozenset(n for s in sentences for n in _names(s, self.embedder)), drugs_of or {}
            ),
            legend=tuple(entries),
            titled=_heading_conditions(section)[0],
            titled_words=_heading_conditions(section)[1],
        )

    def _with_regimens(
        self, names: frozenset[str], drugs_of: dict[str, frozenset[str]]
    ) -> frozenset[str]:
        """``names`` with the drugs of each regimen among them ("Dara-VRd": daratumumab,
        bortezomib, lenalidomide, dexamethasone), and each regimen whose drugs are all among
        them: a claim may name a regimen either way."""
        out = set(names)
        for regimen, drugs in drugs_of.items():
            stems = frozenset(_names(" ".join(drugs), self.embedder))
            if regimen.lower() in names:
                out |= stems
            elif stems and stems <= names:
                out.add(regimen.lower())
        return frozenset(out)

    def verify(self, text: str, hits: Sequence[Hit], judge_unmarked: bool = False) -> Verification:
        """Verdicts and flags for every claim in ``text``. With ``judge_unmarked``, a claim
        without markers is judged against all ``hits`` instead of being flagged uncited."""
        claims = split_claims(text)
        if not claims:
            return Verification(())
        # "non-Hodgkin lymphoma (NHL)" in one passage: "NHL" and the spelled-out term are one
        texts = [checked_text(h.chunk) for h in hits]
        sources = list(texts)
        if self.glossary is not None:
            sources += [self.glossary(d) for d in dict.fromkeys(h.chunk.doc_id for h in hits)]
        defined = definitions(sources)
        drugs_of = regimens(sources)
        passages = {
            h.rank: replace(
                self._passage(
                    h.rank,
                    text,
                    defined,
                    drugs_of,
                    h.chunk.section_path[-1] if h.chunk.section_path else "",
                ),
                heading=" ".join((h.chunk.title, *h.chunk.section_path)),
            )
            for h, text in zip(hits, texts, strict=True)
        }
        flat = [(r, s) for r, p in passages.items() for s in p.shown]
        vectors = _embed(self.embedder, [c for c, _ in claims], [s for _, s in flat])
        claim_vectors, sentence_vectors = vectors[: len(claims)], vectors[len(claims) :]
        sentence_terms = [
            set(tokenize(s)) | set(tokenize(a))
            for p in passages.values()
            for s, a in zip(p.shown, p.sentences, strict=True)
        ]

        results = []
        for index, (claim, cited) in enumerate(claims):
            if len(claim) > MAX_CLAIM_CHARS:
                # no clinical statement is this long; judging it would take minutes
                results.append(
                    Claim(
                        claim,
                        cited,
                        UNSUPPORTED,
                        0.0,
                        (
                            Flag(
                                "claim_too_long",
                                f"this statement has {len(claim):,} characters; statements of "
                                f"more than {MAX_CLAIM_CHARS:,} are not checked: split it",
                            ),
                        ),
                        None,
                        0.0,
                    )
                )
                continue
            analysed = _as_read(claim, defined, drugs_of)
            terms = _content(analysed)
            semantic = sentence_vectors @ claim_vectors[index] if flat else np.zeros(0)

            def lexical(bag: set[str] | frozenset[str], terms: set[str] = terms) -> float:
                return len(terms & bag) / len(terms) if terms else 0.0

            sentence_scores = [
                0.5 * max(float(semantic[i]), 0.0) + 0.5 * lexical(sentence_terms[i])
                for i in range(len(flat))
            ]
            scores: dict[int, float] = {}
            for rank, passage in passages.items():
                rows = [i for i, (r, _) in enumerate(flat) if r == rank]
                best_semantic = max((float(semantic[i]) for i in rows), default=0.0)
                scores[rank] = 0.5 * max(best_semantic, 0.0) + 0.5 * lexical(passage.terms)
            results.append(
                self._judge(
                    claim,
                    cited,
                    passages,
                    scores,
                    flat,
                    sentence_scores,
                    judge_unmarked,
                    analysed,
                )
            )
        cited_ranks = {n for claim in results for n in claim.citations}
        cited_ranks |= {c.support_source for c in results if c.support_source and not c.citations}
        return Verification(tuple(results), tuple(self._source_flags(hits, cited_ranks)))

    def _judge(
        self,
        claim: str,
        cited: tuple[int, ...],
        passages: dict[int, _Passage],
        scores: dict[int, float],
        flat: list[tuple[int, str]],
        sentence_scores: list[float],
        judge_unmarked: bool,
        analysed: str,
    ) -> Claim:
        """The verdict on ``claim``. Its values are read in ``analysed``, the claim with defined
        terms abbreviated as the passages' values are; its wording is judged as written."""
        flags: list[Flag] = []
        note = ""
        if judge_unmarked and cited and not any(n in passages for n in cited):
            # Text drafted elsewhere keeps its own reference numbers ("… sequence.[12]"): they
            # name none of the passages shown, so the claim is judged as unmarked.
            note = f"its reference {_marks(cited)} is not one of the passages shown; "
            cited = ()
        for n in cited:
            if n not in passages:
                flags.append(Flag("invalid_citation", f"[{n}] is not one of the sources shown"))
        valid = [n for n in cited if n in passages]
        unmarked = not cited and judge_unmarked
        # a bracketed "[III, B]" is judged as a grade (see grades), not as a value in context
        claim_quantities = [
            q for q in _as_ratios(analysed, quantities(analysed)) if q.kind != "grade"
        ]
        owners = _contexts(analysed, claim_quantities, self.embedder)
        partners = _partners(claim_quantities)

        def missing(ranks: Sequence[int]) -> list[int]:
            """Indexes of claim quantities no passage in ``ranks`` supports."""
            return [
                i
                for i, q in enumerate(claim_quantities)
                if not any(self._supports(q, owners[i], passages[r], partners[i]) for r in ranks)
            ]

        # The passage that best supports the claim: fewest unsupported numbers, then score.
        # An unmarked claim is one statement: one passage, among those that match it at all,
        # must support all of it.
        candidates = [r for r in passages if scores[r] >= WEAK_AT] or list(passages)
        ranked = sorted(candidates, key=lambda r: (len(missing([r])), -scores[r]))
        best = max(scores, key=lambda r: scores[r]) if scores else None
        checked = valid or ([ranked[0]] if unmarked and ranked else [best] if best else [])
        score = max((scores[n] for n in checked), default=0.0)
        if unmarked and ranked:
            score = scores[ranked[0]]
        where = "the cited passage" if valid else f"passage [{checked[0]}]" if checked else ""
        number_flags = self._number_flags(
            claim_quantities, owners, checked, passages, where, partners
        )
        number_flags += _repeat_flags(claim_quantities, checked, passages, number_flags)
        if reversed_change := _change_reversed(analysed):
            number_flags.append(Flag("number_other_context", reversed_change))
        if widened := _grade_range_differs(claim, [passages[r].text for r in checked]):
            number_flags.append(Flag("number_other_context", widened))
        number_flags += self._contradictions(claim_quantities, owners, passages, number_flags)
        flags += number_flags
        flags += self._order_flags(analysed, claim_quantities, owners, checked, passages, flags)
        flags += self._stance_flags(claim, checked, flat, sentence_scores)
        if swapped := self._drug_swapped(claim, checked, passages, flat, sentence_scores):
            flags.append(swapped)

        support_source = None
        if not valid and not unmarked:
            verdict = UNCITED
            flags.append(
                Flag(
                    "uncited",
                    "no source is cited for this statement"
                    + (f"; the closest passage is [{best}]" if best else ""),
                    best if best and scores[best] >= WEAK_AT else None,
                )
            )
        elif any(f.kind in CONTRADICTION_FLAGS for f in flags):
            verdict = CONTRADICTED
        elif any(f.kind in NUMBER_FLAGS for f in flags):
            verdict = UNSUPPORTED
        elif score >= SUPPORTED_AT or score >= WEAK_AT and self._anchored(claim, checked, passages):
            verdict = SUPPORTED
        elif score >= WEAK_AT:
            verdict = WEAK
        else:
            verdict = UNSUPPORTED
        if unmarked:
            support_source = ranked[0] if ranked else None
            if verdict in (SUPPORTED, WEAK) and support_source is not None:
                note += f"not cited; passage [{support_source}] supports it"
            else:
                note += "not cited"
        elif valid and verdict in (SUPPORTED, WEAK):
            support_source = max(valid, key=lambda r: scores[r])
        if valid and verdict in (UNSUPPORTED, WEAK, CONTRADICTED) and ranked:
            alternative = ranked[0]
            if (
                alternative not in valid
                and scores[alternative] >= SUPPORTED_AT
                and not missing([alternative])
                and not self._stance_flags(claim, [alternative], flat, sentence_scores)
            ):
                flags.append(
                    Flag(
                        "wrong_citation",
                        f"the cited passage does not support this; passage [{alternative}] does",
                        alternative,
                    )
                )
        return Claim(
            text=claim,
            citations=cited,
            verdict=verdict,
            score=round(score, 3),
            flags=tuple(flags),
            best_source=best,
            best_score=round(scores[best], 3) if best is not None else 0.0,
            note=note,
            support_source=support_source,
        )

    @staticmethod
    def _supports(
        quantity: Quantity,
        context: _Context,
        passage: _Passage,
        partner: Quantity | None = None,
    ) -> bool:
        """Whether ``passage`` gives ``quantity`` for the same entity and, when the claim ties
        it closely to the next quantity ("80 mg on day 1"), with that quantity too; and not
        only apart from its ``partner`` (see ``_apart``)."""
        if partner is not None and _apart(quantity, partner, passage):
            return False
        same = [
            i
            for i, q in enumerate(passage.quantities)
            if (q.key == quantity.key or _same_time(quantity, context, q, passage.contexts[i]))
            and not _repeat_for_course(q, quantity)
            and q.span == quantity.span  # a range matches only as a range, both ends
            and _bounds_agree(quantity.bound, q.bound)
            and not _once_for_total(quantity, q)
        ]
        matches = [
            i
            for i in same
            if _same_entity(context, passage.contexts[i], quantity.kind)
            and not _bound_elsewhere(quantity, context, i, passage)
            and not _alone_or_combined(context, passage.contexts[i])
        ]
        if not matches:
            # A paraphrase words the value's entity, arm or endpoint differently or elsewhere in
            # the sentence: the value is supported unless the passage shows a mismatch.
            matches = [i for i in same if not _mismatch(quantity, context, i, passage)]
        matches = [
            i
            for i in matches
            if not _other_setting(quantity, context, i, passage)
            and not _other_gene(context, passage.contexts[i])
            # an estimate with another estimate's confidence interval
            and not (
                context.interval
                and passage.contexts[i].interval
                and context.interval != passage.contexts[i].interval
            )
            # a label's action ("withheld for grade 2") is checked even where it binds
            and not (quantity.unit == "label" and _said_of_another(quantity, context, i, passage))
            # a rate the passage gives for another event, beside the claim's event's rate
            and not (
                quantity.kind == "percent" and _said_of_another(quantity, context, i, passage, True)
            )
        ]
        if not matches or _legend_mismatch(quantity, context, matches, passage):
            return False
        if (
            quantity.kind == "dose"
            and context.nearest
            and context.nearest not in _ARM_WORDS
            and not _overlap({context.nearest}, passage.names)
            and not _written_in(context.nearest, passage, heading=True)
        ):
            return False  # "sorafenib 50 mg" where the passage gives 50 mg and never sorafenib
        follower = context.follower
        if follower is None or not context.close:
            return True
        followers = [passage.contexts[i].follower for i in matches]
        if any(f is not None and _same_value(f, follower) for f in followers):
            return True
        if any(
            passage.contexts[i].subject
            # a cell that pairs values itself ("61% vs 19%") keeps its pair
            and not passage.contexts[i].close
            and any(
                _same_value(q, follower) and c.sentence == passage.contexts[i].sentence
                for q, c in zip(passage.quantities, passage.contexts, strict=True)
            )
            for i in matches
        ):
            # a table row gives its values cell by cell, not in the order "A vs B": the
            # follower is checked on its own, by its column
            return True
        if follower.kind == "duration" and any(
            f is not None and f.kind == "duration" and f.time_key != follower.time_key
            for f in followers
        ):
            # "every 6 months until 3 years" where the passage has "every 6 months until 5
            # years": another passage's "3 years" must not make the pair whole
            return False
        if not any(_same_value(q, follower) for q in passage.quantities):
            return True  # the follower is wrong on its own and flagged as such
        # Only another value of the same kind where the claim has its follower contradicts.
        return not any(f is not None and _same_kind(f, follower) for f in followers)

    def _number_flags(
        self,
        found: list[Quantity],
        owners: list[_Context],
        checked: Sequence[int],
        passages: dict[int, _Passage],
        where: str,
        partners: Sequence[Quantity | None] = (),
    ) -> list[Flag]:
        flags: list[Flag] = []
        partners = list(partners) or [None] * len(found)
        for i, quantity in enumerate(found):
            shown = quantity.text.strip()
            if any(self._supports(quantity, owners[i], passages[r], partners[i]) for r in checked):
                continue
            same_key = [
                (rank, j)
                for rank in checked
                for j, q in enumerate(passages[rank].quantities)
                if q.key == quantity.key and not _once_for_total(quantity, q)
            ]
            if same_key:
                others = sorted(
                    {
                        t
                        for rank, j in same_key
                        for t in passages[rank].contexts[j].before
                        | passages[rank].contexts[j].after
                    }
                )
                mine = sorted(owners[i].before | owners[i].after)
                rank, j = same_key[0]
                why = _mismatch_reason(quantity, owners[i], j, passages[rank])
                if not why and _other_setting(quantity, owners[i], j, passages[rank]):
                    why = "the passage gives it for another setting"
                if not why and _legend_mismatch(quantity, owners[i], [j], passages[rank]):
                    why = "its grading legend says this of another grade"
                flags.append(
                    Flag(
                        "number_other_context",
                        f"'{shown}' appears in {where}, but in another context"
                        + (f" ({', '.join(others)})" if others else "")
                        + (f", not for {', '.join(mine)}" if mine else "")
                        + (f": {why}" if why else ""),
                        same_key[0][0],
                    )
                )
                continue
            if any(
                q.key == quantity.key
                and q.span == quantity.span
                and q.bound == quantity.bound
                # the claim states it of what the heading states it of
                and owners[i].clause & passages[rank].titled_words
                for rank in checked
                for q in passages[rank].titled
            ):
                # the condition its section's heading states, and the passage does not give that
                # value at all: under "Relapse 6 months or more after first-line therapy",
                # re-treatment is preferred "for relapse at least 6 months after" (a dose in a
                # heading supports nothing: "Cisplatin 75 mg/m2" is no carboplatin dose)
                continue
            if not quantity.unit:
                with_units = sorted(
                    {
                        q.text
                        for rank in checked
                        for q in passages[rank].quantities
                        if q.value == quantity.value and q.unit
                    }
                )
                if with_units:
                    flags.append(
                        Flag(
                            "number_other_context",
                            f"'{shown}' appears in {where} only as "
                            f"{', '.join(repr(t) for t in with_units)}",
                        )
                    )
                    continue
            elsewhere = [
                rank
                for rank, passage in passages.items()
                if rank not in checked and self._supports(quantity, owners[i], passage, partners[i])
            ]
            if elsewhere:
                flags.append(
                    Flag(
                        "number_other_source",
                        f"'{shown}' is not in {where}; it appears in passage "
                        f"[{elsewhere[0]}] — check which source it belongs to",
                        elsewhere[0],
                    )
                )
            else:
                flags.append(
                    Flag(
                        "number_not_in_source",
                        f"'{shown}' does not appear in "
                        + (
                            "the cited source"
                            if where == "the cited passage"
                            else "any retrieved passage"
                        ),
                    )
                )
        return flags

    def _order_flags(
        self,
        claim: str,
        found: list[Quantity],
        owners: list[_Context],
        checked: Sequence[int],
        passages: dict[int, _Passage],
        flags: list[Flag],
    ) -> list[Flag]:
        """Two values compared between arms in the claim ("63.5% with darolutamide and 66.1%
        with placebo") that the passage gives in the other order without naming the arm at
        either value ("66.1% and 63.5% of patients, respectively", "15.3 vs 11.3 months"): the
        passage's values follow the order in which it first names the arms."""
        if any(f.kind in NUMBER_FLAGS for f in flags):
            return []
        for values in _bare_lists(claim):
            for rank in checked:
                for given in (g for t in passages[rank].sentences for g in _bare_lists(t)):
                    if sorted(values) == sorted(given) and values != given:
                        return [
                            Flag(
                                "number_other_context",
                                f"passage [{rank}] lists these values in another order "
                                f"({', '.join(given)})",
                                rank,
                            )
                        ]
        names = list(dict.fromkeys(_names(claim, self.embedder)))
        # Arms named by a preposition ("with the radioligand", "on standard care").
        names += [
            t
            for m in _ARM_WORD.finditer(claim)
            for t in tokenize(m.group(1))
            if t not in names and t not in _GENERIC
        ]
        out: list[Flag] = []
        for i, j in zip(range(len(found)), range(1, len(found)), strict=False):
            a, b = found[i], found[j]
            if not _same_kind(a, b) or a.value == b.value or a.span or b.span:
                continue
            if not a.unit or a.kind in _COMPARISON_KINDS:
                continue
            for rank in checked:
                passage = passages[rank]
                lower = passage.text.lower()
                first = {
                    n: m.start() for n in names if (m := re.search(rf"\b{re.escape(n)}", lower))
                }
                arms = sorted(first, key=lambda n: first[n])[:2]
                if len(arms) < 2:
                    continue
                order = self._passage_order(a, b, passage)
                if order is None:
                    continue
                claim_arm_a = _arm_of(claim, a, arms)
                claim_arm_b = _arm_of(claim, b, arms)
                if not claim_arm_a or not claim_arm_b or claim_arm_a == claim_arm_b:
                    continue
                # In the passage, the first value of the pair goes with the first-named arm.
                passage_arm_a = arms[0] if order == "ab" else arms[1]
                if passage_arm_a != claim_arm_a:
                    out.append(
                        Flag(
                            "number_other_context",
                            f"'{a.text.strip()}' and '{b.text.strip()}' are given the other way "
                            f"round in passage [{rank}] ({arms[0]} first)",
                            rank,
                        )
                    )
                    return out
        return out

    @staticmethod
    def _passage_order(a: Quantity, b: Quantity, passage: _Passage) -> str | None:
        """ "ab" or "ba": the order in which one sentence of the passage gives both values
        with no name at either; None when no sentence does."""
        for sentence in {c.sentence for c in passage.contexts}:
            here = [
                (q, c)
                for q, c in zip(passage.quantities, passage.contexts, strict=True)
                if c.sentence == sentence and q.key in (a.key, b.key) and not q.span
            ]
            keys = [q.key for q, _ in here]
            if keys.count(a.key) != 1 or keys.count(b.key) != 1:
                continue
            if any(c.item_names for _, c in here):
                return None  # the passage names the arm at a value: judged by binding
            return "ab" if keys.index(a.key) < keys.index(b.key) else "ba"
        return None

    @staticmethod
    def _contradictions(
        found: list[Quantity],
        owners: list[_Context],
        passages: dict[int, _Passage],
        number_flags: list[Flag],
    ) -> list[Flag]:
        """A passage gives another value for the same entity and quantity as an unsupported
        number of the claim."""
        flags: list[Flag] = []
        failing = {f.message.split("'")[1] for f in number_flags if "'" in f.message}
        for i, quantity in enumerate(found):
            owner = owners[i].before | owners[i].after
            if quantity.text.strip() not in failing or not owner or not quantity.unit:
                continue
            if quantity.unit == "label" or any(
                q.key == quantity.key and owner & (c.before | c.after | c.lead)
                for p in passages.values()
                for q, c in zip(p.quantities, p.contexts, strict=True)
            ):
                continue  # another passage gives it for the same entity: not a contradiction
            for rank, passage in passages.items():
                rivals = [
                    q
                    for j, q in enumerate(passage.quantities)
                    if _same_kind(q, quantity)
                    and q.value != quantity.value
                    and owner & (passage.contexts[j].before | passage.contexts[j].after)
                ]
                # name the passage's value only when it gives one: "gives '70%' for placebo"
                # when it gives 27% and 70% for placebo would mislead
                rival = rivals[0] if len({q.key for q in rivals}) == 1 else None
                if rival is not None:
                    flags.append(
                        Flag(
                            "number_contradicted",
                            f"passage [{rank}] gives '{rival.text.strip()}' for "
                            f"{', '.join(sorted(owner))}, not '{quantity.text.strip()}'",
                            rank,
                        )
                    )
                    break
        return flags

    @staticmethod
    def _anchored(claim: str, checked: Sequence[int], passages: dict[int, _Passage]) -> bool:
        """Whether one sentence of the passage gives two or more of the claim's values, all of
        which are supported: a restated result ("49%, 42%, and 23%, respectively" given per
        arm) that shares few words with it."""
        values = _value_keys(claim)
        return len(values) >= 2 and any(
            len(values & _value_keys(sentence)) >= 2
            for rank in checked
            for sentence in passages[rank].sentences
        )

    def _drug_swapped(
        self,
        claim: str,
        checked: Sequence[int],
        passages: dict[int, _Passage],
        flat: list[tuple[int, str]],
        sentence_scores: list[float],
    ) -> Flag | None:
        """A drug the claim names that the passage never names, where the sentence the claim
        restates names another drug the claim does not ("withhold zenocitinib and give
        prednisolone" for "withhold pembrolizumab and give prednisolone")."""
        rows = [i for i, (r, _) in enumerate(flat) if r in checked]
        if not rows:
            return None
        row = max(rows, key=lambda i: sentence_scores[i])
        if sentence_scores[row] < STANCE_MATCH_AT:
            return None

        def drugs(text: str) -> set[str]:
            return {n for n in _names(text, self.embedder) if _DRUG.search(n) and "-" not in n}

        # names compared whole, spellings made one: valaciclovir is not aciclovir, acyclovir is
        mine = drugs(claim)
        named = {_spelling(n) for r in checked for n in passages[r].names}
        absent = {
            n
            for n in mine
            if _spelling(n) not in named
            and not any(_written_in(n, passages[r], heading=True) for r in checked)
        }
        spelled = {_spelling(m) for m in mine}
        others = {n for n in drugs(flat[row][1]) if _spelling(n) not in spelled}
        if not absent or not others or _copied(claim, flat[row][1]):
            return None
        return Flag(
            "entity_contradicted",
            f"passage [{flat[row][0]}] says this of {', '.join(sorted(others))} and never names "
            f'{", ".join(sorted(absent))}: "{flat[row][1][:160]}"',
            flat[row][0],
        )

    @staticmethod
    def _stance_flags(
        claim: str,
        checked: Sequence[int],
        flat: list[tuple[int, str]],
        sentence_scores: list[float],
    ) -> list[Flag]:
        """Recommendation, negation and grade must match the passage sentence the claim
        matches best."""
        rows = [i for i, (r, _) in enumerate(flat) if r in checked]
        if not rows or any(_copied(claim, flat[i][1]) for i in rows):
            return []  # a sentence copied from the passage says what the passage says
        row = max(rows, key=lambda i: sentence_scores[i])
        row = _same_bounds(claim, rows, row, flat, sentence_scores)
        flags: list[Flag] = []
        # A results sentence is anchored by its values: the passage sentence that gives two or
        # more of the claim's values is the one it restates, however it is worded. "significantly
        # prolonged OS" is judged there: the passage may say the difference was not significant.
        values = _value_keys(claim)
        shared = {i: len(values & _value_keys(flat[i][1])) for i in rows} if values else {}
        anchor = max(rows, key=lambda i: (shared.get(i, 0), sentence_scores[i]))
        # two shared values, or the claim's one value when it is distinctive ("HR 0.97")
        distinctive = len(values) == 1 and "." in next(iter(values))[0]
        count, similarity = shared.get(anchor, 0), sentence_scores[anchor]
        # two values with decimals ("88.7% vs 88.6%") found together are the claim's own
        precise = sum("." in v for v, _ in values & _value_keys(flat[anchor][1])) >= 2
        if not (
            (count >= 2 or count == 1 == len(values))
            and similarity >= WEAK_AT / 2
            or (count == 1 and distinctive or precise)
            and similarity >= 0.1
        ):
            anchor = row if sentence_scores[row] >= STANCE_MATCH_AT else -1
        effect = bool(_EFFECT.search(claim)) and not _negations(claim)
        if anchor >= 0 and (_SIGNIFICANT.search(claim) or effect):
            rank, sentence = flat[anchor]
            # the part that gives the claim's values ("… but not with lenvatinib plus
            # everolimus (HR, 1.15; 95% CI, 0.88 to 1.50)"), else the one sharing most words
            holding = [p for p in _parts(sentence) if values & _value_keys(p)]
            part = (
                max(holding, key=lambda p: len(values & _value_keys(p)))
                if holding
                else _best_part(claim, sentence)
            )
            if _SIGNIFICANT.search(claim) or _CLEARLY.search(claim):
                # "clearly reduced VTE" is a claim of significance too
                # ("clearly reduced (RR 0.46; 95% CI 0.15 to 1.41)": the words are the claim)
                claimed = significance(claim) if _SIGNIFICANT.search(claim) else "significant"
                found = significance(part) or (significance(sentence) if part != sentence else "")
            else:
                # "improved overall survival (HR 0.97)" where the passage says in words that OS
                # did not differ
                claimed = "significant"
                found = "not significant" if _NOT_SIGNIFICANT.search(part) else ""
            if claimed and found and claimed != found:
                flags.append(
                    Flag(
                        "polarity_contradicted",
                        f'passage [{rank}] says the result was {found}: "{sentence[:160]}"',
                        rank,
                    )
                )
        if anchor >= 0 and (direction := _direction_contradicted(claim, flat[anchor][1])):
            rank, sentence = flat[anchor]
            flags.append(
                Flag(
                    "polarity_contradicted",
                    f'passage [{rank}] gives {direction}: "{sentence[:160]}"',
                    rank,
                )
            )
        if claimed_verdict := noninferiority(claim):
            # what the passage says of non-inferiority, where it says it one way only
            verdicts = {
                i: noninferiority(flat[i][1])
                for i in rows
                if sentence_scores[i] >= WEAK_AT / 2 and noninferiority(flat[i][1])
            }
            if verdicts and all(v != claimed_verdict for v in verdicts.values()):
                i = max(verdicts, key=lambda i: sentence_scores[i])
                rank, sentence = flat[i]
                flags.append(
                    Flag(
                        "polarity_contradicted",
                        f'passage [{rank}] says non-inferiority was {verdicts[i]}: "{sentence[:160]}"',
                        rank,
                    )
                )
        if anchor >= 0 and eligibility(claim):
            rank, sentence = flat[anchor]
            found = eligibility(sentence)
            if found and found != eligibility(claim):
                said = "were excluded" if found == "out" else "were eligible"
                flags.append(
                    Flag(
                        "polarity_contradicted",
                        f'passage [{rank}] says such patients {said}: "{sentence[:160]}"',
                        rank,
                    )
                )
        if claimed_action := dose_action(claim):
            # a dose-modification rule: the rule the claim restates is the sentence or table
            # row that says what to do and matches it best, among those that give its values
            actions = {i: dose_action(flat[i][1]) for i in rows}
            acting = [i for i in rows if actions[i] and sentence_scores[i] >= WEAK_AT / 2]
            # a table's cells as read ("Grade: 4" is grade 4)
            giving = [i for i in acting if values & _value_keys(_cell_units(flat[i][1]))]
            acting = giving or acting
            if acting:
                best = max(acting, key=lambda i: sentence_scores[i])
                if not any(
                    actions[i] == claimed_action
                    and sentence_scores[i] >= sentence_scores[best] - 0.05
                    for i in acting
                ):
                    rank, sentence = flat[best]
                    said = "continued" if claimed_action == "off" else "withheld or stopped"
                    flags.append(
                        Flag(
                            "polarity_contradicted",
                            f'passage [{rank}] says the drug is {said} here: "{sentence[:160]}"',
                            rank,
                        )
                    )
        if sentence_scores[row] >= STANCE_MATCH_AT and (
            group := _group_flipped(claim, flat[row][1])
        ):
            flags.append(
                Flag(
                    "polarity_contradicted",
                    f'passage [{flat[row][0]}] is about patients {group}: "{flat[row][1][:160]}"',
                    flat[row][0],
                )
            )
        if sentence_scores[row] >= STANCE_MATCH_AT and (
            swapped := _group_swapped(claim, row, rows, flat, sentence_scores)
        ):
            flags.append(
                Flag(
                    "entity_contradicted",
                    f"passage [{flat[row][0]}] says this of another group, {swapped}: "
                    f'"{flat[row][1][:160]}"',
                    flat[row][0],
                )
            )
        if (ranked := _tier_differs(claim, row, rows, flat)) is not None:
            rank, sentence, found_tier = ranked
            flags.append(
                Flag(
                    "grade_contradicted",
                    f"passage [{rank}] lists it as {found_tier}, not {tier(claim)}: "
                    f'"{sentence[:160]}"',
                    rank,
                )
            )
        if other_trial := _other_trial(claim, row, rows, flat):
            flags.append(
                Flag(
                    "entity_contradicted",
                    f"passage [{flat[row][0]}] gives this for {other_trial}, and never names "
                    f'the claim\'s trial: "{flat[row][1][:160]}"',
                    flat[row][0],
                )
            )
        if inconsistent := _comparison_inconsistent(claim):
            flags.append(Flag("polarity_contradicted", inconsistent))
        if (
            not _negations(claim)
            and not _ABSENCE.search(claim)
            and (denied_by := _short_denial(claim, [flat[i] for i in rows]))
        ):
            flags.append(
                Flag(
                    "polarity_contradicted",
                    f'passage [{denied_by[0]}] denies it: "{denied_by[1][:160]}"',
                    denied_by[0],
                )
            )
        clause_graded = _grade_mentions(claim) and any(grades(flat[i][1]) for i in rows)
        if clause_graded:
            # "X is preferred (category 1), with Y as a category 2B choice": each clause is read
            # against the list item or sentence it restates, however short the items are
            segment_grade = _segment_grades(claim, [flat[i] for i in rows])
            if segment_grade is not None:
                graded_rank, graded, theirs, mine = segment_grade
                flags.append(
                    Flag(
                        "grade_contradicted",
                        f"passage [{graded_rank}] gives {', '.join(sorted(theirs))}, not "
                        f'{", ".join(sorted(mine))}: "{graded[:160]}"',
                        graded_rank,
                    )
                )
        if sentence_scores[row] < STANCE_MATCH_AT and not _restated_whole(claim, flat[row][1]):
            # A clause that says nearly all the claim says, denied ("surgery was not delayed
            # by neoadjuvant treatment in any patient"), inside a sentence about more.
            for i in rows:
                denial = _denying_clause(claim, flat[i][1])
                if denial:
                    flags.append(
                        Flag(
                            "polarity_contradicted",
                            f'passage [{flat[i][0]}] says the opposite here: "{denial[:160]}"',
                            flat[i][0],
                        )
                    )
                    break
            return flags
        rank, sentence = flat[row]
        part = sentence if len(_parts(claim)) > 1 else _best_part(claim, sentence)
        claim_stances = stances(claim)
        named = _NAMED_STRENGTH.search(claim)
        if (
            named
            and not {"against", "insufficient"} & set(claim_stances)
            and not _RECOMMENDED.search(claim)
        ):
            # "… should be added (conditional recommendation)": the strength named is the
            # claim's stance, not its "should"
            claim_stances = ["for" if named.group(1).lower() == "strong" else "conditional"]
        strong = sentence_scores[row] >= 0.85
        negation_differs = _negations(claim) % 2 != _negations(part) % 2 and strong
        if part != sentence and strong and _restates_more(claim, part, sentence):
            # "may shorten PFS, with no clear effect on OS": each clause of the claim is read
            # against the part or table cell it restates, so a "no" kept in its clause is no
            # flip and one moved to another clause is
            negation_differs = _clause_negation_differs(claim, sentence)

        def said_elsewhere(extra: set[str]) -> bool:
            """Whether each clause of the claim that takes a stance in ``extra`` restates
            another sentence of the passage that takes it ("X may be considered from 3
            months, but live vaccines should be avoided" over two sentences)."""
            clauses = _parts(claim)
            if len(clauses) == 1:
                # "take it the same day, and do not take extra capsules": two clauses
                clauses = re.split(r",\s+(?:and|while)\s+", claim)
            for clause in clauses:
                mine = set(stances(clause)) & extra
                if not mine:
                    continue
                words = _content(clause) - _STANCE_WORDS
                shared = {i: len(words & _content(flat[i][1])) for i in rows}
                other = max(rows, key=lambda i: shared[i])
                # the clause's own words, not only its stance, must restate the other sentence
                # better than the sentence the claim matches ("live vaccines may be considered
                # …, but inactivated vaccines should be avoided" swaps the two subjects)
                if (
                    other == row
                    or shared[other] <= shared[row]
                    or shared[other] < 0.6 * len(words)
                    or not mine <= set(stances(flat[other][1]))
                ):
                    return False
            return True

        def apart(passage_stances: list[str]) -> bool:
            """Whether the claim's clauses restate this sentence and others of the passage,
            each with its own stance."""
            extra = set(claim_stances) - set(passage_stances)
            return bool(
                extra and set(passage_stances) & set(claim_stances) and said_elsewhere(extra)
            )

        def flipped(passage_stances: list[str]) -> bool:
            if apart(passage_stances):
                return False
            if set(claim_stances) == {"conditional"} and passage_stances[:1] == ["for"]:
                return False  # "is an option" where it "is recommended": weaker, not opposite
            if set(claim_stances) - set(passage_stances) == {"conditional"} and set(
                passage_stances
            ) <= {"for", "conditional"}:
                # "X should be offered, and Y is an option for those who decline it" where the
                # sentence read gives X's recommendation: an option added, nothing reversed
                return False
            return bool(claim_stances and passage_stances) and (
                not set(claim_stances) <= set(passage_stances)
                or (claim_stances != passage_stances and strong)
            )

        # The part of the sentence the claim matches ("X is not recommended, but Y should be
        # used": a claim that X is recommended matches the first part), else the sentence.
        passage_stances = (stances(part) if part != sentence else []) or stances(sentence)
        whole = stances(sentence)
        later = _parts(sentence)[1:]
        if (
            part != sentence
            and len(set(whole)) > 1
            and set(claim_stances) == set(whole)
            and all(_BACK_REFERENCE.match(p) for p in later)
            # the later clauses say nothing new of their own, only a stance ("but it is not
            # required"), so no subject can have been swapped
            and not set().union(*(_content(re.sub(r"[\[(][^\])]*[\])]", " ", p)) for p in later))
            - _content(_parts(sentence)[0])
            - _STANCE_WORDS
            - _NEED_WORDS
        ):
            # "A sixth cycle may be given if …, but it is not required" restated as "… is not
            # required but may be given if …": one subject, both stances, in either order
            passage_stances = claim_stances
        if (
            flipped(passage_stances)
            or (
                negation_differs
                and not (claim_stances and claim_stances == passage_stances)
                # "take a missed dose the same day, and do not take extra capsules" over two
                # sentences: the "not" is the second sentence's
                and not apart(passage_stances)
            )
            or _denied(claim, part)
            or _preference_reversed(claim, part)
            # the group it is said of, described the other way ("who have" for "who do not
            # have"): whatever the stance, it is said of other patients
            or (strong and _qualifier_flipped(claim, part))
        ):
            said = ", ".join(passage_stances) or "the opposite"
            flags.append(
                Flag(
                    "polarity_contradicted",
                    f'passage [{rank}] says {said} here: "{sentence[:160]}"',
                    rank,
                )
            )
        claim_grades = grades(claim)
        passage_grades = grades(part) or grades(sentence) or _graded_below(flat, row)
        if clause_graded:
            return flags  # read clause by clause above
        if grades_differ(claim_grades, passage_grades):
            flags.append(
                Flag(
                    "grade_contradicted",
                    f"passage [{rank}] gives {', '.join(sorted(passage_grades))}, "
                    f"not {', '.join(sorted(claim_grades))}",
                    rank,
                )
            )
        return flags
