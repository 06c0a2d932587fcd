"""Typed, frozen records passed between stages: ingest → index → retrieve → generate → store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


def source_label(
    title: str, section_path: Sequence[str], page: int | None, page_end: int | None = None
) -> str:
    """Where a passage comes from, worded the same everywhere: "Title · Section > Sub · p. 4"
    ("pp. 4–5" for a passage running over a page break)."""
    parts = [title, " > ".join(section_path) or "—"]
    if page and page_end and page_end > page:
        parts.append(f"pp. {page}–{page_end}")
    elif page:
        parts.append(f"p. {page}")
    return " · ".join(parts)


def source_line(
    rank: int, label: str, ocr_confidence: float | None = None, doc_hash: str = ""
) -> str:
    """A numbered source as every list names it: "[2] Title · Section · p. 4 · OCR text,
    confidence 81 % (document 3f2a9c0b1d4e)"; ``label`` is ``source_label``'s wording."""
    line = f"[{rank}] {label}"
    if ocr_confidence is not None:
        line += f" · OCR text, confidence {ocr_confidence:.0f} %"
    if doc_hash:
        line += f" (document {doc_hash[:12]})"
    return line


@dataclass(frozen=True)
class DocumentInfo:
    """One guideline file as indexed.

    ``doc_id`` is the front-matter ``id`` (or the file stem): stable across edits, so a changed
    file replaces its earlier version. ``doc_hash`` is the SHA-256 of the file's bytes (what
    ``sha256sum FILE`` prints); ``meta_hash`` that of its ``NAME.meta.yaml`` sidecar, "" when it
    has none (see ``ingest.metadata``). Either changing re-indexes the document.
    """

    doc_id: str
    doc_hash: str
    path: str
    kind: str
    title: str
    publisher: str = ""
    year: str = ""
    version: str = ""
    source_url: str = ""
    licence: str = ""
    status: str = ""
    pages: int = 0
    supersedes: str = ""  # doc_id of the earlier version this document replaces
    superseded_by: str = ""
    series: str = ""  # documents sharing a series are versions of one guideline
    meta_hash: str = ""


@dataclass(frozen=True)
class Segment:
    """A run of text under one heading path on one page, before chunking."""

    text: str
    section_path: tuple[str, ...]
    page: int | None
    offset: int  # character offset of ``text`` in the page (PDF) or file body (Markdown, text)
    ocr_confidence: float | None = None  # set when the text was read by OCR (0-100)
    # A paragraph that runs on over a page break: offsets in ``text`` where page+1, page+2...
    # begin; the segment ends on ``page + len(page_breaks)``.
    page_breaks: tuple[int, ...] = ()
    row: bool = False  # one table row ("Header: cell | Header: cell"), never split
    caption: str = ""  # the caption of the table a row belongs to

    @property
    def page_end(self) -> int | None:
        return None if self.page is None else self.page + len(self.page_breaks)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. Character offsets refer to the page (PDF: the page's extracted,
    cleaned text) or the file body. A PDF passage may run on over a page break: it starts on
    ``page`` and ends on ``page_end``. A table row is one passage with its table's ``caption``."""

    chunk_id: str
    doc_id: str
    doc_hash: str
    title: str
    section_path: tuple[str, ...]
    page: int | None
    start: int
    end: int
    text: str
    ordinal: int
    flags: tuple[str, ...] = ()  # instruction-like content found at ingest (rag.ingest.injection)
    ocr_confidence: float | None = None  # OCR text of a scanned page: mean word confidence
    page_end: int | None = None  # last page of the passage (equal to ``page`` on one page)
    caption: str = ""  # table caption when the passage is a table row

    @property
    def pages(self) -> tuple[int, ...]:
        """Every page the passage lies on (empty for files without pages)."""
        if self.page is None:
            return ()
        return tuple(range(self.page, max(self.page, self.page_end or self.page) + 1))

    @property
    def section(self) -> str:
        return self.section_path[-1] if self.section_path else ""

    @property
    def section_label(self) -> str:
        return " > ".join(self.section_path)

    @property
    def source_label(self) -> str:
        """Title · section · page, as every view names this passage's place."""
        return source_label(self.title, self.section_path, self.page, self.page_end)

    def index_text(self) -> str:
        """Text given to the embedder and BM25: the passage under its title and headings."""
        parts = (self.title, *self.section_path) + ((self.caption,) if self.caption else ())
        return " > ".join(parts) + "\n" + self.text


@dataclass(frozen=True)
class Hit:
    """A chunk returned by retrieval, with the evidence for its rank."""

    chunk: Chunk
    rank: int
    score: float  # reciprocal-rank-fusion score
    dense_similarity: float | None
    lexical_score: float | None
    path: str = ""
    publisher: str = ""
    year: str = ""
    superseded: bool = False  # a newer indexed version of this guideline exists

    @property
    def line(self) -> str:
        """The numbered source line, as lists of sources name this passage."""
        chunk = self.chunk
        return source_line(self.rank, chunk.source_label, chunk.ocr_confidence, chunk.doc_hash)


@dataclass(frozen=True)
class Retrieval:
    question: str
    hits: tuple[Hit, ...]
    not_found: bool
    reason: str
    corpus_snapshot: str


@dataclass(frozen=True)
class ModelInfo:
    name: str
    sha256: str
    backend: str
    mode: str  # "completion" or "chat"
    location: str = ""
    warning: str = ""  # e.g. the server serves another model than the one configured


@dataclass(frozen=True)
class PromptInfo:
    name: str
    sha256: str


@dataclass(frozen=True)
class ModelDraft:
    """What the language model drafted in ``auto`` mode, kept whether shown or not."""

    text: str
    model: ModelInfo | None
    prompt: PromptInfo | None
    shown: bool  # True: it passed every check and is the answer's text
    reasons: tuple[str, ...] = ()  # why it was not shown (empty when shown)

    def record(self) -> dict[str, Any]:
        """The draft as saved records, audit events and ``ask --json`` carry it."""
        return {
            "text": self.text,
            "model": model_record(self.model),
            "prompt_sha256": self.prompt.sha256 if self.prompt else None,
            "shown": self.shown,
            "reasons": list(self.reasons),
        }


def model_record(model: ModelInfo | None) -> dict[str, Any] | None:
    """A model's identity as JSON and records carry it."""
    if model is None:
        return None
    return {"name": model.name, "sha256": model.sha256, "warning": model.warning or None}


@dataclass(frozen=True)
class Answer:
    """A drafted answer: never trusted until a clinician verifies it against ``hits``."""

    question: str
    text: str
    not_found: bool
    retrieval: Retrieval
    model: ModelInfo | None
    prompt: PromptInfo | None
    settings: dict[str, Any] = field(default_factory=dict)
    citations: tuple[int, ...] = ()
    invalid_citations: tuple[int, ...] = ()
    auto_citations: tuple[int, ...] = ()  # markers OncoGuide added, not the model
    mode: str = "generated"  # what ``text`` is: "generated" by the model, or "evidence"
    verification: Verification | None = None  # the claim-by-claim check of ``text``
    answer_mode: str = ""  # the mode asked for: "evidence", "generated" or "auto"
    draft: ModelDraft | None = None  # auto: the model's draft, shown or not

    @property
    def hits(self) -> tuple[Hit, ...]:
        return self.retrieval.hits

    @property
    def draft_rejected(self) -> tuple[str, ...]:
        """Auto: why the model's draft was not shown as the answer (empty otherwise)."""
        return self.draft.reasons if self.draft is not None and not self.draft.shown else ()

    @property
    def consulted_model(self) -> ModelInfo | None:
        """The model that drafted for this answer, whether or not its text is shown."""
        return self.model or (self.draft.model if self.draft else None)

    @property
    def consulted_prompt(self) -> PromptInfo | None:
        return self.prompt or (self.draft.prompt if self.draft else None)


@dataclass(frozen=True)
class Review:
    """The clinician's decision on an answer. Only ``verified=True`` may be saved."""

    verified: bool
    verifier: str
    final_text: str
    note: str = ""
    acknowledged: tuple[str, ...] = ()  # keys of the open flags the clinician accepted
    phi_override: bool = False  # keep identifiers unredacted for this record (audited)


@dataclass(frozen=True)
class SavedSource:
    """A passage as stored with a saved record (``retrieve.source_record``)."""

    rank: int
    doc_id: str
    doc_hash: str
    title: str
    section_path: tuple[str, ...] = ()
    page: int | None = None
    page_end: int | None = None
    chunk_id: str = ""
    path: str = ""
    section: str = ""
    score: float | None = None
    dense_similarity: float | None = None
    lexical_score: float | None = None
    flags: tuple[str, ...] = ()
    ocr_confidence: float | None = None

    @property
    def label(self) -> str:
        """Title · section · page, as every view names this passage's place."""
        return source_label(
            self.title, self.section_path or (self.section,), self.page, self.page_end
        )

    @property
    def line(self) -> str:
        """The numbered source line, as lists of sources name this passage."""
        return source_line(self.rank, self.label, self.ocr_confidence, self.doc_hash)


@dataclass(frozen=True)
class SavedRecord:
    """A verified answer as read back from the record store."""

    record_id: str
    question: str
    generated_answer: str
    final_answer: str
    not_found: bool
    sources: tuple[SavedSource, ...]
    model_name: str
    model_sha256: str
    prompt_name: str
    prompt_sha256: str
    corpus_snapshot: str
    settings: dict[str, Any]
    verifier: str
    verified_at: str
    note: str = ""
    mode: str = "generated"
    verification: dict[str, Any] = field(default_factory=dict)  # summary and claims
    acknowledged: tuple[dict[str, Any], ...] = ()  # the open flags accepted: id, kind, message
    disclosure: str = ""
    phi_override: bool = False
    case_id: str | None = None
    board_item: str = ""  # "template/item" when saved from a board question set


@dataclass(frozen=True)
class Case:
    """A de-identified tumour-board case as stored."""

    case_id: str
    label: str
    cancer_type: str
    stage: str
    findings: str
    board_question: str
    status: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class FileReport:
    path: str
    status: str  # "added", "updated", "unchanged", "removed", "skipped"
    reason: str = ""
    doc_id: str = ""
    chunks: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class IngestReport:
    files: tuple[FileReport, ...]
    corpus_snapshot: str
    notes: tuple[str, ...] = ()  # about the run as a whole (e.g. sentence vectors not kept)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def readable(self) -> int:
        return sum(1 for f in self.files if f.status != "skipped")


@dataclass(frozen=True)
class IngestProgress:
    done: int
    total: int
    path: str
    stage: str


# Claim checks (rag.checks.verify) --------------------------------------------------------

SUPPORTED = "supported"
WEAK = "weakly supported"
UNSUPPORTED = "unsupported"
CONTRADICTED = "contradicted"
UNCITED = "uncited"


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str
    suggestion: int | None = None  # a passage number to cite or read instead


@dataclass(frozen=True)
class Claim:
    text: str
    citations: tuple[int, ...]
    verdict: str
    score: float
    flags: tuple[Flag, ...]
    best_source: int | None
    best_score: float
    note: str = ""  # information that is not a failure ("not cited; passage [2] supports it")
    support_source: int | None = None  # the passage that supports the claim, when one does


@dataclass(frozen=True)
class Verification:
    claims: tuple[Claim, ...]
    flags: tuple[Flag, ...] = field(default=())  # answer-level flags (sources, not claims)

    @property
    def supported(self) -> int:
        return sum(c.verdict == SUPPORTED for c in self.claims)

    @property
    def contradicted(self) -> int:
        return sum(c.verdict == CONTRADICTED for c in self.claims)

    @property
    def open_flags(self) -> list[tuple[int, Flag]]:
        """(claim number, flag) for every flag a clinician must resolve; claim 0 = answer."""
        out = [(0, f) for f in self.flags]
        for number, claim in enumerate(self.claims, start=1):
            out += [(number, f) for f in claim.flags]
        return out

    @property
    def summary(self) -> str:
        return f"{self.supported} of {len(self.claims)} claims supported"

    @property
    def has_unsupported(self) -> bool:
        return any(
            c.verdict in (UNSUPPORTED, UNCITED, CONTRADICTED) or c.flags for c in self.claims
        )
