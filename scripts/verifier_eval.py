"""Measure the claim verifier and write docs/VERIFIER.md.

    .venv/bin/python scripts/verifier_eval.py

Precision and recall of "flagged" (verdict other than supported, or any flag) on the labelled
claim set in tests/data/labelled_claims.jsonl (correct claims and realistic wrong variants:
doses, ages, intervals, numbers from another drug, swapped citations), and the verifier's
added latency per answer on real answers drafted by the bundled model.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from rag.assistant import Assistant  # noqa: E402
from rag.config import load_settings  # noqa: E402
from rag.evaluation.evaluate import load_gold, load_labelled_claims, score_verifier  # noqa: E402


def main() -> None:
    items = load_labelled_claims(PROJECT / "tests" / "data" / "labelled_claims.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(load_settings(home=Path(tmp) / "home"))
        assistant.ingest([PROJECT / "guideline_corpus"])
        score = score_verifier(assistant, items)

        # Added latency per answer: verification of real drafts of the bundled model.
        questions = [g.question for g in load_gold(PROJECT / "guideline_corpus" / "gold.jsonl")]
        questions = [q for q in questions if not assistant.retrieve(q).not_found][:12]
        latencies, claims, flagged = [], [], 0
        for question in questions:
            retrieval = assistant.retrieve(question)
            draft = assistant.draft(retrieval)
            text = "".join(draft)
            start = time.perf_counter()
            check = assistant.verify(text, retrieval)
            latencies.append((time.perf_counter() - start) * 1000)
            claims.append(len(check.claims))
            flagged += bool(check.open_flags) or check.has_unsupported
    errors = Counter(i.error for i in items if i.wrong)
    lines = [
        "# Claim verifier: measured figures",
        "",
        "Written by `scripts/verifier_eval.py`; run it again to refresh.",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on the bundled corpus and models.",
        "",
        f"Labelled set: {len(items)} claims ({sum(i.wrong for i in items)} wrong, "
        f"{sum(not i.wrong for i in items)} correct); wrong kinds: "
        + ", ".join(f"{k} {v}" for k, v in sorted(errors.items()))
        + ".",
        "",
        "| measure | figure |",
        "|---|---|",
        f"| precision of 'flagged' (flagged claims that are wrong) | {score.precision:.2f} |",
        f"| recall of 'flagged' (wrong claims that are flagged) | {score.recall:.2f} |",
        f"| confusion (TP / FP / FN / TN) | {score.true_positive} / {score.false_positive} / "
        f"{score.false_negative} / {score.true_negative} |",
        f"| mean verification time per labelled claim | {score.mean_latency_ms:.0f} ms |",
        f"| added latency per drafted answer, median (max) over {len(latencies)} answers | "
        f"{statistics.median(latencies):.0f} ms ({max(latencies):.0f} ms max) |",
        f"| claims per drafted answer, median | {statistics.median(claims):.0f} |",
        f"| bundled-model drafts with at least one flag | {flagged} of {len(latencies)} |",
        "",
        "Wrong claims the verifier did not flag (its known blind spots):",
        "",
        *[f"- {m}" for m in score.misses],
        "",
        "Correct claims it flagged (false alarms):",
        "",
        *([f"- {m}" for m in score.false_alarms] or ["- none"]),
        "",
        "Reading the misses: a number that occurs in the cited passage in a parallel clause (the",
        "same interval for another test, a dose of the same drug in another regimen) passes the",
        "number guard, and claims without any number rely on similarity alone. These are the",
        "cases a clinician must still read for.",
        "",
    ]
    out = PROJECT / "docs" / "VERIFIER.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
