"""Claim verification: every verdict and flag on hand-built answers, and the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PROJECT

from rag.assistant import Assistant
from rag.checks.quantities import quantities
from rag.checks.verify import SUPPORTED, UNCITED, UNSUPPORTED, WEAK, split_claims
from rag.cli import main
from rag.config import load_settings
from rag.evaluation.evaluate import load_labelled_claims, score_verifier


@pytest.fixture
def assistant(corpus_home: Path) -> Assistant:
    return Assistant(load_settings())


def check(assistant: Assistant, question: str, text: str):
    retrieval = assistant.retrieve(question)
    return assistant.verify(text, retrieval), retrieval


def kinds(claim) -> set[str]:
    return {f.kind for f in claim.flags}


def rank_of(retrieval, section: str) -> int:
    return next(h.rank for h in retrieval.hits if h.chunk.section == section)


def test_quantities_normalise_units_ranges_and_labels() -> None:
    found = {
        (q.value, q.unit)
        for q in quantities(
            "130 mg/m2 on days 1 to 14, 1,000 micrograms, 40%, stage IIIA, T4, AUC 5, age 45"
        )
    }
    assert {("130", "mg/m²"), ("1", "day"), ("14", "day"), ("1000", "µg"), ("40", "%")} <= found
    assert {("stage iiia", "label"), ("t4", "label"), ("auc 5", "label"), ("45", "year")} <= found


def test_claims_split_sentences_and_list_items_with_markers() -> None:
    claims = split_claims(
        "First claim here [1]. Second one [2, 3].\n- a listed item [1]\n- another listed item"
    )
    assert claims == [
        ("First claim here.", (1,)),
        ("Second one.", (2, 3)),
        ("a listed item", (1,)),
        ("another listed item", ()),
    ]


def test_supported_claim(assistant: Assistant) -> None:
    result, retrieval = check(
        assistant,
        "pegfilgrastim dose",
        "Pegfilgrastim 6 mg is given once per chemotherapy cycle, 24 to 72 hours after chemotherapy [1].",
    )
    (claim,) = result.claims
    assert claim.verdict == SUPPORTED and not claim.flags
    assert result.summary == "1 of 1 claims supported"


def test_wrong_dose_is_flagged(assistant: Assistant) -> None:
    result, _ = check(
        assistant, "pegfilgrastim dose", "Pegfilgrastim 12 mg is given once per cycle [1]."
    )
    (claim,) = result.claims
    assert claim.verdict == UNSUPPORTED
    assert "number_not_in_source" in kinds(claim)
    assert "'12 mg'" in claim.flags[0].message


def test_wrong_age_is_flagged(assistant: Assistant) -> None:
    retrieval = assistant.retrieve("At what age should women start screening mammography?")
    n = rank_of(retrieval, "Recommendation summary")
    result = assistant.verify(
        f"Women aged 45 to 74 years should have mammography every 2 years [{n}].", retrieval
    )
    assert "number_not_in_source" in kinds(result.claims[0])


def test_number_from_another_drug_is_caught(assistant: Assistant) -> None:
    result, _ = check(
        assistant, "What is the daily dose of letrozole?", "Letrozole is given at 20 mg daily [1]."
    )
    claim = result.claims[0]
    assert "number_other_context" in kinds(claim)
    assert "tamoxifen" in claim.flags[0].message


def test_number_only_in_another_source_points_there(assistant: Assistant) -> None:
    retrieval = assistant.retrieve("pegfilgrastim dose")
    other = next(
        h.rank for h in retrieval.hits if h.chunk.doc_id != "asco-myeloid-growth-factors-2015"
    )
    result = assistant.verify(f"Pegfilgrastim 6 mg is given once per cycle [{other}].", retrieval)
    claim = result.claims[0]
    assert "number_other_source" in kinds(claim)
    assert any(f.suggestion == 1 for f in claim.flags)


def test_swapped_citation_gets_the_right_one_suggested(assistant: Assistant) -> None:
    retrieval = assistant.retrieve("At what age should women start screening mammography?")
    right = rank_of(retrieval, "Recommendation summary")
    wrong = next(h.rank for h in retrieval.hits if h.chunk.doc_id != "uspstf-breast-screening-2024")
    result = assistant.verify(
        f"Women aged 40 to 74 years should have screening mammography every 2 years [{wrong}].",
        retrieval,
    )
    claim = result.claims[0]
    assert claim.verdict == UNSUPPORTED
    assert any(
        f.kind in ("wrong_citation", "number_other_source") and f.suggestion == right
        for f in claim.flags
    )


def test_uncited_claim(assistant: Assistant) -> None:
    result, _ = check(
        assistant, "pegfilgrastim dose", "Pegfilgrastim is given once per chemotherapy cycle."
    )
    claim = result.claims[0]
    assert claim.verdict == UNCITED and "uncited" in kinds(claim)
    assert claim.best_source == 1


def test_invalid_citation(assistant: Assistant) -> None:
    result, _ = check(
        assistant, "pegfilgrastim dose", "Pegfilgrastim is given once per chemotherapy cycle [9]."
    )
    assert "invalid_citation" in kinds(result.claims[0])


def test_weak_and_unsupported_without_numbers(assistant: Assistant) -> None:
    result, _ = check(
        assistant,
        "pegfilgrastim dose",
        "Neutrophil recovery is monitored with blood counts [1]. Zebras migrate across the savannah in summer [1].",
    )
    verdicts = [c.verdict for c in result.claims]
    assert verdicts[0] == WEAK  # related to the passage, not stated by it
    assert verdicts[1] == UNSUPPORTED


def test_labelled_claim_set_precision_and_recall(assistant: Assistant) -> None:
    items = load_labelled_claims(PROJECT / "tests" / "data" / "labelled_claims.jsonl")
    assert len(items) >= 60 and sum(i.wrong for i in items) * 2 >= len(items) - 2
    score = score_verifier(assistant, items)
    # Floors a little under the figures in docs/VERIFIER.md: a regression guard, not a target.
    assert score.precision >= 0.9, score
    assert score.recall >= 0.75, score


def test_check_command_json(corpus_home: Path, tmp_path: Path, capsys) -> None:
    answer = tmp_path / "draft.txt"
    answer.write_text(
        "Pegfilgrastim 100 mg/m2 is given every 14 days [1]. It is given 24 to 72 hours after chemotherapy [1]."
    )
    assert (
        main(
            [
                "check",
                "--question",
                "What is the pegfilgrastim dose?",
                "--answer-file",
                str(answer),
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == "1 of 2 claims supported"
    first, second = data["claims"]
    assert first["verdict"] == "unsupported" and first["best_source"] == 1
    assert {f["kind"] for f in first["flags"]} == {"number_not_in_source"}
    assert set(first) == {
        "text",
        "citations",
        "verdict",
        "score",
        "flags",
        "best_source",
        "best_score",
    }
    assert second["verdict"] == "supported"


def test_check_command_missing_file(corpus_home: Path, capsys) -> None:
    assert main(["check", "--question", "q", "--answer-file", "/nonexistent/draft.txt"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_extractive_answer_is_verbatim_and_supported(assistant: Assistant) -> None:
    retrieval = assistant.retrieve("What is the pegfilgrastim dose and when is it given?")
    answer = assistant.evidence(retrieval)
    assert answer.mode == "evidence" and answer.model is None
    for claim, cited in split_claims(answer.text):
        passage = " ".join(retrieval.hits[cited[0] - 1].chunk.text.split())
        assert claim.rstrip(".") in passage
    assert all(c.verdict == SUPPORTED for c in answer.verification.claims)
