"""The index catalog (SQLite): which documents and chunks are in the index right now.

The catalog is the source of truth. A document's chunks are swapped in one transaction, so
a crash leaves each document either wholly old or wholly new; vectors in Chroma that the
catalog does not list are orphans and are never returned.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from rag.db import Migration, connect, utc_now
from rag.types import Chunk, DocumentInfo

MIGRATIONS: list[Migration] = [
    (
        1,
        "documents and chunks",
        """
        CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY,
            doc_hash TEXT NOT NULL,
            path TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            publisher TEXT NOT NULL DEFAULT '',
            year TEXT NOT NULL DEFAULT '',
            version TEXT NOT NULL DEFAULT '',
            source_url TEXT NOT NULL DEFAULT '',
            licence TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            pages INTEGER NOT NULL DEFAULT 0,
            warnings TEXT NOT NULL DEFAULT '[]',
            indexed_at TEXT NOT NULL
        );
        CREATE TABLE chunks (
            chunk_id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            section_path TEXT NOT NULL,
            page INTEGER,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX chunks_by_doc ON chunks(doc_id, ordinal);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
        """,
    ),
    (2, "chunk flags", "ALTER TABLE chunks ADD COLUMN flags TEXT NOT NULL DEFAULT '[]'"),
    (
        3,
        "guideline versions",
        """
        ALTER TABLE documents ADD COLUMN supersedes TEXT NOT NULL DEFAULT '';
        ALTER TABLE documents ADD COLUMN superseded_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE documents ADD COLUMN series TEXT NOT NULL DEFAULT ''
        """,
    ),
    (4, "OCR confidence", "ALTER TABLE chunks ADD COLUMN ocr_confidence REAL"),
    (
        5,
        "passages over page breaks and table rows",
        """
        ALTER TABLE chunks ADD COLUMN page_end INTEGER;
        ALTER TABLE chunks ADD COLUMN caption TEXT NOT NULL DEFAULT ''
        """,
    ),
    (
        6,
        "sidecar hash beside the file hash",
        "ALTER TABLE documents ADD COLUMN meta_hash TEXT NOT NULL DEFAULT ''",
    ),
]

_DOC_FIELDS = (
    "doc_id, doc_hash, path, kind, title, publisher, year, version, source_url, licence, "
    "status, pages, supersedes, superseded_by, series, meta_hash"
)


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path, MIGRATIONS)
        self._lock = threading.RLock()

    def close(self) -> None:
        self._conn.close()

    # Documents ------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        rows = self._conn.execute(f"SELECT {_DOC_FIELDS} FROM documents ORDER BY title")
        return [DocumentInfo(**dict(row)) for row in rows]

    def document(self, doc_id: str) -> DocumentInfo | None:
        row = self._conn.execute(
            f"SELECT {_DOC_FIELDS} FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return DocumentInfo(**dict(row)) if row else None

    def document_at(self, path: str) -> DocumentInfo | None:
        row = self._conn.execute(
            f"SELECT {_DOC_FIELDS} FROM documents WHERE path = ?", (path,)
        ).fetchone()
        return DocumentInfo(**dict(row)) if row else None

    def document_rows(self) -> list[dict[str, object]]:
        """Documents with chunk counts and warnings, for listings."""
        rows = self._conn.execute(
            f"SELECT {_DOC_FIELDS}, warnings, indexed_at,"
            " (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id) AS chunks"
            " FROM documents d ORDER BY title"
        )
        out = []
        for row in rows:
            item = dict(row)
            item["warnings"] = json.loads(item["warnings"])
            out.append(item)
        return out

    def replace_document(
        self, info: DocumentInfo, chunks: Sequence[Chunk], warnings: Sequence[str] = ()
    ) -> None:
        """Swap in ``info`` and its chunks atomically (old chunks of the same doc_id go)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (info.doc_id,))
                self._conn.execute(
                    f"INSERT INTO documents({_DOC_FIELDS}, warnings, indexed_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        info.doc_id,
                        info.doc_hash,
                        info.path,
                        info.kind,
                        info.title,
                        info.publisher,
                        info.year,
                        info.version,
                        info.source_url,
                        info.licence,
                        info.status,
                        info.pages,
                        info.supersedes,
                        info.superseded_by,
                        info.series,
                        info.meta_hash,
                        json.dumps(list(warnings)),
                        utc_now(),
                    ),
                )
                self._conn.executemany(
                    "INSERT INTO chunks(chunk_id, doc_id, ordinal, section_path, page,"
                    " start_offset, end_offset, text, flags, ocr_confidence, page_end, caption)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            c.chunk_id,
                            c.doc_id,
                            c.ordinal,
                            json.dumps(list(c.section_path)),
                            c.page,
                            c.start,
                            c.end,
                            c.text,
                            json.dumps(list(c.flags)),
                            c.ocr_confidence,
                            c.page_end,
                            c.caption,
                        )
                        for c in chunks
                    ],
                )
                self._store_snapshot()
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def superseded_ids(self) -> set[str]:
        """Documents for which a newer indexed version exists (or that say so themselves)."""
        docs = self.documents()
        present = {d.doc_id for d in docs}
        out = {d.supersedes for d in docs if d.supersedes in present}
        out |= {d.doc_id for d in docs if d.superseded_by in present}
        out |= {
            d.doc_id for d in docs if d.status.lower() in ("superseded", "withdrawn", "archived")
        }
        by_series: dict[str, list[DocumentInfo]] = {}
        for d in docs:
            if d.series:
                by_series.setdefault(d.series, []).append(d)
        for versions in by_series.values():
            newest = max(versions, key=lambda d: (d.year, d.version))
            out |= {d.doc_id for d in versions if d is not newest}
        return out

    def remove_document(self, doc_id: str) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
                self._store_snapshot()
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    # Chunks ---------------------------------------------------------------------------
    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        if doc_id is None:
            rows = self._conn.execute("SELECT chunk_id FROM chunks")
        else:
            rows = self._conn.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))
        return {row[0] for row in rows}

    def chunk_count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunks(self, ids: Iterable[str] | None = None) -> list[Chunk]:
        """Chunks by id (in no particular order), or all chunks in document order."""
        query = "SELECT c.*, d.doc_hash, d.title FROM chunks c JOIN documents d USING (doc_id)"
        if ids is None:
            rows = self._conn.execute(query + " ORDER BY c.doc_id, c.ordinal").fetchall()
        else:
            wanted = list(ids)
            rows = []
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                marks = ",".join("?" * len(part))
                rows += self._conn.execute(
                    query + f" WHERE c.chunk_id IN ({marks})", part
                ).fetchall()
        return [_chunk(row) for row in rows]

    def glossary(self, doc_id: str) -> str:
        """The text of a document's list of abbreviations (a section named "Abbreviations",
        "Glossary" or "Acronyms"), "" when it has none: a claim may spell out a term or a
        regimen ("Dara-VRd") that the passage only abbreviates."""
        rows = self._conn.execute(
            "SELECT section_path, text FROM chunks WHERE doc_id = ? AND ("
            "lower(section_path) LIKE '%abbreviation%' OR lower(section_path) LIKE '%glossary%'"
            " OR lower(section_path) LIKE '%acronym%') ORDER BY ordinal",
            (doc_id,),
        )
        # the chunk's own heading, not an ancestor's ("Appendix: Glossary and Methods" holds
        # more than definitions)
        return "\n".join(
            text
            for path, text in rows
            if re.search(r"abbreviation|glossary|acronym", (json.loads(path) or [""])[-1], re.I)
        )

    # Snapshot and meta ----------------------------------------------------------------
    def snapshot(self) -> str:
        """Identity of the indexed corpus: a hash over every document's id, file hash and
        sidecar hash, kept up to date by each write (reading it is one lookup on the hot path)."""
        stored = self.get_meta("snapshot")
        return stored if stored is not None else self._compute_snapshot()

    def _compute_snapshot(self) -> str:
        rows = self._conn.execute(
            "SELECT doc_id, doc_hash, meta_hash FROM documents ORDER BY doc_id"
        )
        digest = hashlib.sha256()
        for doc_id, doc_hash, meta_hash in rows:
            # A sidecar edit (new title) changes the corpus; without a sidecar the line is as
            # before, so snapshots recorded with saved answers keep their meaning.
            line = f"{doc_id}:{doc_hash}:{meta_hash}" if meta_hash else f"{doc_id}:{doc_hash}"
            digest.update(f"{line}\n".encode())
        return digest.hexdigest()[:16]

    def _store_snapshot(self) -> None:
        self.set_meta("snapshot", self._compute_snapshot())

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"],
        doc_id=row["doc_id"],
        doc_hash=row["doc_hash"],
        title=row["title"],
        section_path=tuple(json.loads(row["section_path"])),
        page=row["page"],
        start=row["start_offset"],
        end=row["end_offset"],
        text=row["text"],
        ordinal=row["ordinal"],
        flags=tuple(json.loads(row["flags"])),
        ocr_confidence=row["ocr_confidence"],
        page_end=row["page_end"] if row["page_end"] is not None else row["page"],
        caption=row["caption"],
    )
