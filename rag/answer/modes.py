"""Answer modes and the gate a model draft must pass before it is shown as the answer.

``evidence``: verbatim guideline sentences only. ``generated``: the model's draft.
``auto``: the evidence answer, replaced by the model's draft only when the draft passes every
check: every claim supported by the passage it cites, every number found in that passage, and
the question's entity and asked attribute present (relevance check), no passage it relies on
flagged for instructions or superseded, no value that the evidence answer does not state, and
nothing less than the evidence answer states for the question (its values for the asked
attribute and the names it gives), and each statement a near-quote of a sentence of its
passage (setting ``auto_quote_similarity``).
"""

from __future__ import annotations

import difflib
import re

from rag.answer.focus import BROAD_KINDS, Focus, attributes_of
from rag.checks.quantities import quantities
from rag.checks.relevance import KINDS as RELEVANCE_KINDS
from rag.checks.verify import claim_sentences
from rag.retrieval.lexical import tokenize
from rag.retrieval.vocabulary import Vocabulary
from rag.text import strip_citations
from rag.types import SUPPORTED, Answer

EVIDENCE = "evidence"
GENERATED = "generated"
AUTO = "auto"
MODES = (EVIDENCE, GENERATED, AUTO)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# A draft that relies on a passage holding instructions, or on a superseded version, is not
# shown in place of the evidence answer, whatever its claims' verdicts.
UNSAFE_SOURCE_KINDS = frozenset({"injection_source", "superseded_source"})


def added_numbers(draft: Answer, evidence: Answer) -> list[str]:
    """Values in the draft that the evidence answer does not state: a draft shown in place of
    the evidence may reword it, not add a dose, interval or result from elsewhere in the
    passages (the checks can find such a value in a passage and still miss whose it is)."""
    stated = {q.key for q in quantities(evidence.text)} if not evidence.not_found else set()
    stated |= {q.key for q in quantities(draft.question)}  # the question's own details
    added = [
        q.text
        for q in quantities(strip_citations(draft.text))
        if q.key not in stated and q.kind not in ("label", "year")  # "stage III", "2024"
    ]
    return list(dict.fromkeys(added))


_NEGATION = re.compile(r"\b(?:not|never|no|avoid(?:ed)?|insufficient)\b|n't\b", re.IGNORECASE)
_UNTYPED = ("label", "year", "number")  # "stage III", "2024", a bare reference number


def _first_sentence(text: str) -> str:
    """The evidence answer's first sentence (its sentences end at a citation marker)."""
    return re.split(r"(?<=\])[.]?\s+", text.strip(), maxsplit=1)[0]


def dropped_facts(
    draft: Answer, evidence: Answer, focus: Focus, vocabulary: Vocabulary
) -> list[str]:
    """What the evidence answer states for the question that the draft does not. For a typed
    attribute (dose, duration, interval...), each of its values for that attribute; otherwise
    ("which", "who", "what"), each typed value and each specific name it gives beyond the
    question's own (the drugs of a list, the tests of a panel). A draft shown in place of the
    evidence must say at least as much."""
    if evidence.not_found:
        return []
    source = strip_citations(evidence.text)
    text = strip_citations(draft.text)
    said = {q.key for q in quantities(text)}
    asked = set(focus.attributes)
    missing = [
        q.text
        for q in quantities(source)
        if q.kind not in _UNTYPED
        and (not asked or asked & attributes_of(q, source))
        and q.key not in said
    ]
    first = strip_citations(_first_sentence(evidence.text))
    negation = _NEGATION.search(source)
    if negation and not _NEGATION.search(text):
        missing.append(f"the guideline's '{negation.group(0)}'")
    if asked:
        return list(dict.fromkeys(missing))
    # Untyped questions ("can ...", "what must ..."): the draft must carry at least half of
    # the words the evidence's first sentence adds to the question.
    said_words = set(tokenize(text))
    added = set(tokenize(first)) - set(tokenize(draft.question))
    if added and len(added & said_words) * 2 < len(added):
        missing.append("most of what the first guideline sentence says")
    in_question = {t.name for t in vocabulary.terms_in(draft.question)}
    missing += [
        mention.text
        for mention in vocabulary.find(source)
        if mention.term.kind not in BROAD_KINDS
        and mention.term.name not in in_question
        and not vocabulary.names(text, mention.term)
    ]
    return list(dict.fromkeys(missing))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[.][0-9]+)?", text.lower())


def quote_similarity(claim: str, passage: str) -> float:
    """How near ``claim`` comes to quoting one sentence of ``passage``: the largest share of
    its words found there in the same order (1.0: a quote, whole or in part; a swapped
    population or a reworded timing falls below)."""
    said = _words(claim)
    if not said:
        return 0.0
    best = 0
    for sentence in claim_sentences(passage) or [passage]:
        matcher = difflib.SequenceMatcher(None, said, _words(sentence), autojunk=False)
        best = max(best, sum(block.size for block in matcher.get_matching_blocks()))
    return best / len(said)


def reworded_claims(draft: Answer, threshold: float) -> list[str]:
    """The draft's statements that do not come within ``threshold`` of quoting a sentence of
    a passage they cite (or, uncited, of any retrieved passage)."""
    if threshold <= 0 or draft.verification is None:
        return []
    texts = {h.rank: h.chunk.text for h in draft.retrieval.hits}
    far = []
    for claim in draft.verification.claims:
        cited = [texts[r] for r in claim.citations if r in texts] or list(texts.values())
        if max((quote_similarity(claim.text, t) for t in cited), default=0.0) < threshold:
            far.append(claim.text)
    return far


def draft_rejections(
    draft: Answer,
    evidence: Answer | None = None,
    focus: Focus | None = None,
    vocabulary: Vocabulary | None = None,
    quote_threshold: float = 0.0,
) -> tuple[str, ...]:
    """Why a model draft may not be shown as the answer; empty when it passed every check.
    With ``evidence`` (auto mode), a value the evidence answer does not state is a reason; with
    the question's ``focus`` and the ``vocabulary`` too, so is stating less than it does; with
    ``quote_threshold``, so is a statement that rewords its passage beyond a near-quote."""
    if draft.not_found:
        return ("the model did not answer from the passages",)
    verification = draft.verification
    if verification is None or not verification.claims:
        return ("it makes no statement that can be checked against the sources",)
    reasons: list[str] = []
    for claim in verification.claims:
        numbers = [f for f in claim.flags if f.kind.startswith("number")]
        reasons += [f.message for f in numbers]
        if claim.verdict != SUPPORTED and not numbers:
            others = [f.message for f in claim.flags]
            why = others[0] if others else f"it is {claim.verdict} by its cited source"
            reasons.append(f"'{_short(claim.text)}': {why}")
    reasons += [f.message for f in verification.flags if f.kind in RELEVANCE_KINDS]
    reasons += [f.message for f in verification.flags if f.kind in UNSAFE_SOURCE_KINDS]
    if draft.invalid_citations:
        reasons.append("it cites passages that were not shown")
    if evidence is not None:
        reasons += [
            f"'{value}' is not in the guideline sentences that answer the question"
            for value in added_numbers(draft, evidence)
        ]
        reasons += [
            f"'{_short(claim)}' rewords its source beyond a near-quote (a changed timing, "
            "population or order cannot be checked word by word)"
            for claim in reworded_claims(draft, quote_threshold)
        ]
        if focus is not None and vocabulary is not None:
            dropped = dropped_facts(draft, evidence, focus, vocabulary)
            if dropped:
                reasons.append(
                    "the draft states less than the guideline sentences: it leaves out "
                    + ", ".join(f"'{item}'" for item in dropped)
                )
    return tuple(dict.fromkeys(reasons))


def rejection_text(reasons: tuple[str, ...]) -> str:
    """One line for people: "The model's draft was not shown: '100 mg' is not in ...; ..."."""
    return "The model's draft was not shown: " + "; ".join(reasons) + "."
