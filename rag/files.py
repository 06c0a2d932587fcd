"""Files OncoGuide writes: the state directory, its databases and exported packets are
readable by their owner only (folders 0700, files 0600), whatever the umask."""

from __future__ import annotations

import logging
import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600

log = logging.getLogger(__name__)


def _restrict(path: Path, mode: int) -> None:
    try:
        path.chmod(mode)
    except PermissionError:
        log.warning("could not make %s private (owned by another user)", path)


def private_dir(path: Path) -> Path:
    """Create ``path`` if needed and make it owner-only; folders created on the way to it are
    owner-only too, folders that already existed above it are left as they are."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        created.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        _restrict(created, PRIVATE_DIR)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    _restrict(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if absent, and make it owner-only (no moment of wider access)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    _restrict(path, PRIVATE_FILE)
    return path


def private_tree(root: Path) -> None:
    """Make every folder and file below ``root`` owner-only (stores written by libraries)."""
    if not root.is_dir():
        return
    _restrict(root, PRIVATE_DIR)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            _restrict(Path(folder, name), PRIVATE_DIR)
        for name in files:
            _restrict(Path(folder, name), PRIVATE_FILE)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (an export), readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), PRIVATE_FILE)
        out.write(data)
