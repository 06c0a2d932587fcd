"""Append-only, hash-chained audit trail (SQLite, in the records database).

Each entry's hash covers its own fields and the previous entry's hash, so an altered,
deleted or reordered entry breaks the chain. Triggers refuse UPDATE and DELETE; the chain
catches changes made around them (a copied file, dropped triggers). Truncation of the newest
entries is caught by comparing with a head hash kept elsewhere (``audit verify`` prints it).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from rag.checks.phi import redact
from rag.db import utc_now

ACTIONS = (
    "ask", "verify", "edit", "save", "export", "delete", "override", "sign-in", "account",
)  # fmt: skip
GENESIS = "0" * 64

MIGRATION_SQL = """
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_ids TEXT NOT NULL,
    model_sha256 TEXT NOT NULL,
    prompt_sha256 TEXT NOT NULL,
    corpus_snapshot TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
"""

_FIELDS = (
    "seq", "at", "actor", "action", "object_ids", "model_sha256", "prompt_sha256",
    "corpus_snapshot", "details", "prev_hash",
)  # fmt: skip


@dataclass(frozen=True)
class AuditEvent:
    actor: str
    action: str
    object_ids: tuple[str, ...] = ()
    model_sha256: str = ""
    prompt_sha256: str = ""
    corpus_snapshot: str = ""
    details: dict[str, Any] | None = None


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    head: str
    problems: tuple[str, ...]


def entry_hash(row: dict[str, Any]) -> str:
    blob = json.dumps({k: row[k] for k in _FIELDS}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _without_identifiers(value: Any) -> Any:
    """Free text in an entry's details with patient identifiers redacted: the trail is kept
    for years and shown to auditors, and never needs to know who the patient was."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _without_identifiers(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_identifiers(item) for item in value]
    return value


def append(conn: sqlite3.Connection, event: AuditEvent) -> int:
    """Append one entry; call inside the caller's write transaction (BEGIN IMMEDIATE)."""
    if event.action not in ACTIONS:
        raise ValueError(f"unknown audit action {event.action!r}")
    last = conn.execute(
        "SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    row: dict[str, Any] = {
        "seq": (last[0] + 1) if last else 1,
        "at": utc_now(),
        "actor": event.actor,
        "action": event.action,
        "object_ids": json.dumps(list(event.object_ids)),
        "model_sha256": event.model_sha256,
        "prompt_sha256": event.prompt_sha256,
        "corpus_snapshot": event.corpus_snapshot,
        "details": json.dumps(
            _without_identifiers(event.details or {}), sort_keys=True, ensure_ascii=False
        ),
        "prev_hash": last[1] if last else GENESIS,
    }
    row["entry_hash"] = entry_hash(row)
    conn.execute(
        f"INSERT INTO audit_log({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        tuple(row.values()),
    )
    return int(row["seq"])


def verify_chain(conn: sqlite3.Connection) -> AuditCheck:
    """Walk the trail in stored order; report every altered, missing or moved entry."""
    problems: list[str] = []
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    head = GENESIS
    for raw in conn.execute("SELECT * FROM audit_log ORDER BY rowid"):
        row = dict(raw)
        count += 1
        if row["seq"] != expected_seq:
            problems.append(
                f"entry {row['seq']} is out of place: expected entry {expected_seq} "
                "(an entry was deleted or the order changed)"
            )
        if row["prev_hash"] != expected_prev:
            problems.append(f"entry {row['seq']} does not follow the entry before it in the chain")
        if entry_hash(row) != row["entry_hash"]:
            problems.append(f"entry {row['seq']} was altered after it was written")
        expected_prev = row["entry_hash"]
        expected_seq = row["seq"] + 1
        head = row["entry_hash"]
    return AuditCheck(not problems, count, head, tuple(problems))


def entries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = []
    for raw in conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        row = dict(raw)
        row["object_ids"] = json.loads(row["object_ids"])
        row["details"] = json.loads(row["details"])
        rows.append(row)
    return rows
