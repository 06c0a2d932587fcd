"""PHI guard measured on a labelled set: recall per identifier kind, false alarms on clinical text.

The labelled set (``tests/data/phi_labelled.jsonl``) holds one JSON object a line: ``text`` and
``phi``, a list of ``{"kind", "start", "end", "text"}`` spans (empty for clinical sentences
without identifiers). An identifier counts as caught when every letter and digit of its span
is covered by some finding of any kind: redaction then leaves nothing of it behind.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rag.checks.phi import Finding, find_phi


@dataclass(frozen=True)
class LabelledText:
    text: str
    spans: tuple[tuple[str, int, int], ...]  # (kind, start, end)


@dataclass(frozen=True)
class Miss:
    kind: str
    identifier: str
    text: str


@dataclass(frozen=True)
class PhiScore:
    caught: dict[str, int]
    total: dict[str, int]
    clean_texts: int
    false_alarms: tuple[str, ...]
    misses: tuple[Miss, ...]
    latencies_ms: tuple[float, ...] = field(repr=False)

    @property
    def recall(self) -> float:
        return sum(self.caught.values()) / max(1, sum(self.total.values()))

    def recall_of(self, kind: str) -> float:
        return self.caught.get(kind, 0) / max(1, self.total.get(kind, 0))

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / max(1, self.clean_texts)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=20)[-1]


def load_labelled(path: Path) -> list[LabelledText]:
    """Read a labelled PHI set; a span that does not match its text is an error."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        spans = []
        for span in row["phi"]:
            if row["text"][span["start"] : span["end"]] != span["text"]:
                raise ValueError(f"{path.name} line {number}: span {span['text']!r} misplaced")
            spans.append((span["kind"], span["start"], span["end"]))
        items.append(LabelledText(row["text"], tuple(spans)))
    return items


def score_phi(
    items: list[LabelledText], find: Callable[[str], list[Finding]] = find_phi
) -> PhiScore:
    """Run ``find`` on every text and score it against the labels."""
    caught: dict[str, int] = {}
    total: dict[str, int] = {}
    false_alarms: list[str] = []
    misses: list[Miss] = []
    latencies: list[float] = []
    for item in items:
        start = time.perf_counter()
        findings = find(item.text)
        latencies.append((time.perf_counter() - start) * 1000)
        covered = {i for f in findings for i in range(f.start, f.end)}
        if not item.spans and findings:
            false_alarms.append(item.text)
        for kind, a, b in item.spans:
            total[kind] = total.get(kind, 0) + 1
            needed = [i for i in range(a, b) if item.text[i].isalnum()]
            if all(i in covered for i in needed):
                caught[kind] = caught.get(kind, 0) + 1
            else:
                misses.append(Miss(kind, item.text[a:b], item.text))
    return PhiScore(
        caught,
        total,
        sum(1 for i in items if not i.spans),
        tuple(false_alarms),
        tuple(misses),
        tuple(latencies),
    )


def guideline_sentences(folder: Path) -> list[str]:
    """Sentences of the Markdown guidelines in ``folder`` (front matter left out): real
    guideline prose, which holds no patient identifier."""
    sentences = []
    for path in sorted(folder.glob("*.md")):
        text = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.S)
        for paragraph in re.split(r"\n\s*\n", text):
            sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph.strip()) if s]
    return sentences
