"""Saved answers (SQLite). Only an answer a clinician verified is ever written."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from rag.db import Migration, connect, utc_now
from rag.errors import StoreError, VerificationRequired
from rag.types import Answer, Review

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
]


def source_records(answer: Answer) -> list[dict[str, Any]]:
    """The passages behind an answer, as stored and exported."""
    return [
        {
            "rank": hit.rank,
            "chunk_id": hit.chunk.chunk_id,
            "doc_id": hit.chunk.doc_id,
            "doc_hash": hit.chunk.doc_hash,
            "title": hit.chunk.title,
            "section": hit.chunk.section_label,
            "page": hit.chunk.page,
            "score": round(hit.score, 6),
            "dense_similarity": None
            if hit.dense_similarity is None
            else round(hit.dense_similarity, 4),
            "lexical_score": None if hit.lexical_score is None else round(hit.lexical_score, 4),
        }
        for hit in answer.hits
    ]


class RecordStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path, MIGRATIONS)

    def close(self) -> None:
        self._conn.close()

    def save_verified(self, answer: Answer, review: Review) -> str:
        """Write one verified answer; refuses unless ``review.verified`` and a verifier name."""
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
        record_id = uuid.uuid4().hex
        model = answer.model
        prompt = answer.prompt
        try:
            self._conn.execute(
                "INSERT INTO saved_answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record_id,
                    answer.question,
                    answer.text,
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
                    utc_now(),
                    review.note,
                ),
            )
        except sqlite3.Error as exc:
            raise StoreError(
                f"The answer could not be saved ({exc}); nothing was written."
            ) from exc
        return record_id

    def records(self, search: str = "") -> list[dict[str, Any]]:
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
        out = []
        for row in rows:
            item = dict(row)
            item["sources"] = json.loads(item["sources"])
            item["settings"] = json.loads(item["settings"])
            item["not_found"] = bool(item["not_found"])
            out.append(item)
        return out

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM saved_answers").fetchone()[0])
