"""PHI guard: find patient identifiers in free text and redact them, offline.

Recognisers, each measured on a labelled set (``tests/data/phi_labelled.jsonl``, figures in
``docs/PHI.md``): person names from a name lexicon with capitalisation and context cues
(``phi_names``), phone numbers checked by libphonenumber (``phonenumbers``) for the countries
clinicians here write from, record numbers (MRN, hospital, NHS, CHI and other IDs) and national
IDs introduced by their label, dates of birth and other full dates, e-mail addresses, street
addresses and postcodes. It errs towards flagging: a false alarm costs a click, a miss leaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.checks.phi_names import find_names, lexicon

if TYPE_CHECKING:
    from rag.types import Answer

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_DATE = (
    rf"(?:\d{{1,2}}(?P<s1>[/.-])\d{{1,2}}(?P=s1)(?:19|20)?\d{{2}}(?![\d.]\d)|(?:19|20)\d{{2}}(?P<s2>[/.-])\d{{2}}(?P=s2)\d{{2}}|"
    rf"\d{{1,2}}-{_MONTH}-(?:19|20)?\d{{2}}|"
    rf"{_WEEKDAY}\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?,?(?:\s+(?:19|20)\d{{2}})?|"
    rf"{_MONTH}\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}|"
    rf"(?<![\d.])(?:0?[1-9]|1[0-2])/(?:19|20)\d{{2}}(?![\d/]))"
)
_RECORD_LABEL = (
    r"MRN|medical record(?: number| no\.?)?|record (?:no|number)|hosp(?:ital)?\.? (?:no|number|id)|"
    r"patient (?:id|number|no)|pt (?:id|no)|NHS(?: (?:no|number))?|CHI(?: (?:no|number))?|"
    r"(?:chart|case|unit) (?:no|number)|(?:chart|case|unit|record|hospital|patient)(?= ?#)|Krankenhaus-Nr|"
    r"N° de dossier|n[uú]mero de historia cl[ií]nica|historia cl[ií]nica|Medicare (?:no|number)|"
    r"Medicaid (?:no|number|id)|health card|insurance (?:no|number)|ID"
)
_RECORD_VALUE = r"[A-Z]{0,4}-?\d[\dA-Z]*(?:[ -]\d[\dA-Z]*){0,3}(?:-[A-Z]{1,2}\b)?"
_NATIONAL_LABEL = (
    r"SSN|social security(?: (?:no|number))?|BSN|personnummer|NIR|PESEL|DNI|NIE|Aadhaar|"
    r"NI (?:no|number)|national insurance(?: (?:no|number))?|national id|passport(?: no)?|"
    r"codice fiscale|CPF|SIN|Steuer-ID|fødselsnummer|henkilötunnus|CPR"
)
_STREET = (
    r"Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Square|"
    r"Sq|Terrace|Close|Crescent|Parade|Approach|Gardens|Grove|Mews|Row|Walk|Rise|Highway|Hwy|"
    r"Parkway|Pkwy|Circle|Cir|Trail|Hill|View"
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|NSW|VIC|QLD|ACT|TAS"
)
_NAMEWORD = r"[A-ZÀ-Þ][\w'’.-]*"
_NO_PHONE_BEFORE = re.compile(
    r"(?i)(?:PMID|NCT|ISRCTN|EudraCT|doi|ISBN|ISSN|DRKS|ACTRN|UMIN|ChiCTR|CTRI|JRCT|ref)[\s:#.]*$"
)

# (kind, pattern, group holding the identifier). Order matters: earlier kinds win overlaps.
_RECOGNISERS: list[tuple[str, re.Pattern[str], int]] = [
    ("EMAIL", re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b"), 0),
    ("NATIONAL_ID", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), 0),  # US SSN
    ("NATIONAL_ID", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"), 0),
    (
        "NATIONAL_ID",
        re.compile(
            rf"\b(?:{_NATIONAL_LABEL})\b\.?\s*[:#]?\s*((?=[\dA-Z -]*\d)[\dA-Z](?:[\dA-Z -]{{3,24}}[\dA-Z])?)",
            re.IGNORECASE,
        ),
        1,
    ),
    (
        "RECORD_NUMBER",
        re.compile(
            rf"(?i:\b(?:{_RECORD_LABEL}))\b\.?\s*[:#]?\s*#?\s*({_RECORD_VALUE})",
        ),
        1,
    ),
    (
        "DATE_OF_BIRTH",
        re.compile(
            rf"(?i:\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date|born(?: on)?|b\.|birthday|"
            rf"geboren(?: am)?|fecha de nacimiento|n[ée]e? le))\s*[:#]?\s*({_DATE})"
        ),
        1,
    ),
    ("DATE", re.compile(rf"\b{_DATE}"), 0),
    (
        "ADDRESS",
        re.compile(
            r"\bThe\s+(?:[A-Z][a-z]+\s+){0,2}(?:Rectory|Vicarage|Cottage|Cottages|Farm|Lodge|Manor|"
            r"Barn|Mill|Grange|Coach House|Old School|Bungalow)\b(?:,\s+(?:[A-Z][a-z]+\s+){0,2}(?:Lane|Road|Street))?"
        ),
        0,
    ),
    (
        "ADDRESS",
        re.compile(
            rf"\b(?:Flat|Apt|Apartment|Unit|Suite|House|Plot)\.?\s+\w+,\s+(?:{_NAMEWORD}\s+){{1,3}}(?:{_STREET})\b"
        ),
        0,
    ),
    (
        "ADDRESS",
        re.compile(
            rf"\b(?:(?:Flat|Apt|Apartment|Unit|Suite|House|Plot)\.?\s+\w+,?\s+)?"
            rf"\d{{1,5}}[A-Za-z]?(?:[/-]\d{{1,4}})*,?\s+(?:[NSEW]\.?\s+)?"
            rf"(?:{_NAMEWORD}\s+){{1,4}}(?:{_STREET})\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?(?:,?\s+(?:Apt|Apartment|Flat|Suite|Unit)\.?\s+\w+)?"
        ),
        0,
    ),
    (
        "ADDRESS",
        re.compile(
            r"(?i:\b\d{1,5}[a-z]?\s+(?:[a-z][\w'’-]+\s+){1,3}(?:street|road|avenue|lane|drive|close|terrace|crescent)\b)"
        ),
        0,
    ),
    (
        "ADDRESS",
        re.compile(
            rf"\b(?:{_NAMEWORD}\s+){{1,3}}(?:Lane|Road|Street|Avenue|Close|Crescent|Terrace|Way|Drive|Gardens|Mews)\b"
            rf"(?=,|\s+\d|\s*$)"
        ),
        0,
    ),
    (
        "ADDRESS",
        re.compile(
            r"\b(?:\d{1,5},?\s+)?(?:Rue|rue|Calle|calle|Via|Viale|Avenida|Av\.|Rua|Piazza|Plaza|Paseo|"
            r"Carrer|Chemin|Allée|ul\.|ulica|Jalan|Boulevard|bd)\s+(?:(?:de|del|la|los|las|da|das|do|dos|di|"
            r"des|du)\s+)?(?:"
            + _NAMEWORD
            + r"\s+){0,3}"
            + _NAMEWORD
            + r"(?:\s+\d{1,5}[a-zA-Z]?(?:/\d+)?(?:,\s*\d+[ºª]\s*\w+)?)?"
        ),
        0,
    ),
    (
        "ADDRESS",
        re.compile(
            r"\b(?:" + _NAMEWORD + r"\s+){0,2}[\w'’-]*(?:straße|strasse|weg|gasse|platz|allee|damm|"
            r"gatan|vägen|gata|gate|gade|vej|gracht|straat|laan|intie|katu|tie)\s+\d{1,5}[a-zA-Z]?"
            r"(?:\s+[A-Z]\s+\d{1,3})?\b"
        ),
        0,
    ),
    ("ADDRESS", re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.IGNORECASE), 0),
    ("ADDRESS", re.compile(r"\b\d{1,4}-\d{1,4}-\d{1,4}\s+" + _NAMEWORD), 0),  # Japanese chome
    ("ADDRESS", re.compile(r"\b[A-Z]-\d{1,4},\s+Sector\s+\d+"), 0),
    (
        "ADDRESS",
        re.compile(
            r"\b(?:House|Plot|Road|Sector|Block|Flat)\s+[A-Z]?-?\d+[A-Z]?\b"
            r"(?:,\s+(?:Road|Sector|Block)\s+\d+)*(?:,\s+[A-Z][a-z]+\b)?"
        ),
        0,
    ),
    # UK postcode; one-letter areas are only B, E, G, L, M, N, S and W ("T2N0M0" is a stage)
    (
        "POSTCODE",
        re.compile(r"\b(?:[BEGLMNSW]|[A-PR-UWYZ][A-HK-Y])\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b"),
        0,
    ),
    # Canadian postal code, written with its space ("T2N0M0" is a stage)
    ("POSTCODE", re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z] \d[A-Z]\d\b"), 0),
    ("POSTCODE", re.compile(rf"\b(?:{_STATES})\s+(\d{{4,5}}(?:-\d{{4}})?)\b"), 1),  # state + ZIP
    (
        "POSTCODE",
        re.compile(
            r"(?i:\b(?:ZIP|zip code|post ?code|postal code|PLZ|CP)\b)\s*[:#]?\s*(\d{4,5}(?:-\d{4})?)\b"
        ),
        1,
    ),
    (
        "POSTCODE",
        # "75004 Paris", "00-238 Warszawa"; a bare year ("© 2024 National…") is no postcode
        re.compile(
            r"(?<![\w.,/-])((?:[A-Z]{1,2}-)?(?:(?!(?:19|20)\d\d\b)\d{4,5}|\d{3} \d{2}|\d{2}-\d{3}|"
            r"\d{4} ?[A-Z]{2}))(?=\s+[A-ZÀ-Þ][a-zà-ÿ]+\b)"
        ),
        1,
    ),
    ("ID_NUMBER", re.compile(r"(?<![\w.,/-])\d{7,}(?![\w.,/-])"), 0),
]


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int


def warm_up() -> None:
    """Load the name lexicon and phone metadata now rather than on the first question."""
    lexicon()
    _phones("+44 7700 900123")


_TITLE_WORDS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sra",
    "herr",
    "frau",
    "mme",
    "sister",
}
_PHONE_REGIONS = ("GB", "US", "FR", "DE", "ES", "IT", "NL", "SE", "NO", "DK", "FI", "IE", "CH")
_PHONE_CANDIDATE = re.compile(r"(?<![\w/.,:;-])(?:\+|00)?\(?\d[\d\s().-]{5,20}\d(?![\w/]|[.,]\d)")


def _phones(text: str) -> list[tuple[int, int]]:

    spans = []
    for m in _PHONE_CANDIDATE.finditer(text):
        raw = m.group().rstrip(" .-")
        digits = sum(c.isdigit() for c in raw)
        if not 7 <= digits <= 15 or _NO_PHONE_BEFORE.search(
            text[max(0, m.start() - 30) : m.start()]
        ):
            continue
        if re.fullmatch(
            r"(?:19|20)\d{2}(?:[-/.]\d{1,2}){0,2}|(?:19|20)\d{2}\s*[-/]\s*(?:19|20)\d{2}", raw
        ):
            continue
        if digits <= 6 and re.fullmatch(r"\d{1,3}(?:\.\d+)+", raw):
            continue
        if re.search(r"\((?:19|20)\d{2}\)", raw):  # "Ann Oncol 33 (2022) 1097": volume (year) page
            continue
        end = _phone_end(raw)
        if end:
            spans.append((m.start(), m.start() + end))
        else:
            # US seven-digit local numbers ("555-0134") and grouped numbers libphonenumber
            # does not know as valid yet ("07700 900123" is a reserved drama range).
            if re.fullmatch(r"\d{3}-\d{4}", raw) or (
                re.fullmatch(r"(?:\(?0\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}|0\d{9,10})", raw)
            ):
                spans.append((m.start(), m.start() + len(raw)))
    return spans


def _phone_end(raw: str) -> int:
    """Length of the phone number ``raw`` starts with, or 0; trailing digit groups may be other
    numbers ("+233 24 123 4567 14 Independence Ave")."""
    import phonenumbers

    candidate = raw
    for _ in range(3):
        international = candidate.startswith(("+", "00"))
        dial = "+" + candidate[2:] if candidate.startswith("00") else candidate
        for region in (None,) if international else _PHONE_REGIONS:
            try:
                number = phonenumbers.parse(dial, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number) or (
                international and phonenumbers.is_possible_number(number)
            ):
                return len(candidate)
        if " " not in candidate.strip():
            break
        candidate = candidate.rsplit(" ", 1)[0].rstrip(" .-")
    return 0


def find_phi(text: str) -> list[Finding]:
    """Identifiers in ``text``, left to right, without overlaps."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if start >= end or any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        findings.append(Finding(kind, text[start:end], start, end))

    for kind, pattern, group in _RECOGNISERS:
        if kind == "ID_NUMBER":
            for start, end in _phones(text):
                add("PHONE", start, end)
        for match in pattern.finditer(text):
            start, end = match.span(group)
            if kind == "ID_NUMBER" and _NO_PHONE_BEFORE.search(text[max(0, start - 30) : start]):
                continue
            value = text[start:end].rstrip(" -")
            add(kind, start, start + len(value))
    for start, end in find_names(text):
        add("PERSON", start, end)
    return sorted(findings, key=lambda f: f.start)


def draft_phi(answer: Answer) -> list[Finding]:
    """Identifiers in an answer's model draft and the reasons it was not shown: text kept with
    a saved record though the clinician may never have seen it."""
    if answer.draft is None:
        return []
    return [f for text in (answer.draft.text, *answer.draft.reasons) for f in find_phi(text)]


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """``text`` with each identifier replaced by its kind in brackets, e.g. ``[PERSON]``."""
    out = text
    for finding in sorted(
        findings if findings is not None else find_phi(text), key=lambda f: -f.start
    ):
        out = out[: finding.start] + f"[{finding.kind}]" + out[finding.end :]
    return out


# A redaction mark, with the label a clinician typed before the identifier ("MRN [RECORD_NUMBER]").
_MARK = re.compile(
    r"(?:\b(?:MRN|DOB|NHS|CHI|tel|telephone|phone|mobile|mob|hospital|patient|record|no|"
    r"number|id|born|address|postcode|e-?mail|Mr|Mrs|Ms|Miss|Dr|Prof)\b[\s:#.,]*)*"
    r"\[(?-i:ADDRESS|DATE|DATE_OF_BIRTH|EMAIL|ID_NUMBER|NATIONAL_ID|PERSON|PHONE|POSTCODE|"
    r"RECORD_NUMBER)\]",
    re.IGNORECASE,
)


def without_marks(text: str) -> str:
    """``text`` without redaction marks and their labels: what a redacted question asks."""
    return " ".join(_MARK.sub(" ", text).split())


def describe(findings: list[Finding]) -> str:
    kinds = sorted({f.kind.replace("_", " ").lower() for f in findings})
    return ", ".join(kinds)


def redact_together(*texts: str) -> list[str]:
    """Redact several texts of one record; a name found in one is redacted in all of them."""
    names = {f.text for text in texts for f in find_phi(text) if f.kind == "PERSON"}
    # "Mr Okafor" in the question, "Okafor agrees" in the note: each part of a name counts.
    names |= {
        part
        for name in list(names)
        for part in re.findall(r"[^\W\d_][\w'’-]{2,}", name)
        if part.casefold() not in _TITLE_WORDS
    }
    out = []
    for text in texts:
        findings = find_phi(text)
        for name in names:
            for match in re.finditer(rf"\b{re.escape(name)}\b", text):
                if not any(f.start < match.end() and match.start() < f.end for f in findings):
                    findings.append(Finding("PERSON", name, match.start(), match.end()))
        out.append(redact(text, findings))
    return out
