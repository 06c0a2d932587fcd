"""Board drafts as JSON, kept with their run so a later review can be checked against them.

A kept draft is not a record: it is never shown as verified and never exported. It lets
``board verify`` save exactly the answer a person read, with its sources, model and checks.
"""

from __future__ import annotations

import types
from dataclasses import asdict, fields, is_dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

from rag.review.board import BoardDraft, BoardQuestion
from rag.types import Answer, Verification

_NAMES = {"Verification": Verification}


def draft_record(draft: BoardDraft) -> dict[str, Any]:
    """One draft, answer included, as plain JSON-ready data."""
    return {
        "item": asdict(draft.item),
        "answer": asdict(draft.answer) if draft.answer is not None else None,
        "error": draft.error,
    }


def draft_from_record(data: dict[str, Any]) -> BoardDraft:
    answer = data.get("answer")
    if answer is not None and isinstance(answer.get("draft"), str):
        # Runs kept before drafts carried their model: the text and the reasons only.
        reasons = answer.get("draft_rejected") or []
        answer = answer | {
            "draft": {"text": answer["draft"], "model": None, "prompt": None,
                      "shown": not reasons, "reasons": reasons}
        }  # fmt: skip
    return BoardDraft(
        BoardQuestion(**data["item"]),
        _build(Answer, answer) if answer is not None else None,
        str(data.get("error", "")),
    )


def _build(kind: Any, value: Any) -> Any:
    """``value`` (JSON data) rebuilt as ``kind``: frozen dataclasses, tuples, optionals."""
    if value is None:
        return None
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(kind) if a is not type(None)]
        return _build(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value, strict=False))
    if isinstance(kind, type) and is_dataclass(kind):
        hints = get_type_hints(kind, localns=_NAMES)
        return kind(
            **{
                f.name: _build(hints[f.name], value[f.name])
                for f in fields(kind)
                if f.init and f.name in value
            }
        )
    return value
