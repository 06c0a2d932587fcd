"""Does the bundled model add value by choosing among guideline sentences? (issue 10)

The bundled Gemma 3 270M is a base model: it cannot be trusted to write a dose, but a
llama.cpp grammar can restrict its output to the number of one of the evidence composer's
candidate sentences, so that it chooses and cannot invent. This script measures key-fact
coverage on the gold set (as `oncoguide eval` counts it) for:

- the evidence answer (the composer's best three sentences, what `evidence` mode shows);
- the composer's best sentence alone;
- the model's choice among the composer's best five, alone, and put first before the
  composer's others (the answer `auto` would show if the model chose);
- the best single candidate in hindsight (the ceiling for any chooser).

It writes its block into docs/EVALUATION.md between markers. Needs an indexed bundled corpus
in ONCOGUIDE_HOME (`oncoguide ingest guideline_corpus`).

    python scripts/model_choice.py [--gold guideline_corpus/gold.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- model-choice:begin -->", "<!-- model-choice:end -->"
CANDIDATES = 5


def measure(gold: Path) -> tuple[dict[str, float], int, float]:
    from llama_cpp import Llama, LlamaGrammar

    from rag.answer.generate import resolve_model_path
    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.evaluation.evaluate import fact_coverage

    assistant = Assistant(load_settings())
    path, _ = resolve_model_path(assistant.settings)
    llm = Llama(model_path=str(path), n_ctx=4096, n_threads=os.cpu_count(), verbose=False, seed=0)
    rows = [json.loads(line) for line in gold.read_text().splitlines() if line.strip()]
    scores: dict[str, list[float]] = {
        "evidence answer (composer, best 3)": [],
        "composer's best sentence alone": [],
        "model's choice alone": [],
        "model's choice first, then the composer's others (best 3)": [],
        "best single candidate in hindsight": [],
    }
    keys = list(scores)
    started = time.perf_counter()
    for row in rows:
        facts = tuple(row.get("key_facts") or ())
        if row.get("out_of_scope") or not facts:
            continue
        retrieval = assistant.retrieve(row["question"])
        found = None
        if not retrieval.not_found and retrieval.hits:
            found = assistant.composed(retrieval, CANDIDATES)
        sentences = [c.text for c in found.sentences] if found else []
        if not sentences:
            for key in keys:
                scores[key].append(fact_coverage(found.gap if found else "", facts) or 0.0)
            continue
        listing = "\n".join(f"{n}. {s}" for n, s in enumerate(sentences, start=1))
        prompt = (
            f"Guideline sentences:\n{listing}\n\nQuestion: {retrieval.question}\n"
            "The sentence that answers the question is number "
        )
        grammar = LlamaGrammar.from_string(f"root ::= [1-{len(sentences)}]", verbose=False)
        out = llm.create_completion(prompt, max_tokens=2, temperature=0.0, grammar=grammar)
        pick = int(out["choices"][0]["text"].strip()[0]) - 1
        first = [sentences[pick], *(s for n, s in enumerate(sentences) if n != pick)]
        values = (
            fact_coverage(" ".join(sentences[:3]), facts),
            fact_coverage(sentences[0], facts),
            fact_coverage(sentences[pick], facts),
            fact_coverage(" ".join(first[:3]), facts),
            max(fact_coverage(s, facts) or 0.0 for s in sentences),
        )
        for key, value in zip(keys, values, strict=True):
            scores[key].append(value or 0.0)
    count = len(scores[keys[0]])
    elapsed = time.perf_counter() - started
    assistant.close()
    return {k: sum(v) / len(v) for k, v in scores.items()}, count, elapsed


def verdict(figures: dict[str, float]) -> str:
    evidence, _, _, model_first, _ = figures.values()
    if model_first > evidence + 0.01:
        return (
            f"The model's choice put first lifts coverage ({model_first:.3f} against "
            f"{evidence:.3f}): worth building into `auto`."
        )
    return (
        f"The model's choice put first does not beat the composer's order ({model_first:.3f} "
        f"against {evidence:.3f}), so `auto` keeps the composer's order and uses the model "
        "only for a free draft, shown only when it passes every check and states everything "
        "the evidence answer does."
    )


def section(figures: dict[str, float], count: int, elapsed: float, gold: Path) -> str:
    rows = [f"| {name} | {value:.3f} |" for name, value in figures.items()]
    return "\n".join(
        [
            BEGIN,
            "## What the bundled model adds in `auto` (tried, measured)",
            "",
            f"Written by `scripts/model_choice.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: "
            f"{count} answerable questions of `{gold.relative_to(PROJECT)}`, key-fact coverage. "
            "The model (Gemma 3 270M, base) chooses one of the composer's best "
            f"{CANDIDATES} sentences through a llama.cpp grammar that allows only their "
            f"numbers, so it cannot invent text ({elapsed / max(count, 1):.1f} s a question "
            "on 2 cores).",
            "",
            "| answer | key-fact coverage |",
            "|---|---|",
            *rows,
            "",
            verdict(figures),
            "A capable GGUF or server configured by the user drafts through the same gate.",
            END,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", default=str(PROJECT / "guideline_corpus" / "gold.jsonl"))
    parser.add_argument("--out", default=str(PROJECT / "docs" / "EVALUATION.md"))
    args = parser.parse_args()
    gold = Path(args.gold).resolve()
    figures, count, elapsed = measure(gold)
    block = section(figures, count, elapsed, gold)
    out = Path(args.out)
    text = out.read_text(encoding="utf-8")
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    out.write_text(text, encoding="utf-8")
    print(block)


if __name__ == "__main__":
    main()
