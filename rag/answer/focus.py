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
from rag.retrieval.vocabulary import Mention, Term, Vocabulary

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
            r"\bORR\b|\bresponse rate\b|\b(?:RFS|EFS|DFS|PFS|OS) rate\b|\bby how much\b|\bpercent(?:age)?\b|\bwhat (?:share|proportion|rate)\b|\bhow (?:much )?(?:more )?likely\b|\brisk threshold\b|%",
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


_WINDOW = re.compile(
    r"\b(?:within|no later than)\s+(?:the\s+)?(?:first\s+)?(?:\d[\d.,]*\s*(?:to|-|–|and)\s*)?$",
    re.I,
)


_TIME_POINT = re.compile(
    r"(?:\bat\s+(?:the\s+)?|\bfollow-?up\s+(?:of\s+|was\s+)?(?:\w+\s+)?|\bmedian\s+(?:follow-?up\s+)?"
    r"(?:of\s+)?)(?:\d[\d.,]*\s*(?:to|-|–|and)\s*)?$",
    re.I,
)
# "the 4-year RFS rate", "3-year overall survival", "5-year event-free survival": the value
# names when an outcome was measured ("for 5 years reduces recurrence" is a duration).
_OUTCOME_AFTER = re.compile(
    r"[\s-]+(?:RFS|OS|EFS|PFS|DFS|MFS|iDFS|IDFS|survival|(?:overall|relapse-free|event-free|"
    r"disease-free|progression-free|invasive disease-free|metastasis-free)\s+survival|"
    r"(?:relapse|recurrence|mortality|response)\s+rates?|landmark)\b",
)
# "stopped at 2 years", "continued at 5 years": a treatment's end, not a time point.
_TREATMENT_END = re.compile(
    r"\b(?:stop\w*|discontinu\w*|continu\w*|end\w*|complet\w*|given|treat\w*)\s+at\s+", re.I
)


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
        end = quantity.end if quantity.end >= 0 else quantity.start + len(quantity.text)
        before = sentence[max(0, quantity.start - 40) : quantity.start]
        if _WINDOW.search(before) or (
            (_TIME_POINT.search(before) and not _TREATMENT_END.search(before))
            or _OUTCOME_AFTER.match(sentence, end)
        ):
            # when to start ("within 6 to 8 weeks of surgery"), or when an outcome was
            # measured ("EFS at 2 years", "the 4-year RFS rate", "a median follow-up of 20.9
            # months"): not how long a treatment is given
            return frozenset()
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
    # The treatment, test, procedure or trial the question is about ("dexamethasone dose with
    # pemetrexed" → dexamethasone); None when it names only conditions and populations.
    subject: Term | None = None

    @property
    def attribute(self) -> str | None:
        return self.attributes[0] if self.attributes else None

    @property
    def entity_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.entities)

    @property
    def subjects(self) -> tuple[Term, ...]:
        """What an answer must name one of: the subject when the question asks for a value
        (a dose of cemiplimab is no dose of pembrolizumab); otherwise any of its entities."""
        return (self.subject,) if self.subject and self.attributes else self.entities

    def label(self) -> str:
        """How the answer-level messages name the entity ("pegfilgrastim")."""
        if not self.entities:
            return ""
        return self.typed(self.subject or self.entities[0])

    def typed(self, term: Term) -> str:
        """``term`` as the question spells it ("colon cancer"), else its own name."""
        return next(
            (m for m in term.surface_forms if m.lower() in self.question.lower()), term.name
        )


_DOSE_COUNT = re.compile(
    r"\b(?:\d+|one|two|three|four|single)[\s-]+(?:[A-Za-z0-9-]+\s+)?doses?\b", re.I
)
_DOSE_AMOUNT = re.compile(r"\bmg\b|\bmg/|\bGy\b|\bhow much\b|\bdosing\b|\bdosage\b", re.I)

# Terms too general to be what a question is about when something more specific is named.
BROAD_KINDS = ("population", "condition")
TREATMENT_KINDS = frozenset({"drug", "drug class", "regimen"})

# What a question names after these words is its setting, not its subject: "the cabazitaxel
# dose after docetaxel" asks about cabazitaxel.
_SETTING = re.compile(
    r"\b(?:after|following|before|previously treated with|pretreated with|progression on|"
    r"prior|instead of|rather than)\b",
    re.I,
)


def _subject(question: str, specific: list[Term], vocabulary: Vocabulary) -> Term | None:
    """The specific term nearest the words that ask for the attribute ("dexamethasone dose
    with pemetrexed" → dexamethasone; "dose of nivolumab with FOLFOX" → nivolumab), leaving
    out a term named only in the setting clause; the first one when nothing asks."""
    if not specific:
        return None
    # The term right after a setting word is the setting ("after colectomy", "after
    # docetaxel"); what comes later may be the subject again ("... should adjuvant chemo start").
    settings = [s.end() for s in _SETTING.finditer(question)]
    mentions = [
        m
        for m in vocabulary.find(question)
        if m.term in specific and not any(0 <= m.start - end <= 5 for end in settings)
    ]
    if not mentions:
        return specific[0]
    asked = [match for _, pattern in _ASKS if (match := pattern.search(question))]
    # A dose is a drug's or a regimen's ("nivolumab maintenance dose": nivolumab, not
    # maintenance therapy).
    drugs = [m for m in mentions if m.term.kind in TREATMENT_KINDS]
    if drugs and any(name == DOSE and pattern.search(question) for name, pattern in _ASKS):
        mentions = drugs
    if not asked:
        return mentions[0].term
    anchor = min(asked, key=lambda m: m.start())

    def distance(m: Mention) -> int:
        return max(anchor.start() - m.end, m.start - anchor.end(), 0)

    return min(mentions, key=distance).term


def question_focus(question: str, vocabulary: Vocabulary) -> Focus:
    """The entity (most specific vocabulary terms first) and the attribute of ``question``."""
    terms = vocabulary.terms_in(question)
    specific = [t for t in terms if t.kind not in BROAD_KINDS]
    entities = tuple(specific + [t for t in terms if t not in specific])
    attributes = tuple(name for name, pattern in _ASKS if pattern.search(question))
    if DOSE in attributes and _DOSE_COUNT.search(question) and not _DOSE_AMOUNT.search(question):
        # "3 dose schedule", "2 HPV doses": how many doses, not how much per dose.
        attributes = tuple(dict.fromkeys(COUNT if a == DOSE else a for a in attributes))
    subject = _subject(question, specific, vocabulary)
    return Focus(question, entities, attributes, subject)


_CLAUSE_BREAK = re.compile(r"[;.]\s|\bwhile\b|\bwhereas\b|\bthen\b", re.I)
_AFTER_DOSE = 24  # characters after a dose within which "500 mg/m² pemetrexed" names its drug


# What joins the treatments of one lead-in ("A plus a non-steroidal B", "A and B", "A/B").
_JOINED = re.compile(r"[\s,/+]*(?:plus|and|with|or)?(?:\s+(?:an?|the|[\w-]+)){0,2}[\s,/+]*", re.I)


def _lead_in_first(sentence: str, before: list[Mention]) -> Mention:
    """The first treatment of the run that ends with the last one before a lead-in's colon
    ("Ribociclib plus a non-steroidal aromatase inhibitor:" → ribociclib; not docetaxel in
    "after docetaxel, patients receive cabazitaxel plus prednisone:")."""
    first = before[-1]
    for mention in reversed(before[:-1]):
        gap = sentence[mention.end : first.start]
        if not re.search(r"\b(?:plus|and|with|or)\b|[/+]", gap) or not _JOINED.fullmatch(gap):
            break
        first = mention
    return first


def dose_belongs(sentence: str, term: Term, vocabulary: Vocabulary) -> bool | None:
    """Whether a dose in ``sentence`` belongs to ``term`` (or, for a regimen or a drug class,
    to one of its members): each dose belongs to the treatment named last before it in its
    clause ("pemetrexed take folic acid 400 micrograms" is folic acid's), else to one named
    right after it ("200 mg of pembrolizumab"). None when no dose is tied to any treatment
    named in the sentence: the sentence's heading or the one before it must tell."""
    wanted = set(vocabulary.related(term))
    treatments = [m for m in vocabulary.find(sentence) if m.term.kind in TREATMENT_KINDS]
    owned = False
    doses = [q for q in quantities(sentence) if DOSE in attributes_of(q, sentence)]
    for quantity in doses:
        end = quantity.end if quantity.end >= 0 else quantity.start + len(quantity.text)
        before = [
            m
            for m in treatments
            if m.end <= quantity.start and not _CLAUSE_BREAK.search(sentence, m.end, quantity.start)
        ]
        after = [
            m
            for m in treatments
            if end <= m.start <= end + _AFTER_DOSE
            and not _CLAUSE_BREAK.search(sentence, end, m.start)
        ]
        owner = before[-1] if before else after[0] if after else None
        colon = sentence.rfind(":", owner.end if owner else 0, quantity.start)
        if (
            owner in before
            and colon >= 0
            and not any(colon < q.start < quantity.start for q in doses)
        ):
            # "Ribociclib plus an aromatase inhibitor: 400 mg once daily plus letrozole 2.5 mg":
            # the first dose after a lead-in belongs to the lead-in's first treatment.
            owner = _lead_in_first(sentence, before)
        if owner is None:
            continue
        if owner.term in wanted or term in vocabulary.related(owner.term):
            return True  # the drug, a member of the class asked, or the regimen it is part of
        owned = True
    return False if owned else None
