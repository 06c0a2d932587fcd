"""Process-wide resources shared by every Streamlit session, keyed by the state directory."""

from __future__ import annotations

import getpass

import streamlit as st

from rag.assistant import Assistant
from rag.config import Settings, load_settings
from rag.errors import OncoGuideError
from rag.store import RecordStore


def settings() -> Settings:
    try:
        return load_settings()
    except OncoGuideError as exc:
        st.error(str(exc))
        st.stop()
        raise  # unreachable: st.stop() ends the script run


@st.cache_resource(show_spinner=False)
def _assistant(home: str) -> Assistant:
    return Assistant(load_settings())


@st.cache_resource(show_spinner=False)
def _store(home: str) -> RecordStore:
    return RecordStore(load_settings().records_db)


def assistant() -> Assistant:
    return _assistant(str(settings().home))


def store() -> RecordStore:
    return _store(str(settings().home))


def current_user() -> str:
    """Who acts at this workstation (single-user mode: the operating-system account)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "workstation user"


def ensure_indexed() -> None:
    """On first start, index the bundled guideline corpus with a visible progress bar."""
    helper = assistant()
    cfg = helper.settings
    if helper.index.catalog.chunk_count() > 0 or not cfg.corpus_dir.is_dir():
        return
    bar = st.progress(0.0, text="Indexing the bundled guideline corpus…")

    def show(event):  # type: ignore[no-untyped-def]
        fraction = event.done / max(event.total, 1)
        bar.progress(min(fraction, 1.0), text=f"Indexing {event.done}/{event.total} files")

    helper.ingest([cfg.corpus_dir], progress=show)
    bar.empty()
