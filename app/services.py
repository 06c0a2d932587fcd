"""Process-wide resources shared by every Streamlit session, keyed by the state directory."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.render import literal
from rag.assistant import Assistant
from rag.config import Settings, load_settings
from rag.errors import OncoGuideError
from rag.review.access import User, workstation_user
from rag.review.audit import AuditEvent
from rag.review.store import RecordStore

USER_KEY = "og_user"  # the signed-in rag.review.access.User of this session (app.auth)


def settings() -> Settings:
    try:
        return load_settings()
    except OncoGuideError as exc:
        st.error(literal(str(exc)))
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


def user() -> User:
    """Who uses this session: with sign-in on, the signed-in account (a page run without one
    stops here, showing nothing); with sign-in off, the workstation's operating-system
    account with every role."""
    if not settings().sign_in:
        return workstation_user()
    who = st.session_state.get(USER_KEY)
    if isinstance(who, User):
        return who
    st.error("Sign in first.")
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the script run


def require(action: str) -> User:
    """The user of this session, who may do ``action``; otherwise the page stops here.
    Every page calls it first, whatever the navigation offered."""
    who = user()
    if not who.can(action):
        st.error("Your role does not open this page.")
        st.stop()
    return who


def current_user() -> str:
    """The name recorded as actor and verifier."""
    return user().name


def allowed(action: str) -> bool:
    return user().can(action)


def verifier_field(label: str, key: str) -> str:
    """The verifier of record: typed in single-user mode, the signed-in user otherwise."""
    if settings().sign_in:
        st.text_input(label, value=current_user(), disabled=True, key=f"{key}-signed")
        return current_user()
    return st.text_input(label, key=key)


def audited_download(
    prepare_label: str,
    key: str,
    make: Callable[[], bytes],
    event: AuditEvent,
    file_name: str,
    mime: str,
    download_label: str = "Download",
    variant: str = "",
) -> None:
    """Two steps: preparing the file appends the export to the audit trail, then it downloads.
    ``variant`` (e.g. the format) keeps one prepared file per variant behind one button."""
    data_key = f"{key}-{variant}" if variant else key
    if not allowed("export"):
        st.caption("Exports need the clinician or reviewer role.")
        return
    if st.button(prepare_label, key=f"{key}-prepare"):
        store().log(event)
        st.session_state[data_key] = make()
    if data_key in st.session_state:
        st.download_button(
            download_label, st.session_state[data_key], file_name=file_name, mime=mime
        )


def ensure_indexed() -> None:
    """On first start, index the bundled guideline corpus with a visible progress bar."""
    helper = assistant()
    cfg = helper.settings
    if helper.chunk_count() > 0 or not cfg.corpus_dir.is_dir():
        return
    bar = st.progress(0.0, text="Indexing the bundled guideline corpus…")

    def show(event):  # type: ignore[no-untyped-def]
        fraction = min(event.done / max(event.total, 1), 1.0)
        if event.stage == "sentences":
            bar.progress(fraction, text=f"Preparing sentence vectors {event.done}/{event.total}")
        else:
            bar.progress(fraction, text=f"Indexing {event.done}/{event.total} files")

    helper.ingest([cfg.corpus_dir], progress=show)
    bar.empty()
