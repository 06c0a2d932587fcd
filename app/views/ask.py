"""Ask page: question → answer beside its sources → claim checks → clinician verification → save."""

from __future__ import annotations

import streamlit as st

from app import services
from app.gate import MODES, mode_choice, show_answer, show_sources, verification_gate
from app.render import SOURCE_CSS, literal
from rag.checks.phi import describe, find_phi, redact
from rag.errors import OncoGuideError
from rag.types import Answer

services.require("ask")  # before anything is shown, whatever the navigation offered


st.title("Ask the guidelines")
st.markdown(SOURCE_CSS, unsafe_allow_html=True)

assistant = services.assistant()
cfg = assistant.settings


def run(question: str, top_k: int, mode: str) -> None:
    """Retrieve and draft; a failure is kept (with the request) so the page can offer a retry."""
    for key in ("answer", "saved_id", "verified", "phi_override", "failed"):
        st.session_state.pop(key, None)
    try:
        retrieval = assistant.retrieve(question, top_k)
        left, _ = st.columns([3, 2])
        with left:
            waiting = st.empty()
            shown = st.empty()
            so_far: list[str] = []

            def show_position(ahead: int) -> None:
                waiting.info(
                    f"Waiting for the model: {ahead} request(s) ahead of yours. Answers are "
                    "drafted one at a time, in order of arrival."
                )

            def show_evidence(evidence: Answer) -> None:
                shown.text(evidence.text)
                if MODES[mode] == "auto" and not evidence.not_found:
                    waiting.info(
                        "The model is drafting; it is shown only if it passes every check…"
                    )

            def show_token(token: str) -> None:
                # The draft streams in as text, never as Markdown or HTML.
                waiting.empty()
                so_far.append(token)
                shown.markdown(literal("".join(so_far)))

            st.session_state["answer"] = assistant.answer(
                retrieval,
                MODES[mode],
                on_wait=show_position,
                on_evidence=show_evidence,
                on_token=show_token,
            )
    except OncoGuideError as exc:
        st.session_state["failed"] = (question, top_k, mode, str(exc))


with st.form("ask"):
    question = st.text_area(
        "Question",
        placeholder="e.g. At what age should average-risk women start screening mammography?",
        help="Ask what the guidelines say. Do not enter patient identifiers.",
    )
    top_k = st.slider("Passages to retrieve", 1, 10, cfg.top_k)
    mode = mode_choice(cfg.answer_mode)
    asked = st.form_submit_button("Ask", type="primary")

if asked:
    st.session_state.pop("pending", None)
    if not question.strip():
        st.warning("Type a question first.")
    elif find_phi(question):
        st.session_state["pending"] = (question, top_k, mode)
    else:
        run(question, top_k, mode)
        st.rerun()

pending = st.session_state.get("pending")
if pending:
    text, pending_k, pending_mode = pending
    findings = find_phi(text)
    st.warning(
        f"The question seems to contain patient identifiers ({describe(findings)}). Guideline "
        "questions do not need them. Nothing is sent off this machine, but identifiers are "
        "never written to disk unless you override when saving."
    )
    st.code(redact(text, findings), language=None)
    use_redacted, as_typed = st.columns(2)
    if use_redacted.button("Ask the redacted question", type="primary"):
        st.session_state.pop("pending")
        run(redact(text, findings), pending_k, pending_mode)
        st.rerun()
    if as_typed.button("Ask as typed"):
        st.session_state.pop("pending")
        run(text, pending_k, pending_mode)
        st.rerun()

failed = st.session_state.get("failed")
if failed:
    st.error(f"{literal(failed[3])} Nothing was saved.")
    if st.button("Retry"):
        run(*failed[:3])
        st.rerun()

answer: Answer | None = st.session_state.get("answer")
if answer is not None:
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Draft answer")
        show_answer(answer)
        verification = answer.verification
        if (
            answer.mode == "generated"
            and verification is not None
            and verification.claims
            and verification.has_unsupported
        ):
            st.warning(
                "Some statements are not supported by their sources. An evidence answer uses "
                "only verbatim guideline sentences."
            )
            if st.button("Show the evidence answer instead"):
                st.session_state["answer"] = assistant.answer(answer.retrieval, "evidence")
                st.session_state.pop("verified", None)
                st.rerun()
        st.divider()
        st.subheader("Verification")
        verification_gate(answer)
    with right:
        st.subheader("Sources")
        show_sources(answer)
