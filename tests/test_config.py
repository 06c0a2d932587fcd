"""Settings: one object from env and TOML; malformed input gives one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import load_settings
from rag.errors import ConfigError


def test_defaults_and_home(oncoguide_home: Path) -> None:
    settings = load_settings()
    assert settings.home == oncoguide_home
    assert settings.records_db == oncoguide_home / "records.sqlite3"
    assert settings.model_path == "bundled" and settings.embedder == "bundled"
    assert settings.corpus_dir.name == "guideline_corpus" and settings.corpus_dir.is_dir()


def test_toml_file_and_environment_precedence(
    oncoguide_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    oncoguide_home.mkdir()
    (oncoguide_home / "config.toml").write_text("top_k = 7\ntemperature = 0.2\n")
    assert load_settings().top_k == 7
    monkeypatch.setenv("ONCOGUIDE_TOP_K", "3")
    settings = load_settings()
    assert settings.top_k == 3 and settings.temperature == 0.2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("top_k = [unclosed", "not valid TOML"),
        ("top_k = 'many'", "top_k"),
        ("tpo_k = 3", "tpo_k"),
        ("chunk_size = 300\nchunk_overlap = 400", "chunk_overlap must be smaller"),
        ("chroma_mode = 'cloud'", "chroma_mode"),
    ],
)
def test_malformed_config_is_one_clear_error(
    oncoguide_home: Path, content: str, message: str
) -> None:
    oncoguide_home.mkdir()
    (oncoguide_home / "config.toml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_public_settings_hide_the_api_key() -> None:
    data = load_settings(openai_api_key="sk-secret").public_dict()
    assert "openai_api_key" not in data and "sk-secret" not in str(data)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8080/v1", True),
        ("http://localhost:8080/v1", True),
        ("http://[::1]:8080/v1", True),
        ("http://192.0.2.2:18555/v1", False),
        ("http://llm.internal:8080/v1", False),
        ("http://127.0.0.1.evil.example/v1", False),
    ],
)
def test_an_inference_server_elsewhere_needs_to_be_trusted_explicitly(
    oncoguide_home: Path, url: str, allowed: bool
) -> None:
    """Questions may name a patient: they leave the machine only when configured to."""
    if allowed:
        assert load_settings(llm_backend="openai", openai_base_url=url).openai_base_url == url
    else:
        with pytest.raises(ConfigError, match="not on this machine"):
            load_settings(llm_backend="openai", openai_base_url=url)
    trusted = load_settings(llm_backend="openai", openai_base_url=url, openai_allow_remote=True)
    assert trusted.openai_allow_remote


def test_a_misspelt_variable_or_a_missing_named_file_is_an_error(
    oncoguide_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONCOGUIDE_ANSWERMODE", "evidence")
    with pytest.raises(ConfigError, match="did you mean ONCOGUIDE_ANSWER_MODE"):
        load_settings()
    monkeypatch.delenv("ONCOGUIDE_ANSWERMODE")
    monkeypatch.setenv("oncoguide_answermode", "evidence")  # read whatever its case
    with pytest.raises(ConfigError, match="Unknown variable oncoguide_answermode"):
        load_settings()
    monkeypatch.delenv("oncoguide_answermode")
    monkeypatch.setenv("ONCOGUIDE_ANSWER_MODE", "evidence")
    assert load_settings().answer_mode == "evidence"
    monkeypatch.setenv("ONCOGUIDE_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="not a file"):
        load_settings()
