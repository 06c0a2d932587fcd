"""SQLite connections with numbered migrations recorded in ``_migrations``.

A file that is not a SQLite database (corrupt, or something else) is refused with a clear
message and never overwritten. Migrations run under the write lock, so several processes may
open a fresh database at once. Database files are created owner-only (0600).
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rag.errors import StoreError
from rag.files import private_dir, private_file

Migration = tuple[int, str, str]  # (number, name, SQL script)

BUSY_TIMEOUT_S = 30.0  # how long a connection waits for another process's write


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path, migrations: Sequence[Migration]) -> sqlite3.Connection:
    """Open (creating if absent) the database at ``path`` and apply pending migrations."""
    private_dir(path.parent)
    private_file(path)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        _use_wal(conn)
        quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        if quick != "ok":
            raise sqlite3.DatabaseError(quick)
        _migrate(conn, migrations)
    except sqlite3.OperationalError as exc:
        conn.close()
        if not _busy(exc):
            raise _unreadable(path, exc) from exc
        raise StoreError(
            f"{path} is held by another OncoGuide process for more than "
            f"{BUSY_TIMEOUT_S:.0f} s ({exc}); try again when it has finished."
        ) from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _unreadable(path, exc) from exc
    return conn


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _unreadable(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    return StoreError(
        f"{path} is not a readable OncoGuide database ({exc}). It was left untouched; "
        "restore it from a backup or move it aside."
    )


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a database to WAL. On a fresh file opened by several processes at once, SQLite
    refuses the switch at once instead of waiting (to avoid deadlock), so retry it."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02 + random.random() * 0.05)


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
