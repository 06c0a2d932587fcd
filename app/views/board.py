"""Board view: one case per screen, large type for the projector."""

from __future__ import annotations

import streamlit as st

from app import services
from app.render import literal, literal_html
from app.viewer import saved_sources
from rag.review.export import build_packet

services.require("read")  # before anything is shown, whatever the navigation offered

st.markdown(
    """<style>
.og-board {font-size: 1.35rem; line-height: 1.6;}
.og-board h3 {font-size: 1.6rem; margin-top: 1.4rem;}
.og-board .og-src {font-size: 1.0rem; color: #44515e;}
.og-board .og-disc {font-size: 0.9rem; color: #5d6d7e;}
</style>""",
    unsafe_allow_html=True,
)
store = services.store()
cases = store.cases()
if not cases:
    st.title("Board view")
    st.info("No active cases.")
    st.stop()
by_id = {c.case_id: c for c in cases}
case_id = st.selectbox(
    "Case", list(by_id), format_func=lambda i: by_id[i].label, label_visibility="collapsed"
)
packet = build_packet(store, case_id)
case = packet.case
st.title(literal(case.label))
st.markdown(
    f"**{literal(case.cancer_type)}** · {literal(case.stage or 'stage —')} · "
    f"{literal(case.findings or '')}  \n**Question for the board:** "
    f"{literal(case.board_question or '—')}"
)
parts = ['<div class="og-board">']
for record in packet.records:
    sources = "<br>".join(literal_html(s.line) for s in record.sources)
    parts.append(
        f"<h3>{literal_html(record.question)}</h3><p>{literal_html(record.final_answer)}</p>"
        f'<p class="og-src">{sources}</p>'
        f'<p class="og-disc">{literal_html(record.disclosure)}</p>'
    )
if not packet.records:
    parts.append("<p>No verified answers yet.</p>")
parts.append("<h3>Open points</h3><ul>")
parts += [f"<li>{literal_html(p)}</li>" for p in packet.open_points] or ["<li>none</li>"]
parts.append("</ul></div>")
st.markdown("".join(parts), unsafe_allow_html=True)
if packet.records:
    with st.expander("Open a source in its document"):
        for record in packet.records:
            st.text(record.question)
            saved_sources(record, "board")
