"""Validation: run the gold-set evaluation, watch trends and drift, check equity."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd
import streamlit as st

from app import services
from app.render import literal, literal_label
from rag.config import bundled_path
from rag.evaluation.equity import load_templates, run_equity
from rag.evaluation.evaluate import (
    compare,
    load_gold,
    report_markdown,
    results_frame_rows,
    run_evaluation,
)
from rag.review.export import csv_bytes

services.require("validate")  # before anything is shown, whatever the navigation offered

st.title("Validation")
st.caption(
    "Benchmark OncoGuide against a gold set regularly (ESMO ELCAP: continuous validation), "
    "watch for drift between runs, and check that answers do not change with a patient's "
    "sex, ethnicity or language."
)
assistant = services.assistant()
store = services.store()
corpus = bundled_path("guideline_corpus")

gold_text = st.text_input("Gold set (JSON Lines)", value=str(corpus / "gold.jsonl"))
retrieval_only = st.checkbox(
    "Retrieval only (fast; skips the language model)", value=True, key="retrieval_only"
)
repeat = st.number_input("Answers per question (consistency)", 1, 5, 1, disabled=retrieval_only)
MODES = ("evidence", "generated", "auto")
mode = st.radio(
    "Answer mode measured",
    MODES,
    index=MODES.index(assistant.settings.answer_mode),
    horizontal=True,
    disabled=retrieval_only,
    help="Runs are compared only with earlier runs of the same mode.",
    key="eval_mode",
)
measured = "" if retrieval_only else mode
pin = st.checkbox("Pin this run as the baseline", key="pin")

if st.button("Run evaluation", type="primary"):
    try:
        items = load_gold(Path(gold_text))
    except (OSError, ValueError) as exc:
        st.error(f"Cannot read the gold set: {literal(str(exc))}")
    else:
        bar = st.progress(0.0, text="Starting…")

        def show(done: int, total: int, text: str) -> None:
            bar.progress(
                min(done / max(total, 1), 1.0), text=f"{done}/{total} {literal_label(text[:80])}"
            )

        report = run_evaluation(
            assistant,
            items,
            gold_path=Path(gold_text),
            repeat=int(repeat),
            retrieval_only=retrieval_only,
            progress=show,
            mode=mode,
        )
        report = compare(
            report, store.eval_runs(report.gold_sha256, report.retrieval_only, report.mode)
        )
        store.save_eval_run(report, pin=pin)
        st.session_state["eval_report"] = report
        bar.empty()

report = st.session_state.get("eval_report")
if report is not None:
    st.subheader(f"Run {report.run_id[:12]}")
    for drift in report.drift:
        (st.warning if drift.worse else st.info)("Drift: " + literal(drift.describe()))
    st.dataframe(
        pd.DataFrame([{"metric": k, "value": v} for k, v in report.metrics.items()]),
        hide_index=True,
    )
    st.markdown("**By tag**")
    st.dataframe(pd.DataFrame(report.tags).T, width="stretch")
    failing = report.failing
    st.markdown(f"**Failing questions ({len(failing)})**")
    for r in failing:
        with st.expander(literal_label(f"{r.id}: {r.question}")):
            st.markdown(
                f"First relevant rank: {r.first_rank or '—'} · not found: {r.not_found} · "
                f"key facts: {r.key_fact_coverage if r.key_fact_coverage is not None else '—'}"
            )
            if r.answer:
                st.markdown(f"Answer: {literal(r.answer)}")
            st.markdown(literal("Sources: " + "; ".join(r.sources)) if r.sources else "No sources.")
    rows = pd.DataFrame(results_frame_rows(report))
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        csv_bytes(rows),
        f"oncoguide_eval_{report.run_id[:12]}.csv",
    )
    right.download_button(
        "Download Markdown",
        report_markdown(report).encode(),
        f"oncoguide_eval_{report.run_id[:12]}.md",
    )

runs = store.eval_runs(retrieval_only=retrieval_only, mode=measured)
if runs:
    st.subheader("Trends")
    trend = pd.DataFrame(
        [{"run": f"{r['created_at'][5:16]} {r['run_id'][:4]}", **r["metrics"]} for r in runs]
    ).set_index("run")
    metrics = [
        m
        for m in (
            "recall@5",
            "mrr",
            "ndcg@10",
            "not_found_accuracy",
            "key_fact_coverage",
            "claim_support_rate",
        )
        if m in trend
    ]
    st.line_chart(trend[metrics])
    st.caption(
        "Pinned baseline: "
        + next(
            (f"{r['created_at']} ({r['run_id'][:12]})" for r in reversed(runs) if r["pinned"]),
            "none",
        )
    )

st.subheader("Equity check")
if st.button("Run counterfactual check"):
    templates = load_templates(corpus / "counterfactual.jsonl")
    bar = st.progress(0.0, text="Starting…")
    equity = run_equity(
        assistant,
        templates,
        answers=not retrieval_only,
        progress=lambda d, t, _: bar.progress(min(d / max(t, 1), 1.0), text=f"{d}/{t} variants"),
    )
    bar.empty()
    st.session_state["equity"] = equity
equity = st.session_state.get("equity")
if equity is not None:
    st.dataframe(pd.DataFrame(equity.by_axis).T, width="stretch")
    for warning in equity.warnings:
        st.warning(literal(warning))
    if not equity.warnings:
        st.success("Sources stayed the same across sex, ethnicity, language and age variants.")
    st.download_button(
        "Download equity report (JSON)",
        pd.Series(asdict(equity)).to_json().encode(),
        "oncoguide_equity.json",
    )
