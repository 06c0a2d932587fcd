"""Corpus: indexed documents, uploads, re-indexing with progress and per-file errors."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import services
from app.render import literal, literal_label
from rag.errors import OncoGuideError
from rag.ingest.parse import SUPPORTED_SUFFIXES

services.require("corpus")  # before anything is shown, whatever the navigation offered

st.title("Corpus")
assistant = services.assistant()
cfg = assistant.settings

rows = assistant.document_rows()
st.caption(
    f"{len(rows)} documents · {assistant.chunk_count()} passages · corpus snapshot "
    f"{assistant.snapshot()}"
)
if rows:
    st.dataframe(
        pd.DataFrame(rows)[
            [
                "title",
                "publisher",
                "year",
                "version",
                "status",
                "chunks",
                "pages",
                "kind",
                "doc_id",
                "doc_hash",
                "source_url",
                "path",
                "indexed_at",
            ]
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader("Add guidelines")
uploads = st.file_uploader(
    "PDF, Markdown, text, web page (HTML) or Word (DOCX) files",
    type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
    accept_multiple_files=True,
)
if st.button("Re-index", type="primary"):
    refused = []
    for upload in uploads or []:
        try:
            assistant.add_upload(upload.name, upload.getvalue())
        except OncoGuideError as exc:  # this file is left out, with its reason; others go on
            refused.append(str(exc))
    st.session_state["upload_refused"] = refused
    bar = st.progress(0.0, text="Starting…")

    def show(event):  # type: ignore[no-untyped-def]
        fraction = min(event.done / max(event.total, 1), 1.0)
        if event.stage == "sentences":
            text = f"Preparing sentence vectors {event.done}/{event.total}"
        else:
            text = f"{event.done}/{event.total} {literal_label(event.path.rsplit('/', 1)[-1])}"
        bar.progress(fraction, text=text)

    try:
        report = assistant.ingest([cfg.corpus_dir, cfg.uploads_dir], progress=show)
        st.session_state["ingest_report"] = report
    except OncoGuideError as exc:
        st.error(literal(str(exc)))
    st.rerun()

for reason in st.session_state.get("upload_refused", []):
    st.error(literal(f"Upload not kept: {reason}"))
report = st.session_state.get("ingest_report")
if report is not None:
    skipped = [f for f in report.files if f.status == "skipped"]
    st.success(
        f"Added {report.count('added')}, updated {report.count('updated')}, unchanged "
        f"{report.count('unchanged')}, removed {report.count('removed')}, skipped {len(skipped)}."
    )
    for item in skipped:
        st.error(literal(f"{item.path.rsplit('/', 1)[-1]}: {item.reason}"))
    for item in report.files:
        for warning in item.warnings:
            st.warning(literal(f"{item.path.rsplit('/', 1)[-1]}: {warning}"))
    for note in report.notes:
        st.warning(literal(note))
