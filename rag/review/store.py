"""Saved answers (SQLite). Only an answer a clinician verified is ever written."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from rag import __version__
from rag.checks.phi import draft_phi, find_phi, redact_together
from rag.checks.verify import claim_records
from rag.db import Migration, connect, utc_now
from rag.errors import StoreError, VerificationRequired
from rag.retrieval.retrieve import source_record
from rag.review import audit
from rag.review.audit import AuditCheck, AuditEvent
from rag.review.flags import open_flags, summary_flags
from rag.types import Answer, Case, Review, SavedRecord, SavedSource, Verification

MIGRATIONS: list[Migration] = [
    (
        1,
        "saved answers",
        """
        CREATE TABLE saved_answers (
            record_id TEXT PRIMARY KEY,
            question TEXT NOT NULL,
            generated_answer TEXT NOT NULL,
            final_answer TEXT NOT NULL,
            not_found INTEGER NOT NULL,
            sources TEXT NOT NULL,
            model_name TEXT NOT NULL,
            model_sha256 TEXT NOT NULL,
            prompt_name TEXT NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            corpus_snapshot TEXT NOT NULL,
            settings TEXT NOT NULL,
            verifier TEXT NOT NULL,
            verified_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX saved_by_time ON saved_answers(verified_at)
        """,
    ),
    (
        2,
        "verification, disclosure and audit trail",
        """
        ALTER TABLE saved_answers ADD COLUMN mode TEXT NOT NULL DEFAULT 'generated';
        ALTER TABLE saved_answers ADD COLUMN verification TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE saved_answers ADD COLUMN acknowledged TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE saved_answers ADD COLUMN disclosure TEXT NOT NULL DEFAULT '';
        ALTER TABLE saved_answers ADD COLUMN phi_override INTEGER NOT NULL DEFAULT 0;
        """
        + audit.MIGRATION_SQL,
    ),
    (
        3,
        "patient summaries",
        """
        CREATE TABLE patient_summaries (
            summary_id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL REFERENCES saved_answers(record_id),
            draft TEXT NOT NULL,
            final_text TEXT NOT NULL,
            model_name TEXT NOT NULL,
            model_sha256 TEXT NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            verifier TEXT NOT NULL,
            verified_at TEXT NOT NULL,
            disclosure TEXT NOT NULL
        )
        """,
    ),
    (
        4,
        "evaluation runs",
        """
        CREATE TABLE eval_runs (
            run_id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            gold TEXT NOT NULL,
            gold_sha256 TEXT NOT NULL,
            retrieval_only INTEGER NOT NULL,
            model_sha256 TEXT NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            corpus_snapshot TEXT NOT NULL,
            metrics TEXT NOT NULL,
            report TEXT NOT NULL,
            pinned INTEGER NOT NULL DEFAULT 0
        )
        """,
    ),
    (
        5,
        "tumour-board cases",
        """
        CREATE TABLE cases (
            case_id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            cancer_type TEXT NOT NULL,
            stage TEXT NOT NULL,
            findings TEXT NOT NULL,
            board_question TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        ALTER TABLE saved_answers ADD COLUMN case_id TEXT;
        ALTER TABLE saved_answers ADD COLUMN board_item TEXT NOT NULL DEFAULT ''
        """,
    ),
    (
        6,
        "board runs",
        """
        CREATE TABLE board_runs (
            run_id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(case_id),
            template TEXT NOT NULL,
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL,
            drafts TEXT NOT NULL
        );
        CREATE INDEX board_runs_by_case ON board_runs(case_id, created_at)
        """,
    ),
    (
        7,
        "evaluation runs: answer mode",
        # An earlier run's mode is in its report's settings (runs before answer modes drafted
        # with the model); retrieval-only runs have no mode.
        """
        ALTER TABLE eval_runs ADD COLUMN mode TEXT NOT NULL DEFAULT 'generated';
        UPDATE eval_runs SET mode = CASE
            WHEN json_valid(report)
                AND json_extract(report, '$.settings.answer_mode') IN ('auto', 'evidence', 'generated')
            THEN json_extract(report, '$.settings.answer_mode') ELSE 'generated' END;
        UPDATE eval_runs SET mode = '' WHERE retrieval_only = 1
        """,
    ),
]


def source_records(answer: Answer) -> list[dict[str, Any]]:
    """The passages behind an answer, as stored and exported."""
    return [source_record(hit) for hit in answer.hits]


def verification_record(
    verification: Verification | None, answer: Answer | None = None
) -> dict[str, Any]:
    """The check of the saved text, plus (auto mode) the model's draft, shown or not, with its
    model, prompt and the reasons it was not shown."""
    record: dict[str, Any] = {}
    if verification is not None:
        record = {"summary": verification.summary, "claims": claim_records(verification)}
    if answer is not None and answer.draft is not None:
        record["draft"] = answer.draft.record()
    return record


def disclosure_text(answer: Answer, verifier: str, verified_at: str) -> str:
    """The AI-use statement that travels with a record and every export of it."""
    snapshot = answer.retrieval.corpus_snapshot
    if answer.not_found:
        origin = (
            f"OncoGuide {__version__} found no answer in the indexed guidelines "
            f"(corpus snapshot {snapshot})"
        )
    elif answer.mode == "evidence" or answer.model is None:
        consulted = answer.consulted_model
        model_note = (
            f"a draft by the language model {consulted.name} (sha256 {consulted.sha256[:12]}) "
            "was not shown"
            if consulted
            else "no language model"
        )
        origin = (
            f"Assembled by OncoGuide {__version__} from verbatim guideline sentences "
            f"({model_note}; corpus snapshot {snapshot})"
        )
    else:
        origin = (
            f"Drafted with OncoGuide {__version__} using the language model {answer.model.name} "
            f"(sha256 {answer.model.sha256[:12]}; corpus snapshot {snapshot})"
        )
    return f"{origin}; verified by {verifier} on {verified_at[:10]}."


# Free text inside a stored check: claim texts, flag messages and suggestions quote the final text.
_QUOTING_KEYS = frozenset({"text", "message", "suggestion", "note", "claim_text", "reasons"})


def _quoted_texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        found: list[str] = []
        for key, item in value.items():
            if key in _QUOTING_KEYS and isinstance(item, str):
                found.append(item)
            elif key in _QUOTING_KEYS and isinstance(item, list):  # a draft's reasons
                found += [text for text in item if isinstance(text, str)]
            else:
                found += _quoted_texts(item)
        return found
    if isinstance(value, list):
        return [text for item in value for text in _quoted_texts(item)]
    return []


def _replace_quoted(value: Any, redacted: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            key: redacted.get(item, item)
            if key in _QUOTING_KEYS and isinstance(item, str)
            else [redacted.get(t, t) if isinstance(t, str) else t for t in item]
            if key in _QUOTING_KEYS and isinstance(item, list)
            else _replace_quoted(item, redacted)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_replace_quoted(item, redacted) for item in value]
    return value


def _redacted_record(
    question: str,
    final: str,
    note: str,
    generated: str,
    checked: dict[str, Any],
    acknowledged: list[dict[str, Any]],
) -> tuple[str, str, str, str, dict[str, Any], list[dict[str, Any]]]:
    """Every free text of one record redacted with one name set, the check's quotes included."""
    quoted = list(dict.fromkeys(_quoted_texts(checked) + _quoted_texts(acknowledged)))
    question, final, note, generated, *clean = redact_together(
        question, final, note, generated, *quoted
    )
    redacted = dict(zip(quoted, clean, strict=True))
    return (
        question,
        final,
        note,
        generated,
        _replace_quoted(checked, redacted),
        _replace_quoted(acknowledged, redacted),
    )


def _typed(kind: Any, row: dict[str, Any]) -> Any:
    """A row as ``kind``; columns the dataclass does not name are left out."""
    return kind(**{f.name: row[f.name] for f in fields(kind) if f.name in row})


def _record(row: dict[str, Any]) -> SavedRecord:
    for key in ("sources", "settings", "verification", "acknowledged"):
        row[key] = json.loads(row[key])
    row["sources"] = tuple(
        _typed(SavedSource, s | {"section_path": tuple(s.get("section_path") or ()),
                                 "flags": tuple(s.get("flags") or ())})
        for s in row["sources"]
    )  # fmt: skip
    # Records saved before flag ids held bare flag keys.
    row["acknowledged"] = tuple(
        a if isinstance(a, dict) else {"id": str(a), "message": str(a)} for a in row["acknowledged"]
    )
    row["not_found"] = bool(row["not_found"])
    row["phi_override"] = bool(row["phi_override"])
    return _typed(SavedRecord, row)


class RecordStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path, MIGRATIONS)

    def close(self) -> None:
        self._conn.close()

    def save_verified(
        self,
        answer: Answer,
        review: Review,
        verification: Verification | None = None,
        case_id: str | None = None,
        board_item: str = "",
    ) -> str:
        """Write one verified answer and its audit entries in one transaction.

        Refused unless ``review.verified``, a verifier name, a final text, and an
        acknowledgement of every open flag of ``verification`` (the check of the final text),
        by its ``flags.flag_id``. Callers go through ``workflow.save``, which also makes
        sure ``verification`` is the check of this final text.
        Patient identifiers in the question, final text and note are redacted unless the
        clinician overrides for this record, which is audited.
        """
        if not review.verified:
            raise VerificationRequired(
                "This answer has not been marked as verified against its sources; nothing saved."
            )
        verifier = review.verifier.strip()
        if not verifier:
            raise VerificationRequired("A verifier name is required to save an answer.")
        final = review.final_text.strip()
        if not final:
            raise StoreError("The final answer text is empty; nothing saved.")
        flags = open_flags(verification)
        unresolved = [f for f in flags if f.flag_id not in review.acknowledged]
        acknowledged = [f.record() for f in flags if f.flag_id in review.acknowledged]
        if unresolved:
            raise VerificationRequired(
                f"{len(unresolved)} flag(s) on the final text are not acknowledged; edit the text "
                "or acknowledge each flag. Nothing saved."
            )
        question, note, generated = answer.question, review.note, answer.text
        checked = verification_record(verification, answer)  # with the model's draft, if any
        phi_found = find_phi(question) + find_phi(final) + find_phi(note) + draft_phi(answer)
        if not review.phi_override:
            question, final, note, generated, checked, acknowledged = _redacted_record(
                question, final, note, generated, checked, acknowledged
            )
        record_id = uuid.uuid4().hex
        # The model consulted: it wrote the text, or (auto) its draft was not shown.
        model = answer.consulted_model
        prompt = answer.consulted_prompt
        verified_at = utc_now()
        disclosure = disclosure_text(answer, verifier, verified_at)
        trace = AuditEvent(
            actor=verifier,
            action="save",
            object_ids=(record_id,),
            model_sha256=model.sha256 if model else "",
            prompt_sha256=prompt.sha256 if prompt else "",
            corpus_snapshot=answer.retrieval.corpus_snapshot,
        )
        events = [
            replace(
                trace,
                action="ask",
                details={"mode": answer.mode, "top_k": len(answer.hits)}
                | ({"answer_mode": answer.answer_mode} if answer.answer_mode else {})
                | ({"model": model.name, "model_warning": model.warning} if model else {})
                | ({"draft": checked["draft"]} if "draft" in checked else {}),
            ),
            replace(
                trace,
                action="verify",
                details={
                    "summary": verification.summary if verification else "",
                    "acknowledged": [f["id"] for f in acknowledged],
                },
            ),
        ]
        if final != generated:
            events.append(replace(trace, action="edit", details={"changed": True}))
        if review.phi_override and phi_found:
            events.append(
                replace(
                    trace,
                    action="override",
                    details={"phi_kinds": sorted({f.kind for f in phi_found})},
                )
            )
        events.append(trace)
        with self._transaction("The answer"):
            self._conn.execute(
                "INSERT INTO saved_answers(record_id, question, generated_answer, final_answer,"
                " not_found, sources, model_name, model_sha256, prompt_name, prompt_sha256,"
                " corpus_snapshot, settings, verifier, verified_at, note, mode, verification,"
                " acknowledged, disclosure, phi_override, case_id, board_item)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record_id,
                    question,
                    generated,
                    final,
                    int(answer.not_found),
                    json.dumps(source_records(answer)),
                    model.name if model else "",
                    model.sha256 if model else "",
                    prompt.name if prompt else "",
                    prompt.sha256 if prompt else "",
                    answer.retrieval.corpus_snapshot,
                    json.dumps(answer.settings, sort_keys=True),
                    verifier,
                    verified_at,
                    note,
                    answer.mode,
                    json.dumps(checked),
                    json.dumps(acknowledged),
                    disclosure,
                    int(review.phi_override),
                    case_id,
                    board_item,
                ),
            )
            record = audit.binding(self._conn, "saved_answers", record_id)
            events[-1] = replace(trace, details={"record": record})
            for event in events:
                audit.append(self._conn, event)
        return record_id

    def save_patient_summary(self, record_id: str, draft: Any, review: Review) -> str:
        """Save a verified plain-language summary of a saved record, with a patient-facing
        AI disclosure. ``draft`` is an ``assistant.PatientSummaryDraft``. Callers go through
        ``workflow.save_patient_summary``; the store checks again that every number flag on
        the final text (a number the verified answer does not state) is acknowledged by its
        id in ``review.acknowledged`` (kept in the audit entry)."""
        if not review.verified or not review.verifier.strip():
            raise VerificationRequired(
                "A patient summary needs its own verification and a verifier name; nothing saved."
            )
        if not review.final_text.strip():
            raise StoreError("The patient summary is empty; nothing saved.")
        parent = self._conn.execute(
            "SELECT final_answer FROM saved_answers WHERE record_id = ?", (record_id,)
        ).fetchone()
        if parent is None:
            raise StoreError(f"No saved answer {record_id}; nothing saved.")
        flags = summary_flags(parent[0], review.final_text)
        unresolved = [f for f in flags if f.flag_id not in review.acknowledged]
        acknowledged = [f.flag_id for f in flags if f.flag_id in review.acknowledged]
        if unresolved:
            raise VerificationRequired(
                f"{len(unresolved)} flag(s) on the summary are not acknowledged "
                f"({unresolved[0].message}); edit it or acknowledge each flag. Nothing saved."
            )
        verifier = review.verifier.strip()
        final, generated = redact_together(review.final_text.strip(), draft.text)
        summary_id = uuid.uuid4().hex
        verified_at = utc_now()
        disclosure = (
            "This information was prepared with the help of an AI tool (OncoGuide, language "
            f"model {draft.model.name}) from clinical guidelines, and was checked by "
            f"{verifier} on {verified_at[:10]}. It does not replace a conversation with your "
            "care team."
        )
        with self._transaction("The summary"):
            self._conn.execute(
                "INSERT INTO patient_summaries VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    summary_id,
                    record_id,
                    generated,
                    final,
                    draft.model.name,
                    draft.model.sha256,
                    draft.prompt.sha256,
                    verifier,
                    verified_at,
                    disclosure,
                ),
            )
            audit.append(
                self._conn,
                AuditEvent(
                    verifier,
                    "save",
                    (summary_id, record_id),
                    draft.model.sha256,
                    draft.prompt.sha256,
                    details={
                        "kind": "patient_summary",
                        "edited": final != generated,
                        "acknowledged": acknowledged,
                        "record": audit.binding(self._conn, "patient_summaries", summary_id),
                    },
                ),
            )
        return summary_id

    def patient_summaries(self, record_id: str | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM patient_summaries"
        params: tuple[str, ...] = ()
        if record_id:
            query += " WHERE record_id = ?"
            params = (record_id,)
        return [dict(r) for r in self._conn.execute(query + " ORDER BY verified_at", params)]

    def save_eval_run(self, report: Any, pin: bool = False) -> None:
        """Store an ``evaluate.EvalReport``; ``pin`` makes it the baseline for its gold set."""
        with self._transaction("The evaluation run"):
            if pin:
                self._conn.execute(
                    "UPDATE eval_runs SET pinned = 0"
                    " WHERE gold_sha256 = ? AND retrieval_only = ? AND mode = ?",
                    (report.gold_sha256, int(report.retrieval_only), report.mode),
                )
            self._conn.execute(
                "INSERT INTO eval_runs(run_id, created_at, gold, gold_sha256, retrieval_only,"
                " model_sha256, prompt_sha256, corpus_snapshot, metrics, report, pinned, mode)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    report.run_id,
                    report.created_at,
                    report.gold,
                    report.gold_sha256,
                    int(report.retrieval_only),
                    report.model_sha256,
                    report.prompt_sha256,
                    report.corpus_snapshot,
                    json.dumps(report.metrics),
                    json.dumps(asdict(report), default=str),
                    int(pin),
                    report.mode,
                ),
            )

    def eval_runs(
        self,
        gold_sha256: str | None = None,
        retrieval_only: bool | None = None,
        mode: str | None = None,
    ) -> list[dict[str, Any]]:
        """Stored runs, oldest first, with their metrics (not the full reports); ``mode``
        selects one answer mode ("" for retrieval-only runs)."""
        query = "SELECT run_id, created_at, gold, gold_sha256, retrieval_only, model_sha256,"
        query += " prompt_sha256, corpus_snapshot, metrics, pinned, mode FROM eval_runs WHERE 1=1"
        params: list[Any] = []
        if mode is not None:
            query += " AND mode = ?"
            params.append(mode)
        if gold_sha256:
            query += " AND gold_sha256 = ?"
            params.append(gold_sha256)
        if retrieval_only is not None:
            query += " AND retrieval_only = ?"
            params.append(int(retrieval_only))
        rows = []
        for row in self._conn.execute(query + " ORDER BY created_at, rowid", params):
            item = dict(row)
            item["metrics"] = json.loads(item["metrics"])
            rows.append(item)
        return rows

    def eval_report(self, run_id: str) -> dict[str, Any]:
        row = self._conn.execute(
            "SELECT report FROM eval_runs WHERE run_id = ?", (run_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"No evaluation run {run_id}.")
        return dict(json.loads(row[0]))

    # Tumour-board cases ------------------------------------------------------------------
    def create_case(self, case: Any, actor: str) -> str:
        """Store a de-identified case (``board.CaseInput``, checked by ``board.check_case``)."""
        from rag.review.board import check_case

        check_case(case)
        case_id = uuid.uuid4().hex[:12]
        now = utc_now()
        with self._transaction("The case"):
            self._conn.execute(
                "INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?)",
                (case_id, case.label.strip(), case.cancer_type.strip(), case.stage.strip(),
                 case.findings.strip(), case.board_question.strip(), "active", now, now),
            )  # fmt: skip
            audit.append(
                self._conn, AuditEvent(actor, "save", (case_id,), details={"kind": "case"})
            )
        return case_id

    def update_case(self, case_id: str, case: Any, actor: str) -> None:
        from rag.review.board import check_case

        check_case(case)
        self.case(case_id)
        with self._transaction("The case"):
            self._conn.execute(
                "UPDATE cases SET label=?, cancer_type=?, stage=?, findings=?, board_question=?,"
                " updated_at=? WHERE case_id=?",
                (case.label.strip(), case.cancer_type.strip(), case.stage.strip(),
                 case.findings.strip(), case.board_question.strip(), utc_now(), case_id),
            )  # fmt: skip
            audit.append(
                self._conn, AuditEvent(actor, "edit", (case_id,), details={"kind": "case"})
            )

    def set_case_status(self, case_id: str, status: str, actor: str) -> None:
        if status not in ("active", "archived"):
            raise StoreError(f"Unknown case status {status!r}.")
        self.case(case_id)
        with self._transaction("The case"):
            self._conn.execute(
                "UPDATE cases SET status=?, updated_at=? WHERE case_id=?",
                (status, utc_now(), case_id),
            )
            audit.append(
                self._conn, AuditEvent(actor, "edit", (case_id,), details={"status": status})
            )

    def case(self, case_id: str) -> Case:
        row = self._conn.execute("SELECT * FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        if row is None:
            raise StoreError(f"No case {case_id}.")
        return _typed(Case, dict(row))

    def cases(self, include_archived: bool = False) -> list[Case]:
        query = "SELECT * FROM cases"
        if not include_archived:
            query += " WHERE status = 'active'"
        rows = self._conn.execute(query + " ORDER BY created_at, rowid")
        return [_typed(Case, dict(r)) for r in rows]

    def save_board_run(
        self, run_id: str, case_id: str, template: str, actor: str, drafts: list[dict[str, Any]]
    ) -> None:
        """Remember a question-set run: its template and its drafts (not records)."""
        self.case(case_id)
        with self._transaction("The board run"):
            self._conn.execute(
                "INSERT INTO board_runs VALUES (?,?,?,?,?,?)",
                (run_id, case_id, template, actor, utc_now(), json.dumps(drafts)),
            )

    def board_run(self, run_id: str) -> dict[str, Any] | None:
        """One remembered run with its drafts (JSON data), or ``None``."""
        row = self._conn.execute("SELECT * FROM board_runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        item = dict(row)
        item["drafts"] = json.loads(item["drafts"])
        return item

    def last_board_template(self, case_id: str) -> str:
        """The template of the case's latest run ("" when none ran)."""
        row = self._conn.execute(
            "SELECT template FROM board_runs WHERE case_id = ? ORDER BY created_at DESC, rowid DESC"
            " LIMIT 1",
            (case_id,),
        ).fetchone()
        return str(row[0]) if row else ""

    def case_records(self, case_id: str) -> list[SavedRecord]:
        """The verified answers saved for a case, oldest first."""
        return [r for r in reversed(self.records()) if r.case_id == case_id]

    def log(self, event: AuditEvent) -> int:
        """Append one audit entry on its own (exports, deletions)."""
        with self._transaction("The audit entry"):
            return audit.append(self._conn, event)

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One write transaction; on any database error nothing of it remains."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            yield
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise StoreError(f"{what} could not be saved ({exc}); nothing was written.") from exc
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def audit_entries(self) -> list[dict[str, Any]]:
        return audit.entries(self._conn)

    def verify_audit(self, head: str | None = None) -> AuditCheck:
        """Check the trail and every saved record against it (and against ``head``)."""
        return audit.verify_chain(self._conn, head)

    def records(self, search: str = "") -> list[SavedRecord]:
        """Saved answers, newest first, optionally filtered by a case-insensitive phrase."""
        query = "SELECT * FROM saved_answers"
        params: tuple[str, ...] = ()
        if search.strip():
            query += (
                " WHERE question LIKE ? OR final_answer LIKE ? OR verifier LIKE ? OR sources LIKE ?"
            )
            like = f"%{search.strip()}%"
            params = (like, like, like, like)
        rows = self._conn.execute(query + " ORDER BY verified_at DESC, rowid DESC", params)
        return [_record(dict(row)) for row in rows]

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM saved_answers").fetchone()[0])
