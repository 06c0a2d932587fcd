"""Users and roles: the accounts file, permissions, the `users` command, and sign-in."""

from __future__ import annotations

import io
import sqlite3
import stat
from pathlib import Path

import pytest
import yaml
from fakes import ScriptedModel  # noqa: F401  (registers the scripted backend)
from streamlit.testing.v1 import AppTest
from test_app import MAIN

from rag.cli import main
from rag.errors import ConfigError
from rag.review.access import ROLES, User, UserDirectory, workstation_user
from rag.review.store import RecordStore

PASSWORD = "correct horse battery"


def test_roles_grant_what_the_deployment_needs() -> None:
    clinician = User("a", "Dr A", ("clinician",))
    reviewer = User("r", "R", ("reviewer",))
    admin = User("x", "X", ("admin",))
    assert clinician.can("ask") and clinician.can("verify") and clinician.can("export")
    assert not clinician.can("audit") and not clinician.can("corpus")
    assert reviewer.can("read") and reviewer.can("export") and reviewer.can("audit")
    assert not reviewer.can("verify") and not reviewer.can("ask")
    assert admin.can("corpus") and admin.can("validate") and not admin.can("verify")
    assert workstation_user().roles == ROLES  # single-user mode: every role
    with pytest.raises(ValueError):
        clinician.can("delete everything")


def test_accounts_file_keeps_only_bcrypt_hashes(tmp_path: Path) -> None:
    directory = UserDirectory(tmp_path / "users.yaml")
    directory.add("jdoe", "Dr Jane Doe", PASSWORD, ("clinician", "reviewer"))
    text = (tmp_path / "users.yaml").read_text()
    assert PASSWORD not in text
    stored = yaml.safe_load(text)["credentials"]["usernames"]["jdoe"]
    assert stored["password"].startswith("$2b$")
    assert stat.S_IMODE((tmp_path / "users.yaml").stat().st_mode) == 0o600
    assert directory.authenticate("jdoe", PASSWORD) == User(
        "jdoe", "Dr Jane Doe", ("clinician", "reviewer")
    )
    assert directory.authenticate("jdoe", "wrong password!") is None
    assert directory.authenticate("nobody", PASSWORD) is None
    assert len(directory.cookie()["key"]) == 64


@pytest.mark.parametrize("key", [None, "", "short-key", " " * 40, 12345, "a" * 64])
def test_a_missing_or_weak_cookie_key_keeps_sign_in_closed(tmp_path: Path, key) -> None:
    directory = UserDirectory(tmp_path / "users.yaml")
    directory.add("jdoe", "Dr Jane Doe", PASSWORD, ("clinician",))
    data = yaml.safe_load((tmp_path / "users.yaml").read_text())
    data["cookie"]["key"] = key
    (tmp_path / "users.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match="shorter than 32 characters|missing"):
        directory.cookie()
    directory.add("jdoe", "Dr Jane Doe", PASSWORD, ("clinician",))  # writes a strong key
    assert len(directory.cookie()["key"]) == 64


def test_the_app_refuses_sign_in_with_a_weak_cookie_key(corpus_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGUIDE_SIGN_IN", "true")
    UserDirectory(corpus_home / "users.yaml").add("grace", "Dr Grace", PASSWORD, ("clinician",))
    data = yaml.safe_load((corpus_home / "users.yaml").read_text())
    data["cookie"]["key"] = ""
    (corpus_home / "users.yaml").write_text(yaml.safe_dump(data))
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("cookie key" in e.value for e in at.error)
    assert not at.text_input and not at.title  # no sign-in form, no page


@pytest.mark.parametrize(
    ("username", "password", "roles", "message"),
    [
        ("Bad Name", PASSWORD, ("clinician",), "username"),
        ("jdoe", "short", ("clinician",), "at least"),
        ("jdoe", PASSWORD, ("surgeon",), "Roles must be"),
        ("jdoe", PASSWORD, (), "Roles must be"),
    ],
)
def test_bad_accounts_are_refused(tmp_path: Path, username, password, roles, message) -> None:
    directory = UserDirectory(tmp_path / "users.yaml")
    with pytest.raises(ConfigError, match=message):
        directory.add(username, "x", password, roles)
    assert not (tmp_path / "users.yaml").exists()


def test_malformed_accounts_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    path.write_text("credentials: [not, a, mapping\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        UserDirectory(path).users()


def test_users_command_adds_lists_removes_and_audits(
    oncoguide_home: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "jdoe", "--name", "Dr Jane Doe", "--role", "clinician",
                 "--password-stdin"]) == 0  # fmt: skip
    assert main(["users", "list"]) == 0
    assert "jdoe" in capsys.readouterr().out
    assert UserDirectory(oncoguide_home / "users.yaml").authenticate("jdoe", PASSWORD)
    assert main(["users", "remove", "jdoe"]) == 0
    assert main(["users", "remove", "jdoe"]) == 2
    store = RecordStore(oncoguide_home / "records.sqlite3")
    entries = [e for e in store.audit_entries() if e["action"] == "account"]
    assert [e["details"]["change"] for e in entries] == ["add", "remove"]
    assert store.verify_audit().ok


def signed_in_app(home: Path, monkeypatch, username: str, roles: tuple[str, ...]) -> AppTest:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_MAX_SOURCE_AGE_YEARS", "50")
    monkeypatch.setenv("ONCOGUIDE_SIGN_IN", "true")
    UserDirectory(home / "users.yaml").add(username, f"Dr {username.title()}", PASSWORD, roles)
    at = AppTest.from_file(MAIN, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    assert not [p for p in at.title if p.value == "Ask the guidelines"]  # nothing before sign-in
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_sign_in_gates_the_app_and_the_verifier_is_the_user(corpus_home: Path, monkeypatch) -> None:
    ScriptedModel.reply = "Pegfilgrastim: 6 mg subcutaneously once per chemotherapy cycle [1]."
    at = signed_in_app(corpus_home, monkeypatch, "grace", ("clinician",))
    assert at.title[0].value == "Ask the guidelines"
    at.text_area[0].input("What is the pegfilgrastim dose?")
    at.button(key="FormSubmitter:ask-Ask").click().run()
    assert not at.exception, at.exception
    verifier = next(t for t in at.text_input if t.label == "Verifier name")
    assert verifier.value == "Dr Grace" and verifier.disabled
    at.checkbox(key="verified").check().run()
    next(b for b in at.button if b.label == "Save verified answer").click().run()
    assert not at.exception, at.exception
    db = sqlite3.connect(corpus_home / "records.sqlite3")
    assert db.execute("SELECT verifier FROM saved_answers").fetchall() == [("Dr Grace",)]
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[0] == "sign-in" and "save" in actions


def test_wrong_password_keeps_the_app_closed(corpus_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGUIDE_SIGN_IN", "true")
    UserDirectory(corpus_home / "users.yaml").add("grace", "Dr Grace", PASSWORD, ("clinician",))
    at = AppTest.from_file(MAIN, default_timeout=180)
    at.run()
    at.text_input[0].input("grace")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("Wrong username or password" in e.value for e in at.error)
    assert not [t for t in at.title if t.value == "Ask the guidelines"]


def test_sign_in_on_without_accounts_says_how_to_create_one(
    oncoguide_home: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ONCOGUIDE_SIGN_IN", "true")
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("oncoguide users add" in e.value for e in at.error)


def test_a_reviewer_sees_review_pages_and_cannot_verify(corpus_home: Path, monkeypatch) -> None:
    at = signed_in_app(corpus_home, monkeypatch, "rita", ("reviewer",))
    assert at.title[0].value == "Saved answers"  # the first page this role may open
    at.switch_page("views/audit.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Audit trail"


@pytest.mark.parametrize("expiry", ["soon", -1, 0, 365, True, None])
def test_a_bad_cookie_lifetime_is_a_clear_refusal(tmp_path: Path, expiry) -> None:
    directory = UserDirectory(tmp_path / "users.yaml")
    directory.add("jdoe", "Dr Jane Doe", PASSWORD, ("clinician",))
    data = yaml.safe_load((tmp_path / "users.yaml").read_text())
    data["cookie"]["expiry_days"] = expiry
    (tmp_path / "users.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match="expiry_days"):
        directory.cookie()
