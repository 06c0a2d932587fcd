"""Files OncoGuide writes: the state directory, its databases and exported packets are
readable by their owner only (folders 0700, files 0600), whatever the umask."""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path
from typing import Any

import yaml

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


def write_private(path: Path, data: bytes | str, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` (an export), readable by its owner only. Never through a
    symbolic link (``OSError``); with ``overwrite=False`` an existing file is left as it is
    (``FileExistsError``)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_TRUNC if overwrite else os.O_EXCL)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        fd = os.open(path, flags, PRIVATE_FILE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            message = f"{path} is a symbolic link; nothing written through it"
            raise OSError(errno.ELOOP, message) from None
        raise
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), PRIVATE_FILE)
        out.write(data)


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, refused (``ValueError``) over ``max_bytes`` or
    when it is not a regular file (a device or a pipe would never end or never start)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"{path} is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"{path} is larger than {max_bytes // 1_000_000 or 1} MB")
    return data


class PlainYamlLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases (and so merge keys, which need them): a few hundred
    bytes of nested aliases would otherwise expand to gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed here", event.start_mark
            )
        return super().compose_node(parent, index)
