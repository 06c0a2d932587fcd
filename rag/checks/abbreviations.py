"""Abbreviations a text defines ("non-Hodgkin lymphoma (NHL)"), so that a claim that spells a
term out and a passage that abbreviates it (or the other way round) name the same thing.

A definition is a parenthesised abbreviation whose capitals start, in order, the words before
it: "Eastern Cooperative Oncology Group (ECOG)", "diffuse large B-cell lymphoma (DLBCL)",
"creatinine clearance (CrCl)". Regimens named by their drugs ("bortezomib, lenalidomide and
dexamethasone (VRd)") are not definitions of this kind and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# An abbreviation in brackets: two capitals or more, no space, at most 10 characters.
_DEFINED = re.compile(r"\((?P<abbr>(?=(?:[^A-Z)]{0,9}[A-Z]){2})[A-Za-z][A-Za-z0-9-]{1,9})\)")
_DASHES = r"[\s\-‐‑–—]+"  # "metastasis–free" and "metastasis-free" are one term


def _long_form(before: str, abbr: str) -> str:
    """The words at the end of ``before`` that ``abbr`` abbreviates, or "": each capital of the
    abbreviation starts a word (or a part of a hyphenated word), in order, and its other
    letters lie in between."""
    words = before.split()[-(min(len(abbr) + 5, 2 * len(abbr))) :]
    text = " ".join(words)
    letters = [c for c in abbr if c.isalnum()]
    i = len(text) - 1
    for k in range(len(letters) - 1, -1, -1):
        letter = letters[k]
        starts_word = letter.isupper() or k == 0
        while i >= 0 and (
            text[i].lower() != letter.lower() or (starts_word and i > 0 and text[i - 1].isalnum())
        ):
            i -= 1
        if i < 0:
            return ""
        i -= 1
    long = text[i + 1 :]
    # a term of one word is no definition worth reading ("myeloma (MM)" would be a misreading)
    if len(re.split(_DASHES, long)) < 2 or long.lower() == abbr.lower():
        return ""
    # a term never hides a value: "letrozole 25 mg daily (LD)" defines nothing
    if sorted(re.findall(r"\d", long)) != sorted(re.findall(r"\d", abbr)):
        return ""
    return long


# A glossary entry, as guidelines list them: "CrCl, creatinine clearance;"
_GLOSSARY = re.compile(
    # "CRT, chemoradiotherapy;", and as a list gives it: "- CRT — chemoradiotherapy", "CRT:
    # chemoradiotherapy", "CRT = chemoradiotherapy"
    r"(?:^[ \t]*(?:[-*•]\s+)?|[;:]\s*)(?P<abbr>(?=(?:[^A-Z,;]{0,9}[A-Z]){2})[A-Za-z][A-Za-z0-9-]{1,9})"
    r"(?P<sep>,|\s+[—–]|:|\s+=)\s+"
    r"(?P<long>[A-Za-z][A-Za-z0-9 '’\-‐‑–—/]{2,80}?)(?=\s*(?:;|\.?\s*$))",
    re.M,
)
# Abbreviations so common in oncology texts that a guideline seldom defines them near the values.
COMMON = {
    "absolute neutrophil count": "ANC",
    "creatinine clearance": "CrCl",
    "eastern cooperative oncology group": "ECOG",
    "left ventricular ejection fraction": "LVEF",
    "upper limit of normal": "ULN",
    "lactate dehydrogenase": "LDH",
    "prostate-specific antigen": "PSA",
    "minimal residual disease": "MRD",
    "autologous stem-cell transplantation": "ASCT",
    "nanoparticle albumin-bound paclitaxel": "nab-paclitaxel",
    "albumin-bound paclitaxel": "nab-paclitaxel",
    "pegylated liposomal doxorubicin": "PLD",
    "dihydropyrimidine dehydrogenase": "DPD",
    "granulocyte colony-stimulating factor": "G-CSF",
    "low-molecular-weight heparin": "LMWH",
    "complete blood count": "CBC",
}


# Words that join the drugs of a regimen: "CAPOX, capecitabine and oxaliplatin" names no term.
_JOINED = re.compile(r"\b(?:and|plus|with|or)\b", re.I)


def _spelled_in(long: str, abbr: str) -> bool:
    """Whether a glossary's own pairing holds: the term starts with the abbreviation's first
    letter and holds its letters in order ("SBRT, stereotactic body radiotherapy", "AFP,
    alpha-fetoprotein", "CRT, chemoradiotherapy"). A glossary states the pairing itself, so
    capitals need not start words as they must in running text; a list of drugs is no term."""
    letters = [c.lower() for c in abbr if c.isalpha()]
    text = long.lower()
    if not letters or text[0] != letters[0] or _JOINED.search(long):
        return False
    at = 0
    for letter in letters:
        at = text.find(letter, at) + 1
        if not at:
            return False
    return True


def definitions(texts: Iterable[str]) -> dict[str, str]:
    """Abbreviation of each term the texts define, and of the common terms, by the term in
    lower case. Only sources are read for definitions, never the text being checked: a
    definition the answer made up could make its own words read as the passage's."""
    out: dict[str, str] = {}
    for text in texts:
        for match in _DEFINED.finditer(text):
            abbr = match.group("abbr")
            long = _long_form(text[max(0, match.start() - 300) : match.start()], abbr)
            if long and long.lower() not in out:
                out[long.lower()] = abbr
        for match in _GLOSSARY.finditer(text):
            abbr, long = match.group("abbr"), match.group("long").strip()
            if match.group("sep") != "," and re.search(r"\d", long):
                # "- EBRT: external beam radiotherapy 45 Gy in 25 fractions" is a statement
                continue
            if (_long_form(long, abbr) == long or _spelled_in(long, abbr)) and (
                long.lower() not in out
            ):
                out[long.lower()] = abbr
    for long, abbr in COMMON.items():
        out.setdefault(long, abbr)
    return out


# Another way of writing a common abbreviation: a drug label's "CLcr" is creatinine clearance.
_VARIANTS = re.compile(r"(?<![\w-])(?:CLcr|ClCr|CLCr|CLCR)(?![\w-])")


def contract(text: str, defined: dict[str, str]) -> str:
    """``text`` with each defined term written as its abbreviation: "non-Hodgkin lymphoma
    (NHL)" and "non-Hodgkin lymphomas" both become "NHL"; "CLcr" is written "CrCl"."""
    text = _VARIANTS.sub("CrCl", text)
    for long in sorted(defined, key=len, reverse=True):
        abbr = defined[long]
        words = _DASHES.join(re.escape(w) for w in re.split(_DASHES, long))
        text = re.sub(
            rf"(?<![\w-]){words}(?:e?s)?(?:\s*\({re.escape(abbr)}\))?(?![\w-])",
            abbr,
            text,
            flags=re.I,
        )
    return text


# A regimen written as its drugs: "R-CHOP (rituximab, cyclophosphamide, doxorubicin, vincristine,
# and prednisone)", "bortezomib, lenalidomide and dexamethasone (VRd)", and the glossary entry
# "Dara-VRd, daratumumab plus bortezomib, lenalidomide and dexamethasone;".
_REGIMEN = r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"


def _word_list(joiners: str) -> str:
    """A list of two to eight words separated by commas or by one of ``joiners``."""
    separator = rf",\s+(?:and\s+)?|\s+(?:{joiners})\s+"
    return rf"(?!(?:{joiners})\b)[a-z][a-z-]+(?:(?:{separator})[a-z][a-z-]+){{1,7}}"


# In a definition "with" joins drugs ("Dara-VRd, daratumumab with bortezomib, …"); in a
# sentence it starts a list ("induction with daratumumab, bortezomib, …").
_DRUG_LIST = _word_list("and|plus|with")
_PLAIN_LIST = _word_list("and|plus")
_LIST_SEP = re.compile(r",\s+(?:and\s+)?|\s+(?:and|plus)\s+")
_NAME_THEN_DRUGS = re.compile(rf"\b(?P<abbr>{_REGIMEN})\s+\((?P<long>{_DRUG_LIST})\)")
_DRUGS_THEN_NAME = re.compile(rf"(?<![\w-])(?P<long>{_PLAIN_LIST})\s+\((?P<abbr>{_REGIMEN})\)")
_GLOSSARY_REGIMEN = re.compile(
    rf"(?:^|[;:]\s*)(?P<abbr>{_REGIMEN}),\s+(?P<long>{_DRUG_LIST})(?=\s*(?:;|\.?\s*$))", re.M
)
_LIST_WORDS = frozenset({"and", "plus", "with"})


def regimens(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """The drugs (lower case) of each regimen the texts spell out, by the regimen's name. A
    name counts as a regimen only when it has two capitals or more and its list names two
    drugs or more joined by "and", "plus" or "with" (so "overall survival (OS)" is none)."""
    out: dict[str, frozenset[str]] = {}
    ambiguous: set[str] = set()
    for text in texts:
        for pattern in (_NAME_THEN_DRUGS, _DRUGS_THEN_NAME, _GLOSSARY_REGIMEN):
            for match in pattern.finditer(text):
                abbr, long = match.group("abbr"), match.group("long")
                words = [w for w in re.split(r"[,\s]+", long) if w and w not in _LIST_WORDS]
                joined = re.search(r"\b(?:and|plus|with)\b", long)
                if sum(c.isupper() for c in abbr) < 2 or len(words) < 2 or not joined:
                    continue
                if _long_form(long, abbr) == long:
                    continue  # an abbreviation of the words, not a list of drugs
                drugs = frozenset(w.lower() for w in words)
                if out.setdefault(abbr, drugs) != drugs:
                    ambiguous.add(abbr)  # "TC" is docetaxel and cyclophosphamide in one
                    # document, carboplatin and paclitaxel in another: neither is read
    return {name: drugs for name, drugs in out.items() if name not in ambiguous}


def contract_regimens(text: str, drugs_of: dict[str, frozenset[str]]) -> str:
    """``text`` with each list of drugs that is a regimen written as the regimen's name:
    "daratumumab, bortezomib, lenalidomide and dexamethasone" becomes "Dara-VRd". Only a list
    of exactly the regimen's drugs, in any order."""
    if not drugs_of:
        return text
    by_drugs = {drugs: name for name, drugs in drugs_of.items()}

    def named(match: re.Match[str]) -> str:
        listed = match.group(0)
        # "induction, daratumumab, bortezomib, …": the regimen may be a run inside the list
        seps = list(_LIST_SEP.finditer(listed))
        starts = [0, *(m.end() for m in seps)]
        ends = [*(m.start() for m in seps), len(listed)]
        for start in starts:
            for end in reversed(ends):
                if end <= start:
                    break
                words = frozenset(
                    w.lower()
                    for w in re.split(r"[,\s]+", listed[start:end])
                    if w and w not in _LIST_WORDS
                )
                if words in by_drugs:
                    return listed[:start] + by_drugs[words] + listed[end:]
        return listed

    return re.sub(rf"(?<![\w-]){_PLAIN_LIST}(?![\w-])", named, text, flags=re.I)
