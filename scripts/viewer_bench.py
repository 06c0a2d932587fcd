"""Measure the source viewer and write its section of docs/BENCHMARKS.md.

    .venv/bin/python scripts/viewer_bench.py [--pages 300]

Figures: time to open a passage (hash check, page render, highlight) in a long generated
guideline PDF and in a Markdown file, and the share of the chunks ingest makes of that PDF
that the viewer locates on their page. Not a test: times depend on the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

from docsection import write_section  # noqa: E402
from viewer_docs import DURATION_LINES, INTRO, SURVEILLANCE, _GuidelinePDF  # noqa: E402

from rag.ingest.chunking import chunk_segments  # noqa: E402
from rag.ingest.parse import parse_file  # noqa: E402
from rag.retrieval.locate import PageView, locate  # noqa: E402


def long_pdf(path: Path, pages: int) -> Path:
    pdf: FPDF = _GuidelinePDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 8, f"{number}. Recommendation {number}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for text in (INTRO, " ".join(DURATION_LINES), *SURVEILLANCE[:3]):
            pdf.multi_cell(0, 6, text.replace("3 months", f"{number % 7 + 2} months"))
            pdf.ln(3)
    pdf.output(str(path))
    return path


def timed(call, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = long_pdf(Path(tmp) / "long.pdf", args.pages)
        data = pdf.read_bytes()
        parsed = parse_file(pdf, data)
        chunks = chunk_segments(
            parsed.segments,
            doc_id="long",
            doc_hash=hashlib.sha256(data).hexdigest(),
            title="Long guideline",
            size=700,
            overlap=100,
        )
        middle = next(c for c in chunks if c.page == args.pages // 2)
        open_pdf = timed(lambda: locate(middle, pdf), args.repeat)
        turn = timed(lambda: locate(middle, pdf, page=args.pages // 2 + 1), args.repeat)
        views = [locate(c, pdf) for c in chunks[:: max(len(chunks) // 200, 1)]]
        found = [v.found for v in views if isinstance(v, PageView)]
        png_kb = statistics.median(len(v.png) for v in views if isinstance(v, PageView)) / 1024

        md = Path(tmp) / "long.md"
        md.write_text(
            "\n\n".join(
                f"## Section {n}\n\n{INTRO}\n\n{' '.join(DURATION_LINES)}" for n in range(400)
            ),
            encoding="utf-8",
        )
        md_data = md.read_bytes()
        md_chunks = chunk_segments(
            parse_file(md, md_data).segments,
            doc_id="md",
            doc_hash=hashlib.sha256(md_data).hexdigest(),
            title="Long Markdown",
            size=700,
            overlap=100,
        )
        open_md = timed(lambda: locate(md_chunks[len(md_chunks) // 2], md), args.repeat)

    size_mb = len(data) / 1e6
    lines = [
        "## Source viewer",
        "",
        "Written by `scripts/viewer_bench.py`; run it again to refresh.",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, Python "
        f"{platform.python_version()}; median of {args.repeat} runs, nothing cached.",
        "",
        "| measure | figure |",
        "|---|---|",
        f"| open a passage in a {args.pages}-page PDF ({size_mb:.1f} MB): hash check, render "
        f"at 144 dpi, locate, highlight | {open_pdf * 1000:.0f} ms |",
        f"| turn to the next page of that PDF | {turn * 1000:.0f} ms |",
        f"| PNG of one page, median | {png_kb:.0f} KiB |",
        f"| open a passage in a {len(md_data) // 1024} KiB Markdown file (re-parse, locate) | "
        f"{open_md * 1000:.0f} ms |",
        f"| ingest chunks of that PDF located on their page ({len(found)} sampled): found ≥ 95 % "
        f"of the passage | {sum(f >= 0.95 for f in found) / len(found):.1%} |",
        f"| mean share of each passage located | {statistics.mean(found):.1%} |",
    ]
    write_section(PROJECT / "docs" / "BENCHMARKS.md", "viewer", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
