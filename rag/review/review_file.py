"""Review files: how a board run reaches a person at the command line and comes back.

``board run`` writes one (YAML, mode 0600) listing every draft with its text, checks, sources
and open flags, each entry ``verified: false`` and ``acknowledge: []``. The person reads the
drafts, sets ``verified: true`` on those they checked against the sources, and copies the id
of every open flag they accept into ``acknowledge``. ``board verify`` then saves only those
entries, through the same workflow as the app. A file whose drafts no longer match the run it
names (edited, or from another run or case) is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from rag.errors import OncoGuideError, VerificationRequired
from rag.files import PlainYamlLoader, read_capped, write_private
from rag.review import workflow
from rag.review.workflow import BoardRun, FinalCheck, answer_basis, board_item, open_flags
from rag.types import Review

if TYPE_CHECKING:
    from rag.review.board import BoardDraft
    from rag.review.store import RecordStore

FORMAT = 1
MAX_BYTES = 5_000_000
HEADER = """\
# OncoGuide board review file. Nothing in it has been saved.
# For each draft you checked against its sources: set `verified: true`, and copy the id of
# every open flag you accept into `acknowledge` (fix a flagged text in the app instead).
# Do not edit the drafts here. Then run:
#   oncoguide board verify {case} --review {path} --verified-by "YOUR NAME"
"""


class ReviewFileError(OncoGuideError):
    """The review file cannot be used; nothing was saved from it."""


@dataclass(frozen=True)
class EntryOutcome:
    item: str
    record_id: str = ""  # set when saved
    reason: str = ""  # why not saved


def entry(draft: BoardDraft) -> dict[str, Any]:
    """One draft as a person reads it in the review file."""
    data: dict[str, Any] = {"item": board_item(draft), "question": draft.item.question}
    answer = draft.answer
    if answer is None:
        return data | {"failed": draft.error}
    verification = answer.verification
    data |= {
        "answer": answer.text,
        "mode": answer.mode,
        # auto: why the model's draft is not the answer (it is kept with the saved record)
        "draft_rejected": list(answer.draft_rejected),
        "checks": verification.summary if verification else "not checked",
        "claims": [
            f"{n}. {c.verdict} ({c.score:.2f}): {c.text}"
            for n, c in enumerate(verification.claims if verification else (), start=1)
        ],
        "sources": [hit.line for hit in answer.hits],
        "open_flags": [
            {"id": f.flag_id, "claim": f.claim, "message": f.message}
            for f in open_flags(verification)
        ],
        "verified": False,
        "acknowledge": [],
    }
    return data


def write(run: BoardRun, path: Path, overwrite: bool = True) -> None:
    """Write the review file for ``run`` (owner-only: drafts are not for other accounts);
    with ``overwrite=False`` an existing file is left as it is (``FileExistsError``)."""
    data = {
        "oncoguide_review": FORMAT,
        "run": run.run_id,
        "case": run.case_id,
        "template": run.template,
        "entries": [entry(d) for d in run.drafts],
    }
    text = HEADER.format(case=run.case_id, path=path) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, text, overwrite=overwrite)


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = read_capped(path, MAX_BYTES)
        data = yaml.load(raw.decode("utf-8"), Loader=PlainYamlLoader)  # noqa: S506 - safe loader
    except OSError as exc:
        raise ReviewFileError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    except RecursionError:
        raise ReviewFileError(f"{path} is nested too deeply to be a review file.") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0]
        raise ReviewFileError(f"{path} is not a readable review file ({reason}).") from exc
    except ValueError as exc:  # not a regular file, too large, or a value YAML cannot read
        raise ReviewFileError(
            f"{path} cannot be read as a review file ({exc}); nothing saved."
        ) from exc
    if not isinstance(data, dict) or data.get("oncoguide_review") != FORMAT:
        raise ReviewFileError(f"{path} is not an OncoGuide review file; nothing saved.")
    if not isinstance(data.get("entries"), list) or not all(
        isinstance(e, dict) for e in data["entries"]
    ):
        raise ReviewFileError(f"{path} has no list of entries; nothing saved.")
    return data


def _matches(marked: dict[str, Any], kept: BoardDraft) -> bool:
    """The entry still shows the kept draft: same question, text and flag ids."""
    shown = entry(kept)
    if kept.answer is None:
        return marked.get("question") == shown["question"]
    return (
        marked.get("question") == shown["question"]
        and isinstance(marked.get("answer"), str)
        and marked["answer"].strip() == kept.answer.text.strip()
        and marked.get("open_flags") == shown["open_flags"]
    )


def apply(store: RecordStore, case_id: str, path: Path, verifier: str) -> tuple[EntryOutcome, ...]:
    """Save the entries marked verified in the review file at ``path``, each only when
    every open flag is acknowledged by id; report every marked entry's outcome."""
    data = _read(path)
    if data.get("case") != case_id:
        raise ReviewFileError(
            f"{path} is the review of case {data.get('case')!r}, not {case_id}; nothing saved."
        )
    run = workflow.load_board_run(store, str(data.get("run", "")))
    if run is None or run.case_id != case_id:
        raise ReviewFileError(
            f"{path} names board run {data.get('run')!r}, which this case never ran; nothing saved."
        )
    kept = {board_item(d): d for d in run.drafts}
    seen: set[str] = set()
    for marked in data["entries"]:
        item = str(marked.get("item", ""))
        if item not in kept or item in seen or not _matches(marked, kept[item]):
            raise ReviewFileError(
                f"Entry {item or '?'} of {path} no longer matches the drafts of run "
                f"{str(data['run'])[:12]} (edited, duplicated or stale); nothing saved. Run "
                "`oncoguide board run` again for a fresh review file."
            )
        seen.add(item)
    already = {r.board_item: r.record_id for r in store.case_records(case_id)}
    outcomes = []
    for marked in data["entries"]:
        item = marked["item"]
        if marked.get("verified", False) is False:
            continue
        outcomes.append(_save_entry(store, run, marked, kept[item], verifier, already))
    return tuple(outcomes)


def _save_entry(
    store: RecordStore,
    run: BoardRun,
    marked: dict[str, Any],
    draft: BoardDraft,
    verifier: str,
    already: dict[str, str],
) -> EntryOutcome:
    item = board_item(draft)
    if marked.get("verified") is not True:
        return EntryOutcome(item, reason="`verified` must be true or false.")
    if draft.answer is None:
        return EntryOutcome(item, reason="this question failed; there is no draft to save.")
    if item in already:
        return EntryOutcome(item, reason=f"already saved as record {already[item][:12]}.")
    acknowledge = marked.get("acknowledge") or []
    if not isinstance(acknowledge, list) or not all(isinstance(a, str) for a in acknowledge):
        return EntryOutcome(item, reason="`acknowledge` must be a list of flag ids.")
    answer = draft.answer
    note = f"Verified at the command line from board run {run.run_id[:12]}."
    review = Review(True, verifier, answer.text, note=note, acknowledged=tuple(acknowledge))
    # The text is the kept draft's, unchanged: its own check is the check of the final text.
    check = FinalCheck(answer.text.strip(), answer.verification, answer_basis(answer))
    try:
        record_id = workflow.save(store, answer, review, check, run.case_id, item)
    except VerificationRequired as exc:
        return EntryOutcome(item, reason=str(exc))
    return EntryOutcome(item, record_id=record_id)
