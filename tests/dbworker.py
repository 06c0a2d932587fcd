"""A child process for the concurrent first-open test: opens a database the way every
OncoGuide process does, at the same moment as its siblings."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any


def open_fresh(path: str, migrations: list[Any], barrier: Any, results: Any) -> None:
    from rag.db import connect

    try:
        barrier.wait(timeout=60)
        conn = connect(Path(path), migrations)
        conn.execute("SELECT COUNT(*) FROM saved_answers").fetchone()
        conn.close()
        results.put("ok")
    except BaseException:
        results.put(traceback.format_exc())
