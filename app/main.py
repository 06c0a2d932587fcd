"""OncoGuide: entry point of the Streamlit app (``oncoguide serve``).

The page scripts live in ``app/views`` (not ``app/pages``): Streamlit serves a ``pages``
folder beside the entry script by itself, without running this script or its sign-in."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app import services
from app.auth import sign_in

st.set_page_config(page_title="OncoGuide", page_icon="🩺", layout="wide")

# Each page and the permission it needs (rag.review.access.PERMISSIONS); a page a role lacks is
# absent. Each page also checks its permission itself (services.require).
PAGES = [
    ("views/ask.py", "Ask the guidelines", "ask"),
    ("views/saved.py", "Saved answers", "read"),
    ("views/cases.py", "Tumour-board cases", "ask"),
    ("views/board.py", "Board view", "read"),
    ("views/corpus.py", "Corpus", "corpus"),
    ("views/validation.py", "Validation", "validate"),
    ("views/audit.py", "Audit trail", "audit"),
]


def _signed_out() -> None:
    """Every address shows only the sign-in form drawn above; no page script runs."""


user = sign_in()
if user is None:
    # st.navigation runs on every script run, signed in or not, so Streamlit never falls back
    # to serving page files by their address. Each address stays put and opens its page after
    # sign-in.
    st.navigation(
        [st.Page(_signed_out, title="Sign in", default=True)]
        + [st.Page(_signed_out, title="Sign in", url_path=Path(path).stem) for path, _, _ in PAGES],
        position="hidden",
    )
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the script run

pages = st.navigation(
    [
        st.Page(path, title=title, url_path=Path(path).stem)
        for path, title, needs in PAGES
        if user.can(needs)
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
