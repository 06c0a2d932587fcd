"""Audit trail anchors: saved records bound to their entries, ``audit head`` and
``audit verify --head``, tried the way someone covering their tracks would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fakes import ScriptedModel  # noqa: F401  (registers the scripted backend)

from rag.assistant import Assistant
from rag.cli import main
from rag.config import load_settings
from rag.review import audit
from rag.review.audit import GENESIS, AuditEvent
from rag.review.flags import summary_flags
from rag.review.store import RecordStore
from rag.types import Review

pytestmark = pytest.mark.slow  # the answers come from the indexed bundled corpus


@pytest.fixture
def store(corpus_home: Path):  # type: ignore[no-untyped-def]
    records = RecordStore(corpus_home / "records.sqlite3")
    yield records
    records.close()


@pytest.fixture
def answer(corpus_home: Path):  # type: ignore[no-untyped-def]
    assistant = Assistant(load_settings(llm_backend="scripted"))
    yield assistant.ask("What is the pegfilgrastim dose?")
    assistant.close()


def save_some(store: RecordStore, answer, n: int = 2) -> list[str]:  # type: ignore[no-untyped-def]
    ids = [
        store.save_verified(answer, Review(True, f"Dr {i}", f"Pegfilgrastim 6 mg per cycle {i}."))
        for i in range(n)
    ]
    store.log(AuditEvent("Dr 0", "export", ("all",), details={"format": "md"}))
    return ids


def tamper(path: Path, *statements: str, params: list[tuple] | None = None) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for n, statement in enumerate(statements):
        conn.execute(statement, params[n] if params else ())
    conn.commit()
    conn.close()


def rewrite_chain(path: Path, seq: int, actor: str) -> None:
    """Change one entry and recompute every hash after it, as a careful forger would."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    prev = GENESIS
    for raw in conn.execute("SELECT * FROM audit_log ORDER BY seq").fetchall():
        row = dict(raw)
        if row["seq"] == seq:
            row["actor"] = actor
        row["prev_hash"] = prev
        row["entry_hash"] = audit.entry_hash(row)
        conn.execute(
            "UPDATE audit_log SET actor = ?, prev_hash = ?, entry_hash = ? WHERE seq = ?",
            (row["actor"], row["prev_hash"], row["entry_hash"], row["seq"]),
        )
        prev = row["entry_hash"]
    conn.commit()
    conn.close()


def head_from_cli(capsys) -> str:  # type: ignore[no-untyped-def]
    assert main(["audit", "head"]) == 0
    captured = capsys.readouterr()
    head = captured.out.strip()
    assert len(head) == 64 and "entries" in captured.err
    return head


def test_head_is_printed_and_still_verifies_after_more_entries(
    store: RecordStore, answer, capsys
) -> None:  # type: ignore[no-untyped-def]
    save_some(store, answer)
    head = head_from_cli(capsys)
    assert head == store.verify_audit().head
    save_some(store, answer, 1)  # the trail goes on growing after the head was written down
    assert main(["audit", "verify", "--head", head]) == 0
    out = capsys.readouterr().out
    assert "Audit trail intact" in out and "3 saved records match" in out
    assert main(["audit", "verify", "--head", head, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["anchor"] == head and data["records_checked"] == 3


def test_deleted_newest_entry_is_caught_with_head(
    store: RecordStore, answer, corpus_home: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    save_some(store, answer)
    head = head_from_cli(capsys)
    store.close()
    tamper(corpus_home / "records.sqlite3", "DELETE FROM audit_log WHERE seq = 9")
    # The chain alone cannot tell a shorter trail from a complete one...
    assert main(["audit", "verify"]) == 0
    capsys.readouterr()
    # ...the head written down earlier can.
    assert main(["audit", "verify", "--head", head]) == 1
    out = capsys.readouterr().out
    assert "AUDIT TRAIL BROKEN" in out and f"the head {head} is not in the trail" in out


def test_rewritten_chain_is_caught_with_head(
    store: RecordStore, answer, corpus_home: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    save_some(store, answer)
    head = head_from_cli(capsys)
    store.close()
    rewrite_chain(corpus_home / "records.sqlite3", seq=4, actor="Dr Mallory")
    assert main(["audit", "verify"]) == 0  # every hash was recomputed: the chain is consistent
    capsys.readouterr()
    assert main(["audit", "verify", "--head", head]) == 1
    assert "is not in the trail" in capsys.readouterr().out


def test_edited_saved_answer_is_detected(
    store: RecordStore, answer, corpus_home: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    first, _ = save_some(store, answer)
    assert store.verify_audit().ok
    tamper(
        corpus_home / "records.sqlite3",
        "UPDATE saved_answers SET final_answer = 'Pegfilgrastim 60 mg per cycle.'"
        " WHERE record_id = ?",
        params=[(first,)],
    )
    check = store.verify_audit()
    assert not check.ok
    assert any(f"saved answer {first} was changed after it was saved" in p for p in check.problems)
    assert main(["audit", "verify"]) == 1
    assert "was changed after it was saved" in capsys.readouterr().out


def test_deleted_and_smuggled_records_are_detected(
    store: RecordStore, answer, corpus_home: Path
) -> None:  # type: ignore[no-untyped-def]
    first, second = save_some(store, answer)
    tamper(
        corpus_home / "records.sqlite3",
        "DELETE FROM saved_answers WHERE record_id = ?",
        "INSERT INTO saved_answers SELECT 'smuggled', question, generated_answer, final_answer,"
        " not_found, sources, model_name, model_sha256, prompt_name, prompt_sha256,"
        " corpus_snapshot, settings, verifier, verified_at, note, mode, verification,"
        " acknowledged, disclosure, phi_override, case_id, board_item"
        " FROM saved_answers WHERE record_id = ?",
        params=[(first,), (second,)],
    )
    problems = " | ".join(store.verify_audit().problems)
    assert f"saved answer {first} saved in audit entry 4 is missing" in problems
    assert "saved answer smuggled has no audit entry" in problems


def test_a_second_binding_cannot_bless_an_edit(
    store: RecordStore, answer, corpus_home: Path
) -> None:  # type: ignore[no-untyped-def]
    first, _ = save_some(store, answer)
    path = corpus_home / "records.sqlite3"
    tamper(
        path,
        "UPDATE saved_answers SET verifier = 'Dr Mallory' WHERE record_id = ?",
        params=[(first,)],
    )
    # Append a properly chained entry that binds the edited record again.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("BEGIN IMMEDIATE")
    forged = audit.binding(conn, "saved_answers", first)
    audit.append(conn, AuditEvent("Dr Mallory", "save", (first,), details={"record": forged}))
    conn.execute("COMMIT")
    conn.close()
    check = store.verify_audit()
    assert not check.ok
    assert any("binds" in p and "again" in p for p in check.problems)
    assert any(f"{first} was changed after it was saved" in p for p in check.problems)


def test_patient_summary_is_bound(store: RecordStore, answer, corpus_home: Path) -> None:  # type: ignore[no-untyped-def]
    (record_id, _) = save_some(store, answer)
    draft = Assistant(load_settings(llm_backend="scripted")).patient_summary(
        store.records()[0].final_answer
    )
    flags = summary_flags(store.records()[0].final_answer, draft.text)
    review = Review(True, "Dr 0", draft.text, acknowledged=tuple(f.flag_id for f in flags))
    summary_id = store.save_patient_summary(record_id, draft, review)
    assert store.verify_audit().ok
    tamper(
        corpus_home / "records.sqlite3",
        "UPDATE patient_summaries SET final_text = 'Nothing to worry about.' WHERE summary_id = ?",
        params=[(summary_id,)],
    )
    problems = store.verify_audit().problems
    assert any(f"patient summary {summary_id} was changed" in p for p in problems)


def test_records_saved_before_binding_are_noted_not_failed(
    store: RecordStore, answer, corpus_home: Path
) -> None:  # type: ignore[no-untyped-def]
    (first, _) = save_some(store, answer)
    # An older install wrote the row and a save entry without a binding.
    conn = sqlite3.connect(corpus_home / "records.sqlite3", isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO saved_answers SELECT 'legacy', question, generated_answer, final_answer,"
        " not_found, sources, model_name, model_sha256, prompt_name, prompt_sha256,"
        " corpus_snapshot, settings, verifier, verified_at, note, mode, verification,"
        " acknowledged, disclosure, phi_override, case_id, board_item"
        " FROM saved_answers WHERE record_id = ?",
        (first,),
    )
    audit.append(conn, AuditEvent("Dr Old", "save", ("legacy",)))
    conn.execute("COMMIT")
    conn.close()
    check = store.verify_audit()
    assert check.ok
    assert check.notes == ("saved answer legacy was saved before records were bound to the trail",)


def test_head_argument_must_be_a_full_hash(oncoguide_home: Path, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["audit", "verify", "--head", "abc123"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "64-character" in err and len(err.strip().splitlines()) == 1
    assert main(["audit", "verify", "--head", "f" * 64]) == 1  # not in an empty trail
    capsys.readouterr()
    assert main(["audit", "verify", "--head", "0" * 64]) == 0  # the start of every trail


def test_audit_page_shows_a_hostile_record_id_as_text(
    store: RecordStore, answer, corpus_home: Path
) -> None:  # type: ignore[no-untyped-def]
    from conftest import PROJECT
    from streamlit.testing.v1 import AppTest

    (first, _) = save_some(store, answer)
    hostile = "![x](http://127.0.0.1:9/leak.png)"
    tamper(
        corpus_home / "records.sqlite3",
        "UPDATE saved_answers SET record_id = ? WHERE record_id = ?",
        params=[(hostile, first)],
    )
    at = AppTest.from_file(str(PROJECT / "app" / "main.py"), default_timeout=180)
    at.run()
    at.switch_page("views/audit.py").run()
    assert not at.exception, at.exception
    assert any("tampered" in e.value for e in at.error)
    shown = "\n".join(c.value for c in at.code)
    assert f"saved answer {hostile} has no audit entry" in shown
    assert f"saved answer {first} saved in audit entry 4 is missing" in shown
    assert not any(hostile in m.value for m in at.markdown)
