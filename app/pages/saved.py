"""Saved answers: every record a clinician verified, searchable, downloadable as CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import services
from rag.audit import AuditEvent

st.title("Saved answers")
st.caption("Only answers a clinician verified against their sources appear here.")

search = st.text_input("Search question, answer, verifier or source")
records = services.store().records(search)
if not records:
    st.info("No saved answers yet." if not search else "No saved answer matches.")
else:
    frame = pd.DataFrame(
        [
            {
                "verified_at": r["verified_at"],
                "verifier": r["verifier"],
                "question": r["question"],
                "final_answer": r["final_answer"],
                "generated_answer": r["generated_answer"],
                "sources": "; ".join(
                    f"[{s['rank']}] {s['title']} · {s['section']}"
                    + (f" · p. {s['page']}" if s["page"] else "")
                    + f" (doc {s['doc_hash'][:12]})"
                    for s in r["sources"]
                ),
                "model": r["model_name"],
                "model_sha256": r["model_sha256"],
                "prompt_sha256": r["prompt_sha256"],
                "corpus_snapshot": r["corpus_snapshot"],
                "verification": r["verification"].get("summary", ""),
                "disclosure": r["disclosure"],
                "record_id": r["record_id"],
            }
            for r in records
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    # Every export is audited when it is prepared; the file carries each record's disclosure.
    if st.button("Export CSV"):
        services.store().log(
            AuditEvent(
                services.current_user(),
                "export",
                tuple(frame["record_id"]),
                details={"format": "csv", "rows": len(frame)},
            )
        )
        st.session_state["saved_export"] = frame.to_csv(index=False).encode("utf-8")
    if "saved_export" in st.session_state:
        st.download_button(
            "Download CSV",
            st.session_state["saved_export"],
            file_name="oncoguide_saved_answers.csv",
            mime="text/csv",
        )
