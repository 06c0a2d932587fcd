"""Shared fixtures: every test gets its own state directory and the network guard."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import netguard  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "guideline_corpus"
GOLD = CORPUS / "gold.jsonl"
NETGUARD_SITE = Path(__file__).parent / "netguard_site"

netguard.install()


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled GGUF is assembled once per test session, not once per test."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def oncoguide_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_cache: Path
) -> Iterator[Path]:
    for key in list(os.environ):
        if key.startswith("ONCOGUIDE_"):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    monkeypatch.setenv("ONCOGUIDE_HOME", str(home))
    monkeypatch.setenv("ONCOGUIDE_MODEL_CACHE_DIR", str(model_cache))
    before = len(netguard.violations)
    yield home
    new = netguard.violations[before:]
    if new:
        pytest.fail(f"test tried to reach the network: {new}")


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Path:
    """A state directory with the bundled corpus indexed, built once per session."""
    from rag.assistant import Assistant
    from rag.config import load_settings

    home = tmp_path_factory.mktemp("indexed") / "home"
    settings = load_settings(home=home, model_cache_dir=model_cache)
    assistant = Assistant(settings)
    report = assistant.ingest([CORPUS])
    assert report.count("skipped") == 0, report
    assistant.close()
    return home


@pytest.fixture
def corpus_home(indexed_template: Path, oncoguide_home: Path) -> Path:
    """This test's own copy of the indexed bundled corpus (safe to write to)."""
    shutil.copytree(indexed_template, oncoguide_home)
    return oncoguide_home


@pytest.fixture
def settings():
    from rag.config import load_settings

    return load_settings()
