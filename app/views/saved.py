"""Saved answers: every record a clinician verified, searchable, downloadable as CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import services
from app.render import literal, literal_label
from app.viewer import saved_sources
from rag.errors import OncoGuideError
from rag.review import workflow
from rag.review.audit import AuditEvent
from rag.review.export import csv_bytes
from rag.types import Review

services.require("read")  # before anything is shown, whatever the navigation offered

st.title("Saved answers")
st.caption("Only answers a clinician verified against their sources appear here.")

search = st.text_input("Search question, answer, verifier or source")
records = services.store().records(search)
if not records:
    st.info("No saved answers yet." if not search else "No saved answer matches.")
else:
    frame = pd.DataFrame(
        [
            {
                "verified_at": r.verified_at,
                "verifier": r.verifier,
                "question": r.question,
                "final_answer": r.final_answer,
                "generated_answer": r.generated_answer,
                "sources": "; ".join(s.line for s in r.sources),
                "model": r.model_name,
                "model_sha256": r.model_sha256,
                "prompt_sha256": r.prompt_sha256,
                "corpus_snapshot": r.corpus_snapshot,
                "verification": r.verification.get("summary", ""),
                "disclosure": r.disclosure,
                "record_id": r.record_id,
            }
            for r in records
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    # Every export is audited when it is prepared; the file carries each record's disclosure.
    services.audited_download(
        "Export CSV",
        "saved_export",
        lambda: csv_bytes(frame),
        AuditEvent(
            services.current_user(),
            "export",
            tuple(frame["record_id"]),
            details={"format": "csv", "rows": len(frame)},
        ),
        "oncoguide_saved_answers.csv",
        "text/csv",
        "Download CSV",
    )

    st.divider()
    st.subheader("Sources in their documents")
    st.caption("Open a saved answer's passages on their page or in their section.")
    labels = {f"{r.question[:90]} — {r.verifier}, {r.verified_at[:10]}": r for r in records}
    saved_sources(labels[st.selectbox("Saved answer", list(labels), key="sources-of")], "saved")

    st.divider()
    st.subheader("Patient-friendly summary")
    st.caption(
        "A plain-language rewrite of a verified answer, drafted by the language model. It needs "
        "its own review for accuracy, empathy and cultural appropriateness, and carries an "
        "AI-use disclosure for the patient."
    )
    by_label = {f"{r.question[:90]} — {r.verifier}, {r.verified_at[:10]}": r for r in records}
    label = st.selectbox("Verified answer", list(by_label))
    record = by_label[label]
    may_verify = services.allowed("verify")
    if not may_verify:
        st.caption("Drafting and saving patient summaries needs the clinician role.")
    if st.button("Draft patient-friendly summary", disabled=not may_verify):
        try:
            st.session_state["patient_draft"] = (
                record.record_id,
                services.assistant().patient_summary(record.final_answer),
            )
        except OncoGuideError as exc:
            st.error(literal(str(exc)))
    pending = st.session_state.get("patient_draft")
    if pending and pending[0] == record.record_id:
        draft = pending[1]
        summary = st.text_area("Summary for the patient (edit before saving)", value=draft.text)
        st.caption(
            f"Will carry: “Prepared with the help of an AI tool (OncoGuide, {literal(draft.model.name)}) "
            "and checked by a clinician. It does not replace a conversation with your care team.”"
        )
        checked = st.checkbox(
            "I checked this summary for clinical accuracy, empathy and cultural appropriateness",
            key="patient_checked",
        )
        name = services.verifier_field("Reviewer name", "patient_reviewer")
        # The rules are rag.review.workflow's; the page only collects the reviewer's input.
        check = workflow.check_patient_summary(record, summary)
        acknowledged: list[str] = []
        if check.flags:
            st.markdown("**Open flags on the summary** — edit the text or acknowledge each:")
            for flag in check.flags:
                label = literal_label(f"{flag.label} (flag {flag.flag_id})")
                if st.checkbox(f"Acknowledge — {label}", key=f"patient-ack-{flag.flag_id}"):
                    acknowledged.append(flag.flag_id)
        review = Review(checked, name, summary, acknowledged=tuple(acknowledged))
        decision = workflow.assess_patient_summary(record, review, check, may_verify)
        if st.button("Save patient summary", disabled=not decision.may_save):
            try:
                workflow.save_patient_summary(
                    services.store(), record, draft, review, check, may_verify
                )
                st.session_state.pop("patient_draft")
                st.success("Patient summary saved with its disclosure.")
            except OncoGuideError as exc:
                st.error(literal(str(exc)))
        if not decision.may_save:
            st.caption(f"Save stays disabled: {literal(' '.join(decision.reasons))}")
    for saved in services.store().patient_summaries(record.record_id):
        with st.expander(
            f"Saved summary — {literal_label(saved['verifier'])}, {saved['verified_at'][:10]}"
        ):
            st.markdown(literal(saved["final_text"]))
            st.caption(literal(saved["disclosure"]))
