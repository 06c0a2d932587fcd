"""SQLite connections with numbered migrations recorded in ``_migrations``.

A file that is not a SQLite database (corrupt, or something else) is refused with a clear
message and never overwritten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rag.errors import StoreError

Migration = tuple[int, str, str]  # (number, name, SQL script)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path, migrations: Sequence[Migration]) -> sqlite3.Connection:
    """Open (creating if absent) the database at ``path`` and apply pending migrations."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA busy_timeout = 30000")
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
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = {row[0] for row in conn.execute("SELECT number FROM _migrations")}
    for number, name, script in sorted(migrations):
        if number in applied:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(script):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO _migrations(number, name, applied_at) VALUES (?, ?, ?)",
                (number, name, utc_now()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
