"""Guideline metadata written by people: YAML front matter and ``NAME.pdf.meta.yaml`` sidecars.

Both are untrusted input. They are read with a size cap, without YAML aliases or anchors (a few
hundred bytes of nested aliases can expand to gigabytes), and must be a UTF-8 mapping; anything
else is an ``IngestError`` naming the file and the reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from rag.errors import IngestError
from rag.files import PlainYamlLoader

MAX_METADATA_BYTES = 16 * 1024
SIDECAR_SUFFIX = ".meta.yaml"


def load_yaml_mapping(text: str, where: str) -> dict[str, Any]:
    """Parse ``text`` as a small YAML mapping; ``where`` names it in the error message."""
    size = len(text.encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise IngestError(
            f"{where} is {size / 1024:.0f} KiB, over the {MAX_METADATA_BYTES // 1024} KiB limit "
            "for metadata"
        )
    try:
        loaded = yaml.load(text, Loader=PlainYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        if "aliases" in str(exc):
            raise IngestError(
                f"{where} uses a YAML alias or merge key, which OncoGuide refuses "
                "(write each value out in full)"
            ) from exc
        raise IngestError(f"{where} is not valid YAML: {exc}") from exc
    except RecursionError:
        raise IngestError(f"{where} is nested too deeply to be metadata") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise IngestError(f"{where} must be a YAML mapping of key: value lines")
    return loaded


def sidecar_path(path: Path) -> Path:
    """Where the metadata of ``path`` lives for files that cannot carry front matter."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> bytes | None:
    """The raw bytes of ``path``'s sidecar, or None when it has none."""
    sidecar = sidecar_path(path)
    try:
        size = sidecar.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IngestError(
            f"metadata file {sidecar.name} could not be read: {exc.strerror or exc}"
        ) from exc
    if size > MAX_METADATA_BYTES:
        raise IngestError(
            f"metadata file {sidecar.name} is {size / 1024:.0f} KiB, over the "
            f"{MAX_METADATA_BYTES // 1024} KiB limit for metadata"
        )
    try:
        return sidecar.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"metadata file {sidecar.name} could not be read: {exc.strerror or exc}"
        ) from exc


def sidecar_meta(path: Path, data: bytes | None) -> dict[str, Any]:
    """The mapping in ``path``'s sidecar bytes ``data`` (empty when there is none)."""
    if data is None:
        return {}
    name = sidecar_path(path).name
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"metadata file {name} is not UTF-8 text (byte {exc.start} cannot be read); "
            "save it as UTF-8"
        ) from None
    return load_yaml_mapping(text, f"metadata file {name}")


def file_hash(data: bytes) -> str:
    """A document's ``doc_hash``: the SHA-256 of its file's bytes, as ``sha256sum`` prints it,
    so a clinician or auditor can recompute it from the file alone."""
    return hashlib.sha256(data).hexdigest()


def metadata_hash(sidecar: bytes | None) -> str:
    """The SHA-256 of a document's sidecar bytes ("" when it has none). Kept beside
    ``doc_hash`` so that editing only the sidecar re-indexes the document."""
    return "" if sidecar is None else hashlib.sha256(sidecar).hexdigest()
