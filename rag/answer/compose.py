"""The evidence composer: an answer made only of guideline sentences, chosen for the question.

Candidates are the sentences of the retrieved passages; a list item keeps the line that
introduces its list, a table row keeps the table's header row. Every piece shown is a
character-exact span of its passage (line breaks inside a sentence are shown as spaces).
A sentence that names the entity asked about and carries the attribute asked for (a dose for
"dose", a duration for "how long"...) beats one that is merely similar; among equals,
similarity to the question and shared words decide. When the passages name the entity but none
gives the attribute, the answer says so in one line instead of showing an unrelated sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.answer.focus import (
    ATTRIBUTE_WORDS,
    BROAD_KINDS,
    DOSE,
    TREATMENT_KINDS,
    Focus,
    dose_belongs,
    sentence_attributes,
)
from rag.checks.quantities import quantities
from rag.checks.verify import claim_sentences, stances, without_emphasis
from rag.ingest.injection import instructs
from rag.retrieval.embed import Embedder
from rag.retrieval.lexical import tokenize
from rag.retrieval.vocabulary import Term, Vocabulary
from rag.types import Hit

LEAD_SEPARATOR = " … "
MAX_SENTENCES = 3

_ITEM = re.compile(r"[ \t]*(?:[-*•‣◦▪]|\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t]+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# A document's own reference numbers after a sentence ("… compared with placebo.[12] The …",
# as NCI PDQ summaries write them) end the sentence and are not shown: OncoGuide's markers
# point to passages, and "[12]" would read as one.
# Also "[Level of evidence B1]" after them, and a PDF's superscripts glued to the full stop
# ("… ipilimumab.12,13 Nivolumab …").
_REFERENCES = (
    r"(?:\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]|\[Level of evidence[^\]]{0,20}\]"
    r"|(?<=[A-Za-z)][.!?])\d{1,3}(?:[,–-]\d{1,3})*(?=\s+[A-Z]|\s*$))"
)
_BOUNDARY = re.compile(rf"(?<=[.!?]){_REFERENCES}*[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_REFERENCE_TAIL = re.compile(rf"(?<=[.!?]){_REFERENCES}+\s*$")
_ABBREVIATIONS = frozenset("e.g i.e vs et al fig no approx dr ref cf incl resp".split())
# A sentence opening with a pronoun that points back ("It does not apply to ...") is shown
# with the sentence it points back to, never alone.
# Openings that point back to the sentence before: a pronoun, or a phrase naming "these
# patients", "them", "everyone else", "however" ("In these patients, capecitabine is
# started at 950 mg/m²" is about the patients the sentence before describes).
_ANAPHOR = re.compile(
    r"(?:It|This|These|They|Those|Such|That|Its|Their|Them|However|Otherwise|Conversely|Thereafter|"
    r"(?:In|For|Among|Of|With|To)\s+(?:these|those|such|them|this|that|whom|which|"
    r"everyone\s+else|all\s+others|the\s+others|the\s+rest|the\s+remainder)|"
    r"(?:Everyone|All)\s+(?:else|others))\b"
)


_DEFINITION_ASKED = re.compile(
    r"\bdefin(?:e|ed|ition)\b|\bwhat (?:counts as|is meant by|does .+ mean)\b|\bcriteria\b", re.I
)
_DEFINITION_GIVEN = re.compile(r"\bmeans\b|\bdefined (?:as|by)\b|\brefers to\b|\bis one\b", re.I)


def anaphoric(sentence: str) -> bool:
    """``sentence`` opens with a word that refers to the sentence before it."""
    return bool(_ANAPHOR.match(sentence))


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """One sentence (or table row) of a passage, with the lead-in it needs to be understood."""

    rank: int
    sentence: Span
    lead: Span | None = None
    previous: Span | None = None  # the sentence before it in the same paragraph or item
    kind: str = "sentence"  # "sentence", "item" (of a list) or "row" (of a table)

    def pieces(self, text: str) -> tuple[str, ...]:
        """The verbatim spans shown, lead-in first."""
        spans = [self.sentence] if self.lead is None else [self.lead, self.sentence]
        return tuple(text[s.start : s.end] for s in spans)

    def display(self, text: str) -> str:
        """The text shown: each piece with its line breaks as spaces, joined by an ellipsis
        unless the lead-in runs straight into the sentence in the passage."""
        if self.lead is not None and not text[self.lead.end : self.sentence.start].strip():
            return " ".join(text[self.lead.start : self.sentence.end].split())
        return LEAD_SEPARATOR.join(" ".join(p.split()) for p in self.pieces(text))


def _lines(text: str) -> list[Span]:
    spans = []
    at = 0
    for line in text.split("\n"):
        spans.append(Span(at, at + len(line)))
        at += len(line) + 1
    return spans


def _strip(text: str, span: Span) -> Span | None:
    piece = text[span.start : span.end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    return Span(span.start + left, span.start + right) if right > left else None


_RUNNING_HEADER = re.compile(r"\bPage\s+\d+\s+of\s+\d+\b|\bHealth Professional Version\b", re.I)


def _heading_like(shown: str, kind: str) -> bool:
    """A line a plain-text or PDF export leaves without markup: a heading ("Who should not
    receive checkpoint inhibitors", no full stop, a few words) or a running header ("...
    Version National Cancer Institute Page 1 of 9"). Table rows and list items are kept."""
    if kind != "sentence":
        return False
    if _RUNNING_HEADER.search(shown):
        return True
    return shown[-1] not in ".!?;)]\"'" and len(shown.split()) <= 12


def _unreferenced(text: str, piece: Span) -> Span:
    """``piece`` without the reference numbers after its last full stop."""
    tail = _REFERENCE_TAIL.search(text, piece.start, piece.end)
    return Span(piece.start, tail.start()) if tail else piece


def _sentences(text: str, span: Span) -> list[Span]:
    """Sentence spans inside ``span`` (abbreviations such as "e.g." do not end a sentence)."""
    out: list[Span] = []
    start = span.start
    for match in _BOUNDARY.finditer(text, span.start, span.end):
        word = re.search(r"([A-Za-z.]+)\.?$", text[start : match.start()].rstrip(".\"')]"))
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        piece = _strip(text, Span(start, match.start()))
        if piece:
            out.append(piece)
        start = match.end()
    piece = _strip(text, Span(start, span.end))
    if piece:
        out.append(piece)
    out = [_unreferenced(text, piece) for piece in out]
    # A short tail ("Grade B.", "Twelve cycles.") belongs to the sentence before it.
    merged: list[Span] = []
    for piece in out:
        words = text[piece.start : piece.end]
        if merged and len(words.split()) <= 3 and not words.endswith(":"):
            merged[-1] = Span(merged[-1].start, piece.end)
        else:
            merged.append(piece)
    return merged


def _table_row(line: str) -> bool:
    return line.count("|") >= 2 or bool(re.search(r"\w: [^|]+ \| \w[^|:]*: ", line))


def candidates(text: str, rank: int) -> list[Candidate]:
    """Every sentence, list item sentence and table row of one passage."""
    out: list[Candidate] = []
    lines = _lines(text)
    list_lead: Span | None = None  # a paragraph sentence ending with ":" that opens a list
    header: Span | None = None  # the header row of the current table
    paragraph: list[Span] = []
    # The last paragraph's closing sentence and referent: a paragraph opening "It does not
    # apply to ..." points back to them.
    carried: tuple[Span, Span] | None = None

    def flush_paragraph() -> None:
        nonlocal list_lead, carried
        if not paragraph:
            return
        block = Span(paragraph[0].start, paragraph[-1].end)
        previous: Span | None = None
        referent: Span | None = None  # the sentence a run of "It ..." sentences points back to
        for sentence in _sentences(text, block):
            pointing = anaphoric(text[sentence.start : sentence.end])
            if previous is None and pointing and carried is not None:
                previous, referent = carried
            if previous is not None and pointing:
                lead = referent or previous
            else:
                lead, referent = None, sentence
            out.append(Candidate(rank, sentence, lead, previous))
            previous = sentence
        list_lead = previous if previous and text[previous.end - 1] == ":" else None
        carried = (previous, referent or previous) if previous is not None else None
        paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        raw = text[line.start : line.end]
        if not raw.strip():
            flush_paragraph()
            header = None
            index += 1
            continue
        if _table_row(raw) or _TABLE_RULE.match(raw):
            flush_paragraph()
            carried = None
            following = (
                text[lines[index + 1].start : lines[index + 1].end]
                if index + 1 < len(lines)
                else ""
            )
            row = _strip(text, line)
            if _TABLE_RULE.match(raw):
                pass
            elif header is None and _TABLE_RULE.match(following):
                header = row
            elif row is not None:
                out.append(Candidate(rank, row, header if header != row else None, kind="row"))
            index += 1
            continue
        marker = _ITEM.match(raw)
        if marker:
            flush_paragraph()
            carried = None
            end = line.end
            index += 1
            while index < len(lines):  # continuation lines of the item
                nxt = text[lines[index].start : lines[index].end]
                if not nxt.strip() or _ITEM.match(nxt) or _table_row(nxt):
                    break
                end = lines[index].end
                index += 1
            body = Span(line.start + marker.end(), end)
            sentences = _sentences(text, body)
            own_lead = None
            if sentences:
                colon = text.find(": ", sentences[0].start, sentences[0].end)
                if 0 < colon - sentences[0].start <= 80:
                    own_lead = Span(sentences[0].start, colon + 1)
            previous = None
            for number, sentence in enumerate(sentences):
                lead = list_lead if number == 0 else (own_lead or list_lead)
                if previous is not None and anaphoric(text[sentence.start : sentence.end]):
                    lead = previous
                out.append(Candidate(rank, sentence, lead, previous, "item"))
                previous = sentence
            continue
        paragraph.append(line)
        index += 1
    flush_paragraph()
    return out


@dataclass(frozen=True)
class Chosen:
    """A sentence picked for the answer."""

    rank: int
    text: str  # as displayed (verbatim pieces)
    pieces: tuple[str, ...]  # the verbatim spans of the passage
    names_entity: bool
    attributes: tuple[str, ...]
    similarity: float
    score: float


@dataclass(frozen=True)
class Evidence:
    """The composer's result: the answer text and how it was chosen."""

    focus: Focus
    text: str
    sentences: tuple[Chosen, ...]
    gap: str = ""  # "The indexed guidelines mention X but give no dose for it."
    not_found: bool = False
    reason: str = ""


def _embed(embedder: Embedder, question: str, sentences: Sequence[str]) -> np.ndarray:
    """The question's vector, then the passage sentences'. Passage sentences recur and are
    cached (also on disk); the question may name a patient: embedded afresh, kept nowhere."""
    return np.vstack([embedder.embed_query(question), embedder.embed_cached(sentences)])


def _near_duplicate(a: str, b: str) -> bool:
    x, y = set(tokenize(a)), set(tokenize(b))
    if not x or not y:
        return a == b
    return len(x & y) / min(len(x), len(y)) >= 0.8


def _marked(shown: str, rank: int) -> str:
    """``shown`` with its source marker after each statement the claim checks will judge
    ("… every 2 years (biennial screening) [1]. Grade B [1]."), so none reads as uncited.
    Emphasis is dropped as the checks drop it ("*Hepatotoxicity.* Liver tests …"), so each
    statement is found as written."""
    shown = without_emphasis(shown)
    out: list[str] = []
    at = 0
    for statement in claim_sentences(shown):
        start = shown.find(statement, at)
        if start < 0:  # not found as written: one marker at the end
            out, at = [], 0
            break
        end = start + len(statement)
        out.append(shown[at:end])
        at = end
    pieces = (out[:-1] + [out[-1] + shown[at:]]) if out else [shown]
    return "".join(_mark_one(piece, rank) for piece in pieces)


def _mark_one(sentence: str, rank: int) -> str:
    body = sentence.rstrip()
    tail = sentence[len(body) :]
    if body[-1:] in (".", ";", ":", ","):  # "… every 3 weeks [1]; the weekly …"
        return f"{body[:-1]} [{rank}]{body[-1]}{tail}"
    return f"{body} [{rank}]{tail}"


_AGAINST = re.compile(
    r"\b(?:not\s+(?:be\s+)?(?:recommended|advised|indicated|used|given|offered|routinely)|"
    r"avoid(?:ed)?|contraindicat\w*|do\s+not|should\s+not|against|no\s+role|not\s+(?:a\s+)?"
    r"(?:standard|option))\b",
    re.IGNORECASE,
)

# A heading that advises against what it lists ("Regimens not recommended in the adjuvant
# setting"); narrow on purpose: "Vaccination against HPV" or "Patients who do not respond"
# advise against nothing.
_AGAINST_HEADING = re.compile(
    r"\b(?:not\s+(?:recommended|advised|indicated|routinely\s+\w+)|should\s+not|must\s+not|"
    r"avoid(?:ed|ance)?|contraindicat\w*|no\s+role|not\s+(?:a\s+|an\s+)?(?:standard|option))\b",
    re.IGNORECASE,
)

# Cancer sites as clinicians and guideline titles name them. A guideline is about one site: a
# sentence from another site's guideline ("Adults aged 45 to 49 years: screen for colorectal
# cancer" for "breast screening age 45") does not answer the question.
_SITES = {
    "breast": r"breast|mammogra\w*",
    "cervix": r"cervi(?:x|cal)",
    "colorectum": r"colo(?:n|nic|rectal|noscop\w*)|rect(?:um|al)|bowel",
    "lung": r"lungs?|nsclc|sclc|pulmonary|ldct",
    "prostate": r"prostat\w*|psa",
    "ovary": r"ovar(?:y|ian)",
    "pancreas": r"pancrea\w*",
    "stomach": r"\w*gastric|stomach",
    "oesophagus": r"o?esophag\w*",
    "skin": r"melanoma|skin",
    "bladder": r"bladder|urothelial",
    "kidney": r"renal cell|kidney",
    "liver": r"hepatocellular|liver",
    "endometrium": r"endometri\w*|uterine",
    "thyroid": r"thyroid",
    "blood": r"lymphoma|leuka?emia|myeloma",
}
_SITE = {
    site: re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
    for site, pattern in _SITES.items()
}


def sites(text: str) -> frozenset[str]:
    """The cancer sites ``text`` names ("non-small cell lung cancer" → lung)."""
    return frozenset(site for site, pattern in _SITE.items() if pattern.search(text))


# A question about who should not have something, or below a limit ("cervical screening
# under 21", "who should not get G-CSF"): a sentence advising against answers it first.
_ASKS_AGAINST = re.compile(
    r"\b(?:not|never|avoid\w*|exclud\w*|contraindicat\w*|under\s+\d+|younger\s+than|"
    r"below\s+\d+)\b|n't\b",
    re.IGNORECASE,
)
_ASKS_STANCE = re.compile(
    r"\b(?:recommended|recommend|should|indicated|advised|preferred|standard|offered)\b", re.I
)
_EXCLUDES = re.compile(
    r"\b(?:does\s+not\s+apply|do(?:es)?\s+not\s+(?:screen|treat|give|offer|use)|not\s+for)\b",
    re.IGNORECASE,
)


_DOSE_WORDS = frozenset(tokenize("dose doses dosing dosage posology mg how much given schedule"))


# A sentence or section about an earlier version of the guidance ("Change from the 2016
# recommendation", "The 2016 statement recommended …"): quoted after the current advice, if
# at all, never before it.
_HISTORY = re.compile(
    r"\b(?:changes?\s+(?:from|since)\s+the\s+(?:(?:19|20)\d\d\s+|previous\s+|prior\s+|earlier\s+)?"
    r"(?:recommendation|version|guideline|statement|edition)|(?:previous|prior|earlier|former|"
    r"superseded)\s+"
    r"(?:recommendations?|versions?|guidelines?|statements?|editions?)|(?:19|20)\d\d\s+"
    r"(?:statement|recommendation|guideline|version|edition)s?\s+(?:recommended|advised|said|"
    r"suggested|stated|was|were|had))\b",
    re.IGNORECASE,
)


_ROMAN = {"0": 0, "I": 1, "II": 2, "III": 3, "IV": 4}
# A stage as written: capital Roman numerals or 0-4, a sub-stage letter and digit, a whole word
# ("stage is" and "stage in" name no stage).
_STAGE_NAME = r"(?-i:IV|I{1,3}|0|[1-4])(?-i:[A-C])?\d?(?![A-Za-z0-9])"
_STAGES = re.compile(
    rf"(?<!CKD )(?<!kidney disease )\bstages?\s+"
    rf"({_STAGE_NAME}(?:\s*(?:,|and|or|to|through|-|–)\s*{_STAGE_NAME})*)"
    r"(?!\s+(?:chronic\s+kidney|kidney|renal|CKD|hypertension|pressure|ulcer))",
    re.IGNORECASE,
)


# "at this stage I recommend", "which stage I would choose": "I" the speaker, told by a
# pointing word before "stage" and a verb after "I" ("any stage I NSCLC" stays stage I).
_SPEAKING = re.compile(
    r"\s+(?:would|will|should|shall|can|could|may|might|must|do|did|am|have|had|want|need|"
    r"recommend|suggest|think|believe|prefer|feel|agree|see|consider|find|usually|always|"
    r"often|never|also|still)\b",
    re.IGNORECASE,
)
_POINTING = re.compile(
    r"\b(?:this|that|these|those|each|every|any|which|what|same|next)\s+$",
    re.IGNORECASE,
)


def _stage_number(name: str) -> int:
    """ "IIIA" → 3, "2" → 2 (sub-stages count as their stage)."""
    base = re.match(r"IV|I{1,3}|[0-4]", name)
    assert base is not None
    return int(base.group()) if base.group().isdigit() else _ROMAN[base.group()]


def stages(text: str) -> frozenset[int]:
    """The cancer stages ``text`` names, as numbers 0 to 4 ("stage IIIA" → 3; "stages I to
    III" → 1, 2, 3)."""
    found: set[int] = set()
    for match in _STAGES.finditer(text):
        if (
            match.group(1) == "I"
            and _POINTING.search(text[: match.start()])
            and _SPEAKING.match(text, match.end())
        ):
            continue  # "at this stage I recommend": the pronoun, not stage I
        values = [_stage_number(n) for n in re.findall(_STAGE_NAME, match.group(1))]
        if re.search(r"\b(?:to|through)\b|[-–]", match.group(1)) and len(values) == 2:
            found.update(range(min(values), max(values) + 1))
        else:
            found.update(values)
    return frozenset(found)


def compose(
    question: str,
    hits: Sequence[Hit],
    focus: Focus,
    vocabulary: Vocabulary,
    embedder: Embedder,
    max_sentences: int = MAX_SENTENCES,
) -> Evidence:
    """Choose up to ``max_sentences`` verbatim sentences that answer ``question``."""
    pool: list[tuple[Hit, Candidate, str]] = []
    asked_stages = stages(question)
    current = any(not h.superseded for h in hits)
    for hit in hits:
        if instructs(hit.chunk.flags):  # shown as a source, never quoted
            continue
        if hit.superseded and current:  # a newer version is among the passages
            continue
        # A heading that advises against what its sentences describe: quoting one of them
        # alone would read as the opposite (shown as a source, quoted only if it says so too).
        against = bool(_AGAINST_HEADING.search(" ".join(hit.chunk.section_path)))
        where = stages(" ".join((hit.chunk.title, *hit.chunk.section_path)))
        if asked_stages and where and not asked_stages & where:
            continue  # a section about another stage ("Stage 0 and stage I" for stage III)
        for candidate in candidates(hit.chunk.text, hit.rank):
            shown = candidate.display(hit.chunk.text)
            fragment = candidate.kind == "sentence" and candidate.previous is None
            if (
                len(shown) < 15
                or shown.endswith(":")  # a list's lead-in by itself ("Evidence (TIL therapy):")
                or _heading_like(shown, candidate.kind)
                or (fragment and (shown[0].islower() or anaphoric(shown)))
            ):
                continue  # a bare label, or a chunk that starts mid-sentence or mid-thought
            told = stages(shown)
            if asked_stages and told and not asked_stages & told:
                continue  # the sentence is about another stage
            if against and not _AGAINST.search(shown):
                continue  # "Bevacizumab 7.5 mg/kg …" under "Regimens not recommended"
            pool.append((hit, candidate, shown))
    if not pool:
        return Evidence(focus, "", (), not_found=True, reason="no sentences in the passages")

    entities = focus.entities
    own_terms = set(tokenize(question))
    question_terms = own_terms | set(tokenize(" ".join(vocabulary.expansions(question))))
    defining = bool(_DEFINITION_ASKED.search(question))
    similarity = _embed(embedder, question, [shown for _, _, shown in pool])
    sims = similarity[1:] @ similarity[0]

    weights = [1.0 if term.kind not in BROAD_KINDS else 0.5 for term in entities]
    # Values the question gives; a bare number echoes an age or count ("under 21" echoes
    # "younger than 21 years", not "21%").
    asked_numbers = {q.key for q in quantities(question)}
    asked_numbers |= {(v, unit) for v, u in asked_numbers if not u for unit in ("year", "")}

    def names_term(text: str, term: Term) -> bool:
        # Also inside a longer vocabulary name: "HPV vaccination" names HPV (not for drugs).
        return vocabulary.names(text, term)

    spellings = [
        words
        for term in entities
        for form in term.surface_forms
        if len(words := frozenset(tokenize(form))) >= 2
    ]

    def spelled(words: set[str]) -> bool:
        return any(spelling <= words for spelling in spellings)

    subject = focus.subject
    # A treatment's dose, duration or schedule belongs to it: the sentence, its heading or the
    # sentence before must name that treatment (a test or the disease is not enough).
    treatment = subject is not None and subject.kind in TREATMENT_KINDS
    # A dose question about a drug the vocabulary does not know ("belzutifan dose"): its own
    # words name the drug, and a dose sentence must carry one of them (not any drug's dose).
    unknown_drug = (
        own_terms - _DOSE_WORDS - {w for m in vocabulary.find(question) for w in tokenize(m.text)}
        if DOSE in focus.attributes and not treatment
        else set()
    )

    def names(text: str) -> bool:
        return any(names_term(text, term) for term in focus.subjects)

    def naming(text: str) -> float:
        """Weighted share of the question's entities that ``text`` names."""
        found = [w for term, w in zip(entities, weights, strict=True) if names_term(text, term)]
        return sum(found) / sum(weights) if found else 0.0

    scored = []
    in_passage: dict[int, bool] = {}  # the passage (title and text) names an entity
    in_disease: dict[int, bool] = {}
    diseases = [t for t in entities if t.kind == "condition"] if treatment else []
    asked_sites = sites(question)
    asked_against = bool(_ASKS_AGAINST.search(question))
    # "Is sunitinib recommended first line?": the recommendation answers, not a trial's result.
    asks_stance = bool(_ASKS_STANCE.search(question)) and not focus.attributes
    for (hit, candidate, shown), sim in zip(pool, sims, strict=True):
        text = hit.chunk.text
        attributes = sentence_attributes(shown)
        headings = " ".join(hit.chunk.section_path)
        section = hit.chunk.section_path[-1] if hit.chunk.section_path else ""
        # A sentence under a heading that names the entity ("Tumour-bed boost") is about it.
        share = naming(f"{headings}\n{shown}")
        named = share > 0
        before = (
            text[candidate.previous.start : candidate.previous.end] if candidate.previous else ""
        )
        # The question's own subject may be named by any heading above the sentence ("HPV
        # vaccination › Dosing schedules"); without one, only the nearest heading counts.
        above = headings if subject is not None else section
        nearby = names(shown) or names(f"{above}\n{before}")
        if not named and not nearby:
            # "Low risk means ..." under "Prostate cancer > Risk groups" names low-risk
            # prostate cancer word by word.
            nearby = spelled(set(tokenize(f"{headings} {before} {shown}")))
        if hit.rank not in in_passage:
            in_passage[hit.rank] = names(" ".join((hit.chunk.title, text)))
            # The disease the question names: a treatment's dose for another cancer is no
            # answer ("atezolizumab dose in colon cancer" from a lung cancer guideline).
            about = sites(f"{hit.chunk.title} {headings}")
            # Only a guideline about another disease is out: a dosing passage that names no
            # disease ("Pembrolizumab 200 mg every 3 weeks") answers for any.
            where_named = " ".join((hit.chunk.title, headings))
            other_disease = any(
                t.kind == "condition" and t not in diseases
                for t in vocabulary.terms_in(where_named)
            )
            in_disease[hit.rank] = (not asked_sites or not about or bool(asked_sites & about)) and (
                not diseases
                or not other_disease
                or any(names_term(f"{where_named} {text}", term) for term in diseases)
            )
        context = named or nearby or in_passage[hit.rank]
        matched = [a for a in focus.attributes if a in attributes]
        if (
            unknown_drug
            and DOSE in matched
            and not unknown_drug & set(tokenize(f"{headings} {shown}"))
        ):
            matched.remove(DOSE)
        if treatment and DOSE in matched and subject is not None:
            belongs = dose_belongs(shown, subject, vocabulary)
            if belongs is False or (belongs is None and not nearby):
                matched.remove(DOSE)  # the dose of another drug ("folic acid 400 micrograms")
        terms = set(tokenize(shown))
        # Shared words over the question's own words (another name for a word counts for it).
        lexical = min(1.0, len(terms & question_terms) / len(own_terms)) if own_terms else 0.0
        heading_terms = set(tokenize(section))
        heading = len(heading_terms & question_terms) / len(heading_terms) if heading_terms else 0.0
        # A dose belongs to one drug: it must be named in the sentence or the one before it.
        # In the treatment's passage, a sentence about the question's population ("For
        # high-risk stage III disease (T4 or N2), 6 months of therapy is recommended") that
        # names no other treatment gives the treatment's value.
        own = not treatment or (
            naming(shown) > 0
            and not any(
                t.kind in TREATMENT_KINDS and t not in entities for t in vocabulary.terms_in(shown)
            )
        )
        entity_ok = in_disease[hit.rank] and (
            not entities or nearby or (context and DOSE not in matched and own)
        )
        attribute_ok = not focus.attributes or bool(matched)
        tier = 2 if entity_ok and attribute_ok else 1 if entity_ok or attribute_ok else 0
        echoed = len(asked_numbers & {q.key for q in quantities(shown)})
        score = (
            (share if named else 0.6 if nearby else 0.3 if context else 0.0)
            + (1.0 + 0.25 * (len(matched) - 1) if matched else 0.0)
            + float(sim)
            + 0.3 * lexical
            + 0.3 * heading
            + min(0.3 * echoed, 0.6)
            + (0.7 if defining and _DEFINITION_GIVEN.search(shown) else 0.0)
            - (1.0 if _HISTORY.search(f"{section}\n{shown}") else 0.0)
            + (
                0.5
                if asked_against and (_AGAINST.search(shown) or _EXCLUDES.search(shown))
                else 0.0
            )
            + (0.4 if asks_stance and stances(shown) else 0.0)
        )
        scored.append((tier, score, float(sim), hit, candidate, shown, named or nearby, matched))

    # A question asking for a value needs its subject named; a yes/no question ("Is supplemental
    # MRI recommended for dense breasts?") any of its terms (``Focus.subjects``).
    mentioned = any(
        names(" ".join((h.chunk.title, *h.chunk.section_path, h.chunk.text))) for h in hits
    )
    if entities and not mentioned:
        return Evidence(
            focus,
            "",
            (),
            not_found=True,
            reason=f"the retrieved passages do not mention {focus.label()}",
        )
    best_tier = max(s[0] for s in scored)
    if entities and focus.attributes and best_tier < 2:
        asked = " or ".join(ATTRIBUTE_WORDS[a] for a in focus.attributes)
        elsewhere = ""
        if diseases and not any(in_disease[r] and in_passage[r] for r in in_passage):
            elsewhere = f" in {' or '.join(sorted({focus.typed(t) for t in diseases}))}"
        gap = (
            f"The indexed guidelines mention {focus.label()} but give no {asked} for it{elsewhere}."
        )
        return Evidence(focus, gap, (), gap=gap, not_found=True, reason=gap)

    ranked = sorted((s for s in scored if s[0] == best_tier), key=lambda s: -s[1])
    top = ranked[0]
    chosen: list[tuple[float, float, Hit, Candidate, str, bool, list[str]]] = []
    for _tier, score, sim, hit, candidate, shown, named, matched in ranked:
        if len(chosen) >= max_sentences:
            break
        if chosen and (score < top[1] - 0.35 or sim < top[2] - 0.3):
            continue
        if chosen and hit.chunk.doc_id != top[3].chunk.doc_id and score < top[1] - 0.2:
            continue  # another guideline's sentence (a screening interval under a
            # surveillance question) joins only when it answers nearly as well
        if any(_near_duplicate(shown, c[4]) for c in chosen):
            continue
        if DOSE in matched and candidate.lead is None and candidate.previous and not names(shown):
            previous = candidate.previous
            if names(hit.chunk.text[previous.start : previous.end]):
                # A dose is never shown without its drug: "The every-3-weeks schedule is a
                # loading dose of 8 mg/kg …" comes with the sentence before it, naming
                # trastuzumab.
                candidate = replace(candidate, lead=previous)
                shown = candidate.display(hit.chunk.text)
        chosen.append((score, sim, hit, candidate, shown, named, matched))
    picked = tuple(
        Chosen(
            rank=hit.rank,
            text=shown,
            pieces=candidate.pieces(hit.chunk.text),
            names_entity=named,
            attributes=tuple(matched),
            similarity=round(sim, 3),
            score=round(score, 3),
        )
        for score, sim, hit, candidate, shown, named, matched in chosen
    )
    text = " ".join(_marked(c.text, c.rank) for c in picked)
    return Evidence(focus, text, picked)
