"""Source viewer: a passage opened in its own document (PDF page image or section text)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import services
from app.render import literal, literal_html
from rag.errors import OncoGuideError
from rag.retrieval.locate import PageView, SectionView
from rag.types import Chunk, SavedRecord, SavedSource

SECTION_CONTEXT = 3000  # characters of a long section shown either side of the passage
STATE_KEY = "og_viewer"  # {"key": button key, "chunk": Chunk | None, "source": SavedSource | None, "page": int}

VIEWER_CSS = """
.og-section {white-space: pre-wrap; font-size: 0.95rem; line-height: 1.5; max-height: 60vh;
             overflow-y: auto; border: 1px solid #d5dde5; border-radius: 4px;
             padding: 0.6rem 0.8rem; background: #fbfcfd;}
.og-section .og-hit {background: #ffe680; outline: 2px solid #d68c00; border-radius: 2px;}
"""


def view_button(key: str, chunk: Chunk | None = None, source: SavedSource | None = None) -> None:
    """A "View in document" button for a retrieved ``chunk`` or a saved record's ``source``;
    it opens the viewer dialog, which stays open across page turns until it is closed."""
    if st.button("View in document", key=f"view-{key}", icon=":material/find_in_page:"):
        st.session_state[STATE_KEY] = {
            "key": key,
            "chunk": chunk,
            "source": source,
            "page": None,
        }
    state = st.session_state.get(STATE_KEY)
    if state and state["key"] == key:
        _dialog(state)


def saved_sources(record: SavedRecord, key: str) -> None:
    """One line and one "View in document" button per source of a saved record."""
    for source in record.sources:
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.text(source.line)
        with button:
            view_button(f"{key}-{record.record_id[:12]}-{source.rank}", source=source)


def _close() -> None:
    st.session_state.pop(STATE_KEY, None)


def _turn(delta: int | None, page: int) -> None:
    state = st.session_state.get(STATE_KEY)
    if state is not None:
        state["page"] = None if delta is None else page + delta


@st.dialog("Source in its document", width="large", on_dismiss=_close)
def _dialog(state: dict[str, Any]) -> None:
    state = st.session_state.get(STATE_KEY) or state  # page turns rerun the dialog alone
    assistant = services.assistant()
    try:
        chunk = state["chunk"] or assistant.saved_passage(state["source"])
        view = assistant.source_view(chunk, state["page"])
    except OncoGuideError as exc:
        st.error(literal(str(exc)))
        _close_button()
        return
    st.text(chunk.source_label)
    if isinstance(view, PageView):
        if chunk.ocr_confidence is not None:
            st.text(
                "This passage was read by OCR from a scanned page; it is located by reading the "
                "page image again. The image is what to check against."
            )
        _page(view)
    else:
        _section(view)
    st.caption(
        f"Document {chunk.doc_hash[:12]}: the file on disk was checked to be the version that "
        "was indexed."
    )
    _close_button()


def _close_button() -> None:
    if st.button("Close", key="og-viewer-close"):
        _close()
        st.rerun()


def _page(view: PageView) -> None:
    pages = (
        f"page {view.first_page}"
        if view.first_page == view.last_page
        else f"pages {view.first_page}–{view.last_page}"
    )
    if not view.on_passage:
        note = f"The passage is on {pages}; this page is shown without highlight."
    elif view.boxes:
        note = f"Highlighted: the passage ({view.found:.0%} of its text located on this page)."
    else:
        note = (
            "The passage's text was not found on this page's text layer (a scanned page, or "
            "text extracted differently): read the page itself."
        )
    st.text(f"Page {view.page} of {view.pages} · passage on {pages}. {note}")
    previous, back, following = st.columns(3)
    previous.button(
        "◀ Previous page",
        key="og-viewer-prev",
        disabled=view.page <= 1,
        on_click=_turn,
        args=(-1, view.page),
    )
    back.button(
        "Passage page",
        key="og-viewer-back",
        disabled=view.page == view.first_page,
        on_click=_turn,
        args=(None, view.page),
    )
    following.button(
        "Next page ▶",
        key="og-viewer-next",
        disabled=view.page >= view.pages,
        on_click=_turn,
        args=(1, view.page),
    )
    st.image(
        view.png,
        width="stretch",
        caption=f"Page {view.page} of {view.pages}, rendered on this machine",
    )


def _section(view: SectionView) -> None:
    if view.spans:
        st.text(f"Section text with the passage highlighted ({view.found:.0%} located).")
    else:
        st.text("The passage's text was not found in its section; the section is shown as is.")
    if len(view.text) > 2 * SECTION_CONTEXT and view.spans:
        st.text(
            f"A long section: {SECTION_CONTEXT:,} characters either side of the passage are "
            "shown (… marks the cuts)."
        )
    body = "".join(
        f'<span class="og-hit">{literal_html(piece)}</span>' if hit else literal_html(piece)
        for piece, hit in view.pieces(SECTION_CONTEXT)
    )
    st.markdown(
        f'<style>{VIEWER_CSS}</style><div class="og-section">{body}</div>',
        unsafe_allow_html=True,
    )
