"""Ingest: files and folders → parsed, chunked, indexed documents, with a per-file report.

Unchanged files (same content hash) are skipped, changed files replace their earlier chunks,
and files that disappeared from an ingested folder leave the index. A bad file is reported
with its reason and never touches what is already indexed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rag.chunking import chunk_segments
from rag.errors import IngestError
from rag.index import GuidelineIndex
from rag.parse import kind_of, parse_file, sha256_bytes
from rag.types import DocumentInfo, FileReport, IngestProgress, IngestReport

ProgressCallback = Callable[[IngestProgress], None]


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


def ingest(
    index: GuidelineIndex,
    paths: Iterable[Path],
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring the index in line with ``paths`` (files or folders)."""
    settings = index.settings
    files, reports, folders = discover(paths)
    total = len(files)
    seen_paths = {str(p) for p in files}
    for done, path in enumerate(files):
        if progress:
            progress(IngestProgress(done, total, str(path), "reading"))
        reports.append(_ingest_one(index, path, settings.max_file_mb))
    # Files that were ingested from one of these folders and are gone now leave the index.
    for doc in index.catalog.documents():
        inside = any(Path(doc.path).is_relative_to(folder) for folder in folders)
        if inside and doc.path not in seen_paths and not Path(doc.path).exists():
            index.remove_document(doc.doc_id)
            reports.append(FileReport(doc.path, "removed", "file no longer exists", doc.doc_id))
    if progress:
        progress(IngestProgress(total, total, "", "done"))
    return IngestReport(tuple(reports), index.snapshot())


def _ingest_one(index: GuidelineIndex, path: Path, max_file_mb: float) -> FileReport:
    settings = index.settings
    try:
        size = path.stat().st_size
        if size > max_file_mb * 1024 * 1024:
            raise IngestError(
                f"file is {size / 1024 / 1024:.1f} MB, over the {max_file_mb:g} MB limit "
                "(raise max_file_mb to index it)"
            )
        data = path.read_bytes()
        doc_hash = sha256_bytes(data)
        existing = index.catalog.document_at(str(path))
        if existing and existing.doc_hash == doc_hash:
            return FileReport(str(path), "unchanged", "", existing.doc_id)
        parsed = parse_file(path, data)
        meta = parsed.meta
        owner = index.catalog.document(meta["id"])
        if owner and owner.path != str(path) and Path(owner.path).exists():
            raise IngestError(
                f"document id '{meta['id']}' is already used by {owner.path}; "
                "give this file its own 'id' in its front matter"
            )
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
            index.remove_document(existing.doc_id)
        index.upsert_document(info, chunks, parsed.warnings)
    except IngestError as exc:
        return FileReport(str(path), "skipped", str(exc))
    except OSError as exc:
        return FileReport(
            str(path), "skipped", f"could not be read or written: {exc.strerror or exc}"
        )
    status = "updated" if existing or owner else "added"
    return FileReport(str(path), status, "", info.doc_id, len(chunks), parsed.warnings)
