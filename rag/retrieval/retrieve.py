"""Hybrid retrieval: dense (Chroma) and BM25 rankings fused by reciprocal rank fusion, with
an explicit "not found in the indexed guidelines" decision instead of a weak guess."""

from __future__ import annotations

import re
from typing import Any

from rag.checks.phi import find_phi, without_marks
from rag.config import Settings
from rag.retrieval.index import GuidelineIndex
from rag.retrieval.lexical import PATIENT_DESCRIPTORS, LexicalIndex, content_words
from rag.retrieval.vocabulary import Vocabulary, load_vocabulary
from rag.types import Hit, Retrieval

NOT_FOUND_TEXT = "Not found in the indexed guidelines."
# Prescription shorthand ("q3w", "bid") says how often, not what about.
_SCHEDULE = re.compile(r"q\d+[hdw]|qd|bid|tid|qid|od|prn|po|iv|sc")


def source_record(hit: Hit, with_text: bool = False) -> dict[str, Any]:
    """One retrieved passage as stored with a record and printed by ``ask --json``."""
    record: dict[str, Any] = {
        "rank": hit.rank,
        "doc_id": hit.chunk.doc_id,
        "doc_hash": hit.chunk.doc_hash,
        "chunk_id": hit.chunk.chunk_id,
        "title": hit.chunk.title,
        "path": hit.path,
        "section": hit.chunk.section,
        "section_path": list(hit.chunk.section_path),
        "page": hit.chunk.page,
        "page_end": hit.chunk.page_end,
        "score": hit.score,
        "dense_similarity": hit.dense_similarity,
        "lexical_score": hit.lexical_score,
        "flags": list(hit.chunk.flags),
        "ocr_confidence": hit.chunk.ocr_confidence,
    }
    if with_text:
        record["text"] = hit.chunk.text
    return record


def rrf(rankings: list[list[str]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion: sum over rankings of 1 / (k + rank), ranks starting at 1."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


def judge_relevance(
    best_similarity: float,
    unknown_fraction: float,
    unknown_specific: list[str],
    settings: Settings,
    anchored: bool = False,
) -> tuple[bool, str]:
    """Decide whether the best passages can answer the question at all.

    Not found when the closest passage is semantically far (below ``min_similarity``), or when
    it is only moderately close (below ``confident_similarity``) and the question names a
    specific term the corpus never mentions (a drug, a disease, a procedure), or many of the
    question's words are absent from the corpus.

    An ``anchored`` question (it names a drug, regimen, test or trial that a top passage
    writes out, with no specific term missing from the corpus) is not turned away for a low
    similarity alone: terse fragments ("KRAS G12C testing") embed far from any sentence.
    """
    if best_similarity < settings.min_similarity and not (anchored and not unknown_specific):
        return True, f"closest passage similarity {best_similarity:.2f} < {settings.min_similarity}"
    if best_similarity < settings.confident_similarity:
        if unknown_specific:
            return True, (
                f"the indexed guidelines never mention {', '.join(unknown_specific)} and the "
                f"closest passage similarity is only {best_similarity:.2f}"
            )
        if unknown_fraction > settings.max_unknown_term_fraction:
            return True, (
                f"{unknown_fraction:.0%} of the question's terms are absent from the corpus and "
                f"the closest passage similarity is only {best_similarity:.2f}"
            )
    return False, ""


def _known_aliases(question: str, vocabulary: Vocabulary, lexical: LexicalIndex) -> set[str]:
    """Words of ``question`` that are another name for a term the corpus uses ("pembro" for
    pembrolizumab). The other name must be one known word, or known words without numbers for a
    several-word shorthand ("avg risk") or a treatment ("Kadcyla" for "trastuzumab emtansine");
    "CA-125" is not known through "cancer antigen"."""
    known: set[str] = set()
    for mention in vocabulary.find(question):
        words = content_words(mention.text)
        for form in vocabulary.expansions(mention.text):
            parts = content_words(form)
            # A brand is known through its generic name ("Kadcyla", trastuzumab emtansine); not
            # "CA-125" through "cancer antigen 125", nor "SCLC" through words the corpus has
            # only inside "non-small cell lung cancer".
            several = not any(c.isdigit() for c in form + mention.text) and (
                len(words) > 1 or mention.term.kind in ("drug", "drug class", "regimen")
            )
            if parts and (len(parts) == 1 or several) and not lexical.unknown_words(form):
                known.update(words)
                break
    return known


# Words that ask for a value ("how many", "CEA frequency") say what is wanted, not what about;
# a guideline need not use them.
_ASKING = frozenset(
    "many much often frequency frequently long interval intervals duration dosing dosage "
    "posology schedule schedules timing number".split()
)

# Unit and time shorthand ("mcg", "mo", "yo") says how much or how long, not what about.
_UNIT_SHORTHAND = re.compile(r"mcg|ug|µg|mgs?|kg|ml|mo|mos|wks?|yrs?|yo|hrs?|mins?|cyc")


def _phrase_in(form: str, texts: list[str]) -> bool:
    """``form`` written out in one of ``texts`` as a whole phrase ("small cell lung cancer" is
    not written in "non-small cell lung cancer")."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", form.strip()) if w]
    if len(words) < 2:
        return False
    pattern = re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])", re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def _still_missing(
    asked: str, rare: list[str], vocabulary: Vocabulary, lexical: LexicalIndex, hits: list[Hit]
) -> list[str]:
    """The rare unknown words of ``asked`` that still say the corpus lacks its topic. Not
    missing: another name of a term whose longer name the retrieved passages write out
    ("mHSPC" for "metastatic hormone-sensitive disease"), and a word typed in lower case that
    shortens a corpus word ("premed", "vit")."""
    texts = [" ".join((*h.chunk.section_path, h.chunk.text)) for h in hits]
    aliased = {
        w
        for m in vocabulary.find(asked)
        if not any(c.isdigit() for c in m.text)
        and any(_phrase_in(f, texts) for f in m.term.surface_forms)
        for w in content_words(m.text)
    }
    typed = {w.casefold(): w for w in re.findall(r"[\w-]+", asked)}

    def shortens(word: str) -> bool:
        as_typed = typed.get(word.casefold(), word)
        return (
            len(word) >= 3
            and not as_typed.isupper()
            and any(t.startswith(word.casefold()) for t in lexical.vocabulary)
        )

    return [w for w in rare if w not in aliased and not shortens(w)]


# Kinds of term that pin a question to a topic ("KRAS G12C", "CAPOX", "FIT").
_TOPIC_KINDS = frozenset({"drug", "drug class", "regimen", "test", "trial"})


# A fragment, not a question: "KRAS G12C testing", "T-DM1 dose cycles".
_FRAGMENT_WORDS = 4


def _anchored(asked: str, vocabulary: Vocabulary, hits: list[Hit], lexical: LexicalIndex) -> bool:
    """``asked`` is a terse fragment naming a drug, regimen, test or trial, with no word the
    corpus lacks, and one of ``hits`` names every term it names (populations aside). A longer
    question ("osimertinib with grapefruit") is judged by its similarity like any other."""
    unknown = [w for w in lexical.unknown_words(asked) if w not in _ASKING]
    if len(content_words(asked)) > _FRAGMENT_WORDS or unknown:
        return False
    mentions = [m for m in vocabulary.find(asked) if m.term.kind != "population"]
    if not any(m.term.kind in _TOPIC_KINDS for m in mentions):
        return False
    texts = [" ".join((*h.chunk.section_path, h.chunk.text)) for h in hits]
    return any(all(vocabulary.names(text, m.term) for m in mentions) for text in texts)


def retrieve(index: GuidelineIndex, question: str, top_k: int | None = None) -> Retrieval:
    settings = index.settings
    k = top_k or settings.top_k
    question = question.strip()
    view = index.view()
    snapshot = view.snapshot
    # What is searched: the question without redaction marks and the labels typed before
    # them ("MRN [RECORD_NUMBER]"), which no guideline mentions.
    asked = without_marks(question)
    if not asked:
        return Retrieval(question, (), True, "empty question", snapshot)
    lexical_index = view.lexical
    vocabulary = load_vocabulary(settings.home) if settings.query_expansion else None
    dense_query = vocabulary.annotate(asked) if vocabulary else asked
    dense = index.dense_search(dense_query, settings.candidate_k)
    lexical_query = vocabulary.expand(asked) if vocabulary else asked
    lexical = lexical_index.search(lexical_query, settings.candidate_k)
    if not dense and not lexical:
        return Retrieval(question, (), True, "the index is empty or nothing matched", snapshot)

    rankings = {
        "hybrid": [[cid for cid, _ in dense], [cid for cid, _ in lexical]],
        "dense": [[cid for cid, _ in dense]],
        "lexical": [[cid for cid, _ in lexical]],
    }[settings.retrieval_mode]
    fused = rrf(rankings, settings.rrf_k)
    candidates = {c.chunk_id: c for c in index.catalog.chunks(fused)}
    superseded = view.superseded
    # A passage from a superseded version ranks below every passage from a current one.
    order = sorted(
        candidates,
        key=lambda cid: (candidates[cid].doc_id in superseded, -fused[cid], cid),
    )[:k]
    dense_of = dict(dense)
    lexical_of = dict(lexical)
    docs = view.documents
    hits: list[Hit] = []
    for cid in order:
        chunk = candidates[cid]
        doc = docs.get(chunk.doc_id)
        hits.append(
            Hit(
                chunk=chunk,
                rank=len(hits) + 1,
                score=fused[cid],
                dense_similarity=dense_of.get(cid),
                lexical_score=lexical_of.get(cid),
                path=doc.path if doc else "",
                publisher=doc.publisher if doc else "",
                year=doc.year if doc else "",
                superseded=chunk.doc_id in superseded,
            )
        )

    # Numbers (ages, doses), words describing the patient and patient identifiers (a name is
    # no guideline topic, and the not-found reason must never echo it) never count as a
    # missing topic. A word that is another name for something the corpus mentions ("pembro",
    # "XELOX") is not missing from it.
    identifiers = {w.casefold() for f in find_phi(asked) for w in content_words(f.text)}
    known_aliases = _known_aliases(asked, vocabulary, lexical_index) if vocabulary else set()
    unknown = [
        w
        for w in lexical_index.unknown_words(asked)
        if not w[0].isdigit()
        and w not in PATIENT_DESCRIPTORS
        and w.casefold() not in identifiers
        and w not in known_aliases
        and not _SCHEDULE.fullmatch(w)
        and not _UNIT_SHORTHAND.fullmatch(w.casefold())
        and w not in _ASKING
    ]
    unknown_fraction = len(set(unknown)) / (len(set(content_words(asked))) or 1)
    # Words the embedder's general-English vocabulary has to split into pieces are rare,
    # specific terms (drug and disease names); their absence from the corpus is telling.
    specific = [w for w in unknown if index.embedder.is_rare_word(w)]
    # A named disease, drug or test none of whose names occurs in the corpus is missing too,
    # even when its words are common ("head and neck cancer").
    if vocabulary:
        specific = _still_missing(asked, specific, vocabulary, lexical_index, hits)
        specific += [
            m.text
            for m in vocabulary.find(asked)
            if m.term.kind != "population"
            and all(lexical_index.unknown_words(f) for f in m.term.surface_forms)
            and m.text not in specific
        ]
    best = max((s for _, s in dense), default=0.0)
    anchored = vocabulary is not None and _anchored(asked, vocabulary, hits[:3], lexical_index)
    not_found, reason = judge_relevance(best, unknown_fraction, specific, settings, anchored)
    return Retrieval(question, tuple(hits), not_found, reason, snapshot)
