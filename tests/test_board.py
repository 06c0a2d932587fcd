"""Tumour-board preparation: cases, question sets, batch drafting, packets and exports."""

from __future__ import annotations

import csv as csv_module
import io
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT
from fakes import ScriptedModel
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from rag.assistant import Assistant
from rag.cli import main
from rag.config import load_settings
from rag.errors import OncoGuideError
from rag.review.board import (
    CaseInput,
    IdentifierFound,
    fill,
    load_templates,
    run_batch,
    template_for,
)
from rag.review.export import build_packet, render
from rag.review.store import RecordStore
from rag.review.workflow import load_board_run
from rag.types import Review

CASE = CaseInput(
    "Board 12 case 3", "Colon cancer", "stage III", "T4 N1, MSS", "Is 3 months of CAPOX enough?"
)


@pytest.fixture
def store(corpus_home: Path, monkeypatch) -> RecordStore:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_ANSWER_MODE", "generated")  # the model's draft, flags and all
    monkeypatch.setenv("ONCOGUIDE_MAX_SOURCE_AGE_YEARS", "50")
    ScriptedModel.reply = "CAPOX is given for 6 months for high-risk stage III disease [1]."
    return RecordStore(corpus_home / "records.sqlite3")


def test_case_lifecycle(store: RecordStore) -> None:
    case_id = store.create_case(CASE, "dr.a")
    assert store.case(case_id).stage == "stage III"
    store.update_case(
        case_id, CaseInput("Board 12 case 3", "Colon cancer", "stage IIIB", "T4 N1"), "dr.a"
    )
    assert store.case(case_id).stage == "stage IIIB"
    store.set_case_status(case_id, "archived", "dr.a")
    assert store.cases() == [] and len(store.cases(include_archived=True)) == 1
    store.set_case_status(case_id, "active", "dr.a")
    assert [c.case_id for c in store.cases()] == [case_id]
    kinds = [(e["action"], e["object_ids"]) for e in store.audit_entries()]
    assert kinds[0] == ("save", [case_id]) and len(kinds) == 4


@pytest.mark.parametrize(
    "case",
    [
        CaseInput("Mr. John Smith", "Colon cancer"),
        CaseInput("Board 1", "Colon cancer", findings="MRN 00123456, T4"),
        CaseInput("Board 1", "Colon cancer", board_question="DOB 03/04/1961 - what next?"),
    ],
)
def test_cases_refuse_identifiers(store: RecordStore, case: CaseInput) -> None:
    with pytest.raises(IdentifierFound):
        store.create_case(case, "dr.a")
    assert store.cases(include_archived=True) == []


def test_case_needs_label_and_cancer_type(store: RecordStore) -> None:
    with pytest.raises(OncoGuideError, match="label"):
        store.create_case(CaseInput(" ", "Colon cancer"), "dr.a")


def test_templates_are_filled_from_the_case() -> None:
    templates = load_templates()
    assert {"breast", "colorectal", "lung", "prostate", "general"} <= set(templates)
    assert template_for("Colon cancer", templates) == "colorectal"
    assert template_for("NSCLC adenocarcinoma", templates) == "lung"
    assert template_for("Glioblastoma", templates) == "general"
    questions = fill("colorectal", CASE, templates)
    assert (
        questions[0].question
        == "Which adjuvant chemotherapy is recommended for stage III colon cancer?"
    )
    assert "T4 N1, MSS" in questions[1].question
    assert all("{" not in q.question for q in questions)
    general = fill("general", CASE, templates)
    assert general[0].question == "Is 3 months of CAPOX enough?"


def test_batch_with_one_failing_question(store: RecordStore, monkeypatch) -> None:
    assistant = Assistant(load_settings())
    questions = fill("colorectal", CASE, load_templates())
    real_ask = assistant.ask

    def flaky(question: str, top_k=None, on_wait=None, mode=None):
        if "surveillance" in question:
            raise RuntimeError("the model crashed")
        return real_ask(question, top_k, on_wait, mode)

    monkeypatch.setattr(assistant, "ask", flaky)
    seen = []
    drafts = run_batch(assistant, questions, progress=lambda d, t, q: seen.append((d, t)))
    assert len(drafts) == len(questions)
    failed = [d for d in drafts if d.answer is None]
    assert len(failed) == 1 and "the model crashed" in failed[0].error
    assert all(d.answer is not None for d in drafts if d is not failed[0])
    assert seen[-1] == (len(questions), len(questions))
    assert store.count() == 0  # drafting writes nothing


def _verified_case(store: RecordStore) -> str:
    case_id = store.create_case(CASE, "dr.a")
    assistant = Assistant(load_settings())
    drafts = run_batch(assistant, fill("colorectal", CASE, load_templates()))
    first = drafts[0]
    store.save_verified(
        first.answer,
        Review(
            True,
            "Dr Ada",
            "FOLFOX or CAPOX is standard after resection of stage III colon cancer [1].",
        ),
        case_id=case_id,
        board_item=f"{first.item.template}/{first.item.item}",
    )
    return case_id


def test_packet_holds_only_verified_answers(store: RecordStore) -> None:
    case_id = _verified_case(store)
    packet = build_packet(store, case_id)
    assert len(packet.records) == 1
    markdown = render(packet, "md").decode()
    assert "FOLFOX or CAPOX is standard" in markdown
    assert "Verified by Dr Ada" in markdown and "Drafted with OncoGuide" in markdown
    assert "CAPOX is given for 6 months" not in markdown  # the unverified drafts
    assert markdown.count("Not yet verified:") == 4
    csv = render(packet, "csv").decode()
    assert csv.count("\n") == 2 and "Dr Ada" in csv


def test_pdf_opens_and_contains_the_sources(store: RecordStore) -> None:
    case_id = _verified_case(store)
    data = render(build_packet(store, case_id), "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Board 12 case 3" in text
    assert "FOLFOX or CAPOX is standard" in text
    assert "Colon Cancer Treatment" in text and "document" in text  # the sources
    assert "verified by Dr Ada" in text


def test_cli_case_board_run_and_export(store: RecordStore, tmp_path: Path, capsys) -> None:
    assert (
        main(
            [
                "case",
                "new",
                "--label",
                "Board 7 case 1",
                "--cancer-type",
                "Colon cancer",
                "--stage",
                "stage III",
            ]
        )
        == 0
    )
    case_id = capsys.readouterr().out.strip()
    assert main(["case", "list"]) == 0 and "Board 7 case 1" in capsys.readouterr().out
    review = tmp_path / "review.yaml"
    assert main(["board", "run", case_id, "--review-out", str(review)]) == 0
    assert "Drafts only: nothing was saved" in capsys.readouterr().out
    assert store.count() == 0
    data = yaml.safe_load(review.read_text(encoding="utf-8"))
    for entry in data["entries"]:  # a person read every draft and accepted its flags
        entry.update(verified=True, acknowledge=[f["id"] for f in entry["open_flags"]])
    review.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    args = ["board", "verify", case_id, "--review", str(review), "--verified-by", "Dr Cli"]
    assert main(args) == 0
    assert store.count() == 5
    assert {r.verifier for r in store.records()} == {"Dr Cli"}
    out = tmp_path / "packet.pdf"
    assert main(["board", "export", case_id, "--format", "pdf", "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert PdfReader(out).pages
    assert store.audit_entries()[-1]["action"] == "export"
    assert main(["case", "show", case_id]) == 0
    assert json.loads(capsys.readouterr().out)["verified_answers"] == 5


def test_board_run_mode(store: RecordStore, tmp_path: Path, capsys) -> None:
    """`board run --mode evidence` answers from guideline sentences, with no model; auto keeps
    each rejected model draft, with its reasons, in the run that a review refers to."""
    case_id = store.create_case(CASE, "dr.a")
    review = tmp_path / "review.yaml"
    assert main(["board", "run", case_id, "--mode", "evidence", "--review-out", str(review)]) == 0
    capsys.readouterr()

    def run_ids() -> list[str]:
        query = "SELECT run_id FROM board_runs WHERE case_id = ? ORDER BY created_at, rowid"
        return [r[0] for r in sqlite3.connect(store.path).execute(query, (case_id,))]

    (first,) = run_ids()
    answers = [d["answer"] for d in store.board_run(first)["drafts"] if d["answer"]]
    assert answers and all(a["mode"] == "evidence" and a["model"] is None for a in answers)
    assert all(a["answer_mode"] == "evidence" and a["draft"] is None for a in answers)
    auto_review = tmp_path / "review-auto.yaml"
    assert main(["board", "run", case_id, "--mode", "auto", "--review-out", str(auto_review)]) == 0
    printed = capsys.readouterr().out
    assert "The model's draft was not shown" in printed
    entries = yaml.safe_load(auto_review.read_text(encoding="utf-8"))["entries"]
    assert any(entry.get("draft_rejected") for entry in entries)  # the reviewer sees why
    latest = load_board_run(store, run_ids()[-1])
    drafted = [d.answer for d in latest.drafts if d.answer is not None]
    assert drafted and all(a.answer_mode == "auto" and a.draft is not None for a in drafted)
    # "CAPOX is given for 6 months ..." (the scripted draft) is not what most items ask.
    rejected = [a for a in drafted if a.draft_rejected]
    assert rejected and all(a.mode == "evidence" for a in rejected)
    assert all(a.draft.model is not None and a.draft.model.name == "scripted" for a in rejected)


def _app() -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app" / "main.py"), default_timeout=180)
    at.run()
    return at


def test_cases_page_create_run_verify_export(store: RecordStore, corpus_home: Path) -> None:
    at = _app()
    at.switch_page("views/cases.py").run()
    assert not at.exception
    at.text_input[0].input("Board 9 case 2")
    at.text_input[1].input("Colon cancer")
    at.text_input[2].input("stage III")
    at.button(key="FormSubmitter:new_case-Create case").click().run()
    assert not at.exception and any("created" in s.value for s in at.success)
    case_id = store.cases()[0].case_id
    # The board runs in the answer mode chosen on the page (evidence: no model drafts).
    at.radio(key=f"mode-{case_id}").set_value(
        next(o for o in at.radio(key=f"mode-{case_id}").options if o.startswith("Evidence"))
    ).run()
    next(b for b in at.button if b.label == "Run question set").click().run()
    assert not at.exception
    (run_id,) = [r[0] for r in sqlite3.connect(store.path).execute("SELECT run_id FROM board_runs")]
    assert all(
        d["answer"]["answer_mode"] == "evidence"
        for d in store.board_run(run_id)["drafts"]
        if d["answer"]
    )
    key = f"{case_id}-adjuvant"
    save = at.button(key=f"{key}-save")
    assert save.disabled
    at.checkbox(key=f"{key}-verified").check()
    at.text_input(key=f"{key}-verifier").input("Dr Page").run()
    for box in at.checkbox:
        if box.key and box.key.startswith(f"{key}-ack-"):
            box.check()
    at.run()
    at.button(key=f"{key}-save").click().run()
    assert not at.exception
    assert [r.board_item for r in store.case_records(case_id)] == ["colorectal/adjuvant"]
    next(b for b in at.button if b.label == "Prepare export").click().run()
    assert not at.exception and store.audit_entries()[-1]["action"] == "export"


def test_cases_page_refuses_identifiers(store: RecordStore) -> None:
    at = _app()
    at.switch_page("views/cases.py").run()
    at.text_input[0].input("Mrs. Garcia")
    at.text_input[1].input("Breast cancer")
    at.button(key="FormSubmitter:new_case-Create case").click().run()
    assert any("no patient identifiers" in e.value for e in at.error)
    assert store.cases(include_archived=True) == []


def test_board_view_shows_verified_answers_and_open_points(store: RecordStore) -> None:
    case_id = _verified_case(store)
    at = _app()
    at.switch_page("views/board.py").run()
    assert not at.exception
    assert at.title[0].value == "Board 12 case 3"
    body = " ".join(m.value for m in at.markdown)
    assert "FOLFOX or CAPOX is standard" in body and "Open points" in body
    assert "Not yet verified" in body
    assert sqlite3.connect(store.path).execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    assert case_id


HOSTILE_ANSWER = (
    '=HYPERLINK("http://127.0.0.1:9/x","dose")\n'
    "## Not a heading\n"
    "![x](http://127.0.0.1:9/p.png?leak=dose) <img src=http://127.0.0.1:9/i.png> "
    "[click](javascript:alert(1)) FOLFOX or CAPOX [1]."
)


def test_exports_keep_outside_text_as_text(store: RecordStore) -> None:
    from markdown_it import MarkdownIt

    case = CaseInput(
        "Board 9 ![c](http://127.0.0.1:9/c.png)",
        "Colon cancer",
        "+stage III",
        "# T4 N1 <b>MSS</b>",
        "@SUM(1+1) what next?",
    )
    case_id = store.create_case(case, "dr.a")
    answer = Assistant(load_settings()).ask("Which adjuvant chemotherapy for stage III colon?")
    store.save_verified(
        answer, Review(True, "Dr Ada", HOSTILE_ANSWER), case_id=case_id, board_item="colorectal/x"
    )
    packet = build_packet(store, case_id)

    markdown = render(packet, "md").decode()
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    inline = [child for t in tokens for child in (t.children or [])]
    kinds = {t.type for t in tokens} | {t.type for t in inline}
    assert not kinds & {"image", "link_open", "html_inline", "html_block"}
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 3 and headings[-1] == "Open points"  # title, the answer, open points
    shown = " ".join(t.content for t in inline if t.type == "text")
    assert "![x](http://127.0.0.1:9/p.png?leak=dose)" in shown.replace("\u2060", "")
    assert "## Not a heading" in shown

    pdf = PdfReader(io.BytesIO(render(packet, "pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "## Not a heading" in text and "# T4 N1 <b>MSS</b>" in text

    rows = list(csv_module.DictReader(io.StringIO(render(packet, "csv").decode())))
    assert rows[0]["verified_answer"].startswith("'=HYPERLINK(")
    assert rows[0]["case"].startswith("Board 9")


def test_every_csv_cell_that_a_spreadsheet_would_run_is_neutralised() -> None:
    import pandas as pd

    from rag.review.export import csv_bytes

    cells = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", "", None, 5]
    frame = pd.DataFrame({"cell": cells})
    rows = list(csv_module.reader(io.StringIO(csv_bytes(frame).decode(), newline="")))[1:]
    out = [r[0] for r in rows]
    assert out[:6] == ["'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx"]
    assert out[6:] == ["plain", "a=b", "", "", "5"]
