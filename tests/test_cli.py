"""The ``oncoguide`` command: exit codes, reports, and the ``ask --json`` schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, NETGUARD_SITE

from rag.cli import main

SOURCE_KEYS = {"rank", "doc_id", "title", "path", "section", "page", "text", "score"}


def test_ingest_reports_each_file(oncoguide_home: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "ok.md").write_text("## Section\nColonoscopy every 10 years.\n")
    assert main(["ingest", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "added" in out and "ok.md" in out
    assert "skipped" in out and "corrupt" in out
    assert "Summary: added 1" in out


def test_ingest_fails_when_nothing_is_readable(
    oncoguide_home: Path, tmp_path: Path, capsys
) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    assert main(["ingest", str(tmp_path / "bad.pdf")]) == 1
    assert main(["ingest", str(tmp_path / "nope")]) == 1


def test_ask_retrieval_only_json(corpus_home: Path, capsys) -> None:
    assert (
        main(
            [
                "ask",
                "How often is colonoscopy repeated?",
                "--retrieval-only",
                "--json",
                "--top-k",
                "3",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["question"] == "How often is colonoscopy repeated?"
    assert data["answer"] is None and data["model"] is None and data["prompt_sha256"] is None
    assert data["not_found"] is False
    assert len(data["sources"]) == 3
    for source in data["sources"]:
        assert set(source) >= SOURCE_KEYS
        assert isinstance(source["score"], float) and isinstance(source["text"], str)
    assert data["sources"][0]["doc_id"] == "uspstf-colorectal-screening-2021"


BUNDLED_SHA = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"


@pytest.mark.slow
def test_ask_json_with_bundled_model(corpus_home: Path, capsys) -> None:
    """Generated mode: the bundled model's draft is the answer, with its identity."""
    question = "What is the pegfilgrastim dose?"
    assert main(["ask", question, "--mode", "generated", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data["answer"], str) and data["answer"]
    assert data["not_found"] is False
    assert data["mode"] == "generated" and data["shown"] == "generated"
    assert data["model"]["sha256"] == BUNDLED_SHA
    assert len(data["prompt_sha256"]) == 64
    assert data["draft"] is None  # the draft is the answer
    assert [s["rank"] for s in data["sources"]] == list(range(1, len(data["sources"]) + 1))


@pytest.mark.slow
def test_ask_json_auto_keeps_the_drafting_model(corpus_home: Path, capsys) -> None:
    """Auto (the default): whichever text is shown, the JSON names the model consulted and
    carries its draft with the prompt and, when not shown, the reasons."""
    assert main(["ask", "What is the pegfilgrastim dose?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "auto" and data["not_found"] is False
    assert data["model"]["sha256"] == BUNDLED_SHA
    assert len(data["prompt_sha256"]) == 64
    draft = data["draft"]
    assert draft["model"] == data["model"] and draft["prompt_sha256"] == data["prompt_sha256"]
    assert draft["text"]
    if draft["shown"]:
        assert data["shown"] == "generated" and data["answer"] == draft["text"]
        assert draft["reasons"] == [] and data["draft_rejected"] == []
    else:
        assert data["shown"] == "evidence" and data["answer"] != draft["text"]
        assert draft["reasons"] and draft["reasons"] == data["draft_rejected"]


def test_ask_not_found_json(corpus_home: Path, capsys) -> None:
    assert main(["ask", "What is the dose of rituximab in lymphoma?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["not_found"] is True
    assert data["answer"] == "Not found in the indexed guidelines."
    assert data["not_found_reason"]


def test_malformed_config_is_reported_not_raised(oncoguide_home: Path, capsys) -> None:
    oncoguide_home.mkdir()
    (oncoguide_home / "config.toml").write_text("top_k = = 3")
    assert main(["ask", "anything", "--retrieval-only"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


@pytest.mark.slow
def test_console_script_runs_offline_in_a_fresh_process(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    """The installed command, in its own process, with the network guard loaded at start."""
    log = tmp_path / "netguard.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(NETGUARD_SITE),
        "ONCOGUIDE_NETGUARD_LOG": str(log),
    }
    script = Path(sys.executable).parent / "oncoguide"
    ingest = subprocess.run(
        [str(script), "ingest", str(CORPUS)], env=env, capture_output=True, text=True
    )
    assert ingest.returncode == 0, ingest.stderr
    ask = subprocess.run(
        [str(script), "ask", "What is the pegfilgrastim dose?", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["sources"][0]["doc_id"] == "asco-myeloid-growth-factors-2015"
    assert not log.exists() or log.read_text() == ""


def test_ask_text_output_shows_the_claim_checks(corpus_home: Path, monkeypatch, capsys) -> None:
    from fakes import ScriptedModel

    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "scripted")
    monkeypatch.setenv("ONCOGUIDE_ANSWER_MODE", "generated")  # the model's draft, flags and all
    ScriptedModel.reply = "Pegfilgrastim 12 mg is given once per cycle [1]."
    assert main(["ask", "What is the pegfilgrastim dose?"]) == 0
    out = capsys.readouterr().out
    assert "0 of 1 claims supported" in out
    assert "'12 mg' does not appear in the cited source" in out
    assert "Sources (verify the answer against them):" in out
