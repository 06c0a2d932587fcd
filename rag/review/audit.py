"""Append-only, hash-chained audit trail (SQLite, in the records database).

Each entry's hash covers its own fields and the previous entry's hash, so an altered,
deleted or reordered entry breaks the chain. Triggers refuse UPDATE and DELETE; the chain
catches changes made around them (a copied file, dropped triggers). A saved record is bound
to the entry that saved it by the hash of its content, so editing the record breaks the
binding. What the chain alone cannot show (the newest entries removed, or the whole chain
rewritten with fresh hashes) is caught by checking against a head hash written down
elsewhere earlier (``audit head``, then ``audit verify --head HASH``).
"""

from __future__ import annotations

import hashlib
import json
import re
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


# Tables whose rows never change once saved, and their key column: each row is bound to the
# audit entry that saved it.
BOUND_TABLES = {"saved_answers": "record_id", "patient_summaries": "summary_id"}
_KIND = {"saved_answers": "saved answer", "patient_summaries": "patient summary"}


@dataclass(frozen=True)
class AuditCheck:
    """``records``: saved records checked against their bindings; ``notes``: findings that are
    not tampering (records saved before binding existed)."""

    ok: bool
    entries: int
    head: str
    problems: tuple[str, ...]
    records: int = 0
    notes: tuple[str, ...] = ()


def entry_hash(row: dict[str, Any]) -> str:
    blob = json.dumps({k: row[k] for k in _FIELDS}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _row_digest(row: dict[str, Any], columns: list[str]) -> str:
    blob = json.dumps({c: row[c] for c in columns}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def binding(conn: sqlite3.Connection, table: str, key: str) -> dict[str, Any]:
    """The content hash of one just-written row of a bound table, for its audit entry's
    details (``{"record": binding(...)}``); call inside the transaction that wrote it."""
    raw = conn.execute(f"SELECT * FROM {table} WHERE {BOUND_TABLES[table]} = ?", (key,)).fetchone()
    if raw is None:
        raise ValueError(f"no row {key!r} in {table}")
    row = dict(raw)
    columns = sorted(row)
    return {"table": table, "id": key, "columns": columns, "sha256": _row_digest(row, columns)}


_DIGEST = re.compile(r"[0-9a-f]{8,64}")


def _without_identifiers(value: Any) -> Any:
    """Free text in an entry's details with patient identifiers redacted: the trail is kept
    for years and shown to auditors, and never needs to know who the patient was."""
    if isinstance(value, str):
        # Hashes and ids are kept as they are: a digit run inside one is no phone number.
        return value if _DIGEST.fullmatch(value) else redact(value)
    if isinstance(value, dict):
        return {
            key: item if key == "record" else _without_identifiers(item)  # a record binding
            for key, item in value.items()
        }
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


def verify_chain(conn: sqlite3.Connection, head: str | None = None) -> AuditCheck:
    """Walk the trail in stored order; report every altered, missing or moved entry and every
    saved record that no longer matches the hash its audit entry holds. With ``head`` (a hash
    written down earlier), also prove that no entry up to that head was removed or rewritten."""
    problems: list[str] = []
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    last = GENESIS
    found_head = head == GENESIS  # the start of every trail
    bindings: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    saved_unbound: set[str] = set()
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
        last = row["entry_hash"]
        found_head = found_head or row["entry_hash"] == head
        _collect_binding(row, bindings, saved_unbound, problems)
    if head is not None and not found_head:
        problems.append(
            f"the head {head} is not in the trail: entries up to it were removed or rewritten "
            "since it was written down"
        )
    notes: list[str] = []
    checked = _check_records(conn, bindings, saved_unbound, problems, notes)
    return AuditCheck(not problems, count, last, tuple(problems), checked, tuple(notes))


def _collect_binding(
    row: dict[str, Any],
    bindings: dict[tuple[str, str], tuple[int, dict[str, Any]]],
    saved_unbound: set[str],
    problems: list[str],
) -> None:
    try:
        details = json.loads(row["details"])
        object_ids = json.loads(row["object_ids"])
    except (TypeError, ValueError):
        problems.append(f"entry {row['seq']} is not readable")
        return
    bound = details.get("record") if isinstance(details, dict) else None
    if isinstance(bound, dict):
        key = (str(bound.get("table")), str(bound.get("id")))
        if key in bindings:
            problems.append(
                f"entry {row['seq']} binds {key[1]} again (first bound in entry "
                f"{bindings[key][0]}); a saved record is bound once"
            )
        else:
            bindings[key] = (int(row["seq"]), bound)
    elif row["action"] == "save":
        saved_unbound.update(str(i) for i in object_ids)


def _check_records(
    conn: sqlite3.Connection,
    bindings: dict[tuple[str, str], tuple[int, dict[str, Any]]],
    saved_unbound: set[str],
    problems: list[str],
    notes: list[str],
) -> int:
    """Recompute every bound table row's hash and compare it with its binding."""
    checked = 0
    for table, key_column in BOUND_TABLES.items():
        kind = _KIND[table]
        present: set[str] = set()
        for raw in conn.execute(f"SELECT * FROM {table}"):
            row = dict(raw)
            key = str(row[key_column])
            present.add(key)
            checked += 1
            found = bindings.get((table, key))
            if found is None:
                if key in saved_unbound:
                    notes.append(f"{kind} {key} was saved before records were bound to the trail")
                else:
                    problems.append(f"{kind} {key} has no audit entry (written outside OncoGuide)")
                continue
            seq, bound = found
            columns = [str(c) for c in bound.get("columns", [])]
            missing = [c for c in columns if c not in row]
            if missing or _row_digest(row, columns) != bound.get("sha256"):
                problems.append(
                    f"{kind} {key} was changed after it was saved (it no longer matches "
                    f"audit entry {seq})"
                )
        for (bound_table, key), (seq, _) in bindings.items():
            if bound_table == table and key not in present:
                problems.append(f"{kind} {key} saved in audit entry {seq} is missing")
    return checked


def entries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = []
    for raw in conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        row = dict(raw)
        row["object_ids"] = json.loads(row["object_ids"])
        row["details"] = json.loads(row["details"])
        rows.append(row)
    return rows
