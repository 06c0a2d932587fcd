"""OncoGuide: entry point of the Streamlit app (``oncoguide serve``)."""

from __future__ import annotations

import streamlit as st

from app import services
from app.auth import sign_in

st.set_page_config(page_title="OncoGuide", page_icon="🩺", layout="wide")

user = sign_in()

# Each page and the permission it needs (rag.review.access.PERMISSIONS); a page a role lacks is absent.
PAGES = [
    ("pages/ask.py", "Ask the guidelines", "ask"),
    ("pages/saved.py", "Saved answers", "read"),
    ("pages/cases.py", "Tumour-board cases", "ask"),
    ("pages/board.py", "Board view", "read"),
    ("pages/corpus.py", "Corpus", "corpus"),
    ("pages/validation.py", "Validation", "validate"),
    ("pages/audit.py", "Audit trail", "audit"),
]
pages = st.navigation(
    [st.Page(path, title=title) for path, title, needs in PAGES if user.can(needs)]
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
