"""One review workflow: the app's gate and the CLI's review files save under the same rules.

A CLI save is an explicit human act on a draft already shown: ``board run`` only drafts and
writes a review file; ``board verify`` saves the entries a person marked, each open flag
acknowledged by its id. No flag is ever acknowledged by default.
"""

from __future__ import annotations

import ast
import re
import sqlite3
import stat
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT
from fakes import ScriptedModel
from streamlit.testing.v1 import AppTest

from rag.assistant import Assistant
from rag.checks.verify import Verifier
from rag.cli import main
from rag.config import load_settings
from rag.errors import VerificationRequired
from rag.review import workflow
from rag.review.board import CaseInput, fill, load_templates
from rag.review.export import build_packet, render
from rag.review.store import RecordStore
from rag.types import Review, source_label, source_line

CASE = CaseInput("Board 4 case 2", "Colon cancer", "stage III", "T4 N1, MSS")
# A dose that appears in no source: every draft carries an open number flag.
WRONG_DOSE = "Oxaliplatin 500 mg/m² is given every 2 weeks for 12 cycles [1]."


@pytest.fixture
def store(corpus_home: Path, monkeypatch) -> RecordStore:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_ANSWER_MODE", "generated")  # the model's draft, flags and all
    monkeypatch.setenv("ONCOGUIDE_MAX_SOURCE_AGE_YEARS", "50")
    ScriptedModel.reply = WRONG_DOSE
    return RecordStore(corpus_home / "records.sqlite3")


def board_run(store: RecordStore, tmp_path: Path, *extra: str) -> tuple[str, Path, dict]:
    case_id = store.create_case(CASE, "dr.a")
    review = tmp_path / "review.yaml"
    assert main(["board", "run", case_id, "--review-out", str(review), *extra]) == 0
    return case_id, review, yaml.safe_load(review.read_text(encoding="utf-8"))


def verify(case_id: str, review: Path, name: str = "Dr Cli") -> int:
    return main(["board", "verify", case_id, "--review", str(review), "--verified-by", name])


def mark(review: Path, data: dict, **changes: dict) -> None:
    """Mark entries (by item) as a person would, editing only their decision fields."""
    for entry in data["entries"]:
        entry.update(changes.get(entry["item"], {}))
    review.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def test_board_run_only_drafts_and_writes_a_private_review_file(
    store: RecordStore, tmp_path: Path, capsys
) -> None:
    case_id, review, data = board_run(store, tmp_path)
    out = capsys.readouterr().out
    assert "nothing was saved" in out and f"board verify {case_id}" in out
    assert store.count() == 0
    assert stat.S_IMODE(review.stat().st_mode) == 0o600
    assert data["case"] == case_id and data["template"] == "colorectal"
    entries = data["entries"]
    assert len(entries) == 5
    for entry in entries:
        assert entry["verified"] is False and entry["acknowledge"] == []
        assert entry["answer"] == WRONG_DOSE
        assert entry["sources"] and " · " in entry["sources"][0]
        assert entry["open_flags"], "the wrong dose must be flagged"
        assert all(len(f["id"]) == 10 and f["id"] in out for f in entry["open_flags"])
    assert any("500 mg/m²" in f["message"] for f in entries[0]["open_flags"])


def test_board_run_has_no_verified_by(store: RecordStore, capsys) -> None:
    case_id = store.create_case(CASE, "dr.a")
    with pytest.raises(SystemExit) as exit_:
        main(["board", "run", case_id, "--verified-by", "Dr Cli"])
    assert exit_.value.code == 2 and store.count() == 0


def test_unmarked_file_saves_nothing(store: RecordStore, tmp_path: Path, capsys) -> None:
    case_id, review, _ = board_run(store, tmp_path)
    assert verify(case_id, review) == 0
    assert "nothing saved" in capsys.readouterr().out
    assert store.count() == 0


def test_unacknowledged_flag_refuses_that_entry_only(
    store: RecordStore, tmp_path: Path, capsys
) -> None:
    case_id, review, data = board_run(store, tmp_path)
    first, second = data["entries"][0], data["entries"][1]
    partial = [f["id"] for f in first["open_flags"]][:-1]  # all but one flag
    mark(
        review,
        data,
        **{
            first["item"]: {"verified": True, "acknowledge": partial},
            second["item"]: {
                "verified": True,
                "acknowledge": [f["id"] for f in second["open_flags"]],
            },
        },
    )
    capsys.readouterr()
    assert verify(case_id, review) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"refused  {first['item']}:")
    assert "not acknowledged" in err[0] and first["open_flags"][-1]["id"] in err[0]
    saved = store.records()
    assert [r.board_item for r in saved] == [second["item"]]


def test_acknowledged_by_id_saves_and_records_the_acknowledgement(
    store: RecordStore, tmp_path: Path, capsys
) -> None:
    case_id, review, data = board_run(store, tmp_path)
    entry = data["entries"][2]
    ids = [f["id"] for f in entry["open_flags"]]
    mark(review, data, **{entry["item"]: {"verified": True, "acknowledge": ids}})
    assert verify(case_id, review, "Dr Reader") == 0
    (record,) = store.records()
    assert record.board_item == entry["item"] and record.verifier == "Dr Reader"
    assert record.final_answer == WRONG_DOSE
    assert [a["id"] for a in record.acknowledged] == ids
    assert any("500 mg/m²" in a["message"] for a in record.acknowledged)
    verify_entry = [e for e in store.audit_entries() if e["action"] == "verify"][-1]
    assert verify_entry["details"]["acknowledged"] == ids
    # Saving twice is refused: the entry is already a record.
    assert verify(case_id, review) == 2
    assert "already saved" in capsys.readouterr().err and store.count() == 1


def test_unknown_flag_id_is_refused(store: RecordStore, tmp_path: Path, capsys) -> None:
    case_id, review, data = board_run(store, tmp_path)
    entry = data["entries"][0]
    ids = [f["id"] for f in entry["open_flags"]] + ["0000000000"]
    mark(review, data, **{entry["item"]: {"verified": True, "acknowledge": ids}})
    assert verify(case_id, review) == 2
    assert "0000000000" in capsys.readouterr().err and store.count() == 0


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: e.update(answer="Oxaliplatin 130 mg/m² every 3 weeks [1]."),
        lambda e: e.update(open_flags=[]),
        lambda e: e.update(question="Something else?"),
    ],
    ids=["text", "flags", "question"],
)
def test_tampered_review_file_is_refused_whole(
    store: RecordStore, tmp_path: Path, capsys, tamper
) -> None:
    case_id, review, data = board_run(store, tmp_path)
    for entry in data["entries"]:
        mark(review, data, **{entry["item"]: {"verified": True, "acknowledge": [
            f["id"] for f in entry["open_flags"]
        ]}})  # fmt: skip
    tamper(data["entries"][1])
    mark(review, data)
    capsys.readouterr()
    assert verify(case_id, review) == 2
    err = capsys.readouterr().err.strip()
    assert "no longer matches" in err and len(err.splitlines()) == 1
    assert store.count() == 0


def test_review_file_of_another_case_or_run_is_refused(
    store: RecordStore, tmp_path: Path, capsys
) -> None:
    case_id, review, data = board_run(store, tmp_path)
    other = store.create_case(CaseInput("Board 4 case 3", "Colon cancer"), "dr.a")
    assert verify(other, review) == 2
    assert "not " + other in capsys.readouterr().err
    data["run"] = "f" * 32
    mark(review, data)
    assert verify(case_id, review) == 2
    assert "never ran" in capsys.readouterr().err
    review.write_text("entries: [unclosed", encoding="utf-8")
    assert verify(case_id, review) == 2
    assert "not a readable review file" in capsys.readouterr().err
    # A few hundred bytes of nested aliases would expand to gigabytes: refused unread.
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)
    ]
    review.write_text("\n".join([*bomb, "case: *a8", ""]), encoding="utf-8")
    assert verify(case_id, review) == 2
    assert "aliases" in capsys.readouterr().err
    for device in ("/dev/zero", "/dev/null"):  # never read to the end, never empty-and-fine
        assert verify(case_id, Path(device)) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert store.count() == 0


def test_packet_open_points_come_from_the_template_run(store: RecordStore, tmp_path: Path) -> None:
    case_id, _, data = board_run(store, tmp_path, "--template", "general")
    assert data["template"] == "general"
    general = [q.question for q in fill("general", CASE, load_templates())]
    colorectal = [q.question for q in fill("colorectal", CASE, load_templates())]
    markdown = render(build_packet(store, case_id), "md").decode()
    for question in general:
        assert f"Not yet verified: {question}" in markdown
    assert not any(q in markdown for q in colorectal if q not in general)
    assert workflow.board_template(store, case_id) == "general"


def test_flag_ids_are_stable_and_never_acknowledged_by_default(store: RecordStore) -> None:
    assistant = Assistant(load_settings())
    retrieval = assistant.retrieve("What are the doses of the CAPOX regimen?")
    first = workflow.open_flags(assistant.verify(WRONG_DOSE, retrieval))
    again = workflow.open_flags(Assistant(load_settings()).verify(WRONG_DOSE, retrieval))
    assert first and [f.flag_id for f in first] == [f.flag_id for f in again]
    answer = assistant.ask("What are the doses of the CAPOX regimen?")
    check = workflow.check_final_text(answer, answer.text, assistant.verify)
    decision = workflow.assess(answer, Review(True, "Dr Ada", answer.text), check)
    assert not decision.may_save and decision.unacknowledged == decision.open_flags
    assert "not acknowledged" in decision.reasons[0]
    with pytest.raises(Exception, match="not acknowledged"):
        workflow.save(store, answer, Review(True, "Dr Ada", answer.text), check)
    # A check of another text never stands in for the final text.
    with pytest.raises(Exception, match="changed after it was checked"):
        workflow.save(store, answer, Review(True, "Dr Ada", "Other text [1]."), check)
    assert store.count() == 0


def test_gate_reuses_the_answers_check_and_saves_through_the_workflow(
    corpus_home: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_ANSWER_MODE", "generated")  # the model's draft, flags and all
    monkeypatch.setenv("ONCOGUIDE_MAX_SOURCE_AGE_YEARS", "50")
    ScriptedModel.reply = "Pegfilgrastim 12 mg is given once per cycle [1]."
    calls: list[str] = []
    real = Verifier.verify

    def spy(self, text, hits):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(self, text, hits)

    monkeypatch.setattr(Verifier, "verify", spy)
    saves: list[str] = []
    real_save = workflow.save

    def save_spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        saves.append("save")
        return real_save(*args, **kwargs)

    monkeypatch.setattr(workflow, "save", save_spy)
    at = AppTest.from_file(str(PROJECT / "app" / "main.py"), default_timeout=180)
    at.run()
    at.text_area[0].input("What is the pegfilgrastim dose?")
    at.button(key="FormSubmitter:ask-Ask").click().run()
    assert not at.exception
    assert len(calls) == 1  # the draft's own check, made once when drafting
    at.checkbox(key="verified").check().run()
    at.text_input(key="verifier").input("Dr Grace").run()
    assert len(calls) == 1  # reruns with the unchanged text reuse it
    acks = [c for c in at.checkbox if c.label.startswith("Acknowledge")]
    assert len(acks) == 1 and acks[0].key.startswith("ack-")
    answer = at.session_state["answer"]
    (flag,) = workflow.open_flags(answer.verification)
    assert acks[0].key == f"ack-{flag.flag_id}"  # the same id a review file shows
    edited = "Pegfilgrastim 12 mg is given once per chemotherapy cycle [1]."
    at.text_area[1].input(edited).run()
    assert calls[1:] == [edited]
    at.run()
    assert len(calls) == 2  # the edited text is checked once, not on every rerun
    for box in at.checkbox:
        if box.label.startswith("Acknowledge"):
            box.check()
    at.run()
    next(b for b in at.button if b.label == "Save verified answer").click().run()
    assert not at.exception and saves == ["save"]
    row = (
        sqlite3.connect(corpus_home / "records.sqlite3")
        .execute("SELECT final_answer FROM saved_answers")
        .fetchone()
    )
    assert row == (edited,)


# The passages handed to the model are worded like the few-shot examples in prompts/
# ("[1] Short title, Section: text"), not for a reader: the one place left to word itself.
MODEL_FACING = {("rag/answer/generate.py", "format_passages")}


def hand_worded_places(source: str, spared: frozenset[str] = frozenset()) -> list[str]:
    """f-strings in ``source`` that word a passage's place themselves instead of calling
    ``rag.types.source_label``/``source_line``: a page put after "p."/"pp.", a title and a
    section formatted together, or a numbered "[rank] label" line (a message that names a
    passage by its number alone is not a place). Functions named in ``spared`` are skipped."""
    tree = ast.parse(source)
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in spared
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if not isinstance(node, ast.JoinedStr):
            continue
        shape = "".join(
            part.value if isinstance(part, ast.Constant) else "{" + ast.unparse(part.value) + "}"  # type: ignore[attr-defined]
            for part in node.values
        )
        fields = re.findall(r"\{([^{}]*)\}", shape)
        page = re.search(r"\bpp?\.\s*\{", shape) or re.search(r"\bpage \{[^}]*\bpage\b", shape)
        title_and_section = any("title" in f for f in fields) and any(
            "section" in f for f in fields
        )
        numbered = re.search(r"\[\{[^}]*\brank\}\]\s*\{[^}]*(label|title)\}", shape)
        if page or title_and_section or numbered:
            found.append(shape)
    return found


def test_one_wording_for_where_a_passage_comes_from() -> None:
    assert source_label("NCI Colon", ("Treatment", "Stage III"), 4) == (
        "NCI Colon · Treatment > Stage III · p. 4"
    )
    assert source_label("NCI Colon", (), None) == "NCI Colon · —"
    assert source_label("NCI Colon", ("Dosing",), 4, 5) == "NCI Colon · Dosing · pp. 4–5"
    assert source_line(2, "NCI Colon · Dosing · p. 4", 81.4, "3f2a9c0b1d4e77") == (
        "[2] NCI Colon · Dosing · p. 4 · OCR text, confidence 81 % (document 3f2a9c0b1d4e)"
    )
    # The check finds the hand-made wordings the views used before they called the formatter.
    made_by_hand = [
        "f\"{chunk.title} · {chunk.section_label or '—'}\"",
        'f" (p. {chunk.page})"',
        'f"[{source.rank}] {source.label}{ocr} (document {source.doc_hash[:12]})"',
        'f"[{hit.rank}] {hit.chunk.source_label}{ocr}"',
        'f"{c.title}, {c.section}, page {c.page}"',
    ]
    for line in made_by_hand:
        assert hand_worded_places(line), line
    assert not hand_worded_places('f"page {index + 1}: OCR failed ({exc})"')
    prompt = 'def format_passages(c):\n    return f" (p. {c.page})"\n'
    assert hand_worded_places(prompt) and not hand_worded_places(
        prompt, frozenset({"format_passages"})
    )
    # Every view, export, command and script calls the one formatter.
    own = {PROJECT / "rag" / "types.py"}
    folders = [PROJECT / "rag", PROJECT / "app", PROJECT / "scripts"]
    offenders = {
        str(path.relative_to(PROJECT)): places
        for folder in folders
        for path in folder.rglob("*.py")
        if path not in own
        and (
            places := hand_worded_places(
                path.read_text(encoding="utf-8"),
                frozenset(f for at, f in MODEL_FACING if PROJECT / at == path),
            )
        )
    }
    assert offenders == {}


def test_a_remembered_run_gives_back_exactly_the_drafts_that_ran(store: RecordStore) -> None:
    case_id = store.create_case(CASE, "dr.a")
    run = workflow.run_board(Assistant(load_settings()), store, case_id, "dr.a", "general")
    assert store.count() == 0 and len(run.drafts) == 2
    loaded = workflow.load_board_run(store, run.run_id)
    assert loaded == run  # answers, passages, model, prompt and checks, field for field
    assert loaded.drafts[1].answer is not None and loaded.drafts[1].answer.verification
    assert workflow.load_board_run(store, "no-such-run") is None


def test_a_review_file_marked_up_in_a_text_editor(store: RecordStore, tmp_path: Path) -> None:
    case_id, review, data = board_run(store, tmp_path)
    text = review.read_text(encoding="utf-8")
    assert text.startswith("# OncoGuide board review file. Nothing in it has been saved.")
    entry = data["entries"][0]
    ids = ", ".join(f["id"] for f in entry["open_flags"])  # copied without quotes
    untouched = "verified: false\n  acknowledge: []"
    assert text.count(untouched) == 5
    review.write_text(
        text.replace(untouched, f"verified: true\n  acknowledge: [{ids}]", 1), encoding="utf-8"
    )
    assert verify(case_id, review) == 0
    (record,) = store.records()
    assert record.board_item == entry["item"]
    assert record.note.startswith("Verified at the command line from board run")


def test_an_edited_not_found_answer_is_checked_and_hand_made_checks_are_refused(
    store: RecordStore,
) -> None:
    from dataclasses import replace

    assistant = Assistant(load_settings())
    asked = assistant.ask("What is the pegfilgrastim dose?")
    gap = replace(
        asked,
        text="The indexed guidelines mention pegfilgrastim but give no dose for it.",
        not_found=True,
        verification=None,
    )
    unchanged = workflow.check_final_text(gap, gap.text, assistant.verify)
    assert unchanged.verification is None
    assert workflow.assess(gap, Review(True, "Dr Ada", gap.text), unchanged).may_save

    edited = "Pegfilgrastim 100 mg/m2 daily."
    check = workflow.check_final_text(gap, edited, assistant.verify)
    flags = workflow.open_flags(check.verification)
    assert any(f.kind.startswith("number") and "100" in f.message for f in flags)
    decision = workflow.assess(gap, Review(True, "Dr Ada", edited), check)
    assert not decision.may_save and "not acknowledged" in decision.reasons[-1]

    for forged in (
        workflow.FinalCheck(edited, None),  # no basis
        workflow.FinalCheck(edited, None, workflow.answer_basis(gap)),  # never checked
        workflow.FinalCheck(asked.text.strip(), None, workflow.answer_basis(asked)),
    ):
        answer = asked if forged.text == asked.text.strip() else gap
        review = Review(True, "Dr Ada", forged.text)
        assert not workflow.assess(answer, review, forged).may_save
        with pytest.raises(Exception, match="Nothing saved"):
            workflow.save(store, answer, review, forged)
    assert store.count() == 0


def test_patient_summary_review_checks_every_number(store: RecordStore) -> None:
    assistant = Assistant(load_settings())
    answer = assistant.ask("What are the doses of the CAPOX regimen?")
    final = "Oxaliplatin 130 mg/m² on day 1 every 3 weeks [1]."
    check = workflow.check_final_text(answer, final, assistant.verify)
    acks = tuple(f.flag_id for f in workflow.open_flags(check.verification))
    store.save_verified(
        answer, Review(True, "Dr Ada", final, acknowledged=acks), check.verification
    )
    (record,) = store.records()
    draft = assistant.patient_summary(record.final_answer)

    faithful = "You get oxaliplatin 130 mg/m² into a vein on day 1, every 3 weeks."
    summary = workflow.check_patient_summary(record, faithful)
    assert summary.flags == ()
    review = Review(True, "Nurse Kim", faithful)
    assert workflow.assess_patient_summary(record, review, summary).may_save

    wrong = "You get oxaliplatin 500 mg/m² on day 1, every 3 weeks, for 12 cycles."
    summary = workflow.check_patient_summary(record, wrong)
    assert [f.message for f in summary.flags] == [
        "\u201c500 mg/m²\u201d is not in the verified answer.",
        "\u201c12 cycles\u201d is not in the verified answer.",
    ]
    with pytest.raises(Exception, match="not acknowledged"):
        workflow.save_patient_summary(store, record, draft, Review(True, "N", wrong), summary)
    with pytest.raises(Exception, match="changed after it was checked"):
        workflow.save_patient_summary(
            store,
            record,
            draft,
            Review(True, "N", wrong),
            workflow.check_patient_summary(record, faithful),
        )
    # The store itself refuses an unacknowledged number, whoever calls it.
    with pytest.raises(VerificationRequired, match="not acknowledged.*500 mg/m²"):
        store.save_patient_summary(record.record_id, draft, Review(True, "N", wrong))
    one = Review(True, "N", wrong, acknowledged=(summary.flags[0].flag_id,))
    with pytest.raises(VerificationRequired, match="1 flag"):
        store.save_patient_summary(record.record_id, draft, one)
    assert store.patient_summaries() == []
    ids = tuple(f.flag_id for f in summary.flags)
    workflow.save_patient_summary(
        store, record, draft, Review(True, "Nurse Kim", wrong, acknowledged=ids), summary
    )
    assert len(store.patient_summaries()) == 1


def test_board_run_never_replaces_a_review_file(store: RecordStore, tmp_path: Path, capsys) -> None:
    """A review file may already hold a clinician's marks: a second run names a new file."""
    case_id, review, data = board_run(store, tmp_path)
    mark(review, data, **{data["entries"][0]["item"]: {"verified": True}})
    marked = review.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["board", "run", case_id, "--review-out", str(review)]) == 2
    assert "exists" in capsys.readouterr().err
    assert review.read_text(encoding="utf-8") == marked
