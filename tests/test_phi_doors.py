"""The PHI guard at every door where text enters: ask (CLI), the not-found reason, eval runs
and reports, case fields, and audit entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.cli import main
from rag.review.audit import AuditEvent
from rag.review.board import CaseInput, IdentifierFound
from rag.review.store import RecordStore

NAME = "Zelda Fitzwilliam"
LEAKS = ("zelda", "fitzwilliam", "07700", "900123", "baker street")


def leaked(text: str) -> list[str]:
    return [leak for leak in LEAKS if leak in text.casefold()]


def test_ask_warns_about_identifiers_and_asks_as_typed(corpus_home: Path, capsys) -> None:
    question = f"{NAME}, mobile 07700 900123: pegfilgrastim dose?"
    assert main(["ask", question, "--retrieval-only", "--json"]) == 0
    captured = capsys.readouterr()
    assert "patient identifiers (person, phone)" in captured.err and "--redact" in captured.err
    assert json.loads(captured.out)["question"] == question


def test_ask_redact_runs_the_redacted_question(corpus_home: Path, capsys) -> None:
    question = f"{NAME}, mobile 07700 900123: pegfilgrastim dose?"
    assert main(["ask", question, "--retrieval-only", "--json", "--redact"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["question"] == "[PERSON], mobile [PHONE]: pegfilgrastim dose?"
    assert not leaked(captured.out)
    assert data["sources"][0]["doc_id"] == "asco-myeloid-growth-factors-2015"


def test_a_redacted_question_is_answered_as_without_its_identifiers(
    corpus_home: Path, capsys
) -> None:
    """The labels typed before identifiers ("MRN", "DOB", "tel") are no missing topic."""
    question = (
        "What dose of pegfilgrastim should Mr John Smith (MRN 12345678, DOB 03/04/1961, "
        "tel 07700 900123) receive?"
    )
    assert main(["ask", question, "--retrieval-only", "--json", "--redact"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "John" not in data["question"] and "[RECORD_NUMBER]" in data["question"]
    assert data["not_found"] is False, data["not_found_reason"]
    assert data["sources"][0]["doc_id"] == "asco-myeloid-growth-factors-2015"


@pytest.mark.parametrize("output", [["--json"], []])
def test_not_found_reason_never_echoes_identifiers(
    corpus_home: Path, capsys, output: list[str]
) -> None:
    question = f"Should {NAME} of 221B Baker Street get rituximab maintenance for lymphoma?"
    assert main(["ask", question, "--retrieval-only", *output]) == 0
    out = capsys.readouterr().out
    if output:
        data = json.loads(out)
        assert data["not_found"] is True and data["not_found_reason"]
        out = data["not_found_reason"]
    else:
        assert "Not found in the indexed guidelines" in out
    assert not leaked(out), out


def test_eval_stores_and_reports_gold_questions_without_identifiers(
    corpus_home: Path, tmp_path: Path, capsys
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "p1",
                "question": f"{NAME} (DOB 03/04/1961): what is the pegfilgrastim dose?",
                "expected": [{"doc_id": "asco-myeloid-growth-factors-2015"}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.md"
    assert main(["eval", str(gold), "--retrieval-only", "--json", "--markdown", str(report)]) == 0
    out = capsys.readouterr().out
    assert "[PERSON]" in out and not leaked(out)
    assert not leaked(report.read_text(encoding="utf-8"))
    raw = "".join(  # the database and its write-ahead log, as bytes on disk
        f.read_bytes().decode("utf-8", "replace") for f in corpus_home.glob("records.sqlite3*")
    )
    assert "[PERSON]" in raw and not leaked(raw) and "03/04/1961" not in raw


@pytest.mark.parametrize(
    "field", [NAME, NAME.upper(), "call 07700 900123", "lives at 221B Baker Street"]
)
def test_case_fields_holding_the_reported_identifiers_are_refused(
    oncoguide_home: Path, field: str
) -> None:
    store = RecordStore(oncoguide_home / "records.sqlite3")
    case = CaseInput("Board 12 — case 3", "breast", "IIA", f"ER+ HER2-; {field}")
    with pytest.raises(IdentifierFound):
        store.create_case(case, "Dr Ada")
    assert store.create_case(CaseInput("Board 12 — case 3", "breast", "IIA", "ER+ HER2-"), "Dr Ada")


def test_audit_entries_hold_no_identifiers(oncoguide_home: Path) -> None:
    store = RecordStore(oncoguide_home / "records.sqlite3")
    store.log(
        AuditEvent(
            "Dr Ada",
            "export",
            ("packet",),
            details={"note": f"sent for {NAME}, 07700 900123", "items": ["221B Baker Street"]},
        )
    )
    entry = store.audit_entries()[-1]
    assert entry["actor"] == "Dr Ada"
    assert not leaked(json.dumps(entry["details"])), entry["details"]
    assert store.verify_audit().ok


def test_questions_and_claims_leave_nothing_in_the_vector_cache(corpus_home: Path) -> None:
    """The on-disk sentence-vector cache holds passage sentences only: a question or a
    checked answer naming a patient adds no row (its vector could be matched to the text)."""
    import sqlite3

    from rag.assistant import Assistant
    from rag.config import load_settings

    assistant = Assistant(load_settings(answer_mode="evidence"))
    question = "Zelda Fitzwilliam MRN 4482913: what is the pegfilgrastim dose?"
    claim = "Zelda Fitzwilliam gets pegfilgrastim 6 mg once per cycle [1]."
    retrieval = assistant.retrieve(question)
    assistant.evidence(retrieval)
    assistant.verify(claim, retrieval)
    embedder = assistant.index.embedder
    store = assistant.settings.index_dir / "sentence_vectors.sqlite3"
    keys = {k for (k,) in sqlite3.connect(store).execute("SELECT key FROM vectors")}
    assert keys, "the passage sentences are cached"
    assert embedder._text_key(question) not in keys
    assert embedder._text_key(claim) not in keys
    assistant.close()


def test_check_warns_about_identifiers(corpus_home: Path, tmp_path: Path, capsys) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(f"{NAME} gets pegfilgrastim 6 mg once per cycle.")
    argv = ["check", "--question", "Pegfilgrastim dose?", "--answer-file", str(answer)]
    assert main(argv) == 0
    assert "patient identifiers (person)" in capsys.readouterr().err
