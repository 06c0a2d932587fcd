"""The focus of a question: what it asks about (entity) and what it asks for (attribute).

"How long is adjuvant osimertinib given?" → entity osimertinib, attribute duration. The
attribute decides which typed quantities answer it (dose → mg, mg/m², µg, Gy, AUC; duration →
weeks, months, years; ...). ``attributes_of`` maps the number guard's units to attributes; when
the quantity parser gains a ``kind`` it can replace that map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.checks.quantities import Quantity, quantities
from rag.retrieval.vocabulary import Term, Vocabulary

DOSE = "dose"
DURATION = "duration"
INTERVAL = "interval"
AGE = "age"
COUNT = "count"
RATE = "rate"
LEVEL = "level"  # a laboratory value (PSA ng/mL)
LABEL = "label"  # stage, grade, grade group
ATTRIBUTE_WORDS = {
    DOSE: "dose",
    DURATION: "duration",
    INTERVAL: "interval",
    AGE: "age",
    COUNT: "number",
    RATE: "figure",
    LABEL: "grade or stage",
    LEVEL: "level",
}

# Question patterns, most specific first; the first that matches sets the attribute.
_ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        AGE,
        re.compile(
            r"\b(?:what|which|at|from|until|up to|stop\w*|start\w*)\s+(?:what\s+)?ages?\b|\bhow old\b|\bage (?:to|at|range|limit)\b|\bages?\b.*\b(?:start|stop|begin|end)",
            re.I,
        ),
    ),
    (
        COUNT,
        re.compile(
            r"\bhow many\b|\bnumber of\b|\b(?:doses|cycles|fractions)\b(?!\s+of\s+\d)", re.I
        ),
    ),
    (
        INTERVAL,
        re.compile(
            r"\bhow (?:often|frequently)\b|\bhow far apart\b|\binterval\b|\bfrequency\b|\brepeat(?:ed)?\b|\bevery how\b|\bq\d+w\b",
            re.I,
        ),
    ),
    (
        DURATION,
        re.compile(
            r"\bhow long\b|\bduration\b|\blength of\b|\bfor how many (?:weeks|months|years)\b|\bhow many (?:weeks|months|years)\b|\blength\b",
            re.I,
        ),
    ),
    (
        DOSE,
        re.compile(
            r"(?<!-)\bdos(?:e|ing|age)\b(?!-)|\bdoses\b(?!-)|\bmg\b|\bmg/m|\bposology\b|\bfractionation\b|\bGy\b",
            re.I,
        ),
    ),
    (
        LABEL,
        re.compile(
            r"\b(?:grade group|gleason|which stage|what stage|what grade|which grade)\b", re.I
        ),
    ),
    (LEVEL, re.compile(r"\blevels?\b|\bthreshold\b|\bcut-?off\b|ng/ml", re.I)),
    (
        RATE,
        re.compile(
            r"\bby how much\b|\bpercent(?:age)?\b|\bwhat (?:share|proportion|rate)\b|\bhow (?:much )?(?:more )?likely\b|\brisk threshold\b|%",
            re.I,
        ),
    ),
)

_NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[\s-]+"
    r"(?:doses?|cycles?|fractions?|injections?|shots?)\b|\b(?:single|two|three)-dose\b",
    re.I,
)
_AGE_CONTEXT = re.compile(r"\bage[ds]?\b|\bold(?:er)?\b|\byounger\b|\byears? of age\b", re.I)
_DOSE_UNITS = frozenset(
    {"mg", "mg/m²", "mg/kg", "µg", "µg/kg", "g", "gy", "unit", "ml", "l", "auc"}
)
_TIME_UNITS = frozenset({"day", "week", "month", "year", "hour", "minute"})
_COUNT_UNITS = frozenset({"cycle", "dose", "fraction", "time", "times", "", "pack-year"})


def attributes_of(quantity: Quantity, sentence: str) -> frozenset[str]:
    """What a quantity in ``sentence`` can answer: dose, duration, interval, age, count..."""
    unit = quantity.unit.lower()
    if unit == "label":
        return frozenset({DOSE}) if quantity.value.startswith("auc") else frozenset({LABEL})
    if unit in _DOSE_UNITS:
        return frozenset({DOSE})
    if unit == "ng/ml":
        return frozenset({LEVEL})
    if unit in _TIME_UNITS:
        kinds = {DURATION, INTERVAL}
        if unit == "year" and _AGE_CONTEXT.search(sentence):
            kinds.add(AGE)
        return frozenset(kinds)
    if unit == "%":
        return frozenset({RATE})
    if unit in _COUNT_UNITS:
        return frozenset({COUNT, INTERVAL} if unit == "time" else {COUNT})
    return frozenset()


def sentence_attributes(sentence: str) -> frozenset[str]:
    """Every attribute some quantity in ``sentence`` answers (number words count as counts)."""
    found: set[str] = set()
    for quantity in quantities(sentence):
        found |= attributes_of(quantity, sentence)
    if _NUMBER_WORDS.search(sentence):
        found.add(COUNT)
    if re.search(r"\b(?:annual(?:ly)?|yearly|daily|weekly|biennial|every year)\b", sentence, re.I):
        found.add(INTERVAL)
    return frozenset(found)


@dataclass(frozen=True)
class Focus:
    """What a question asks about and what it asks for."""

    question: str
    entities: tuple[Term, ...]
    attributes: tuple[str, ...]  # several when the question asks several things

    @property
    def attribute(self) -> str | None:
        return self.attributes[0] if self.attributes else None

    @property
    def entity_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.entities)

    def label(self) -> str:
        """How the answer-level messages name the entity ("pegfilgrastim")."""
        if not self.entities:
            return ""
        term = self.entities[0]
        typed = next(
            (m for m in term.surface_forms if m.lower() in self.question.lower()), term.name
        )
        return typed


_DOSE_COUNT = re.compile(
    r"\b(?:\d+|one|two|three|four|single)[\s-]+(?:[A-Za-z0-9-]+\s+)?doses?\b", re.I
)
_DOSE_AMOUNT = re.compile(r"\bmg\b|\bmg/|\bGy\b|\bhow much\b|\bdosing\b|\bdosage\b", re.I)

# Terms too general to be what a question is about when something more specific is named.
BROAD_KINDS = ("population", "condition")


def question_focus(question: str, vocabulary: Vocabulary) -> Focus:
    """The entity (most specific vocabulary terms first) and the attribute of ``question``."""
    terms = vocabulary.terms_in(question)
    specific = [t for t in terms if t.kind not in BROAD_KINDS]
    entities = tuple(specific + [t for t in terms if t not in specific])
    attributes = tuple(name for name, pattern in _ASKS if pattern.search(question))
    if DOSE in attributes and _DOSE_COUNT.search(question) and not _DOSE_AMOUNT.search(question):
        # "3 dose schedule", "2 HPV doses": how many doses, not how much per dose.
        attributes = tuple(dict.fromkeys(COUNT if a == DOSE else a for a in attributes))
    return Focus(question, entities, attributes)
