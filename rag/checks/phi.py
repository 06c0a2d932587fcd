"""PHI guard: find patient identifiers in free text and redact them, offline.

Pattern recognisers with context words, in the spirit of Presidio's pattern recognisers
(Presidio itself needs a spaCy model that no registry here ships): person names introduced by
a title or a patient reference, record numbers (MRN, hospital, NHS and other IDs), dates of
birth and other full dates, phone numbers, e-mail addresses, street addresses and postcodes,
and national ID numbers. It errs towards flagging: a false alarm costs a click, a miss leaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,2}"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+(?:19|20)\d{{2}}|"
    rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})"
)

# (kind, pattern, group holding the identifier). Order matters: earlier kinds win overlaps.
_RECOGNISERS: list[tuple[str, re.Pattern[str], int]] = [
    ("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), 0),
    ("NATIONAL_ID", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), 0),  # US SSN
    (
        "RECORD_NUMBER",
        re.compile(
            r"\b(?:MRN|medical record(?: number)?|record (?:no|number)|hospital (?:no|number)|"
            r"patient (?:id|number|no)|NHS (?:no|number)|chart (?:no|number)|case (?:no|number)|"
            r"ID)\b\.?\s*[:#]?\s*([A-Z]{0,3}[-\s]?\d[\d\s-]{3,14}\d)",
            re.IGNORECASE,
        ),
        1,
    ),
    (
        "DATE_OF_BIRTH",
        re.compile(
            rf"\b(?:DOB|D\.O\.B\.|date of birth|born(?: on)?|birthday)\s*[:#]?\s*({_DATE})", re.I
        ),
        1,
    ),
    ("DATE", re.compile(rf"\b{_DATE}\b"), 0),
    (
        "PHONE",
        re.compile(
            r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}\b"
        ),
        0,
    ),
    (
        "ADDRESS",
        re.compile(
            r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|"
            r"Boulevard|Blvd|Court|Ct|Way|Place|Pl|Square|Sq|Terrace|Close|Crescent)\b\.?"
        ),
        0,
    ),
    ("POSTCODE", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"), 0),  # UK postcode
    ("POSTCODE", re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"), 0),  # US state + ZIP
    ("ID_NUMBER", re.compile(r"(?<![\w.,])\d{7,}(?![\w.,])"), 0),
    (
        "PERSON",
        re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Sra)\.?\s+({_NAME})"),
        1,
    ),
    (
        "PERSON",
        re.compile(
            rf"\b(?i:patient|pt|client|mother|father|husband|wife|son|daughter|named|called|"
            rf"name(?:\s+is)?|name:)\s*[:,]?\s+({_NAME})",
        ),
        1,
    ),
    (
        "PERSON",
        re.compile(rf"\b({_NAME}),?\s+(?:a|an|aged)\s+\d{{1,3}}[- ](?:year|yr)s?[- ]old"),
        1,
    ),
]

# Capitalised words that follow "patient" etc. without being names.
_NOT_NAMES = {
    "with", "has", "had", "who", "is", "was", "aged", "age", "and", "the", "a", "an", "of",
    "history", "stage", "grade", "positive", "negative", "female", "male", "woman", "man",
    "cancer", "her", "his", "their", "presents", "presenting", "receiving",
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int


def find_phi(text: str) -> list[Finding]:
    """Identifiers in ``text``, left to right, without overlaps."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern, group in _RECOGNISERS:
        for match in pattern.finditer(text):
            start, end = match.span(group)
            value = match.group(group)
            if kind == "PERSON":
                words = value.split()
                while words and words[-1].lower() in _NOT_NAMES:
                    words.pop()
                if not words or words[0].lower() in _NOT_NAMES:
                    continue
                value = " ".join(words)
                end = start + len(value)
            if kind == "PHONE" and sum(c.isdigit() for c in value) < 9:
                continue
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            findings.append(Finding(kind, value, start, end))
    return sorted(findings, key=lambda f: f.start)


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """``text`` with each identifier replaced by its kind in brackets, e.g. ``[PERSON]``."""
    out = text
    for finding in sorted(
        findings if findings is not None else find_phi(text), key=lambda f: -f.start
    ):
        out = out[: finding.start] + f"[{finding.kind}]" + out[finding.end :]
    return out


def describe(findings: list[Finding]) -> str:
    kinds = sorted({f.kind.replace("_", " ").lower() for f in findings})
    return ", ".join(kinds)


def redact_together(*texts: str) -> list[str]:
    """Redact several texts of one record; a name found in one is redacted in all of them."""
    names = {f.text for text in texts for f in find_phi(text) if f.kind == "PERSON"}
    out = []
    for text in texts:
        findings = find_phi(text)
        for name in names:
            for match in re.finditer(rf"\b{re.escape(name)}\b", text):
                if not any(f.start < match.end() and match.start() < f.end for f in findings):
                    findings.append(Finding("PERSON", name, match.start(), match.end()))
        out.append(redact(text, findings))
    return out
