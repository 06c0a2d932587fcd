"""Oncology vocabulary: abbreviations, synonyms, brand and generic names, regimen components.

The curated list ships as ``vocabulary.yaml`` next to this module; a clinic extends it with
``vocabulary.yaml`` in the state directory (same format; an entry with a known name adds forms).
Used for BM25 query expansion, for the entity a question asks about (evidence composer) and for
the check that an answer names it (relevance check).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from rag.errors import ConfigError
from rag.retrieval.lexical import tokenize

BUNDLED_VOCABULARY = Path(__file__).with_name("vocabulary.yaml")
USER_FILE = "vocabulary.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KINDS = frozenset(
    {"drug", "drug class", "regimen", "test", "procedure", "population", "condition", "trial"}
)

# Short capitals ("AS", "ACT", "CAP") and forms that are ordinary words match only as written.
# Names that are also English words or first names match only as written ("START" trial, not
# "the series starts").
_COMMON_WORDS = frozenset(
    "all cap men her aid ace pet arm act dose echo gem boost cape start idea pacific mosaic "
    "nelson katherine".split()
)


def _exact_case(form: str) -> bool:
    return (len(_key(form)) <= 3 and not any(c.islower() for c in form)) or (
        form.lower() in _COMMON_WORDS
    )


def _key(form: str) -> str:
    """Matching key of a surface form: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-zµ²]+", "", form.lower())


def _pattern(form: str) -> str:
    """Regex for a form: spaces and hyphens interchangeable or absent, plural allowed."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", form.strip()) if p]
    return r"[\s\-]?".join(parts)


@dataclass(frozen=True)
class Term:
    """One concept: its preferred name, every other way it is written, and where it comes from."""

    name: str
    kind: str
    forms: tuple[str, ...]  # synonyms, abbreviations, brand names (not the name itself)
    members: tuple[str, ...]  # regimen components or class members, by preferred name
    source: str

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.forms)


@dataclass(frozen=True)
class Mention:
    term: Term
    text: str
    start: int
    end: int


class Vocabulary:
    """Finds terms in text and expands queries with their other names."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        self.by_name = {t.name.lower(): t for t in self.terms}
        self._by_key: dict[str, list[Term]] = {}
        exact: list[str] = []
        folded: list[str] = []
        for term in self.terms:
            for form in term.surface_forms:
                self._by_key.setdefault(_key(form), [])
                if term not in self._by_key[_key(form)]:
                    self._by_key[_key(form)].append(term)
                (exact if _exact_case(form) else folded).append(_pattern(form))
        # "non-small cell lung cancer" names no small cell lung cancer, nor "non-Hodgkin" Hodgkin.
        edge = r"(?<![0-9A-Za-z])(?<![Nn]on-)(?<![Nn]on )(?P<f>{})(?:e?s)?(?![0-9A-Za-z])"
        by_length = functools.partial(sorted, key=len, reverse=True)
        self._folded = (
            re.compile(edge.format("|".join(by_length(set(folded)))), re.IGNORECASE)
            if folded
            else None
        )
        self._exact = re.compile(edge.format("|".join(by_length(set(exact))))) if exact else None
        # Passages, headings and titles are searched again and again while answering.
        self._find_cached = functools.lru_cache(maxsize=8192)(self._find)

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str) -> list[Mention]:
        """Every term mention in ``text``, left to right; overlapping mentions keep the longest."""
        return list(self._find_cached(text))

    def _find(self, text: str) -> tuple[Mention, ...]:
        found: list[Mention] = []
        for regex in (self._folded, self._exact):
            if regex is None:
                continue
            for match in regex.finditer(text):
                for term in self._by_key.get(_key(match.group("f")), []):
                    found.append(Mention(term, match.group(0), match.start(), match.end()))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:
            last = kept[-1] if kept else None
            if last is not None and mention.start < last.end:
                same_span = (mention.start, mention.end) == (last.start, last.end)
                if same_span and mention.term not in {k.term for k in kept[-3:]}:
                    kept.append(mention)  # one form, two concepts: keep both
                continue
            kept.append(mention)
        return tuple(kept)

    def terms_in(self, text: str) -> list[Term]:
        """Distinct terms mentioned in ``text``, in order of first mention."""
        return list(dict.fromkeys(m.term for m in self.find(text)))

    def related(self, term: Term) -> tuple[Term, ...]:
        """The term with its members (class → drugs, regimen → components)."""
        members = [self.by_name[m.lower()] for m in term.members if m.lower() in self.by_name]
        return (term, *members)

    def names(self, text: str, term: Term) -> bool:
        """True when ``text`` names ``term`` by any of its names, or (for a drug class) one
        of its member drugs. A regimen is not named by one of its components."""
        wanted = set(self.related(term)) if term.kind == "drug class" else {term}
        mentions = self.find(text)
        if any(m.term in wanted for m in mentions):
            return True
        # Inside a longer name: "HPV vaccination" names HPV (never "non-small cell" small cell).
        # Not for treatments: "trastuzumab deruxtecan" is another drug than trastuzumab, and
        # "R-CHOP" another regimen than CHOP.
        if term.kind in _TREATMENTS:
            return False
        inner = _inner_pattern(term)
        return any(inner.search(m.text) for m in mentions)

    def expansions(self, text: str) -> list[str]:
        """Other names of the terms in ``text`` (and their members' names), for BM25."""
        seen = {_key(m.text) for m in self.find(text)}
        extra: list[str] = []
        for term in self.terms_in(text):
            for related in self.related(term):
                for form in related.surface_forms:
                    if _key(form) not in seen:
                        seen.add(_key(form))
                        extra.append(form)
        return extra

    def annotate(self, text: str) -> str:
        """``text`` with each mention followed by the term's preferred name in brackets
        ("Herceptin (trastuzumab) loading dose"), for an embedder that knows only common names."""
        out, at = [], 0
        for mention in self.find(text):
            if mention.start < at or _key(mention.text) == _key(mention.term.name):
                continue
            out += [text[at : mention.end], f" ({mention.term.name})"]
            at = mention.end
        return "".join(out) + text[at:]

    def expand(self, query: str) -> str:
        """``query`` followed by the other names of the terms it mentions."""
        extra = self.expansions(query)
        return f"{query} {' '.join(extra)}" if extra else query


_TREATMENTS = frozenset({"drug", "drug class", "regimen"})


@functools.lru_cache(maxsize=4096)
def _inner_pattern(term: Term) -> re.Pattern[str]:
    """Any name of ``term`` as a whole word inside a longer text (not after "non-")."""
    exact = [_pattern(f) for f in term.surface_forms if _exact_case(f)]
    folded = [_pattern(f) for f in term.surface_forms if not _exact_case(f)]
    parts = [f"(?-i:{'|'.join(exact)})"] if exact else []
    parts += folded
    return re.compile(
        rf"(?<![0-9A-Za-z])(?<![Nn]on-)(?<![Nn]on )(?:{'|'.join(parts)})(?:e?s)?(?![0-9A-Za-z])",
        re.IGNORECASE,
    )


# Every question and passage is matched against all names at once; a larger file slows each
# answer (20,000 entries took 21 s a question).
MAX_ENTRIES = 3000


def _terms_from(path: Path) -> list[Term]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Vocabulary file {path} cannot be read: {exc}") from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError(f"Vocabulary file {path} must be a list of entries")
    if len(raw) > MAX_ENTRIES:
        raise ConfigError(
            f"Vocabulary file {path} has {len(raw)} entries; at most {MAX_ENTRIES} are read"
        )
    terms = []
    for number, entry in enumerate(raw, start=1):
        where = f"{path} entry {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError(f"{where}: each entry needs a 'name'")
        unknown = set(entry) - {"name", "kind", "forms", "members", "source"}
        if unknown:
            raise ConfigError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        kind = str(entry.get("kind", "drug"))
        if kind not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(sorted(KINDS))}")
        forms = entry.get("forms") or []
        members = entry.get("members") or []
        if not all(isinstance(f, str) and f.strip() for f in [*forms, *members]):
            raise ConfigError(f"{where}: forms and members must be lists of text")
        if not str(entry.get("source", "")).strip():
            raise ConfigError(f"{where}: each entry needs a 'source'")
        for form in (entry["name"], *forms):
            # "the", "is" or "a" as another name would make every question name the term.
            if len(_key(form)) < 2 or not (_exact_case(form) or tokenize(form)):
                raise ConfigError(
                    f"{where}: {form!r} is too short or too common a word to name a term"
                )
        terms.append(
            Term(
                entry["name"].strip(),
                kind,
                tuple(f.strip() for f in forms),
                tuple(m.strip() for m in members),
                str(entry["source"]),
            )
        )
    return terms


def _merge(terms: list[Term]) -> list[Term]:
    """Entries with the same name become one (a user file adds forms to a bundled entry)."""
    merged: dict[str, Term] = {}
    for term in terms:
        key = term.name.lower()
        if key in merged:
            old = merged[key]
            merged[key] = Term(
                old.name,
                old.kind,
                tuple(dict.fromkeys(old.forms + term.forms)),
                tuple(dict.fromkeys(old.members + term.members)),
                f"{old.source}; {term.source}" if term.source != old.source else old.source,
            )
        else:
            merged[key] = term
    return list(merged.values())


@functools.lru_cache(maxsize=8)
def _cached(paths: tuple[tuple[Path, float], ...]) -> Vocabulary:
    terms: list[Term] = []
    for path, _mtime in paths:
        terms += _terms_from(path)
    return Vocabulary(_merge(terms))


def load_vocabulary(home: Path | None = None) -> Vocabulary:
    """The bundled vocabulary plus ``home/vocabulary.yaml`` when it exists (cached per mtime)."""
    paths = [BUNDLED_VOCABULARY]
    if home is not None and (home / USER_FILE).is_file():
        paths.append(home / USER_FILE)
    return _cached(tuple((p, p.stat().st_mtime) for p in paths))
