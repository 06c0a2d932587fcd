"""SQLite connections with numbered migrations recorded in ``_migrations``.

A file that is not a SQLite database (corrupt, or something else) is refused with a clear
message and never overwritten. Migrations run under the write lock, so several processes may
open a fresh database at once. Database files are created owner-only (0600).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rag.errors import StoreError
from rag.files import private_dir, private_file

Migration = tuple[int, str, str]  # (number, name, SQL script)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path, migrations: Sequence[Migration]) -> sqlite3.Connection:
    """Open (creating if absent) the database at ``path`` and apply pending migrations."""
    private_dir(path.parent)
    private_file(path)
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        if quick != "ok":
            raise sqlite3.DatabaseError(quick)
        _migrate(conn, migrations)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"{path} is not a readable OncoGuide database ({exc}). It was left untouched; "
            "restore it from a backup or move it aside."
        ) from exc
    return conn


def split_statements(script: str) -> list[str]:
    """Split SQL into complete statements (a trigger body's inner ';' does not end it)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return [s for s in statements if s.rstrip(";").strip()]


def _migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    """Apply pending migrations in one write transaction. The applied list is read under the
    write lock, so a process that waited for another one sees its work and skips it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations ("
            " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = {row[0] for row in conn.execute("SELECT number FROM _migrations")}
        for number, name, script in sorted(migrations):
            if number in applied:
                continue
            for statement in split_statements(script):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO _migrations(number, name, applied_at) VALUES (?, ?, ?)",
                (number, name, utc_now()),
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
