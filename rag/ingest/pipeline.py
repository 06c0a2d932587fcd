"""Ingest: files and folders → parsed, chunked, indexed documents, with a per-file report.

Unchanged files (same content hash) are skipped, changed files replace their earlier chunks,
and files that disappeared from an ingested folder leave the index. A bad file is reported
with its reason and never touches what is already indexed; that holds for any failure
within one file, including an unexpected one, which is also logged with its traceback.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from rag.errors import IngestError
from rag.ingest.chunking import chunk_segments
from rag.ingest.injection import instructs
from rag.ingest.metadata import file_hash, metadata_hash, read_sidecar
from rag.ingest.ocr import PageReader
from rag.ingest.parse import kind_of, parse_file, slugify
from rag.retrieval.index import GuidelineIndex, PendingDocument
from rag.types import DocumentInfo, FileReport, IngestProgress, IngestReport

ProgressCallback = Callable[[IngestProgress], None]

log = logging.getLogger(__name__)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileReport], list[Path]]:
    """Expand folders into supported files. Returns (files, reports for bad paths, folders)."""
    files: list[Path] = []
    problems: list[FileReport] = []
    folders: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_dir():
            folders.append(path)
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and kind_of(p) is not None)
            )
        elif path.is_file():
            if kind_of(path) is None:
                problems.append(
                    FileReport(str(path), "skipped", f"unsupported file type '{path.suffix}'")
                )
            else:
                files.append(path)
        else:
            problems.append(FileReport(str(path), "skipped", "no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, problems, folders


# Documents are written in groups of about this many chunks, so the embedder gets large
# batches while memory stays bounded on big corpora.
FLUSH_CHUNKS = 512


def ingest(
    index: GuidelineIndex,
    paths: Iterable[Path],
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring the index in line with ``paths`` (files or folders)."""
    files, reports, folders = discover(paths)
    total = len(files)
    pending: list[tuple[PendingDocument, FileReport]] = []

    def flush() -> None:
        if not pending:
            return
        try:
            index.upsert_documents([doc for doc, _ in pending])
            reports.extend(report for _, report in pending)
        except Exception as exc:
            if not isinstance(exc, (OSError, sqlite3.OperationalError)):
                log.exception("writing %d document(s) to the index failed", len(pending))
            reason = f"the index could not be written ({exc}); nothing of this file was changed"
            reports.extend(FileReport(r.path, "skipped", reason, r.doc_id) for _, r in pending)
        pending.clear()

    for done, path in enumerate(files):
        if progress:
            progress(IngestProgress(done, total, str(path), "reading"))
        try:
            outcome = _prepare(index, path)
        except Exception as exc:
            log.exception("unexpected error while reading %s", path)
            reason = (
                f"unexpected error while reading it ({type(exc).__name__}: {exc}); "
                "nothing of this file was changed, the details are in the log"
            )
            outcome = FileReport(str(path), "skipped", reason)
        if isinstance(outcome, FileReport):
            reports.append(outcome)
            continue
        twin = next((r for d, r in pending if d.info.doc_id == outcome[0].info.doc_id), None)
        if twin is not None:  # two files of this run declare one id: the first keeps it
            reason = (
                f"document id '{twin.doc_id}' is already used by {twin.path}; "
                "give this file its own 'id' in its front matter"
            )
            reports.append(FileReport(str(path), "skipped", reason))
            continue
        pending.append(outcome)
        if sum(len(doc.chunks) for doc, _ in pending) >= FLUSH_CHUNKS:
            flush()
    flush()
    # Files that were ingested from one of these folders and are gone now leave the index.
    seen_paths = {str(p) for p in files}
    for doc in index.catalog.documents():
        inside = any(Path(doc.path).is_relative_to(folder) for folder in folders)
        if inside and doc.path not in seen_paths and not Path(doc.path).exists():
            index.remove_document(doc.doc_id)
            reports.append(FileReport(doc.path, "removed", "file no longer exists", doc.doc_id))
    if progress:
        progress(IngestProgress(total, total, "", "done"))
    return IngestReport(tuple(reports), index.snapshot())


def _prepare(index: GuidelineIndex, path: Path) -> FileReport | tuple[PendingDocument, FileReport]:
    """Read, parse and chunk one file; a report when there is nothing to write."""
    settings = index.settings
    try:
        size = path.stat().st_size
        if size > settings.max_file_mb * 1024 * 1024:
            raise IngestError(
                f"file is {size / 1024 / 1024:.1f} MB, over the {settings.max_file_mb:g} MB limit "
                "(raise max_file_mb to index it)"
            )
        data = path.read_bytes()
        sidecar = read_sidecar(path)
        doc_hash, meta_hash = file_hash(data), metadata_hash(sidecar)
        existing = index.catalog.document_at(str(path))
        if existing and (existing.doc_hash, existing.meta_hash) == (doc_hash, meta_hash):
            return FileReport(str(path), "unchanged", "", existing.doc_id)
        parsed = parse_file(path, data, PageReader.from_settings(settings), sidecar=sidecar)
        meta = parsed.meta
        owner = index.catalog.document(meta["id"])
        if owner and owner.path != str(path) and Path(owner.path).exists():
            raise IngestError(
                f"document id '{meta['id']}' is already used by {owner.path}; "
                "give this file its own 'id' in its front matter"
            )
    except IngestError as exc:
        return FileReport(str(path), "skipped", str(exc))
    except OSError as exc:
        return FileReport(str(path), "skipped", f"could not be read: {exc.strerror or exc}")
    info = DocumentInfo(
        doc_id=meta["id"],
        doc_hash=doc_hash,
        path=str(path),
        kind=kind_of(path) or "",
        title=meta["title"],
        publisher=meta["publisher"],
        year=meta["year"],
        version=meta["version"],
        source_url=meta["source_url"],
        licence=meta["licence"],
        status=meta["status"],
        pages=parsed.pages,
        supersedes=slugify(meta["supersedes"]) if meta["supersedes"] else "",
        superseded_by=slugify(meta["superseded_by"]) if meta["superseded_by"] else "",
        series=meta["series"],
        meta_hash=meta_hash,
    )
    chunks = chunk_segments(
        parsed.segments,
        doc_id=info.doc_id,
        doc_hash=doc_hash,
        title=info.title,
        size=settings.chunk_size,
        overlap=settings.chunk_overlap,
    )
    if existing and existing.doc_id != info.doc_id:
        index.remove_document(existing.doc_id)  # the file now declares another id
    status = "updated" if existing or owner else "added"
    flagged = [c for c in chunks if instructs(c.flags)]
    warnings = parsed.warnings
    if flagged:
        where = "; ".join(
            dict.fromkeys(" › ".join(c.section_path) or "(no section)" for c in flagged)
        )
        warnings += (
            f"{len(flagged)} passage(s) read as instructions to software ({where}): shown as "
            "sources with a warning, never quoted in an answer, withheld from the model",
        )
    report = FileReport(str(path), status, "", info.doc_id, len(chunks), warnings)
    return PendingDocument(info, tuple(chunks), parsed.warnings), report
