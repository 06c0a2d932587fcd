"""Streamlit pages through AppTest, the verification gate above all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import PROJECT
from fakes import ScriptedModel  # noqa: F401  (registers the scripted backend)
from streamlit.testing.v1 import AppTest

MAIN = str(PROJECT / "app" / "main.py")


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
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    at = app()
    assert at.title[0].value == "Ask the guidelines"
    catalog = sqlite3.connect(oncoguide_home / "index" / "catalog.sqlite3")
    assert catalog.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= 12


def test_gate_blocks_saving_until_verified(corpus_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
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
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    at = ask(app(), "What is the recommended imatinib dose for chronic myeloid leukemia?")
    assert any("Not found in the indexed guidelines" in i.value for i in at.info)


@pytest.mark.slow
def test_ask_page_with_the_bundled_model(corpus_home: Path) -> None:
    at = ask(app(), "How often should colonoscopy be repeated?")
    assert any("gemma" in c.value.lower() for c in at.caption)
    assert save_button(at).disabled


def test_saved_page_lists_and_downloads(corpus_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.store import RecordStore
    from rag.types import Review

    answer = Assistant(load_settings()).ask("What is the pegfilgrastim dose?")
    RecordStore(corpus_home / "records.sqlite3").save_verified(
        answer, Review(True, "Dr Lin", "6 mg [1].")
    )
    at = app()
    at.switch_page("pages/saved.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["verifier"]) == ["Dr Lin"]
    assert "Dosing and timing" in frame["sources"][0]
    at.text_input[0].input("no such text").run()
    assert any("No saved answer matches" in i.value for i in at.info)


def test_corpus_page_lists_documents_and_reindexes(corpus_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    at = app()
    at.switch_page("pages/corpus.py").run()
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
