"""The inference server failing: busy, slow or silent mid-answer, or serving another model.
Each ends in a clear message and nothing saved; a retry follows a failure before any text."""

from __future__ import annotations

from pathlib import Path

import pytest
from stub_server import Behaviour, stub_server
from test_app import MAIN, saved_rows

from rag.assistant import Assistant
from rag.cli import main
from rag.config import load_settings
from rag.errors import ModelError

QUESTION = "What is the pegfilgrastim dose?"
SHA = "ab" * 32


def use_server(monkeypatch, url: str, **extra: str) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "openai")
    monkeypatch.setenv("ONCOGUIDE_OPENAI_BASE_URL", url)
    monkeypatch.setenv("ONCOGUIDE_OPENAI_MODEL", "stub-model")
    monkeypatch.setenv("ONCOGUIDE_PROMPT_FORMAT", "completion")
    for key, value in extra.items():
        monkeypatch.setenv(f"ONCOGUIDE_{key.upper()}", value)


def test_a_busy_server_is_retried_before_the_first_token(corpus_home: Path, monkeypatch) -> None:
    behaviour = Behaviour(fail_first=2)
    with stub_server(behaviour) as url:
        use_server(monkeypatch, url, request_retries="2")
        answer = Assistant(load_settings()).ask(QUESTION)
    assert behaviour.requests == 3
    assert answer.text.startswith("Pegfilgrastim: 6 mg")


def test_a_server_still_busy_after_the_retries_is_a_clear_error(
    corpus_home: Path, monkeypatch, capsys
) -> None:
    behaviour = Behaviour(fail_first=5)
    with stub_server(behaviour) as url:
        use_server(monkeypatch, url, request_retries="1")
        assert main(["ask", QUESTION]) == 2
    err = capsys.readouterr().err
    assert behaviour.requests == 2
    assert "failed before answering after 2 attempt(s)" in err and "503" in err
    assert "Traceback" not in err
    assert saved_rows(corpus_home) == 0


def test_a_server_that_stalls_mid_answer_ends_with_a_clear_error(
    corpus_home: Path, monkeypatch
) -> None:
    behaviour = Behaviour(stall_after_first_token_s=4)
    with stub_server(behaviour) as url:
        use_server(monkeypatch, url, request_timeout_s="1", request_retries="3")
        assistant = Assistant(load_settings())
        draft = assistant.draft(assistant.retrieve(QUESTION))
        with pytest.raises(ModelError, match="stopped responding mid-answer"):
            draft.finish()
    assert behaviour.requests == 1  # text had arrived: no silent retry that would repeat it
    assert saved_rows(corpus_home) == 0


def test_model_identity_mismatches_are_reported(corpus_home: Path, monkeypatch, capsys) -> None:
    behaviour = Behaviour(models=[{"id": "other-model", "sha256": "cd" * 32}])
    with stub_server(behaviour) as url:
        use_server(monkeypatch, url, openai_model_sha256=SHA)
        assert main(["ask", QUESTION, "--json"]) == 0
    model = __import__("json").loads(capsys.readouterr().out)["model"]
    assert model["name"] == "other-model"  # recorded as the server reports it
    assert model["sha256"] == "cd" * 32
    assert "serves 'other-model', not the configured model 'stub-model'" in model["warning"]
    assert "differs from the configured abababababab" in model["warning"]


def test_a_matching_server_model_carries_no_warning(corpus_home: Path, monkeypatch) -> None:
    behaviour = Behaviour(models=[{"id": "stub-model", "digest": f"sha256:{SHA}"}])
    with stub_server(behaviour) as url:
        use_server(monkeypatch, url, openai_model_sha256=SHA)
        info = Assistant(load_settings()).model.info
    assert (info.name, info.sha256, info.warning) == ("stub-model", SHA, "")


def test_the_app_shows_the_failure_and_offers_a_retry(corpus_home: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    behaviour = Behaviour(fail_first=1)
    with stub_server(behaviour) as url:
        use_server(monkeypatch, url, request_retries="0")
        at = AppTest.from_file(MAIN, default_timeout=180)
        at.run()
        at.text_area[0].input(QUESTION)
        at.button(key="FormSubmitter:ask-Ask").click().run()
        assert not at.exception, at.exception
        assert any("failed before answering" in e.value and "Nothing was saved" in e.value
                   for e in at.error)  # fmt: skip
        assert saved_rows(corpus_home) == 0
        next(b for b in at.button if b.label == "Retry").click().run()
        assert not at.exception, at.exception
    assert not at.error
    assert any("Pegfilgrastim: 6 mg" in m.value for m in at.markdown)


def test_a_model_path_that_is_missing_or_a_folder_is_named_plainly(tmp_path: Path) -> None:
    from rag.answer.generate import resolve_model_path
    from rag.config import load_settings
    from rag.errors import ModelError

    with pytest.raises(ModelError, match="is a folder; set 'model_path' to a GGUF model file"):
        resolve_model_path(load_settings(model_path=str(tmp_path)))
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model_path(load_settings(model_path=str(tmp_path / "missing.gguf")))
