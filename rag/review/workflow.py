"""The clinician's review of a drafted answer: one home for the app and the command line.

Check the final text (the draft's own check while the text is unchanged), name its open flags
by stable ids, say what may be saved and why not, and save. Nothing here acknowledges a flag
or marks an answer verified on a person's behalf: those come only from ``Review``. Board
batches run here too and are remembered with the template they ran.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rag.checks.phi import Finding, draft_phi, find_phi
from rag.errors import VerificationRequired
from rag.review.board import (
    BoardDraft,
    CaseInput,
    fill,
    load_templates,
    run_batch,
    template_for,
)
from rag.review.drafts import draft_from_record, draft_record
from rag.review.flags import OpenFlag, open_flags, summary_flags
from rag.types import Answer, Case, Retrieval, Review, SavedRecord, Verification

if TYPE_CHECKING:
    from rag.assistant import PatientSummaryDraft
    from rag.review.store import RecordStore

VerifyText = Callable[[str, Retrieval], Verification]


@dataclass(frozen=True)
class FinalCheck:
    """The claim check of one final text of one answer (``None``: nothing to check)."""

    text: str
    verification: Verification | None
    basis: str = ""  # ``answer_basis`` of the answer whose passages it was checked against


def answer_basis(answer: Answer) -> str:
    """Names an answer's draft and passages, so a check is never reused for another answer."""
    parts = [answer.question, answer.text, answer.retrieval.corpus_snapshot]
    parts += [hit.chunk.chunk_id for hit in answer.hits]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def check_final_text(
    answer: Answer, final_text: str, verify: VerifyText, previous: FinalCheck | None = None
) -> FinalCheck:
    """Check ``final_text`` against the answer's passages. ``previous`` (of the same answer
    and text) or the answer's own check (text unchanged) is reused, never redone."""
    text = final_text.strip()
    basis = answer_basis(answer)
    if previous is not None and previous.text == text and previous.basis == basis:
        return previous
    if not text:
        return FinalCheck(text, None, basis)
    if text == answer.text.strip() and (answer.not_found or answer.verification is not None):
        return FinalCheck(text, answer.verification, basis)
    return FinalCheck(text, verify(text, answer.retrieval), basis)


def _checked_as_made(answer: Answer, check: FinalCheck) -> bool:
    """Whether ``check`` holds what ``check_final_text`` gives: the answer's own check for
    its unchanged text, a claim check for any other (a not-found answer's included)."""
    if check.text == answer.text.strip() and (answer.not_found or answer.verification is not None):
        return check.verification == answer.verification
    return check.verification is not None


@dataclass(frozen=True)
class Decision:
    """Whether a review may be saved now, and each reason it may not."""

    reasons: tuple[str, ...]
    open_flags: tuple[OpenFlag, ...]
    unacknowledged: tuple[OpenFlag, ...]
    phi: tuple[Finding, ...]  # identifiers that are redacted unless the review overrides

    @property
    def may_save(self) -> bool:
        return not self.reasons


def assess(answer: Answer, review: Review, check: FinalCheck, may_verify: bool = True) -> Decision:
    """What stands between this review and a saved record."""
    final = review.final_text.strip()
    reasons = _person_reasons(review, may_verify, "answer")
    if not final:
        reasons.append("The final answer text is empty.")
    elif check.text != final or check.basis != answer_basis(answer):
        reasons.append("The final text changed after it was checked; check it again.")
    elif not _checked_as_made(answer, check):
        reasons.append("The final text was not checked against the answer's sources.")
    flags = open_flags(check.verification)
    unacknowledged = _flag_reasons(flags, review, reasons)
    phi = tuple(
        find_phi(answer.question) + find_phi(final) + find_phi(review.note) + draft_phi(answer)
    )
    return Decision(tuple(reasons), flags, unacknowledged, phi)


def _person_reasons(review: Review, may_verify: bool, what: str) -> list[str]:
    reasons = []
    if not may_verify:
        reasons.append(f"Saving a verified {what} needs the clinician role.")
    if not review.verified:
        reasons.append(f"The {what} is not marked as verified.")
    if not review.verifier.strip():
        reasons.append("A verifier name is required.")
    return reasons


def _flag_reasons(
    flags: tuple[OpenFlag, ...], review: Review, reasons: list[str]
) -> tuple[OpenFlag, ...]:
    """Adds to ``reasons`` what the acknowledgements leave open; returns the open flags."""
    known = {f.flag_id for f in flags}
    unknown = [key for key in review.acknowledged if key not in known]
    if unknown:
        reasons.append(f"Acknowledged flag id(s) {', '.join(unknown)} do not belong to this text.")
    unacknowledged = tuple(f for f in flags if f.flag_id not in review.acknowledged)
    if unacknowledged:
        reasons.append(
            f"{len(unacknowledged)} open flag(s) not acknowledged: "
            + "; ".join(f"{f.flag_id} ({f.label})" for f in unacknowledged)
            + "."
        )
    return unacknowledged


def save(
    store: RecordStore,
    answer: Answer,
    review: Review,
    check: FinalCheck,
    case_id: str | None = None,
    board_item: str = "",
    may_verify: bool = True,
) -> str:
    """Save one reviewed answer; refused (``VerificationRequired``) with the first reason."""
    decision = assess(answer, review, check, may_verify)
    if not decision.may_save:
        raise VerificationRequired(f"{decision.reasons[0]} Nothing saved.")
    return store.save_verified(
        answer, review, check.verification, case_id=case_id, board_item=board_item
    )


# Patient summaries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryCheck:
    """The check of a patient summary against the verified answer it rewrites: each number
    it states that the verified answer does not is an open flag."""

    text: str
    record_id: str
    flags: tuple[OpenFlag, ...]


def check_patient_summary(record: SavedRecord, text: str) -> SummaryCheck:
    """Check a plain-language summary of ``record``'s verified answer."""
    summary = text.strip()
    return SummaryCheck(summary, record.record_id, summary_flags(record.final_answer, summary))


def assess_patient_summary(
    record: SavedRecord, review: Review, check: SummaryCheck, may_verify: bool = True
) -> Decision:
    """What stands between this patient summary and a saved one."""
    final = review.final_text.strip()
    reasons = _person_reasons(review, may_verify, "patient summary")
    if not final:
        reasons.append("The patient summary is empty.")
    elif check != check_patient_summary(record, final):
        reasons.append("The summary changed after it was checked; check it again.")
    unacknowledged = _flag_reasons(check.flags, review, reasons)
    return Decision(tuple(reasons), check.flags, unacknowledged, tuple(find_phi(final)))


def save_patient_summary(
    store: RecordStore,
    record: SavedRecord,
    draft: PatientSummaryDraft,
    review: Review,
    check: SummaryCheck,
    may_verify: bool = True,
) -> str:
    """Save one reviewed patient summary; refused (``VerificationRequired``) with the first
    reason."""
    decision = assess_patient_summary(record, review, check, may_verify)
    if not decision.may_save:
        raise VerificationRequired(f"{decision.reasons[0]} Nothing saved.")
    return store.save_patient_summary(record.record_id, draft, review)


# Board batches -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRun:
    """One run of a question set for a case: drafts only, nothing saved."""

    run_id: str
    case_id: str
    template: str
    drafts: tuple[BoardDraft, ...]


def board_item(draft: BoardDraft) -> str:
    """The name a saved answer carries for its place in a question set."""
    return f"{draft.item.template}/{draft.item.item}"


def case_input(case: Case) -> CaseInput:
    """The fields of a stored case that fill a question set."""
    return CaseInput(case.label, case.cancer_type, case.stage, case.findings, case.board_question)


def board_template(store: RecordStore, case_id: str) -> str:
    """The template of the case's latest run, or the one its cancer type suggests."""
    ran = store.last_board_template(case_id)
    return ran or template_for(store.case(case_id).cancer_type, load_templates())


def load_board_run(store: RecordStore, run_id: str) -> BoardRun | None:
    """A remembered run with its drafts, as it ran; ``None`` when there is none."""
    row = store.board_run(run_id)
    if row is None:
        return None
    drafts = tuple(draft_from_record(d) for d in row["drafts"])
    return BoardRun(row["run_id"], row["case_id"], row["template"], drafts)


def run_board(
    assistant: Any,
    store: RecordStore,
    case_id: str,
    actor: str,
    template: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    on_wait: Callable[[int], None] | None = None,
    mode: str | None = None,
) -> BoardRun:
    """Answer every question of ``template`` (default: the case's cancer type) in ``mode``
    (default: the ``answer_mode`` setting) and remember the run, with its drafts, so the
    packet and a later review refer to what actually ran."""
    case = store.case(case_id)
    templates = load_templates()
    name = template or template_for(case.cancer_type, templates)
    questions = fill(name, case_input(case), templates)
    drafts = tuple(run_batch(assistant, questions, progress=progress, on_wait=on_wait, mode=mode))
    run = BoardRun(uuid.uuid4().hex, case_id, name, drafts)
    store.save_board_run(run.run_id, case_id, name, actor, [draft_record(d) for d in drafts])
    return run
