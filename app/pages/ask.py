"""Ask page: question → answer beside its sources → clinician verification → save."""

from __future__ import annotations

import streamlit as st

from app import services
from app.render import SOURCE_CSS, link_markers, source_card
from rag.errors import OncoGuideError
from rag.types import Answer, Review

st.title("Ask the guidelines")
st.markdown(SOURCE_CSS, unsafe_allow_html=True)

assistant = services.assistant()
cfg = assistant.settings

with st.form("ask"):
    question = st.text_area(
        "Question",
        placeholder="e.g. At what age should average-risk women start screening mammography?",
        help="Do not enter patient identifiers. Ask about what the guidelines say.",
    )
    top_k = st.slider("Passages to retrieve", 1, 10, cfg.top_k)
    asked = st.form_submit_button("Ask", type="primary")

if asked:
    for key in ("answer", "saved_id", "verified"):
        st.session_state.pop(key, None)
    if not question.strip():
        st.warning("Type a question first.")
    else:
        try:
            retrieval = assistant.retrieve(question, top_k)
            left, _ = st.columns([3, 2])
            with left, st.spinner("Drafting from the retrieved passages…"):
                draft = assistant.draft(retrieval)
                st.write_stream(iter(draft))
                st.session_state["answer"] = draft.finish()
        except OncoGuideError as exc:
            st.error(str(exc))
        st.rerun()

answer: Answer | None = st.session_state.get("answer")
if answer is not None:
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Draft answer")
        if answer.not_found:
            st.info(f"**{answer.text}**  \n{answer.retrieval.reason}")
        else:
            st.markdown(link_markers(answer.text, len(answer.hits)))
            model = answer.model
            st.caption(
                f"Drafted by {model.name if model else 'no model'} (sha256 "
                f"{model.sha256[:12] if model else '—'}), prompt "
                f"{answer.prompt.sha256[:12] if answer.prompt else '—'}, corpus snapshot "
                f"{answer.retrieval.corpus_snapshot}. **Unverified: check every statement, dose "
                "and number against the sources.**"
            )
            if answer.auto_citations:
                st.caption(
                    "Markers "
                    + ", ".join(f"[{n}]" for n in answer.auto_citations)
                    + " were added by OncoGuide (closest passage), not by the model."
                )
            if answer.invalid_citations:
                st.warning(
                    "The model cited passages that do not exist: "
                    + ", ".join(f"[{n}]" for n in answer.invalid_citations)
                )

        st.divider()
        st.subheader("Verification")
        verified = st.checkbox("I verified this answer against the sources", key="verified")
        final_text = st.text_area("Final answer (edit before saving)", value=answer.text)
        verifier = st.text_input("Verifier name", key="verifier")
        can_save = verified and bool(verifier.strip()) and bool(final_text.strip())
        if st.button("Save verified answer", disabled=not can_save, type="primary"):
            try:
                record_id = services.store().save_verified(
                    answer, Review(True, verifier, final_text)
                )
                st.session_state["saved_id"] = record_id
            except OncoGuideError as exc:
                st.error(str(exc))
        if not verified:
            st.caption(
                "Save stays disabled until you tick the verification box; nothing is written before."
            )
        if st.session_state.get("saved_id"):
            st.success(f"Saved as record {st.session_state['saved_id'][:12]}.")
    with right:
        st.subheader("Sources")
        if not answer.hits:
            st.caption("No passage matched.")
        for hit in answer.hits:
            st.markdown(source_card(hit, answer.question), unsafe_allow_html=True)
