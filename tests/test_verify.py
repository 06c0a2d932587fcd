"""Claim verification: every verdict and flag on hand-built answers, and the labelled set."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PROJECT

from rag.assistant import Assistant
from rag.checks.abbreviations import regimens
from rag.checks.quantities import quantities
from rag.checks.verify import (
    CONTRADICTED,
    SUPPORTED,
    UNCITED,
    UNSUPPORTED,
    WEAK,
    Verifier,
    _cell_units,
    _comparison_inconsistent,
    _negations,
    claim_sentences,
    grades,
    noninferiority,
    significance,
    split_claims,
    stances,
)
from rag.cli import main
from rag.config import load_settings
from rag.evaluation.evaluate import load_labelled_claims, score_verifier
from rag.types import Chunk, Hit


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
    # 45 is not the passage's age (40): unsupported, or contradicted by the passage's own value.
    assert kinds(result.claims[0]) & {"number_not_in_source", "number_contradicted"}


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
        "note",
        "support_source",
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


# Issue 11: claim checks on guideline and trial-report text -----------------------------

SYNTHETIC = PROJECT / "tests" / "data" / "verifier_corpus"


@pytest.fixture(scope="session")
def synthetic_template(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Path:
    """A state directory with the bundled corpus and the synthetic trial-report corpus."""
    home = tmp_path_factory.mktemp("synthetic") / "home"
    assistant = Assistant(load_settings(home=home, model_cache_dir=model_cache))
    report = assistant.ingest([PROJECT / "guideline_corpus", SYNTHETIC])
    assert report.count("skipped") == 0, report
    assistant.close()
    return home


@pytest.fixture
def trials(synthetic_template: Path, oncoguide_home: Path) -> Assistant:
    import shutil

    shutil.copytree(synthetic_template, oncoguide_home)
    return Assistant(load_settings())


def judge(assistant: Assistant, question: str, text: str, unmarked: bool = True):
    retrieval = assistant.retrieve(question)
    return assistant.verifier.verify(text, retrieval.hits, judge_unmarked=unmarked), retrieval


def test_statistics_stay_in_one_claim_and_clauses_keep_their_markers() -> None:
    text = (
        "Median OS was 30.0 months (95% CI, 18.3 to not reached) vs. 14.2 months "
        "(HR 0.63; 95% CI, 0.47–0.86; P = .002) [2]. Febrile neutropenia occurred in 16% vs 10% "
        "of patients; primary G-CSF prophylaxis may be considered with this regimen [3]."
    )
    claims = split_claims(text)
    assert claims == [
        (
            "Median OS was 30.0 months (95% CI, 18.3 to not reached) vs. 14.2 months "
            "(HR 0.63; 95% CI, 0.47–0.86; P = .002).",
            (2,),
        ),
        ("Febrile neutropenia occurred in 16% vs 10% of patients.", (3,)),
        ("primary G-CSF prophylaxis may be considered with this regimen.", (3,)),
    ]
    # A semicolon inside a result is not a claim boundary.
    (one,) = split_claims("The median DOR was 28.6 months; 95% CI, 20.4–36.1 [1].")
    assert one[1] == (1,)


def test_a_cross_reference_or_a_lone_number_stays_with_the_statement_before_it(
    trials: Assistant,
) -> None:
    """A drug label's "(2.3, 7)" after its sentence is no claim of its own (it was read as two
    numbers and flagged on the label's own line); a number left alone is still checked."""
    line = (
        "CYP3A Inhibitors: Reduce zanorutinib dosage as described in the full prescribing "
        "information. (2.3, 7)"
    )
    assert split_claims(line) == [(line, ())]
    hits = passages(line, "Cisplatin 75 mg/m2 on day 1 every 3 weeks.")
    assert both_settings_supported(trials, line, hits)
    (alone,) = split_claims("Give cisplatin 75 mg/m2 on day 1 [2]. 90.")
    assert alone == ("Give cisplatin 75 mg/m2 on day 1. 90.", (2,))
    for unmarked in (False, True):
        text = "Give cisplatin 75 mg/m2 on day 1 [2]. 90." if not unmarked else alone[0]
        (claim,) = trials.verifier.verify(text, hits, judge_unmarked=unmarked).claims
        assert claim.verdict != SUPPORTED and "number_not_in_source" in kinds(claim), claim


def test_recommendation_flipped_is_contradicted_whatever_the_similarity(
    assistant: Assistant,
) -> None:
    """The known failure: the passage says routine CSF is NOT recommended there."""
    question = "Should G-CSF be given for neutropenia without fever?"
    retrieval = assistant.retrieve(question)
    n = rank_of(retrieval, "When not to use CSF")
    draft = (
        "G-CSF prophylaxis is recommended for patients with neutropenia but no fever, or as an "
        f"adjunct to antibiotics in uncomplicated febrile neutropenia [{n}]."
    )
    for text, unmarked in ((draft, False), (strip_markers(draft), True)):
        result = assistant.verifier.verify(text, retrieval.hits, judge_unmarked=unmarked)
        (claim,) = result.claims
        assert claim.verdict == CONTRADICTED, claim
        assert "polarity_contradicted" in kinds(claim)
        assert result.summary == "0 of 1 claims supported"
    right = f"Routine CSF is not recommended for patients with neutropenia but no fever [{n}]."
    (claim,) = assistant.verify(right, retrieval).claims
    assert claim.verdict == SUPPORTED and not claim.flags


def strip_markers(text: str) -> str:
    import re

    return re.sub(r"\s*\[\d+\]", "", text)


def test_grade_flipped_is_contradicted(trials: Assistant) -> None:
    question = "Is PSA screening recommended for men 70 and older?"
    right = "PSA-based screening is not recommended for men 70 years and older (grade D)."
    result, _ = judge(trials, question, right)
    assert result.claims[0].verdict == SUPPORTED, result.claims
    result, _ = judge(trials, question, right.replace("grade D", "grade C"))
    assert "grade_contradicted" in kinds(result.claims[0])
    assert result.claims[0].verdict == CONTRADICTED


def test_strength_flipped_is_contradicted(trials: Assistant) -> None:
    question = "Should endocrine therapy be extended to 10 years?"
    right = "Extended therapy to a total of 10 years may be considered for patients with node-positive disease."
    assert judge(trials, question, right)[0].claims[0].verdict == SUPPORTED
    wrong, _ = judge(trials, question, right.replace("may be considered", "is recommended"))
    assert "polarity_contradicted" in kinds(wrong.claims[0])


def test_verbatim_trial_sentences_with_statistics_are_supported(trials: Assistant) -> None:
    sentences = [
        (
            "What were the results of adjuvant osimertinib?",
            "The median disease-free survival was not reached with osimertinib vs 19.6 months "
            "with placebo (HR 0.20; 95% CI, 0.14–0.30; P < 0.001).",
        ),
        (
            "What were the results of adjuvant osimertinib?",
            "In a randomised, double-blind, placebo-controlled phase III trial, 682 patients with "
            "completely resected EGFR-mutated (exon 19 deletion or L858R) stage IB to IIIA NSCLC "
            "were assigned in a 1:1 ratio to osimertinib 80 mg once daily or placebo for up to 3 years.",
        ),
        (
            "Panitumumab vs bevacizumab overall survival left-sided?",
            "In the phase III comparison, median overall survival was 36.2 months with "
            "panitumumab plus mFOLFOX6 vs 31.3 months with bevacizumab plus mFOLFOX6 in "
            "left-sided tumours (HR 0.82; 95.798% CI, 0.68–0.99).",
        ),
    ]
    for question, sentence in sentences:
        result, _ = judge(trials, question, sentence)
        assert [c.verdict for c in result.claims] == [SUPPORTED], result.claims
        assert not result.open_flags


def test_number_moved_to_another_drug_is_caught(trials: Assistant) -> None:
    question = "What is the adjuvant regimen for nonsquamous NSCLC?"
    wrong = "For nonsquamous histology, pemetrexed 75 mg/m2 plus cisplatin 500 mg/m2 on day 1 every 21 days is the preferred regimen."
    result, _ = judge(trials, question, wrong)
    assert result.claims[0].verdict in (UNSUPPORTED, CONTRADICTED)
    assert "number_other_context" in kinds(result.claims[0])


def test_trial_arms_swapped_are_caught(trials: Assistant) -> None:
    question = "What was 5-year survival with durvalumab?"
    right = "The 5-year overall survival rate was 42.9% with durvalumab and 33.4% with placebo."
    assert judge(trials, question, right)[0].claims[0].verdict == SUPPORTED
    wrong, _ = judge(
        trials,
        question,
        "The 5-year overall survival rate was 33.4% with durvalumab and 42.9% with placebo.",
    )
    assert wrong.claims[0].verdict != SUPPORTED and wrong.claims[0].flags


def test_dose_paired_with_the_wrong_day_is_caught(trials: Assistant) -> None:
    # the passages that give aprepitant's schedule, however other documents (a product label's
    # "Posology") rank for the question: the point is the pairing, not retrieval
    hits = [
        h
        for h in trials.retrieve("What is the aprepitant dose?", top_k=10).hits
        if "aprepitant" in h.chunk.text.lower()
    ]
    assert hits
    right = "Aprepitant is given at 125 mg orally on day 1, then 80 mg on days 2 and 3."
    assert trials.verifier.verify(right, hits, judge_unmarked=True).claims[0].verdict == SUPPORTED
    wrong = "Aprepitant is given at 80 mg orally on day 1, then 125 mg on days 2 and 3."
    assert trials.verifier.verify(wrong, hits, judge_unmarked=True).claims[0].flags


RAMUCIRUMAB = "What is the dose of ramucirumab with docetaxel?"
RIGHT_ANSWER = (
    "Docetaxel 75 mg/m2 with ramucirumab 10 mg/kg on day 1 of a 21-day cycle may be considered "
    "after progression on platinum-based chemotherapy and immunotherapy.\n"
    "Febrile neutropenia occurred in 16% vs 10% of patients."
)


def test_check_on_an_unmarked_right_answer_has_no_failure_flags(trials: Assistant) -> None:
    result, retrieval = judge(trials, RAMUCIRUMAB, RIGHT_ANSWER)
    assert [c.verdict for c in result.claims] == [SUPPORTED, SUPPORTED], result.claims
    assert not result.open_flags and not result.has_unsupported
    for claim in result.claims:
        assert claim.citations == () and claim.note.startswith("not cited; passage [")
        source = retrieval.hits[claim.support_source - 1].chunk
        assert source.doc_id == "synthetic-nsclc-trials"


def test_check_on_an_unmarked_wrong_answer_names_the_passage_with_the_right_value(
    trials: Assistant,
) -> None:
    # 12 mg/kg: the gastric document gives ramucirumab 8 mg/kg (with paclitaxel), so 8 would
    # be a value of the same drug in another regimen, not one no passage gives.
    wrong_answer = RIGHT_ANSWER.replace("ramucirumab 10 mg/kg", "ramucirumab 12 mg/kg")
    result, retrieval = judge(trials, RAMUCIRUMAB, wrong_answer)
    first, second = result.claims
    assert first.verdict == CONTRADICTED and second.verdict == SUPPORTED
    flag = next(f for f in first.flags if f.kind == "number_contradicted")
    assert "10 mg/kg" in flag.message and "12 mg/kg" in flag.message
    assert "ramucirumab 10 mg/kg" in retrieval.hits[flag.suggestion - 1].chunk.text
    assert result.summary == "1 of 2 claims supported"


def run_check_json(tmp_path: Path, capsys, question: str, answer: str) -> dict:
    path = tmp_path / "draft.txt"
    path.write_text(answer, encoding="utf-8")
    assert main(["check", "--question", question, "--answer-file", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_check_command_json_on_unmarked_answers(trials: Assistant, tmp_path: Path, capsys) -> None:
    question = "What is the pegfilgrastim dose?"
    right = run_check_json(
        tmp_path,
        capsys,
        question,
        "Pegfilgrastim 6 mg is given once per cycle, not less than 14 days before the next dose of chemotherapy.",
    )
    (claim,) = right["claims"]
    assert claim["verdict"] == "supported" and claim["flags"] == []
    assert claim["note"].startswith("not cited; passage [")
    assert right["flagged_claims"] == 0 and right["contradicted"] == 0

    wrong = run_check_json(
        tmp_path,
        capsys,
        question,
        "Pegfilgrastim 12 mg is given once per cycle, not less than 14 days before the next dose of chemotherapy.",
    )
    (claim,) = wrong["claims"]
    assert claim["verdict"] == "contradicted"
    flag = next(f for f in claim["flags"] if f["kind"] == "number_contradicted")
    source = wrong["sources"][flag["suggestion"] - 1]
    assert "Pegfilgrastim 6 mg" in source["text"] or "Pegfilgrastim: 6 mg" in source["text"]
    assert wrong["flagged_claims"] == 1


@pytest.mark.slow
def test_labelled_trial_claims_held_out(trials: Assistant) -> None:
    """The held-out part of the labelled set (not used to tune): floors a little under the
    figures in docs/VERIFIER.md, in both settings."""
    from rag.evaluation.claims import load_items, score_claims

    items = load_items(PROJECT / "tests" / "data" / "verifier_claims.jsonl", "heldout")
    items += load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout2.jsonl")
    assert len(items) >= 200
    for setting in ("cited", "unmarked"):
        score = score_claims(trials, items, setting)
        caught, wrong = score.share_flagged(True)
        alarms, right = score.share_flagged(False)
        assert caught / wrong >= 0.8, (setting, score.by_kind())
        assert alarms / right <= 0.1, setting


# Failure kinds of the third held-out set and of the second's false alarms ----------------


def passages(*texts: str, caption: str = "", section: str = "Section") -> list[Hit]:
    """Hits over hand-written passages: the point is the passage's wording, not retrieval."""
    return [
        Hit(
            Chunk(
                f"c{n}",
                "doc",
                "h",
                "Guideline",
                (section,),
                None,
                0,
                len(t),
                t,
                n,
                caption=caption,
            ),
            n,
            1.0,
            None,
            None,
        )
        for n, t in enumerate(texts, start=1)
    ]


def verdict_of(assistant: Assistant, claim: str, hits: list[Hit], cite: int | None = 1):
    text = f"{claim.rstrip('.')} [{cite}]." if cite else claim
    (result,) = assistant.verifier.verify(text, hits, judge_unmarked=cite is None).claims
    return result


def both_settings_supported(assistant: Assistant, claim: str, hits: list[Hit]) -> bool:
    return all(
        verdict_of(assistant, claim, hits, cite).verdict == SUPPORTED
        and not verdict_of(assistant, claim, hits, cite).flags
        for cite in (1, None)
    )


def told_apart(
    assistant: Assistant, hits: list[Hit], wrong: tuple[str, ...], right: tuple[str, ...]
) -> None:
    """Every wrong claim is flagged and every right one passes, cited and unmarked (a text of
    two statements is judged as a whole)."""
    for text in wrong + right:
        for cite in (1, None):
            marked = f"{text.rstrip('.')} [{cite}]." if cite else text
            claims = assistant.verifier.verify(marked, hits, judge_unmarked=cite is None).claims
            flagged = any(c.verdict != SUPPORTED or c.flags for c in claims)
            assert flagged == (text in wrong), (text, cite, claims)


def test_reference_numbers_after_a_sentence_end_do_not_join_sentences() -> None:
    claims = split_claims(
        "Long-term ADT is recommended with EBRT (Level I, grade A).7,8 Pelvic nodal "
        "irradiation should not be offered for low-risk disease (grade D). The rate was 62.7% "
        "(P < .001).12 The rate was 5.5 weeks."
    )
    assert [c for c, _ in claims] == [
        "Long-term ADT is recommended with EBRT (Level I, grade A).",
        "Pelvic nodal irradiation should not be offered for low-risk disease (grade D).",
        "The rate was 62.7% (P < .001).",
        "The rate was 5.5 weeks.",
    ]


def test_a_reference_in_brackets_after_a_full_stop_ends_its_sentence() -> None:
    claims = split_claims(
        "It was compared with the reverse sequence.[12] The 2-year OS rate was 72% with "
        "immunotherapy first.[13,14] The dose is 6 mg [1]."
    )
    assert [c for c, _ in claims] == [
        "It was compared with the reverse sequence.",
        "The 2-year OS rate was 72% with immunotherapy first.",
        "The dose is 6 mg.",
    ]


def test_check_reads_a_pasted_reference_number_as_a_reference(trials: Assistant) -> None:
    # Text copied from a trial summary keeps its reference numbers; in `check` they name none
    # of the passages shown, so the claim is judged against all of them, not flagged invalid.
    hits = passages(
        "Patients received dabrafenib 150 mg twice daily plus trametinib 2 mg once daily."
    )
    text = "Patients received dabrafenib 150 mg twice daily plus trametinib 2 mg once daily.[11]"
    (claim,) = trials.verifier.verify(text, hits, judge_unmarked=True).claims
    assert claim.verdict == SUPPORTED and not claim.flags and "[11]" in claim.note
    (cited,) = trials.verifier.verify(text, hits).claims
    assert "invalid_citation" in {f.kind for f in cited.flags}


def test_a_recommendation_against_is_against() -> None:
    assert stances("should not be offered (strong recommendation against)") == ["against"]
    assert stances("is recommended (strong recommendation; high-quality evidence)") == ["for"]


def test_dose_after_an_opening_regimen_phrase_binds_to_drug_and_regimen(
    trials: Assistant,
) -> None:
    hits = passages(
        "Nivolumab 360 mg every 3 weeks with CAPOX, or 240 mg every 2 weeks with FOLFOX, is "
        "recommended for HER2-negative advanced adenocarcinoma (grade A)."
    )
    assert both_settings_supported(
        trials, "With FOLFOX, nivolumab is given at 240 mg every 2 weeks.", hits
    )
    for wrong in (
        "With CAPOX, nivolumab is given at 240 mg every 2 weeks.",
        "With FOLFOX, nivolumab is given at 360 mg every 3 weeks.",
    ):
        assert verdict_of(trials, wrong, hits).verdict != SUPPORTED, wrong
    # a list item led by its regimen: the companion drug in the item is no other regimen
    regimens = passages(
        "- mFOLFOX6, every 14 days: oxaliplatin 85 mg/m² IV on day 1, leucovorin 400 mg/m² IV "
        "on day 1.\n- CAPOX (XELOX), every 21 days: oxaliplatin 130 mg/m² IV on day 1 plus "
        "capecitabine 1,000 mg/m² by mouth twice daily on days 1 to 14."
    )
    right = "In CAPOX, oxaliplatin is given at 130 mg/m² IV on day 1 every 21 days."
    assert both_settings_supported(trials, right, regimens)
    assert verdict_of(trials, right.replace("130", "85"), regimens).verdict != SUPPORTED


def test_two_arm_table_results_bind_each_value_to_its_arm_and_row(trials: Assistant) -> None:
    hits = passages(
        "Adverse event: Neutropenia | Ramucirumab plus paclitaxel: 41% | Placebo plus paclitaxel: 19%",
        "Adverse event: Hypertension | Ramucirumab plus paclitaxel: 14% | Placebo plus paclitaxel: 2%",
        caption="Table 2. Grade 3 or higher adverse events in the second-line trial",
    )
    right = (
        "Grade 3 or higher neutropenia occurred in 41% of patients with ramucirumab plus "
        "paclitaxel and 19% with placebo plus paclitaxel."
    )
    assert both_settings_supported(trials, right, hits)
    swapped = right.replace("41%", "X").replace("19%", "41%").replace("X", "19%")
    assert verdict_of(trials, swapped, hits).verdict != SUPPORTED
    other_row = "Grade 3 or higher hypertension occurred in 41% of patients with ramucirumab plus paclitaxel."
    assert verdict_of(trials, other_row, hits, None).verdict != SUPPORTED


def test_respectively_and_unnamed_comparisons_follow_the_order_the_arms_are_named(
    trials: Assistant,
) -> None:
    hits = passages(
        "In the phase III trial, 1,306 patients were randomly assigned to darolutamide or "
        "placebo, both added to ADT and docetaxel. Grade 3 or 4 adverse events occurred in "
        "66.1% and 63.5% of patients, respectively. Patients were randomised to the "
        "radioligand plus standard care or to standard care alone; median overall survival "
        "was 15.3 months vs 11.3 months (HR 0.62; 95% CI, 0.52–0.74; P < .001)."
    )
    right = "Grade 3 or 4 adverse events occurred in 66.1% of patients with darolutamide and 63.5% with placebo."
    assert both_settings_supported(trials, right, hits)
    swapped = "Grade 3 or 4 adverse events occurred in 63.5% of patients with darolutamide and 66.1% with placebo."
    assert verdict_of(trials, swapped, hits).verdict != SUPPORTED
    right = "With the radioligand, median overall survival was 15.3 months compared with 11.3 months on standard care alone."
    assert both_settings_supported(trials, right, hits)
    swapped = right.replace("15.3", "X").replace("11.3", "15.3").replace("X", "11.3")
    assert verdict_of(trials, swapped, hits, None).verdict != SUPPORTED


def test_hazard_ratio_belongs_to_the_comparison_not_the_arm_named_before_it(
    trials: Assistant,
) -> None:
    hits = passages(
        "In the phase III trial, 1,306 patients were assigned to darolutamide or placebo, both "
        "added to ADT and docetaxel. After a median follow-up of 43.7 months, median overall "
        "survival was not reached in "
        "the darolutamide group vs 48.9 months in the placebo group (HR 0.68; 95% CI, "
        "0.57–0.80; P < .001).12 The 4-year overall survival rate was 62.7% with darolutamide."
    )
    right = "Adding darolutamide to ADT and docetaxel lowered the risk of death (HR 0.68; 95% CI, 0.57-0.80; P < .001)."
    assert both_settings_supported(trials, right, hits)
    assert verdict_of(trials, right.replace("0.68", "0.63"), hits).verdict != SUPPORTED


def test_values_a_passage_gives_only_in_different_rows_do_not_pair_up(trials: Assistant) -> None:
    hits = passages(
        "Table 4. Talazoparib starting dose by kidney function\n"
        "Creatinine clearance: 60 mL/min or more | Talazoparib dose: 0.5 mg once daily\n"
        "Creatinine clearance: 30 to 59 mL/min | Talazoparib dose: 0.35 mg once daily\n"
        "Creatinine clearance: 15 to 29 mL/min | Talazoparib dose: 0.25 mg once daily"
    )
    right = "For a creatinine clearance of 30 to 59 mL/min, the talazoparib starting dose is 0.35 mg once daily."
    assert both_settings_supported(trials, right, hits)
    moved = right.replace("0.35 mg", "0.25 mg")
    assert verdict_of(trials, moved, hits).verdict != SUPPORTED
    assert verdict_of(trials, moved, hits, None).verdict != SUPPORTED


def test_a_frequency_right_after_a_dose_belongs_to_the_drug(trials: Assistant) -> None:
    hits = passages(
        "All patients with mHSPC should receive continuous ADT. Options are abiraterone acetate "
        "1,000 mg once daily with prednisone 5 mg once daily, enzalutamide 160 mg once daily, "
        "or apalutamide 240 mg once daily (Level I, grade A)."
    )
    right = "In mHSPC, apalutamide is given at 240 mg once daily alongside continuous ADT."
    assert both_settings_supported(trials, right, hits)
    assert verdict_of(trials, right.replace("240 mg", "160 mg"), hits).verdict != SUPPORTED


def test_relevance_cases_flag_bad_answers_and_pass_good_ones() -> None:
    """The labelled 'answers the question asked' cases counted in docs/VERIFIER.md."""
    from rag.evaluation.claims import load_relevance_cases, score_relevance
    from rag.retrieval.vocabulary import load_vocabulary

    cases = load_relevance_cases(PROJECT / "tests" / "data" / "relevance_cases.jsonl")
    assert len(cases) >= 20 and {c.expected for c in cases} == {"entity", "attribute", ""}
    score = score_relevance(cases, load_vocabulary())
    right, bad = score.right_kind()
    alarms, good = score.share_flagged(False)
    assert right / bad >= 0.9 and alarms / good <= 0.1, [
        (o.case.question, o.kinds) for o in score.outcomes if not o.right
    ]


def test_relevance_subject_is_not_the_drug_named_in_the_setting() -> None:
    from rag.answer.focus import question_focus
    from rag.checks.relevance import ENTITY_MISSING, relevance_flags
    from rag.retrieval.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    focus = question_focus("What is the cabazitaxel dose after docetaxel?", vocabulary)
    earlier_drug = "Docetaxel 75 mg/m2 every 3 weeks is the standard first chemotherapy [1]."
    assert [f.kind for f in relevance_flags(focus, earlier_drug, vocabulary)] == [ENTITY_MISSING]
    right = "Cabazitaxel 25 mg/m2 every 3 weeks is given after docetaxel [1]."
    assert relevance_flags(focus, right, vocabulary) == ()


@pytest.mark.slow
def test_labelled_trial_claims_held_out_third_set(trials: Assistant) -> None:
    """The third held-out set (a prostate guideline, written and committed before the verifier
    ran on it): floors a little under the figures in docs/VERIFIER.md, in both settings."""
    from rag.evaluation.claims import load_items, score_claims

    items = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout3.jsonl")
    assert len(items) >= 80 and {i.split for i in items} == {"heldout3"}
    number_kinds = ("number", "moved", "unit", "entity")
    for setting in ("cited", "unmarked"):
        score = score_claims(trials, items, setting)
        pairs = [score.share_flagged(True, k) for k in number_kinds]
        caught, wrong = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
        alarms, right = score.share_flagged(False)
        assert caught / wrong >= 0.9, (setting, score.by_kind())
        assert alarms / right <= 0.07, setting


def test_toxicity_grade_columns_and_trailing_qualifiers_bind_their_values(
    trials: Assistant,
) -> None:
    rows = passages(
        "Adverse event: Anaemia | Radioligand, any grade: 31.8% | Radioligand, grade ≥3: 12.9% "
        "| Standard care, any grade: 13.2% | Standard care, grade ≥3: 4.9%",
        caption="Table 3. Adverse events in the PSMA radioligand trial",
    )
    right = "Grade 3 or higher anaemia occurred in 12.9% of patients with the radioligand vs 4.9% with standard care."
    assert both_settings_supported(trials, right, rows)
    any_grade = right.replace("12.9%", "31.8%")
    assert verdict_of(trials, any_grade, rows).verdict != SUPPORTED

    sizes = passages(
        "Eligible patients had at least one PSMA-positive lesion, with no PSMA-negative lesion "
        "of 1.0 cm or more in solid organs or 2.5 cm or more in lymph nodes."
    )
    right = (
        "Patients were excluded if a PSMA-negative lesion measured 2.5 cm or more in lymph nodes."
    )
    assert verdict_of(trials, right, sizes).verdict in (SUPPORTED, WEAK)
    assert not verdict_of(trials, right, sizes).flags
    moved = right.replace("2.5 cm", "1.0 cm")
    assert "number_other_context" in kinds(verdict_of(trials, moved, sizes))


def test_a_value_is_not_moved_to_an_arm_measured_on_another_endpoint(trials: Assistant) -> None:
    hits = passages(
        "In the cabazitaxel trial of 255 patients previously treated with docetaxel and an ARPI, "
        "median radiographic progression-free survival was 8.0 months with cabazitaxel vs 3.7 "
        "months with the alternative ARPI (HR 0.54; 95% CI, 0.40–0.73; P < .001), and median "
        "overall survival was 13.6 vs 11.0 months (HR 0.64; 95% CI, 0.46–0.89; P = .008)."
    )
    right = (
        "In the cabazitaxel trial, median overall survival was 13.6 months with cabazitaxel and "
        "11.0 months with the alternative ARPI (HR 0.64; P = .008)."
    )
    assert both_settings_supported(trials, right, hits)
    swapped = "Median radiographic PFS was 3.7 months with cabazitaxel versus 8.0 months with the alternative ARPI."
    assert verdict_of(trials, swapped, hits).verdict != SUPPORTED


# Failure kinds of the fourth held-out set -------------------------------------------------

OLAPARIB_TRIAL = (
    "In the adjuvant olaparib trial, 1,836 patients were assigned 1:1 to olaparib or placebo "
    "for 52 weeks. The 3-year invasive disease-free survival was 85.9% with olaparib and 77.1% "
    "with placebo (difference, 8.8 percentage points; HR 0.58; 99.5% CI, 0.41 to 0.82; P < "
    ".001), and the 4-year OS was 89.8% and 86.4%, respectively (HR 0.68; 98.5% CI, 0.47 to "
    "0.97; P = .009)."
)


def test_values_given_respectively_restated_per_arm_with_the_endpoint_spelled_out(
    trials: Assistant,
) -> None:
    hits = passages(OLAPARIB_TRIAL)
    right = "Four-year overall survival was 89.8% with olaparib and 86.4% with placebo (HR 0.68)."
    assert both_settings_supported(trials, right, hits)
    swapped = "Four-year overall survival was 86.4% with olaparib and 89.8% with placebo."
    assert verdict_of(trials, swapped, hits).verdict != SUPPORTED
    other_endpoint = (
        "Four-year invasive disease-free survival was 89.8% with olaparib and 86.4% with placebo."
    )
    for cite in (1, None):
        assert verdict_of(trials, other_endpoint, hits, cite).verdict != SUPPORTED


def test_a_hazard_ratio_of_one_endpoint_does_not_support_another(trials: Assistant) -> None:
    hits = passages(OLAPARIB_TRIAL)
    right = "The 3-year invasive disease-free survival was 85.9% with olaparib (HR 0.58; P < .001)."
    assert both_settings_supported(trials, right, hits)
    for cite in (1, None):
        assert verdict_of(trials, right.replace("0.58", "0.68"), hits, cite).verdict != SUPPORTED


def test_numbers_in_words_and_reordered_regimens_are_supported(trials: Assistant) -> None:
    hits = passages(
        "Pembrolizumab is continued after surgery for nine further cycles every 3 weeks, "
        "whatever the pathological response [I, A]. For gBRCA carriers, carboplatin AUC 6 every "
        "3 weeks is preferred over docetaxel 75 mg/m2 every 3 weeks [II, B], and olaparib 300 mg "
        "twice daily or talazoparib 1 mg once daily are options after an anthracycline and a "
        "taxane [I, A]."
    )
    right = "After surgery, pembrolizumab continues for nine more 3-weekly cycles."
    assert both_settings_supported(trials, right, hits)
    assert verdict_of(trials, right.replace("nine", "six"), hits).verdict != SUPPORTED
    reordered = (
        "Talazoparib 1 mg once daily or olaparib 300 mg twice daily are options for gBRCA carriers."
    )
    assert both_settings_supported(trials, reordered, hits)
    swapped = (
        "Talazoparib 300 mg twice daily or olaparib 1 mg once daily are options for gBRCA carriers."
    )
    assert verdict_of(trials, swapped, hits).verdict != SUPPORTED
    other_drug = (
        "In gBRCA carriers, docetaxel AUC 6 every 3 weeks is preferred over carboplatin 75 mg/m2."
    )
    for cite in (1, None):
        assert verdict_of(trials, other_drug, hits, cite).verdict != SUPPORTED


def test_node_negative_paraphrase_and_a_hyphenated_drug_name(trials: Assistant) -> None:
    hits = passages(
        "For T1a or T1b N0 tumours, routine chemotherapy is not recommended [IV, D]. For "
        "HER2-low disease (IHC 1+ or IHC 2+ with negative ISH), T-DXd 5.4 mg/kg every 3 weeks is "
        "recommended after one line of chemotherapy [I, A]."
    )
    assert both_settings_supported(
        trials,
        "Routine chemotherapy is not recommended for T1a or T1b node-negative tumours.",
        hits,
    )
    right = "For HER2-low disease, T-DXd 5.4 mg/kg every 3 weeks is recommended after one line of chemotherapy."
    assert both_settings_supported(trials, right, hits)
    assert verdict_of(trials, right.replace("5.4", "6.4"), hits).verdict != SUPPORTED


def test_each_toxicity_grade_keeps_its_own_action(trials: Assistant) -> None:
    sentence = (
        "With T-DXd, grade 1 pneumonitis requires interruption until resolution, and grade 2 or "
        "higher pneumonitis requires permanent discontinuation and prednisolone 1 mg/kg daily "
        "for at least 14 days."
    )
    hits = passages(sentence)
    assert both_settings_supported(trials, sentence, hits)
    part = "With T-DXd, grade 2 or higher pneumonitis requires prednisolone 1 mg/kg daily for at least 14 days."
    assert both_settings_supported(trials, part, hits)


def test_a_value_given_for_another_item_of_the_sentence_is_not_supported(
    trials: Assistant,
) -> None:
    hits = passages(
        "Grade 3 or higher neutropenia occurred in 51% and 33% of patients and grade 3 or higher "
        "diarrhoea in 10% and less than 1%. Trastuzumab (8 mg/kg loading dose, then 6 mg/kg) and "
        "pertuzumab (840 mg loading dose, then 420 mg) are given every 3 weeks."
    )
    right = "Grade 3 or higher neutropenia occurred in 51% of patients given the drug and 33% of those given chemotherapy."
    assert both_settings_supported(trials, right, hits)
    other_event = right.replace("neutropenia", "diarrhoea")
    for cite in (1, None):
        assert verdict_of(trials, other_event, hits, cite).verdict != SUPPORTED
    assert both_settings_supported(
        trials, "Trastuzumab is given as an 8 mg/kg loading dose, then 6 mg/kg every 3 weeks.", hits
    )
    other_drug = "Pertuzumab is given as an 8 mg/kg loading dose, then 6 mg/kg every 3 weeks."
    assert verdict_of(trials, other_drug, hits).verdict != SUPPORTED


def test_bracketed_levels_and_grades_are_compared_per_recommendation(trials: Assistant) -> None:
    from rag.checks.verify import grades, grades_differ

    assert grades("[I, A]") == grades("(IA)") == grades("(Level I, grade A)")
    assert grades("strong recommendation, moderate-quality evidence") == {
        "strength strong",
        "quality moderate",
    }
    assert grades_differ(grades("[I, A]"), grades("[II, B]"))
    assert not grades_differ(grades("(grade A)"), grades("(Level I, grade A)"))
    # GRADE's certainty of the evidence, as systematic reviews write it
    assert grades("moderate-certainty evidence") == grades("certainty of the evidence: moderate")
    assert grades_differ(grades("high-certainty evidence"), grades("(low certainty evidence)"))
    hits = passages(
        "For gBRCA carriers, carboplatin AUC 6 every 3 weeks is preferred over docetaxel 75 mg/m2 "
        "every 3 weeks [II, B], and olaparib 300 mg twice daily or talazoparib 1 mg once daily "
        "are options after an anthracycline and a taxane [I, A]."
    )
    right = "In gBRCA carriers, carboplatin AUC 6 every 3 weeks is preferred over docetaxel 75 mg/m2 [II, B]."
    assert both_settings_supported(trials, right, hits)
    for cite in (1, None):
        claim = verdict_of(trials, right.replace("[II, B]", "[I, A]"), hits, cite)
        assert "grade_contradicted" in kinds(claim)


def test_a_recommendation_against_followed_by_but_keeps_its_polarity(trials: Assistant) -> None:
    hits = passages(
        "For grade 4 neutropenia, the drug is withheld and restarted one dose level lower; primary "
        "G-CSF prophylaxis is not recommended, but G-CSF should be used as secondary prophylaxis "
        "after a first episode [II, B]."
    )
    wrong = "Primary G-CSF prophylaxis is recommended with the drug."
    for cite in (1, None):
        assert verdict_of(trials, wrong, hits, cite).verdict == CONTRADICTED
    right = "G-CSF should be used as secondary prophylaxis after a first episode."
    assert both_settings_supported(trials, right, hits)


def test_a_value_given_for_another_setting_or_table_row_is_not_supported(
    trials: Assistant,
) -> None:
    hits = passages(
        "For low-risk stage III disease (T1 to T3 and N1), 3 months of CAPOX is an acceptable "
        "alternative to 6 months. For high-risk stage III disease (T4 or N2), 6 months of "
        "therapy is recommended."
    )
    right = "For high-risk stage III colon cancer, 6 months of therapy is recommended."
    assert both_settings_supported(trials, right, hits)
    for cite in (1, None):
        assert verdict_of(trials, right.replace("6 months", "3 months"), hits, cite).verdict != (
            SUPPORTED
        )
    rows = passages(
        "Dose level: first reduction | Sacituzumab govitecan: 7.5 mg/kg | Relative dose: 75%",
        caption="Table 2. Sacituzumab govitecan dose levels",
    )
    right = "The first dose reduction of sacituzumab govitecan is to 7.5 mg/kg."
    assert both_settings_supported(trials, right, rows)
    wrong_row = "At the second reduction, sacituzumab govitecan is given at 7.5 mg/kg."
    assert verdict_of(trials, wrong_row, rows).verdict != SUPPORTED


def test_a_dose_of_a_hyphenated_drug_is_not_its_namesakes(trials: Assistant) -> None:
    hits = passages(
        "Pembrolizumab 200 mg every 3 weeks is given with paclitaxel 90 mg/m2 or nab-paclitaxel "
        "100 mg/m2 on days 1, 8 and 15 every 4 weeks."
    )
    right = "With pembrolizumab, nab-paclitaxel is given at 100 mg/m2 on days 1, 8 and 15 every 4 weeks."
    assert both_settings_supported(trials, right, hits)
    assert verdict_of(trials, right.replace("100", "90"), hits).verdict != SUPPORTED


def test_values_listed_in_arm_order_and_an_action_of_another_grade(trials: Assistant) -> None:
    hits = passages(
        "Median PFS was 8.3, 5.5 and 6.0 months in arms A, B and C, respectively, and the ORR "
        "was 72%, 39% and 44%. Pembrolizumab is withheld for grade 2 pneumonitis or colitis and "
        "permanently discontinued for grade 3 or 4 pneumonitis or grade 4 colitis."
    )
    right = "The ORR was 72%, 39% and 44% in arms A, B and C."
    assert both_settings_supported(trials, right, hits)
    reordered = "The ORR was 72%, 44% and 39% in arms A, B and C."
    for cite in (1, None):
        assert verdict_of(trials, reordered, hits, cite).verdict != SUPPORTED
    assert both_settings_supported(
        trials, "Pembrolizumab is withheld for grade 2 pneumonitis or colitis.", hits
    )
    wrong = "Pembrolizumab is permanently discontinued for grade 2 pneumonitis or colitis."
    for cite in (1, None):
        assert verdict_of(trials, wrong, hits, cite).verdict != SUPPORTED


@pytest.mark.parametrize(
    ("question", "answer", "right"),
    [
        (
            "How long is adjuvant CAPOX for high-risk stage III colon cancer?",
            "For high-risk stage III colon cancer, 6 months of therapy is recommended.",
            True,
        ),
        (
            "How long is adjuvant CAPOX for high-risk stage III colon cancer?",
            "For high-risk stage III colon cancer, 3 months of CAPOX is recommended.",
            False,
        ),
        (
            "Do dMMR stage II colon tumours benefit from fluoropyrimidine alone?",
            "Tumours with dMMR do not benefit from fluoropyrimidine alone.",
            True,
        ),
        (
            "Do dMMR stage II colon tumours benefit from fluoropyrimidine alone?",
            "dMMR tumours benefit from adjuvant fluoropyrimidine.",
            False,
        ),
        (
            "How long is CEA measured after colon cancer surgery?",
            "CEA is measured every 3 to 6 months for 2 years, then every 6 months up to year 5.",
            True,
        ),
    ],
)
def test_check_on_the_bundled_corpus_attack_findings(
    assistant: Assistant, question: str, answer: str, right: bool
) -> None:
    """Attacker findings on ``oncoguide check``: another setting's duration, a denied benefit
    and 'year 5' for '5 years'."""
    result, _ = judge(assistant, question, answer)
    (claim,) = result.claims
    assert (claim.verdict == SUPPORTED and not claim.flags) == right, claim


@pytest.mark.slow
def test_labelled_trial_claims_held_out_fourth_set(trials: Assistant) -> None:
    """The fourth held-out set (a TNBC guideline; first blind run 0.84 / 0.28, then fixed by
    kind): floors a little under the figures in docs/VERIFIER.md, in both settings."""
    from rag.evaluation.claims import load_items, score_claims

    items = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout4.jsonl")
    assert len(items) >= 80 and {i.split for i in items} == {"heldout4"}
    number_kinds = ("number", "moved", "unit", "entity")
    for setting in ("cited", "unmarked"):
        score = score_claims(trials, items, setting)
        pairs = [score.share_flagged(True, k) for k in number_kinds]
        caught, wrong = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
        alarms, right = score.share_flagged(False)
        assert caught / wrong >= 0.93, (setting, score.by_kind())
        assert alarms / right <= 0.05, setting


def test_a_name_read_without_its_number_is_still_that_name(assistant: Assistant) -> None:
    """ "PD-L1" whose "1" the quantity parser took as a value still names PD-L1: a verbatim
    passage sentence is supported (it was flagged 'names a drug the passage does not')."""
    from rag.checks.verify import _overlap

    assert _overlap({"pd-l"}, frozenset({"pd-l1"}))
    assert not _overlap({"her2"}, frozenset({"her3"}))
    assert not _overlap({"nab-paclitaxel"}, frozenset({"paclitaxel"}))
    retrieval = assistant.retrieve("adjuvant atezolizumab dose in NSCLC")
    sentence = next(
        s
        for h in retrieval.hits
        for s in claim_sentences(h.chunk.text)
        if s.startswith("For stage II to IIIA tumours with PD-L1")
    )
    rank = next(h.rank for h in retrieval.hits if sentence in h.chunk.text)
    result = assistant.verifier.verify(f"{sentence[:-1]} [{rank}].", retrieval.hits)
    assert [c.verdict for c in result.claims] == [SUPPORTED], result.claims


# Failure kinds of the fifth held-out set, fixed in general ---------------------------------

THREE_ARM_TRIAL = (
    "With a minimum follow-up of 6.5 years, median OS was 72.1 months in the combination arm, "
    "36.9 months in the nivolumab arm, and 19.9 months in the ipilimumab arm (combination vs. "
    "ipilimumab: HR, 0.52; 95% CI, 0.43–0.64).[Level of evidence A1] The 6.5-year OS rates were "
    "49%, 42%, and 23%, respectively, and median PFS was 11.5, 6.9, and 2.9 months, "
    "respectively. Grade 3 or 4 adverse events occurred in 59.0% of patients in the nivolumab "
    "arm and 27.3% of patients in the ipilimumab arm, and treatment was stopped because of "
    "adverse events in 9.7% and 42.6% of patients, respectively."
)


def test_values_given_respectively_belong_to_the_arms_in_the_order_they_were_named(
    trials: Assistant,
) -> None:
    # The arms may be named in the statement before ("The 6.5-year OS rates were 49%, 42%, and
    # 23%, respectively") or earlier in the same one; restated per arm, the values are right
    # only for their own arm, and "the combination" is the arm of two drugs.
    hits = passages(THREE_ARM_TRIAL)
    right = [
        "Median progression-free survival was 11.5 months with the combination, 6.9 months "
        "with nivolumab alone and 2.9 months with ipilimumab alone.",
        "At 6.5 years, 49% of patients given nivolumab plus ipilimumab were alive, compared "
        "with 42% of those given nivolumab and 23% of those given ipilimumab.",
        "Adverse events led to stopping treatment in 42.6% of patients given ipilimumab and "
        "9.7% of those given nivolumab.",
    ]
    for claim in right:
        assert both_settings_supported(trials, claim, hits), claim
    swapped = [
        "Median progression-free survival was 6.9 months with the combination, 11.5 months "
        "with nivolumab alone and 2.9 months with ipilimumab alone.",
        "Adverse events led to stopping treatment in 9.7% of patients given ipilimumab and "
        "42.6% of those given nivolumab.",
    ]
    for claim in swapped:
        for cite in (1, None):
            result = verdict_of(trials, claim, hits, cite)
            assert result.verdict != SUPPORTED, claim
            assert "order of its arms" in " ".join(f.message for f in result.flags)


def test_significance_claimed_where_the_passage_says_none_is_contradicted(
    trials: Assistant,
) -> None:
    (final,) = passages(
        "At the first interim analysis, the 3-year OS rate was 86% vs. 77% (HR for death, 0.57; "
        "95% CI, 0.42–0.79; P = .0006); at the final OS analysis, the difference was no longer "
        "significant (HR, 0.80; 95% CI, 0.62–1.01).",
    )
    (relatlimab,) = passages(
        "Median OS was 51.0 months vs. 34.1 months (HR, 0.80; 95% CI, 0.64–1.01), a difference "
        "that did not reach statistical significance.",
    )
    wrong = "At the final OS analysis, the combination significantly prolonged overall survival (HR, 0.80; 95% CI, 0.62–1.01)."
    for cite in (1, None):
        result = verdict_of(trials, wrong, [final], cite)
        assert result.verdict == CONTRADICTED and "not significant" in result.flags[0].message
    assert (
        verdict_of(
            trials,
            "The combination significantly improved median OS, 51.0 months vs. 34.1 months (HR, 0.80).",
            [relatlimab],
        ).verdict
        == CONTRADICTED
    )
    right = "At the final OS analysis, the difference in overall survival was not significant (HR, 0.80; 95% CI, 0.62–1.01)."
    assert both_settings_supported(trials, right, [final])
    # "not a significant difference" is no claim of significance
    assert (
        significance("median OS 17.6 vs 16.0 months (HR 0.86), not a significant difference")
        == "not significant"
    )
    assert significance("(HR, 0.70; 95% CI, 0.55-0.89; P = .004)") == "significant"
    assert significance("(HR 0.9; 95% CI 0.7-1.1)") == "not significant"
    assert significance("The dose is 5 mg.") == ""


def test_a_preference_reversed_is_contradicted(trials: Assistant) -> None:
    hits = passages(
        "For BRAF V600-mutant melanoma, first-line immunotherapy is preferred over BRAF plus MEK "
        "inhibitors [I, A]; BRAF plus MEK inhibitors should be considered first when rapid "
        "disease control is needed [III, B]."
    )
    reversed_ = (
        "For BRAF V600-mutant melanoma, first-line BRAF plus MEK inhibitors are preferred over "
        "immunotherapy."
    )
    for cite in (1, None):
        assert verdict_of(trials, reversed_, hits, cite).verdict == CONTRADICTED
    told_apart(
        trials,
        hits,
        wrong=(),
        right=(
            "For BRAF V600-mutant melanoma, first-line immunotherapy is preferred over BRAF plus "
            "MEK inhibitors.",
        ),
    )


def test_a_bound_is_not_a_negation(trials: Assistant) -> None:
    # "no more than 3 × ULN" states a limit; it does not deny anything.
    hits = passages(
        "Adequate organ function was required: an absolute neutrophil count of at least 1,500 "
        "per microliter, aspartate and alanine aminotransferase levels no more than 3 times the "
        "ULN, and total bilirubin no more than 1.5 times the ULN."
    )
    claim = "Aminotransferase levels had to be no more than 3 times the ULN and total bilirubin no more than 1.5 times the ULN."
    assert both_settings_supported(trials, claim, hits)


def test_a_route_between_dose_and_schedule_keeps_the_schedule_with_its_drug(
    trials: Assistant,
) -> None:
    hits = passages(
        "Patients received dabrafenib 150 mg orally twice daily plus trametinib 2 mg orally "
        "once daily, or two matching placebos, for 12 months."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "Patients received dabrafenib 150 mg orally once daily plus trametinib 2 mg orally "
            "twice daily for 12 months.",
        ),
        right=(
            "Patients received dabrafenib 150 mg twice daily and trametinib 2 mg once daily for "
            "12 months.",
        ),
    )


def test_a_dose_for_a_drug_alone_does_not_support_it_in_a_combination(trials: Assistant) -> None:
    hits = passages(
        "Patients were assigned 1:1:1 to encorafenib 450 mg once daily plus binimetinib 45 mg "
        "twice daily, to encorafenib 300 mg once daily alone, or to vemurafenib 960 mg twice "
        "daily."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "In the combination arm, patients received encorafenib 300 mg once daily plus "
            "binimetinib 45 mg twice daily.",
        ),
        right=(
            "Encorafenib 300 mg once daily was given alone in one arm.",
            "Encorafenib 450 mg once daily was combined with binimetinib 45 mg twice daily.",
        ),
    )


def test_a_value_given_twice_where_the_passage_gives_it_once_is_flagged(trials: Assistant) -> None:
    hits = passages(
        "Stage I melanoma:\n1. Wide local excision with 1-cm margins for tumors 1.0 mm thick or "
        "less.\n2. Wide local excision with 1-cm to 2-cm margins for tumors 1.01 mm to 2.0 mm "
        "thick.\n\nStage II melanoma:\n1. Wide local excision with 2-cm margins for tumors "
        "thicker than 2.0 mm, with SLNB."
    )
    # A unit changed to the one beside the same number nearby, and a margin moved to another
    # stage's item; a range written with its unit twice, or "between … and …", is one range.
    told_apart(
        trials,
        hits,
        wrong=(
            "Wide local excision with 1-mm margins is used for stage I tumors 1.0 mm thick or less.",
            "Stage II melanomas thicker than 2.0 mm are excised with 1-cm margins, with SLNB.",
        ),
        right=(
            "For stage I tumours between 1.01 and 2.0 mm thick, the margins are 1 to 2 cm.",
            "Tumors 1.0 mm thick or less are excised with 1-cm margins.",
            "Stage II tumors thicker than 2.0 mm are excised with 2-cm margins and SLNB.",
        ),
    )


def test_a_rate_of_one_event_is_not_claimed_for_another(trials: Assistant) -> None:
    hits = passages(
        "Pyrexia occurred in 63% of patients who received dabrafenib plus trametinib; grade 3 or "
        "4 adverse events occurred in 41% of patients in the combination arm and 14% of patients "
        "in the placebo arm."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "Grade 3 or 4 adverse events occurred in 63% of patients who received dabrafenib "
            "plus trametinib.",
        ),
        right=("Pyrexia was seen in 63% of patients given dabrafenib plus trametinib.",),
    )


def test_a_clause_that_denies_the_claim_inside_a_longer_sentence(trials: Assistant) -> None:
    hits = passages(
        "Treatment-related adverse events of grade 3 or higher occurred in 12% and 14% of "
        "patients, respectively, and surgery was not delayed by neoadjuvant treatment in any "
        "patient."
    )
    for cite in (1, None):
        result = verdict_of(
            trials, "Neoadjuvant pembrolizumab delayed surgery in some patients.", hits, cite
        )
        assert result.verdict == CONTRADICTED
    assert both_settings_supported(
        trials, "Surgery was not delayed by neoadjuvant treatment.", hits
    )


# Failure kinds of the sixth held-out set's first blind run, fixed in general ----------------

ASCO_RECOMMENDATIONS = (
    "Recommendation 1.3. For patients at low risk of recurrence (pT1 or pT2, grade 1 or 2, N0), "
    "clinicians should offer surveillance without adjuvant therapy (Type: informal consensus, "
    "benefits outweigh harms; Evidence quality: low; Strength of recommendation: moderate).\n\n"
    "Recommendation 2.5. Triplet therapy with cabozantinib, nivolumab and ipilimumab is not "
    "recommended outside a clinical trial (Type: evidence based, harms outweigh benefits; "
    "Evidence quality: intermediate; Strength of recommendation: moderate).\n\n"
    "Recommendation 3.1. After progression on an ICI-based regimen, clinicians should offer a "
    "VEGF TKI not given before, such as cabozantinib 60 mg once daily or axitinib 5 mg twice "
    "daily (Type: evidence based; Evidence quality: intermediate; Strength of recommendation: "
    "moderate). Adjuvant pembrolizumab 200 mg every 3 weeks or 400 mg every 6 weeks is offered "
    "for up to 1 year."
)


def test_strength_and_quality_written_the_asco_way() -> None:
    assert grades("Evidence quality: intermediate; Strength of recommendation: weak") == {
        "quality moderate",
        "strength weak",
    }
    assert grades("the recommendation is moderate, on intermediate-quality evidence") == {
        "quality moderate",
        "strength moderate",
    }
    assert grades("rests on evidence of low quality") == {"quality low"}
    # a dose option is not a strength; "not given before" says which drug, not advice against
    assert stances("Pembrolizumab can be given as 400 mg every six weeks") == []
    assert stances("a VEGF TKI not given before should be offered") == ["for"]


def test_asco_strengths_and_recommendations_are_checked(trials: Assistant) -> None:
    hits = passages(ASCO_RECOMMENDATIONS)
    told_apart(
        trials,
        hits,
        wrong=(
            "Triplet therapy with cabozantinib, nivolumab and ipilimumab is not recommended "
            "outside a clinical trial (Evidence quality: low; Strength of recommendation: weak).",
            "Triplet therapy with cabozantinib, nivolumab and ipilimumab is recommended for "
            "patients with intermediate- or poor-risk disease.",
        ),
        right=(
            "Adjuvant pembrolizumab can be given as 400 mg every six weeks for up to one year.",
            "After progression on an ICI-based regimen, a VEGF TKI not given before "
            "(cabozantinib 60 mg daily or axitinib 5 mg twice a day) should be offered; the "
            "recommendation is moderate, on intermediate-quality evidence.",
        ),
    )


RENAL_TRIALS = (
    "In RENAL-ADJ-30, 1,538 patients were assigned in a 1:1:1 ratio to sunitinib 50 mg once "
    "daily, sorafenib 400 mg twice daily or placebo for 1 year after nephrectomy. Median DFS was "
    "5.6, 5.7 and 5.8 years, respectively; neither sunitinib (HR, 1.02; 97.5% CI, 0.85 to 1.23) "
    "nor sorafenib (HR, 0.97; 97.5% CI, 0.80 to 1.17) improved DFS compared with placebo. Grade "
    "3 or higher hypertension occurred in 17%, 16% and 4% of patients in the three arms, and the "
    "starting dose of sunitinib was reduced in 44% of patients. In RENAL-2L-09, median PFS was "
    "7.4 vs 3.8 months (HR 0.58; 95% CI, 0.48 to 0.70; P < .001) and median OS was 21.4 vs "
    "16.5 months (HR, 0.66; 95% CI, 0.53 to 0.83; P = .0003); the ORR was 19% (95% CI, 13 to "
    "22) vs 3% (95% CI, 2 to 6). Patients who had active autoimmune disease treated within the "
    "past 2 years were excluded."
)


def test_results_of_a_three_arm_trial_written_the_ways_reports_write_them(
    trials: Assistant,
) -> None:
    hits = passages(RENAL_TRIALS)
    told_apart(
        trials,
        hits,
        wrong=(
            "In RENAL-ADJ-30, adjuvant sunitinib significantly improved DFS compared with "
            "placebo (HR, 1.02).",
            "In RENAL-ADJ-30, grade 3 or higher hypertension occurred in 16% of patients given "
            "sunitinib and 17% of those given sorafenib.",
            "In RENAL-2L-09, the HR for progression was 0.66 (95% CI, 0.53 to 0.83).",
            "The ORR was 19% (95% CI, 2 to 6).",
            "Patients with active autoimmune disease treated within the past 2 years were "
            "eligible.",
        ),
        right=(
            "In RENAL-ADJ-30, grade 3 or higher hypertension occurred in 17% of patients given "
            "sunitinib, 16% of those given sorafenib and 4% of those given placebo.",
            "In RENAL-2L-09, the HR for death was 0.66 (95% CI, 0.53 to 0.83).",
            "The ORR was 19% (95% CI, 13 to 22) against 3%.",
            "Patients with active autoimmune disease treated within the past 2 years were "
            "excluded.",
        ),
    )
    assert significance(RENAL_TRIALS.split(". ")[1]) == "not significant"


def test_a_duration_of_one_drug_of_a_regimen_is_not_the_others(trials: Assistant) -> None:
    hits = passages(
        "Regimen: pembrolizumab plus axitinib | Doses: pembrolizumab 200 mg IV every 3 weeks; "
        "axitinib 5 mg orally twice daily | Duration: pembrolizumab for up to 2 years; axitinib "
        "until progression"
    )
    told_apart(
        trials,
        hits,
        wrong=("In the pembrolizumab plus axitinib regimen, axitinib is given for up to 2 years.",),
        right=(
            "In the pembrolizumab plus axitinib regimen, pembrolizumab is given for up to 2 years.",
        ),
    )


def test_a_bare_list_of_results_follows_the_arms_of_the_statement_before(
    trials: Assistant,
) -> None:
    # "The ORR was 71.0%, 53.5% and 36.1%" names no arm: its values are the arms' of the
    # statement before, in order; arms of two drugs are one arm each.
    hits = passages(
        "RENAL-FL-31 randomly assigned 1,069 patients in a 1:1:1 ratio to lenvatinib 20 mg once "
        "daily plus pembrolizumab 200 mg every 3 weeks, lenvatinib 18 mg plus everolimus 5 mg "
        "once daily, or sunitinib 50 mg once daily. The ORR was 71.0%, 53.5% and 36.1%, with "
        "complete responses in 16.1%, 9.8% and 4.2% of patients."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "The ORR was 53.5% with lenvatinib plus pembrolizumab and 71.0% with lenvatinib plus "
            "everolimus.",
        ),
        right=(
            "The ORR was 71.0% with lenvatinib plus pembrolizumab, 53.5% with lenvatinib plus "
            "everolimus and 36.1% with sunitinib.",
        ),
    )


def test_an_alternative_dose_and_a_reversed_change(trials: Assistant) -> None:
    hits = passages(
        "Regimen: nivolumab plus cabozantinib | Doses: nivolumab 240 mg IV every 2 weeks or 480 "
        "mg IV every 4 weeks; cabozantinib 40 mg orally once daily | Duration: nivolumab for up "
        "to 2 years",
        "Median overall survival was 13.8 months with trastuzumab plus chemotherapy vs 11.1 "
        "months with chemotherapy alone (HR 0.74; 95% CI, 0.60–0.91).",
    )
    told_apart(
        trials,
        hits[:1],
        wrong=("With cabozantinib, nivolumab is 240 mg every 4 weeks or 480 mg every 2 weeks.",),
        right=(
            "With nivolumab plus cabozantinib, nivolumab is 240 mg every 2 weeks or 480 mg every "
            "4 weeks and cabozantinib 40 mg once daily by mouth.",
        ),
    )
    (survival,) = passages(hits[1].chunk.text)
    told_apart(
        trials,
        [survival],
        wrong=(
            "Adding trastuzumab to chemotherapy lengthened median overall survival from 13.8 to "
            "11.1 months.",
        ),
        right=(
            "Adding trastuzumab to chemotherapy lengthened median overall survival from 11.1 to "
            "13.8 months (HR 0.74; 95% CI, 0.60–0.91).",
        ),
    )


def test_forms_a_review_found_flagged_wrongly_stay_unflagged(trials: Assistant) -> None:
    # claim-side "respectively"; a denial of another endpoint in the same sentence; a name
    # written with an en dash; a score that improves downwards; a laboratory value after its
    # abbreviation
    hits = passages(
        "The 2-year OS rate was 52.0% with pembrolizumab and 34.5% with docetaxel. Adjuvant "
        "sunitinib improved disease-free survival (HR, 0.76; 95% CI, 0.59 to 0.98; P = .03) but "
        "did not improve overall survival (HR, 1.01; 95% CI, 0.72 to 1.44). In PD-L1–positive "
        "disease, median PFS was 13.8 months. Median pain score improved from 7 to 3 points. "
        "Sorafenib was stopped in patients with AFP 400 or higher at week 12."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "The 2-year OS rates were 34.5% and 52.0% with pembrolizumab and docetaxel, "
            "respectively.",
            "Adjuvant sunitinib improved overall survival (HR, 1.01).",
            "Sorafenib was stopped in patients with AFP 800 or higher at week 12.",
        ),
        right=(
            "The 2-year OS rates were 52.0% and 34.5% with pembrolizumab and docetaxel, "
            "respectively.",
            "Adjuvant sunitinib improved disease-free survival (HR 0.76; P = .03).",
            "In PD-L1-positive disease, median PFS was 13.8 months.",
            "Median pain score improved from 7 to 3 points.",
        ),
    )


def test_check_retrieves_passages_for_each_statement_of_the_answer(
    trials: Assistant, tmp_path: Path, capsys
) -> None:
    # An answer drafted elsewhere often says more than its question asks: each statement
    # without markers is judged against the passages retrieved for it too, so a correct
    # sentence from another guideline is not "not in any retrieved passage".
    question = "What is the pegfilgrastim dose?"
    mammography = (
        "Women aged 40 to 74 years should have screening mammography every 2 years "
        "(biennial screening)."
    )
    pegfilgrastim = (
        "Pegfilgrastim 6 mg is given once per cycle, not less than 14 days before the next dose "
        "of chemotherapy."
    )
    right = run_check_json(tmp_path, capsys, question, f"{pegfilgrastim} {mammography}")
    assert right["flagged_claims"] == 0, right["claims"]
    assert all(c["verdict"] == "supported" for c in right["claims"])
    assert len(right["sources"]) > 5  # the question's passages, then the statements'
    wrong = run_check_json(
        tmp_path, capsys, question, f"{pegfilgrastim} {mammography.replace('74', '79')}"
    )
    assert wrong["flagged_claims"] == 1
    assert wrong["claims"][1]["verdict"] != "supported"


def test_check_refuses_what_it_cannot_judge(trials: Assistant, tmp_path: Path, capsys) -> None:
    path = tmp_path / "draft.txt"
    for text, said in (
        ("from 1 to 2 " * 2000, "at most 20,000"),
        ("((((( 12345 )))))", "no statement to check"),
    ):
        path.write_text(text, encoding="utf-8")
        assert main(["check", "--question", "dose", "--answer-file", str(path)]) == 2
        assert said in capsys.readouterr().err
    # a single statement far longer than any clinical sentence is flagged, not judged for minutes
    (claim,) = trials.verifier.verify("from 1 to 2 " * 200, passages("A 2 mg dose."), True).claims
    assert [f.kind for f in claim.flags] == ["claim_too_long"]


def test_check_output_cannot_drive_the_terminal(trials: Assistant, tmp_path: Path, capsys) -> None:
    """An answer that erases a line or hides the rest ("\x1b[2K", "\x1b[8m"), or reorders
    text (U+202E), is printed with those characters as escapes; JSON reads back unchanged."""
    answer = "Cabozantinib 40 mg once daily\x1b[2K1. SUPPORTED: Cabozantinib 60 mg once daily.\x1b[8m\u202e"
    path = tmp_path / "draft.txt"
    path.write_text(answer, encoding="utf-8")
    main(["check", "--question", "cabozantinib dose", "--answer-file", str(path)])
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\u202e" not in shown
    assert "\\u001b[2K" in shown
    main(["check", "--question", "cabozantinib dose", "--answer-file", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert any("\x1b[8m" in c["text"] for c in report["claims"])
    # a file name in an error message is escaped too: it could set the terminal's title
    missing = tmp_path / "p\x1b]0;title\x07x" / "missing.txt"
    assert main(["check", "--question", "dose", "--answer-file", str(missing)]) == 2
    error = capsys.readouterr().err
    assert "cannot read" in error and "\x1b" not in error and "\x07" not in error
    assert "\\u001b]0;title\\u0007" in error


def test_a_corrective_hint_names_a_value_only_when_the_passage_gives_one(
    trials: Assistant,
) -> None:
    # The passage gives placebo two rates; "gives '70%' for placebo, not '37%'" would point
    # the clinician at the wrong one. The changed number is still flagged.
    hits = passages(
        "The 3-year PFS rate was 60% with olaparib and 27% with placebo; the 5-year OS rate was "
        "88% with olaparib and 70% with placebo."
    )
    for cite in (1, None):
        result = verdict_of(trials, "The 3-year PFS rate was 37% with placebo.", hits, cite)
        kinds = {f.kind for f in result.flags}
        assert result.verdict != SUPPORTED and "number_contradicted" not in kinds, result
    one = passages("Pegfilgrastim 6 mg is given once per cycle.")
    result = verdict_of(trials, "Pegfilgrastim 12 mg is given once per cycle.", one, None)
    assert any("'6 mg'" in f.message for f in result.flags if f.kind == "number_contradicted")


def test_abbreviations_regimen_names_and_times_written_another_way(trials: Assistant) -> None:
    """Paraphrases that spell out a defined term, name a regimen in mixed case or by three
    parts, or give a time in other units are supported; the same sentences with a number
    moved are still flagged."""
    hits = passages(
        "Mantle cell lymphoma (MCL) accounts for about 6% of non-Hodgkin lymphoma (NHL) cases. "
        "Adverse factor: Eastern Cooperative Oncology Group (ECOG) performance status of 2 or "
        "higher. In the LYM-MCL-31 trial, the 36-month PFS rate was 68.4% with Dara-VRd and "
        "55.0% with VRd (stratified HR for progression or death, 0.61; 95% CI, 0.45 to 0.83), "
        "whereas 2-year OS was 91.2% with pola-R-CHP and 88.0% with R-CHOP. Glofitamab is given "
        "as step-up doses of 2.5 mg on day 8 and 10 mg on day 15 of cycle 1, then 30 mg every "
        "21 days. Eligible patients had an ECOG performance status of 0, 1, or 2. In patients "
        "with a CrCl of 30 to 59 mL/min, lenalidomide is reduced to 10 mg once daily; below 30 "
        "mL/min, 15 mg every other day. The complete response rate was 41.0% (95% CI, 35.2 to "
        "46.8) with glofitamab."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "About 16% of non-Hodgkin lymphomas are MCL.",
            "At 3 years, PFS was 55.0% with Dara-VRd and 68.4% with VRd.",
            "At 2 years, PFS was 68.4% with Dara-VRd.",
            "Two-year OS was 88.0% with pola-R-CHP.",
            "Glofitamab is stepped up from 10 mg on day 8 to 2.5 mg on day 15 of cycle 1.",
            "Glofitamab 30 mg is given every 4 weeks after cycle 1.",
            "With a creatinine clearance of 30 to 59 mL/min, lenalidomide is reduced to 15 mg.",
            "Eligible patients had an ECOG performance status of 0 to 3.",
            "Two-year OS was similar between pola-R-CHP and R-CHOP (88.0% vs 91.2%).",
        ),
        right=(
            "About 6% of non-Hodgkin lymphomas are MCL.",
            "In the IPI-like score, an ECOG performance status of 2 or more is adverse.",
            "At 3 years, PFS was 68.4% with Dara-VRd and 55.0% with VRd (hazard ratio 0.61).",
            "Two-year OS was 91.2% with pola-R-CHP and 88.0% with R-CHOP.",
            "Two-year OS was similar between pola-R-CHP and R-CHOP (91.2% vs 88.0%).",
            "Glofitamab is stepped up from 2.5 mg on day 8 to 10 mg on day 15 of cycle 1.",
            "After cycle 1, glofitamab 30 mg is given every 3 weeks.",
            "With a creatinine clearance of 30 to 59 mL/min, lenalidomide is reduced to 10 mg "
            "once daily.",
            "Eligible patients had an ECOG performance status of 0 to 2.",
            "Patients with an ECOG performance status of 1 were eligible.",
            "The complete response rate with glofitamab was 41.0%, with a 95% confidence "
            "interval of 35.2% to 46.8%.",
        ),
    )


def test_a_term_spelled_out_where_the_passage_abbreviates_it(trials: Assistant) -> None:
    """The passage abbreviates, a glossary elsewhere defines: a claim that spells the terms
    out is supported, and its changed number is still flagged."""
    hits = passages(
        "DLBCL accounts for 31% of NHL cases in adults, and its median age at diagnosis is 66 "
        "years.",
        "Abbreviations: DLBCL, diffuse large B-cell lymphoma; NHL, non-Hodgkin lymphoma.",
    )
    told_apart(
        trials,
        hits,
        wrong=("Diffuse large B-cell lymphoma accounts for 41% of non-Hodgkin lymphoma cases.",),
        right=("Diffuse large B-cell lymphoma accounts for 31% of non-Hodgkin lymphoma cases.",),
    )
    # an answer cannot define its own terms: "letrozole 25 mg daily (LD)" hides no dose
    (dose,) = passages("Adjuvant letrozole 2.5 mg once daily is recommended.")
    claim = "Adjuvant letrozole 25 mg daily (LD) is recommended."
    assert verdict_of(trials, claim, [dose]).verdict != SUPPORTED


def test_direction_and_certainty_of_an_effect_match_the_passage(trials: Assistant) -> None:
    """A ratio read the wrong way round, a significant effect denied and an uncertain one
    called clear are contradicted, as systematic reviews word them."""
    hits = passages(
        "Grade 3 or higher infections were more frequent with the antibody (RR 1.27, 95% CI "
        "1.09 to 1.48; 5 RCTs, 2,031 participants; high-certainty evidence). In the frailty "
        "subgroup of 341 patients, daratumumab improved PFS (HR 0.62; 95% CI, 0.45-0.85). Direct "
        "oral anticoagulants may reduce VTE compared with aspirin, but the evidence is very "
        "uncertain (RR 0.46, 95% CI 0.15 to 1.41; very low-certainty evidence). In the same "
        "subgroup, daratumumab improved PFS (HR 0.64; 95% CI, 0.47-0.87) but did not improve OS "
        "(HR 0.91; 95% CI, 0.70-1.18). Hypocalcaemia was more frequent with denosumab than with "
        "zoledronic acid (RR 1.85; 95% CI, 1.30-2.63)."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "Grade 3 or higher infections were less frequent with the antibody (RR 1.27, 95% CI "
            "1.09 to 1.48).",
            "In the frailty subgroup, daratumumab did not improve PFS (HR 0.62; 95% CI, "
            "0.45-0.85).",
            "Direct oral anticoagulants clearly reduced VTE compared with aspirin (RR 0.46, 95% "
            "CI 0.15 to 1.41).",
            "Direct oral anticoagulants may reduce VTE compared with aspirin (RR 0.46; "
            "moderate-certainty evidence).",
        ),
        right=(
            "Grade 3 or higher infections were more frequent with the antibody (RR 1.27).",
            "In the frailty subgroup of 341 patients, daratumumab improved PFS (HR 0.62).",
            "Direct oral anticoagulants may reduce VTE compared with aspirin (RR 0.46, 95% CI "
            "0.15 to 1.41), on very low-certainty evidence.",
            # a denial of another endpoint; the comparator as the subject; a negation that is
            # not of the effect
            "In the same subgroup, daratumumab improved PFS (HR 0.64) but did not improve OS.",
            "In the frailty subgroup of patients who had not received a transplant, "
            "daratumumab improved PFS (HR 0.62), and no new safety signals were seen.",
            "Hypocalcaemia was less frequent with zoledronic acid than with denosumab (RR 1.85).",
        ),
    )


def test_results_compared_in_brackets_and_groups_described_by_what_they_lack(
    trials: Assistant,
) -> None:
    """ "(13.6 vs 12.3 months; HR 0.92)" after two named arms gives the values in their order;
    "not requiring dialysis" describes patients and denies nothing; "one dose level lower" is
    no count of doses; a regimen's drugs named in a sentence without values count."""
    hits = passages(
        "Median OS was 13.6 months for lenvatinib and 12.3 months for sorafenib (HR, 0.92; 95% "
        "CI, 0.79–1.06), meeting the criteria for noninferiority. Lenalidomide needs dose "
        "adjustment: 10 mg once daily for CrCl 30 to 49 mL/min, 15 mg every other day for CrCl "
        "below 30 mL/min not requiring dialysis. Quadruplet induction with daratumumab, "
        "bortezomib, lenalidomide and dexamethasone (Dara-VRd) is preferred. Dara-VRd is given "
        "for 4 cycles of 28 "
        "days before ASCT. On dialysis, carvezomib is given after the session at one dose "
        "level lower. Daratumumab, lenalidomide and dexamethasone should be offered to patients "
        "who are not candidates for ASCT [I, A]."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "Lenvatinib was noninferior to sorafenib for overall survival (12.3 vs 13.6 months; "
            "HR 0.92).",
            "With a creatinine clearance of 30 to 49 mL/min, lenalidomide is given at 15 mg "
            "once daily.",
            "Lenalidomide is given at 15 mg every other day for a CrCl below 30 mL/min in "
            "patients requiring dialysis.",
            "Quadruplet induction with daratumumab, bortezomib, lenalidomide and dexamethasone "
            "is preferred, for 6 cycles before ASCT.",
            "In patients on dialysis, carvezomib is given after the session at two dose levels "
            "lower.",
        ),
        right=(
            "Lenvatinib was noninferior to sorafenib for overall survival (13.6 vs 12.3 months; "
            "HR 0.92, 95% CI 0.79-1.06).",
            "Lenvatinib held up against sorafenib for overall survival (13.6 vs 12.3 months).",
            "With a creatinine clearance of 30 to 49 mL/min, lenalidomide is given at 10 mg "
            "once daily.",
            "Quadruplet induction with daratumumab, bortezomib, lenalidomide and dexamethasone "
            "is preferred, for 4 cycles before ASCT.",
            "In patients on dialysis, carvezomib is given after the session at one dose level "
            "lower.",
            "Daratumumab, lenalidomide and dexamethasone should be offered to patients who are "
            "not candidates for ASCT [I, A].",
        ),
    )
    # a test named before a "respectively" list (RECIST) is no arm: the arms are the earlier
    # statement's
    response = passages(
        "The median PFS was 6.8 months in the atezolizumab-bevacizumab group and 4.3 months in "
        "the sorafenib group (HR, 0.59; 95% CI, 0.47–0.76). The confirmed ORR by RECIST 1.1 was "
        "30% and 11%, respectively."
    )
    told_apart(
        trials,
        response,
        wrong=("The confirmed ORR was 11% with atezolizumab-bevacizumab and 30% with sorafenib.",),
        right=("The confirmed ORR was 30% with atezolizumab-bevacizumab and 11% with sorafenib.",),
    )


def test_regimen_named_by_its_drugs_cell_labels_and_later_events(trials: Assistant) -> None:
    """A regimen the document's abbreviation list defines ("Dara-VRd, daratumumab plus
    bortezomib, lenalidomide and dexamethasone") is the same regimen spelled out in a claim; a
    table cell's label ("Acalabrutinib or placebo:") names the value's arms; "21-day cycles of
    R-CHOP" are R-CHOP's; what happens "before high-dose melphalan" is not melphalan's."""
    induction = [
        replace(h, chunk=replace(h.chunk, doc_id="synthetic-myeloma-guideline"))
        for h in passages(
            "1. Induction with a quadruplet, Dara-VRd, for four 28-day cycles should be offered "
            "to fit patients aged 70 years or younger before high-dose melphalan and ASCT "
            "[I, A]."
        )
    ]
    claim = (
        "Quadruplet induction with daratumumab, bortezomib, lenalidomide and dexamethasone is "
        "given for 4 cycles of 28 days to fit patients up to 70 years old before ASCT."
    )
    told_apart(
        trials,
        induction,
        wrong=(
            claim.replace("4 cycles", "6 cycles"),
            claim.replace("70 years", "75 years"),
        ),
        right=(claim,),
    )
    # without the document's list of abbreviations the regimen is not known to be those drugs
    bare = Verifier(trials.index.embedder)
    assert any(c.flags for c in bare.verify(claim, induction, judge_unmarked=True).claims)
    told_apart(
        trials,
        passages(
            "Event: Grade 3 atrial fibrillation | Acalabrutinib or placebo: Hold until grade 1 "
            "or lower; restart at 100 mg once daily | R-CHOP: No change"
        ),
        wrong=(
            "For grade 3 atrial fibrillation, acalabrutinib is held until the event is grade 2 "
            "or lower and restarted at 100 mg once daily.",
        ),
        right=(
            "For grade 3 atrial fibrillation, acalabrutinib is held until the event is grade 1 "
            "or lower and restarted at 100 mg once daily.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Patients were assigned to acalabrutinib 100 mg orally twice daily or placebo, each "
            "with six cycles of R-CHOP every 21 days."
        ),
        wrong=("Acalabrutinib was given at 100 mg twice a day with six 28-day cycles of R-CHOP.",),
        right=("Acalabrutinib was given at 100 mg twice a day with six 21-day cycles of R-CHOP.",),
    )


def test_ratios_written_as_changes_and_denials_restated(trials: Assistant) -> None:
    """ "Reduced the risk of death by 27%" is HR 0.73 and "by 37%" is not; "significantly
    increased" where the passage says the groups "did not differ significantly" is
    contradicted; "after two years" is "after 24 months"; a claim that restates the passage's
    own "no clear effect" is not its opposite, and one that drops the "no" is."""
    told_apart(
        trials,
        passages(
            "Nivolumab improved overall survival compared with docetaxel (HR 0.73; 95% CI, "
            "0.59-0.89; P=0.002). Major bleeding was rare in both groups and did not differ "
            "significantly (OR 1.21, 95% CI 0.52 to 2.80; 5 RCTs; I2 = 0%)."
        ),
        wrong=(
            "Nivolumab reduced the risk of death by 37% compared with docetaxel.",
            "Nivolumab improved overall survival compared with docetaxel (HR 0.63).",
            "Nivolumab increased the risk of death by 27% compared with docetaxel.",
            "Major bleeding was significantly more frequent (OR 1.21, 95% CI 0.52 to 2.80).",
        ),
        right=(
            "Nivolumab reduced the risk of death by 27% compared with docetaxel.",
            "Nivolumab gave a 27% reduction in the risk of death compared with docetaxel.",
            "Major bleeding did not differ significantly (OR 1.21, 95% CI 0.52 to 2.80).",
        ),
    )
    told_apart(
        trials,
        passages(
            "After 24 months of bisphosphonate therapy and a very good partial response or "
            "better, the interval can be extended to every 12 weeks [II, B]."
        ),
        wrong=(
            "After three years of bisphosphonate therapy and a very good partial response, the "
            "interval can be extended to every 12 weeks.",
        ),
        right=(
            "After two years of bisphosphonate therapy and a very good partial response, the "
            "interval can be extended to every 12 weeks.",
        ),
    )
    told_apart(
        trials,
        passages(
            "In the two RCTs that compared maintenance for 2 years with maintenance until "
            "progression, stopping at 2 years may shorten PFS (HR 1.39, 95% CI 1.08 to 1.79; 2 "
            "RCTs, 812 participants; low-certainty evidence), with no clear effect on OS."
        ),
        wrong=(
            "Stopping maintenance at 2 years may shorten PFS (HR 1.39), with a clear effect on OS.",
            # the "no" moved to the other clause
            "Stopping maintenance at 2 years does not shorten PFS (HR 1.39), with a clear effect "
            "on OS.",
        ),
        right=(
            "Stopping maintenance at 2 years may shorten PFS (HR 1.39), with no clear effect on "
            "OS.",
        ),
    )

    # a passage that gives the ratio as a change supports the same change and the ratio
    told_apart(
        trials,
        passages("Nivolumab reduced the risk of death by 27% compared with docetaxel."),
        wrong=("Nivolumab reduced the risk of death by 37% compared with docetaxel.",),
        right=(
            "Nivolumab reduced the risk of death by 27% compared with docetaxel.",
            "Nivolumab improved survival compared with docetaxel (HR 0.73).",
        ),
    )


def test_names_written_inside_words_and_regimens_defined_two_ways(trials: Assistant) -> None:
    """An acronym counts as written in a passage as a word or after a lower-case prefix
    ("aaIPI"), never inside another word ("AC" in "cardiac", "RT" in "cohort"); a regimen two
    documents define with different drugs ("TC") is read as neither."""
    told_apart(
        trials,
        passages(
            "Trastuzumab 6 mg/kg every 3 weeks for 1 year is recommended, with cardiac "
            "monitoring every 3 months. In the phase 3 cohort, cisplatin 100 mg/m2 every 3 "
            "weeks for three cycles was given. R-CHOP for four cycles in patients aged 60 years "
            "or younger with an aaIPI of 0."
        ),
        wrong=(
            "Trastuzumab 6 mg/kg every 3 weeks for 1 year is recommended with AC.",
            "In the phase 3 cohort, cisplatin 100 mg/m2 every 3 weeks for three cycles was "
            "given with RT.",
        ),
        right=(
            "Four cycles of R-CHOP are given to patients aged 60 or younger with an "
            "age-adjusted IPI of 0.",
        ),
    )
    both = regimens(["docetaxel and cyclophosphamide (TC)", "TC, carboplatin and paclitaxel;"])
    assert "TC" not in both
    # a dose claimed for a drug the passage never names, though the setting matches
    told_apart(
        trials,
        passages(
            "2. In FLT3-mutated AML, midostaurin 50 mg orally twice daily on days 8–21 is "
            "recommended in addition to induction and consolidation [I, A]."
        ),
        wrong=(
            "In FLT3-mutated AML, sorafenib 50 mg orally twice daily.",
            "In FLT3-mutated AML, gilteritinib 50 mg orally twice daily on days 8–21 is "
            "recommended.",
        ),
        right=(
            "In FLT3-mutated AML, midostaurin 50 mg orally twice daily on days 8–21 is "
            "recommended.",
        ),
    )


def test_trial_reports_rows_breakdowns_and_counts_per_arm(trials: Assistant) -> None:
    """Ways trial reports and product labels write values that a faithful paraphrase must
    still match, each beside the wrong claim it must keep catching: a table row whose first
    cell names the event by another word than the claim ("Anemia" for hemoglobin); a breakdown
    of adverse events in brackets after the arms' totals; the patients randomised to each arm;
    a trial name ending in letters and digits; a drug that describes the patients
    ("lenalidomide-refractory"), which is no arm."""
    told_apart(
        trials,
        passages(
            "Adverse reaction: Anemia | Severity: Hemoglobin < 8 g/dL | Action: Withhold and "
            "transfuse as needed until ≥ 9 g/dL; resume at the next lower dose level",
            "Adverse reaction: Neutropenia | Severity: Neutrophils < 1.0 × 10⁹/L | Action: "
            "Withhold until ≥ 1.5 × 10⁹/L; resume at the same dose",
        ),
        wrong=(
            "For hemoglobin below 8 g/dL, withhold until neutrophils are at least 1.5 × 10⁹/L.",
            "For hemoglobin below 8 g/dL, withhold and transfuse until it is at least 10 g/dL.",
        ),
        right=(
            "For hemoglobin < 8 g/dL, withhold and transfuse as needed until ≥ 9 g/dL, then "
            "resume at the next lower dose level.",
        ),
    )
    # two shared values do not make a row the claim's when the row says nothing else: the
    # same rates given for another adverse event, a risk group's values given for another
    told_apart(
        trials,
        passages(
            "Adverse event: Nausea | Ramucirumab plus paclitaxel: 12% | Placebo plus paclitaxel: "
            "5%",
            "Risk group: Intermediate | Adverse factors: 1 or 2 | Share of patients: 52% | "
            "2-year OS rate: 53%",
        ),
        wrong=(
            "Adverse event: Abdominal pain | Ramucirumab plus paclitaxel: 12% | Placebo plus "
            "paclitaxel: 5%",
            "The 2-year OS rate was 53% in the favourable-risk group.",
        ),
        right=("Nausea occurred in 12% with ramucirumab plus paclitaxel and 5% with placebo.",),
    )
    told_apart(
        trials,
        passages(
            "Grade ≥ 3 adverse events occurred in 61% of kelaparib and 19% of placebo "
            "recipients, most commonly anemia (29% vs 2%), thrombocytopenia (24% vs 1%) and "
            "neutropenia (17% vs 2%); dose reductions were needed in 64% and 8%."
        ),
        wrong=(
            "Grade 3 or higher anemia occurred in 2% of patients on kelaparib and 29% on placebo.",
            "Grade 3 or higher anemia occurred in 61% of patients on kelaparib and 19% on placebo.",
        ),
        right=(
            "Grade 3 or higher anemia occurred in 29% of patients on kelaparib and 2% on placebo.",
            "Grade 3 or higher thrombocytopenia occurred in 24% of patients on kelaparib and 1% "
            "on placebo.",
        ),
    )
    told_apart(
        trials,
        passages(
            "In SOLSTICE-OV1, 1,184 patients with newly diagnosed FIGO stage III–IV high-grade "
            "serous ovarian cancer were randomly assigned in a 2:1 ratio to kelaparib 300 mg "
            "twice daily (n = 790) or placebo (n = 394) for up to 24 months."
        ),
        wrong=(
            "SOLSTICE-OV1 randomly assigned 1,184 patients in a 2:1 ratio, 394 to kelaparib "
            "300 mg twice daily and 790 to placebo.",
            "SOLSTICE-OV1 randomly assigned 1,184 patients in a 3:1 ratio to kelaparib or placebo.",
        ),
        right=(
            "SOLSTICE-OV1 randomly assigned 1,184 patients in a 2:1 ratio, 790 to kelaparib "
            "300 mg twice daily and 394 to placebo.",
        ),
    )
    told_apart(
        trials,
        passages(
            "In the randomised SYN-MM-52 trial of 419 lenalidomide-refractory patients after one "
            "to three prior lines, anti-BCMA CAR T-cell therapy improved PFS compared with a "
            "standard triplet (HR 0.41; 95% CI, 0.30-0.56; P<.001); PFS at 18 months was 76% "
            "and 49%, respectively."
        ),
        wrong=(
            "In SYN-MM-52, PFS at 18 months was 49% with anti-BCMA CAR T-cell therapy and 76% "
            "with a standard triplet.",
        ),
        right=(
            "In SYN-MM-52, PFS at 18 months was 76% with anti-BCMA CAR T-cell therapy and 49% "
            "with a standard triplet.",
        ),
    )
    # a hazard ratio belongs to both arms it compares; a rate "with" a drug and "without it"
    told_apart(
        trials,
        passages(
            "OS was longer with lenvatinib plus pembrolizumab than with sunitinib (HR, 0.66; 95% "
            "CI, 0.49 to 0.88; P = .005). In a series of 1,384 patients at high risk of CNS "
            "relapse, the 3-year CNS relapse rate was 5.7% with high-dose methotrexate and 6.8% "
            "without it (P = .58)."
        ),
        wrong=(
            "Compared with sunitinib, lenvatinib plus pembrolizumab improved overall survival "
            "(HR 0.56, 95% CI 0.49-0.88, P=0.005).",
        ),
        right=(
            "Compared with sunitinib, lenvatinib plus pembrolizumab improved overall survival "
            "(HR 0.66, 95% CI 0.49-0.88, P=0.005).",
            "High-dose methotrexate did not significantly lower the 3-year CNS relapse rate in "
            "high-risk patients (5.7% vs 6.8%).",
        ),
    )


def test_who_advice_is_for_and_alternatives_in_another_order(trials: Assistant) -> None:
    """A negation in a relative clause says who the advice is for ("patients who do not receive
    neoadjuvant chemotherapy"), not that it is advised against; an option added for those who
    decline is no reversal; alternatives stated in another order ("55 Gy in 20 fractions or
    64 Gy in 32 fractions") keep each value with its own partner; counts in words are numbers."""
    told_apart(
        trials,
        passages(
            "Radical cystectomy should be performed within 3 months of diagnosis in patients who "
            "do not receive neoadjuvant chemotherapy [IV, B]. Patients with very-high-risk NMIBC "
            "should be offered immediate radical cystectomy [III, B]; those who decline may be "
            "treated with full-dose BCG."
        ),
        wrong=(
            "Patients who are not given neoadjuvant chemotherapy should not have their "
            "cystectomy within 3 months of diagnosis [IV, B].",
            "Immediate radical cystectomy should not be offered for very-high-risk NMIBC "
            "[III, B], and full-dose BCG is an option for patients who decline it.",
        ),
        right=(
            "Patients who are not given neoadjuvant chemotherapy should have their cystectomy "
            "within 3 months of diagnosis [IV, B].",
            "Immediate radical cystectomy should be offered for very-high-risk NMIBC [III, B], "
            "and full-dose BCG is an option for patients who decline it.",
        ),
    )
    told_apart(
        trials,
        passages(
            "The recommended radiotherapy schedules are 64 Gy in 32 fractions over 6.5 weeks or "
            "55 Gy in 20 fractions over 4 weeks to the whole bladder [I, A]."
        ),
        wrong=(
            "The whole bladder receives either 55 Gy in 32 fractions over four weeks or 64 Gy "
            "in 20 fractions over six and a half weeks.",
            "The whole bladder receives 55 Gy in 20 fractions over 6.5 weeks.",
        ),
        right=(
            "For bladder-sparing chemoradiotherapy, the whole bladder receives either 55 Gy in "
            "20 fractions over four weeks or 64 Gy in 32 fractions over six and a half weeks.",
        ),
    )
    told_apart(
        trials,
        passages(
            "The induction course consists of six weekly instillations, starting 2–4 weeks "
            "after TURBT. Adequate BCG means at least five of six induction instillations."
        ),
        wrong=(
            "The BCG induction course consists of eight weekly instillations, starting 2–4 "
            "weeks after TURBT.",
            "Adequate BCG means at least four of six induction instillations.",
        ),
        right=(
            "BCG induction is six instillations given once a week, beginning two to four weeks "
            "after the resection.",
        ),
    )
    # a result with its interval before the arm it belongs to; a follow-up step whose end
    # another statement happens to give
    told_apart(
        trials,
        passages(
            "Median disease-free survival was 24.1 months (95% CI, 18.2 to 33.5) with nivolumab "
            "and 12.7 months (95% CI, 9.4 to 15.6) with placebo (hazard ratio for recurrence or "
            "death, 0.68; 95% CI, 0.55 to 0.84; P<0.001)."
        ),
        wrong=("Median disease-free survival with adjuvant nivolumab was 12.7 months.",),
        right=("Median disease-free survival with adjuvant nivolumab was 24.1 months.",),
    )
    told_apart(
        trials,
        passages(
            "In high-risk NMIBC, cystoscopy and urine cytology should be performed every 3 months "
            "for 2 years, then every 6 months until 5 years, and then annually for life "
            "[III, A]. BCG maintenance is given for a total of 3 years in high-risk disease."
        ),
        wrong=(
            "In high-risk NMIBC, cystoscopy is performed every 3 months for 2 years and then "
            "every 6 months until 3 years.",
        ),
        right=(
            "In high-risk NMIBC, cystoscopy is performed every 3 months for 2 years and then "
            "every 6 months until 5 years.",
        ),
    )
    # a partner as common as "once daily" does not pin a dose: prednisone 10 mg once daily
    # is the cabazitaxel sentence's, not abiraterone's
    told_apart(
        trials,
        passages(
            "After docetaxel and one ARPI, cabazitaxel 25 mg/m2 q3w with prednisone 10 mg once "
            "daily and primary G-CSF prophylaxis is preferred over a second ARPI (grade A). "
            "Abiraterone 1,000 mg once daily with prednisone 5 mg twice daily may be used when "
            "no ARPI was given before."
        ),
        wrong=(
            "Abiraterone 1,000 mg once daily with prednisone 10 mg once daily may be used when "
            "no ARPI was given before.",
        ),
        right=(
            "Abiraterone 1,000 mg once daily with prednisone 5 mg twice daily may be used when "
            "no ARPI was given before.",
        ),
    )


def test_what_the_review_and_the_attack_of_the_tenth_round_found(trials: Assistant) -> None:
    """Wrong claims the first version of the rules above let pass, each beside a right one: a
    dose from another dose-level row; a row whose condition differs ("below 500" for "500 to
    < 1,000"); a fractionation moved to another setting in another sentence or after a
    semicolon; advice reversed after a relative clause ("who are fit should receive"); a
    number in words that is another number ("thirty-six months" is not 6 months)."""
    told_apart(
        trials,
        passages(
            "Dose level: First reduction | Dose: 250 mg twice daily | Total daily dose: 500 mg"
        ),
        wrong=(
            "The second dose reduction is to 250 mg twice daily, a total daily dose of 500 mg.",
        ),
        right=("The first dose reduction is to 250 mg twice daily, a total daily dose of 500 mg.",),
    )
    told_apart(
        trials,
        passages(
            "Adverse reaction: Neutropenia | Severity: ANC 500 to < 1,000/mm3 | Action: Withhold "
            "until ANC ≥ 1,500/mm3, then resume at 100 mg once daily"
        ),
        wrong=(
            "For ANC below 500/mm3, withhold until ANC ≥ 1,500/mm3, then resume at 100 mg once "
            "daily.",
        ),
        right=(
            "For ANC 500 to < 1,000/mm3, withhold until ANC ≥ 1,500/mm3, then resume at 100 mg "
            "once daily.",
        ),
    )
    told_apart(
        trials,
        passages(
            "For peripheral tumours, 54 Gy in 3 fractions is recommended; for central tumours, "
            "60 Gy in 8 fractions is preferred. Conventional radiotherapy of 66 Gy in 33 "
            "fractions may be considered for ultra-central tumours."
        ),
        wrong=(
            "Ultra-central tumours may be treated with 54 Gy in 3 fractions.",
            "Ultra-central tumours may be treated with 60 Gy in 8 fractions.",
        ),
        right=("For peripheral tumours, 54 Gy in 3 fractions is recommended.",),
    )
    told_apart(
        trials,
        passages(
            "Adjuvant cisplatin-based chemotherapy is recommended for resected stage II–IIIA "
            "NSCLC [I, A]. Adjuvant chemotherapy is not recommended for patients with stage IA "
            "disease [I, E]."
        ),
        wrong=("Patients with stage IA disease who are fit should receive adjuvant chemotherapy.",),
        right=(
            "Adjuvant chemotherapy is not recommended for patients with stage IA disease [I, E].",
        ),
    )
    told_apart(
        trials,
        passages(
            "Intermediate-risk patients should receive 6 months of ADT with radiotherapy. "
            "Dose-limiting toxicities occurred in 2 of 6 patients at the 400 mg level."
        ),
        wrong=(
            "Intermediate-risk patients should receive thirty-six months of ADT with radiotherapy.",
            "Dose-limiting toxicities occurred in one of six patients at the 400 mg level.",
        ),
        right=(
            "Intermediate-risk patients should receive six months of ADT with radiotherapy.",
            "Dose-limiting toxicities occurred in two of six patients at the 400 mg level.",
        ),
    )
    # a trial name with digits in a cell label is one name, not "SOLSTICE" and "OV"
    row = (
        "Outcome: PFS HR (95% CI) | SOLSTICE-OV1: kelaparib vs placebo: 0.58 (0.49–0.68) | "
        "CORALINE-3: bevacizumab + chemotherapy vs chemotherapy: 0.47 (0.39–0.57)"
    )
    told_apart(
        trials,
        passages(row),
        wrong=(row.replace("0.58", "0.48"),),
        right=(row,),
    )


def test_results_years_schedule_windows_and_second_results_read_as_written(
    trials: Assistant,
) -> None:
    """Paraphrases a clinician writes of trial reports, each beside the wrong claim it must
    keep catching: arms named by "compared with … of those given", where the passage's next
    sentence speaks of treated patients too; years and schedule days "between … and …"
    restated as "from … to …"; a second result joined by "and", which is no partner of the
    first; a window after an operation named by its abbreviation."""
    told_apart(
        trials,
        passages(
            "In the ORCA-2 trial, 310 patients were randomly assigned in a 1:1 ratio to "
            "velantinib or chemotherapy. Median overall survival was 13.1 months with velantinib "
            "and 8.2 months with chemotherapy, and the objective response rate was 38.2% and "
            "9.7%, respectively. Rash of any grade occurred in 61.0% of the patients treated with "
            "velantinib and diarrhoea in 12.4%."
        ),
        wrong=(
            "In ORCA-2, 9.7% of velantinib-treated patients had an objective response compared "
            "with 38.2% of those given chemotherapy.",
            "In ORCA-2, 38.2% of velantinib-treated patients had an objective response compared "
            "with 12.4% of those given chemotherapy.",
        ),
        right=(
            "In ORCA-2, 38.2% of velantinib-treated patients had an objective response compared "
            "with 9.7% of those given chemotherapy.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Risk estimates come from a pooled cohort of 2,150 patients treated between 2009 and "
            "2018. Velantinib is started at 6 mg once daily and increased to 8 mg once daily on "
            "days 15–21 if the serum phosphate level is < 6.0 mg/dL."
        ),
        wrong=(
            "The estimates come from 2,150 patients treated from 2009 to 2016.",
            "The estimates come from 2,150 patients treated between 2011 and 2018.",
            "Velantinib is uptitrated to 8 mg daily between days 15 and 28 when phosphate is "
            "below 6.0 mg/dL.",
        ),
        right=(
            "The estimates come from a pooled cohort of 2,150 patients treated from 2009 to 2018.",
            "Velantinib starts at 6 mg daily and is uptitrated to 8 mg daily between days 15 and "
            "21 when phosphate is below 6.0 mg/dL.",
        ),
    )
    told_apart(
        trials,
        passages(
            "In a single-arm study of 120 patients with CIS, the complete response rate at 3 "
            "months was 48.0%, and 21.5% of patients remained in complete response at 12 months. "
            "Adjuvant gemcitabine, started within 12 weeks of pancreatoduodenectomy (PD), should "
            "be offered to patients with resected PDAC."
        ),
        wrong=(
            "Among 120 patients with CIS, 48.0% had a complete response at 6 months and 21.5% "
            "were still in complete response at 12 months.",
            "Patients with resected PDAC should start adjuvant gemcitabine within 8 weeks of "
            "surgery.",
        ),
        right=(
            "Among 120 patients with CIS, 48.0% had a complete response at 3 months and 21.5% "
            "were still in complete response at 12 months.",
            "Patients with resected PDAC should be offered adjuvant gemcitabine starting within "
            "12 weeks of surgery.",
        ),
    )


def test_grading_lines_under_a_recommendation_grade_it(trials: Assistant) -> None:
    """ASCO writes a recommendation's evidence quality and strength on lines of their own
    under it; a claim that gives it another strength or quality is flagged."""
    told_apart(
        trials,
        passages(
            "Recommendation 2.1. Ustekrasib plus bevatumab should be offered as first-line "
            "therapy to patients with Child-Pugh A liver function and ECOG PS 0 to 1.\n"
            "Type: evidence based, benefits outweigh harms; Evidence quality: high; Strength of "
            "recommendation: strong.\n"
            "Recommendation 2.2. Ustekrasib alone may be offered to patients who cannot receive "
            "bevatumab.\n"
            "Type: informal consensus; Evidence quality: low; Strength of recommendation: weak."
        ),
        wrong=(
            "Ustekrasib plus bevatumab should be offered first line to patients with Child-Pugh A "
            "liver function and ECOG PS 0 to 1 (weak recommendation).",
            "Ustekrasib alone may be offered to patients who cannot receive bevatumab "
            "(high-quality evidence).",
        ),
        right=(
            "Ustekrasib plus bevatumab should be offered first line to patients with Child-Pugh A "
            "liver function and ECOG PS 0 to 1 (strong recommendation, high-quality evidence).",
            "Ustekrasib alone may be offered to patients who cannot receive bevatumab "
            "(low-quality evidence, weak recommendation).",
        ),
    )
    told_apart(
        trials,
        passages(
            "Recommendation 3.1. Entecavir prophylaxis should be offered to HBsAg-positive "
            "patients who start systemic therapy.\n"
            "Qualifying statement: HBV DNA should be checked every 3 months during therapy.\n"
            "Type: evidence based, benefits outweigh harms; Evidence quality: moderate; Strength "
            "of recommendation: moderate."
        ),
        wrong=(
            "Entecavir prophylaxis should be offered to HBsAg-positive patients starting "
            "systemic therapy, a strong recommendation.",
            "For HBsAg-positive patients who start systemic therapy, the recommendation to offer "
            "entecavir prophylaxis is weak.",
        ),
        right=(
            "Entecavir prophylaxis for HBsAg-positive patients who start systemic therapy is a "
            "moderate-strength recommendation.",
        ),
    )


def test_table_cells_under_a_percent_header_are_percentages(trials: Assistant) -> None:
    """A trial's adverse-event table gives bare numbers under columns headed "(%)"; a claim
    that writes them with "%" is read against them, and a value from another column or a
    changed value is still flagged."""
    told_apart(
        trials,
        passages(
            "Adverse event: Rash | Velantinib, any grade (%): 41.2 | Velantinib, grade ≥ 3 (%): "
            "6.1 | Placebo, any grade (%): 12.0 | Placebo, grade ≥ 3 (%): 0.8"
        ),
        wrong=(
            "Rash of any grade occurred in 41.2% of patients on velantinib vs 6.1% on placebo.",
            "Rash of any grade occurred in 42.1% of patients on velantinib vs 12.0% on placebo.",
            "Grade 3 or higher rash occurred in 0.8% of patients given velantinib and 6.1% of "
            "those given placebo.",
        ),
        right=(
            "Rash of any grade occurred in 41.2% of patients on velantinib vs 12.0% on placebo.",
        ),
    )
    # the arm named in the column stays with its value; counts and differences are no rates
    told_apart(
        trials,
        passages(
            "Adverse event: Diarrhea | Zorantinib, any grade (%): 38.1 | Zorantinib, grade ≥3 "
            "(%): 7.2 | Placebo, any grade (%): 12.4 | Placebo, grade ≥3 (%): 0.8",
            "Adverse event: Fatigue | Zorantinib, No. (%): 45 | Placebo, events/patients (%): "
            "21/117 (17.9) | Difference (%): 11.3",
        ),
        wrong=(
            "Grade 3 or higher diarrhea occurred in 0.8% of patients receiving zorantinib.",
            "With zorantinib, any-grade diarrhea occurred in 12.4%.",
            "Fatigue occurred in 45% of patients receiving zorantinib.",
            "Fatigue occurred in 21% of patients receiving placebo.",
            "Fatigue occurred in 11.3% of patients receiving placebo.",
        ),
        right=(
            # the row copied as it stands is read as the passage is
            "Adverse event: Diarrhea | Zorantinib, any grade (%): 38.1 | Zorantinib, grade ≥3 "
            "(%): 7.2 | Placebo, any grade (%): 12.4 | Placebo, grade ≥3 (%): 0.8",
            "Any-grade diarrhea occurred in 38.1% of patients receiving zorantinib.",
            "Grade 3 or higher diarrhea occurred in 7.2% of zorantinib-treated patients.",
        ),
    )


def test_subgroup_ratios_listed_after_a_hazard_ratio_keep_their_subgroup(
    trials: Assistant,
) -> None:
    """Trial reports list subgroup hazard ratios after one "HR", each with its interval and
    its subgroup after it; a claim that moves a ratio to another subgroup is flagged, and one
    that restates some of them, or rewords the subgroup, passes."""
    told_apart(
        trials,
        passages(
            "In prespecified subgroups the HR for OS was 0.72 (95% CI, 0.58 to 0.90) in "
            "HBV-related disease, 1.04 (95% CI, 0.79 to 1.37) in HCV-related disease and 0.95 "
            "(95% CI, 0.70 to 1.29) in non-viral disease. The HR for PFS was 0.74 (95% CI, 0.50 "
            "to 1.09) in BCLC B and 0.66 (95% CI, 0.55 to 0.80) in BCLC C disease."
        ),
        wrong=(
            "The HR for OS was 0.72 (95% CI, 0.58 to 0.90) in HCV-related disease.",
            "The HR for PFS was 0.74 (95% CI, 0.50 to 1.09) in BCLC C disease.",
            "The OS hazard ratio was 0.95 in HCV-related and 1.04 in non-viral disease.",
        ),
        right=(
            "The HR for OS was 0.72 (95% CI, 0.58 to 0.90) in patients with HBV-related HCC.",
            "The OS hazard ratio was 1.04 in HCV-related and 0.95 in non-viral disease.",
        ),
    )


def test_eligibility_thresholds_restated_in_other_laboratory_units(trials: Assistant) -> None:
    """A protocol's thresholds restated in the other unit a laboratory reports (platelets
    per mm3 or × 10^9/L, albumin in g/dL or g/L) are the same thresholds; a converted value
    that is off by the factor is flagged."""
    told_apart(
        trials,
        passages(
            "8. ANC ≥ 1.5 × 10^9/L, platelets ≥ 75,000/mm3 and haemoglobin ≥ 9.0 g/dL. "
            "9. Total bilirubin ≤ 2 mg/dL, albumin ≥ 2.8 g/dL and INR ≤ 1.7."
        ),
        wrong=(
            "Eligible patients need a platelet count of at least 7.5 × 10^9/L.",
            "Serum albumin must be 2.8 g/L or higher.",
            "An absolute neutrophil count of at least 1500/mm3 and platelets of at least "
            "100 × 10⁹/L are required.",
        ),
        right=(
            "Eligible patients need an absolute neutrophil count of at least 1500/µL and a "
            "platelet count of at least 75 × 10⁹/L.",
            "Serum albumin must be 28 g/L or higher and the INR no more than 1.7.",
        ),
    )


def test_steps_of_a_schedule_joined_by_and_keep_their_values(trials: Assistant) -> None:
    """Two phases of a schedule joined by "and" are partners, not two results: swapping their
    doses or intervals is flagged. A duration given in brackets after each of two treatments
    stays with its treatment, whatever its name looks like (ADT, BCG)."""
    told_apart(
        trials,
        passages(
            "Zorantinib 200 mg once daily on days 1 to 14 and 100 mg once daily on days 15 to 21 "
            "of each 21-day cycle."
        ),
        wrong=(
            "Zorantinib 100 mg once daily on days 1 to 14 and 200 mg once daily on days 15 to 21.",
        ),
        right=(
            "Zorantinib is given at 200 mg once daily on days 1 to 14 and at 100 mg once daily on "
            "days 15 to 21.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Imaging is performed every 3 months for 2 years and every 6 months for years 3 to 5."
        ),
        wrong=(
            "Imaging is performed every 6 months for 2 years and every 3 months for years 3 to 5.",
        ),
        right=(
            "Imaging is done every 3 months for 2 years, then every 6 months for years 3 to 5.",
        ),
    )
    told_apart(
        trials,
        passages(
            "In the high-risk cohort, abiraterone (2 years) was added to ADT (3 years) and "
            "radiotherapy."
        ),
        wrong=("In the high-risk cohort, ADT was given for 2 years.",),
        right=("In the high-risk cohort, ADT was given for 3 years.",),
    )


def test_liver_function_class_and_stage_are_checked(trials: Assistant) -> None:
    """Child-Pugh class and BCLC stage decide who gets what in liver cancer; a claim that
    gives a treatment or a dose to another class or stage, named by the passage or not, is
    flagged, one that words the same class differently passes."""
    told_apart(
        trials,
        passages(
            "Hepatic resection should be offered to patients with a solitary tumour, Child-Pugh A "
            "liver function and no clinically significant portal hypertension. Thermal ablation "
            "is an option for BCLC 0–A tumours ≤ 3 cm that are unsuitable for resection."
        ),
        wrong=(
            "Hepatic resection should be offered to patients with a solitary tumour and "
            "Child-Pugh B liver function.",
            "Thermal ablation is an option for BCLC B tumours ≤ 3 cm unsuitable for resection.",
        ),
        right=(
            "Hepatic resection should be offered to patients with a solitary tumour and "
            "Child-Pugh class A liver function.",
            "Thermal ablation is an option for BCLC 0–A tumours of 3 cm or less that are "
            "unsuitable for resection.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Resection is recommended for BCLC stage 0 or A disease. Sorafenib is recommended for "
            "BCLC stage C disease."
        ),
        wrong=(
            "Sorafenib is recommended for BCLC stage A disease.",
            "Resection is recommended for BCLC stage C disease.",
        ),
        right=("Sorafenib is recommended for BCLC stage C disease.",),
    )
    told_apart(
        trials,
        passages(
            "Velantinib starts at 8 mg daily in patients with Child-Pugh A liver function and at "
            "4 mg daily in those with Child-Pugh B. TACE is recommended for patients with "
            "Child-Pugh A and BCLC B disease."
        ),
        wrong=(
            "Patients with Child-Pugh B liver function should start velantinib at 8 mg daily.",
            "TACE is recommended for patients with Child-Pugh B liver function.",
        ),
        right=(
            "Patients with Child-Pugh A liver function start velantinib at 8 mg daily.",
            "TACE is recommended for patients with Child-Pugh A liver function and BCLC B disease.",
        ),
    )


def test_percent_columns_of_landmark_rates_and_cell_ends() -> None:
    """A landmark-rate column ("12-month OS rate (%)") holds percentages, a column in months
    does not; a row's last cell may carry a reference marker; long blank runs cost nothing."""

    assert _cell_units("Arm: A | 12-month OS rate (%): 55.2") == "Arm: A | 12-month OS rate: 55.2%"
    assert _cell_units("Median OS, months (%): 13.6") == "Median OS, months (%): 13.6"
    assert _cell_units("A | Grade (%): 7 [3].") == "A | Grade: 7% [3]."
    assert _cell_units("Grade (%): 7" + " " * 5000 + "x").startswith("Grade (%): 7")
    # cells in other units, fractions and a grade column; a threshold range is no grade
    assert _cell_units("Setting: Palliative | Total dose (Gy): 30 | Fractions: 10") == (
        "Setting: Palliative | Total dose: 30 Gy | Fractions: 10 fractions"
    )
    assert _cell_units("Toxicity: Neutropenia | Grade: 4, or febrile neutropenia") == (
        "Toxicity: Neutropenia | Grade: grade 4, or febrile neutropenia"
    )
    assert _cell_units("Event: ALT increase | Severity: 3 to 5 × ULN") == (
        "Event: ALT increase | Severity: 3 to 5 × ULN"
    )


def apart_each(
    assistant: Assistant, *cases: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
) -> None:
    """``told_apart`` for each (passages, wrong, right): a claim cites the first passage."""
    for texts, wrong, right in cases:
        told_apart(assistant, passages(*texts), wrong=wrong, right=right)


def test_toxicity_table_rows_restated_in_words(trials: Assistant) -> None:
    """A row of a dose-modification or adverse-event table restated as a sentence: the row's
    event is said of every cell; a grade is judged as a value, not by the grade named before it;
    "grade ≤ 1" is grade 1; a laboratory row's "increase" need not be restated; the two arms'
    cells may be given "A vs B" after "less frequent with A than with B". Values moved to the
    other grade, column or arm are flagged."""
    apart_each(
        trials,
        (
            (
                "Adverse event: HFSR | Severity: Grade 2 recurrent, or grade 3 | Action: "
                "Interrupt until grade ≤ 1, then resume one dose level lower",
            ),
            (
                "For grade 4 HFSR, or recurrent grade 2 HFSR, the drug is interrupted until grade ≤ 1.",
            ),
            (
                "For grade 3 HFSR, or recurrent grade 2 HFSR, the drug is interrupted until "
                "grade ≤ 1 and restarted one dose level lower.",
            ),
        ),
        (
            (
                "Adverse event: Diarrhoea | Severity: Grade 2 | Action: Withhold until grade ≤ 1, "
                "resume at same dose",
            ),
            (
                "For grade 2 diarrhoea, withhold until grade 2 or less and resume at the same dose.",
                "For grade 1 diarrhoea, withhold until grade 2 or less and resume at the same dose.",
            ),
            ("For grade 2 diarrhoea, withhold until grade 1 or less and resume at the same dose.",),
        ),
        (
            (
                "Adverse event: ALT or AST increase | Severity: > 5 × ULN | Action: Interrupt; "
                "resume one dose level lower if recovered to < 3 × ULN within 14 days, otherwise "
                "discontinue",
            ),
            (
                "For ALT or AST above 3 × ULN, the drug is interrupted and resumed one level lower "
                "if values recover to below 5 × ULN within 14 days.",
            ),
            (
                "For ALT or AST above 5 × ULN, the drug is interrupted and resumed one level lower "
                "if values recover to below 3 × ULN within 14 days; otherwise it is stopped.",
            ),
        ),
        (
            (
                "Adverse event: Hypertension | Zanolimab + rivoratinib, any grade (%): 44.3 | "
                "Zanolimab + rivoratinib, grade ≥ 3 (%): 16.4 | Lenvatinib, any grade (%): 41.0 | "
                "Lenvatinib, grade ≥ 3 (%): 19.7",
            ),
            (
                "Grade 3 or higher hypertension was less frequent with zanolimab–rivoratinib than "
                "with lenvatinib (16.4% vs 41.0%).",
                "Grade 3 or higher hypertension was less frequent with lenvatinib than with "
                "zanolimab–rivoratinib (16.4% vs 19.7%).",
            ),
            (
                "Grade 3 or higher hypertension was less frequent with zanolimab–rivoratinib than "
                "with lenvatinib (16.4% vs 19.7%).",
                "Grade 3 or higher hypertension was more frequent with lenvatinib than with "
                "zanolimab–rivoratinib (19.7% vs 16.4%).",
            ),
        ),
    )


def test_a_comparison_with_surveillance_gives_its_values_in_order(trials: Assistant) -> None:
    """ "X over active surveillance (median a vs b months)": b is surveillance's, as the passage
    gives it ("30.4 months with surveillance"); the values swapped are flagged."""
    told_apart(
        trials,
        passages(
            "ORCHID-3 randomly assigned 668 patients to zanolimab 480 mg IV every 4 weeks for up "
            "to 12 months (n = 334) or active surveillance (n = 334). Median RFS was 33.1 months "
            "with zanolimab vs 30.4 months with surveillance (HR 0.93; 95% CI, 0.76 to 1.14; "
            "p = 0.48), and the difference was not statistically significant."
        ),
        wrong=(
            "In ORCHID-3, adjuvant zanolimab did not significantly improve recurrence-free "
            "survival over active surveillance (median 30.4 vs 33.1 months; HR 0.93, p = 0.48).",
        ),
        right=(
            "In ORCHID-3, adjuvant zanolimab did not significantly improve recurrence-free "
            "survival over active surveillance (median 33.1 vs 30.4 months; HR 0.93, p = 0.48).",
        ),
    )


def test_acronyms_no_source_defines_are_read_from_their_words(trials: Assistant) -> None:
    """ "SBP" and "DBP" where the passage writes "systolic/diastolic blood pressure": the same
    tests, their thresholds swapped still flagged; words that only happen to start with the
    letters ("and creatinine" for "ANC") name no test."""
    apart_each(
        trials,
        (
            (
                "8. Uncontrolled hypertension, defined as systolic blood pressure > 150 mmHg or "
                "diastolic blood pressure > 90 mmHg despite optimal treatment.",
            ),
            (
                "Uncontrolled hypertension, meaning SBP > 90 mmHg or DBP > 150 mmHg despite "
                "optimal treatment, is an exclusion criterion.",
            ),
            (
                "Uncontrolled hypertension, meaning SBP > 150 mmHg or DBP > 90 mmHg despite "
                "optimal treatment, is an exclusion criterion.",
            ),
        ),
        (
            (
                "Treatment is contraindicated if the platelet count is below 50 × 10⁹/L and "
                "creatinine clearance is below 30 mL/min.",
            ),
            ("Treatment is contraindicated if the ANC is below 50 × 10⁹/L.",),
            ("Treatment is contraindicated if platelets are below 50 × 10⁹/L.",),
        ),
    )


def test_continuing_a_drug_the_rule_withholds_is_a_flipped_polarity(trials: Assistant) -> None:
    """A dose-modification rule restated with the opposite action ("can be continued" where the
    table withholds it, "requires interruption" where it is continued) is contradicted; the
    action restated in other words, or "continued until progression", is not."""
    grade_2 = (
        "Adverse event: Hypertension | Severity: Grade 2 | Action: Continue rivoratinib; start "
        "or intensify antihypertensive therapy"
    )
    grade_3 = (
        "Adverse event: Hypertension | Severity: Grade 3 | Action: Interrupt until grade ≤ 1, "
        "then resume one dose level lower"
    )
    apart_each(
        trials,
        (
            (grade_2, grade_3),
            ("Grade 2 hypertension requires interruption of rivoratinib.",),
            (
                "For grade 2 hypertension, rivoratinib is continued and antihypertensive therapy "
                "is started or intensified.",
            ),
        ),
        (
            (grade_3, grade_2),
            ("For grade 3 hypertension, rivoratinib can be continued.",),
            ("For grade 3 hypertension, rivoratinib is interrupted until grade 1 or less.",),
        ),
        (
            (
                "Adverse reaction: Skin reactions | Severity: Suspected SJS or TEN, grade 4, or "
                "recurrent grade 3 | Dose modification: Withhold if SJS or TEN is suspected; "
                "permanently discontinue if confirmed",
            ),
            ("The drug can be continued while SJS is only suspected.",),
            (
                "For skin reactions, the drug is withheld if SJS or TEN is suspected and "
                "permanently discontinued if confirmed.",
            ),
        ),
        (
            # a "Grade:" column's row, and a row whose later clause ends the course
            (
                "Toxicity: Neutropenia | Grade: 4, or febrile neutropenia | Action: Withhold "
                "until neutrophils ≥1.5 × 10⁹/L, then resume at one dose level lower",
                "Toxicity: Neutropenia | Grade: 3 | Action: Continue at the same dose",
            ),
            ("For grade 4 neutropenia the drug is continued at the same dose.",),
            ("For grade 4 neutropenia the drug is withheld until neutrophils reach 1.5 × 10⁹/L.",),
        ),
        (
            (
                "Adverse event: Pneumonitis | Severity: Grade 2 | Action: Withhold until grade "
                "≤ 1; permanently discontinue if not resolved after 12 weeks",
                "Adverse event: Pneumonitis | Severity: Grade 1 | Action: Continue; monitor "
                "closely",
            ),
            ("For grade 2 pneumonitis, the drug can be continued with close monitoring.",),
            ("For grade 2 pneumonitis, the drug is withheld until grade 1 or less.",),
        ),
        (
            (
                "Rivoratinib is given at 140 mg once daily until disease progression or "
                "unacceptable toxicity.",
            ),
            (),
            (
                "Rivoratinib 140 mg once daily is continued until progression or unacceptable "
                "toxicity.",
            ),
        ),
    )


def test_fractionation_table_cells_are_read_with_their_column_units(trials: Assistant) -> None:
    """A dose-fractionation row ("Total dose (Gy): 70 | Fractions: 35 | Dose per fraction (Gy):
    2.0 | Duration (weeks): 7") restated as "70 Gy in 35 fractions of 2 Gy over seven weeks";
    a changed dose, count or duration is flagged, and the claim's values in another setting's
    row do not make it the claim's row."""
    definitive = (
        "Setting and target volume: Definitive: primary tumour and involved nodes (high risk) | "
        "Total dose (Gy): 70 | Fractions: 35 | Dose per fraction (Gy): 2.0 | Duration (weeks): 7 "
        "| Concurrent systemic therapy: Cisplatin 100 mg/m2 three-weekly or 40 mg/m2 weekly"
    )
    palliative = (
        "Setting and target volume: Palliative | Total dose (Gy): 30 | Fractions: 10 | Dose per "
        "fraction (Gy): 3.0 | Duration (weeks): 2 | Concurrent systemic therapy: None"
    )
    reduced = (
        "Setting and target volume: Reduced dose, HPV-positive OPC (DELPHINE-3 regimen) | Total "
        "dose (Gy): 60 | Fractions: 30 | Dose per fraction (Gy): 2.0 | Duration (weeks): 6 | "
        "Concurrent systemic therapy: Cisplatin 40 mg/m2 weekly"
    )
    standard = (
        "Setting and target volume: Postoperative: standard risk | Total dose (Gy): 60 | "
        "Fractions: 30 | Dose per fraction (Gy): 2.0 | Duration (weeks): 6 | Concurrent "
        "systemic therapy: None"
    )
    apart_each(
        trials,
        (
            (definitive, palliative),
            (
                "In definitive treatment, the primary tumour and involved nodes receive 70 Gy in "
                "30 fractions of 2 Gy each over seven weeks.",
                "In definitive treatment, the primary tumour and involved nodes receive 70 Gy in "
                "35 fractions over six weeks.",
            ),
            (
                "In definitive treatment, the high-risk primary tumour and involved nodes receive "
                "70 Gy in 35 fractions of 2 Gy each over seven weeks.",
            ),
        ),
        (
            (palliative, definitive),
            ("Palliative radiotherapy is 30 Gy in 10 fractions of 2 Gy.",),
            ("Palliative radiotherapy is 30 Gy in 10 fractions of 3 Gy over 2 weeks.",),
        ),
        (
            (reduced, standard),
            (
                "60 Gy in 30 fractions with weekly cisplatin 40 mg/m2 is the schedule for "
                "standard-risk postoperative radiotherapy.",
            ),
            (
                "60 Gy in 30 fractions with weekly cisplatin 40 mg/m2 is the reduced-dose "
                "DELPHINE-3 regimen for HPV-positive OPC.",
            ),
        ),
    )


def test_nice_verbs_give_the_strength_of_a_recommendation(trials: Assistant) -> None:
    """ "Offer" is a strong recommendation and "Consider" a conditional one: a claim that calls a
    "Consider" recommendation strong (or quotes it as "Offer") is flagged."""
    apart_each(
        trials,
        (
            (
                "1.1.2 Consider confirmatory HPV DNA or RNA testing when p16 staining is "
                "equivocal or when the result would change treatment.",
            ),
            (
                "Confirmatory HPV DNA or RNA testing is a strong recommendation ('Offer') "
                "whenever p16 staining is equivocal.",
            ),
            (
                "Confirmatory HPV DNA or RNA testing is a conditional ('Consider') recommendation "
                "when p16 staining is equivocal.",
            ),
        ),
        (
            (
                "1.1.5 Offer a dental assessment by a restorative dentist at least 2 weeks before "
                "the start of radiotherapy.",
            ),
            (
                "A dental assessment at least 2 weeks before radiotherapy is a conditional "
                "recommendation.",
            ),
            (
                "A dental assessment by a restorative dentist at least 2 weeks before "
                "radiotherapy is a strong recommendation.",
            ),
        ),
    )


def test_schedules_written_as_frequencies_and_grades_in_their_own_column(
    trials: Assistant,
) -> None:
    """ "every week" restates "weekly", "twice a year from year 3 to year 5" restates "every 6
    months in years 3 to 5"; a grade alone in a "Grade" column is that
    grade; the value before a change ("extended OS from 13.9 to 17.8 months") is the control
    arm's. Another schedule, grade or order is flagged."""
    apart_each(
        trials,
        (
            (
                "1.3.1 Offer cisplatin 100 mg/m2 on days 1, 22 and 43 of radiotherapy, or weekly "
                "cisplatin 40 mg/m2, to people who are eligible for cisplatin.",
            ),
            ("Cisplatin may be given as 40 mg/m2 every two weeks during radiotherapy.",),
            ("Cisplatin may be given as 40 mg/m2 every week during radiotherapy.",),
        ),
        (
            (
                "During follow-up, measure EBV DNA every 3 months for the first 2 years and every "
                "6 months in years 3 to 5 [IV, C].",
            ),
            (
                "EBV DNA is checked every three months for two years, then once a year from year "
                "3 to year 5.",
            ),
            (
                "EBV DNA is checked every three months for two years, then twice a year from year "
                "3 to year 5.",
            ),
        ),
        (
            (
                "Toxicity: Neutropenia | Grade: 4, or febrile neutropenia | Action: Withhold "
                "until neutrophils ≥1.5 × 10⁹/L, then resume at one dose level lower",
            ),
            (
                "After grade 3 neutropenia the drug is withheld until neutrophils reach 1.5 × 10⁹/L.",
            ),
            (
                "After grade 4 neutropenia or febrile neutropenia, the drug is withheld until "
                "neutrophils reach at least 1.5 × 10⁹/L and then restarted one dose level lower.",
            ),
        ),
        (
            (
                "Median OS was 17.8 months with zenocitinib and 13.9 months with placebo (HR "
                "0.76, 95% CI 0.61–0.95; p=0.014).",
            ),
            ("Adding zenocitinib extended median overall survival from 17.8 to 13.9 months.",),
            (
                "Adding zenocitinib extended median overall survival from 13.9 to 17.8 months (HR "
                "0.76, 95% CI 0.61–0.95).",
            ),
        ),
    )


def test_a_threshold_claimed_the_other_way_is_judged_where_the_passage_gives_it(
    trials: Assistant,
) -> None:
    """ "recommended for CPS <1" is judged against the sentence about CPS <1 (not recommended),
    not the better-matching one about CPS ≥1."""
    told_apart(
        trials,
        passages(
            "Pembrolizumab monotherapy is recommended for patients with CPS ≥1, particularly those "
            "with CPS ≥20 or limited tumour burden [I, A]. Pembrolizumab monotherapy is not "
            "recommended for patients with CPS <1 [II, D]."
        ),
        wrong=("Pembrolizumab monotherapy is recommended for patients with CPS <1.",),
        right=(
            "Pembrolizumab monotherapy is not recommended for patients with CPS <1.",
            "Pembrolizumab monotherapy is recommended for patients with a CPS of 1 or more.",
        ),
    )


def test_recommendations_worded_as_nice_verbs(trials: Assistant) -> None:
    """ "…; offer total laryngectomy …" recommends it though the sentence opens with "Do not
    offer"; "NICE recommends considering" and "should consider" restate "Consider"."""
    apart_each(
        trials,
        (
            (
                "1.4.2 Do not offer larynx preservation to people with T4a laryngeal cancer with "
                "extensive cartilage destruction or extralaryngeal spread; offer total "
                "laryngectomy followed by postoperative radiotherapy or CRT.",
            ),
            (
                "Larynx preservation is recommended for T4a laryngeal cancer with extensive "
                "cartilage destruction.",
            ),
            (
                "Total laryngectomy followed by postoperative radiotherapy or CRT is recommended "
                "for T4a laryngeal cancer with extensive cartilage destruction or spread beyond "
                "the larynx.",
            ),
        ),
        (
            (
                "1.2.4 Consider adjuvant chemotherapy for people with high-risk stage II colon cancer.",
            ),
            (
                "Adjuvant chemotherapy is a strong recommendation for high-risk stage II colon cancer.",
            ),
            (
                "NICE recommends considering adjuvant chemotherapy for high-risk stage II colon "
                "cancer.",
                "Clinicians should consider adjuvant chemotherapy for high-risk stage II colon "
                "cancer.",
            ),
        ),
    )


def test_a_sentence_copied_from_the_passage_is_not_contradicted(trials: Assistant) -> None:
    """A results sentence with two parts ("improved LRC (…; p=0.017) but did not significantly
    improve OS (…)") copied whole is what the passage says; its OS part claimed significant is
    still flagged."""
    told_apart(
        trials,
        passages(
            "Postoperative radiotherapy improved 3-year LRC (88.1% vs 79.4%; HR 0.58, 95% CI "
            "0.37–0.91; p=0.017) but did not significantly improve OS (3-year OS 86.0% vs 84.3%; "
            "HR 0.86, 95% CI 0.60–1.24; p=0.42)."
        ),
        wrong=(
            "Postoperative radiotherapy significantly improved OS (3-year OS 86.0% vs 84.3%; HR "
            "0.86, 95% CI 0.60–1.24; p=0.42).",
        ),
        right=(
            "Postoperative radiotherapy improved 3-year LRC (88.1% vs 79.4%; HR 0.58, 95% CI "
            "0.37–0.91; p=0.017) but did not significantly improve OS (3-year OS 86.0% vs 84.3%; "
            "HR 0.86, 95% CI 0.60–1.24; p=0.42).",
        ),
    )


def test_how_often_a_dose_is_given_in_prescription_latin_and_per_day(trials: Assistant) -> None:
    """ "BID" is "twice daily"; "750 mg/m2 per day" and "400 mg/day" are restated by "daily"
    but not by "once daily" (a total per day may be split) nor by "twice daily"."""
    told_apart(
        trials,
        passages(
            "TPF is docetaxel 75 mg/m2 on day 1 with 5-FU 750 mg/m2 per day on days 1 to 5, every "
            "3 weeks. Sorafenib 400 mg/day is taken without food. Kelaparib 300 mg BID for up to "
            "24 months (Category 1, other recommended)."
        ),
        wrong=(
            "Sorafenib is taken at 400 mg once daily.",
            "Sorafenib is taken at 400 mg twice daily.",
            "Kelaparib 300 mg once daily for up to 24 months is Category 1.",
            "5-FU 750 mg/m2 is given twice daily on days 1 to 5 of TPF.",
        ),
        right=(
            "TPF includes 5-FU 750 mg/m2 daily on days 1–5.",
            "Sorafenib is taken at 400 mg daily.",
            "Kelaparib 300 mg twice daily for up to 24 months is Category 1.",
        ),
    )


def test_a_grade_defined_by_a_grading_legend(trials: Assistant) -> None:
    """A legend names each grade by its letter ("…: A, strong evidence …; B, …" or "run from A
    (…) through B (…)"): a claim that defines a grade is checked against the words the legend
    gives that letter, not against its absence."""
    listed = (
        "Grades of recommendation: A, strong evidence for efficacy with a substantial clinical "
        "benefit, strongly recommended; B, strong or moderate evidence for efficacy but with a "
        "limited clinical benefit, generally recommended; C, insufficient evidence for efficacy, "
        "or benefit does not outweigh the risk or disadvantages, optional; D, moderate evidence "
        "against efficacy or for adverse outcome, generally not recommended; E, strong evidence "
        "against efficacy or for adverse outcome, never recommended."
    )
    running = (
        "Grades of recommendation run from A (strong evidence for efficacy with a substantial "
        "clinical benefit, strongly recommended) through B (strong or moderate evidence for "
        "efficacy but a limited clinical benefit, generally recommended) and C (insufficient "
        "evidence for efficacy, or a benefit that does not outweigh the risks, optional) to D "
        "(moderate evidence against efficacy or for an adverse outcome, generally not "
        "recommended) and E (strong evidence against efficacy, never recommended)."
    )
    for legend in (listed, running):
        told_apart(
            trials,
            passages(legend),
            wrong=(
                "Grade A means strong or moderate evidence for efficacy but only a limited "
                "clinical benefit, so the intervention is generally recommended.",
                "A grade B recommendation is optional: the evidence for efficacy is insufficient.",
                "A grade D recommendation reflects strong evidence against efficacy, never "
                "recommended.",
            ),
            right=(
                "Under this system, grade B means strong or moderate evidence of efficacy but "
                "only a limited clinical benefit, so the intervention is generally recommended.",
                "A grade C recommendation is optional: the evidence for efficacy is insufficient.",
                # the legend copied whole is read entry by entry
                legend,
            ),
        )
    # a legend that gives one letter another letter's words
    told_apart(
        trials,
        passages(running),
        wrong=(
            "Grades of recommendation run from A (moderate evidence against efficacy or for an "
            "adverse outcome, generally not recommended) through B (strong or moderate evidence "
            "for efficacy but a limited clinical benefit, generally recommended) and C "
            "(insufficient evidence for efficacy, or a benefit that does not outweigh the risks, "
            "optional) to D (strong evidence for efficacy with a substantial clinical benefit, "
            "strongly recommended) and E (strong evidence against efficacy, never recommended).",
        ),
        right=(running,),
    )


def test_a_group_swapped_for_another_of_its_scale(trials: Assistant) -> None:
    """ "low-risk" where the sentence the claim restates says "high-risk", "platinum-resistant"
    for "platinum-sensitive", "severe" for "mild": another group of the same scale. A passage
    that says it of both groups, or a claim that names them together, is no swap."""
    told_apart(
        trials,
        passages(
            "Kidney-sparing surgery should be offered as first-line treatment for low-risk UTUC. "
            "In high-risk UTUC, radical nephroureterectomy with template lymphadenectomy should "
            "be performed. Rechallenge with platinum is recommended for platinum-sensitive "
            "relapse. No dose adjustment is needed in mild hepatic impairment. Surveillance "
            "cystoscopy is recommended in low- and intermediate-risk NMIBC."
        ),
        wrong=(
            "Template lymphadenectomy should be performed in patients with low-risk UTUC.",
            "Kidney-sparing surgery should be offered as first-line treatment for high-risk UTUC.",
            "Rechallenge with platinum is recommended for platinum-resistant relapse.",
            "No dose adjustment is needed in severe hepatic impairment.",
        ),
        right=(
            "Kidney-sparing surgery is the first-line treatment for low-risk UTUC.",
            "In high-risk UTUC, nephroureterectomy with a template lymphadenectomy is recommended.",
            "Surveillance cystoscopy is recommended in intermediate-risk NMIBC.",
            "Kidney-sparing surgery is offered in low-risk UTUC and nephroureterectomy in "
            "high-risk UTUC.",
        ),
    )


def test_a_table_row_named_in_part_is_still_its_row(trials: Assistant) -> None:
    """A claim may leave words of a row's first cell out ("the primary tumour and involved
    nodes" for "Definitive: primary tumour and involved nodes (high risk)"), but not name
    another step of the scale a missing word belongs to ("second" for "Third")."""
    told_apart(
        trials,
        passages(
            "Setting and target volume: Definitive: primary tumour and involved nodes (high "
            "risk) | Total dose (Gy): 70 | Fractions: 35 | Dose per fraction (Gy): 2.0 | "
            "Duration (weeks): 7",
            "Setting and target volume: Definitive: elective nodal volumes (low risk) | Total "
            "dose (Gy): 56 | Fractions: 35 | Dose per fraction (Gy): 1.6 | Duration (weeks): 7",
        ),
        wrong=(
            "In definitive treatment, the elective nodal volumes receive 70 Gy in 35 fractions.",
            "In definitive treatment, the primary tumour and involved nodes receive 56 Gy.",
        ),
        right=(
            "In definitive treatment, the primary tumour and involved nodes receive 70 Gy in 35 "
            "fractions of 2 Gy each over seven weeks.",
        ),
    )
    told_apart(
        trials,
        passages("Dose level: Third dose reduction | Dose (mg/m²): 27"),
        wrong=("The second dose reduction of carvezomib is 27 mg/m².",),
        right=("The third dose reduction is 27 mg/m².",),
    )


ORDER_SET = (
    "TREATMENT:\n"
    "Day 1: oxaliplatin 85 mg/m² IV over 2 hours, given concurrently with leucovorin 400 mg/m² "
    "IV over 2 hours\n"
    "Day 1: irinotecan 150 mg/m² IV over 90 minutes, starting 30 minutes after the end of "
    "oxaliplatin\n"
    "Day 1: fluorouracil 2,400 mg/m² IV continuous infusion over 46 hours by ambulatory pump\n"
    "No fluorouracil bolus is given.\n"
    "Repeat every 14 days for a total of 12 cycles (6 months) in the adjuvant setting.\n"
    "Doses reduced for toxicity are not re-escalated."
)


def test_an_order_set_reads_line_by_line_and_its_denials_count(trials: Assistant) -> None:
    """Each "Day 1:" line of a protocol is a statement, though it has no full stop; a line
    copied whole says what the protocol says. A short sentence that denies what a claim
    asserts ("No fluorouracil bolus is given.") contradicts it."""
    assert claim_sentences(ORDER_SET)[1:4] == [
        "Day 1: oxaliplatin 85 mg/m² IV over 2 hours, given concurrently with leucovorin "
        "400 mg/m² IV over 2 hours",
        "Day 1: irinotecan 150 mg/m² IV over 90 minutes, starting 30 minutes after the end of "
        "oxaliplatin",
        "Day 1: fluorouracil 2,400 mg/m² IV continuous infusion over 46 hours by ambulatory pump",
    ]
    told_apart(
        trials,
        passages(ORDER_SET),
        wrong=(
            "A fluorouracil bolus is given on day 1 before the 46-hour infusion.",
            "Doses reduced for toxicity may be re-escalated once the toxicity has resolved.",
        ),
        right=(
            "Day 1: oxaliplatin 85 mg/m² IV over 2 hours, given concurrently with leucovorin "
            "400 mg/m² IV over 2 hours",
            "Fluorouracil 2,400 mg/m² is given over 46 hours, with no bolus.",
            "Once reduced for toxicity, doses are not re-escalated.",
        ),
    )


def test_regimen_ranks_and_categories_are_read_per_list_item(trials: Assistant) -> None:
    """ "Preferred", "other recommended" and "useful in certain circumstances" rank regimens:
    a claim that moves a regimen to another rank is a grade change; a claim naming two
    regimens with their categories is read clause by clause; "albumin-bound paclitaxel" is
    nab-paclitaxel."""
    listing = (
        "First-line therapy, ECOG PS 2:\n"
        "- Preferred: gemcitabine monotherapy (category 1)\n"
        "- Other recommended: reduced-dose gemcitabine + albumin-bound paclitaxel (category 2B)\n"
        "\n"
        "Borderline resectable disease: neoadjuvant therapy is recommended (category 2A). The "
        "preferred neoadjuvant regimen is mFOLFIRINOX for 4–6 months.\n"
        "Gemcitabine plus albumin-bound paclitaxel is an other recommended neoadjuvant regimen."
    )
    told_apart(
        trials,
        passages(listing),
        wrong=(
            "Gemcitabine plus nab-paclitaxel is a preferred neoadjuvant regimen for borderline "
            "resectable disease.",
            "For ECOG PS 2, gemcitabine monotherapy is the preferred first-line option "
            "(category 2B), with reduced-dose gemcitabine plus albumin-bound paclitaxel as an "
            "other recommended category 1 choice.",
        ),
        right=(
            "For ECOG PS 2, gemcitabine monotherapy is the preferred first-line option "
            "(category 1), with reduced-dose gemcitabine plus albumin-bound paclitaxel as an "
            "other recommended category 2B choice.",
            "mFOLFIRINOX is the preferred neoadjuvant regimen for borderline resectable disease.",
            "Gemcitabine with nab-paclitaxel is an other recommended neoadjuvant regimen.",
        ),
    )


def test_trial_results_said_of_another_trial_or_against_their_own_values(
    trials: Assistant,
) -> None:
    """A claim naming a trial the passage never names, where the sentence it restates names
    another, is flagged; so is a comparison its own two values contradict ("more common …
    (26% vs 31%)"), and "failed to show non-inferiority" where the trial met it."""
    report = (
        "In PALISADE-2, 812 patients were randomly assigned 1:1 to ORVIFOX or gemcitabine plus "
        "albumin-bound paclitaxel. Grade ≥3 neutropenia occurred in 26% and 31% of patients, "
        "respectively. Rivoratinib was non-inferior to sorafenib for overall survival (HR 0.90; "
        "95% CI, 0.77 to 1.05), which met the criterion for non-inferiority; superiority was "
        "not shown."
    )
    told_apart(
        trials,
        passages(report),
        wrong=(
            "In CORMORANT-1, 812 patients were randomly assigned 1:1 to ORVIFOX or gemcitabine "
            "plus albumin-bound paclitaxel.",
            "Grade ≥3 neutropenia was more common with ORVIFOX than with gemcitabine plus "
            "albumin-bound paclitaxel (26% vs 31%).",
            "Rivoratinib failed to show non-inferiority to sorafenib for overall survival.",
        ),
        right=(
            "PALISADE-2 randomised 812 patients 1:1 to ORVIFOX or gemcitabine plus nab-paclitaxel.",
            "Grade ≥3 neutropenia was less common with ORVIFOX than with gemcitabine plus "
            "albumin-bound paclitaxel (26% vs 31%).",
            "Rivoratinib met the criterion for non-inferiority to sorafenib for overall survival.",
        ),
    )
    assert noninferiority("the trial was designed to show non-inferiority") == ""
    assert noninferiority("did not meet its non-inferiority endpoint") == "not shown"


def test_one_mutation_written_two_ways_is_one_group(trials: Assistant) -> None:
    """ "G12C-mutant" and "G12C-mutated" name one group; a column headed "contraindicated"
    denies nothing of the row's other cells."""
    told_apart(
        trials,
        passages(
            "Criterion: CrCl (Cockcroft–Gault) | Full-dose cisplatin: ≥60 mL/min | Adjusted dose "
            "or alternative: 50–59 mL/min: cisplatin 75 mg/m2 three-weekly | Cisplatin "
            "contraindicated: <50 mL/min: use carboplatin"
        ),
        wrong=("Full-dose cisplatin requires a creatinine clearance of 50 mL/min or more.",),
        right=(
            "Full-dose cisplatin requires a Cockcroft–Gault creatinine clearance of 60 mL/min "
            "or more.",
        ),
    )
    told_apart(
        trials,
        passages(
            "For previously treated KRAS G12C-mutated disease, tavorasib 600 mg orally once "
            "daily is useful in certain circumstances (category 2B)."
        ),
        wrong=(
            "For KRAS G12C wild-type disease, tavorasib 600 mg once daily is an option.",
            # "useful in certain circumstances" is a conditional recommendation
            "Tavorasib 600 mg once daily is not recommended for previously treated KRAS "
            "G12C-mutated PDAC.",
        ),
        right=(
            "For previously treated KRAS G12C-mutant PDAC, tavorasib 600 mg once daily by mouth "
            "is a category 2B option.",
        ),
    )


def test_what_the_attack_on_the_new_rules_found(trials: Assistant) -> None:
    """A row named in part is not the claim's row when the claim adds its own qualifier
    ("blast crisis" for "CML, chronic phase"); a grading legend grades no recommendation; a
    lower risk with longer survival is no contradiction; a negated group, "rather than" and
    "not only non-inferior" are read as written."""
    told_apart(
        trials,
        passages(
            "Indication: CML, chronic phase | Dose: 400 mg/day\n"
            "Indication: CML, accelerated phase or blast crisis | Dose: 600 mg/day"
        ),
        wrong=(
            "For CML in blast-crisis phase, imatinib is started at 400 mg daily.",
            "For CML in accelerated phase, imatinib is started at 400 mg daily.",
        ),
        right=("In chronic-phase CML the dose is 400 mg daily.",),
    )
    told_apart(
        trials,
        passages(
            "Grades of recommendation: A, strong evidence for efficacy with a substantial "
            "clinical benefit, strongly recommended; B, strong or moderate evidence for "
            "efficacy but with a limited clinical benefit, generally recommended; C, "
            "insufficient evidence for efficacy, optional. For FGFR2 fusion-positive "
            "cholangiocarcinoma, pemigatinib may be considered after progression."
        ),
        wrong=(
            "For FGFR2 fusion-positive cholangiocarcinoma, pemigatinib may be considered after "
            "progression (grade A).",
        ),
        right=("Grade A means strong evidence for efficacy with a substantial clinical benefit.",),
    )
    told_apart(
        trials,
        passages(
            "Median OS was 47.5 months with durvalumab and 29.1 months with placebo (HR 0.72). "
            "Osimertinib has no role in EGFR wild-type NSCLC. Adjuvant imatinib for 3 years is "
            "recommended for GIST at high risk of recurrence after complete resection."
        ),
        wrong=(),
        right=(
            "Osimertinib is reserved for EGFR-mutated NSCLC.",
            "Adjuvant imatinib for 3 years is recommended after complete resection of GIST at "
            "high rather than low risk of recurrence.",
        ),
    )
    assert noninferiority("denosumab was not only non-inferior but also superior") != "not shown"
    assert not _comparison_inconsistent(
        "The risk of death was lower with durvalumab than with placebo (median OS 47.5 vs 29.1 "
        "months)."
    )


def test_what_the_review_of_the_new_rules_found(trials: Assistant) -> None:
    """A row's words outside brackets tell it from its neighbour ("febrile"); a wrapped line
    after "followed on days 1 to 5 by" continues its statement; a denial about another grade
    denies nothing; "did not cross the non-inferiority margin" is a success; arms named
    inside the brackets are not read in order; a heading without a rank ends the list above;
    two categories swapped in one clause are flagged."""
    told_apart(
        trials,
        passages(
            "Toxicity: Grade 4 febrile neutropenia | Action: reduce docetaxel to 60 mg/m2\n"
            "Toxicity: Grade 4 neutropenia | Action: continue docetaxel at 75 mg/m2"
        ),
        wrong=("For grade 4 neutropenia, docetaxel is reduced to 60 mg/m2.",),
        right=("For grade 4 febrile neutropenia, docetaxel is reduced to 60 mg/m2.",),
    )
    wrapped = (
        "Day 1: cisplatin 75 mg/m2 IV over 1 hour, followed on days 1 to 5 by\n"
        "Fluorouracil 1000 mg/m2 continuous infusion.\nDay 8: no treatment."
    )
    assert claim_sentences(wrapped)[0].endswith("by Fluorouracil 1000 mg/m2 continuous infusion.")
    told_apart(
        trials,
        passages(
            "The dose is not reduced for grade 2 neutropenia. For grade 3 neutropenia, the dose "
            "is reduced by one level. Cetuximab is not recommended in RAS-mutant disease. In RAS "
            "wild-type disease, cetuximab is recommended. The upper limit of the 95% CI for the "
            "HR (1.05) did not cross the non-inferiority margin of 1.08. Grade 3 or higher "
            "neutropenia occurred in 31% with docetaxel and 26% with paclitaxel."
        ),
        wrong=(),
        right=(
            "For grade 3 neutropenia, the dose is reduced.",
            "Cetuximab is recommended in RAS wild-type rather than RAS-mutant disease.",
            "Grade 3 or higher neutropenia was more common with docetaxel than with paclitaxel "
            "(26% with paclitaxel vs 31% with docetaxel).",
        ),
    )
    assert noninferiority("did not cross the non-inferiority margin of 1.08") != "not shown"
    told_apart(
        trials,
        passages(
            "Useful in certain circumstances\n- Olaparib (category 2B)\nThird-line options\n"
            "- Gemcitabine + cisplatin (category 2B)\n\n- FOLFIRINOX (category 1)\n"
            "- Gemcitabine + capecitabine (category 2B)"
        ),
        wrong=(
            "FOLFIRINOX (category 2B) and gemcitabine plus capecitabine (category 1) are options.",
        ),
        right=("Gemcitabine plus cisplatin is a preferred third-line option (category 2B).",),
    )


def test_what_the_final_read_of_the_new_rules_found(trials: Assistant) -> None:
    """Brackets that tell two rows apart, or give a severity, are not left out; two categories
    in one claim are read clause by clause however short the list items; every item under a
    list heading takes its rank; a contrast ends a denial of non-inferiority."""
    told_apart(
        trials,
        passages(
            "Toxicity: Neutropenia (febrile) | Action: reduce docetaxel to 60 mg/m2\n"
            "Toxicity: Neutropenia (afebrile) | Action: continue docetaxel at 75 mg/m2"
        ),
        wrong=(
            "For neutropenia, docetaxel is reduced to 60 mg/m2.",
            "For neutropenia, docetaxel is continued at 75 mg/m2.",
        ),
        right=("For febrile neutropenia, docetaxel is reduced to 60 mg/m2.",),
    )
    told_apart(
        trials,
        passages("Condition: Hepatic impairment (moderate) | Dose: sorafenib 200 mg twice daily"),
        wrong=("In hepatic impairment, sorafenib is given at 200 mg twice daily.",),
        right=("In moderate hepatic impairment, sorafenib is given at 200 mg twice daily.",),
    )
    told_apart(
        trials,
        passages(
            "Preferred regimens\n- FOLFIRINOX (category 1)\n- Gemcitabine + albumin-bound "
            "paclitaxel (category 1)\nOther recommended regimens\n- Gemcitabine + capecitabine "
            "(category 2A)\n- Capecitabine monotherapy"
        ),
        wrong=(
            "FOLFIRINOX (category 2A) and gemcitabine plus capecitabine (category 1) are options.",
            "FOLFIRINOX is preferred (category 1), with gemcitabine plus capecitabine as a "
            "category 1 choice.",
            "Capecitabine monotherapy is a preferred regimen.",
        ),
        right=(
            "FOLFIRINOX is preferred (category 1), with gemcitabine plus capecitabine as a "
            "category 2A choice.",
            "Capecitabine monotherapy is an other recommended regimen.",
        ),
    )
    assert noninferiority(
        "did not demonstrate superiority but met its non-inferiority endpoint"
    ) == ("shown")


def test_glioma_guideline_wording(trials: Assistant) -> None:
    """Wording of a neuro-oncology guideline and its product labels: margins in cm and mm, a
    trial or drug named only in the section heading, a dose taken from its column's header, a
    bound written "does not exceed", a grade paired with its value."""
    told_apart(
        trials,
        passages(
            "The CTV is generated by adding an isotropic margin of 15 mm to the GTV. "
            "Re-irradiation may be considered for a recurrent lesion ≤40 mm in diameter."
        ),
        wrong=("The CTV is the GTV plus a 2.5 cm isotropic margin.",),
        right=(
            "The CTV is the GTV plus a 1.5 cm isotropic margin.",
            "Re-irradiation may be considered for recurrent lesions up to 4 cm in diameter.",
        ),
    )
    told_apart(
        trials,
        passages(
            "SRS may also be offered to patients with 5–10 brain metastases if the cumulative "
            "tumour volume is ≤15 cm³ [II, B]."
        ),
        wrong=(
            "SRS may be offered for 5 to 10 brain metastases if the cumulative tumour volume "
            "does not exceed 25 cm³.",
        ),
        right=(
            "SRS can also be offered for 5 to 10 brain metastases provided the cumulative "
            "tumour volume does not exceed 15 cm³ [II, B].",
        ),
    )
    told_apart(
        trials,
        passages(
            "In this fictional phase III trial, 1,046 adults aged 18–69 years with newly "
            "diagnosed glioblastoma were randomly assigned in a 1:1 ratio to elvanumab or placebo.",
            section="10. Trial Report: NEXUS-GBM",
        ),
        wrong=("NEXUS-GBM randomised 1,406 adults aged 18–69 years to elvanumab or placebo.",),
        right=("NEXUS-GBM randomised 1,046 adults aged 18–69 years to elvanumab or placebo.",),
    )
    told_apart(
        trials,
        passages("Dose level: −1 | Temozolomide dose (mg/m²/day): 100 | Remarks: Reduction"),
        wrong=("Dose level −1 corresponds to temozolomide 120 mg/m²/day.",),
        right=("Dose level −1 corresponds to temozolomide 100 mg/m²/day.",),
    )
    told_apart(
        trials,
        passages(
            "Patients with a CNS WHO grade 2 glioma who have never had a seizure should not "
            "drive for 12 months after craniotomy; for CNS WHO grade 3 or 4 glioma, the period "
            "is 24 months."
        ),
        wrong=(
            "Patients with a CNS WHO grade 3 glioma who have never had a seizure should not "
            "drive for 12 months after craniotomy.",
        ),
        right=(
            "Patients with a CNS WHO grade 3 or 4 glioma who have never had a seizure should "
            "not drive for two years after craniotomy.",
        ),
    )


def test_a_subgroup_named_before_its_brackets_or_its_values(trials: Assistant) -> None:
    """ "consistent in oligodendrogliomas (HR 0.41 …) and astrocytomas (HR 0.35 …)": each ratio
    is its group's; "in MGMT-methylated tumours … whereas in MGMT-unmethylated tumours …": each
    value is said of the group named last before it."""
    told_apart(
        trials,
        passages(
            "The progression-free survival benefit was consistent in oligodendrogliomas (HR "
            "0.41, 95% CI 0.24–0.70) and astrocytomas (HR 0.35, 95% CI 0.22–0.56)."
        ),
        wrong=(
            "The progression-free survival hazard ratio was 0.41 in astrocytomas and 0.35 in "
            "oligodendrogliomas.",
            "The PFS benefit held in astrocytomas (HR 0.41) and oligodendrogliomas (HR 0.35).",
        ),
        right=(
            "The progression-free survival hazard ratio was 0.41 in oligodendrogliomas and 0.35 "
            "in astrocytomas.",
            "The PFS benefit held in oligodendrogliomas (HR 0.41) and astrocytomas (HR 0.35).",
        ),
    )
    told_apart(
        trials,
        passages(
            "Temozolomide rechallenge may be considered in MGMT-methylated glioblastoma that "
            "recurs more than 3 months after the last adjuvant cycle [III, C]. In patients with "
            "MGMT-methylated tumours, median overall survival was 27.3 months versus 21.8 months "
            "(HR 0.69, 95% CI 0.55–0.87; p=0.002), whereas in patients with MGMT-unmethylated "
            "tumours the difference was not significant (14.9 vs 14.2 months; HR 0.95, 95% CI "
            "0.79–1.15; p=0.61)."
        ),
        wrong=(
            "Temozolomide rechallenge may be considered in MGMT-unmethylated glioblastoma that "
            "recurs more than 3 months after the last adjuvant cycle [III, C].",
            "In the MGMT-methylated subgroup, the overall survival difference was not "
            "significant (HR 0.95, 95% CI 0.79–1.15; p=0.61).",
            "In MGMT-unmethylated tumours median OS was 27.3 vs 21.8 months (HR 0.69).",
        ),
        right=(
            "In the MGMT-unmethylated subgroup, the overall survival difference was not "
            "significant (HR 0.95, 95% CI 0.79–1.15; p=0.61).",
            "In MGMT-methylated tumours median OS was 27.3 vs 21.8 months (HR 0.69).",
            "Median OS was 27.3 vs 21.8 months in MGMT-methylated and 14.9 vs 14.2 months in "
            "unmethylated tumours.",
        ),
    )


def test_denials_written_cannot_or_no_and_run_in_headings(trials: Assistant) -> None:
    """ "cannot be classified", "No dose adjustments are recommended" deny; a run-in heading in
    emphasis ("*Hepatitis B reactivation.* Patients …") ends its own sentence, so the sentence
    after it is read alone."""
    hits = passages(
        "*Hepatitis B reactivation.* Patients who receive rituximab-containing regimens require "
        "antiviral prophylaxis against hepatitis B reactivation. No dose adjustments are "
        "recommended for patients with mild hepatic impairment. A tumour that lacks both "
        "markers cannot be classified as high risk, whatever its stage at diagnosis."
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "Antiviral prophylaxis against hepatitis B reactivation is not required in patients "
            "who receive rituximab-containing regimens.",
            "Dose adjustments are recommended for patients with mild hepatic impairment.",
            "A tumour that lacks both markers can be classified as high risk, whatever its "
            "stage at diagnosis.",
        ),
        right=(
            "Patients who receive rituximab-containing regimens require antiviral prophylaxis "
            "against hepatitis B reactivation.",
            "Dose adjustments are not recommended for patients with mild hepatic impairment.",
            "A tumour that lacks both markers cannot be classified as high risk, whatever its "
            "stage at diagnosis.",
        ),
    )
    # a denial inside the case a sentence opens with is no advice: "If … cannot be used, …"
    told_apart(
        trials,
        passages(
            "If zolbetamab cannot be used, four to six cycles of platinum-based chemotherapy "
            "are recommended, followed by maintenance immunotherapy."
        ),
        wrong=(
            "If zolbetamab cannot be used, four to six cycles of platinum-based chemotherapy "
            "are not recommended.",
        ),
        right=(
            "Where zolbetamab cannot be used, four to six cycles of platinum-based "
            "chemotherapy are recommended, followed by maintenance immunotherapy.",
        ),
    )


def test_a_grading_legend_written_as_a_list_under_its_heading(trials: Assistant) -> None:
    """ "### Grades of recommendation" over "- A: …", "- B: …": each line is the legend's entry
    for its letter, so a claim that gives a letter another letter's words is flagged."""
    hits = passages(
        "- A: Strong evidence for efficacy with a substantial clinical benefit; strongly "
        "recommended.\n"
        "- B: Strong or moderate evidence for efficacy but with a limited clinical benefit; "
        "generally recommended.\n"
        "- C: Insufficient evidence for efficacy; optional.\n"
        "- D: Moderate evidence against efficacy or for adverse outcome; generally not "
        "recommended.",
        section="Grades of recommendation",
    )
    told_apart(
        trials,
        hits,
        wrong=(
            "Grade A denotes strong or moderate evidence for efficacy with a limited clinical "
            "benefit, so the intervention is generally recommended.",
            "In this guideline, grade B means moderate evidence against efficacy or for an "
            "adverse outcome, so the intervention is generally not recommended.",
        ),
        right=(
            "Grade B denotes strong or moderate evidence for efficacy but with a limited "
            "clinical benefit, and such interventions are generally recommended.",
            "In this guideline, grade D means moderate evidence against efficacy or for an "
            "adverse outcome, so the intervention is generally not recommended.",
        ),
    )


def test_rows_of_one_table_keep_their_values(trials: Assistant) -> None:
    """A table is stored row by row, and each row is its own source: values swapped between
    rows are flagged though every row was retrieved, and a claim that restates its cited row
    passes."""
    rows = passages(
        "Week of cycle 1: Week 1 | Brolatinib dose, once daily: 20 mg",
        "Week of cycle 1: Week 2 | Brolatinib dose, once daily: 50 mg",
        "Week of cycle 1: Week 3 onward | Brolatinib dose, once daily: 100 mg",
        caption="Table 3. Ramp-up of brolatinib in cycle 1",
    )
    told_apart(
        trials,
        rows,
        wrong=(
            "Brolatinib is given at 50 mg once daily in week 1 and 20 mg once daily in week 2.",
            "Brolatinib is given at 20 mg once daily in week 1 and 60 mg once daily in week 2.",
        ),
        right=("In week 1 of cycle 1, brolatinib is given at 20 mg once daily.",),
    )
    actions = passages(
        "Grade: Grade 2 | Action: withhold until grade 1 or less, then resume at 100 mg once daily",
        "Grade: Grade 3 | Action: withhold until grade 1 or less, then resume at 50 mg once daily",
        caption="Table 2. Dose modifications of brolatinib",
    )
    claim = (
        "For grade 3 toxicity, withhold brolatinib until grade 1 or less, then resume at 100 mg "
        "once daily."
    )
    assert verdict_of(trials, claim, actions, cite=2).flags


def test_relative_clauses_parts_of_a_name_and_stances_over_two_sentences(
    trials: Assistant,
) -> None:
    """ "for grade 2 CRS that does not improve" says which patients, not advice against; a
    name written in parts ("FLT3-mutated (ITD or TKD)") names FLT3-ITD; a claim whose clauses
    restate two sentences with two stances is read clause by clause."""
    told_apart(
        trials,
        passages(
            "Add dexamethasone 10 mg intravenously every 12 hours for grade 2 CRS that does "
            "not improve after two doses of tocilizumab (conditional recommendation)."
        ),
        wrong=(
            "For grade 2 CRS that has not improved after two doses of tocilizumab, "
            "dexamethasone 10 mg intravenously every 12 hours should not be added.",
        ),
        right=(
            "For grade 2 CRS that has not improved after two doses of tocilizumab, "
            "dexamethasone 10 mg intravenously every 12 hours should be added (conditional "
            "recommendation).",
        ),
    )
    told_apart(
        trials,
        passages(
            "The trial enrolled 642 adults aged 18 to 70 years with newly diagnosed "
            "FLT3-mutated (ITD or TKD) AML."
        ),
        wrong=("The trial enrolled 642 adults aged 18 to 75 years with FLT3-ITD AML.",),
        right=("The trial enrolled 642 adults aged 18 to 70 years with FLT3-ITD AML.",),
    )
    told_apart(
        trials,
        passages(
            "Do not offer live vaccines for at least 2 years after infusion. Inactivated "
            "influenza vaccine may be considered from 3 months after infusion."
        ),
        wrong=(
            "Inactivated influenza vaccine should be avoided for 3 months after infusion, and "
            "live vaccines should be avoided for at least 2 years.",
        ),
        right=(
            "Inactivated influenza vaccine may be considered from 3 months after infusion, but "
            "live vaccines should be avoided for at least 2 years.",
        ),
    )


def test_risk_tables_variants_legends_and_values_after_a_clause_break(trials: Assistant) -> None:
    """A risk table's cell under its header ("Risk category: Intermediate") is the group, and
    "adverse" risk is "poor" risk; a legend entry's "generally recommended" is a stance; a description ("a benefit that does not outweigh the risks")
    advises nothing; words before ", or" describe the value before them."""
    told_apart(
        trials,
        passages(
            "Risk category: Intermediate | Defining genetic lesion: Wild-type NPM1 with "
            "FLT3-ITD | Threshold or qualifier: Any allelic ratio",
            caption="Table 1. Genetic risk at diagnosis",
        ),
        wrong=(
            "Wild-type NPM1 with FLT3-ITD is classified as favourable risk at any allelic ratio.",
        ),
        right=(
            "Wild-type NPM1 with FLT3-ITD is classified as intermediate risk at any allelic ratio.",
        ),
    )
    told_apart(
        trials,
        passages(
            "- B: Strong or moderate evidence for efficacy but with a limited clinical benefit; "
            "generally recommended.\n"
            "- C: Insufficient evidence for efficacy, or a benefit that does not outweigh the "
            "risks; optional.",
            section="Grades of recommendation",
        ),
        wrong=(
            "Grade B means strong or moderate evidence for efficacy but with a limited clinical "
            "benefit, and such interventions are generally not recommended.",
        ),
        right=(
            "Grade B means strong or moderate evidence for efficacy but with a limited clinical "
            "benefit, and such interventions are generally recommended.",
            "A grade C recommendation is optional: the evidence for efficacy is insufficient or "
            "the benefit does not outweigh the risks.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Make a diagnosis when myeloid blasts account for 20% or more of nucleated cells in "
            "the bone marrow or peripheral blood, or 10 per cent or more when a defining "
            "genetic abnormality is present."
        ),
        wrong=(
            "The diagnosis needs 20% or more myeloid blasts in the marrow or blood, or 5% or "
            "more when a defining genetic abnormality is present.",
        ),
        right=(
            "The diagnosis needs 20% or more myeloid blasts in the marrow or blood, or 10% or "
            "more blasts when a defining genetic abnormality is present.",
        ),
    )


def test_a_dose_moved_to_another_steroid_or_another_gene(trials: Assistant) -> None:
    """Methylprednisolone, aciclovir and allopurinol are drug names; a value given for
    FLT3-mutated disease is not said of IDH1-mutated disease."""
    told_apart(
        trials,
        passages(
            "For grade 4 CRS, offer methylprednisolone 1,000 mg intravenously once daily for "
            "three days, followed by a rapid taper. Add dexamethasone 10 mg intravenously every "
            "12 hours for grade 2 CRS."
        ),
        wrong=(
            "For grade 4 CRS, offer dexamethasone 1,000 mg intravenously once daily for three "
            "days, followed by a rapid taper.",
        ),
        right=(
            "For grade 4 CRS, methylprednisolone 1,000 mg is given intravenously once daily for "
            "three days, then rapidly tapered.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Offer gilteritinib 120 mg once daily to adults with relapsed or refractory "
            "FLT3-mutated AML. Consider ivosidenib for relapsed IDH1-mutated AML."
        ),
        wrong=(
            "Offer gilteritinib 120 mg once daily to adults with relapsed or refractory "
            "IDH1-mutated AML.",
        ),
        right=(
            "Gilteritinib 120 mg once daily is offered in relapsed or refractory AML with a "
            "FLT3 mutation.",
        ),
    )


def test_a_drug_the_passage_never_names_in_place_of_the_one_it_does(trials: Assistant) -> None:
    """A drug the passage never names, in place of the one the restated sentence names, is a
    swap, though the claim's value belongs to a third drug both name."""
    told_apart(
        trials,
        passages(
            "For immune-related pneumonitis of grade 2, withhold pembrolizumab and give "
            "prednisolone 1–2 mg/kg per day; permanently discontinue pembrolizumab for grade 3–4 "
            "pneumonitis."
        ),
        wrong=(
            "For grade 2 immune-related pneumonitis, withhold zenocitinib and give prednisolone "
            "1–2 mg/kg per day.",
        ),
        right=(
            "For grade 2 immune-related pneumonitis, withhold pembrolizumab and give "
            "prednisolone 1–2 mg/kg per day.",
        ),
    )


def test_patients_with_a_finding_are_not_patients_without_it(trials: Assistant) -> None:
    """ "below 20 × 10⁹/L in patients with fever" is not said of patients without fever; the
    value of the sentence's other clause ("below 10 × 10⁹/L") is said of everyone else."""
    told_apart(
        trials,
        passages(
            "Offer prophylactic platelet transfusion when the platelet count is below "
            "10 x 10^9/L, or below 20 x 10^9/L in patients with fever or sepsis."
        ),
        wrong=(
            "Prophylactic platelet transfusion is indicated when the platelet count is below "
            "20 x 10^9/L in patients without fever or sepsis.",
        ),
        right=(
            "Prophylactic platelet transfusion is indicated when the platelet count is below "
            "20 x 10^9/L in patients with fever or sepsis.",
            "Prophylactic platelet transfusion is given below 10 x 10^9/L in patients without "
            "fever.",
        ),
    )


def test_what_the_review_and_attack_of_the_set_15_rules_found(trials: Assistant) -> None:
    """ "Patients with no residual disease are recommended …" is advice for, not against; a
    run-in heading that gives advice ("**Not recommended.**") keeps it; a case without a comma
    ("Unless contraindicated anticoagulation … is recommended") does not hide the advice;
    "who cannot be given" describes patients; "does not endorse" denies; two stances with
    their subjects swapped are flagged; aciclovir is acyclovir."""
    told_apart(
        trials,
        passages(
            "Patients with no residual disease are recommended to receive adjuvant capecitabine "
            "for 6 months."
        ),
        wrong=(
            "Adjuvant capecitabine for 6 months is not recommended for patients without "
            "residual disease.",
        ),
        right=(
            "Adjuvant capecitabine for 6 months is recommended for patients without residual "
            "disease.",
        ),
    )
    told_apart(
        trials,
        passages(
            "**Not recommended.** Routine G-CSF prophylaxis for chemotherapy regimens with a "
            "febrile neutropenia risk below 10%.\n"
            "**Recommended.** Primary G-CSF prophylaxis for regimens with a febrile neutropenia "
            "risk of 20% or higher."
        ),
        wrong=(
            "Routine G-CSF prophylaxis is recommended for chemotherapy regimens with a "
            "febrile neutropenia risk below 10%.",
        ),
        right=(
            "Routine G-CSF prophylaxis is not recommended for chemotherapy regimens with a "
            "febrile neutropenia risk below 10%.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Unless contraindicated anticoagulation with apixaban is recommended for 6 months."
        ),
        wrong=("Anticoagulation with apixaban should be avoided for 6 months.",),
        right=("Unless contraindicated, apixaban anticoagulation is recommended for 6 months.",),
    )
    told_apart(
        trials,
        passages(
            "Patients who cannot be given cisplatin should receive carboplatin AUC 5 on day 1 "
            "every 3 weeks."
        ),
        wrong=(
            "Patients who cannot be given cisplatin should not receive carboplatin AUC 5 on "
            "day 1 every 3 weeks.",
        ),
        right=(
            "Patients ineligible for cisplatin should receive carboplatin AUC 5 on day 1 every "
            "3 weeks.",
        ),
    )
    told_apart(
        trials,
        passages("The panel does not endorse routine MRI surveillance after complete resection."),
        wrong=("Routine MRI surveillance after complete resection is recommended.",),
        right=("Routine MRI surveillance after complete resection is not endorsed by the panel.",),
    )
    told_apart(
        trials,
        passages(
            "Inactivated influenza vaccination may be considered from 3 months after CAR T-cell "
            "infusion. Live attenuated vaccines should be avoided for at least 2 years after "
            "infusion and until immune reconstitution."
        ),
        wrong=(
            "Live attenuated vaccines may be considered from 3 months after CAR T-cell "
            "infusion, but inactivated influenza vaccination should be avoided for at least 2 "
            "years.",
        ),
        right=(
            "Inactivated influenza vaccination may be considered from 3 months after CAR "
            "T-cell infusion, but live attenuated vaccines should be avoided for at least 2 "
            "years.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Give acyclovir 400 mg twice daily as antiviral prophylaxis and continue allopurinol "
            "300 mg daily until count recovery."
        ),
        wrong=("Give valaciclovir 400 mg twice daily as antiviral prophylaxis.",),
        right=("Give aciclovir 400 mg twice daily as antiviral prophylaxis.",),
    )


def test_what_the_final_read_of_the_set_15_rules_found() -> None:
    """The group check works both ways; "a regimen that is not recommended" is advice; a table
    cell that only starts with a scale word is no group; a longer drug name is another drug."""
    from rag.checks.verify import _group_flipped, _qualifiers, stances

    assert _group_flipped(
        "Transfuse below 20 x 10^9/L in patients with fever.",
        "Transfuse below 20 x 10^9/L in patients without fever.",
    )
    assert not _group_flipped(
        "Offer it to patients with the FLT3 mutation.", "Offer it to patients without the NPM1 one."
    )
    assert stances("A regimen that is not recommended in frail patients.") == ["against"]
    assert stances("Add dexamethasone for CRS that does not improve.") == []
    assert ("level", "regimen") not in _qualifiers("Regimen: Low-dose cytarabine | Dose: 20 mg")
    assert _qualifiers("Risk category: Adverse | Lesion: TP53")[("outlook", "risk")] == {"poor"}


def test_a_longer_drug_name_is_another_drug(trials: Assistant) -> None:
    told_apart(
        trials,
        passages("Give aciclovir 400 mg twice daily as antiviral prophylaxis."),
        wrong=("Give valaciclovir 400 mg twice daily as antiviral prophylaxis.",),
        right=("Give acyclovir 400 mg twice daily as antiviral prophylaxis.",),
    )


def test_a_value_ruled_out_stays_ruled_out(trials: Assistant) -> None:
    """ "every 3 weeks, not every 2 weeks" rules out every 2 weeks, in whatever words a claim
    puts it back ("rather than" with the values swapped)."""
    told_apart(
        trials,
        passages("Give the infusion every 3 weeks, not every 2 weeks."),
        wrong=(
            "Give the infusion every 2 weeks.",
            "Give the infusion every 2 weeks rather than every 3 weeks.",
        ),
        right=("Give the infusion every 3 weeks, not every 2 weeks.",),
    )
    told_apart(
        trials,
        passages("Administer 200 mg every 3 weeks."),
        wrong=("Administer 200 mg, not every 3 weeks.",),
        right=("Administer 200 mg every 3 weeks.",),
    )


LABEL_AE_ROW = (
    "Body System / Adverse Reaction: Hypertension^g | Zanorutinib (N = 240) All Grades (%): 14 "
    "| Zanorutinib (N = 240) Grade 3 or 4 (%): 6.7 | BR (N = 227) All Grades (%): 5 | BR (N = "
    "227) Grade 3 or 4 (%): 2.6"
)


def test_drug_label_table_cells_are_read_with_their_headers(trials: Assistant) -> None:
    """A label's tables: an arm's column with its size and its grade ("Drug (N = 240) Grade 3
    or 4 (%)"), a count with its share and interval under "n (%) (95% CI)", a hazard ratio
    with its interval in brackets, a dose whose unit is in the header with a footnote mark."""
    told_apart(
        trials,
        passages(LABEL_AE_ROW, caption="Table 3: Adverse Reactions (≥ 10%) in ALDER-CLL"),
        wrong=(
            "Grade 3 or 4 hypertension occurred in 2.6% of zanorutinib-treated patients.",
            "Hypertension of any grade occurred in 14% of patients given BR.",
        ),
        right=(
            "In ALDER-CLL, hypertension occurred in 14% of zanorutinib-treated patients, with "
            "Grade 3 or 4 hypertension in 6.7%.",
            "Grade 3 or 4 hypertension occurred in 2.6% of patients given BR.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Endpoint: ORR, n (%) (95% CI) | Zanorutinib (N = 241): 225 (93.4) (89.4, 96.2) | "
            "BR (N = 238): 203 (85.3) (80.1, 89.5)",
            caption="Table 6: Efficacy Results in ALDER-CLL",
        ),
        wrong=(
            "In ALDER-CLL, the ORR was 85.3% with zanorutinib.",
            "The ORR with zanorutinib was 93.4% (95% CI 80.1–89.5).",
        ),
        right=(
            "In ALDER-CLL, the ORR was 93.4% with zanorutinib and 85.3% with BR.",
            "The 95% confidence interval for the ORR with zanorutinib was 89.4 to 96.2.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Endpoint: Hazard ratio (95% CI)^c | Zanorutinib (N = 241): 0.42 (0.28, 0.63)",
            caption="Table 6: Efficacy Results in ALDER-CLL",
        ),
        wrong=(
            "Zanorutinib reduced the risk of progression, with an HR of 0.42 (95% CI 0.28–0.68).",
        ),
        right=(
            "Zanorutinib reduced the risk of progression, with an HR of 0.42 (95% CI 0.28–0.63).",
        ),
    )
    told_apart(
        trials,
        passages(
            "Coadministered Drug: Moderate CYP3A inhibitor | Recommended Dosage (mg)^a: 80 twice "
            "daily†",
            caption="Table 2: Dose Modifications for Use with CYP3A Inhibitors",
            section="Zanorutinib Capsules: Dosage Modifications",
        ),
        wrong=(
            "With a moderate CYP3A inhibitor, the recommended zanorutinib dosage is 80 g twice daily.",
        ),
        right=(
            "With a moderate CYP3A inhibitor, the recommended zanorutinib dosage is 80 mg twice daily.",
        ),
    )


def test_drug_label_sentences(trials: Assistant) -> None:
    """A section that says only "None."; "CLcr" is creatinine clearance; "advised to avoid" is
    advice against; a claim that restates two sentences with two stances; the occurrence a dose
    change is for; a grade named after a rate belongs to the rate after it."""
    told_apart(
        trials,
        passages("None.", section="4 CONTRAINDICATIONS"),
        wrong=("Zanorutinib is contraindicated in patients with severe hepatic impairment.",),
        right=("Zanorutinib has no contraindications.",),
    )
    told_apart(
        trials,
        passages(
            "No dosage adjustment is recommended for patients with mild, moderate, or severe "
            "renal impairment (CLcr ≥ 15 mL/min, estimated by Cockcroft-Gault)."
        ),
        wrong=(
            "Patients with a creatinine clearance of at least 30 mL/min do not need a "
            "zanorutinib dose adjustment.",
        ),
        right=(
            "Patients with a creatinine clearance of at least 15 mL/min do not need a "
            "zanorutinib dose adjustment, even if their renal impairment is severe.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Males: Advise men to avoid fathering a child while receiving zanorutinib and for 1 "
            "week after the last dose."
        ),
        wrong=(
            "Male patients should be advised to avoid fathering a child during zanorutinib "
            "treatment and for 2 weeks after the final dose.",
        ),
        right=(
            "Male patients should be advised to avoid fathering a child during zanorutinib "
            "treatment and for 1 week after the final dose.",
        ),
    )
    told_apart(
        trials,
        passages(
            "If a dose of zanorutinib is missed, it should be taken as soon as possible on the "
            "same day with a return to the normal schedule the following day. Extra capsules "
            "should not be taken to make up for the missed dose."
        ),
        wrong=(
            "A missed zanorutinib dose should not be taken on the same day, and extra capsules "
            "should be taken to make up for it.",
        ),
        right=(
            "A missed zanorutinib dose should be taken as soon as possible on the same day, and "
            "extra capsules should not be taken to make up for it.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Adverse Reaction: Grade 3 febrile neutropenia; Grade 3 thrombocytopenia with "
            "significant bleeding; Grade 4 neutropenia (lasting more than 10 consecutive days) | "
            "Occurrence: Fourth | Dosage Modification: Discontinue zanorutinib",
            caption="Table 1: Recommended Dosage Modifications for Adverse Reactions",
        ),
        wrong=(
            "Zanorutinib should be discontinued at the third occurrence of grade 3 febrile "
            "neutropenia.",
        ),
        right=(
            "Zanorutinib should be discontinued at the fourth occurrence of grade 3 febrile "
            "neutropenia.",
        ),
    )
    from rag.checks.verify import _grade_scope, stances

    text = "Hypertension occurred in 14%, with grade 3 or 4 hypertension in 6.7%."
    assert _grade_scope(text, text.index("14%")) == ""
    assert _grade_scope(text, text.index("6.7%")) == "3"
    assert _grade_scope("Neutropenia occurred in 21% (grade 3 or 4).", 24) == "3"
    assert stances("Advise women not to breastfeed during treatment.") == ["against"]
    assert stances("Patients should be advised to use sun protection.") == ["for"]


def test_what_the_review_and_attack_of_the_drug_label_rules_found(trials: Assistant) -> None:
    """A value of one arm claimed for the other, in an "n (%)" row or in a clause that names no
    arm; a median claimed for the arm whose cell says "NR"; a hazard ratio claimed for another
    endpoint than the row it sits under; another arm's size as a denominator; an event the
    row does not list; a refraining advised against; a grade named before the next rate."""
    ae = passages(LABEL_AE_ROW, caption="Table 3: Adverse Reactions (≥ 10%) in ALDER-CLL")
    told_apart(
        trials,
        ae,
        wrong=(
            "Hypertension occurred in 14% of patients receiving zanorutinib, with grade 3 or 4 "
            "hypertension in 2.6%.",
            "Grade 3 or 4 hypertension occurred in 6.7% of 227 zanorutinib-treated patients.",
        ),
        right=(
            "Hypertension occurred in 14% of patients receiving zanorutinib, with grade 3 or 4 "
            "hypertension in 6.7%.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Endpoint: ORR, n (%) | Zanorutinib (N = 240): 225 (93.4) | Placebo (N = 238): 203 "
            "(85.3)",
            caption="Table 6: Efficacy Results",
        ),
        wrong=("The ORR with placebo was 93.4%.", "The ORR with zanorutinib was 85.3%."),
        right=("The ORR was 93.4% with zanorutinib and 85.3% with placebo.",),
    )
    told_apart(
        trials,
        passages(
            "Endpoint: Median PFS, months (95% CI) | Zanorutinib (N = 241): NR (55, 79) | "
            "Placebo (N = 238): 33.7 (28.1, 41.0) | (Progression-free survival)",
            caption="Table 6: Efficacy Results",
        ),
        wrong=("Median PFS with zanorutinib was 33.7 months (95% CI, 28.1–41.0).",),
        right=("Median PFS with placebo was 33.7 months (95% CI, 28.1–41.0).",),
    )
    told_apart(
        trials,
        passages(
            "Endpoint: Hazard ratio (95% CI) | Zanorutinib (N = 241): 0.42 (0.28, 0.63) | "
            "(Progression-free survival)",
            caption="Table 6: Efficacy Results",
        ),
        wrong=("The hazard ratio for overall survival was 0.42 (95% CI, 0.28–0.63).",),
        right=("The hazard ratio for progression-free survival was 0.42 (95% CI, 0.28–0.63).",),
    )
    told_apart(
        trials,
        passages(
            "Adverse Reaction: Grade 3 febrile neutropenia; Grade 3 thrombocytopenia with "
            "significant bleeding; Grade 4 neutropenia (lasting more than 10 consecutive days) | "
            "Occurrence: Second | Dosage Modification: Resume zanorutinib at 80 mg twice daily",
            caption="Table 1: Recommended Dosage Modifications for Adverse Reactions",
        ),
        wrong=(
            "At the second occurrence of grade 3 diarrhea, resume zanorutinib at 80 mg twice "
            "daily.",
        ),
        right=(
            "At the second occurrence of grade 3 febrile neutropenia, resume zanorutinib at 80 "
            "mg twice daily.",
        ),
    )
    told_apart(
        trials,
        passages("Patients should be advised to avoid grapefruit products during treatment."),
        wrong=("Patients should not be advised to avoid grapefruit products.",),
        right=("Patients should be advised to avoid grapefruit products.",),
    )
    told_apart(
        trials,
        passages(
            "In the trial, 21% of patients had grade 3 or 4 neutropenia and 5% had grade 3 or 4 "
            "febrile neutropenia."
        ),
        wrong=("In the trial, 21% of patients had neutropenia of any grade.",),
        right=("In the trial, 21% of patients had grade 3 or 4 neutropenia.",),
    )
    from rag.checks.verify import stances

    assert stances("Patients should be advised whether or not to continue breastfeeding.") == [
        "for"
    ]


def test_what_the_final_read_of_the_drug_label_rules_found(trials: Assistant) -> None:
    """ "advised in women electing not to receive chemotherapy" advises; a combination's column
    is not one of its drugs'; a hazard ratio in a row of medians is the row's."""
    told_apart(
        trials,
        passages(
            "Endocrine therapy for 5 years is advised in women electing not to receive "
            "chemotherapy."
        ),
        wrong=(
            "Endocrine therapy for 5 years should be avoided in women electing not to receive "
            "chemotherapy.",
        ),
        right=("Endocrine therapy for 5 years is advised in women who decline chemotherapy.",),
    )
    told_apart(
        trials,
        passages(
            "Endpoint: ORR, n (%) | Zanorutinib + rituximab (N = 240): 225 (93.4) | Rituximab (N "
            "= 238): 203 (85.3)",
            caption="Table 6: Efficacy Results",
        ),
        wrong=("The ORR with rituximab was 93.4%.",),
        right=("The ORR was 93.4% with zanorutinib plus rituximab and 85.3% with rituximab.",),
    )


def test_no_need_to_avoid_is_the_opposite_of_advice_to_avoid(trials: Assistant) -> None:
    """ "Patients need not avoid grapefruit" was read as advice to avoid it, so the opposite
    claim passed against it."""
    told_apart(
        trials,
        passages("Patients need not avoid grapefruit products during treatment."),
        wrong=("Patients should be advised to avoid grapefruit products during treatment.",),
        right=("Patients do not need to avoid grapefruit products during treatment.",),
    )
    told_apart(
        trials,
        passages("Grapefruit products should be avoided during treatment."),
        wrong=("There is no need to avoid grapefruit products during treatment.",),
        right=("Patients should avoid grapefruit products during treatment.",),
    )


def test_what_a_radiotherapy_consensus_document_says_as_it_says_it(trials: Assistant) -> None:
    """Set 17's read mistakes: a condition ("provided it does not delay") is no advice
    against, while a limit ("should not exceed 50 days") is; "unless it is contraindicated" is
    the usual proviso;
    "Gy/28 fr" and "five fractions per week" are a schedule; a column's "HR (95% CI)" names
    its cells; a trial's name is not the owner of a value; a constraint table's rows share
    their measure ("D2cm³") but not their organ."""
    told_apart(
        trials,
        passages(
            "The overall treatment time (OTT), from the first EBRT fraction to the last "
            "brachytherapy fraction, should not exceed 50 days [II, A]."
        ),
        wrong=("The OTT should not exceed 56 days.", "The OTT should exceed 50 days."),
        right=(
            "OTT, counted from the first external beam fraction to the final brachytherapy "
            "fraction, should not exceed 50 days.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Surgical para-aortic staging may be considered when PET-CT shows no para-aortic "
            "uptake but two or more pelvic nodes are involved [III, C]. It should not delay the "
            "start of CRT by more than 3 weeks."
        ),
        wrong=(
            "Surgical para-aortic staging should not be considered when PET-CT shows no "
            "para-aortic uptake but two or more pelvic nodes are involved.",
        ),
        right=(
            "Surgical para-aortic staging may be considered when PET-CT shows no para-aortic "
            "uptake but at least two pelvic nodes are involved, provided it does not delay CRT "
            "by more than 3 weeks.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Hormone replacement therapy should be offered to premenopausal women with "
            "treatment-induced menopause, unless contraindicated [IV, B]."
        ),
        wrong=(
            "Hormone replacement therapy should not be offered to premenopausal women with "
            "treatment-induced menopause.",
        ),
        right=(
            "Hormone replacement therapy should be offered to premenopausal women with "
            "treatment-induced menopause unless it is contraindicated.",
        ),
    )
    told_apart(
        trials,
        passages(
            "The standard pelvic schedule is 45 Gy in 25 fractions of 1.8 Gy, five fractions per "
            "week [I, A]. Where bulky parametrial disease is expected to fall outside adequate "
            "brachytherapy coverage, 50.4 Gy/28 fr may be used [III, B]."
        ),
        wrong=(
            "For bulky parametrial disease, 50.4 Gy in 25 fractions may be used.",
            "Standard pelvic EBRT is 45 Gy in 25 fractions of 1.8 Gy given six times a week.",
        ),
        right=(
            "If bulky parametrial disease is unlikely to be covered adequately by "
            "brachytherapy, pelvic EBRT of 50.4 Gy in 28 fractions may be used.",
            "Standard pelvic EBRT is 45 Gy in 25 fractions of 1.8 Gy given five times a week.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Population: FFS, stage III | CRT group (n = 310): 70% | RT group (n = 310): 57% | "
            "HR (95% CI): 0.61 (0.42–0.88) | p value: 0.008"
        ),
        wrong=("In stage III, FFS was 70% with CRT versus 57% with RT alone (HR 0.66).",),
        right=(
            "In stage III, FFS was 70% with CRT versus 57% with RT alone (HR 0.61, 95% CI "
            "0.42–0.88).",
        ),
    )
    told_apart(
        trials,
        passages(
            "In the induction group, 231 of 250 patients (92%) received at least five of the six "
            "induction cycles, and the median interval from the last induction cycle to the "
            "start of CRT was 7 days (IQR 6–9)."
        ),
        wrong=("The median interval to the start of CRT in LUMEN-CX was 9 days (IQR 6–9).",),
        right=(
            "The median interval between the last induction cycle and the start of CRT in "
            "LUMEN-CX was 7 days (IQR 6–9).",
        ),
    )
    told_apart(
        trials,
        passages(
            "Organ: Bladder | Parameter: D2cm³ | Planning aim: < 80 Gy EQD2 (planning aim) | "
            "Limit: < 90 Gy (limit)\n"
            "Organ: Rectum | Parameter: D2cm³ | Planning aim: ≤ 65 Gy EQD2 | Limit: ≤ 75 Gy\n"
            "Organ: Kidneys, combined (EBRT only) | Parameter: Mean dose | Planning aim: < 10 Gy "
            "| Limit: < 15 Gy",
            caption="Table 2. Organ-at-risk constraints",
        ),
        wrong=(
            "The rectum D2cm³ should be kept below 80 Gy EQD2 as a planning aim and below 90 Gy "
            "as a limit.",
            "The spinal cord mean dose should be below 10 Gy, with a limit of 15 Gy.",
        ),
        right=(
            "The rectal D2cm³ planning aim is 65 Gy EQD2 or less, with a limit of 75 Gy.",
            "The bladder D2cm³ planning aim is below 80 Gy EQD2 and the limit below 90 Gy.",
            "The combined mean kidney dose should be below 10 Gy, with a limit of 15 Gy.",
        ),
    )


def test_numbered_levels_of_evidence_and_a_bracketed_grade(trials: Assistant) -> None:
    """ "Level of evidence 2b; strength: weak" names a level and a strength; a claim may call
    an "[I, A]" recommendation "grade A", and not "grade B"."""
    from rag.checks.verify import grades

    assert grades("(Level of evidence 2b; strength: weak)") == {"level 2B", "strength weak"}
    assert grades("(Level of Evidence 4; strength: strong)") == {"level 4", "strength strong"}
    assert grades("grade 4 neutropenia at dose level 4") == set()
    told_apart(
        trials,
        passages(
            "For an HR-CTV width between 40 and 45 mm, interstitial needles may be considered "
            "(Level of evidence 2b; strength: weak)."
        ),
        wrong=(
            "For an HR-CTV width between 40 and 45 mm, interstitial needles may be considered "
            "(Level of evidence 2b; strength: strong).",
            "For an HR-CTV width between 40 and 45 mm, interstitial needles may be considered "
            "(Level of evidence 4; strength: weak).",
        ),
        right=(
            "Interstitial needles may be considered for an HR-CTV width between 40 and 45 mm "
            "(Level of evidence 2b; strength: weak).",
        ),
    )
    told_apart(
        trials,
        passages(
            "The standard pelvic schedule is 45 Gy in 25 fractions of 1.8 Gy, five fractions per "
            "week [I, A]."
        ),
        wrong=("Standard pelvic EBRT is 45 Gy in 25 fractions, a grade B recommendation.",),
        right=(
            "Standard pelvic EBRT is 45 Gy in 25 fractions of 1.8 Gy given five times a week, a "
            "level I, grade A recommendation.",
        ),
    )


def test_a_range_of_stages_names_no_arm_and_a_list_glossary_spells_out_arms(
    trials: Assistant,
) -> None:
    """ "stage I–II" was read as the name of an arm, so a row's values in brackets were said of
    another arm; the arms themselves are still told apart."""
    told_apart(
        trials,
        passages(
            "Population: FFS, stage I–II | CRT group (n = 310): 81% | RT group (n = 310): 78% | "
            "HR (95% CI): 0.88 (0.58–1.33) | p value: 0.55"
        ),
        wrong=("In stage I–II disease, FFS was 78% with CRT and 81% with RT.",),
        right=(
            "In PORTAL-EC stage I–II disease, the FFS benefit of CRT was small and not "
            "significant (81% vs 78%; HR 0.88, 95% CI 0.58–1.33).",
        ),
    )


def test_a_time_after_a_list_of_drugs_is_the_lists_and_a_figo_stage_is_no_drug(
    trials: Assistant,
) -> None:
    """ "carboplatin AUC 2 and paclitaxel 80 mg/m2 for six weeks" gives the six weeks to both
    drugs; "stage IB3–IVA" names no drug, though it was read as one and took the six weeks."""
    told_apart(
        trials,
        passages(
            "Induction chemotherapy with weekly carboplatin AUC 2 and paclitaxel 80 mg/m2 for six "
            "weeks, followed within 7 days by CRT, may be considered for fit patients with stage "
            "IB3 to IVA disease [I, B]."
        ),
        wrong=(
            "Fit patients may be offered six weeks of weekly cisplatin before chemoradiotherapy.",
            "Fit patients may be offered weekly carboplatin AUC 2 and paclitaxel 80 mg/m2 for six "
            "weeks, with CRT starting within 14 days.",
        ),
        right=(
            "Fit patients with stage IB3–IVA cervical cancer may be offered six weeks of weekly "
            "carboplatin AUC 2 plus paclitaxel 80 mg/m2 before chemoradiotherapy, with CRT "
            "starting within 7 days.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Pembrolizumab 200 mg every 3 weeks plus axitinib 5 mg twice daily, with "
            "pembrolizumab for up to 2 years."
        ),
        wrong=("Axitinib is given for up to 2 years.",),
        right=("Pembrolizumab is given for up to 2 years.",),
    )


def test_arms_the_text_calls_groups_are_told_apart_even_when_one_name_holds_the_other(
    trials: Assistant,
) -> None:
    """ "the CRT group" and "the RT group": "RT" is inside "CRT", and neither is a drug, so a
    result given to the other group passed."""
    told_apart(
        trials,
        passages(
            "At a median follow-up of 72 months (IQR 60–85), 5-year FFS was 76% (95% CI 71–80) in "
            "the CRT group versus 69% (64–74) in the RT group (HR 0.73, 95% CI 0.56–0.95; "
            "p=0.019)."
        ),
        wrong=(
            "5-year FFS was 76% in the RT group versus 69% in the CRT group.",
            "5-year FFS was 69% in the CRT group.",
        ),
        right=(
            "5-year FFS was 76% in the CRT group versus 69% in the RT group.",
            "5-year FFS was 76% with chemoradiotherapy versus 69% with radiotherapy alone.",
        ),
    )


def test_a_subgroup_row_under_a_caption_naming_its_trial(trials: Assistant) -> None:
    """A caption's trial name ("Table 5. PORTAL-EC 5-year outcomes") says where the values are
    from, not whose they are; the subgroup of each row still holds."""
    told_apart(
        trials,
        passages(
            "Population: FFS, p53-abnormal | CRT group (n = 310): 59% | RT group (n = 310): 36% "
            "| HR (95% CI): 0.52 (0.30–0.90) | p value: 0.021\n"
            "Population: FFS, serous histology | CRT group (n = 310): 62% | RT group (n = 310): "
            "51% | HR (95% CI): 0.69 (0.40–1.19) | p value: 0.18",
            caption="Table 5. PORTAL-EC 5-year outcomes, overall and by subgroup",
        ),
        wrong=(
            "In PORTAL-EC patients with serous histology, 5-year FFS was 59% with CRT and 36% "
            "with RT alone.",
            "In serous histology, 5-year FFS was 51% in the CRT group and 62% in the RT group.",
        ),
        right=(
            "In patients with p53-abnormal tumours, 5-year FFS was 59% with CRT and 36% with RT "
            "alone.",
            "In PORTAL-EC, 5-year FFS in serous histology was 62% in the CRT group and 51% in the "
            "RT group.",
        ),
    )


def test_a_value_claimed_under_another_column_of_its_row(trials: Assistant) -> None:
    """A constraint table gives each organ a planning aim and a limit: the limit claimed as
    the planning aim passed, every word of the claim being in the row."""
    told_apart(
        trials,
        passages(
            "Organ: Pelvic bone marrow (EBRT only) | Parameter: V20Gy | Planning aim: < 65% | "
            "Limit: < 75%\n"
            "Organ: Femoral heads (EBRT only) | Parameter: D2% | Planning aim: < 45 Gy | Limit: "
            "< 50 Gy",
            caption="Table 2. Organ-at-risk constraints",
        ),
        wrong=(
            "The pelvic bone marrow V20Gy planning aim is below 75%.",
            "The femoral heads D2% planning aim is below 50 Gy.",
            "The pelvic bone marrow V20Gy limit is below 65%.",
            "The femoral heads D2% should be below 50 Gy as a planning aim and 45 Gy as a limit.",
        ),
        right=(
            "The pelvic bone marrow V20Gy limit is below 75%.",
            "For the pelvic bone marrow, V20Gy should be below 65% (planning aim), with a limit "
            "of 75%.",
            "The femoral heads D2% should be below 45 Gy as a planning aim and 50 Gy as a limit.",
        ),
    )
    # a row restated as it is written names every column: never flagged
    row = (
        "Toxicity: Absolute neutrophil count | Temozolomide interruption: ≥0.5 and <1.5 × 10⁹/L "
        "| Temozolomide discontinuation: <0.5 × 10⁹/L"
    )
    told_apart(
        trials,
        passages(row),
        wrong=("Temozolomide is discontinued for an ANC of ≥0.5 and <1.5 × 10⁹/L.",),
        right=(
            row,
            "Temozolomide should be interrupted for an ANC of ≥0.5 and <1.5 × 10⁹/L and "
            "discontinued for an ANC below 0.5 × 10⁹/L.",
        ),
    )


def test_what_the_attack_on_the_radiotherapy_rules_found(trials: Assistant) -> None:
    """Wrong claims the first version of set 17's rules let pass, and true ones it flagged: a
    limit's opposite; times given by trial; a time that is the last drug's alone; a
    neighbouring organ; advice to avoid under a condition; words that lead on to the next
    value; CCRT and CRT one arm, RT another."""
    told_apart(
        trials,
        passages(
            "The dose to the rectum D2cm3 should not be more than 75 Gy EQD2, and overall "
            "treatment time should not exceed 56 days."
        ),
        wrong=(
            "The rectum D2cm3 should be more than 75 Gy EQD2.",
            "Overall treatment time should exceed 56 days.",
        ),
        right=("The rectum D2cm3 should not be more than 75 Gy EQD2.",),
    )
    told_apart(
        trials,
        passages(
            "The median overall treatment time was 49 days in LUMEN-CX and 58 days in PORTAL-EC."
        ),
        wrong=("The median overall treatment time in PORTAL-EC was 49 days.",),
        right=("The median overall treatment time in LUMEN-CX was 49 days.",),
    )
    told_apart(
        trials,
        passages(
            "Patients received weekly cisplatin 40 mg/m2 with pelvic EBRT and pembrolizumab 400 "
            "mg every 6 weeks for 2 years. Chemoradiotherapy with weekly cisplatin and "
            "durvalumab for 24 months was compared with chemoradiotherapy alone."
        ),
        wrong=("Weekly cisplatin was given for 2 years.", "Cisplatin was given for 24 months."),
        right=("Pembrolizumab 400 mg every 6 weeks was given for 2 years.",),
    )
    told_apart(
        trials,
        passages(
            "Organ: Brainstem | Dmax: < 54 Gy | Priority: 1\n"
            "Organ: Rectum | D2cm³: ≤ 65 Gy EQD2 | Priority: 2",
            caption="Table 3. Constraints",
        ),
        wrong=("The brain Dmax should be < 54 Gy.",),
        right=("The rectal D2cm³ should be 65 Gy EQD2 or less.",),
    )
    told_apart(
        trials,
        passages("If HIV positive avoid concurrent cisplatin and give radiotherapy alone."),
        wrong=("Concurrent cisplatin is recommended in HIV-positive patients.",),
        right=("In HIV-positive patients, avoid concurrent cisplatin.",),
    )
    told_apart(
        trials,
        passages(
            "Regimen: Nodal SIB | Total dose: 55 Gy | Dose per fraction: 2.2 Gy\n"
            "Toxicity: Grade ≥3 diarrhoea | CRT group: 14% | RT group: 4%"
        ),
        wrong=("The nodal SIB dose per fraction is 55 Gy.",),
        right=(
            "The nodal SIB is 55 Gy in fractions of 2.2 Gy.",
            "Grade 3 or worse diarrhoea occurred in 14% with chemoradiotherapy (CRT) and 4% with "
            "radiotherapy alone.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Five-year overall survival was 72% in the CCRT group and 61% in the RT group (HR "
            "0.66, 95% CI 0.49–0.89)."
        ),
        wrong=("Five-year overall survival was 72% in the RT group.",),
        right=("Five-year overall survival was 72% with CRT.",),
    )


def test_what_the_review_of_the_radiotherapy_rules_found(trials: Assistant) -> None:
    """A reviewer's reading of set 17's rules: advice after a condition with no subject is
    advice; a drug class after a gene is no trial; a muscle's strength is no recommendation's;
    a list's number is no value; one subject with two stances, in either order, is no flip."""
    assert stances("If pregnant do not use methotrexate.") == ["against"]
    assert stances("If progression occurs do not restart imatinib.") == ["against"]
    assert stances("If possible avoid nephrotoxic drugs.") == ["against"]
    assert stances("If patients do not tolerate cisplatin give carboplatin.") == []
    assert stances("Carboplatin may be substituted if cisplatin cannot be given.") == []
    assert "against" not in stances("It may be given if it does not prolong the OTT.")
    told_apart(
        trials,
        passages(
            "PFS was 18.9 months with osimertinib in FLAURA-X and 10.2 months with "
            "gefitinib or erlotinib."
        ),
        wrong=("PFS was 18.9 months with gefitinib or erlotinib.",),
        right=("PFS was 18.9 months with the EGFR-TKI osimertinib in FLAURA-X.",),
    )
    assert not grades("Muscle strength was weak after 6 weeks.")
    assert grades("Strength: weak.") == {"strength weak"}
    assert not grades("Grip strength: weak at 6 weeks.")
    assert grades("Level of evidence 2b; strength: weak.") == {"level 2B", "strength weak"}
    assert grades("Strength of recommendation: moderate.") == {"strength moderate"}
    claims = split_claims("Give cisplatin 40 mg/m2 weekly [1].\n2.\nGive EBRT 45 Gy [2].")
    assert [text for text, _ in claims] == ["Give cisplatin 40 mg/m2 weekly.", "Give EBRT 45 Gy."]
    told_apart(
        trials,
        passages(
            "Weekly cisplatin 40 mg/m2 is given for five cycles during EBRT. A sixth cycle may "
            "be given if it can be delivered without prolonging the overall treatment time "
            "(OTT), but it is not required [V, C]."
        ),
        wrong=(),
        right=(
            "A sixth weekly cycle of cisplatin is not required but may be given if it does not "
            "prolong the overall treatment time.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Concurrent cisplatin is recommended for stage IB3, but it is not recommended for "
            "stage IA1."
        ),
        wrong=(
            "Concurrent cisplatin is not recommended for stage IB3 but it is recommended for "
            "stage IA1.",
        ),
        right=("Concurrent cisplatin is recommended for stage IB3.",),
    )


def test_what_a_saved_protocol_web_page_taught(trials: Assistant) -> None:
    """Set 18's read false alarms, each beside the wrong claim it must keep catching: a "Grade"
    column's range ("Grade: 3–4"), a section heading that states the condition, an estimate
    "not reached" (no negation), a group "whose plan cannot meet" constraints (no stance), a
    ranked list whose lower tier uses the same words with other values, a range written as two
    bounds ("above 1.5 and up to 3 times the ULN")."""
    told_apart(
        trials,
        passages(
            "Toxicity: Diarrhoea with irinotecan | Grade: 3–4 | Action: Delay until grade 1 or "
            "lower, then reduce irinotecan to 40 mg/m²",
            caption="Table 6. Non-haematological toxicity",
        ),
        wrong=(
            "For grade 2–4 irinotecan-related diarrhoea, treatment is delayed until grade 1 or "
            "lower and irinotecan is then reduced to 40 mg/m².",
            "For grade 3–4 irinotecan-related diarrhoea, treatment is delayed until grade 1 or "
            "lower and irinotecan is then reduced to 50 mg/m².",
        ),
        right=(
            "For grade 3–4 irinotecan-related diarrhoea, treatment is delayed until grade 1 or "
            "lower and irinotecan is then reduced to 40 mg/m².",
        ),
    )
    told_apart(
        trials,
        passages(
            "Ekarstamab (Preferred, category 1) is an alternative, particularly where cumulative "
            "myelotoxicity or neuropathy limits further platinum.",
            section="8.1 Relapse 6 months or more after first-line therapy",
        ),
        wrong=(
            "For relapse within 6 months after first-line therapy, ekarstamab is a preferred "
            "category 1 alternative.",
            "For relapse 3 months or more after first-line therapy, ekarstamab is a preferred "
            "category 1 alternative.",
        ),
        right=(
            "For relapse 6 months or more after first-line therapy, ekarstamab is a preferred "
            "category 1 alternative, particularly when cumulative myelotoxicity or neuropathy "
            "limits further platinum.",
        ),
    )
    told_apart(
        trials,
        passages(
            "Median overall survival was 52.7 months (95% CI 41.0–not reached) with durvalumab "
            "vs 35.1 months (95% CI 27.9–41.6) with placebo (HR 0.71, 95% CI 0.56–0.90; P = "
            "0.004), and median progression-free survival was 17.4 vs 9.8 months (HR 0.78)."
        ),
        wrong=(
            "Median progression-free survival was 17.4 months with durvalumab and 9.8 months "
            "with placebo (HR 0.87).",
        ),
        right=(
            "Median progression-free survival was 17.4 months with durvalumab and 9.8 months "
            "with placebo (HR 0.78).",
        ),
    )
    schedules = passages(
        "Preferred (category 1): 45 Gy in 30 fractions of 1.5 Gy, twice daily (BD) with at least "
        "6 hours between fractions, over 3 weeks.\n\n"
        "Other recommended (category 2A): 66 Gy in 33 once-daily fractions of 2 Gy over 6.5 "
        "weeks, for patients whose plan cannot meet dose constraints.\n\n"
        "Useful in certain circumstances (category 2B): 60 Gy in 40 fractions twice daily over "
        "4 weeks."
    )
    told_apart(
        trials,
        schedules,
        wrong=(
            "60 Gy in 40 fractions twice daily over 4 weeks is preferred (category 1).",
            "The preferred (category 2B) schedule is 45 Gy in 30 fractions of 1.5 Gy given twice "
            "daily.",
            "66 Gy in 33 once-daily fractions of 2 Gy over 6.5 weeks is not recommended.",
            "66 Gy in 30 once-daily fractions of 2 Gy is other recommended (category 2A).",
        ),
        right=(
            "The preferred (category 1) schedule is 45 Gy in 30 fractions of 1.5 Gy given twice "
            "daily, at least 6 hours apart, over three weeks.",
            "66 Gy in 33 once-daily fractions of 2 Gy over 6.5 weeks is other recommended "
            "(category 2A).",
        ),
    )
    told_apart(
        trials,
        passages(
            "Bilirubin: > 1.5 to 3 × ULN | Etoposide: 50% | Irinotecan: Not recommended",
            caption="Table 5. Hepatic dose modifications by bilirubin",
        ),
        wrong=(
            "With a bilirubin above 1.5 and up to 5 times the upper limit of normal, etoposide "
            "is given at 50%.",
            "With a bilirubin above 1.5 and up to 3 times the upper limit of normal, etoposide "
            "is given at 75%.",
        ),
        right=(
            "With a bilirubin above 1.5 and up to 3 times the upper limit of normal, etoposide "
            "is given at 50% and irinotecan is not recommended.",
        ),
    )
    # a dose with its bound after its frequency: the steroid dose that allows a restart is not
    # the one that calls for prophylaxis
    told_apart(
        trials,
        passages(
            "Patients receiving prednisolone 20 mg or more daily for 4 weeks or longer should "
            "receive Pneumocystis prophylaxis with co-trimoxazole 480 mg once daily. "
            "Immunotherapy may be restarted once the toxicity is grade 1 or lower and the "
            "prednisolone dose is 10 mg daily or less."
        ),
        wrong=(
            "Immunotherapy can be restarted once the toxicity is grade 1 or lower and "
            "prednisolone is 20 mg daily or less.",
        ),
        right=(
            "Immunotherapy can be restarted once the toxicity is grade 1 or lower and "
            "prednisolone is 10 mg daily or less.",
        ),
    )
    # a table's next cell is no partner of the value before it
    told_apart(
        trials,
        passages(
            "Regimen: Carboplatin–etoposide | Emetic risk: Moderate | Day 1 (before "
            "chemotherapy): Aprepitant 125 mg PO; ondansetron 16 mg PO; dexamethasone 8 mg PO | "
            "Days 2 to 4: Aprepitant 80 mg PO on days 2 and 3 | Breakthrough: Metoclopramide "
            "10 mg PO three times daily as required",
            caption="Table 7. Antiemetics and premedication",
        ),
        wrong=(
            "Carboplatin–etoposide is moderate emetic risk: aprepitant 125 mg, ondansetron 16 mg "
            "and dexamethasone 12 mg orally on day 1, then aprepitant 80 mg on days 2 and 3.",
        ),
        right=(
            "Carboplatin–etoposide is moderate emetic risk: aprepitant 125 mg, ondansetron 16 mg "
            "and dexamethasone 8 mg orally on day 1, then aprepitant 80 mg on days 2 and 3.",
        ),
    )
    # "insufficient evidence to recommend X" recommends nothing, and a claim that restates the
    # whole statement with more words is judged on its stance
    assert stances("There is insufficient evidence to recommend travolimab here.") == [
        "insufficient"
    ]
    told_apart(
        trials,
        passages(
            "Patients whose disease has not progressed after concurrent chemoradiotherapy should "
            "be offered consolidation durvalumab 1,500 mg IV every 4 weeks for up to 24 months. "
            "There is insufficient evidence to recommend travolimab as consolidation in "
            "limited-stage disease."
        ),
        wrong=(
            "Travolimab is recommended as consolidation after chemoradiotherapy in limited-stage "
            "disease.",
        ),
        right=(
            "There is insufficient evidence to recommend travolimab as consolidation after "
            "chemoradiotherapy in limited-stage disease.",
        ),
    )
    # a median "not reached" denies nothing, in the claim or in the passage
    told_apart(
        trials,
        passages(
            "In the BRCA-mutated subgroup (n = 372), median PFS was not reached and 14.1 months, "
            "respectively (HR 0.33; 95% CI, 0.23–0.46), whereas in the HR-proficient subgroup "
            "the difference, 11.2 versus 9.8 months (HR 0.83), was not statistically "
            "significant."
        ),
        wrong=(
            "In the BRCA-mutated subgroup, median PFS was not reached with kelaparib, compared "
            "with 14.1 months with placebo (HR 0.38).",
        ),
        right=(
            "In the BRCA-mutated subgroup, median PFS was not reached with kelaparib, compared "
            "with 14.1 months with placebo (HR 0.33; 95% CI, 0.23–0.46).",
        ),
    )


def test_what_the_attack_on_the_protocol_rules_found(trials: Assistant) -> None:
    """A reviewer's and an attacker's reading of set 18's rules, each wrong claim one that a
    first version of them let pass: a heading's value claimed for another drug, test or use; a
    "not reached" that is no median; a negation after a relative clause; a group described
    the other way; a ranked item named by its values only; bounds that read as no range; a
    grade range claimed wider."""
    told_apart(
        trials,
        passages(
            "Carboplatin may be substituted in patients who cannot tolerate cisplatin.",
            section="4.2 Cisplatin 75 mg/m2 every 3 weeks",
        ),
        wrong=(
            "Carboplatin 75 mg/m2 every 3 weeks may be substituted in patients who cannot "
            "tolerate cisplatin.",
        ),
        right=(),
    )
    told_apart(
        trials,
        passages(
            "Platelets must also have recovered before the next cycle is given.",
            section="6.3 Neutrophils at least 1.5 × 10^9/L",
        ),
        wrong=("Platelets must have recovered to at least 1.5 × 10^9/L before the next cycle.",),
        right=(),
    )
    told_apart(
        trials,
        passages(
            "Re-treatment with the original platinum doublet is preferred.",
            section="8.1 Relapse 6 months or more after first-line therapy",
        ),
        wrong=(
            "Re-treatment with the original platinum doublet for 6 months or more is preferred.",
        ),
        right=(
            "For relapse 6 months or more after first-line therapy, re-treatment with the "
            "original platinum doublet is preferred.",
        ),
    )
    for passage, wrong in (
        (
            "Statistical significance was not reached for overall survival (HR 0.89).",
            "Statistical significance was reached for overall survival (HR 0.89).",
        ),
        (
            "The maximum tolerated dose was not reached at doses up to 400 mg.",
            "The maximum tolerated dose was reached at 400 mg.",
        ),
        (
            "Patients whose tumours are RAS-mutant do not benefit from cetuximab or panitumumab.",
            "Patients whose tumours are RAS-mutant benefit from cetuximab or panitumumab.",
        ),
        (
            "PCI is recommended for patients who do not have brain metastases on MRI.",
            "PCI is recommended for patients who have brain metastases on MRI.",
        ),
        (
            "Patients with CrCl below 45 mL/min should be switched to carboplatin.",
            "Carboplatin is contraindicated in patients with CrCl below 45 mL/min.",
        ),
    ):
        told_apart(trials, passages(passage), wrong=(wrong,), right=())
    told_apart(
        trials,
        passages(
            "Preferred (category 1): 45 Gy in 30 fractions of 1.5 Gy, twice daily (BD) with at "
            "least 6 hours between fractions, over 3 weeks.\n\n"
            "Other recommended (category 2A): 66 Gy in 33 once-daily fractions of 2 Gy over 6.5 "
            "weeks, for patients whose plan cannot meet dose constraints.\n\n"
            "Useful in certain circumstances (category 2B): 60 Gy in 40 fractions twice daily "
            "over 4 weeks."
        ),
        wrong=(
            "66 Gy in 33 once-daily fractions of 2 Gy is preferred (category 1).",
            "45 Gy in 30 twice-daily fractions is useful in certain circumstances (category 2B).",
            "60 Gy in 40 fractions is preferred (category 1).",
            "66 Gy in 33 once-daily fractions is other recommended (category 2A) for patients "
            "whose plan can meet dose constraints.",
        ),
        right=(),
    )
    told_apart(
        trials,
        passages(
            "There is insufficient evidence to recommend travolimab as consolidation in "
            "limited-stage disease."
        ),
        wrong=("Travolimab should be given as consolidation in limited-stage disease.",),
        right=(
            "The evidence is insufficient to recommend travolimab as consolidation in "
            "limited-stage disease.",
        ),
    )
    told_apart(
        trials,
        passages(
            "If the ANC is above 1.0 and below 1.5 × 10^9/L on day 1, delay etoposide by 1 week."
        ),
        wrong=("If the ANC is 1.5 × 10^9/L or more on day 1, delay etoposide by 1 week.",),
        right=(),
    )
    told_apart(
        trials,
        passages(
            "Toxicity: Diarrhoea | Grade: 1–2 | Action: Continue irinotecan at the same dose",
            caption="Table 6. Non-haematological toxicity",
        ),
        wrong=("For grade 1–3 diarrhoea, irinotecan is continued at the same dose.",),
        right=("For grade 1–2 diarrhoea, irinotecan is continued at the same dose.",),
    )


def test_what_the_final_read_of_the_protocol_rules_found(trials: Assistant) -> None:
    """The final read of set 18's rules: advice inside a "whose" clause is still advice; a
    "not reached" after a comma or in another clause than a median's is still a negation; a
    passage that describes a group both ways contradicts neither; a heading's share or its
    generic words support nothing; "within" is no subject of a heading."""
    for passage, wrong in (
        (
            "Bevacizumab, whose use is not recommended in squamous histology, may cause "
            "haemoptysis.",
            "Bevacizumab is recommended in squamous histology.",
        ),
        (
            "Statistical significance for overall survival, however, was not reached in the "
            "final analysis (HR 0.89).",
            "Statistical significance for overall survival was reached in the final analysis "
            "(HR 0.89).",
        ),
        (
            "In the phase I part the median dose was 300 mg, and the maximum tolerated dose was "
            "not reached at doses up to 400 mg.",
            "In the phase I part the maximum tolerated dose was reached at 400 mg.",
        ),
    ):
        told_apart(trials, passages(passage), wrong=(wrong,), right=())
    both = (
        "PCI is recommended for patients who do not have brain metastases on MRI, and SRS is "
        "preferred for patients who have brain metastases on MRI."
    )
    told_apart(
        trials,
        passages(both),
        wrong=("SRS is preferred for patients who do not have brain metastases on MRI.",),
        right=("PCI is recommended for patients who do not have brain metastases on MRI.",),
    )
    # an interval's end written after a comma, and a median named a few words before, are
    # estimates too
    assert _negations("Median OS was 25.3 months (95% CI 20.1, not reached).") == 0
    assert _negations("Median OS in the pembrolizumab group was not reached.") == 0
    for section, passage, wrong in (
        (
            "6.2 Reduce etoposide to 75%",
            "Carboplatin is given at the full dose.",
            "Carboplatin dose is reduced to 75%.",
        ),
        (
            "8.1 Relapse 6 months or more after first-line therapy",
            "Re-treatment with the original doublet is preferred.",
            "Re-treatment therapy with the original doublet should last 6 months or more.",
        ),
        (
            "8.2 Relapse within 6 months",
            "Topotecan is an option.",
            "Treatment with topotecan should start within 6 months.",
        ),
    ):
        told_apart(trials, passages(passage, section=section), wrong=(wrong,), right=())
