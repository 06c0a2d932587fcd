"""Measure OncoGuide against its raw components and write docs/BENCHMARKS.md.

    .venv/bin/python scripts/benchmark.py [--quick]

Figures: ingest throughput vs raw sentence-transformers encoding of the same chunks,
retrieval latency p50/p95 at 1k and 10k chunks, time to first token and tokens/s of the app
path vs raw llama-cpp-python on the same prompt, and the peak RSS of the running app.
Not a test: numbers depend on the machine and are recorded with its description.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from docsection import read_section  # noqa: E402

from rag.answer.generate import build_request  # noqa: E402
from rag.assistant import Assistant  # noqa: E402
from rag.config import load_settings  # noqa: E402
from rag.ingest.chunking import chunk_segments  # noqa: E402
from rag.ingest.metadata import file_hash  # noqa: E402
from rag.ingest.parse import parse_file  # noqa: E402
from rag.retrieval.embed import Embedder  # noqa: E402

QUESTIONS = [
    "At what age should women start screening mammography?",
    "What is the oxaliplatin dose in CAPOX?",
    "How often should colonoscopy be repeated?",
    "What is the pegfilgrastim dose and when is it given?",
    "Who is eligible for lung cancer screening?",
    "What is the durvalumab consolidation dose?",
    "How many HPV vaccine doses are needed when starting at 16?",
    "What is the preferred whole-breast irradiation dose?",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def synthetic_corpus(folder: Path, target_chunks: int, chunk_size: int) -> int:
    """Copies of the bundled corpus with distinct ids and shifted numbers, up to a chunk count."""
    sources = sorted((PROJECT / "guideline_corpus").glob("*.md"))
    folder.mkdir(parents=True, exist_ok=True)
    made, copy = 0, 0
    while made < target_chunks:
        for source in sources:
            text = source.read_text()
            text = re.sub(r"^id: (.+)$", rf"id: \1-copy{copy}", text, count=1, flags=re.M)
            shift = copy % 7
            text = re.sub(r"\b(\d+)\b", lambda m, k=shift: str(int(m.group(1)) + k), text)
            text = text.replace("## ", f"## Variant {copy} · ")
            path = folder / f"{source.stem}-{copy}.md"
            path.write_text(text)
            parsed = parse_file(path, path.read_bytes())
            made += len(
                chunk_segments(
                    parsed.segments,
                    doc_id="x",
                    doc_hash="x",
                    title="x",
                    size=chunk_size,
                    overlap=100,
                )
            )
            if made >= target_chunks:
                break
        copy += 1
    return made


def bench_ingest(work: Path) -> dict[str, float]:
    folder = work / "ingest-corpus"
    settings = load_settings(home=work / "ingest-home")
    synthetic_corpus(folder, 1000, settings.chunk_size)
    embedder = Embedder(settings.embedder, settings.embed_batch_size).load()
    embedder.embed(["warm up"])

    texts = []
    for path in sorted(folder.glob("*.md")):
        data = path.read_bytes()
        parsed = parse_file(path, data)
        chunks = chunk_segments(
            parsed.segments,
            doc_id=parsed.meta["id"],
            doc_hash=file_hash(data),
            title=parsed.meta["title"],
            size=settings.chunk_size,
            overlap=settings.chunk_overlap,
        )
        texts += [c.index_text() for c in chunks]
    start = time.perf_counter()
    embedder.embed(texts)
    raw = time.perf_counter() - start

    assistant = Assistant(settings)
    start = time.perf_counter()
    report = assistant.ingest([folder])
    pipeline = time.perf_counter() - start
    chunks = assistant.chunk_count()
    assert chunks == len(texts), (chunks, len(texts))
    return {
        "chunks": chunks,
        "files": report.count("added"),
        "raw_s": raw,
        "pipeline_s": pipeline,
        "raw_rate": chunks / raw,
        "pipeline_rate": chunks / pipeline,
        "ratio": raw / pipeline,
    }


def bench_retrieval(work: Path, target: int, repeats: int) -> dict[str, float]:
    folder = work / f"retrieval-{target}"
    settings = load_settings(home=work / f"retrieval-home-{target}")
    synthetic_corpus(folder, target, settings.chunk_size)
    assistant = Assistant(settings)
    assistant.ingest([folder])
    chunks = assistant.chunk_count()
    assistant.retrieve("warm up the caches")
    latencies = []
    for _ in range(repeats):
        for question in QUESTIONS:
            start = time.perf_counter()
            assistant.retrieve(question)
            latencies.append((time.perf_counter() - start) * 1000)
    return {
        "chunks": chunks,
        "queries": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
    }


def bench_generation(work: Path, repeats: int) -> dict[str, float]:
    settings = load_settings(home=work / "gen-home")
    assistant = Assistant(settings)
    assistant.ingest([PROJECT / "guideline_corpus"])
    model = assistant.model
    llm = model._llm  # the raw llama_cpp.Llama the app path uses
    rows = {
        "app_ttft": [],
        "raw_ttft": [],
        "app_tps": [],
        "raw_tps": [],
        "prompt_tokens": [],
        "warm_ttft": [],
    }
    assistant.ask(QUESTIONS[0])  # warm-up
    for _ in range(repeats):
        for question in QUESTIONS[:4]:
            retrieval = assistant.retrieve(question, top_k=5)
            assert len(retrieval.hits) == 5
            # App path: prompt building, streaming through the Draft, answer parsing.
            # reset() empties llama.cpp's prompt cache so neither side reuses the other's work.
            llm.reset()
            start = time.perf_counter()
            draft = assistant.draft(retrieval)
            first = None
            count = 0
            for _token in draft:
                count += 1
                first = first or time.perf_counter()
            end = time.perf_counter()  # streaming ends here; verification is measured apart
            draft.finish()
            rows["app_ttft"].append(first - start)
            rows["app_tps"].append((count - 1) / (end - first) if count > 1 else float("nan"))
            # Raw llama-cpp-python on the same prompt and parameters.
            request, _ = build_request(settings, question, retrieval.hits, model.info.mode)
            rows["prompt_tokens"].append(len(llm.tokenize(request.completion.encode())))
            llm.reset()
            start = time.perf_counter()
            first = None
            count = 0
            for _part in llm.create_completion(
                prompt=request.completion,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=list(request.stop),
                seed=settings.seed,
                stream=True,
            ):
                count += 1
                first = first or time.perf_counter()
            end = time.perf_counter()
            rows["raw_ttft"].append(first - start)
            rows["raw_tps"].append((count - 1) / (end - first) if count > 1 else float("nan"))
    # The app as used: consecutive questions share the few-shot prefix, which llama.cpp keeps.
    for question in QUESTIONS[4:]:
        retrieval = assistant.retrieve(question, top_k=5)
        start = time.perf_counter()
        for _token in assistant.draft(retrieval):
            rows["warm_ttft"].append(time.perf_counter() - start)
            break
    med = {k: statistics.median([x for x in v if x == x]) for k, v in rows.items()}
    med["ttft_ratio"] = med["raw_ttft"] / med["app_ttft"]
    med["tps_ratio"] = med["app_tps"] / med["raw_tps"]
    med["runs"] = len(rows["app_ttft"])
    return med


def bench_app_rss(work: Path) -> dict[str, float]:
    """Start ``oncoguide serve``, ask one question in Debian chromium, read peak RSS."""
    from playwright.sync_api import expect, sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ONCOGUIDE_HOME": str(work / "app-home")}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "oncoguide"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(1)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
            page.get_by_role("textbox", name="Question").fill(QUESTIONS[3])
            page.get_by_role("button", name="Ask").click()
            expect(page.get_by_text("Draft answer")).to_be_visible(timeout=180_000)
            browser.close()
        peak = 0
        for proc in [psutil.Process(server.pid), *psutil.Process(server.pid).children(True)]:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            found = re.search(r"VmHWM:\s+(\d+) kB", status)
            if found:
                peak = max(peak, int(found.group(1)) * 1024)
        return {"peak_rss_mb": peak / 1024 / 1024}
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 1024**3
    return f"{os.cpu_count()} CPU cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"


LOAD_SECTION = "load"  # written by scripts/load.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k chunks only, fewer repeats")
    parser.add_argument("--out", default=str(PROJECT / "docs" / "BENCHMARKS.md"))
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("ingest…", flush=True)
        ingest = bench_ingest(work)
        print(ingest, flush=True)
        retrieval = {}
        for target in (1000,) if args.quick else (1000, 10000):
            print(f"retrieval at {target}…", flush=True)
            retrieval[target] = bench_retrieval(work, target, repeats * 5)
            print(retrieval[target], flush=True)
        print("generation…", flush=True)
        generation = bench_generation(work, repeats)
        print(generation, flush=True)
        print("app…", flush=True)
        app = bench_app_rss(work)
        print(app, flush=True)

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        "# OncoGuide benchmarks",
        "",
        "Written by `scripts/benchmark.py` (not a test; run it again to refresh).",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "Bundled models: all-MiniLM-L6-v2 (sentence-transformers) and Gemma 3 270M Q4_K_M (llama.cpp, CPU).",
        "",
        "| measure | figure | target | |",
        "|---|---|---|---|",
        f"| ingest throughput, pipeline / raw encoding ({ingest['chunks']:.0f} chunks) | "
        f"{ingest['pipeline_rate']:.1f} / {ingest['raw_rate']:.1f} chunks/s = {ingest['ratio']:.2f} | ≥ 0.9 | "
        f"{verdict(ingest['ratio'] >= 0.9)} |",
    ]
    for target, r in retrieval.items():
        target_text = "p95 < 50 ms" if target == 10000 else "—"
        ok = r["p95_ms"] < 50 if target == 10000 else True
        lines.append(
            f"| retrieval latency at {r['chunks']:.0f} chunks ({r['queries']:.0f} queries) | "
            f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms | {target_text} | {verdict(ok)} |"
        )
    lines += [
        f"| time to first token, app path (5 passages, median {generation['prompt_tokens']:.0f} prompt tokens) | "
        f"{generation['app_ttft']:.2f} s | < 2 s | {verdict(generation['app_ttft'] < 2)} |",
        f"| time to first token, raw llama-cpp-python, same prompt | {generation['raw_ttft']:.2f} s | — | |",
        f"| time to first token, app path with the prompt prefix cached (consecutive questions) | "
        f"{generation['warm_ttft']:.2f} s | — | |",
        f"| time-to-first-token ratio, raw / app | {generation['ttft_ratio']:.2f} | ≥ 0.9 | "
        f"{verdict(generation['ttft_ratio'] >= 0.9)} |",
        f"| tokens/s, app path / raw | {generation['app_tps']:.1f} / {generation['raw_tps']:.1f} = "
        f"{generation['tps_ratio']:.2f} | ≥ 0.9 | {verdict(generation['tps_ratio'] >= 0.9)} |",
        f"| peak RSS of the running app (serve + one answered question) | {app['peak_rss_mb']:.0f} MB | "
        f"< 1536 MB | {verdict(app['peak_rss_mb'] < 1536)} |",
        "",
        "Method: ingest compares `oncoguide` ingest of a synthetic corpus (copies of the bundled",
        "digests with distinct ids and shifted numbers) with `SentenceTransformer.encode` of the",
        "very same chunk texts; retrieval times `Assistant.retrieve` (query embedding, Chroma",
        "HNSW, BM25, fusion, not-found decision) over the benchmark questions; generation compares",
        "the app's streamed draft with a raw `Llama.create_completion` stream on the same prompt",
        f"and parameters, median of {generation['runs']:.0f} runs after a warm-up; RSS is the",
        "largest VmHWM among the `oncoguide serve` process tree after one question asked in chromium.",
        "",
    ]
    out = Path(args.out)
    load = read_section(out, LOAD_SECTION)  # scripts/load.py's figures stay as they are
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + ("\n" + load if load else ""))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
