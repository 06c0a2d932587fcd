"""OncoGuide: entry point of the Streamlit app (``oncoguide serve``)."""

from __future__ import annotations

import streamlit as st

from app import services

st.set_page_config(page_title="OncoGuide", page_icon="🩺", layout="wide")

pages = st.navigation(
    [
        st.Page("pages/ask.py", title="Ask the guidelines", default=True),
        st.Page("pages/saved.py", title="Saved answers"),
        st.Page("pages/cases.py", title="Tumour-board cases"),
        st.Page("pages/board.py", title="Board view"),
        st.Page("pages/corpus.py", title="Corpus"),
        st.Page("pages/validation.py", title="Validation"),
        st.Page("pages/audit.py", title="Audit trail"),
    ]
)

with st.sidebar:
    st.markdown("### OncoGuide")
    st.caption(
        "Guideline look-up for clinicians. Answers are drafted by a local language model from "
        "the indexed guidelines and are **unverified** until you check them against the sources. "
        "Not for use as a standalone decision tool. Nothing leaves this machine."
    )

services.ensure_indexed()
pages.run()
