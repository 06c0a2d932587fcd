"""Person names in free text, offline: name lexicon plus capitalisation and context cues.

The lexicon is the given and family names that Faker ships for its Latin-script locales
(romanised lists included), about 45,000 words across European, Hispanic, Arabic, South and
East Asian, African and Nordic naming styles. Words that look like names in clinical text
(eponyms, institutions, trial names, everyday words that are also names) are listed in
``phi_terms.txt``; Webster's word list (``english-words``) tells everyday English words from
names where capitals give no cue (text typed in capitals or all in lower case).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sr", "sra", "srta", "herr",
    "frau", "mme", "mlle", "m", "sig", "sister", "nurse", "rev", "sir", "dame", "lady", "lord",
}  # fmt: skip
_CUES = {
    "patient", "pt", "client", "named", "called", "name", "surname", "forename", "re", "son",
    "daughter", "wife", "husband", "mother", "father", "brother", "partner", "carer", "saw",
    "see", "seen", "discussed", "for", "about", "regarding", "paciente", "patientin", "patiente",
}  # fmt: skip
_PARTICLES = {
    "al", "el", "bin", "bint", "binti", "ibn", "abu", "van", "von", "der", "den", "de", "del",
    "della", "di", "da", "dos", "das", "du", "la", "le", "dela", "y", "i", "ter", "ten", "st",
}  # fmt: skip
_DRUG_ENDINGS = (
    "mab", "nib", "lib", "parib", "ciclib", "platin", "taxel", "rubicin", "tecan", "lisib",
    "mide", "stine", "abine", "tide", "relin", "lutamide", "trozole", "fene", "sertib", "cept",
)  # fmt: skip
# English function words: never evidence of a name, and dropped from the front of a run
# ("The Task Force", "An LLM"); at its end they may still be a name ("Nguyen Van An").
_FUNCTION_WORDS = {
    "the", "a", "an", "this", "that", "these", "those", "and", "or", "but", "of", "in", "on",
    "for", "to", "with", "by", "at", "from", "as", "is", "are", "was", "were", "be", "it", "its",
    "if", "no", "not", "all", "any", "each", "every", "some", "our", "your", "their", "his",
    "her", "we", "you", "they", "he", "she", "who", "what", "when", "where", "which", "how",
    "why", "do", "does", "did", "can", "could", "should", "would", "may", "might", "must",
    "after", "before", "during", "per", "than", "then", "there", "here", "also", "only",
}  # fmt: skip
# Words that make a capitalised run a heading or an institution, not a person.
_NOT_IN_NAMES = {
    "cancer", "carcinoma", "tumour", "tumor", "lymphoma", "leukaemia", "leukemia", "myeloma",
    "sarcoma", "syndrome", "disease", "cell", "cells", "guideline", "guidelines", "trial",
    "study", "stage", "grade", "score", "criteria", "protocol", "classification", "index",
    "regimen", "therapy", "centre", "center", "hospital", "clinic", "institute", "university",
    "foundation", "trust", "society", "group", "network", "programme", "program", "consensus",
    "symposium", "congress", "version", "update", "cohort", "registry", "college", "association",
    "council", "service", "services", "model", "method", "test", "system", "scale", "law",
    # journal abbreviations in citations ("Ann Surg Oncol", "N Engl J Med")
    "oncol", "surg", "thorac", "clin", "med", "engl", "gynecol", "urol", "hematol", "radiat",
    "biol", "phys", "pathol", "res", "natl", "inst", "rev", "lancet", "jama", "eur", "br",
}  # fmt: skip
_ROMAN = re.compile(r"(?i)^[ivx]+[abc]?\d?$")
# A name followed by an age or sex, as clinicians jot it: "Abebe Bekele 61", "Kim 33M", ", 47,".
_AGE_AFTER = re.compile(
    r"\s*(?:,\s*|\(\s*)?(?:aged\s+)?\d{1,3}\s*(?:[MF]\b|y\b|yo\b|yrs?\b|years?\b|-year|años|ans"
    r"|(?=[\s,)]|$))(?!\s*(?:mg|g|gy|%|mm|cm|ml|months?|weeks?|days?|x|units?)\b)",
    re.IGNORECASE,
)
_CUE_GAP = re.compile(r"\s*(?:is\s+|:\s*|,\s*|name\s+is\s+|\(\w+\)\s*)?")
_AFTER_SINGLE = re.compile(
    r"(?:['’]s\b|\s+(?:is|was|has|had|aged|called|phoned|rang|reports|asks|asked|wants|says|"
    r"said|and\s+her|and\s+his|\(|\d{1,3}\b)|\s*,\s*\d{1,3}\b|\s*\()",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lexicon:
    """Name and non-name word lists, casefolded."""

    first: frozenset[str]
    last: frozenset[str]
    stop_words: frozenset[str]
    stop_phrases: tuple[str, ...]
    english: frozenset[str]  # lower-case dictionary words

    def known(self, word: str) -> bool:
        w = re.sub(r"['’]s$", "", word.casefold()).strip("'’")
        parts = [p for p in re.split(r"[-'’]", w) if len(p) > 1]
        return (
            w in self.first
            or w in self.last
            or (len(parts) > 1 and all(p in self.first or p in self.last for p in parts))
        )

    def is_first(self, word: str) -> bool:
        return word.casefold() in self.first


@cache
def lexicon() -> Lexicon:
    """The name lexicon, loaded once per process (40 MB). Building it from the word lists
    takes about a second, so the built lexicon is kept as JSON in the state directory
    (``cache/phi_lexicon.json``), keyed by the lists' versions and this module's source, and
    rebuilt when they change or the file is unreadable."""
    import hashlib
    import json
    from importlib.metadata import version

    from rag.config import default_home, load_settings
    from rag.errors import ConfigError
    from rag.files import private_dir, write_private

    stamp = hashlib.sha256(
        "|".join(
            (
                version("faker"),
                version("english-words"),
                Path(__file__).read_text("utf-8"),
                Path(__file__).with_name("phi_terms.txt").read_text("utf-8"),
            )
        ).encode()
    ).hexdigest()
    try:  # the configured state directory, whichever command or page asks first
        home = load_settings().home
    except ConfigError:  # a broken config is reported by the caller; the cache goes home
        home = default_home()
    path = home / "cache" / "phi_lexicon.json"
    try:
        kept = json.loads(path.read_text("utf-8"))
        if kept.get("stamp") == stamp:
            return Lexicon(
                frozenset(kept["first"]),
                frozenset(kept["last"]),
                frozenset(kept["stop_words"]),
                tuple(kept["stop_phrases"]),
                frozenset(kept["english"]),
            )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    built = _build_lexicon()
    try:
        private_dir(path.parent)
        record = {"stamp": stamp} | {
            name: sorted(words) if isinstance(words, frozenset) else list(words)
            for name, words in vars(built).items()
        }
        write_private(path, json.dumps(record).encode())
    except OSError:
        pass  # a read-only or full state directory costs a second per process, nothing else
    return built


def _build_lexicon() -> Lexicon:
    import faker.providers.person as person
    from english_words import get_english_words_set

    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr in dir(provider):
            if not (("first" in attr or "last" in attr) and attr.endswith("s")) or "pair" in attr:
                continue
            values = getattr(provider, attr)
            if not isinstance(values, (list, tuple, dict, set, frozenset)):
                continue
            for name in values:
                for word in str(name).split():
                    if _WORD.fullmatch(word) and all(ord(c) < 0x250 or c == "’" for c in word):
                        (first if "first" in attr else last).add(word.casefold())
    stop_words: set[str] = set()
    phrases: list[str] = []
    for line in (Path(__file__).with_name("phi_terms.txt")).read_text("utf-8").splitlines():
        term = line.strip().casefold()
        if term and not term.startswith("#"):
            (phrases if " " in term else []).append(term)
            if " " not in term:
                stop_words.add(term)
    english = frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())
    return Lexicon(
        frozenset(first - stop_words),
        frozenset(last - stop_words),
        frozenset(stop_words),
        tuple(sorted(phrases, key=len, reverse=True)),
        english,
    )


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def shape(self) -> str:
        t = self.text
        if len(t) == 1:
            return "initial" if t.isupper() else "lower"
        if t.isupper():
            return "upper"
        if t[0].isupper():
            return "title"
        return "lower"


def _tokens(text: str) -> list[_Token]:
    """Words made of letters only; "PD-L1" or "HER2" are codes, not words."""
    return [
        _Token(m.group(), m.start(), m.end())
        for m in re.finditer(r"[\w'’-]+", text)
        if _WORD.fullmatch(m.group())
    ]


@cache
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _blocked_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Where listed non-name phrases ("Bence Jones", "Sloan Kettering") sit in ``text``."""
    return [m.span() for m in _phrase_pattern(lex.stop_phrases).finditer(text)]


def _is_english(word: str, lex: Lexicon) -> bool:
    """An everyday English word, inflected forms included ("reported", "mets")."""
    w = word.casefold()
    if w in lex.english:
        return True
    for suffix, add in (("s", ""), ("es", ""), ("ed", ""), ("d", ""), ("ing", ""), ("ing", "e")):
        if (
            w.endswith(suffix)
            and len(w) > len(suffix) + 2
            and w[: -len(suffix)] + add in lex.english
        ):
            return True
    return False


def find_names(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that hold a person's name."""
    lex = lexicon()
    toks = _tokens(text)
    blocked = _blocked_spans(text, lex)
    citation = "et al" in text.casefold()
    found: list[tuple[int, int]] = []

    def is_blocked(tok: _Token) -> bool:
        return any(a <= tok.start and tok.end <= b for a, b in blocked)

    def gap(a: _Token, b: _Token) -> str:
        return text[a.end : b.start]

    def drug_or_code(tok: _Token) -> bool:
        w = tok.text.casefold()
        return w.endswith(_DRUG_ENDINGS) or bool(_ROMAN.match(w))

    def english(tok: _Token) -> bool:
        return _is_english(tok.text, lex)

    def first_name(tok: _Token) -> bool:
        parts = re.sub(r"['’]s$", "", tok.text.casefold()).split("-")
        return all(p in lex.first for p in parts)

    def member(tok: _Token) -> bool:
        if tok.shape == "lower" or is_blocked(tok) or drug_or_code(tok):
            return False
        if tok.shape == "upper":
            return lex.known(tok.text) or not english(tok)
        return True

    def evidence(tok: _Token) -> bool:
        word = tok.text.casefold()
        if not member(tok) or tok.shape == "initial" or word in lex.stop_words:
            return False
        if word in _FUNCTION_WORDS:
            return False
        return lex.known(tok.text) and (tok.shape != "upper" or not english(tok))

    def unknown_name(tok: _Token) -> bool:
        """A capitalised word that is no everyday word: how unlisted names look."""
        if not member(tok) or tok.text.casefold() in lex.stop_words:
            return False
        if tok.shape == "upper":
            return lex.known(tok.text) and not english(tok)
        return tok.shape == "initial" or not english(tok)

    def sentence_start(tok: _Token) -> bool:
        i = tok.start - 1
        while i >= 0 and not text[i].isalnum() and text[i] not in ".!?:;\n":
            i -= 1
        return i < 0 or text[i] in ".!?:;\n"

    # Runs of capitalised words joined by spaces, initials' dots or name particles.
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for i, tok in enumerate(toks):
        if current:
            sep = gap(current[-1], tok)
            joined = re.fullmatch(r"[ \t]+", sep) or (
                current[-1].shape == "initial" and re.fullmatch(r"\.\s*", sep)
            )
            if not joined:
                runs.append(current)
                current = []
        if member(tok):
            current.append(tok)
            if re.search(r"['’]s$", tok.text):  # a possessive ends the name
                runs.append(current)
                current = []
            continue
        if current and tok.text.casefold() in _PARTICLES:
            ahead = toks[i + 1 : i + 4]
            nxt = next((t for t in ahead if t.text.casefold() not in _PARTICLES), None)
            if nxt is not None and member(nxt):
                current.append(tok)
                continue
        if current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    for run in runs:
        while run and (
            run[0].text.casefold() in _PARTICLES
            or run[0].text.casefold() in _FUNCTION_WORDS
            or (sentence_start(run[0]) and english(run[0]) and not lex.known(run[0].text))
        ):
            run = run[1:]
        while run and run[-1].text.casefold() in _PARTICLES:
            run = run[:-1]
        names = [t for t in run if t.text.casefold() not in _PARTICLES]
        if not names or any(t.text.casefold() in _NOT_IN_NAMES for t in names):
            continue
        possessive = re.search(r"['’]s$", run[-1].text) is not None
        after = run[-1].end
        if (
            citation
            and len(names) == 2
            and names[-1].shape in ("upper", "initial")
            and len(names[-1].text) <= 3
        ):
            continue  # "Wu YL" in an author list
        cue_after = bool(_AGE_AFTER.match(text, after)) or possessive
        # two or more capitalised words, one of them a listed name: "Zelda Fitzwilliam"
        listed = len(names) >= 2 and any(evidence(t) for t in names)
        # unlisted words that are no English word, then an age or sex: "Abebe Bekele 61"
        aged = len(names) >= 2 and cue_after and all(unknown_name(t) for t in names)
        # a listed given name alone, then a verb, an age or a possessive: "Margaret is 67"
        single = (
            len(names) == 1
            and evidence(names[0])
            and first_name(names[0])
            and not english(names[0])
            and (bool(_AFTER_SINGLE.match(text, after)) or possessive)
        )
        if listed or aged or single:
            found.append((run[0].start, run[-1].end))

    for n, tok in enumerate(toks):
        word = tok.text.casefold()
        if word in _TITLES and tok.shape != "lower" and n + 1 < len(toks):
            if word == "m" and text[tok.end : tok.end + 1] != ".":
                continue
            taken: list[_Token] = []
            for t in toks[n + 1 : n + 5]:
                sep = gap(taken[-1] if taken else tok, t)
                if t.shape == "lower" or is_blocked(t) or not re.fullmatch(r"\.?\s+|\.\s*", sep):
                    break
                if taken and (drug_or_code(t) or (english(t) and not lex.known(t.text))):
                    break
                taken.append(t)
            if taken and not (word in ("sister", "nurse") and not any(evidence(t) for t in taken)):
                found.append((taken[0].start, taken[-1].end))
        elif word in _CUES and n + 1 < len(toks) and toks[n + 1].text.casefold() not in _TITLES:
            skip = _CUE_GAP.match(text, tok.end)
            start_at = skip.end() if skip else tok.end
            taken = []
            for t in toks[n + 1 : n + 5]:
                if t.start < start_at:
                    continue
                if not taken and t.start != start_at:
                    break
                if taken and not re.fullmatch(r"\.?[ \t]+", gap(taken[-1], t)):
                    break
                lower_name = (
                    t.shape == "lower"
                    and lex.known(t.text)
                    and not english(t)
                    and t.text.casefold() not in lex.stop_words
                )
                if (member(t) and (lex.known(t.text) or not english(t))) or lower_name:
                    taken.append(t)
                else:
                    break
            strong = any(evidence(t) for t in taken) or (
                word not in ("for", "about", "regarding", "see", "seen", "saw")
                and all(unknown_name(t) for t in taken)
            )
            if taken and strong:
                found.append((taken[0].start, taken[-1].end))

    # "J. Smith", "A.B. Chowdhury": initials then a family name.
    for m in re.finditer(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}([A-Z][a-z][\w'’-]+)", text):
        surname = _Token(m.group(1), m.start(1), m.end(1))
        if member(surname) and not (english(surname) and not lex.known(surname.text)):
            found.append((m.start(), m.end()))

    # "SINGH, BALJIT" / "Fitzwilliam, Zelda": family name, comma, given name.
    for m in re.finditer(r"(?<![\w,])([^\W\d_][\w'’-]+),\s+([^\W\d_][\w'’-]+)(?!\s*,)", text):
        a, b = _Token(m.group(1), m.start(1), m.end(1)), _Token(m.group(2), m.start(2), m.end(2))
        if not (member(a) and member(b)):
            continue
        aged = _AGE_AFTER.match(text, b.end) is not None
        if ((evidence(a) or evidence(b)) and first_name(b)) or (
            aged
            and (lex.known(a.text) or lex.known(b.text) or (unknown_name(a) and unknown_name(b)))
        ):
            found.append((a.start, b.end))

    # Lower-case "zelda fitzwilliam": a given name then a name or a non-dictionary word.
    for a, b in zip(toks, toks[1:], strict=False):
        if a.shape != "lower" or b.shape != "lower" or not re.fullmatch(r" +", gap(a, b)):
            continue
        if is_blocked(a) or is_blocked(b) or english(a) or english(b) or drug_or_code(b):
            continue
        stops = lex.stop_words
        if first_name(a) and a.text not in stops and b.text not in stops and len(b.text) > 2:
            found.append((a.start, b.end))
    return _merge(found)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
