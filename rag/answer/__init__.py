"""Answer stage: prompts, the language models behind one protocol, and drafting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag import lazy_exports

if TYPE_CHECKING:
    from rag.answer.focus import Focus as Focus
    from rag.answer.focus import question_focus as question_focus
    from rag.answer.generate import GenerationRequest as GenerationRequest
    from rag.answer.generate import LanguageModel as LanguageModel
    from rag.answer.generate import build_request as build_request
    from rag.answer.generate import create_model as create_model
    from rag.answer.generate import link_citations as link_citations
    from rag.answer.modes import AUTO as AUTO
    from rag.answer.modes import EVIDENCE as EVIDENCE
    from rag.answer.modes import GENERATED as GENERATED
    from rag.answer.modes import MODES as MODES
    from rag.answer.modes import draft_rejections as draft_rejections
    from rag.answer.modes import rejection_text as rejection_text
    from rag.answer.prompts import Prompt as Prompt
    from rag.answer.prompts import load_prompt as load_prompt
    from rag.answer.queueing import TurnQueue as TurnQueue

# Public names and their modules, imported on first use (see rag.lazy_exports).
_EXPORTS = {
    "AUTO": "modes",
    "EVIDENCE": "modes",
    "Focus": "focus",
    "GENERATED": "modes",
    "GenerationRequest": "generate",
    "LanguageModel": "generate",
    "MODES": "modes",
    "Prompt": "prompts",
    "TurnQueue": "queueing",
    "build_request": "generate",
    "create_model": "generate",
    "draft_rejections": "modes",
    "link_citations": "generate",
    "load_prompt": "prompts",
    "question_focus": "focus",
    "rejection_text": "modes",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
