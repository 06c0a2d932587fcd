"""Audit trail: every verify, edit, save, export and override, hash-chained; filter and export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import services
from rag.review.audit import ACTIONS, AuditEvent
from rag.review.export import csv_bytes

services.require("audit")  # before anything is shown, whatever the navigation offered

st.title("Audit trail")
store = services.store()
check = store.verify_audit()
if check.ok:
    st.success(
        f"Chain intact: {check.entries} entries; {check.records} saved records match their "
        "entries. Head hash (keep it elsewhere; `oncoguide audit verify --head HASH` checks it):"
    )
    st.code(check.head, language=None)
else:
    st.error("The audit trail has been tampered with:")
    # Problems name record ids read from the database: shown as text, never as Markdown.
    st.code("\n".join(check.problems), language=None)
for note in check.notes:
    st.text(note)

entries = store.audit_entries()
if not entries:
    st.info("No audit entries yet. Saving a verified answer writes the first ones.")
else:
    frame = pd.DataFrame(
        [
            {
                "seq": e["seq"],
                "at": e["at"],
                "actor": e["actor"],
                "action": e["action"],
                "objects": ", ".join(e["object_ids"]),
                "model_sha256": e["model_sha256"],
                "prompt_sha256": e["prompt_sha256"],
                "corpus_snapshot": e["corpus_snapshot"],
                "details": str(e["details"]),
                "entry_hash": e["entry_hash"],
            }
            for e in entries
        ]
    )
    actions = st.multiselect(
        "Actions", ACTIONS, default=[a for a in ACTIONS if a in set(frame["action"])]
    )
    actor = st.text_input("Actor contains")
    shown = frame[frame["action"].isin(actions)]
    if actor.strip():
        shown = shown[shown["actor"].str.contains(actor.strip(), case=False, regex=False)]
    st.dataframe(shown, hide_index=True, width="stretch")
    # Exporting the trail is itself audited when the file is prepared.
    services.audited_download(
        "Export CSV",
        "audit_export",
        lambda: csv_bytes(shown),
        AuditEvent(services.current_user(), "export", ("audit_log",), details={"rows": len(shown)}),
        "oncoguide_audit.csv",
        "text/csv",
        "Download CSV",
    )
