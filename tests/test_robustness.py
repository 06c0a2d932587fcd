"""Robustness holes of issue 9: bad metadata files, hostile YAML, CLI errors, concurrent first
open of a database, stopping ``serve``, and the file modes of the state directory."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from pdfs import text_pdf
from test_browser import free_port, wait_for

from rag.cli import main
from rag.config import load_settings
from rag.ingest import pipeline
from rag.ingest.pipeline import ingest
from rag.retrieval.index import GuidelineIndex

GUIDELINE = """---
id: crc-screening
title: Colorectal Cancer Screening in Average-Risk Adults
publisher: Test Society of Gastroenterology
year: 2024
---
## 3.2 Recommendation
Adults aged 45 to 75 years at average risk should be offered colonoscopy every 10 years
(strong recommendation; moderate-certainty evidence). In the NordICC trial, invitation to
colonoscopy reduced the risk of colorectal cancer at 10 years (RR 0.82, 95% CI 0.70-0.93).
"""

PDF_PAGES = [
    [
        ("h1", "4.1 Adjuvant therapy"),
        (
            "p",
            "Patients with resected stage III colon cancer should receive adjuvant "
            "oxaliplatin-based chemotherapy for 3 to 6 months (HR for disease-free survival "
            "0.80, 95% CI 0.71-0.90).",
        ),
    ]
]


def billion_laughs(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    lines.append(f"title: *{chr(ord('a') + levels - 1)}")
    return "\n".join(lines)


@pytest.fixture
def index(oncoguide_home: Path):  # type: ignore[no-untyped-def]
    idx = GuidelineIndex(load_settings())
    yield idx
    idx.close()


def by_name(report) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {Path(f.path).name: (f.status, f.reason) for f in report.files}


def pdf_with_sidecar(folder: Path, sidecar: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "adjuvant.pdf"
    text_pdf(pdf, PDF_PAGES)
    (folder / "adjuvant.pdf.meta.yaml").write_bytes(sidecar)
    return pdf


# 4. Any per-file failure is a per-file skip -----------------------------------------------


@pytest.mark.slow
def test_non_utf8_sidecar_skips_that_file_only(index: GuidelineIndex, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    pdf_with_sidecar(corpus, "title: Th\u00e9rapie adjuvante\nyear: 2023\n".encode("latin-1"))
    (corpus / "screening.md").write_text(GUIDELINE)
    report = ingest(index, [corpus])
    files = by_name(report)
    assert files["screening.md"][0] == "added"
    status, reason = files["adjuvant.pdf"]
    assert status == "skipped"
    assert "adjuvant.pdf.meta.yaml" in reason and "UTF-8" in reason


@pytest.mark.slow
def test_unexpected_error_in_one_file_is_logged_and_the_batch_goes_on(
    index: GuidelineIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_broken.md").write_text(GUIDELINE.replace("crc-screening", "broken"))
    (corpus / "b_screening.md").write_text(GUIDELINE)
    real_parse = pipeline.parse_file

    def parse_or_fail(path, data, *args, **kwargs):  # type: ignore[no-untyped-def]
        if path.name == "a_broken.md":
            raise KeyError("a bug in a parser")
        return real_parse(path, data, *args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_file", parse_or_fail)
    with caplog.at_level(logging.ERROR, logger="rag.ingest.pipeline"):
        report = ingest(index, [corpus])
    files = by_name(report)
    assert files["b_screening.md"][0] == "added"
    status, reason = files["a_broken.md"]
    assert status == "skipped" and "KeyError" in reason and "unexpected" in reason
    # The programming error is not swallowed: its traceback is in the log.
    logged = [r for r in caplog.records if "a_broken.md" in r.getMessage()]
    assert logged and logged[0].exc_info is not None


# 5. The sidecar is part of the document's identity ----------------------------------------


@pytest.mark.slow
def test_editing_the_sidecar_reindexes_the_document(index: GuidelineIndex, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    pdf = pdf_with_sidecar(corpus, b"id: adjuvant-colon\ntitle: Adjuvant Therapy 2023\n")
    first = ingest(index, [corpus])
    assert by_name(first)["adjuvant.pdf"][0] == "added"
    assert index.catalog.document("adjuvant-colon").title == "Adjuvant Therapy 2023"
    assert by_name(ingest(index, [corpus]))["adjuvant.pdf"][0] == "unchanged"
    snapshot = index.snapshot()

    (corpus / "adjuvant.pdf.meta.yaml").write_text(
        "id: adjuvant-colon\ntitle: Adjuvant Therapy 2024 update\nstatus: current\n"
    )
    second = ingest(index, [corpus])
    assert by_name(second)["adjuvant.pdf"][0] == "updated"
    assert index.catalog.document("adjuvant-colon").title == "Adjuvant Therapy 2024 update"
    assert index.snapshot() != snapshot  # the corpus a saved answer names has changed

    (corpus / "adjuvant.pdf.meta.yaml").unlink()
    third = ingest(index, [corpus])
    assert by_name(third)["adjuvant.pdf"][0] == "updated"
    assert index.catalog.document_at(str(pdf.resolve())).doc_id == "adjuvant"


@pytest.mark.slow
def test_document_hash_is_the_files_sha256_with_or_without_a_sidecar(
    index: GuidelineIndex, tmp_path: Path
) -> None:
    """What an auditor recomputes with sha256sum is what the index and every source record
    name; the sidecar has its own hash beside it."""
    corpus = tmp_path / "corpus"
    sidecar = b"id: adjuvant-colon\ntitle: Adjuvant Therapy 2023\n"
    pdf = pdf_with_sidecar(corpus, sidecar)
    (corpus / "screening.md").write_text(GUIDELINE)
    ingest(index, [corpus])
    with_sidecar = index.catalog.document("adjuvant-colon")
    assert with_sidecar.doc_hash == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert with_sidecar.meta_hash == hashlib.sha256(sidecar).hexdigest()
    plain = index.catalog.document("crc-screening")
    assert plain.doc_hash == hashlib.sha256((corpus / "screening.md").read_bytes()).hexdigest()
    assert plain.meta_hash == ""
    for chunk in index.catalog.chunks():
        assert chunk.doc_hash == index.catalog.document(chunk.doc_id).doc_hash


@pytest.mark.slow
def test_a_sidecar_title_change_re_embeds_the_passages(
    index: GuidelineIndex, tmp_path: Path
) -> None:
    """The vector of every passage is the embedding of the text BM25 reads now (title and
    caption included), never one left from the old title."""
    corpus = tmp_path / "corpus"
    pdf_with_sidecar(corpus, b"id: adjuvant-colon\ntitle: Adjuvant Therapy 2023\n")
    ingest(index, [corpus])
    before = stored_vectors(index)
    (corpus / "adjuvant.pdf.meta.yaml").write_text(
        "id: adjuvant-colon\ntitle: Pancreatic Enzyme Replacement in Exocrine Insufficiency\n"
    )
    assert by_name(ingest(index, [corpus]))["adjuvant.pdf"][0] == "updated"
    chunks = index.catalog.chunks()
    assert chunks and all(c.title.startswith("Pancreatic Enzyme") for c in chunks)
    after = stored_vectors(index)
    assert set(after) == {c.chunk_id for c in chunks}
    expected = index.embedder.embed([c.index_text() for c in chunks])
    for chunk, vector in zip(chunks, expected, strict=True):
        assert cosine(after[chunk.chunk_id], vector) > 0.999, chunk.index_text()
        if chunk.chunk_id in before:
            assert cosine(before[chunk.chunk_id], vector) < 0.99  # the old vector is gone
    lexical = index.view().lexical
    assert lexical.search("pancreatic enzyme replacement", 5)
    assert index.vector_count() == index.catalog.chunk_count()


def stored_vectors(index: GuidelineIndex) -> dict[str, np.ndarray]:
    stored = index._collection.get(include=["embeddings"])
    return {cid: np.asarray(v) for cid, v in zip(stored["ids"], stored["embeddings"], strict=True)}


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


# 6. Hostile YAML: aliases and size --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "front_matter, expected",
    [
        (billion_laughs(6), "alias"),
        ("title: x\nnote: " + "y" * 20_000, "KiB"),
        ("title: " + "[" * 5_000 + "]" * 5_000, "nested"),
        ("base: &b {publisher: X}\nmeta:\n  <<: *b\ntitle: T", "alias"),
    ],
    ids=["billion-laughs", "oversized", "deeply-nested", "merge-key"],
)
def test_hostile_front_matter_is_refused(
    index: GuidelineIndex, tmp_path: Path, front_matter: str, expected: str
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.md").write_text(f"---\n{front_matter}\n---\n## Body\nSome text.\n")
    (corpus / "screening.md").write_text(GUIDELINE)
    files = by_name(ingest(index, [corpus]))
    assert files["screening.md"][0] == "added"
    status, reason = files["hostile.md"]
    assert status == "skipped"
    assert "front matter" in reason and expected in reason
    assert index.catalog.document("hostile") is None


@pytest.mark.slow
def test_hostile_sidecar_is_refused(index: GuidelineIndex, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    pdf_with_sidecar(corpus, billion_laughs(6).encode())
    status, reason = by_name(ingest(index, [corpus]))["adjuvant.pdf"]
    assert status == "skipped"
    assert "adjuvant.pdf.meta.yaml" in reason and "alias" in reason


def test_ordinary_front_matter_still_reads() -> None:
    from rag.ingest.metadata import load_yaml_mapping

    meta = load_yaml_mapping(
        "title: 'ESMO Clinical Practice Guideline: early breast cancer'\nyear: 2024\n"
        "authors: [A. Author, B. Author]\nurl: https://example.org/guideline\n",
        "front matter",
    )
    assert meta["year"] == 2024 and meta["authors"] == ["A. Author", "B. Author"]


# 7. Every CLI error is one line and exit code 2 -------------------------------------------


def one_line_error(capsys) -> str:  # type: ignore[no-untyped-def]
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("oncoguide")  # "oncoguide: ..." or "oncoguide board: ..."
    return err


def new_case(capsys) -> str:  # type: ignore[no-untyped-def]
    assert main(["case", "new", "--label", "Board 12 case 3", "--cancer-type", "colorectal"]) == 0
    out = capsys.readouterr().out
    return next(word for word in out.split() if len(word) == 12 and word.isalnum())


@pytest.mark.parametrize("target", ["missing-dir", "directory"])
def test_board_export_to_a_bad_path(
    oncoguide_home: Path, tmp_path: Path, capsys, target: str
) -> None:
    case_id = new_case(capsys)
    out = tmp_path / "nonexistent" / "p.md" if target == "missing-dir" else tmp_path
    assert main(["board", "export", case_id, "--out", str(out)]) == 2
    assert str(out) in one_line_error(capsys)


def test_board_export_never_replaces_a_file_unasked_or_writes_through_a_link(
    oncoguide_home: Path, tmp_path: Path, capsys
) -> None:
    case_id = new_case(capsys)
    precious = tmp_path / "precious.txt"
    precious.write_text("precious")
    link = tmp_path / "link.md"
    link.symlink_to(precious)
    existing = tmp_path / "existing.md"
    existing.write_text("an earlier packet")
    assert main(["board", "export", case_id, "--out", str(link)]) == 2
    assert "exists" in one_line_error(capsys)
    assert main(["board", "export", case_id, "--out", str(link), "--overwrite"]) == 2
    assert "symbolic link" in one_line_error(capsys)
    assert main(["board", "export", case_id, "--out", str(existing)]) == 2
    assert "--overwrite" in one_line_error(capsys)
    assert precious.read_text() == "precious" and existing.read_text() == "an earlier packet"
    assert main(["board", "export", case_id, "--out", str(existing), "--overwrite"]) == 0
    assert existing.read_text().startswith("# Tumour board packet")


def test_check_refuses_an_answer_file_that_is_not_a_small_text_file(
    oncoguide_home: Path, tmp_path: Path, capsys
) -> None:
    for path in ("/dev/zero", "/dev/null", str(tmp_path)):
        argv = ["check", "--question", "What is the pegfilgrastim dose?", "--answer-file", path]
        assert main(argv) == 2, path
        one_line_error(capsys)


def test_state_dir_that_is_a_file(
    oncoguide_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("ONCOGUIDE_HOME", str(blocker / "home"))
    new = ["case", "new", "--label", "Board 1 case 1", "--cancer-type", "breast"]
    for argv in (["audit", "verify"], ["case", "list"], new):
        assert main(argv) == 2, argv
        one_line_error(capsys)


def test_eval_markdown_to_a_bad_path(oncoguide_home: Path, tmp_path: Path, capsys) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("")
    code = main(["eval", str(gold), "--retrieval-only", "--markdown", str(tmp_path / "no/r.md")])
    assert code == 2
    one_line_error(capsys)


def test_usage_errors_are_one_line(oncoguide_home: Path, capsys) -> None:
    for argv in (["board"], ["audit", "rewrite"], ["ask"], ["ingest", "--nope", "x"]):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2, argv
        one_line_error(capsys)


def test_unreadable_records_database(oncoguide_home: Path, capsys) -> None:
    oncoguide_home.mkdir(parents=True, exist_ok=True)
    (oncoguide_home / "records.sqlite3").write_bytes(b"\xff" * 4096)
    assert main(["audit", "list"]) == 2
    assert "records.sqlite3" in one_line_error(capsys)


def test_unexpected_error_is_one_line_and_debug_shows_it(
    oncoguide_home: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import rag.cli

    def broken(args):  # type: ignore[no-untyped-def]
        raise TypeError("a bug")

    monkeypatch.setattr(rag.cli, "cmd_audit", broken)
    assert main(["audit", "verify"]) == 2
    assert "TypeError" in one_line_error(capsys)
    monkeypatch.setenv("ONCOGUIDE_DEBUG", "1")
    with pytest.raises(TypeError):
        main(["audit", "verify"])


# 8. Concurrent first open of a fresh database ---------------------------------------------


def test_fresh_database_opened_by_several_processes_at_once(tmp_path: Path) -> None:
    from dbworker import open_fresh

    from rag.review.store import MIGRATIONS

    # Children come from a clean fork server, not from this process and its model threads.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rag.db", "dbworker"])
    workers, rounds = 4, 20
    failures: list[str] = []
    for round_no in range(rounds):
        path = tmp_path / f"round{round_no}" / "records.sqlite3"
        barrier = context.Barrier(workers)
        results = context.Queue()
        procs = [
            context.Process(target=open_fresh, args=(str(path), MIGRATIONS, barrier, results))
            for _ in range(workers)
        ]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        failures += [o for o in outcomes if o != "ok"]
    assert not failures, f"{len(failures)} of {workers * rounds} opens failed:\n{failures[0]}"


# 9. Stopping `oncoguide serve` stops the app ----------------------------------------------


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def processes_with_env(marker: str) -> list[int]:
    """Live processes whose environment carries ``marker`` (this test's unique state dir)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.server
@pytest.mark.slow
def test_sigterm_to_serve_stops_the_app(oncoguide_home: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "screening.md").write_text(GUIDELINE)
    # A bad metadata file in the corpus folder does not stop the server either (hole 4).
    pdf_with_sidecar(corpus, b"title: Th\xe9rapie\n")
    port = free_port()
    env = {**os.environ, "ONCOGUIDE_CORPUS_DIR": str(corpus)}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "oncoguide"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not port_open(port):
            assert server.poll() is None, f"serve exited early: {server.stdout.read()}"
            assert time.monotonic() < deadline, "serve did not open its port"
            time.sleep(0.5)
        assert processes_with_env(str(oncoguide_home))
        wait_for(f"http://127.0.0.1:{port}/_stcore/health", server, timeout=60)
        os.kill(server.pid, signal.SIGTERM)  # the parent only, as `kill PID` does
        server.wait(timeout=30)
        deadline = time.monotonic() + 30
        while (processes_with_env(str(oncoguide_home)) or port_open(port)) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.5)
        assert not processes_with_env(str(oncoguide_home)), "the app outlived serve"
        assert not port_open(port)
        output = server.stdout.read()
        assert "skipped" in output and "adjuvant.pdf" in output
    finally:
        for pid in processes_with_env(str(oncoguide_home)):
            os.kill(pid, signal.SIGKILL)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


# 10. File modes of the state directory ----------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_files_are_private(oncoguide_home: Path, tmp_path: Path, capsys) -> None:
    os.umask(0o022)  # the usual default, which made them world-readable
    case_id = new_case(capsys)
    out = tmp_path / "packet.md"
    assert main(["board", "export", case_id, "--out", str(out)]) == 0
    assert mode(oncoguide_home) == 0o700
    assert mode(oncoguide_home / "records.sqlite3") == 0o600
    assert mode(out) == 0o600
    wal = oncoguide_home / "records.sqlite3-wal"
    if wal.exists():
        assert mode(wal) & 0o077 == 0


def test_state_dir_and_the_folders_made_for_it_are_private(tmp_path: Path) -> None:
    from rag.files import private_dir

    os.umask(0o022)
    tmp_path.chmod(0o755)
    home = tmp_path / "new" / "nested" / "home"
    assert private_dir(home) == home
    assert [mode(p) for p in (home, home.parent, home.parent.parent)] == [0o700] * 3
    assert mode(tmp_path) == 0o755  # a folder that existed above it is left alone
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NotADirectoryError):
        private_dir(blocker)


def test_existing_state_dir_is_made_private(oncoguide_home: Path, capsys) -> None:
    oncoguide_home.mkdir(parents=True)
    oncoguide_home.chmod(0o755)
    assert main(["audit", "verify"]) == 0
    assert mode(oncoguide_home) == 0o700
    assert mode(oncoguide_home / "records.sqlite3") == 0o600


@pytest.mark.slow
def test_index_files_are_private(index: GuidelineIndex, oncoguide_home: Path) -> None:
    settings = load_settings()
    assert mode(settings.index_dir) == 0o700
    for path in settings.index_dir.rglob("*"):
        if path.is_file() and path.suffix in (".sqlite3", ".sqlite"):
            assert mode(path) == 0o600, path


def test_a_file_name_cannot_forge_a_line_of_the_ingest_report(
    oncoguide_home: Path, tmp_path: Path, capsys
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "new\nadded     forged.md").write_text(GUIDELINE)
    (corpus / "bell\x1b[31m.md").write_text(GUIDELINE.replace("crc-screening", "crc-bell"))
    # A third file declaring the first one's id in the same run is skipped, not both lost.
    (corpus / "twin.md").write_text(GUIDELINE)
    assert main(["ingest", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.count("added") >= 2 and "twin.md  (document id 'crc-screening' is already" in out
    assert "\x1b" not in out
    assert not any(line.startswith("added     forged") for line in out.splitlines())
    assert "new\\nadded     forged.md" in out
