"""Measure the claim verifier and write docs/VERIFIER.md.

    .venv/bin/python scripts/verifier_eval.py

Two labelled sets:
- tests/data/verifier_claims.jsonl: claims about a synthetic guideline and trial-report corpus
  (tests/data/verifier_corpus/), true claims and wrong variants (one number changed, a number
  moved to another drug or arm, a unit changed, the right number for the wrong entity, polarity
  or grade flipped). Measured with a [n] marker on the labelled passage ("cited") and without
  any marker, judged against every retrieved passage as ``oncoguide check`` does ("unmarked"),
  on the tuning part and on the held-out part separately.
- tests/data/verifier_claims_heldout2.jsonl: a second held-out set (a synthetic gastric
  guideline and trial report, with table rows), written before the verifier was run on it.
- tests/data/labelled_claims.jsonl: the earlier claims about the bundled digests (cited).
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
from rag.evaluation.claims import ClaimScore, load_items, score_claims  # noqa: E402
from rag.evaluation.evaluate import load_gold, load_labelled_claims, score_verifier  # noqa: E402

KINDS = ("number", "moved", "unit", "entity", "polarity", "grade")
NUMBER_KINDS = ("number", "moved", "unit", "entity")


def _share(pair: tuple[int, int]) -> str:
    flagged, total = pair
    return f"{flagged / total:.2f} ({flagged}/{total})" if total else "–"


def _number_share(score: ClaimScore) -> tuple[int, int]:
    pairs = [score.share_flagged(True, k) for k in NUMBER_KINDS]
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def _table(scores: dict[tuple[str, str], ClaimScore]) -> list[str]:
    columns = list(scores)
    lines = [
        "| measure | " + " | ".join(f"{split}, {setting}" for split, setting in columns) + " |",
        "|---|" + "---|" * len(columns),
        "| **wrong-number claims flagged** (number, moved, unit, entity) | "
        + " | ".join(_share(_number_share(scores[c])) for c in columns)
        + " |",
        "| **true claims flagged** (false alarms) | "
        + " | ".join(_share(scores[c].share_flagged(False)) for c in columns)
        + " |",
        "| all wrong claims flagged | "
        + " | ".join(_share(scores[c].share_flagged(True)) for c in columns)
        + " |",
    ]
    for kind in KINDS:
        lines.append(
            f"| wrong claims flagged: {kind} | "
            + " | ".join(_share(scores[c].share_flagged(True, kind)) for c in columns)
            + " |"
        )
    lines += [
        "| mean verification time per claim | "
        + " | ".join(f"{scores[c].mean_latency_ms:.0f} ms" for c in columns)
        + " |",
        "| labelled passage not among the top 5 retrieved (added) | "
        + " | ".join(str(scores[c].retrieval_misses) for c in columns)
        + " |",
    ]
    return lines


def _mistakes(score: ClaimScore) -> list[str]:
    out = []
    for o in score.outcomes:
        if o.flagged != o.item.wrong:
            what = "missed" if o.item.wrong else "false alarm"
            detail = f"{o.item.error}, " if o.item.wrong else ""
            kinds = f"; flags: {', '.join(o.flag_kinds)}" if o.flag_kinds else ""
            out.append(f"- {what} ({detail}{o.verdict}{kinds}): {o.item.claim}")
    return out or ["- none"]


def main() -> None:
    items = load_items(PROJECT / "tests" / "data" / "verifier_claims.jsonl")
    second = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout2.jsonl")
    old_items = load_labelled_claims(PROJECT / "tests" / "data" / "labelled_claims.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(load_settings(home=Path(tmp) / "home"))
        assistant.ingest([PROJECT / "guideline_corpus", PROJECT / "tests/data/verifier_corpus"])
        scores: dict[tuple[str, str], ClaimScore] = {}
        for split in ("tune", "heldout", "heldout2"):
            chosen = [i for i in items + second if i.split == split]
            for setting in ("cited", "unmarked"):
                scores[(split, setting)] = score_claims(assistant, chosen, setting)
        old = score_verifier(assistant, old_items)

        # Added latency per answer: verification of real drafts of the bundled model.
        questions = [g.question for g in load_gold(PROJECT / "guideline_corpus" / "gold.jsonl")]
        questions = [q for q in questions if not assistant.retrieve(q).not_found][:6]
        latencies, claims = [], []
        for question in questions:
            retrieval = assistant.retrieve(question)
            text = "".join(assistant.draft(retrieval))
            start = time.perf_counter()
            check = assistant.verify(text, retrieval)
            latencies.append((time.perf_counter() - start) * 1000)
            claims.append(len(check.claims))

    errors = Counter(i.error for i in items if i.wrong)
    splits = Counter(i.split for i in items)
    lines = [
        "# Claim verifier: measured figures",
        "",
        "Written by `scripts/verifier_eval.py`; run it again to refresh.",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on a shared 2-core CPU machine "
        "(timings are upper bounds: other jobs ran at the same time).",
        "",
        "## Labelled trial and guideline claims (`tests/data/verifier_claims.jsonl`)",
        "",
        f"{len(items)} claims ({sum(not i.wrong for i in items)} true, "
        f"{sum(i.wrong for i in items)} wrong; wrong kinds: "
        + ", ".join(f"{k} {v}" for k, v in sorted(errors.items()))
        + f"), about a synthetic guideline and trial-report corpus (`tests/data/verifier_corpus/`). "
        f"{splits['tune']} claims were used to tune the verifier; {splits['heldout']} were held "
        "out (one whole document, the colorectal one, plus every fifth claim group of the others). "
        "The set was written before tuning began. After the first measurement its misses were "
        "read and their failure kinds (ranges, regimen lists, swapped values) fixed in general, "
        "so the old held-out part is no longer strictly unseen; the second held-out set below is.",
        "",
        "- *cited*: the claim ends with a `[n]` marker for its labelled passage; the cited "
        "passage must support it.",
        "- *unmarked*: no marker, as in an answer drafted elsewhere (`oncoguide check`); the claim "
        "is judged against all passages retrieved for its question (top 5, plus the labelled "
        "passage when retrieval missed it).",
        "- A claim counts as flagged when its verdict is not `supported` or it carries a flag.",
        "",
        "Targets: ≥ 0.95 of wrong-number claims flagged, ≤ 0.05 of true claims flagged.",
        "",
        *_table(scores),
        "",
        "### Held-out mistakes",
        "",
        *_mistakes(scores[("heldout", "cited")]),
        "",
        "Unmarked:",
        "",
        *_mistakes(scores[("heldout", "unmarked")]),
        "",
        "## Second held-out set (`tests/data/verifier_claims_heldout2.jsonl`)",
        "",
        f"{len(second)} claims ({sum(not i.wrong for i in second)} true, "
        f"{sum(i.wrong for i in second)} wrong; wrong kinds: "
        + ", ".join(
            f"{k} {v}" for k, v in sorted(Counter(i.error for i in second if i.wrong).items())
        )
        + ") about a synthetic gastric guideline and trial report (long result sentences with "
        "CIs and HRs, regimens with several drugs, eligibility sentences, a table turned into "
        "'Header: cell | Header: cell' rows). Written before the verifier was run on it; it was "
        "run once mid-work and no rule was changed to fit its sentences. After that run one of "
        "its false alarms ('lengthened median OS from 11.1 to 13.8 months' read as a range) "
        "was fixed in general (any verb of change before 'from A to B'), so it is no longer "
        "wholly unseen either. Its figures are in the heldout2 columns above; its false alarms "
        "stay above the 0.05 target.",
        "",
        "Mistakes, cited:",
        "",
        *_mistakes(scores[("heldout2", "cited")]),
        "",
        "Unmarked:",
        "",
        *_mistakes(scores[("heldout2", "unmarked")]),
        "",
        "### Tuning-set mistakes (unmarked)",
        "",
        *_mistakes(scores[("tune", "unmarked")]),
        "",
        "## Earlier set about the bundled digests (`tests/data/labelled_claims.jsonl`, cited)",
        "",
        f"{len(old_items)} claims: precision of 'flagged' {old.precision:.2f}, recall "
        f"{old.recall:.2f} (TP/FP/FN/TN {old.true_positive}/{old.false_positive}/"
        f"{old.false_negative}/{old.true_negative}); {old.mean_latency_ms:.0f} ms per claim.",
        "",
        *[f"- missed: {m}" for m in old.misses],
        *[f"- false alarm: {m}" for m in old.false_alarms],
        "",
        "## Verification of bundled-model drafts",
        "",
        f"Added latency per drafted answer: median {statistics.median(latencies):.0f} ms "
        f"(max {max(latencies):.0f} ms) over {len(latencies)} answers, median "
        f"{statistics.median(claims):.0f} claims per answer.",
        "",
        "## Reading the figures",
        "",
        "Time per claim: passage sentences are embedded once per process and then reused, so",
        "the first column run (tune, cited) carries the embedding of every passage; the others",
        "show the cost of a claim against passages already seen. The held-out figures are below",
        "the tuning figures and below the 0.95 target: read them as the honest estimate.",
        "",
        "A number counts as supported only where the passage gives it for the same entity: the",
        "drug, test or trial arm named between it and the previous number, or right after it",
        "('30.0 months with pembrolizumab'), and, where the claim ties it closely to the next",
        "number ('80 mg on day 1'), with that number too. Bindings: a range matches only as a",
        "range, both ends with the same unit ('days 1 to 14' is not 'day 1'); in a list of",
        "drugs each dose belongs to the drug nearest before it in its list item; a value stated",
        "under one regimen or test acronym ('CAPOX consists of ...') does not support the same",
        "value under another ('Modified FOLFOX6 consists of ...'); and a value whose words the",
        "passage binds to another value of the same kind ('3 months of CAPOX instead of 6",
        "months') is a swap. What remains hard: a number the passage gives for the same entity",
        "in another clause, swaps where the passage names no entity near either value, and",
        "claims without numbers, which rely on similarity plus the polarity and grade check.",
        "",
    ]
    out = PROJECT / "docs" / "VERIFIER.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
