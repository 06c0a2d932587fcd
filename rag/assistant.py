"""The question path, one object per process: retrieve → generate → a drafted ``Answer``.

Nothing here writes an answer anywhere; saving is ``store.RecordStore.save_verified`` and
needs a clinician's ``Review``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rag.config import Settings
from rag.generate import (
    LanguageModel,
    build_request,
    clean_answer,
    create_model,
    link_citations,
    parse_citations,
)
from rag.index import GuidelineIndex
from rag.ingest import ProgressCallback, ingest
from rag.retrieve import NOT_FOUND_TEXT, retrieve
from rag.types import Answer, IngestReport, PromptInfo, Retrieval


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

    def ingest(
        self, paths: Iterable[Path], progress: ProgressCallback | None = None
    ) -> IngestReport:
        return ingest(self.index, paths, progress)

    def retrieve(self, question: str, top_k: int | None = None) -> Retrieval:
        return retrieve(self.index, question, top_k)

    def draft(self, retrieval: Retrieval) -> Draft:
        """Start generating; when retrieval found nothing, the answer is the fixed not-found text."""
        if retrieval.not_found or not retrieval.hits:
            return Draft(retrieval, iter([NOT_FOUND_TEXT]), None, self)
        model = self.model
        request, prompt = build_request(
            self.settings, retrieval.question, retrieval.hits, model.info.mode
        )
        return Draft(retrieval, model.stream(request), prompt, self)

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
            not_found=not_found,
            retrieval=retrieval,
            model=self._model.info if (self._model is not None and prompt) else None,
            prompt=prompt,
            settings=self.settings.public_dict(),
            citations=valid,
            invalid_citations=invalid,
            auto_citations=auto,
        )

    def ask(self, question: str, top_k: int | None = None) -> Answer:
        return self.draft(self.retrieve(question, top_k)).finish()

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
