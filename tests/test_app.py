"""Streamlit pages through AppTest, the verification gate above all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import PROJECT
from fakes import ScriptedModel  # noqa: F401  (registers the scripted backend)
from streamlit.testing.v1 import AppTest

MAIN = str(PROJECT / "app" / "main.py")


def scripted(monkeypatch) -> None:
    """The scripted model; and no "older than N years" flags, which other tests cover."""
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_MAX_SOURCE_AGE_YEARS", "50")


def app() -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.text_area[0].input(question)
    at.button(key="FormSubmitter:ask-Ask").click().run()
    assert not at.exception, at.exception
    return at


def save_button(at: AppTest):
    return next(b for b in at.button if b.label == "Save verified answer")


def saved_rows(home: Path) -> int:
    db = home / "records.sqlite3"
    if not db.exists():
        return 0
    return sqlite3.connect(db).execute("SELECT COUNT(*) FROM saved_answers").fetchone()[0]


def test_first_start_indexes_the_bundled_corpus(oncoguide_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    at = app()
    assert at.title[0].value == "Ask the guidelines"
    catalog = sqlite3.connect(oncoguide_home / "index" / "catalog.sqlite3")
    assert catalog.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= 12


def test_gate_blocks_saving_until_verified(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    ScriptedModel.reply = "Pegfilgrastim 6 mg is given once per cycle [1]."
    at = ask(app(), "What is the pegfilgrastim dose?")
    markdown = " ".join(m.value for m in at.markdown)
    assert "Pegfilgrastim 6 mg" in markdown
    assert 'id="source-1"' in markdown and "Dosing and timing" in markdown
    assert "<mark>" in markdown  # matching terms highlighted
    assert "(#source-1)" in markdown  # the marker links to its passage
    assert save_button(at).disabled
    assert saved_rows(corpus_home) == 0

    at.text_input(key="verifier").input("Dr Grace").run()
    assert save_button(at).disabled  # a name alone is not verification
    assert saved_rows(corpus_home) == 0

    at.checkbox(key="verified").check().run()
    assert not save_button(at).disabled
    assert saved_rows(corpus_home) == 0  # ticking writes nothing by itself

    at.text_area[1].input(
        "Pegfilgrastim 6 mg once per cycle, 24 to 72 hours after chemotherapy [1]."
    ).run()
    save_button(at).click().run()
    assert not at.exception
    assert any("Saved as record" in s.value for s in at.success)
    row = (
        sqlite3.connect(corpus_home / "records.sqlite3")
        .execute("SELECT final_answer, verifier FROM saved_answers")
        .fetchone()
    )
    assert row == (
        "Pegfilgrastim 6 mg once per cycle, 24 to 72 hours after chemotherapy [1].",
        "Dr Grace",
    )


def test_not_found_question_shows_not_found(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    at = ask(app(), "What is the recommended imatinib dose for chronic myeloid leukemia?")
    assert any("Not found in the indexed guidelines" in i.value for i in at.info)


@pytest.mark.slow
def test_ask_page_with_the_bundled_model(corpus_home: Path) -> None:
    at = ask(app(), "How often should colonoscopy be repeated?")
    assert any("gemma" in c.value.lower() for c in at.caption)
    assert save_button(at).disabled


def test_saved_page_lists_and_downloads(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.review.store import RecordStore
    from rag.types import Review

    answer = Assistant(load_settings()).ask("What is the pegfilgrastim dose?")
    RecordStore(corpus_home / "records.sqlite3").save_verified(
        answer, Review(True, "Dr Lin", "6 mg [1].")
    )
    at = app()
    at.switch_page("views/saved.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["verifier"]) == ["Dr Lin"]
    assert "Dosing and timing" in frame["sources"][0]
    at.text_input[0].input("no such text").run()
    assert any("No saved answer matches" in i.value for i in at.info)


def test_corpus_page_lists_documents_and_reindexes(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    at = app()
    at.switch_page("views/corpus.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert len(frame) >= 12 and (frame["chunks"] > 0).all()
    bad = corpus_home / "uploads"
    bad.mkdir()
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    at.button[0].click().run()
    assert not at.exception
    assert any("unchanged" in s.value for s in at.success)
    assert any("broken.pdf" in e.value and "corrupt" in e.value for e in at.error)


def test_flagged_answer_needs_each_flag_acknowledged(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    ScriptedModel.reply = "Pegfilgrastim 12 mg is given once per cycle [1]."
    at = ask(app(), "What is the pegfilgrastim dose?")
    markdown = " ".join(m.value for m in at.markdown)
    assert "0 of 1 claims supported" in markdown
    assert "does not appear in the cited source" in markdown
    at.checkbox(key="verified").check().run()
    at.text_input(key="verifier").input("Dr Grace").run()
    assert save_button(at).disabled  # the flag is still open
    acks = [c for c in at.checkbox if c.label.startswith("Acknowledge")]
    assert len(acks) == 1
    acks[0].check().run()
    assert not save_button(at).disabled
    save_button(at).click().run()
    row = (
        sqlite3.connect(corpus_home / "records.sqlite3")
        .execute("SELECT acknowledged FROM saved_answers")
        .fetchone()
    )
    assert "number_not_in_source" in row[0]


def test_editing_the_text_clears_the_flag(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    ScriptedModel.reply = "Pegfilgrastim 12 mg is given once per cycle [1]."
    at = ask(app(), "What is the pegfilgrastim dose?")
    at.checkbox(key="verified").check()
    at.text_input(key="verifier").input("Dr Grace")
    at.text_area[1].input("Pegfilgrastim 6 mg is given once per chemotherapy cycle [1].").run()
    assert not [c for c in at.checkbox if c.label.startswith("Acknowledge")]
    assert not save_button(at).disabled


def test_extractive_mode_and_switch(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    ScriptedModel.reply = "Pegfilgrastim 12 mg is given once per cycle [1]."
    at = ask(app(), "What is the pegfilgrastim dose?")
    switch = next(b for b in at.button if b.label == "Show the extractive answer instead")
    switch.click().run()
    assert not at.exception
    assert any("Extractive answer" in c.value for c in at.caption)
    at = app()
    at.radio[0].set_value("Extractive: verbatim guideline sentences only (no model)")
    at = ask(at, "What is the pegfilgrastim dose?")
    assert any("Extractive answer" in c.value for c in at.caption)
    assert "claims supported" in " ".join(m.value for m in at.markdown)


def test_phi_in_question_is_caught_before_running(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    ScriptedModel.reply = "Pegfilgrastim 6 mg is given once per chemotherapy cycle [1]."
    at = ask(app(), "Patient John Smith, MRN 00123456: what is the pegfilgrastim dose?")
    assert any("patient identifiers" in w.value for w in at.warning)
    assert "[PERSON]" in at.code[0].value and "John Smith" not in at.code[0].value
    assert not [m for m in at.markdown if "Draft answer" in m.value]  # nothing ran yet
    next(b for b in at.button if b.label == "Ask the redacted question").click().run()
    assert not at.exception
    assert not any("John Smith" in m.value for m in at.markdown)


def test_exports_are_audited_and_carry_the_disclosure(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.review.store import RecordStore
    from rag.types import Review

    answer = Assistant(load_settings()).ask("What is the pegfilgrastim dose?")
    store = RecordStore(corpus_home / "records.sqlite3")
    store.save_verified(answer, Review(True, "Dr Lin", "6 mg [1]."))
    at = app()
    at.switch_page("views/saved.py").run()
    assert "Drafted with OncoGuide" in at.dataframe[0].value["disclosure"][0]
    next(b for b in at.button if b.label == "Export CSV").click().run()
    assert not at.exception
    assert [e["action"] for e in store.audit_entries()][-1] == "export"

    at.switch_page("views/audit.py").run()
    assert not at.exception
    assert any("Chain intact" in s.value for s in at.success)
    frame = at.dataframe[0].value
    assert list(frame["action"]) == ["ask", "verify", "edit", "save", "export"]
    at.multiselect[0].set_value(["save"]).run()
    assert list(at.dataframe[0].value["action"]) == ["save"]
    next(b for b in at.button if b.label == "Export CSV").click().run()
    assert store.verify_audit().entries == 6


def test_patient_summary_needs_its_own_verification(corpus_home: Path, monkeypatch) -> None:
    scripted(monkeypatch)
    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.review.store import RecordStore
    from rag.types import Review

    ScriptedModel.reply = "Pegfilgrastim 6 mg is given once per chemotherapy cycle [1]."
    answer = Assistant(load_settings()).ask("What is the pegfilgrastim dose?")
    store = RecordStore(corpus_home / "records.sqlite3")
    store.save_verified(answer, Review(True, "Dr Lin", answer.text))
    ScriptedModel.reply = "You will get one injection each chemotherapy cycle."
    at = app()
    at.switch_page("views/saved.py").run()
    next(b for b in at.button if b.label == "Draft patient-friendly summary").click().run()
    assert not at.exception
    assert "injection" in at.text_area[0].value
    save = next(b for b in at.button if b.label == "Save patient summary")
    assert save.disabled and store.patient_summaries() == []
    at.checkbox(key="patient_checked").check()
    at.text_input(key="patient_reviewer").input("Nurse Kim").run()
    next(b for b in at.button if b.label == "Save patient summary").click().run()
    (saved,) = store.patient_summaries()
    assert saved["verifier"] == "Nurse Kim"
    assert "AI tool" in saved["disclosure"] and "care team" in saved["disclosure"]
    assert store.audit_entries()[-1]["details"]["kind"] == "patient_summary"


def test_validation_page_runs_an_evaluation_and_the_equity_check(
    corpus_home: Path, monkeypatch
) -> None:
    scripted(monkeypatch)
    at = app()
    at.switch_page("views/validation.py").run()
    assert not at.exception
    next(b for b in at.button if b.label == "Run evaluation").click().run()
    assert not at.exception
    metrics = dict(
        zip(at.dataframe[0].value["metric"], at.dataframe[0].value["value"], strict=True)
    )
    assert metrics["recall@5"] >= 0.9 and metrics["questions"] >= 80
    next(b for b in at.button if b.label == "Run evaluation").click().run()
    assert not at.exception  # a second run compares with the first
    next(b for b in at.button if b.label == "Run counterfactual check").click().run()
    assert not at.exception
    assert any("ethnicity" in str(df.value.index.tolist()) for df in at.dataframe)
