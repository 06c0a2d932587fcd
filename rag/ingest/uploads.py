"""Uploads: a guideline file sent through the app is kept in the uploads folder under a safe
name, readable by its owner only, and never replaces a different file already there."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from rag.errors import IngestError
from rag.files import PRIVATE_FILE, private_dir
from rag.ingest.parse import SUPPORTED_SUFFIXES

# Control and path characters, and the bidirectional controls that make "evil\u202etxt.md"
# read as another name.
_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
MAX_NAME_BYTES = 200  # of an uploaded file's name in UTF-8 (file systems allow 255)


def safe_name(name: str) -> str:
    """The file name an upload is stored under: its last path part, without control or path
    characters, not hidden, of a supported type. Refused (``IngestError``) otherwise."""
    base = re.split(r"[/\\]", name)[-1]
    cleaned = _UNSAFE.sub("_", base).strip().lstrip(".")
    suffix = Path(cleaned).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(f"{name!r} is not a supported guideline file (use {kinds})")
    stem = cleaned[: -len(suffix)].strip() if suffix else cleaned
    if not stem.strip("._ "):
        raise IngestError(f"{name!r} has no usable file name")
    budget = MAX_NAME_BYTES - len(suffix)
    kept = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip()
    return kept + suffix


def save_upload(folder: Path, name: str, data: bytes, max_mb: float) -> Path:
    """Keep ``data`` as ``folder/safe_name(name)`` (0600, written whole or not at all).

    The same bytes under the same name are kept once; different bytes under a name already
    there are refused rather than replacing a guideline that may be cited by saved answers.
    """
    if not data:
        raise IngestError(f"{name!r} is empty")
    if len(data) > max_mb * 1024 * 1024:
        raise IngestError(
            f"{name!r} is {len(data) / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit "
            "(raise max_file_mb to index it)"
        )
    target = private_dir(folder) / safe_name(name)
    if target.exists():
        if hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(data).digest():
            return target
        raise IngestError(
            f"A different file named {target.name!r} is already in {folder}: rename the new "
            "file, or remove the old one from the corpus first"
        )
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), PRIVATE_FILE)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, target)  # fails if the name was taken meanwhile: nothing replaced
    except FileExistsError:
        raise IngestError(f"{target.name!r} was added by someone else meanwhile") from None
    except OSError as exc:
        raise IngestError(f"Could not keep {target.name!r}: {exc.strerror or exc}") from exc
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target
