"""Tumour-board cases: create, edit, archive; run a question set; verify; export the packet."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import services
from app.gate import MODES, mode_choice, show_answer, show_sources, verification_gate
from app.render import SOURCE_CSS, literal, literal_label
from rag.errors import OncoGuideError
from rag.review import workflow
from rag.review.audit import AuditEvent
from rag.review.board import CaseInput, fill, load_templates
from rag.review.export import build_packet, render

services.require("ask")  # before anything is shown, whatever the navigation offered

st.title("Tumour-board cases")
st.markdown(SOURCE_CSS, unsafe_allow_html=True)
st.caption(
    "Cases are de-identified: labels, findings and questions are checked for patient "
    "identifiers and refused if they hold any."
)
store = services.store()
assistant = services.assistant()
templates = load_templates()

with st.expander("New case", expanded=not store.cases()), st.form("new_case", clear_on_submit=True):
    label = st.text_input("De-identified label", placeholder="Board 12 — case 3")
    cancer_type = st.text_input("Cancer type", placeholder="Colon cancer")
    stage = st.text_input("Stage", placeholder="stage III")
    findings = st.text_area("Key findings", placeholder="T4 N1, MSS, fit for oxaliplatin")
    question = st.text_area("Question for the board")
    if st.form_submit_button("Create case", type="primary"):
        try:
            case_id = store.create_case(
                CaseInput(label, cancer_type, stage, findings, question),
                services.current_user(),
            )
            st.session_state["case_id"] = case_id
            st.success(f"Case {case_id} created.")
        except OncoGuideError as exc:
            st.error(literal(str(exc)))

show_archived = st.checkbox("Show archived cases")
cases = store.cases(include_archived=show_archived)
if not cases:
    st.info("No cases yet.")
    st.stop()

by_id = {c.case_id: c for c in cases}
current = st.session_state.get("case_id")
ids = list(by_id)
case_id = st.selectbox(
    "Case",
    ids,
    index=ids.index(current) if current in by_id else len(ids) - 1,
    format_func=lambda i: f"{by_id[i].label} ({by_id[i].cancer_type}, {by_id[i].status})",
)
st.session_state["case_id"] = case_id
case = by_id[case_id]
case_input = workflow.case_input(case)

with st.expander("Edit or archive"):
    with st.form("edit_case"):
        edited = CaseInput(
            st.text_input("Label", case.label),
            st.text_input("Cancer type", case.cancer_type),
            st.text_input("Stage", case.stage),
            st.text_area("Key findings", case.findings),
            st.text_area("Question for the board", case.board_question),
        )
        if st.form_submit_button("Save changes"):
            try:
                store.update_case(case_id, edited, services.current_user())
                st.rerun()
            except OncoGuideError as exc:
                st.error(literal(str(exc)))
    status = "active" if case.status == "archived" else "archived"
    if st.button("Restore case" if status == "active" else "Archive case"):
        store.set_case_status(case_id, status, services.current_user())
        st.rerun()

st.subheader("Question set")
names = list(templates)
last_run = workflow.board_template(store, case_id)  # the set last run, else the cancer type's
template = st.selectbox(
    "Template",
    names,
    index=names.index(last_run) if last_run in names else 0,
    format_func=lambda n: templates[n].get("name", n),
)
questions = fill(template, case_input, templates)
st.dataframe(
    pd.DataFrame([{"item": q.item, "question": q.question} for q in questions]), hide_index=True
)
mode = MODES[mode_choice(assistant.settings.answer_mode, key=f"mode-{case_id}")]
if st.button("Run question set", type="primary"):
    bar = st.progress(0.0, text="Starting…")
    waiting = st.empty()

    def advance(done: int, total: int, question: str) -> None:
        waiting.empty()
        bar.progress(
            min(done / max(total, 1), 1.0), text=f"{done}/{total} {literal_label(question[:70])}"
        )

    run = workflow.run_board(
        assistant,
        store,
        case_id,
        services.current_user(),
        template,
        mode=mode,
        progress=advance,
        on_wait=lambda ahead: waiting.info(
            f"Waiting for the model: {ahead} request(s) from other sessions ahead of this one."
        ),
    )
    bar.empty()
    waiting.empty()
    st.session_state[f"drafts-{case_id}"] = run.drafts  # no record until each is verified

verified_items = {r.board_item for r in store.case_records(case_id)}
for number, draft in enumerate(st.session_state.get(f"drafts-{case_id}", []), start=1):
    item_key = workflow.board_item(draft)
    done = " ✓ verified" if item_key in verified_items else ""
    with st.expander(f"{number}\\. {literal_label(draft.item.question)}{done}", expanded=not done):
        if draft.answer is None:
            st.error(f"This question failed: {literal(str(draft.error))}")
            continue
        left, right = st.columns([3, 2])
        with left:
            show_answer(draft.answer)
            if not done:
                verification_gate(
                    draft.answer,
                    key=f"{case_id}-{draft.item.item}",
                    case_id=case_id,
                    board_item=item_key,
                )
        with right:
            show_sources(draft.answer)

st.subheader("Packet")
records = store.case_records(case_id)
st.caption(f"{len(records)} verified answer(s) go into the packet; unverified drafts never do.")
fmt = st.radio("Format", ["md", "pdf", "csv"], horizontal=True, format_func=str.upper)
mime = {"md": "text/markdown", "pdf": "application/pdf", "csv": "text/csv"}[fmt]
services.audited_download(
    "Prepare export",
    f"export-{case_id}",
    lambda: render(build_packet(store, case_id), fmt),
    AuditEvent(services.current_user(), "export", (case_id,), details={"format": fmt}),
    f"board_{case_id}.{fmt}",
    mime,
    f"Download {fmt.upper()}",
    variant=fmt,
)
