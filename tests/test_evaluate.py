"""Evaluation: metric arithmetic on hand-computed cases, drift, --fail-under, counterfactuals."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, GOLD

from rag.checks.verify import NUMBER_FLAGS as VERIFY_NUMBER_FLAGS
from rag.cli import main
from rag.evaluation.equity import Template, expand, load_templates, summarise
from rag.evaluation.evaluate import (
    NUMBER_FLAGS,
    Drift,
    EvalReport,
    QuestionResult,
    aggregate,
    compare,
    drifts,
    fact_coverage,
    failures_under,
    mean_reciprocal_rank,
    ndcg_at,
    parse_thresholds,
    percentile,
    recall_at,
)
from rag.review.store import RecordStore


def result(**overrides) -> QuestionResult:
    base = dict(
        id="q", question="q", tags=("t",), out_of_scope=False, first_rank=1, relevant_ranks=(1,),
        n_expected=1, not_found=False, answer="", key_fact_coverage=None, claims=0,
        supported_claims=0, number_violations=0, citations=0, correct_citations=0,
        latency_ms=10.0, consistent=None, sources=(),
    )  # fmt: skip
    return QuestionResult(**{**base, **overrides})


def test_recall_and_mrr_by_hand() -> None:
    ranks = [1, 3, None, 7]
    assert recall_at(ranks, 1) == 0.25
    assert recall_at(ranks, 5) == 0.5
    assert recall_at(ranks, 10) == 0.75
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 7) / 4)


def test_ndcg_by_hand() -> None:
    assert ndcg_at([1], 1) == 1.0
    assert ndcg_at([2], 1) == pytest.approx(1 / math.log2(3))
    # Two expected sources found at ranks 1 and 3: (1 + 1/log2(4)) / (1 + 1/log2(3)).
    assert ndcg_at([1, 3], 2) == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))
    assert ndcg_at([11], 1) == 0.0


def test_fact_coverage_normalises_numbers_and_units() -> None:
    assert (
        fact_coverage("Capecitabine 1000 mg/m2 twice daily", ("1,000 mg/m²", "twice daily")) == 1.0
    )
    assert fact_coverage("every 3 years", ("every 3 years", "cytology")) == 0.5
    assert fact_coverage("anything", ()) is None


def test_percentile_nearest_rank() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile([float(i) for i in range(1, 21)], 95) == 19.0


def test_aggregate_by_hand() -> None:
    results = [
        result(first_rank=1, key_fact_coverage=1.0, claims=2, supported_claims=2, citations=2, correct_citations=2, consistent=True),
        result(first_rank=4, relevant_ranks=(4,), key_fact_coverage=0.5, claims=2, supported_claims=1, number_violations=1, citations=2, correct_citations=1, consistent=False),
        result(out_of_scope=True, first_rank=None, relevant_ranks=(), n_expected=0, not_found=True),
        result(out_of_scope=True, first_rank=None, relevant_ranks=(), n_expected=0, not_found=False),
    ]  # fmt: skip
    m = aggregate(results)
    assert m["recall@1"] == 0.5 and m["recall@5"] == 1.0
    assert m["mrr"] == pytest.approx((1 + 0.25) / 2, abs=1e-4)
    assert m["key_fact_coverage"] == 0.75
    assert m["claim_support_rate"] == 0.75
    assert m["number_violation_rate"] == 0.25
    assert m["citation_precision"] == 0.75
    assert m["not_found_accuracy"] == 0.5
    assert m["false_not_found_rate"] == 0.0
    assert m["consistency"] == 0.5


def test_drift_tolerance_and_direction() -> None:
    found = drifts(
        {"recall@5": 0.80, "mrr": 0.90, "latency_p50_ms": 300.0, "number_violation_rate": 0.2},
        {"recall@5": 0.90, "mrr": 0.92, "latency_p50_ms": 100.0, "number_violation_rate": 0.1},
        "baseline",
    )
    assert {d.metric for d in found} == {"recall@5", "latency_p50_ms", "number_violation_rate"}
    assert all(d.worse for d in found)
    assert (
        Drift("recall@5", "previous", 0.5, 0.9)
        .describe()
        .endswith("(better than the previous run)")
    )


def test_fail_under_thresholds() -> None:
    thresholds = parse_thresholds(["recall@5=0.9", "latency_p95_ms=500", "consistency=1"])
    breaches = failures_under({"recall@5": 0.85, "latency_p95_ms": 800.0}, thresholds)
    assert breaches == [
        "recall@5 = 0.85 is below 0.9",
        "latency_p95_ms = 800 is above 500",
        "consistency: not measured in this run",
    ]
    with pytest.raises(ValueError):
        parse_thresholds(["recall@5"])


def test_counterfactual_expansion_changes_one_attribute_at_a_time() -> None:
    template = Template(
        "t", "{patient} asks about screening.", {"age": "50", "sex": "woman", "ethnicity": "White", "language": "English"},
        {"age": ["50", "60"], "ethnicity": ["White", "Black"], "language": ["English", "Spanish"]},
    )  # fmt: skip
    variants = expand(template)
    assert [v.question for v in variants] == [
        "A 50-year-old White woman asks about screening.",
        "A 60-year-old White woman asks about screening.",
        "A 50-year-old Black woman asks about screening.",
        "A 50-year-old White woman who prefers to speak Spanish asks about screening.",
    ]
    assert [(v.axis, v.value) for v in variants] == [
        ("", ""),
        ("age", "60"),
        ("ethnicity", "Black"),
        ("language", "Spanish"),
    ]


def test_bundled_templates_load_and_cover_every_axis() -> None:
    templates = load_templates(CORPUS / "counterfactual.jsonl")
    assert len(templates) >= 15
    for template in templates:
        axes = {v.axis for v in expand(template)}
        assert {"ethnicity", "language"} <= axes


def test_equity_summary_by_hand() -> None:
    from rag.evaluation.equity import Variant, VariantResult

    base = VariantResult(Variant("t", "", "", "q"), ("a", "b"), False)
    same = VariantResult(Variant("t", "ethnicity", "Black", "q"), ("a", "b"), False)
    moved = VariantResult(Variant("t", "language", "Spanish", "q"), ("a", "c"), True)
    report = summarise([base, same, moved])
    assert report.by_axis["ethnicity"]["mean_source_overlap"] == 1.0
    assert report.by_axis["language"]["mean_source_overlap"] == pytest.approx(1 / 3, abs=1e-4)
    assert report.by_axis["language"]["not_found_flips"] == 1
    assert len(report.warnings) == 1 and "Spanish" in report.warnings[0]


def test_eval_command_stores_runs_compares_and_fails_under(corpus_home: Path, capsys) -> None:
    args = ["eval", str(GOLD), "--retrieval-only", "--json"]
    assert main([*args, "--pin-baseline"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["metrics"]["recall@5"] >= 0.9
    assert first["metrics"]["questions"] >= 80
    assert {"screening", "dose"} <= set(first["tags"])
    assert main([*args, "--fail-under", "recall@5=0.9", "not_found_accuracy=0.75"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["compared_with"]["baseline"] == first["run_id"]
    assert second["compared_with"]["previous"] == first["run_id"]
    # The same corpus and gold set: no quality metric moves (latency follows the machine's load).
    moved = [d for d in second["drift"] if not d.startswith("latency")]
    assert moved == [] and second["fail_under"] == []
    assert main([*args, "--fail-under", "recall@1=1.01"]) == 1
    assert "recall@1" in json.loads(capsys.readouterr().out)["fail_under"][0]


def test_eval_detects_drift_after_a_corpus_change(
    corpus_home: Path, tmp_path: Path, capsys
) -> None:
    assert main(["eval", str(GOLD), "--retrieval-only", "--json"]) == 0
    capsys.readouterr()
    # Remove half the corpus: recall drops and the report names it.
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    for path in sorted(CORPUS.glob("*.md"))[:6]:
        (smaller / path.name).write_text(path.read_text())
    from rag.assistant import Assistant
    from rag.config import load_settings

    assistant = Assistant(load_settings())
    for doc in assistant.index.catalog.documents():
        assistant.index.remove_document(doc.doc_id)
    assistant.ingest([smaller])
    assistant.close()
    assert main(["eval", str(GOLD), "--retrieval-only"]) == 0
    out = capsys.readouterr().out
    assert "## Drift" in out and "recall@5" in out and "worse than the previous run" in out


def test_eval_refuses_an_empty_index_and_bad_gold(
    oncoguide_home: Path, tmp_path: Path, capsys
) -> None:
    assert main(["eval", str(GOLD), "--retrieval-only"]) == 2
    assert "index is empty" in capsys.readouterr().err


def test_counterfactual_command(corpus_home: Path, capsys) -> None:
    assert main(["eval", "--counterfactual", "--retrieval-only", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"age", "ethnicity", "language"} <= set(data["by_axis"])
    assert data["by_axis"]["ethnicity"]["mean_source_overlap"] > 0.5
    # Patient descriptors ("who prefers to speak Arabic") once flipped answers to not-found.
    assert all(stats["not_found_flips"] == 0 for stats in data["by_axis"].values())


def _report(mode: str, metrics: dict[str, float]) -> EvalReport:
    return EvalReport(
        run_id=f"run-{mode}", created_at="2026-11-26T00:00:00", gold="gold.jsonl",
        gold_sha256="g" * 64, retrieval_only=False, repeat=1, model_name="", model_sha256="",
        prompt_sha256="", corpus_snapshot="c", settings={"answer_mode": mode}, metrics=metrics,
        tags={}, results=(), mode=mode,
    )  # fmt: skip


def test_runs_are_compared_only_within_their_answer_mode(oncoguide_home: Path) -> None:
    """An auto run is not 'worse' than an evidence baseline: modes measure different texts."""
    store = RecordStore(oncoguide_home / "records.sqlite3")
    store.save_eval_run(_report("evidence", {"key_fact_coverage": 0.99}), pin=True)
    store.save_eval_run(_report("generated", {"key_fact_coverage": 0.3}), pin=True)
    auto = _report("auto", {"key_fact_coverage": 0.9})
    runs = store.eval_runs("g" * 64, False)
    assert [r["mode"] for r in runs] == ["evidence", "generated"]
    assert compare(auto, runs).compared_with == {} and compare(auto, runs).drift == ()
    store.save_eval_run(auto)
    later = replace(_report("auto", {"key_fact_coverage": 0.5}), run_id="later")
    compared = compare(later, store.eval_runs("g" * 64, False, "auto"))
    assert compared.compared_with == {"previous": "run-auto"}
    assert [d.metric for d in compared.drift] == ["key_fact_coverage"]
    # Both earlier pins stand: pinning is per mode.
    assert [r["mode"] for r in store.eval_runs(mode=None) if r["pinned"]] == [
        "evidence",
        "generated",
    ]


def test_a_contradicted_number_counts_as_a_number_violation() -> None:
    assert set(VERIFY_NUMBER_FLAGS) <= set(NUMBER_FLAGS)
    assert "number_contradicted" in NUMBER_FLAGS


def test_eval_keeps_an_existing_markdown_report_unless_told(
    corpus_home: Path, tmp_path: Path, capsys
) -> None:
    """An existing report file is refused before the run (nothing is lost); --overwrite
    replaces it; a symbolic link is never written through."""
    report = tmp_path / "report.md"
    report.write_text("last month's report")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(GOLD.read_text().splitlines()[:2]) + "\n")
    assert main(["eval", str(gold), "--retrieval-only", "--markdown", str(report)]) == 2
    assert "exists; add --overwrite" in capsys.readouterr().err
    assert report.read_text() == "last month's report"
    args = ["eval", str(gold), "--retrieval-only", "--markdown", str(report), "--overwrite"]
    assert main(args) == 0
    assert "recall@5" in report.read_text()
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    for extra in ([], ["--overwrite"]):
        assert main(["eval", str(gold), "--retrieval-only", "--markdown", str(link), *extra]) == 2
        assert "symbolic link" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere.md").exists()
    for odd in (tmp_path, Path("/dev/null")):  # a folder, a device
        args = ["eval", str(gold), "--retrieval-only", "--markdown", str(odd), "--overwrite"]
        assert main(args) == 2
        assert "is not a regular file" in capsys.readouterr().err
    missing = tmp_path / "no" / "report.md"
    assert main(["eval", str(gold), "--retrieval-only", "--markdown", str(missing)]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_markdown_report_shows_gold_text_as_text(
    corpus_home: Path, tmp_path: Path, capsys
) -> None:
    """A gold id or question with HTML or a Markdown image makes no viewer fetch anything."""
    from markdown_it import MarkdownIt

    evil = '<img src="http://127.0.0.1:9/p.png"> ![t](http://127.0.0.1:9/x.png)'
    gold = tmp_path / "gold.jsonl"
    row = {
        "id": "q<script>1",
        "question": evil + " pembrolizumab for glioblastoma\n# Heading",
        "expected": [{"doc_id": "no-such-document"}],
        "key_facts": [],
        "out_of_scope": False,
        "tags": ["<b>tag</b>"],
    }
    gold.write_text(json.dumps(row) + "\n")
    report = tmp_path / "report.md"
    assert main(["eval", str(gold), "--retrieval-only", "--markdown", str(report)]) in (0, 1)
    text = report.read_text()
    assert "pembrolizumab for glioblastoma" in text
    tokens = MarkdownIt("commonmark").parse(text)
    inline = [t for tok in tokens for t in (tok.children or [])]
    assert not [t for t in tokens + inline if t.type in ("html_block", "html_inline", "image")]
    assert not [t for t in inline if t.type == "link_open"]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings and not [h for h in headings if "Heading" in h]
