"""Offline by construction: the guard itself, telemetry switches, and the layering rule."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import netguard
import pytest
from conftest import NETGUARD_SITE, PROJECT


def test_guard_blocks_non_loopback_and_allows_loopback() -> None:
    before = len(netguard.violations)
    with pytest.raises(netguard.NetworkBlocked):
        socket.create_connection(("93.184.216.34", 443), timeout=1)
    with pytest.raises(netguard.NetworkBlocked):
        socket.getaddrinfo("huggingface.co", 443)
    assert len(netguard.violations) == before + 2
    del netguard.violations[before:]  # expected here; other tests must add none

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=1)
    client.close()
    server.close()


def test_guard_is_active_in_subprocesses(tmp_path: Path) -> None:
    log = tmp_path / "log"
    code = "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=1)\nexcept OSError:\n    pass\n"
    env = {**os.environ, "PYTHONPATH": str(NETGUARD_SITE), "ONCOGUIDE_NETGUARD_LOG": str(log)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert "1.1.1.1" in log.read_text()


def test_telemetry_switches_are_set_by_importing_rag() -> None:
    import rag  # noqa: F401
    from rag.retrieval.index import chroma_client

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["ANONYMIZED_TELEMETRY"] == "False"
    from rag.config import load_settings

    client = chroma_client(load_settings())
    assert client.get_settings().anonymized_telemetry is False


def test_streamlit_config_disables_usage_stats_and_binds_loopback() -> None:
    import tomllib

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"


def test_rag_never_imports_streamlit_or_app() -> None:
    code = (
        "import sys, rag.cli, rag.assistant, rag.review.store, rag.evaluation.evaluate; "
        "bad = [m for m in sys.modules if m == 'streamlit' or m.startswith(('streamlit.', 'app.')) or m == 'app']; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for source in (PROJECT / "rag").rglob("*.py"):
        text = source.read_text()
        assert "import streamlit" not in text and "from app" not in text, source
