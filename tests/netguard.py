"""Fail any attempt to open a network connection beyond this machine's loopback.

Used in-process by the test suite (``install()``), and in subprocesses through
``tests/netguard_site/sitecustomize.py``, which records violations in the file named by
``ONCOGUIDE_NETGUARD_LOG``.
"""

from __future__ import annotations

import ipaddress
import os
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex
_original_getaddrinfo = socket.getaddrinfo
violations: list[str] = []


class NetworkBlocked(OSError):
    pass


def _is_local(address: object, family: int) -> bool:
    if family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return False
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name that is not localhost would need a lookup: refuse


def _record(what: str) -> None:
    violations.append(what)
    log = os.environ.get("ONCOGUIDE_NETGUARD_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(what + "\n")


def _connect(self: socket.socket, address: object) -> None:
    if not _is_local(address, self.family):
        _record(f"connect to {address!r}")
        raise NetworkBlocked(f"network access to {address!r} is blocked in OncoGuide tests")
    return _original_connect(self, address)


def _connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address, self.family):
        _record(f"connect_ex to {address!r}")
        raise NetworkBlocked(f"network access to {address!r} is blocked in OncoGuide tests")
    return _original_connect_ex(self, address)


def _getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _is_local((name,), socket.AF_INET):
        _record(f"name lookup of {name!r}")
        raise NetworkBlocked(f"name lookup of {name!r} is blocked in OncoGuide tests")
    return _original_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo


def uninstall() -> None:
    socket.socket.connect = _original_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _original_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _original_getaddrinfo
