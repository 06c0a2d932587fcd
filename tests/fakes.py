"""A deterministic language model, registered like the real backends."""

from __future__ import annotations

from collections.abc import Iterator

from rag.answer.generate import GenerationRequest, register_backend
from rag.types import ModelInfo


class ScriptedModel:
    """Streams a fixed reply word by word; remembers every request it was given."""

    reply = "Pegfilgrastim: 6 mg subcutaneously once per chemotherapy cycle [1]."
    requests: list[GenerationRequest] = []

    def __init__(self, settings) -> None:
        self.settings = settings

    def load(self) -> ScriptedModel:
        return self

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("scripted", "0" * 64, "fake", "completion", "memory")

    def stream(self, request: GenerationRequest, on_wait=None) -> Iterator[str]:
        ScriptedModel.requests.append(request)
        for word in self.reply.split(" "):
            yield word + " "


register_backend("scripted", ScriptedModel)
