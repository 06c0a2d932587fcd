"""Gold-set evaluation of retrieval: does the expected document and section come back?

Gold format (JSON Lines), one object per question::

    {"id": "q001", "question": "...",
     "expected": [{"doc_id": "...", "section": "..."}],   # section optional
     "key_facts": ["40", "every 2 years"], "out_of_scope": false, "tags": ["screening"]}
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.checks.phi import redact_together
from rag.checks.verify import NUMBER_FLAGS
from rag.text import markdown_literal
from rag.types import Answer, Hit, Retrieval


@dataclass(frozen=True)
class Expected:
    doc_id: str
    section: str = ""
    page: int | None = None


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    expected: tuple[Expected, ...]
    key_facts: tuple[str, ...]
    out_of_scope: bool
    tags: tuple[str, ...]


def load_gold(path: Path) -> list[GoldItem]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(
                GoldItem(
                    id=str(raw.get("id", f"line{number}")),
                    question=raw["question"],
                    expected=tuple(Expected(**e) for e in raw.get("expected", [])),
                    key_facts=tuple(str(f) for f in raw.get("key_facts", [])),
                    out_of_scope=bool(raw.get("out_of_scope", False)),
                    tags=tuple(raw.get("tags", [])),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a valid gold item ({exc})") from exc
    return items


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def hit_matches(hit: Hit, expected: Expected) -> bool:
    """Same document, and (when given) the section is the hit's heading or one of its parents."""
    chunk = hit.chunk
    if chunk.doc_id != expected.doc_id:
        return False
    if expected.page is not None and expected.page not in (chunk.pages or (chunk.page,)):
        return False
    if expected.section:
        return _norm(expected.section) in {_norm(s) for s in chunk.section_path}
    return True


def first_relevant_rank(retrieval: Retrieval, item: GoldItem) -> int | None:
    for hit in retrieval.hits:
        if any(hit_matches(hit, e) for e in item.expected):
            return hit.rank
    return None


# Verifier evaluation -------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledClaim:
    question: str
    claim: str
    cite_doc: str
    cite_section: str
    wrong: bool
    error: str


@dataclass(frozen=True)
class VerifierScore:
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    mean_latency_ms: float
    misses: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        wrong = self.true_positive + self.false_negative
        return self.true_positive / wrong if wrong else 0.0


def load_labelled_claims(path: Path) -> list[LabelledClaim]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            items.append(
                LabelledClaim(
                    raw["question"],
                    raw["claim"],
                    raw["cite"]["doc_id"],
                    raw["cite"]["section"],
                    raw["label"] == "wrong",
                    raw.get("error", ""),
                )
            )
    return items


def score_verifier(assistant: Any, items: list[LabelledClaim]) -> VerifierScore:
    """Each claim cites the labelled passage (added to the retrieved ones if retrieval missed
    it); the verifier "flags" a claim when its verdict is not supported or it has a flag."""
    import time
    from dataclasses import replace

    from rag.types import Hit

    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    misses: list[str] = []
    alarms: list[str] = []
    latencies = []
    for item in items:
        retrieval = assistant.retrieve(item.question, top_k=5)
        hits = list(retrieval.hits)
        rank = next(
            (
                h.rank
                for h in hits
                if h.chunk.doc_id == item.cite_doc and item.cite_section in h.chunk.section_path
            ),
            None,
        )
        if rank is None:
            chunk = next(
                c
                for c in assistant.chunks()
                if c.doc_id == item.cite_doc and item.cite_section in c.section_path
            )
            rank = len(hits) + 1
            hits.append(Hit(chunk, rank, 0.0, None, None))
        retrieval = replace(retrieval, hits=tuple(hits))
        text = f"{item.claim.rstrip('.')} [{rank}]."
        start = time.perf_counter()
        verification = assistant.verify(text, retrieval)
        latencies.append((time.perf_counter() - start) * 1000)
        flagged = any(c.verdict != "supported" or c.flags for c in verification.claims)
        key = ("tp" if flagged else "fn") if item.wrong else ("fp" if flagged else "tn")
        counts[key] += 1
        if key == "fn":
            misses.append(f"{item.claim} ({item.error})")
        if key == "fp":
            alarms.append(item.claim)
    return VerifierScore(
        counts["tp"],
        counts["fp"],
        counts["fn"],
        counts["tn"],
        sum(latencies) / len(latencies) if latencies else 0.0,
        tuple(misses),
        tuple(alarms),
    )


# Evaluation runs ------------------------------------------------------------------------

# Metrics where lower is better; every other metric is better when higher.
LOWER_IS_BETTER = (
    "number_violation_rate",
    "unsupported_number_answer_rate",
    "relevance_flag_rate",
    "latency_p50_ms",
    "latency_p95_ms",
    "false_not_found_rate",
)


def recall_at(ranks: list[int | None], k: int) -> float:
    """Share of questions whose first relevant passage is within the top ``k``."""
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mean_reciprocal_rank(ranks: list[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r) / len(ranks) if ranks else 0.0


def ndcg_at(relevant_ranks: list[int], n_expected: int, k: int = 10) -> float:
    """Binary-relevance nDCG@k: ``relevant_ranks`` are the ranks (1-based) of hits that match
    a distinct expected source; the ideal puts all ``n_expected`` of them first."""
    dcg = sum(1.0 / math.log2(r + 1) for r in relevant_ranks if r <= k)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(n_expected, k) + 1))
    return dcg / ideal if ideal else 0.0


def _normalise(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.lower())
    return " ".join(text.replace("mg/m2", "mg/m²").split())


def fact_coverage(answer: str, facts: tuple[str, ...]) -> float | None:
    """Share of key facts (strings or numbers) that the answer states; None without facts."""
    if not facts:
        return None
    text = _normalise(answer)
    return sum(1 for fact in facts if _normalise(fact) in text) / len(facts)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


@dataclass(frozen=True)
class QuestionResult:
    id: str
    question: str
    tags: tuple[str, ...]
    out_of_scope: bool
    first_rank: int | None
    relevant_ranks: tuple[int, ...]
    n_expected: int
    not_found: bool
    answer: str
    key_fact_coverage: float | None
    claims: int
    supported_claims: int
    number_violations: int
    citations: int
    correct_citations: int
    latency_ms: float
    consistent: bool | None
    sources: tuple[str, ...]
    relevance_flags: int = 0  # "does not answer the question asked" flags on the answer
    shown: str = ""  # what the answer shows: "evidence" or "generated"

    @property
    def failed(self) -> bool:
        if self.out_of_scope:
            return not self.not_found
        return (
            self.not_found
            or self.first_rank is None
            or self.first_rank > 5
            or (self.key_fact_coverage is not None and self.key_fact_coverage < 1.0)
        )


def question_result(
    item: GoldItem, retrieval: Retrieval, answers: list[Answer], latency_ms: float
) -> QuestionResult:
    answer = answers[0] if answers else None
    matched: list[int] = []
    used: set[int] = set()
    for hit in retrieval.hits:
        for index, expected in enumerate(item.expected):
            if index not in used and hit_matches(hit, expected):
                used.add(index)
                matched.append(hit.rank)
                break
    verification = answer.verification if answer else None
    claims = verification.claims if verification else ()
    cited = sorted({n for c in claims for n in c.citations if 1 <= n <= len(retrieval.hits)})
    correct = [
        n for n in cited if any(hit_matches(retrieval.hits[n - 1], e) for e in item.expected)
    ]
    texts = {" ".join(a.text.split()) for a in answers}
    not_found = answer.not_found if answer else retrieval.not_found
    # Reports and stored runs keep gold questions and drafts without patient identifiers.
    question, answer_text = redact_together(item.question, answer.text if answer else "")
    return QuestionResult(
        id=item.id,
        question=question,
        tags=item.tags,
        out_of_scope=item.out_of_scope,
        first_rank=first_relevant_rank(retrieval, item),
        relevant_ranks=tuple(matched),
        n_expected=len(item.expected),
        not_found=not_found,
        answer=answer_text,
        key_fact_coverage=fact_coverage(answer.text, item.key_facts)
        if answer and not item.out_of_scope
        else None,
        claims=len(claims),
        supported_claims=sum(c.verdict == "supported" for c in claims),
        number_violations=sum(any(f.kind in NUMBER_FLAGS for f in c.flags) for c in claims),
        citations=len(cited),
        correct_citations=len(correct),
        latency_ms=latency_ms,
        consistent=(len(texts) == 1) if len(answers) > 1 else None,
        relevance_flags=sum(
            f.kind.startswith("relevance") for f in (verification.flags if verification else ())
        ),
        shown=answer.mode if answer else "",
        sources=tuple(h.chunk.source_label for h in retrieval.hits),
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def aggregate(results: list[QuestionResult]) -> dict[str, float]:
    """All metrics over ``results``; metrics without data (e.g. no answers) are left out."""
    answerable = [r for r in results if not r.out_of_scope]
    out_of_scope = [r for r in results if r.out_of_scope]
    ranks = [r.first_rank for r in answerable]
    metrics: dict[str, float | None] = {
        "questions": float(len(results)),
        "recall@1": recall_at(ranks, 1) if answerable else None,
        "recall@5": recall_at(ranks, 5) if answerable else None,
        "recall@10": recall_at(ranks, 10) if answerable else None,
        "mrr": mean_reciprocal_rank(ranks) if answerable else None,
        "ndcg@10": _mean([ndcg_at(list(r.relevant_ranks), r.n_expected) for r in answerable]),
        "not_found_accuracy": _mean([float(r.not_found) for r in out_of_scope]),
        "false_not_found_rate": _mean([float(r.not_found) for r in answerable]),
        "key_fact_coverage": _mean(
            [r.key_fact_coverage for r in answerable if r.key_fact_coverage is not None]
        ),
        "claim_support_rate": (
            sum(r.supported_claims for r in results) / sum(r.claims for r in results)
            if sum(r.claims for r in results)
            else None
        ),
        "number_violation_rate": (
            sum(r.number_violations for r in results) / sum(r.claims for r in results)
            if sum(r.claims for r in results)
            else None
        ),
        "citation_precision": (
            sum(r.correct_citations for r in answerable) / sum(r.citations for r in answerable)
            if sum(r.citations for r in answerable)
            else None
        ),
        "consistency": _mean([float(r.consistent) for r in results if r.consistent is not None]),
        # Share of answers shown (not "not found") with a number missing from its cited source.
        "unsupported_number_answer_rate": _mean(
            [float(r.number_violations > 0) for r in results if r.answer and not r.not_found]
        ),
        "relevance_flag_rate": _mean(
            [float(r.relevance_flags > 0) for r in results if r.answer and not r.not_found]
        ),
        "draft_shown_rate": _mean(
            [float(r.shown == "generated") for r in results if r.answer and not r.not_found]
        ),
        "latency_p50_ms": percentile([r.latency_ms for r in results], 50),
        "latency_p95_ms": percentile([r.latency_ms for r in results], 95),
    }
    return {k: round(v, 4) for k, v in metrics.items() if v is not None}


def per_tag(results: list[QuestionResult]) -> dict[str, dict[str, float]]:
    tags = sorted({t for r in results for t in r.tags})
    return {t: aggregate([r for r in results if t in r.tags]) for t in tags}


@dataclass(frozen=True)
class Drift:
    metric: str
    reference: str  # "previous" or "baseline"
    before: float
    after: float

    @property
    def worse(self) -> bool:
        lower_better = self.metric in LOWER_IS_BETTER
        return self.after > self.before if lower_better else self.after < self.before

    def describe(self) -> str:
        direction = "worse" if self.worse else "better"
        return f"{self.metric}: {self.before:g} → {self.after:g} ({direction} than the {self.reference} run)"


def drifts(
    metrics: dict[str, float],
    reference: dict[str, float],
    label: str,
    tolerance: float = 0.05,
    latency_tolerance: float = 0.5,
) -> list[Drift]:
    """Metrics that moved beyond tolerance: absolute for rates, relative for latencies."""
    out = []
    for name, value in metrics.items():
        if name == "questions" or name not in reference:
            continue
        before = reference[name]
        if name.startswith("latency"):
            moved = before > 0 and abs(value - before) / before > latency_tolerance
        else:
            moved = abs(value - before) > tolerance + 1e-9
        if moved:
            out.append(Drift(name, label, before, value))
    return out


def parse_thresholds(items: list[str]) -> dict[str, float]:
    """``["recall@5=0.9", "key_fact_coverage=0.5"]`` → {"recall@5": 0.9, ...}."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"--fail-under expects METRIC=VALUE, got {item!r}") from None
        if not sep:
            raise ValueError(f"--fail-under expects METRIC=VALUE, got {item!r}")
    return out


def failures_under(metrics: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    """Threshold breaches; a metric missing from the run is a breach too."""
    out = []
    for name, floor in thresholds.items():
        value = metrics.get(name)
        if value is None:
            out.append(f"{name}: not measured in this run")
        elif name in LOWER_IS_BETTER and value > floor:
            out.append(f"{name} = {value:g} is above {floor:g}")
        elif name not in LOWER_IS_BETTER and value < floor:
            out.append(f"{name} = {value:g} is below {floor:g}")
    return out


@dataclass(frozen=True)
class EvalReport:
    run_id: str
    created_at: str
    gold: str
    gold_sha256: str
    retrieval_only: bool
    repeat: int
    model_name: str
    model_sha256: str
    prompt_sha256: str
    corpus_snapshot: str
    settings: dict[str, Any]
    metrics: dict[str, float]
    tags: dict[str, dict[str, float]]
    results: tuple[QuestionResult, ...]
    drift: tuple[Drift, ...] = ()
    compared_with: dict[str, str] | None = None
    mode: str = ""  # the answer mode measured; "" for a retrieval-only run

    @property
    def failing(self) -> list[QuestionResult]:
        return [r for r in self.results if r.failed]


def run_evaluation(
    assistant: Any,
    items: list[GoldItem],
    *,
    gold_path: Path,
    repeat: int = 1,
    retrieval_only: bool = False,
    progress: Any = None,
    mode: str | None = None,
) -> EvalReport:
    """Ask every gold question (``repeat`` times) and measure retrieval and answers."""
    import hashlib
    import time
    import uuid

    from rag.db import utc_now

    results = []
    answers_seen: list[list[Answer]] = []
    for done, item in enumerate(items):
        if progress:
            progress(done, len(items), item.question)
        start = time.perf_counter()
        retrieval = assistant.retrieve(item.question)
        answers = []
        if not retrieval_only:
            for _ in range(max(1, repeat)):
                answers.append(assistant.answer(retrieval, mode))
        latency = (time.perf_counter() - start) * 1000 / (max(1, repeat) if answers else 1)
        results.append(question_result(item, retrieval, answers, latency))
        answers_seen.append(answers)
    if progress:
        progress(len(items), len(items), "")
    drafted = [a for r in answers_seen for a in r if a.consulted_model is not None]
    model_info = drafted[0].consulted_model if drafted else None
    prompt = drafted[0].consulted_prompt if drafted else None
    prompt_sha = prompt.sha256 if prompt else ""
    measured = "" if retrieval_only else mode or assistant.settings.answer_mode
    return EvalReport(
        run_id=uuid.uuid4().hex,
        created_at=utc_now(),
        gold=str(gold_path),
        gold_sha256=hashlib.sha256(gold_path.read_bytes()).hexdigest(),
        retrieval_only=retrieval_only,
        repeat=repeat,
        model_name=model_info.name if model_info else "",
        model_sha256=model_info.sha256 if model_info else "",
        prompt_sha256=prompt_sha,
        corpus_snapshot=assistant.snapshot(),
        settings={
            **assistant.settings.public_dict(),
            "answer_mode": mode or assistant.settings.answer_mode,
        },
        mode=measured,
        metrics=aggregate(results),
        tags=per_tag(results),
        results=tuple(results),
    )


def compare(report: EvalReport, runs: list[dict[str, Any]], tolerance: float = 0.05) -> EvalReport:
    """Attach drift against the previous comparable run and the pinned baseline: same gold set
    and retrieval-only flag (the caller's selection) and the same answer mode."""
    from dataclasses import replace

    comparable = [
        r for r in runs if r["run_id"] != report.run_id and r.get("mode", "") == report.mode
    ]
    previous = comparable[-1] if comparable else None
    baseline = next((r for r in reversed(comparable) if r["pinned"]), None)
    found: list[Drift] = []
    compared: dict[str, str] = {}
    if previous:
        found += drifts(report.metrics, previous["metrics"], "previous", tolerance)
        compared["previous"] = previous["run_id"]
    if baseline:
        found += drifts(report.metrics, baseline["metrics"], "baseline", tolerance)
        compared["baseline"] = baseline["run_id"]
    return replace(report, drift=tuple(found), compared_with=compared)


def _text(value: object) -> str:
    """Gold, model and document text on one Markdown line, shown as written: an id or a
    question holding "<img src=…>" or "![x](http://…)" fetches nothing in a viewer."""
    return markdown_literal(" ".join(str(value).split()))


def report_markdown(report: EvalReport) -> str:
    """The report as Markdown: header, metrics, drift, per-tag table, failing questions."""
    lines = [
        f"# OncoGuide evaluation {report.run_id[:12]}",
        "",
        f"- When: {report.created_at}",
        f"- Gold set: {_text(report.gold)} (sha256 {report.gold_sha256[:12]})",
        f"- Model: {_text(report.model_name or '— (retrieval only)')} {report.model_sha256[:12]}",
        f"- Prompt: {report.prompt_sha256[:12] or '—'} · corpus snapshot {report.corpus_snapshot}",
        f"- Answer mode: {report.settings.get('answer_mode')} · retrieval mode: "
        f"{report.settings.get('retrieval_mode')} · top_k {report.settings.get('top_k')}"
        f" · repeat {report.repeat}",
        "",
        "| metric | value |",
        "|---|---|",
        *[f"| {k} | {v:g} |" for k, v in report.metrics.items()],
        "",
    ]
    if report.drift:
        lines += ["## Drift", "", *[f"- {_text(d.describe())}" for d in report.drift], ""]
    if report.tags:
        keys = ["questions", "recall@5", "mrr", "key_fact_coverage", "not_found_accuracy"]
        lines += [
            "## By tag",
            "",
            "| tag | " + " | ".join(keys) + " |",
            "|---" * (len(keys) + 1) + "|",
        ]
        for tag, metrics in report.tags.items():
            cells = [f"{metrics[k]:g}" if k in metrics else "—" for k in keys]
            lines.append(f"| {_text(tag)} | " + " | ".join(cells) + " |")
        lines.append("")
    failing = report.failing
    lines += [f"## Failing questions ({len(failing)})", ""]
    for r in failing:
        lines.append(
            f"- **{_text(r.id)}** {_text(r.question)} — rank {r.first_rank or '—'}, not found "
            f"{r.not_found}, facts "
            f"{r.key_fact_coverage if r.key_fact_coverage is not None else '—'}; answer: "
            f"{_text(repr(r.answer[:200]))}; top source: {_text(r.sources[0] if r.sources else '—')}"
        )
    return "\n".join(lines) + "\n"


def results_frame_rows(report: EvalReport) -> list[dict[str, Any]]:
    """One flat row per question, for CSV."""
    return [
        {
            "id": r.id,
            "question": r.question,
            "tags": ";".join(r.tags),
            "out_of_scope": r.out_of_scope,
            "first_rank": r.first_rank,
            "not_found": r.not_found,
            "key_fact_coverage": r.key_fact_coverage,
            "claims": r.claims,
            "supported_claims": r.supported_claims,
            "number_violations": r.number_violations,
            "citations": r.citations,
            "correct_citations": r.correct_citations,
            "consistent": r.consistent,
            "latency_ms": round(r.latency_ms, 1),
            "failed": r.failed,
            "answer": r.answer,
            "top_source": r.sources[0] if r.sources else "",
        }
        for r in report.results
    ]
