"""Open flags of a checked text, each with a stable id a person acknowledges it by."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from rag.checks.quantities import quantities
from rag.text import strip_citations
from rag.types import Verification


@dataclass(frozen=True)
class OpenFlag:
    """A flag on the final text that a person must fix or acknowledge by ``flag_id``."""

    flag_id: str
    claim: int  # claim number; 0 = the answer as a whole (e.g. its sources)
    claim_text: str
    kind: str
    message: str

    @property
    def label(self) -> str:
        return f"Claim {self.claim}: {self.message}" if self.claim else self.message

    def record(self) -> dict[str, Any]:
        """As stored with a saved record and written into review files."""
        return {"id": self.flag_id, "claim": self.claim, "kind": self.kind, "message": self.message}


def flag_id(claim_text: str, kind: str, message: str) -> str:
    """Stable id of a flag: the same claim with the same problem keeps its id across reruns.
    It starts with a letter so YAML never reads a copied id as a number."""
    blob = "\x1f".join((" ".join(claim_text.split()), kind, message))
    return "f" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:9]


def open_flags(verification: Verification | None) -> tuple[OpenFlag, ...]:
    """Every flag a person must resolve, once per id, in claim order."""
    if verification is None:
        return ()
    found: dict[str, OpenFlag] = {}
    for number, flag in verification.open_flags:
        text = verification.claims[number - 1].text if number else ""
        key = flag_id(text, flag.kind, flag.message)
        found.setdefault(key, OpenFlag(key, number, text, flag.kind, flag.message))
    return tuple(found.values())


def summary_flags(verified_answer: str, summary: str) -> tuple[OpenFlag, ...]:
    """Flags of a plain-language summary of a verified answer: each number it states that
    the verified answer does not."""
    known = {q.key for q in quantities(strip_citations(verified_answer))}
    found: dict[str, OpenFlag] = {}
    for quantity in quantities(summary.strip()):
        if quantity.key in known:
            continue
        kind = "number_not_in_answer"
        message = f"\u201c{quantity.text}\u201d is not in the verified answer."
        key = flag_id("", kind, message)
        found.setdefault(key, OpenFlag(key, 0, "", kind, message))
    return tuple(found.values())
