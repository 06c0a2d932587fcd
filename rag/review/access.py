"""Users and roles for shared deployments (optional sign-in; off on a single workstation).

Roles: a *clinician* asks, verifies and saves; a *reviewer* reads, exports and audits; an
*admin* manages the corpus and validation. Accounts live in ``users.yaml`` under the state
directory with bcrypt password hashes, in the layout streamlit-authenticator reads, so the
app's sign-in form and ``oncoguide users`` share one file.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from rag.errors import ConfigError
from rag.files import private_dir

ROLES = ("clinician", "reviewer", "admin")

# What each action needs: any one of the listed roles.
PERMISSIONS: dict[str, frozenset[str]] = {
    "ask": frozenset({"clinician"}),
    "verify": frozenset({"clinician"}),  # tick, edit and save an answer or a summary
    "read": frozenset(ROLES),
    "export": frozenset({"clinician", "reviewer"}),
    "audit": frozenset({"reviewer", "admin"}),
    "validate": frozenset({"reviewer", "admin"}),
    "corpus": frozenset({"admin"}),
}

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class User:
    username: str
    name: str  # shown and recorded as the verifier of what this user saves
    roles: tuple[str, ...]

    def can(self, action: str) -> bool:
        if action not in PERMISSIONS:
            raise ValueError(f"unknown action '{action}'")
        return bool(PERMISSIONS[action] & set(self.roles))


def workstation_user() -> User:
    """Single-user mode: the operating-system account, with every role."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "workstation user"
    return User(account, account, ROLES)


MIN_COOKIE_KEY = 32  # characters of the key that signs the sign-in cookie


def _strong_key(key: object) -> bool:
    """Long enough, and not one character repeated ("a" * 32)."""
    return isinstance(key, str) and len(key.strip()) >= MIN_COOKIE_KEY and len(set(key)) >= 8


class UserDirectory:
    """The accounts file. Writes are atomic and the file is readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The accounts file {self.path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(
            data.get("credentials", {}).get("usernames", {}), dict
        ):
            raise ConfigError(f"The accounts file {self.path} has an unexpected layout.")
        return data

    def credentials(self) -> dict[str, Any]:
        """The ``credentials`` mapping as streamlit-authenticator expects it."""
        return self._read().get("credentials", {"usernames": {}})

    def cookie(self) -> dict[str, Any]:
        """Name, signing key and lifetime of the sign-in cookie (created with the file).
        Refused (``ConfigError``) when the key is missing or too short to sign with."""
        cookie = self._read().get("cookie")
        cookie = cookie if isinstance(cookie, dict) else {}
        if not _strong_key(cookie.get("key")):
            raise ConfigError(
                f"The sign-in cookie key in {self.path} is missing, too simple or shorter than "
                f"{MIN_COOKIE_KEY} characters, so sign-in stays closed. Run `oncoguide users "
                "add` for any account on this machine: it writes a new strong key."
            )
        expiry = cookie.get("expiry_days", 0.5)
        if isinstance(expiry, bool) or not isinstance(expiry, int | float) or not 0 < expiry <= 30:
            raise ConfigError(
                f"The sign-in cookie's expiry_days in {self.path} must be a number of days "
                f"above 0 and at most 30, not {expiry!r}; sign-in stays closed."
            )
        return cookie

    def users(self) -> list[User]:
        accounts = self.credentials().get("usernames", {})
        return [self._user(name, entry) for name, entry in sorted(accounts.items())]

    def get(self, username: str) -> User | None:
        entry = self.credentials().get("usernames", {}).get(username)
        return self._user(username, entry) if entry else None

    @staticmethod
    def _user(username: str, entry: dict[str, Any]) -> User:
        roles = tuple(r for r in entry.get("roles") or () if r in ROLES)
        return User(username, str(entry.get("name") or username), roles)

    def authenticate(self, username: str, password: str) -> User | None:
        entry = self.credentials().get("usernames", {}).get(username)
        if not entry:
            return None
        stored = str(entry.get("password", "")).encode()
        try:
            ok = bcrypt.checkpw(password.encode(), stored)
        except ValueError:  # not a bcrypt hash
            return None
        return self._user(username, entry) if ok else None

    def add(self, username: str, name: str, password: str, roles: tuple[str, ...]) -> User:
        """Create or replace an account; the password is stored as a bcrypt hash only."""
        if not _USERNAME.match(username):
            raise ConfigError(
                "A username is 2-64 lower-case letters, digits, '.', '_' or '-'; "
                f"'{username}' is not."
            )
        unknown = [r for r in roles if r not in ROLES]
        if not roles or unknown:
            raise ConfigError(f"Roles must be among {', '.join(ROLES)}; got {list(roles)}.")
        if len(password) < MIN_PASSWORD:
            raise ConfigError(f"A password needs at least {MIN_PASSWORD} characters.")
        data = self._read()
        data.setdefault("credentials", {}).setdefault("usernames", {})[username] = {
            "name": name.strip() or username,
            "password": bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode(),
            "roles": list(roles),
        }
        found = data.get("cookie")
        cookie: dict[str, Any] = found if isinstance(found, dict) else {}
        if not _strong_key(cookie.get("key")):  # a missing or weak key is replaced
            cookie = {"name": "oncoguide_signin", "expiry_days": 0.5} | cookie
            cookie["key"] = secrets.token_hex(32)
        data["cookie"] = cookie
        self._write(data)
        return self._user(username, data["credentials"]["usernames"][username])

    def remove(self, username: str) -> bool:
        data = self._read()
        accounts = data.get("credentials", {}).get("usernames", {})
        if username not in accounts:
            return False
        del accounts[username]
        self._write(data)
        return True

    def _write(self, data: dict[str, Any]) -> None:
        private_dir(self.path.parent)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".users-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                yaml.safe_dump(data, out, sort_keys=True)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
