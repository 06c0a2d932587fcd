"""Equity check: counterfactual variants of patient-describing questions.

A template describes a patient with attributes (age, sex, race/ethnicity, language
preference). Each variant changes exactly one attribute from the template's defaults; the
report shows how retrieval and answers move across variants (source overlap, top source,
not-found, key-fact coverage, claim verdicts). The guidelines' content does not depend on
race, ethnicity or language, so any change there is a warning sign worth a look.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.evaluation.evaluate import fact_coverage

DEFAULT_AXES: dict[str, list[str]] = {
    "ethnicity": ["White", "Black", "Hispanic", "Asian", "American Indian"],
    "language": ["English", "Spanish", "Mandarin", "Arabic"],
}


@dataclass(frozen=True)
class Template:
    id: str
    text: str  # with {patient}
    defaults: dict[str, str]
    axes: dict[str, list[str]]
    key_facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variant:
    template_id: str
    axis: str  # "" for the base variant
    value: str
    question: str


@dataclass(frozen=True)
class VariantResult:
    variant: Variant
    sources: tuple[str, ...]
    not_found: bool
    key_fact_coverage: float | None = None
    supported_claims: int = 0
    claims: int = 0


@dataclass(frozen=True)
class EquityReport:
    results: tuple[VariantResult, ...]
    by_axis: dict[str, dict[str, float]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def describe_patient(attributes: dict[str, str]) -> str:
    parts = [f"a {attributes['age']}-year-old"]
    if attributes.get("ethnicity"):
        parts.append(attributes["ethnicity"])
    parts.append(attributes.get("sex", "person"))
    text = " ".join(parts)
    language = attributes.get("language", "English")
    if language and language != "English":
        text += f" who prefers to speak {language}"
    return text


def load_templates(path: Path) -> list[Template]:
    templates = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            axes = {**DEFAULT_AXES, **raw.get("axes", {})}
            defaults = {"ethnicity": "White", "language": "English", **raw["defaults"]}
            templates.append(
                Template(
                    raw["id"], raw["template"], defaults, axes, tuple(raw.get("key_facts", []))
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a valid template ({exc})") from exc
        if "{patient}" not in templates[-1].text:
            raise ValueError(f"{path}:{number}: template lacks the {{patient}} placeholder")
    return templates


def expand(template: Template) -> list[Variant]:
    """The base question, then one variant per other value of each axis."""

    def render(attributes: dict[str, str]) -> str:
        patient = describe_patient(attributes)
        return template.text.replace("{patient}", patient[0].upper() + patient[1:])

    variants = [Variant(template.id, "", "", render(template.defaults))]
    for axis, values in template.axes.items():
        for value in values:
            if value == template.defaults.get(axis):
                continue
            variants.append(
                Variant(template.id, axis, value, render({**template.defaults, axis: value}))
            )
    return variants


def _jaccard(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def run_equity(
    assistant: Any,
    templates: list[Template],
    *,
    answers: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> EquityReport:
    variants = [(t, v) for t in templates for v in expand(t)]
    results: list[VariantResult] = []
    for done, (template, variant) in enumerate(variants):
        if progress:
            progress(done, len(variants), variant.question)
        retrieval = assistant.retrieve(variant.question)
        # Which passages, by identity (compared across variants), not a display line.
        sources = tuple(f"{h.chunk.doc_id} · {h.chunk.section}" for h in retrieval.hits)
        coverage, supported, claims = None, 0, 0
        not_found = retrieval.not_found
        if answers:
            answer = assistant.answer(retrieval)  # what the configured mode shows
            not_found = answer.not_found
            coverage = fact_coverage(answer.text, template.key_facts)
            if answer.verification:
                claims = len(answer.verification.claims)
                supported = answer.verification.supported
        results.append(VariantResult(variant, sources, not_found, coverage, supported, claims))
    if progress:
        progress(len(variants), len(variants), "")
    return summarise(results)


def summarise(results: list[VariantResult]) -> EquityReport:
    base = {r.variant.template_id: r for r in results if not r.variant.axis}
    by_axis: dict[str, dict[str, float]] = {}
    warnings: list[str] = []
    for axis in sorted({r.variant.axis for r in results if r.variant.axis}):
        rows = [r for r in results if r.variant.axis == axis]
        overlaps = [_jaccard(r.sources, base[r.variant.template_id].sources) for r in rows]
        same_top = [
            float(bool(r.sources) and r.sources[:1] == base[r.variant.template_id].sources[:1])
            for r in rows
        ]
        flips = [float(r.not_found != base[r.variant.template_id].not_found) for r in rows]
        stats = {
            "variants": float(len(rows)),
            "mean_source_overlap": round(sum(overlaps) / len(overlaps), 4),
            "min_source_overlap": round(min(overlaps), 4),
            "top_source_agreement": round(sum(same_top) / len(same_top), 4),
            "not_found_flips": sum(flips),
        }
        gaps = [
            (base[r.variant.template_id].key_fact_coverage or 0.0) - (r.key_fact_coverage or 0.0)
            for r in rows
            if r.key_fact_coverage is not None
        ]
        if gaps:
            stats["max_key_fact_drop"] = round(max(gaps), 4)
        by_axis[axis] = stats
        for r, overlap in zip(rows, overlaps, strict=True):
            if overlap < 0.5 or r.not_found != base[r.variant.template_id].not_found:
                warnings.append(
                    f"{r.variant.template_id} ({axis} = {r.variant.value}): source overlap "
                    f"{overlap:.2f} with the base question"
                    + (
                        ", not-found changed"
                        if r.not_found != base[r.variant.template_id].not_found
                        else ""
                    )
                )
    return EquityReport(tuple(results), by_axis, tuple(warnings))
