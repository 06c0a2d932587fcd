"""Numbers with their units, and stage/grade labels, as written in guideline text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNIT = (
    r"mg/m²|mg/m2|mg/kg|µg/kg|μg/kg|mcg/kg|micrograms?/kg|ng/mL|ng/ml|mg|µg|μg|mcg|micrograms?|"
    r"g|Gy|fractions?|cycles?|doses?|weeks?|months?|years?|yrs?|days?|hours?|h|minutes?|%|"
    r"percent|pack-years?|units?|times|mL|ml|L"
)
_QUANTITY = re.compile(
    rf"(?P<a>{_NUM})(?:\s*(?:to|–|-|and|or)\s*(?P<b>{_NUM}))?(?:\s*(?P<unit>{_UNIT})(?![A-Za-z]))?"
)
_LABELS = re.compile(
    r"\b(?:(?i:stage)\s+(?:[0IV]+[A-C]?\d?)|(?i:grade)\s+(?:(?i:group)\s+)?(?:[A-D]|\d)|"
    r"AUC\s*\d+(?:\.\d+)?|CIN\s*\d)\b|(?<![/\w])[TNM][0-4][a-c]?\b"
)
_UNIT_NAMES = {
    "mg/m2": "mg/m²",
    "μg/kg": "µg/kg",
    "mcg/kg": "µg/kg",
    "microgram/kg": "µg/kg",
    "micrograms/kg": "µg/kg",
    "μg": "µg",
    "mcg": "µg",
    "microgram": "µg",
    "micrograms": "µg",
    "ng/ml": "ng/mL",
    "ml": "mL",
    "percent": "%",
    "yr": "year",
    "yrs": "year",
    "h": "hour",
}


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str
    text: str
    start: int

    @property
    def key(self) -> tuple[str, str]:
        return self.value, self.unit


def _unit(raw: str | None) -> str:
    if not raw:
        return ""
    unit = _UNIT_NAMES.get(raw.lower(), _UNIT_NAMES.get(raw, raw))
    if unit.lower() in _UNIT_NAMES:
        unit = _UNIT_NAMES[unit.lower()]
    if unit not in ("%", "mL", "L", "Gy", "g") and "/" not in unit:
        unit = unit.lower().removesuffix("s") if unit.lower() not in ("times",) else unit
    return unit


def _value(raw: str) -> str:
    value = raw.replace(",", "")
    return value.rstrip("0").rstrip(".") if "." in value else value


def quantities(text: str) -> list[Quantity]:
    """Numbers with their units (ranges give both ends the unit) and stage/grade labels."""
    found: list[Quantity] = []
    for match in _LABELS.finditer(text):
        label = " ".join(match.group(0).split()).lower().replace("auc", "auc ").replace("  ", " ")
        found.append(Quantity(label, "label", match.group(0), match.start()))
    label_spans = [(m.start(), m.end()) for m in _LABELS.finditer(text)]
    for match in _QUANTITY.finditer(text):
        if any(a <= match.start() < b for a, b in label_spans):
            continue
        if match.start() > 0 and (
            text[match.start() - 1].isalpha() or text[match.start() - 1] == "["
        ):
            continue  # part of a word (B12, L858R) or a citation marker
        if match.end() < len(text) and text[match.end()] == "]":
            continue
        unit = _unit(match.group("unit"))
        before = text[max(0, match.start() - 12) : match.start()]
        if not unit and re.search(r"\b(?:age|aged|ages)\s*$", before, re.IGNORECASE):
            unit = "year"  # "age 40" is 40 years
        elif not unit and (
            leading := re.search(r"\b(days?|weeks?|cycles?|doses?)\s*$", before, re.I)
        ):
            unit = _unit(leading.group(1))  # "days 1 to 14", "cycle 3"
        for part in ("a", "b"):
            if match.group(part):
                found.append(
                    Quantity(_value(match.group(part)), unit, match.group(0), match.start())
                )
    return found
