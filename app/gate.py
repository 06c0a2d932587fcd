"""The answer panel and verification gate shared by the Ask and Cases pages."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import streamlit as st

from app import services
from app.render import claims_html, link_markers, literal, literal_label, source_card
from app.viewer import view_button
from rag.answer import rejection_text
from rag.checks.phi import describe
from rag.errors import OncoGuideError
from rag.review import workflow
from rag.types import Answer, Review


def show_draft(answer: Answer) -> None:
    """Auto: the model's draft collapsed under the evidence answer with the reasons it was not
    shown, or a note that it passed every check and is the answer shown."""
    draft = answer.draft
    if draft is not None and answer.draft_rejected:
        with st.expander("The model's draft was not shown", expanded=False):
            st.text(rejection_text(answer.draft_rejected))
            st.text(draft.text)
            if draft.model is not None:
                st.caption(
                    f"Drafted by {literal(draft.model.name)} (sha256 {draft.model.sha256[:12]})."
                )
    elif answer.answer_mode == "auto" and answer.mode == "generated":
        st.caption("The model's draft passed every check and is shown in place of the evidence.")


def show_answer(answer: Answer) -> None:
    """The drafted text with linked markers, its provenance and its claim checks."""
    if answer.not_found:
        reason = answer.retrieval.reason
        why = f"  \n{literal(reason)}" if reason and reason != answer.text else ""
        st.info(f"**{literal(answer.text)}**{why}")
        show_draft(answer)  # auto drafts behind "give no dose for it" too
        return
    if answer.mode == "evidence":
        st.caption("Evidence answer: verbatim sentences from the sources, no language model.")
    st.markdown(link_markers(answer.text, len(answer.hits)))
    show_draft(answer)
    model = answer.model
    if model:
        st.caption(
            f"Drafted by {literal(model.name)} (sha256 {model.sha256[:12]}), prompt "
            f"{answer.prompt.sha256[:12] if answer.prompt else '—'}, corpus snapshot "
            f"{answer.retrieval.corpus_snapshot}. **Unverified: check every statement, "
            "dose and number against the sources.**"
        )
        if model.warning:
            st.warning(f"Model identity: {literal(model.warning)}.")
    if answer.auto_citations:
        st.caption(
            "Markers "
            + ", ".join(f"[{n}]" for n in answer.auto_citations)
            + " were added by OncoGuide (closest passage), not by the model."
        )
    if answer.verification is not None and answer.verification.claims:
        st.markdown(claims_html(answer.verification), unsafe_allow_html=True)


def show_sources(answer: Answer) -> None:
    if not answer.hits:
        st.caption("No passage matched.")
    asked = hashlib.sha256(answer.question.encode()).hexdigest()[:8]
    for hit in answer.hits:
        st.markdown(source_card(hit, answer.question), unsafe_allow_html=True)
        view_button(f"{asked}-{hit.rank}-{hit.chunk.chunk_id[:12]}", chunk=hit.chunk)


def verification_gate(
    answer: Answer, key: str = "", case_id: str | None = None, board_item: str = ""
) -> None:
    """Tick, edit, name, acknowledge every open flag, then save; nothing is written before.
    The rules are ``rag.review.workflow``'s; this only collects the clinician's input."""
    k = f"{key}-" if key else ""
    verified = st.checkbox("I verified this answer against the sources", key=f"{k}verified")
    final_text = st.text_area(
        "Final answer (edit before saving)", value=answer.text, key=f"{k}final" if key else None
    )
    verifier = services.verifier_field("Verifier name", f"{k}verifier" if key else "verifier")
    may_verify = services.allowed("verify")
    check = workflow.check_final_text(
        answer, final_text, services.assistant().verify, st.session_state.get(f"{k}check")
    )
    st.session_state[f"{k}check"] = check
    flags = workflow.open_flags(check.verification)
    acknowledged: list[str] = []
    if flags:
        st.markdown("**Open flags on the final text** — edit the text or acknowledge each:")
        for flag in flags:
            label = literal_label(f"{flag.label} (flag {flag.flag_id})")
            if st.checkbox(f"Acknowledge — {label}", key=f"{k}ack-{flag.flag_id}"):
                acknowledged.append(flag.flag_id)
    draft_review = Review(verified, verifier, final_text, acknowledged=tuple(acknowledged))
    decision = workflow.assess(answer, draft_review, check, may_verify)
    override = False
    if decision.phi:
        override = st.checkbox(
            f"Keep the identifiers ({describe(list(decision.phi))}) in this record — override, "
            "audited",
            key=f"{k}phi_override",
        )
    if st.button(
        "Save verified answer",
        disabled=not decision.may_save,
        type="primary",
        key=f"{k}save" if key else None,
    ):
        try:
            record_id = workflow.save(
                services.store(),
                answer,
                replace(draft_review, phi_override=override),
                check,
                case_id=case_id,
                board_item=board_item,
                may_verify=may_verify,
            )
            st.session_state[f"{k}saved_id"] = record_id
        except OncoGuideError as exc:
            st.error(literal(str(exc)))
    if not decision.may_save:
        # The workflow's own reasons, so the page and the command line explain alike.
        reasons = literal(" ".join(decision.reasons))
        st.caption(f"Save stays disabled: {reasons} Nothing is written.")
    if st.session_state.get(f"{k}saved_id"):
        st.success(f"Saved as record {st.session_state[f'{k}saved_id'][:12]}.")
