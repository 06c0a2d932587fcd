"""The question path, one object per process: retrieve → generate → a drafted ``Answer``.

Nothing here writes an answer anywhere; saving is ``store.RecordStore.save_verified`` and
needs a clinician's ``Review``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rag.answer.compose import MAX_SENTENCES, Evidence, compose
from rag.answer.focus import Focus, question_focus
from rag.answer.generate import (
    LanguageModel,
    build_request,
    build_text_request,
    clean_answer,
    create_model,
    link_citations,
)
from rag.answer.modes import AUTO, EVIDENCE, GENERATED, MODES, draft_rejections
from rag.answer.queueing import WaitCallback
from rag.checks.phi_names import lexicon
from rag.checks.relevance import relevance_flags
from rag.checks.verify import Verifier, split_claims
from rag.config import Settings
from rag.errors import SourceUnavailable
from rag.ingest.ocr import PageReader
from rag.retrieval.index import GuidelineIndex
from rag.retrieval.locate import SourceView, locate
from rag.retrieval.retrieve import NOT_FOUND_TEXT, retrieve
from rag.retrieval.vocabulary import Vocabulary, load_vocabulary
from rag.text import parse_citations, strip_citations
from rag.types import (
    Answer,
    Chunk,
    IngestProgress,
    IngestReport,
    ModelDraft,
    ModelInfo,
    PromptInfo,
    Retrieval,
    SavedSource,
    Verification,
)

if TYPE_CHECKING:
    from rag.ingest.pipeline import ProgressCallback


@dataclass(frozen=True)
class PatientSummaryDraft:
    text: str
    model: ModelInfo
    prompt: PromptInfo


@dataclass
class Draft:
    """A streaming answer in progress: iterate ``tokens``, then call ``finish()``."""

    retrieval: Retrieval
    tokens: Iterator[str]
    prompt: PromptInfo | None
    _assistant: Assistant = field(repr=False)
    _parts: list[str] = field(default_factory=list, repr=False)

    def __iter__(self) -> Iterator[str]:
        for token in self.tokens:
            self._parts.append(token)
            yield token

    def finish(self) -> Answer:
        for _ in self:  # drain whatever the caller did not consume
            pass
        return self._assistant.finish(self.retrieval, "".join(self._parts), self.prompt)


# `check`: passages retrieved for each claim without markers, at most this many claims, and
# at most this many passages beyond the question's.
PASSAGES_PER_CLAIM = 3
CHECKED_CLAIMS = 50
EXTRA_CHECK_PASSAGES = 30


class Assistant:
    """Cheap to construct; the index opens on first use and the model on first generation."""

    def __init__(self, settings: Settings, model: LanguageModel | None = None) -> None:
        self.settings = settings
        self._index: GuidelineIndex | None = None
        self._model = model
        self._lock = threading.Lock()

    @property
    def index(self) -> GuidelineIndex:
        with self._lock:
            if self._index is None:
                self._index = GuidelineIndex(self.settings)
            return self._index

    @property
    def model(self) -> LanguageModel:
        with self._lock:
            if self._model is None:
                self._model = create_model(self.settings)
        return self._model.load()

    def chunk_count(self) -> int:
        """How many passages the index holds."""
        return self.index.catalog.chunk_count()

    def chunks(self) -> list[Chunk]:
        """Every indexed passage."""
        return self.index.catalog.chunks()

    def document_rows(self) -> list[dict[str, object]]:
        """One row per indexed document, for tables."""
        return self.index.catalog.document_rows()

    def source_view(self, chunk: Chunk, page: int | None = None) -> SourceView:
        """``chunk`` shown in its own document (a PDF ``page``, default the passage's first, or
        its section); ``SourceUnavailable`` when the document is gone or not the indexed one."""
        document = self.index.catalog.document(chunk.doc_id)
        if document is None:
            raise SourceUnavailable(
                f"“{chunk.title}” is no longer in the index; its passage cannot be shown."
            )
        return locate(chunk, document.path, page, ocr=PageReader.from_settings(self.settings))

    def saved_passage(self, source: SavedSource) -> Chunk:
        """The indexed passage behind a saved record's source, carrying the document hash the
        clinician verified against (so a since-changed document is refused by ``source_view``)."""
        found = self.index.catalog.chunks([source.chunk_id])
        if not found:
            raise SourceUnavailable(
                f"The passage from “{source.title}” is no longer in the index (the "
                "document was removed or re-indexed with different text); it cannot be shown."
            )
        return replace(found[0], doc_hash=source.doc_hash or found[0].doc_hash)

    def snapshot(self) -> str:
        """The corpus snapshot id: a hash of every indexed document's hash."""
        return self.index.catalog.snapshot()

    def ingest(
        self, paths: Iterable[Path], progress: ProgressCallback | None = None
    ) -> IngestReport:
        # Imported here: the parsers and splitters cost a second at every question otherwise.
        from rag.answer.prepare import embed_passage_sentences
        from rag.ingest.pipeline import ingest

        finished: list[IngestProgress] = []

        def relay(event: IngestProgress) -> None:
            if event.stage == "done":  # told once the sentence vectors are ready too
                finished.append(event)
            elif progress is not None:
                progress(event)

        def step(done: int, total: int) -> None:
            if progress is not None:
                progress(IngestProgress(done, total, "", "sentences"))

        report = ingest(self.index, paths, relay)
        changed = {f.doc_id for f in report.files if f.status in ("added", "updated")}
        chunks = [c for c in self.index.catalog.chunks() if c.doc_id in changed]
        note = embed_passage_sentences(self.index.embedder, chunks, step) if chunks else ""
        lexicon()  # the PHI name lexicon, built once into the state directory
        if note:
            report = replace(report, notes=(*report.notes, note))
        if progress is not None:
            progress(finished[-1] if finished else IngestProgress(0, 0, "", "done"))
        return report

    def add_upload(self, name: str, data: bytes) -> Path:
        """Keep an uploaded guideline in the uploads folder for the next ingest."""
        from rag.ingest.uploads import save_upload

        return save_upload(self.settings.uploads_dir, name, data, self.settings.max_file_mb)

    def retrieve(self, question: str, top_k: int | None = None) -> Retrieval:
        return retrieve(self.index, question, top_k)

    def check(
        self, question: str, text: str, top_k: int | None = None
    ) -> tuple[Retrieval, Verification]:
        """An answer drafted elsewhere, claim by claim (``oncoguide check``). The passages are
        those retrieved for the question, then, for each claim without markers, those
        retrieved for the claim itself: an answer of several statements covers more than one
        question's top passages. Markers still refer to the question's passages, numbered
        first; a claim without markers is judged against all of them."""
        retrieval = self.retrieve(question, top_k)
        hits = list(retrieval.hits)
        seen = {hit.chunk.chunk_id for hit in hits}
        for claim, cited in split_claims(text)[:CHECKED_CLAIMS]:
            if cited or len(hits) >= len(retrieval.hits) + EXTRA_CHECK_PASSAGES:
                continue
            for hit in self.retrieve(claim, PASSAGES_PER_CLAIM).hits:
                if hit.chunk.chunk_id not in seen:
                    seen.add(hit.chunk.chunk_id)
                    hits.append(replace(hit, rank=len(hits) + 1))
        retrieval = replace(retrieval, hits=tuple(hits))
        return retrieval, self.verifier.verify(text, retrieval.hits, judge_unmarked=True)

    def draft(self, retrieval: Retrieval, on_wait: WaitCallback | None = None) -> Draft:
        """Start generating; when retrieval found nothing, the answer is the fixed not-found text.

        ``on_wait`` hears the queue position while other requests hold the model."""
        if retrieval.not_found or not retrieval.hits:
            return Draft(retrieval, iter([NOT_FOUND_TEXT]), None, self)
        model = self.model
        request, prompt = build_request(
            self.settings, retrieval.question, retrieval.hits, model.info.mode
        )
        return Draft(retrieval, model.stream(request, on_wait), prompt, self)

    def finish(self, retrieval: Retrieval, raw: str, prompt: PromptInfo | None) -> Answer:
        text = clean_answer(raw)
        not_found = retrieval.not_found or not text or NOT_FOUND_TEXT.lower()[:-1] in text.lower()
        auto: tuple[int, ...] = ()
        if not_found:
            text = NOT_FOUND_TEXT
        else:
            text, auto = link_citations(text, retrieval.hits)
        cited = parse_citations(text)
        valid = tuple(n for n in cited if 1 <= n <= len(retrieval.hits))
        invalid = tuple(n for n in cited if n not in valid)
        return Answer(
            question=retrieval.question,
            text=text,
            verification=None if not_found else self.verify(text, retrieval),
            not_found=not_found,
            retrieval=retrieval,
            model=self._model.info if (self._model is not None and prompt) else None,
            prompt=prompt,
            settings=self.settings.public_dict(),
            citations=valid,
            invalid_citations=invalid,
            auto_citations=auto,
        )

    @property
    def verifier(self) -> Verifier:
        return Verifier(
            self.index.embedder,
            self.settings.max_source_age_years,
            glossary=self.index.catalog.glossary,
        )

    def verify(self, text: str, retrieval: Retrieval) -> Verification:
        """Claim-by-claim check of ``text`` against the retrieved passages, plus the answer-level
        check that it answers the question asked (entity and asked attribute)."""
        verification = self.verifier.verify(text, retrieval.hits)
        cited = set(parse_citations(text))
        headings = "\n".join(
            " › ".join((hit.chunk.title, *hit.chunk.section_path))
            for hit in retrieval.hits
            if hit.rank in cited
        )
        relevance = relevance_flags(self.focus(retrieval.question), text, self.vocabulary, headings)
        return replace(verification, flags=verification.flags + relevance)

    def answer(
        self,
        retrieval: Retrieval,
        mode: str | None = None,
        on_wait: WaitCallback | None = None,
        on_evidence: Callable[[Answer], None] | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """The answer in ``mode`` (default: the ``answer_mode`` setting); the one home of the
        modes for the app, the command line, board batches and evaluation.

        ``evidence``: verbatim passage sentences, no model. ``generated``: the model's draft.
        ``auto``: the evidence answer, replaced by the model's draft only when the draft passes
        every check (``modes.draft_rejections``); the draft, its model, prompt and the reasons
        it was not shown travel with the answer either way (``Answer.draft``).
        ``on_evidence`` hears the evidence answer as soon as it exists (before any drafting);
        ``on_token`` hears a generated answer's text as it streams; ``on_wait`` the queue."""
        mode = mode or self.settings.answer_mode
        if mode not in MODES:
            raise ValueError(f"answer mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == GENERATED:
            draft = self.draft(retrieval, on_wait)
            for token in draft:
                if on_token is not None:
                    on_token(token)
            return replace(draft.finish(), answer_mode=mode)
        evidence = replace(self.evidence(retrieval), answer_mode=mode)
        if on_evidence is not None:
            on_evidence(evidence)
        if mode == EVIDENCE or retrieval.not_found or not retrieval.hits:
            return evidence
        return self._settle(evidence, self.draft(retrieval, on_wait).finish())

    def _settle(self, evidence: Answer, drafted: Answer) -> Answer:
        """Auto: the draft replaces the evidence answer only when it passed every check."""
        focus = self.focus(evidence.question)
        reasons = draft_rejections(
            drafted, evidence, focus, self.vocabulary, self.settings.auto_quote_similarity
        )
        draft = ModelDraft(drafted.text, drafted.model, drafted.prompt, not reasons, reasons)
        if not reasons:
            return replace(drafted, answer_mode=AUTO, draft=draft)
        return replace(evidence, answer_mode=AUTO, draft=draft)

    @property
    def vocabulary(self) -> Vocabulary:
        """The bundled oncology vocabulary plus the user's additions in the state directory."""
        return load_vocabulary(self.settings.home)

    def focus(self, question: str) -> Focus:
        return question_focus(question, self.vocabulary)

    def evidence(self, retrieval: Retrieval) -> Answer:
        """An answer made only of verbatim passage sentences, each with its marker (no model)."""
        if retrieval.not_found or not retrieval.hits:
            return self._evidence_answer(retrieval, NOT_FOUND_TEXT, True, ())
        found = self.composed(retrieval)
        if found.not_found:
            # why: "the retrieved passages do not mention cemiplimab", or the gap itself
            retrieval = replace(retrieval, reason=found.reason or retrieval.reason)
            return self._evidence_answer(retrieval, found.gap or NOT_FOUND_TEXT, True, ())
        return self._evidence_answer(
            retrieval, found.text, False, tuple(dict.fromkeys(c.rank for c in found.sentences))
        )

    def composed(self, retrieval: Retrieval, max_sentences: int = MAX_SENTENCES) -> Evidence:
        """The evidence composer's sentences for ``retrieval``, strongest first."""
        return compose(
            retrieval.question,
            retrieval.hits,
            self.focus(retrieval.question),
            self.vocabulary,
            self.index.embedder,
            max_sentences,
        )

    def _evidence_answer(
        self, retrieval: Retrieval, text: str, not_found: bool, citations: tuple[int, ...]
    ) -> Answer:
        return Answer(
            question=retrieval.question,
            text=text,
            not_found=not_found,
            retrieval=retrieval,
            model=None,
            prompt=None,
            settings=self.settings.public_dict(),
            citations=citations,
            mode="evidence",
            verification=None if not_found else self.verify(text, retrieval),
        )

    def patient_summary(self, verified_text: str) -> PatientSummaryDraft:
        """A plain-language draft of a verified answer; it needs its own verification."""
        model = self.model
        request, prompt = build_text_request(
            self.settings, "patient_summary", model.info.mode, answer=strip_citations(verified_text)
        )
        text = clean_answer("".join(model.stream(request)))
        return PatientSummaryDraft(text, model.info, prompt)

    def ask(
        self,
        question: str,
        top_k: int | None = None,
        on_wait: WaitCallback | None = None,
        mode: str | None = None,
    ) -> Answer:
        """Retrieve, then ``answer`` in ``mode``."""
        return self.answer(self.retrieve(question, top_k), mode, on_wait)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
