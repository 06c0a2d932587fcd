"""The PHI guard measured on the labelled set: the regression guard for docs/PHI.md's figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.checks.phi import find_phi, redact, redact_together
from rag.evaluation.phi import guideline_sentences, load_labelled, score_phi

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def labelled_score():
    return score_phi(load_labelled(DATA / "phi_labelled.jsonl"))


def test_labelled_set_is_big_and_varied() -> None:
    items = load_labelled(DATA / "phi_labelled.jsonl")
    with_phi = [i for i in items if i.spans]
    kinds = {kind for i in with_phi for kind, _, _ in i.spans}
    assert len(with_phi) >= 300 and len(items) - len(with_phi) >= 300
    assert kinds >= {"PERSON", "PHONE", "ADDRESS", "POSTCODE", "RECORD_NUMBER", "DATE_OF_BIRTH"}
    assert len({i.text for i in items}) == len(items)


def test_recall_on_identifiers_meets_the_target(labelled_score) -> None:
    assert labelled_score.recall >= 0.97, labelled_score.misses
    for kind in ("PHONE", "ADDRESS", "RECORD_NUMBER", "DATE_OF_BIRTH", "EMAIL", "POSTCODE"):
        assert labelled_score.recall_of(kind) >= 0.95, kind
    assert labelled_score.recall_of("PERSON") >= 0.95


def test_false_alarms_on_clinical_sentences_meet_the_target(labelled_score) -> None:
    assert labelled_score.false_alarm_rate <= 0.02, labelled_score.false_alarms


def test_heldout_set_stays_within_the_targets() -> None:
    score = score_phi(load_labelled(DATA / "phi_heldout.jsonl"))
    assert score.recall >= 0.95 and score.false_alarm_rate <= 0.03


def test_real_guideline_prose_is_not_flagged() -> None:
    sentences = guideline_sentences(Path(__file__).parent.parent / "guideline_corpus")
    assert len(sentences) > 100
    flagged = [s for s in sentences if find_phi(s)]
    assert len(flagged) <= 0.02 * len(sentences), flagged


@pytest.mark.parametrize(
    "text",
    [
        "Zelda Fitzwilliam 58F ER+ - chemo?",
        "ZELDA FITZWILLIAM node positive",
        "call 07700 900123 after clinic",
        "lives at 221B Baker Street",
        "patient zelda fitzwilliam asks about hair loss",
    ],
)
def test_the_reported_misses_are_caught(text: str) -> None:
    redacted = redact(text)
    for leaked in ("Zelda", "ZELDA", "zelda", "Fitzwilliam", "900123", "221B Baker"):
        assert leaked.casefold() not in redacted.casefold()


def test_eponyms_and_trial_names_pass_untouched() -> None:
    for text in (
        "Hodgkin lymphoma, Ann Arbor stage IIA, ABVD x 2 then ISRT 20 Gy",
        "KEYNOTE-189: HR 0.49 (95% CI 0.38–0.64); Kaplan-Meier OS at 2021 data cut-off",
        "BENCE JONES PROTEIN AND LI-FRAUMENI SCREENING, KARNOFSKY 80, ECOG 1",
        # running headers and citations of real guideline PDFs
        "NCCN Guidelines Version 3.2024 © 2024 National Comprehensive Cancer Network, Inc.",
        "Annals of Oncology 33 (2022) 1097–1118 | Page 12 of 40",
        "Hortobagyi GN, Stemmer SM, Burris HA, et al. N Engl J Med 2016;375:1738-48.",
    ):
        assert find_phi(text) == [], text


def test_a_name_found_in_one_field_is_redacted_in_all() -> None:
    question, note = redact_together("Plan for Mr Okafor?", "Okafor agrees")
    assert "Okafor" not in question and "Okafor" not in note


def test_a_misplaced_span_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    row = {
        "text": "MRN 123",
        "phi": [{"kind": "RECORD_NUMBER", "start": 0, "end": 3, "text": "123"}],
    }
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="misplaced"):
        load_labelled(bad)


def test_name_lexicon_is_kept_in_the_state_directory(oncoguide_home: Path) -> None:
    """Built once, re-read by later processes; a damaged file is rebuilt, never trusted."""
    from rag.checks import phi_names

    phi_names.lexicon.cache_clear()
    built = phi_names.lexicon()
    kept = oncoguide_home / "cache" / "phi_lexicon.json"
    assert kept.is_file() and (kept.stat().st_mode & 0o077) == 0
    phi_names.lexicon.cache_clear()
    assert phi_names.lexicon() == built
    for damage in ("{not json", json.dumps({"stamp": "old", "first": []})):
        kept.write_text(damage)
        phi_names.lexicon.cache_clear()
        assert phi_names.lexicon() == built
        assert json.loads(kept.read_text())["stamp"] != "old"
    assert find_phi("Mrs Okafor asks about her dose")  # the kept lexicon still finds names


def test_the_name_lexicon_is_kept_in_the_configured_home(tmp_path: Path, monkeypatch) -> None:
    """A home set in the config file, not the default one, receives the lexicon cache."""
    import subprocess
    import sys

    from conftest import PROJECT

    state = tmp_path / "state"
    config = tmp_path / "config.toml"
    config.write_text(f'home = "{state.as_posix()}"\n')
    monkeypatch.delenv("ONCOGUIDE_HOME", raising=False)
    monkeypatch.setenv("ONCOGUIDE_CONFIG", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    kept = state / "cache" / "phi_lexicon.json"
    answer = tmp_path / "answer.txt"
    answer.write_text("Pegfilgrastim 6 mg once per cycle.")
    for command in (
        ["ask", "Dose of pegfilgrastim?", "--retrieval-only"],
        # check runs its PHI check before it opens anything of the home
        ["check", "--question", "Dose of pegfilgrastim?", "--answer-file", str(answer)],
    ):
        kept.unlink(missing_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "rag.cli", *command],
            capture_output=True,
            text=True,
            cwd=PROJECT,
            timeout=300,
        )
        assert result.returncode in (0, 1), result.stderr
        assert kept.is_file(), command
        assert not (tmp_path / "user" / ".oncoguide").exists()
