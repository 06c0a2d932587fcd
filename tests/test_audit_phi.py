"""Audit trail tamper evidence, PHI guard, and disclosure on saved records."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fakes import ScriptedModel

from rag.assistant import Assistant
from rag.checks.phi import find_phi, redact
from rag.cli import main
from rag.config import load_settings
from rag.errors import StoreError, VerificationRequired
from rag.review.audit import AuditEvent
from rag.review.store import RecordStore
from rag.review.workflow import open_flags
from rag.types import Review

PHI_SAMPLES = {
    "Patient John Smith asks about screening": ("PERSON", "John Smith"),
    "Mrs. Garcia has stage III colon cancer": ("PERSON", "Garcia"),
    "Maria Lopez, a 62-year-old with NSCLC": ("PERSON", "Maria Lopez"),
    "MRN: 00123456 needs a plan": ("RECORD_NUMBER", "00123456"),
    "NHS number 943 476 5919": ("RECORD_NUMBER", "943 476 5919"),
    "DOB 03/04/1961, stage II": ("DATE_OF_BIRTH", "03/04/1961"),
    "born on 12 March 1958": ("DATE_OF_BIRTH", "12 March 1958"),
    "call (617) 555-0134 tomorrow": ("PHONE", "(617) 555-0134"),
    "write to jane.doe@example.org": ("EMAIL", "jane.doe@example.org"),
    "lives at 12 Elm Street": ("ADDRESS", "12 Elm Street"),
    "SSN 123-45-6789": ("NATIONAL_ID", "123-45-6789"),
    "postcode SW1A 1AA": ("POSTCODE", "SW1A 1AA"),
}
CLEAN = [
    "What is the pembrolizumab dose for PD-L1 of 50% or more?",
    "Oxaliplatin 130 mg/m2 in CAPOX for stage III T4 N2 disease",
    "Women aged 40 to 74 years every 2 years (grade B)",
    "Lynch syndrome patients aged 45",
]


@pytest.mark.parametrize(("text", "expected"), PHI_SAMPLES.items())
def test_phi_recognisers(text: str, expected: tuple[str, str]) -> None:
    assert (expected[0], expected[1]) in {(f.kind, f.text) for f in find_phi(text)}
    assert expected[1] not in redact(text)


@pytest.mark.parametrize("text", CLEAN)
def test_guideline_questions_are_not_flagged(text: str) -> None:
    assert find_phi(text) == []


@pytest.fixture
def store(corpus_home: Path) -> RecordStore:
    return RecordStore(corpus_home / "records.sqlite3")


@pytest.fixture
def answer(corpus_home: Path):
    ScriptedModel.reply = "Pegfilgrastim: 6 mg subcutaneously once per chemotherapy cycle [1]."
    return Assistant(load_settings(llm_backend="scripted")).ask("What is the pegfilgrastim dose?")


def test_phi_is_redacted_in_records_and_audit_unless_overridden(store, answer, corpus_home) -> None:
    from dataclasses import replace

    answer = replace(
        answer, question="Patient John Smith, MRN 00123456: what is the pegfilgrastim dose?"
    )
    store.save_verified(answer, Review(True, "Dr Ada", "6 mg per cycle for John Smith [1]."))
    record = store.records()[0]
    assert "John Smith" not in record.question and "[PERSON]" in record.question
    assert "00123456" not in record.question
    assert "John Smith" not in record.final_answer
    raw = (corpus_home / "records.sqlite3").read_bytes()
    assert b"John Smith" not in raw and b"00123456" not in raw
    assert not any(e["action"] == "override" for e in store.audit_entries())

    store.save_verified(answer, Review(True, "Dr Ada", "6 mg per cycle [1].", phi_override=True))
    newest = store.records()[0]
    assert "John Smith" in newest.question and newest.phi_override == 1
    override = [e for e in store.audit_entries() if e["action"] == "override"]
    assert len(override) == 1 and override[0]["details"]["phi_kinds"] == ["PERSON", "RECORD_NUMBER"]
    assert "John Smith" not in str(store.audit_entries())  # the audit trail never holds PHI


def test_save_needs_every_open_flag_acknowledged(store, answer, corpus_home) -> None:
    assistant = Assistant(load_settings())
    final = "Pegfilgrastim 12 mg is given once per cycle [1]."
    verification = assistant.verify(final, answer.retrieval)
    keys = [f.flag_id for f in open_flags(verification)]
    assert keys
    with pytest.raises(VerificationRequired, match="not acknowledged"):
        store.save_verified(answer, Review(True, "Dr Ada", final), verification)
    assert store.count() == 0
    store.save_verified(
        answer, Review(True, "Dr Ada", final, acknowledged=tuple(keys)), verification
    )
    record = store.records()[0]
    assert [a["id"] for a in record.acknowledged] == keys
    assert record.verification["summary"] == "0 of 1 claims supported"


def test_disclosure_and_audit_entries_on_save(store, answer) -> None:
    record_id = store.save_verified(answer, Review(True, "Dr Ada", "Edited text [1]."))
    record = store.records()[0]
    assert record.disclosure.startswith("Drafted with OncoGuide")
    assert "scripted" in record.disclosure and "verified by Dr Ada on" in record.disclosure
    actions = [e["action"] for e in store.audit_entries()]
    assert actions == ["ask", "verify", "edit", "save"]
    entry = store.audit_entries()[-1]
    assert entry["object_ids"] == [record_id] and entry["actor"] == "Dr Ada"
    assert len(entry["model_sha256"]) == 64 and len(entry["prompt_sha256"]) == 64
    assert entry["corpus_snapshot"] == answer.retrieval.corpus_snapshot


def _filled_store(store, answer) -> None:
    for n in range(3):
        store.save_verified(answer, Review(True, f"Dr {n}", f"Text {n} [1]."))
    store.log(AuditEvent("Dr 0", "export", ("all",)))


def _tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_audit_trail_is_append_only(store, answer, corpus_home) -> None:
    _filled_store(store, answer)
    conn = sqlite3.connect(corpus_home / "records.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
    check = store.verify_audit()
    assert check.ok and check.entries == 13


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        (["UPDATE audit_log SET actor = 'Dr Mallory' WHERE seq = 5"], "altered"),
        (["DELETE FROM audit_log WHERE seq = 6"], "deleted"),
        (
            # Swap the positions of two entries.
            [
                "UPDATE audit_log SET seq = -3 WHERE seq = 3",
                "UPDATE audit_log SET seq = 3 WHERE seq = 4",
                "UPDATE audit_log SET seq = 4 WHERE seq = -3",
            ],
            "does not follow",
        ),
    ],
)
def test_audit_verify_detects_tampering(
    store, answer, corpus_home, capsys, statements, problem
) -> None:
    _filled_store(store, answer)
    store.close()
    _tamper(corpus_home / "records.sqlite3", *statements)
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "AUDIT TRAIL BROKEN" in out and problem in out


def test_audit_verify_on_an_intact_trail(store, answer, capsys) -> None:
    _filled_store(store, answer)
    assert main(["audit", "verify"]) == 0
    assert "Audit trail intact: 13 entries" in capsys.readouterr().out


def test_parallel_saves_keep_the_chain(store, answer, corpus_home) -> None:
    import threading

    stores = [RecordStore(corpus_home / "records.sqlite3") for _ in range(4)]
    errors: list[Exception] = []

    def save(s: RecordStore, n: int) -> None:
        try:
            for i in range(5):
                s.save_verified(answer, Review(True, f"Dr {n}", f"Text {n}.{i} [1]."))
        except (StoreError, sqlite3.Error) as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.count() == 20
    check = store.verify_audit()
    assert check.ok and check.entries == 20 * 4


def test_parallel_processes_append_to_one_chain(oncoguide_home: Path) -> None:
    """Several CLI processes writing at once (WAL, busy timeout): no entry lost or reordered."""
    import subprocess
    import sys

    db = oncoguide_home / "records.sqlite3"
    RecordStore(db).close()  # migrations applied once, before the writers start
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from rag.review.audit import AuditEvent\n"
        "from rag.review.store import RecordStore\n"
        "store = RecordStore(Path(sys.argv[1]))\n"
        "for i in range(25):\n"
        "    store.log(AuditEvent(f'writer {sys.argv[2]}', 'export', (str(i),)))\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", script, str(db), str(n)]) for n in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    store = RecordStore(db)
    check = store.verify_audit()
    assert check.ok and check.entries == 100
    for n in range(4):  # each writer's own entries stay in the order it wrote them
        mine = [e["object_ids"][0] for e in store.audit_entries() if e["actor"] == f"writer {n}"]
        assert mine == [str(i) for i in range(25)]


def test_phi_is_redacted_in_the_stored_check_and_the_packet(store, answer, corpus_home) -> None:
    from rag.review.board import CaseInput
    from rag.review.export import build_packet, render

    case_id = store.create_case(CaseInput("Board 4 case 1", "Breast cancer"), "dr.a")
    assistant = Assistant(load_settings())
    final = "Pegfilgrastim 12 mg is given once per cycle to Zelda Fitzwilliam [1]."
    verification = assistant.verify(final, answer.retrieval)
    keys = tuple(f.flag_id for f in open_flags(verification))
    assert keys and any("Fitzwilliam" in c.text for c in verification.claims)
    store.save_verified(
        answer, Review(True, "Dr Ada", final, acknowledged=keys), verification, case_id=case_id
    )
    conn = sqlite3.connect(corpus_home / "records.sqlite3")
    stored = conn.execute("SELECT verification, acknowledged FROM saved_answers").fetchone()
    assert "Fitzwilliam" not in stored[0] + stored[1] and "[PERSON]" in stored[0]
    assert "12 mg" in stored[0]  # the check itself is kept
    record = store.records()[0]
    assert [a["id"] for a in record.acknowledged] == list(keys)
    packet = render(build_packet(store, case_id), "md").decode()
    assert "Acknowledged by Dr Ada" in packet
    assert "Fitzwilliam" not in packet and "Zelda" not in packet
    assert b"Fitzwilliam" not in (corpus_home / "records.sqlite3").read_bytes()
