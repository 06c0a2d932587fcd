"""The answer panel and verification gate shared by the Ask and Cases pages."""

from __future__ import annotations

import hashlib

import streamlit as st

from app import services
from app.render import claims_html, link_markers, source_card
from app.viewer import view_button
from rag.checks.phi import describe, find_phi
from rag.errors import OncoGuideError
from rag.review.store import flag_key
from rag.types import Answer, Review


def show_answer(answer: Answer) -> None:
    """The drafted text with linked markers, its provenance and its claim checks."""
    if answer.not_found:
        st.info(f"**{answer.text}**  \n{answer.retrieval.reason}")
        return
    if answer.mode == "extractive":
        st.caption("Extractive answer: verbatim sentences from the sources, no language model.")
    st.markdown(link_markers(answer.text, len(answer.hits)))
    model = answer.model
    if model:
        st.caption(
            f"Drafted by {model.name} (sha256 {model.sha256[:12]}), prompt "
            f"{answer.prompt.sha256[:12] if answer.prompt else '—'}, corpus snapshot "
            f"{answer.retrieval.corpus_snapshot}. **Unverified: check every statement, "
            "dose and number against the sources.**"
        )
        if model.warning:
            st.warning(f"Model identity: {model.warning}.")
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
    """Tick, edit, name, acknowledge every open flag, then save; nothing is written before."""
    k = f"{key}-" if key else ""
    verified = st.checkbox("I verified this answer against the sources", key=f"{k}verified")
    final_text = st.text_area(
        "Final answer (edit before saving)", value=answer.text, key=f"{k}final" if key else None
    )
    verifier = services.verifier_field("Verifier name", f"{k}verifier" if key else "verifier")
    may_verify = services.allowed("verify")
    final_check = (
        services.assistant().verify(final_text, answer.retrieval)
        if final_text.strip() and not answer.not_found
        else None
    )
    acknowledged: list[str] = []
    open_flags = final_check.open_flags if final_check else []
    if open_flags:
        st.markdown("**Open flags on the final text** — edit the text or acknowledge each:")
        for number, flag in open_flags:
            flag_id = flag_key(number, flag)
            label = f"Claim {number}: {flag.message}" if number else flag.message
            if st.checkbox(f"Acknowledge — {label}", key=f"{k}ack-{flag_id}"):
                acknowledged.append(flag_id)
    phi = find_phi(answer.question) + find_phi(final_text)
    override = False
    if phi:
        override = st.checkbox(
            f"Keep the identifiers ({describe(phi)}) in this record — override, audited",
            key=f"{k}phi_override",
        )
    all_acknowledged = len(acknowledged) == len(open_flags)
    can_save = (
        may_verify
        and verified
        and bool(verifier.strip())
        and bool(final_text.strip())
        and all_acknowledged
    )
    if st.button(
        "Save verified answer",
        disabled=not can_save,
        type="primary",
        key=f"{k}save" if key else None,
    ):
        try:
            record_id = services.store().save_verified(
                answer,
                Review(
                    True,
                    verifier,
                    final_text,
                    acknowledged=tuple(acknowledged),
                    phi_override=override,
                ),
                final_check,
                case_id=case_id,
                board_item=board_item,
            )
            st.session_state[f"{k}saved_id"] = record_id
        except OncoGuideError as exc:
            st.error(str(exc))
    if not may_verify:
        st.caption("Saving a verified answer needs the clinician role.")
    elif not verified:
        st.caption(
            "Save stays disabled until you tick the verification box; nothing is written before."
        )
    elif not all_acknowledged:
        st.caption(
            "Save stays disabled until every open flag is acknowledged or fixed in the text."
        )
    if st.session_state.get(f"{k}saved_id"):
        st.success(f"Saved as record {st.session_state[f'{k}saved_id'][:12]}.")
