"""Does the answer answer the question asked?

The entity the question names (or another name for it from the vocabulary) must appear in the
answer, and when the question asks for a typed attribute (a dose, a duration, an age...) the
answer must carry a quantity of that type. A true sentence about something else fails here.
"""

from __future__ import annotations

from rag.answer.focus import ATTRIBUTE_WORDS, BROAD_KINDS, Focus, sentence_attributes
from rag.retrieval.vocabulary import Term, Vocabulary
from rag.text import strip_citations
from rag.types import Flag

ENTITY_MISSING = "relevance_entity"
ATTRIBUTE_MISSING = "relevance_attribute"
KINDS = (ENTITY_MISSING, ATTRIBUTE_MISSING)


def relevance_flags(
    focus: Focus, answer: str, vocabulary: Vocabulary, headings: str = ""
) -> tuple[Flag, ...]:
    """Answer-level flags when ``answer`` misses the question's entity or asked attribute.
    ``headings``: the titles and section headings of the passages the answer cites, shown
    with it on their source cards ("Three doses at 0, 1–2 and 6 months" under "HPV
    vaccination › Dosing schedules" is about HPV vaccination)."""
    text = strip_citations(answer)
    flags = []
    entities = focus.subjects
    if entities and not _names_any(text, headings, entities, vocabulary, focus.subject is None):
        flags.append(
            Flag(ENTITY_MISSING, f"it does not name {focus.label()}, which the question asks about")
        )
    if focus.attributes and not set(focus.attributes) & sentence_attributes(text):
        asked = " or ".join(ATTRIBUTE_WORDS[a] for a in focus.attributes)
        flags.append(Flag(ATTRIBUTE_MISSING, f"the question asks for a {asked}; it gives none"))
    return tuple(flags)


# Kinds of names that make a text about something else than its passage's heading.
_OWN_SUBJECT = frozenset({"drug", "drug class", "regimen", "test", "procedure", "trial"})


def _names_any(
    text: str,
    headings: str,
    entities: tuple[Term, ...],
    vocabulary: Vocabulary,
    about_disease: bool,
) -> bool:
    """The text names an entity, or says nothing of its own about another treatment, test or
    trial and sits under a heading that names one ("Two doses 6 to 12 months apart" under
    "HPV vaccination"; not "Nivolumab 240 mg" under "Pembrolizumab and nivolumab")."""
    if any(vocabulary.names(text, term) for term in entities):
        return True
    if not headings:
        return False
    # A question about a disease or population (no treatment, test or trial named): the cited
    # guideline's title or headings naming it cover all its sentences ("screen every 3 years
    # with cervical cytology" in a cervical cancer screening guideline). A question about
    # osimertinib is not answered by cisplatin under "Non-small cell lung cancer".
    if about_disease and any(
        t.kind in BROAD_KINDS and vocabulary.names(headings, t) for t in entities
    ):
        return True
    if any(t.kind in _OWN_SUBJECT and t not in entities for t in vocabulary.terms_in(text)):
        return False
    return any(vocabulary.names(headings, term) for term in entities)
