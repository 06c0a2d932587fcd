"""Tumour-board preparation: de-identified cases, question sets, batch drafting, packets.

A case holds no patient identifiers: every field passes the PHI guard or is refused. Question
sets fill templates from the case fields and run through the same retrieve → draft → verify
path as any question; drafts stay in memory until a clinician verifies and saves each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rag.checks.phi import describe, find_phi
from rag.errors import OncoGuideError
from rag.types import Answer

TEMPLATES_FILE = Path(__file__).with_name("board_templates.yaml")
CASE_FIELDS = ("label", "cancer_type", "stage", "findings", "board_question")


class IdentifierFound(OncoGuideError):
    """A case field looks like it holds a patient identifier; nothing was stored."""


@dataclass(frozen=True)
class CaseInput:
    label: str
    cancer_type: str
    stage: str = ""
    findings: str = ""
    board_question: str = ""


@dataclass(frozen=True)
class BoardQuestion:
    template: str
    item: str
    question: str


@dataclass(frozen=True)
class BoardDraft:
    item: BoardQuestion
    answer: Answer | None
    error: str = ""


def check_case(case: CaseInput) -> CaseInput:
    """Refuse a case whose fields contain identifiers; labels must be de-identified."""
    if not case.label.strip():
        raise OncoGuideError("A case needs a de-identified label (e.g. 'Board 12 — case 3').")
    if not case.cancer_type.strip():
        raise OncoGuideError("A case needs a cancer type.")
    problems = []
    for name in CASE_FIELDS:
        found = find_phi(getattr(case, name))
        if found:
            problems.append(f"{name.replace('_', ' ')}: {describe(found)}")
    if problems:
        raise IdentifierFound(
            "Cases hold no patient identifiers. Remove them and try again — " + "; ".join(problems)
        )
    return case


def load_templates(path: Path = TEMPLATES_FILE) -> dict[str, dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise OncoGuideError(f"Board templates {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("questions"), list) for v in data.values()
    ):
        raise OncoGuideError(f"Board templates {path} must map names to question lists.")
    return data


def template_for(cancer_type: str, templates: dict[str, dict[str, Any]]) -> str:
    """The template name that fits a cancer type ("general" when none does)."""
    lowered = cancer_type.lower()
    for name, spec in templates.items():
        if name != "general" and (name in lowered or spec.get("name", "").lower() in lowered):
            return name
    aliases = {"colon": "colorectal", "rectal": "colorectal", "nsclc": "lung"}
    for word, name in aliases.items():
        if word in lowered and name in templates:
            return name
    return "general"


def fill(
    template: str, case: CaseInput, templates: dict[str, dict[str, Any]]
) -> list[BoardQuestion]:
    """The template's questions with the case's fields filled in."""
    if template not in templates:
        raise OncoGuideError(f"No question set '{template}'; choose one of {sorted(templates)}.")
    values = {
        "stage": case.stage or "this stage of",
        "cancer_type": case.cancer_type,
        "findings": case.findings or "the findings described",
        "board_question": case.board_question
        or f"What do the guidelines say about {case.cancer_type}?",
    }
    out = []
    for item in templates[template]["questions"]:
        text = item["text"]
        for key, value in values.items():
            text = text.replace("{" + key + "}", value.strip())
        out.append(BoardQuestion(template, item["id"], " ".join(text.split())))
    return out


def run_batch(
    assistant: Any,
    questions: list[BoardQuestion],
    progress: Callable[[int, int, str], None] | None = None,
    on_wait: Callable[[int], None] | None = None,
    mode: str | None = None,
) -> list[BoardDraft]:
    """Answer every question in ``mode`` (default: the ``answer_mode`` setting); one failing
    question never stops the others. ``on_wait`` hears the queue position while other
    sessions hold the model."""
    drafts = []
    for done, item in enumerate(questions):
        if progress:
            progress(done, len(questions), item.question)
        try:
            drafts.append(
                BoardDraft(item, assistant.ask(item.question, on_wait=on_wait, mode=mode))
            )
        except Exception as exc:  # noqa: BLE001 - reported per question, the batch goes on
            drafts.append(BoardDraft(item, None, f"{exc.__class__.__name__}: {exc}"))
    if progress:
        progress(len(questions), len(questions), "")
    return drafts
