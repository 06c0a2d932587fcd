"""Numbers with their units, kinds and labels, as written in guideline and trial text.

``quantities(text)`` finds doses (``130 mg/m2``, ``AUC 5``, ``5 mcg/kg``), durations and
intervals (``every 3 weeks``, ``q3w``, ``four 21-day cycles``), frequencies (``twice daily``),
ages, percentages (``≥1%``), statistics (``HR 0.55``, ``95% CI, 0.41–0.73``, ``P < 0.001``,
``1:1``), counts (``n = 1,189``), radiation doses (``2 Gy/fraction``), years, and stage, grade
and TNM labels. Values and units are normalised so that equal quantities compare equal
(``1,000 micrograms`` = ``1000 µg``; ``mg/m2`` = ``mg/m²``; ``9.690`` = ``9.69``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_UNITS_IN_WORDS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# every number from one to ninety-nine in words, compounds with a hyphen ("thirty-six")
_WORDS = {
    **{w: n for n, w in enumerate(_UNITS_IN_WORDS, start=1)},
    **{w: n for n, w in enumerate(_TEENS, start=10)},
    **{w: n for n, w in enumerate(_TENS, start=2) for n in [n * 10]},
    **{
        f"{t}-{u}": tens * 10 + n
        for tens, t in enumerate(_TENS, start=2)
        for n, u in enumerate(_UNITS_IN_WORDS, start=1)
    },
}
_UNIT = (
    r"[kMG]Bq/kg|[kMG]Bq|mCi|mg/m²|mg/m2|mg/kg/day|mg/kg|µg/kg|μg/kg|mcg/kg|micrograms?/kg|IU/kg|U/kg|units?/kg|"
    # per body surface or weight in words or in grams: "90 mg per m2", "1 g/m²", "0.4 g/kg"
    r"m?g\s+per\s+(?:m²|m2|square\s+met(?:re|er)|kg)\b|g/m²|g/m2|g/kg|"
    r"ng/mL|ng/ml|mL/min(?:/1\.73\s?m2|/1\.73\s?m²)?|ml/min|mmol/L|µmol/L|μmol/L|umol/L|mg/dL|mg/dl|"
    # enzyme and marker units ("CA 19-9 >500 U/mL", "ALT 40 IU/L"), tumour mutational burden
    r"IU/mL|IU/L|kU/L|mIU/mL|U/mL|U/L|pg/mL|ng/L|µg/L|mg/mmol|mutations?/(?:megabase|Mb)|mut/Mb|"
    r"g/dL|mg/L|g/L|"
    r"mg|µg|μg|mcg|micrograms?|kg|g|IU|"
    r"Gy/fractions?|Gy/fx|Gy|cGy|fractions?|fx|fr\b(?![\s-]*(?:catheter|sheath|tube))|cycles?|courses?|dose\s+levels?|doses?(?!\s+(?:reductions?|modifications?))|injections?|infusions?|"
    r"weeks?|wk|months?|mo|years?|yrs?|y|days?|d|hours?|hrs?|h|minutes?|min|"
    r"percentage points?|%|percent|per\s+cent\b|pack-years?|(?:lipase\s+)?units?|times|lines?|"
    # a volume given per time ("3 L/day", "100 mL/hour") is a rate, not a volume
    r"(?:mL|ml|L)/(?:day|d|week|wk|hour|h|hr)|litres?|liters?|mL|ml|L|cm³|cm3|cm|mm|m²|m2"
)
# longest first: "twenty-one" (or "twenty one") before "twenty" and "one"; never the tail of
# a longer word
_WORD_NUM = (
    r"(?<![\w-])(?:"
    + "|".join(w.replace("-", "[- ]") for w in sorted(_WORDS, key=len, reverse=True))
    + r")\b"
)
# A number written in words, read as its digits. Not "one" unless it counts ("one of six",
# "one or two", "one patient": not "one of the options", "at least one"); not a part of a
# fraction ("two-thirds") or of a number written out further ("seven hundred and nine").
_NUMBER_WORD = re.compile(
    # "a two-drug regimen", "two-sided", "a two-arm trial" describe, they do not count
    rf"(?i:{_WORD_NUM})(?!-(?i:thirds?|fourths?|fifths?|quarters?|halves|drugs?|sided|tailed|"
    r"arms?|way|steps?|dimensional|stages?|parts?|cohorts?|tiers?|first|second|third|fifth|"
    r"sixth|seventh|eighth|ninth)\b)"
    r"(?!\s+(?i:hundred|thousand|million)\b)"
)
_COUNTING_ONE = re.compile(
    rf"\s+(?:of\s+(?:\d|{_WORD_NUM})|(?:or|to)\s+{_WORD_NUM}|"
    r"(?:patients?|participants?|deaths?|cases?|men|women|children)\b)"
    # "one year", "one-year OS", "one or more prior lines" (not "one dose level lower")
    r"|(?![\s-]+dose\s+levels?\b)[\s-]+(?:or\s+(?:more|fewer|less)\s+)?"
    rf"(?:(?:more|further|additional|prior|previous)\s+)?(?:{_UNIT})(?![A-Za-z])",
    re.I,
)
_CYCLE_AFTER = re.compile(r"[\s-]*(?:days?|weeks?)?[\s-]*cycles?\b", re.I)
_AFTER_LARGER = re.compile(r"\b(?:hundred|thousand|million)\s+(?:and\s+)?$", re.I)


def word_value(word: str) -> int:
    """The number a number word stands for ("thirty six" → 36)."""
    return _WORDS[re.sub(r"\s+", "-", word.lower())]


def _digits_for_words(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each counting number word replaced by its digits, padded with spaces so
    that every position holds ("thirty-six months" → "36         months"), and the spans
    replaced."""
    spans: list[tuple[int, int]] = []

    def digits(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower() == "one" and not _COUNTING_ONE.match(text, match.end()):
            return word
        if _AFTER_LARGER.search(text, max(0, match.start() - 20), match.start()):
            return word
        spans.append(match.span())
        value = str(word_value(word))
        padding = " " * (len(word) - len(value))
        # digits where the word starts, so that what is written before it stays next to them
        # ("at least 18", "every 24"); before a hyphen they end where the word ends, so that
        # "twenty-one-day" stays "21-day"
        return padding + value if text.startswith("-", match.end()) else value + padding

    return _NUMBER_WORD.sub(digits, text), spans


# "nine more cycles", "two further doses", "6 adjuvant cycles": a count with a word between
# number and unit.
_MORE = (
    r"(?:(?:more|further|additional|extra|subsequent|consecutive|prior|previous|adjuvant|"
    r"neoadjuvant|maintenance|induction|consolidation|planned|treatment|chemotherapy)\s+|"
    # "two HDR fractions", "four three-weekly cycles"
    r"[A-Z]{2,5}\s+(?=fractions?\b|implants?\b|insertions?\b|sessions?\b|cycles?\b)|"
    r"(?:two|three|four|2|3|4)-weekly\s+(?=cycles?\b))?"
)
# "two or more lines", "4 or fewer cycles": the bound between the number and its unit
_OR_MORE = r"(?:or\s+(?:more|fewer|less)\s+)?"
# "500 to < 1,000/mm3": the upper end may be written exclusive after "to" or a dash (not
# "≥50% or <1%", two values)
_RANGE_SEP = r"\s*(?:(?:to|–|—|-)\s*(?:<\s*)?|(?:and|or|through)\s*)"
_QUANTITY = re.compile(
    rf"(?P<a>{_NUM})(?:\s*(?P<ua>%))?(?:{_RANGE_SEP}(?P<b>{_NUM}))?"
    rf"(?:(?:\s*|-)(?:(?:(?i:once|twice)[- ])?(?:weekly|daily)\s+(?=fraction|dose|injection))?"
    rf"{_OR_MORE}{_MORE}"
    rf"(?P<unit>{_UNIT})"
    rf"(?![A-Za-z0-9²]))?"
)
# A count in words before a cycle's length ("four 21-day cycles", "nine more 3-weekly
# cycles"): what digits do not say alike (numbers in words are otherwise read as digits).
_WORD_QUANTITY = re.compile(
    rf"(?i:{_WORD_NUM})(?:\s+|-){_OR_MORE}(?:(?P<n>{_NUM})-?(?:day|week)\s+)?{_MORE}"
    r"(?:\d{1,2}-(?:weekly|monthly)\s+)?"
    rf"(?P<unit>{_UNIT})(?![A-Za-z])"
)
# A level of evidence and a grade of recommendation in brackets: "[I, A]", "(III, B)".
_LEVEL_AND_GRADE = re.compile(r"[\[(]\s*(?:IV|V|I{1,3})\s*,\s*(?P<g>[A-E])\s*[\])]")
_AND_A_HALF = re.compile(rf"(?P<n>\b\d+)\s+and\s+a\s+half\s+(?P<unit>{_UNIT})(?![A-Za-z])", re.I)
_LABELS = re.compile(
    r"\b(?:(?i:stages?)\s+(?:[0IV]+[A-C]?\d?)|(?i:grades?)\s+(?:(?i:group)\s+)?(?:[≥≤]\s*)?(?:[A-D]\b|\d|I\b)|"
    r"AUC(?:\]|\))?\s*(?:of\s+)?\d+(?:\.\d+)?|CIN\s*\d|(?i:category)\s+\d[AB]?|IHC\s*[0-3]\+?)"
    r"|(?<![/\w-])[TNM][0-4][a-c]?(?![\w])"
)
# Which occurrence of a toxicity a dose change is for, as labels count them: "at the third
# occurrence", "Occurrence: Fourth" (a table cell).
_ORDINALS = {
    w: n
    for n, words in enumerate(
        (
            ("first", "1st"),
            ("second", "2nd"),
            ("third", "3rd"),
            ("fourth", "4th"),
            ("fifth", "5th"),
        ),
        start=1,
    )
    for w in words
}
_ORDINAL = "|".join(_ORDINALS)
_OCCURRENCE = re.compile(
    rf"\b(?P<n>{_ORDINAL})\s+(?:occurrence|recurrence|episode)s?\b|"
    rf"\b(?:occurrence|recurrence)\s*:\s*(?P<m>{_ORDINAL})\b",
    re.I,
)
# Liver function and liver cancer stage classes: "Child-Pugh A5–B7", "Child-Pugh class B",
# "BCLC stage 0 or A". Each end is a label of its own.
_CLASS_SYSTEM = r"(?P<sys>Child[-–‐ ]Pugh|BCLC)"
_CLASS = re.compile(
    rf"\b{_CLASS_SYSTEM}[\s-]+(?:(?i:class|stage|score)\s+)?(?P<a>[0ABCD](?:\d{{1,2}})?)"
    r"(?![\w.,]\d|\w)"
)
# The next class of a list or range: "A5–B7", "0, A or B", "B/C", "A and BCLC B"
# A comma continues the list only where it ends in "or"/"and" and a class ("0, A or B"); a
# class is not the first letter of something else ("C-reactive", "D-dimer", "A subgroup").
_NEXT_CLASS = re.compile(
    r"\s*(?:–|-|to|or|and|/|,(?=(?:\s*[0ABCD]\d{0,2},)*\s*[0ABCD]\d{0,2},?\s+(?:or|and)\s))"
    rf"\s*(?:or\s+|and\s+)?(?:{_CLASS_SYSTEM}[\s-]+)?"
    r"(?:(?i:class|stage)\s+)?(?P<a>[0ABCD](?:\d{1,2})?)(?![\w.,]\d|\w|-\w)"
)
# The points of each Child-Pugh class
_CHILD_PUGH = {"a": range(5, 7), "b": range(7, 10), "c": range(10, 16)}


def _class_system(name: str) -> str:
    return "bclc" if name.upper() == "BCLC" else "child-pugh"


def _valid_class(system: str, label: str) -> bool:
    """Whether a class exists: BCLC 0, A to D; Child-Pugh A to C, with 5 to 15 points."""
    if system == "bclc":
        return len(label) == 1
    points = _CHILD_PUGH.get(label[0])
    return points is not None and (len(label) == 1 or int(label[1:]) in points)


GRADE_LEGEND = re.compile(
    # its body runs to the sentence's end (decimals aside), at most 600 characters
    r"\b(?:grades?|strength)\s+of\s+recommendations?\b"
    r"(?=(?P<body>[^.\n]{0,600}(?:\.\d[^.\n]{0,200}){0,5}))",
    re.I,
)
_LEGEND_LETTER = re.compile(r"(?<![\w\-–])([A-E])(?=\s*(?:[,(:=]|[–—-]\s))")
_CI_LEVEL = re.compile(rf"(?P<v>{_NUM})\s*%\s*(?:CI|confidence interval)\b", re.I)
_HR = re.compile(
    rf"\b(?P<name>HR|hazard ratio|OR|odds ratio|RR|relative risk|risk ratio)s?"
    rf"(?:\s*[\[(](?:HR|OR|RR)[\])])?"  # "hazard ratio [HR], 0.65"
    # "HR for progression, relapse, or death, 0.73"
    # a ratio named for a group ("HR for patients with 1 to 3 nodes, 0.75") is a decimal
    rf"(?P<for>\s+(?:for|in|among|across)\s+[A-Za-z0-9 ,-]{{1,60}}?)?"
    rf"\s*(?:[,:=]|of|was|were|is|was\s+about)?\s*"
    rf"(?<![\w-])(?P<v>(?(for)\d*\.\d+|(?:{_NUM})))"
    rf"(?![\d.]|\s*(?:years?|months?|weeks?|days?|%|mg|kg|cm|mm)\b)"
)
_P_VALUE = re.compile(rf"\b[Pp]\s*(?P<op>[<>=≤≥]|&lt;)\s*(?P<v>{_NUM})")
# "3-weekly", "6-monthly", "three-weekly": an interval of that many weeks or months.
_N_WEEKLY = re.compile(
    rf"(?<![\w.])(?P<n>\d{{1,2}}|{_WORD_NUM})-(?P<per>weekly|monthly|daily|yearly)\b", re.I
)
_PERIODS = {"weekly": "week", "monthly": "month", "daily": "day", "yearly": "year"}
# "node-negative" is N0 (the TNM label it stands for).
_NODE_NEGATIVE = re.compile(r"\bnode[- ]negative\b|\bnodal[- ]negative\b", re.I)
_RATIO = re.compile(r"(?<![\d.:])(?P<a>\d{1,2}):(?P<b>\d{1,2}(?::\d{1,2})*)(?![\d:])")
_TEN_POWER = re.compile(
    rf"(?P<v>{_NUM})\s*[×x]\s*10(?:\^?(?P<e>\d+)|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+))\s*/\s*"
    r"(?P<u>L|µL|μL|uL|mm3|mm³)"
)
# A cell count per microlitre: "75,000/mm3", "1500 cells/µL"
_PER_MICROLITRE = re.compile(
    rf"(?<![\d.,])(?P<v>{_NUM})\s*(?:cells\s*)?/\s*(?P<u>mm3|mm³|µL|μL|uL)(?![\w/])"
)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_FREQUENCY = re.compile(
    r"\b(?:(?P<times>once|twice|three times|four times|1 time|2 times|3 times)[\s-]+"
    r"(?:a |per |each )?(?P<per>daily|day|weekly|week|monthly|month|yearly|year)|"
    # "three times a day" (its number word read as digits), "five fractions per week", "5
    # days a week": one radiotherapy week
    r"(?<![\d.,])(?P<count>\d{1,2}(?:\.\d{1,2})?|five|six|seven)\s+(?:times\s+(?:(?:a|per|each)\s+(?P<in>day|week|month)|"
    r"(?P<ly>daily|weekly|monthly))|"
    r"(?:fractions|treatments|days)\s+(?:a|per|each)\s+week)\b|"
    r"(?P<bare>daily|weekly|monthly|annually|annual|yearly|nightly)\b|"
    r"every\s+(?P<other>other\s+)?(?P<every>day|week|month|year|night)\b|"
    r"[qQ](?P<qn>\d{1,2})\s?(?P<qu>[dwhDWH])\b|"
    # prescription Latin after a dose: "300 mg BID", "4 mg t.i.d.", "200 mg QD", "10 mg bd"
    r"(?<![\w.])(?P<latin>b\.i\.d\.?|t\.i\.d\.?|q\.i\.d\.?|q\.d\.?|bid|tid|qid|qd|tds|qds|bd|od)"
    r"(?!\w|\.\w))",
    re.I,
)
_LATIN_AFTER = re.compile(
    r"\d\s*(?:[a-zµμ]+(?:/[a-z²2]+)?)?\s*"
    r"(?:(?:PO|p\.o\.|orally|by mouth|IV|i\.v\.|SC|s\.c\.|subcutaneously|intravenously)\s+)?$",
    re.I,
)
_LATIN_TIMES = {"b": "2", "t": "3", "q": "4", "o": "1"}
# A dose given per day with no count of doses ("400 mg/day", "750 mg/m2 per day"): a daily
# total, which "daily" restates but "once daily" does not (it may be split into two doses).
_PER_DAY = re.compile(r"\s*/\s*d(?:ay)?\b|\s+(?:per|a|each)\s+day\b", re.I)
_DAILY_TOTAL = re.compile(r"/\s*d(?:ay)?|(?:per|a|each)\s+day", re.I)


def daily_total(q: Quantity) -> bool:
    """Whether a frequency is a dose per day with no count of doses ("400 mg/day")."""
    return q.kind == "frequency" and bool(_DAILY_TOTAL.fullmatch(q.text.strip()))


# A year stands alone: four digits, never the head or tail of a longer number ("19000 mg",
# "1,2019", "2019.5"), and not a count or a dose ("2000 patients", "n = 2019", "2000 mg").
# A trial or marker named by letters and digits: KEYNOTE-054, MEL-ADJ-02, CheckMate 067, CALGB
# 9343, MONALEESA-2, PD-1, CA-125. Its digits are part of a name, not a value. An acronym is
# two capitals or more; a space before the digits names only 3 digits or more, or a leading 0.
_NAMED_NUMBER = re.compile(
    r"\bCA\s?19-(?P<c>9)\b|\b(?P<name>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)"
    r"(?:-(?:[A-Z][A-Za-z]*|\d+[A-Z][A-Za-z]*))*(?:\s[A-Z][a-z]+)?"
    r"(?:-(?P<h>\d+)|\s(?P<s>0\d+|[1-9]\d{2,}|\d{1,3}[A-Z]{1,3}))(?![.,]?\d)(?![A-Za-z])"
)
# Laboratory and clinical measures written before their value: "PSA 250", "AFP 400".
LAB_NAMES = frozenset(
    "PSA LDH ANC AFP WBC CEA ALT AST ALP GGT INR TSH BUN CRP HB HGB PLT LVEF EF GFR EGFR CRCL "
    "BMI KPS PS ECOG SUV HBA1C NLR MCV".split()
)
_SECTION_NUMBER = re.compile(r"(?<![\w.])\d{1,2}(?:\.\d{1,2}){2,3}\b(?![.,]?\d)")
_YEAR = re.compile(
    r"(?<![\d,.])(?<!=)(?<!=\s)\b(?:19|20)\d{2}\b(?![,.]\d)(?!\s*(?:%|patients|participants))"
)
_UNIT_NAMES = {
    "mg/m2": "mg/m²",
    "m2": "m²",  # body surface area
    "μg/kg": "µg/kg",
    "mcg/kg": "µg/kg",
    "microgram/kg": "µg/kg",
    "micrograms/kg": "µg/kg",
    # pancreatic enzyme doses are counted in units of lipase: "50,000 lipase units"
    "lipase units": "unit",
    "lipase unit": "unit",
    "units/kg": "U/kg",
    "cm3": "cm³",
    "unit/kg": "U/kg",
    "μg": "µg",
    "mcg": "µg",
    "microgram": "µg",
    "micrograms": "µg",
    "ng/ml": "ng/mL",
    "umol/l": "µmol/L",
    "mutation/megabase": "mutations/Mb",
    "mutations/megabase": "mutations/Mb",
    "mutation/mb": "mutations/Mb",
    "mut/mb": "mutations/Mb",
    "mg/dl": "mg/dL",
    "ml/min": "mL/min",
    "μmol/l": "µmol/L",
    "ml": "mL",
    "percent": "%",
    "per cent": "%",
    "mg per m2": "mg/m²",
    "mg per m²": "mg/m²",
    "mg per square metre": "mg/m²",
    "mg per square meter": "mg/m²",
    "mg per kg": "mg/kg",
    "g per m2": "g/m²",
    "g per m²": "g/m²",
    "g per square metre": "g/m²",
    "g per square meter": "g/m²",
    "g per kg": "g/kg",
    "g/m2": "g/m²",
    "percentage points": "percentage point",
    "yr": "year",
    "yrs": "year",
    "y": "year",
    "mo": "month",
    "wk": "week",
    "d": "day",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "min": "minute",
    "gy/fx": "Gy/fraction",
    "fx": "fraction",  # "50.4 Gy/28 fr", "45 Gy/25 fx"
    "fr": "fraction",
    "gy/fractions": "Gy/fraction",
    "courses": "cycle",
    "injections": "injection",
    "infusions": "infusion",
    "course": "cycle",
    "litre": "L",
    "litres": "L",
    "liter": "L",
    "liters": "L",
    "lines": "line",
    "dose levels": "dose level",
}
_PER_TIME = {"d": "day", "wk": "week", "h": "hour", "hr": "hour"}
_KEEP_CASE = {
    "%",
    "cm³",
    "mL",
    "L",
    "Gy",
    "cGy",
    "g",
    "IU",
    "Gy/fraction",
    "pack-year",
    "times",
    "kBq",
    "MBq",
    "GBq",
    "mCi",
}
_DOSE_UNITS = {
    "mg",
    "µg",
    "g",
    "g/m²",
    "g/kg",
    "IU",
    "mg/m²",
    "mg/kg",
    "µg/kg",
    "IU/kg",
    "U/kg",
    "mg/kg/day",
    "kBq",
    "MBq",
    "GBq",
    "mCi",
    "kBq/kg",
    "MBq/kg",
    "GBq/kg",
}
_TIME_UNITS = {"day", "week", "month", "year", "hour", "minute"}


@dataclass(frozen=True)
class Quantity:
    """One value as written: ``value`` and ``unit`` normalised, ``text`` and ``start``/``end``
    as in the source. ``kind`` is one of dose, radiation, duration, interval, frequency, age,
    percent, ratio, hr, p, ci, ci_level, count, cells, lab, year, label, bsa, number."""

    value: str
    unit: str
    text: str
    start: int
    kind: str = "number"
    end: int = -1
    bound: str = ""  # "min" (≥, or more, at least), "max" (≤, up to, or younger), "range", ""
    span: str = ""  # both ends of a range ("1–14"), on each end; a range matches only as a whole

    @property
    def key(self) -> tuple[str, str]:
        """Value and unit, with laboratory units that say the same thing made one: a cell
        count per microlitre or per litre as ×10^9/L ("1500/µL" is "1.5 × 10^9/L"), g/dL as
        g/L ("2.8 g/dL" is "28 g/L")."""
        return _same_measure(self.value, self.unit)

    @property
    def time_key(self) -> tuple[str, str]:
        """Value and unit of a time with months written as whole years, days as whole weeks and
        hours as whole days: "36 months" is "3 years", "every 21 days" is "every 3 weeks",
        "within 72 hours" is "within 3 days". A range keeps its units."""
        value, unit = self.value, self.unit
        if self.kind in ("duration", "interval") and not self.span:
            # hours to days first, so that "168 hours" is "7 days" and then "1 week"
            for small, large, factor in (
                ("hour", "day", 24),
                ("day", "week", 7),
                ("month", "year", 12),
            ):
                if unit == small and value.isdigit() and int(value) >= factor:
                    count, rest = divmod(int(value), factor)
                    if not rest:
                        value, unit = str(count), large
        return value, unit

    @property
    def rhythm(self) -> tuple[str, str] | None:
        """How often, as the time between two doses or visits, whether written as an interval
        or a frequency: "weekly" and "every week" are ("1", "week"), "twice a year" and
        "every 6 months" ("6", "month"), "twice daily" and "every 12 hours" ("12", "hour");
        None for other values and for frequencies no whole interval gives ("3 times a week")."""
        if self.kind == "interval":
            return self.time_key
        match = re.fullmatch(r"per (day|week|month|year)", self.unit)
        if self.kind != "frequency" or not match or not self.value.isdigit() or daily_total(self):
            return None
        period, times = match.group(1), int(self.value)
        if times == 1:
            return Quantity("1", period, "", 0, "interval").time_key
        smaller = {"day": ("hour", 24), "month": ("day", 30), "year": ("month", 12)}
        if period not in smaller or smaller[period][1] % times:
            return None
        unit, size = smaller[period]
        return Quantity(str(size // times), unit, "", 0, "interval").time_key


_MIN_BEFORE = re.compile(
    r"(?:[≥>]|\bat least|\bmore than|\bover|\babove|\bgreater than|\bexceeds?|\bexceeding)\s*$",
    re.I,
)
_MAX_BEFORE = re.compile(
    r"(?:[≤<]|\bup to|\bless than|\bbelow|\bunder|\bwithin|\bfewer than|\byounger than)\s*$",
    re.I,
)
# a dose's bound may follow its frequency: "prednisolone 10 mg daily or less"
_PER_DAY_FIRST = (
    r"(?:\s*/\s*d(?:ay)?\b|\s+(?:once\s+)?daily\b|\s+(?:per|a|each)\s+day\b)?"
    r"(?!\s*(?:or|and)\s+(?:more|less)\s+(?:oft|freq))"  # "daily or less often"
)
_MIN_AFTER = re.compile(
    rf"^{_PER_DAY_FIRST}\s*(?:or|and)\s+(?:higher|more|older|greater|above|over|longer)\b", re.I
)
_MAX_AFTER = re.compile(
    rf"^{_PER_DAY_FIRST}\s*(?:or|and)\s+(?:lower|less|younger|fewer|below|under|shorter)\b", re.I
)


_NEGATED_BOUND = re.compile(
    r"\b(?:no|not)\s+(?P<w>more|greater|less|fewer)\s+than\s*$|"
    # "does not exceed 15 cm³" is at most 15 cm³
    r"\b(?:not|never)\s+(?:to\s+)?(?P<x>exceed(?:s|ing)?)\s*$",
    re.I,
)


def _bound(text: str, start: int, end: int) -> str:
    before, after = text[max(0, start - 14) : start], text[end : end + 20]
    inside = re.search(r"\bor\s+(more|fewer|less)\b", text[start:end], re.I)
    if inside:  # "two or more lines"
        return "min" if inside.group(1).lower() == "more" else "max"
    negated = _NEGATED_BOUND.search(text[max(0, start - 20) : start])
    if negated:  # "no more than 12 weeks" is at most 12 weeks
        return "max" if (negated.group("w") or "more").lower() in ("more", "greater") else "min"
    if _MIN_BEFORE.search(before) or _MIN_AFTER.match(after):
        return "min"
    if _MAX_BEFORE.search(before) or _MAX_AFTER.match(after):
        return "max"
    return ""


_LIST_SEP = re.compile(r"\d\s*(?:%\s*)?(?:and|or)\s*\d")


# A verb of change, then at most four words ("lengthened median OS from"), then the values:
# "from A to B" is then a before and an after, not a range.
_CHANGE = re.compile(
    r"\b(?:(?:increas|decreas|improv|reduc|lengthen|prolong|extend|shorten|declin|drop|climb|"
    r"doubl|halv|escalat|titrat|rais|lower|shift|chang|mov|grow)(?:e|es|ed|ing|s)?|rose|fell|"
    r"grew|went)\b(?:\s+(?!from\b)[^\s.;]+){0,4}?(?:\s+from)?\s*$",
    re.I,
)


def _is_range(text: str, q: Quantity) -> bool:
    """Whether two values written together are a range ("1 to 14", "0.41–0.73"), not a list
    ("days 1 and 15", "2 or 4") or a change ("increased from 11.1 to 13.8 months")."""
    before = text[max(0, q.start - 120) : q.start]  # a window: long texts stay linear
    if re.search(r"\bbetween\s+(?:(?:days?|weeks?|cycles?|grades?)\s+)?$", before + " ", re.I):
        return True  # "between 1.01 and 2.0 mm", "between days 14 and 21"
    # numbers in words are digits here already ("one or two" is read as "1 or 2")
    pair = re.fullmatch(r"(\d)\s+or\s+(\d)", q.text.strip())
    if pair and int(pair.group(2)) == int(pair.group(1)) + 1:
        return True  # "performance status of 0 or 1" is 0–1
    if _LIST_SEP.search(q.text):
        return False
    return not _CHANGE.search(before)  # "from 24 to 72 hours" is a range


# "13.6 vs 11.0 months", "41% and 19%": a value without a unit compared with the next one
# shares that one's unit (and its kind).
_COMPARED = re.compile(r"\s*(?:vs\.?|versus|compared with)\s*$", re.I)
# "8.3, 5.5 and 6.0 months": the values of a list share the unit written after the last one.
_LISTED = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s*", re.I)


def _shared_units(text: str, found: list[Quantity]) -> list[Quantity]:
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        if q.unit or q.kind != "number" or not nxt.unit or nxt.start <= q.start:
            continue
        gap = text[q.end if q.end >= 0 else q.start + len(q.text) : nxt.start]
        if _LISTED.fullmatch(gap) and nxt.kind not in ("schedule", "label"):
            out[i] = replace(q, unit=nxt.unit, kind=nxt.kind)
    for i, q in enumerate(out[:-1]):
        nxt = out[i + 1]
        if q.unit or q.kind != "number" or not nxt.unit or nxt.start <= q.start:
            continue
        if _COMPARED.fullmatch(text[q.end if q.end >= 0 else q.start + len(q.text) : nxt.start]):
            out[i] = replace(q, unit=nxt.unit, kind=nxt.kind)
    # "1.01 mm to 2.0 mm", "1-cm to 2-cm": a range that writes its unit twice is read as one,
    # its two ends sharing a start as "1 to 2 cm" does.
    for i, q in enumerate(out[:-1]):
        nxt = out[i + 1]
        if not q.unit or nxt.unit != q.unit or nxt.start <= q.start or q.kind != nxt.kind:
            continue
        if i + 2 < len(out) and out[i + 2].start == nxt.start or i and out[i - 1].start == q.start:
            continue
        if _UNIT_RANGE.fullmatch(text[q.end if q.end >= 0 else q.start + len(q.text) : nxt.start]):
            end = nxt.end if nxt.end >= 0 else nxt.start + len(nxt.text)
            joined = text[q.start : end]
            out[i] = replace(q, text=joined, end=end)
            out[i + 1] = replace(nxt, text=joined, start=q.start, end=end)
    return out


_TIMES_ULN = re.compile(
    r"\s*(?:(?:to|–|-)\s*\d+(?:\.\d+)?\s*)?(?:×|x|times)?\s*(?:the\s+)?"
    r"(?:ULN|upper limit of normal)\b",
    re.I,
)
_UNIT_RANGE = re.compile(r"\s*(?:to|–|-)\s*")
_VOLUME_RATE = re.compile(r"(?:\s+of\s+[a-z]+)?\s+(?:a|per|each)\s+(day|week|hour)\b", re.I)


def normalise_unit(raw: str | None) -> str:
    """The canonical spelling of a unit (``mcg`` → ``µg``, ``weeks`` → ``week``)."""
    if not raw:
        return ""
    raw = " ".join(raw.split())
    raw = re.sub(r"(?<=\d)\s?m2$", " m²", raw)  # "mL/min/1.73 m2" is "mL/min/1.73 m²"
    unit = _UNIT_NAMES.get(raw, _UNIT_NAMES.get(raw.lower(), raw))
    volume, per, time = unit.partition("/")
    if per and volume.lower() in ("ml", "l") and time.lower() in (*_PER_TIME, *_PER_TIME.values()):
        # "100 mL/h" is "100 mL/hour", "3 L/d" is "3 L/day"
        return f"{'mL' if volume.lower() == 'ml' else 'L'}/{_PER_TIME.get(time.lower(), time)}"
    if unit in _KEEP_CASE or "/" in unit:
        return unit.replace("μ", "µ")
    unit = unit.lower()
    return unit if unit in ("times",) else unit.removesuffix("s")


# A cell count's unit as the power of ten per litre of one of it: "/µL" is 10^6 per litre.
_COUNT_UNIT = re.compile(r"(?:×10\^(?P<e>\d+))?/(?P<u>L|µL|uL|mm3|mm³)")


def _same_measure(value: str, unit: str) -> tuple[str, str]:
    count = _COUNT_UNIT.fullmatch(unit)
    if unit == "g/dL":
        scaled, unit_as = _scaled(value, 1), "g/L"
    elif unit == "cm":  # a margin or a diameter: "1.5 cm" is "15 mm"
        scaled, unit_as = _scaled(value, 1), "mm"
    elif unit in ("g", "g/m²", "g/kg"):  # "1 g/m²" is "1,000 mg/m²"
        scaled, unit_as = _scaled(value, 3), "m" + unit
    elif (
        count is not None
        and (count.group("u") != "L" or count.group("e"))
        and len(count.group("e") or "") <= 2  # × 10^9/L, not a power no laboratory reports
    ):
        power = int(count.group("e") or 0) + (0 if count.group("u") == "L" else 6)
        scaled, unit_as = _scaled(value, power - 9), "×10^9/L"
    else:
        return value, unit
    return (scaled, unit_as) if scaled is not None else (value, unit)


def _scaled(value: str, power: int) -> str | None:
    try:
        number = Decimal(value) * Decimal(10) ** power
    except ArithmeticError:  # InvalidOperation and Overflow alike
        return None
    return normalise_value(f"{number:f}")


def normalise_value(raw: str) -> str:
    """``1,000`` → ``1000``; ``9.690`` → ``9.69``; ``.002`` → ``0.002``; ``30.0`` → ``30``."""
    value = raw.replace(",", "")
    if value.startswith("."):
        value = "0" + value
    return value.rstrip("0").rstrip(".") if "." in value else value


def _kind(unit: str, before: str) -> str:
    if unit in _DOSE_UNITS:
        return "dose"
    if unit.startswith("Gy") or unit == "cGy":
        return "radiation"
    if unit in _TIME_UNITS:
        if re.search(r"\b(?:every|q|each)\s*$", before, re.I):
            return "interval"
        return "duration"
    if unit in ("%", "percentage point"):
        return "percent"
    if unit in ("cycle", "dose", "fraction", "injection", "infusion"):
        return "count"
    if "/" in unit:
        return "lab"
    if unit in ("mm", "cm"):
        return "size"
    if unit == "m²":
        return "bsa"
    return "number"


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in taken)


def _in_reference(text: str, match: re.Match[str]) -> bool:
    """Whether the number closing a bracket is a reference ("[12]", "[3, 14–16]"), not a value
    in brackets ("[95% CI 0.55–0.86]")."""
    opening = text.rfind("[", 0, match.start())
    return (
        opening >= 0 and re.fullmatch(r"[\d,\s–-]*", text[opening + 1 : match.start()]) is not None
    )


# Digits and signs written another way, each replaced by one character so positions hold:
# full-width digits, the minus sign, and the raised decimal point of Lancet-style "10·6".
_SAME_LENGTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "−": "-"})
_RAISED_POINT = re.compile(r"(?<=\d)·(?=\d)")


# "from year 3 to year 5", "day 1 to day 14": a range that names its unit at both ends, read
# as "year 3 to 5" (the text keeps its length, so that positions stay true)
_UNIT_TWICE = re.compile(
    r"\b(?P<u>day|week|month|year|cycle)\s+(?P<a>\d{1,3})(?P<to>\s+(?:to|through)\s+|\s*[–-]\s*)"
    r"(?P=u)\s+(?P<b>\d{1,3})\b",
    re.I,
)


def _unit_once(match: re.Match[str]) -> str:
    """The second unit blanked out: every number keeps its position."""
    cut, second = match.end("to") - match.start(), match.start("b") - match.start()
    return match.group(0)[:cut] + " " * (second - cut) + match.group("b")


_CI_COMMA = re.compile(
    r"(\b(?:9[059]\s?%\s*)(?:CI|confidence interval)[,:]?\s*-?\d+(?:\.\d+)?\s*),(\s*-?\d+(?:\.\d+)?"
    r"\s*[)\];])",
    re.I,
)


# The two ends of a range written as bounds: "above 1.5 and up to 3 × ULN", "over 30 but
# below 45 mL/min", "more than 5 and no more than 10"; the text between the two numbers.
_BOTH_BOUNDS = re.compile(
    r"(?P<lead>\b(?:above|over|(?<!no\s)(?<!not\s)(?:more|greater)\s+than)\s+|>\s*)"
    r"(?P<a>\d+(?:\.\d+)?)"
    r"(?P<gap>\s+(?:and|but)\s+(?:(?:up\s+)?to|at\s+most|(?:not|no)\s+more\s+than|below|under|"
    r"less\s+than)\s+)(?=\d)",
    re.I,
)


def quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order of position (ranges give both ends the unit)."""
    bounds = list(_BOTH_BOUNDS.finditer(text))
    if not bounds:
        return _quantities(text, join_bounds=False)
    # "above 1.5 and up to 3 times the ULN" is the range "> 1.5 to 3 × ULN", but only where the
    # two bounds read as one range, low to high ("above 1.0 and below 1.5 × 10^9/L" keeps its
    # bounds when the range does not read; "over 65 and under 2 cm" is no range)
    joined = _quantities(text, join_bounds=True)
    starts = {q.start: q for q in joined if q.span}
    if all(m.start("a") in starts and _rising(starts[m.start("a")].span) for m in bounds):
        return joined
    return _quantities(text, join_bounds=False)


def _rising(span: str) -> bool:
    low, _, high = span.partition("–")
    try:
        return float(low.replace(",", "")) < float(high.replace(",", ""))
    except ValueError:
        return False


def _quantities(text: str, join_bounds: bool) -> list[Quantity]:
    written, text = text, _RAISED_POINT.sub(".", text.translate(_SAME_LENGTH))
    # a drug label's "95% CI: 28.1, 41.0" is the interval 28.1–41.0 (one character for one)
    text = _CI_COMMA.sub(lambda m: f"{m.group(1)}–{m.group(2)}", text)
    if join_bounds:
        # two bounds written as one range, blanks keeping the length: positions index the
        # text as written
        text = _BOTH_BOUNDS.sub(
            lambda m: m.group("lead") + m.group("a") + " " * (len(m.group("gap")) - 3) + "to ",
            text,
        )
    text = _UNIT_TWICE.sub(_unit_once, text)
    # numbers in words are read as their digits, except where a unit or a cycle's length
    # follows in a way only words take ("four 21-day cycles", "nine more cycles")
    wordy, (text, replaced) = text, _digits_for_words(text)
    found: list[Quantity] = []
    # a recommendation's or section's number ("1.3.2 Offer …") is no value
    taken: list[tuple[int, int]] = [m.span() for m in _SECTION_NUMBER.finditer(text)]

    def add(value: str, unit: str, match: re.Match[str], kind: str, group: int | str = 0) -> None:
        start, end = match.start(group), match.end(group)
        found.append(Quantity(value, unit, text[start:end], start, kind, end))

    for match in _CLASS.finditer(text):
        if _overlaps(*match.span(), taken):
            continue
        system = _class_system(match.group("sys"))
        if not _valid_class(system, match.group("a").lower()):
            continue
        add(f"{system} {match.group('a').lower()}", "label", match, "label", "a")
        last = match.end()
        while nxt := _NEXT_CLASS.match(text, last):
            if nxt.group("sys"):
                system = _class_system(nxt.group("sys"))
            if not _valid_class(system, nxt.group("a").lower()):
                break
            add(f"{system} {nxt.group('a').lower()}", "label", nxt, "label", "a")
            last = nxt.end()
        taken.append((match.start(), last))
    for match in _LABELS.finditer(text):
        if _overlaps(*match.span(), taken):
            continue  # "BCLC stage 0" is a class, read above
        label = " ".join(match.group(0).split()).lower()
        label = re.sub(r"^(auc|ihc)[\])]?\s*(?:of\s+)?", r"\1 ", label)
        label = re.sub(r"^(stage|grade)s\b", r"\1", label)
        # "grade ≥3" is "grade 3 or higher", "grade ≤ 1" is "grade 1 or less"
        label = re.sub(r"^grade [≥≤]\s*", "grade ", label)
        add(label, "label", match, "dose" if label.startswith("auc") else "label")
        taken.append(match.span())
    for match in _LEVEL_AND_GRADE.finditer(text):
        # "[I, A]" is a level I, grade A recommendation: the grade a claim may name alone
        # (the whole bracket is its text: a letter alone is a grading legend's)
        if not _overlaps(*match.span(), taken):
            add(f"grade {match.group('g').lower()}", "label", match, "grade")
            taken.append(match.span())
    for match in _OCCURRENCE.finditer(text):
        group = "n" if match.group("n") else "m"
        which = match.group(group).lower()
        add(f"occurrence {_ORDINALS[which]}", "label", match, "label", group)
        taken.append(match.span())
    for legend in GRADE_LEGEND.finditer(text):
        # a legend names each grade by its letter alone: "Grades of recommendation: A, strong
        # evidence …; B, …" or "run from A (…) through B (…)"
        letters = list(
            _LEGEND_LETTER.finditer(text, legend.end(), legend.end() + len(legend.group("body")))
        )
        if len(letters) < 2 and not legend.group("body").rstrip().endswith(";"):
            # "Strength of recommendation: B (moderate certainty)." grades; a legend names two
            # grades or more, or goes on after a semicolon
            continue
        for match in letters:
            if not _overlaps(*match.span(), taken):
                add(f"grade {match.group(1).lower()}", "label", match, "label", 1)
                taken.append(match.span())
    for match in _CI_LEVEL.finditer(text):
        add(normalise_value(match.group("v")), "% CI", match, "ci_level")
        taken.append(match.span())
    for match in _HR.finditer(text):
        if _overlaps(*match.span("v"), taken):
            continue
        name = match.group("name").lower()
        unit = {
            "hazard ratio": "HR",
            "odds ratio": "OR",
            "relative risk": "RR",
            "risk ratio": "RR",
        }.get(name, name)
        add(normalise_value(match.group("v")), unit.upper(), match, "hr")
        # the words between ("HR for patients aged 65 years or older was 0.81") keep their values
        taken += [match.span("name"), match.span("v")]
    for match in _P_VALUE.finditer(text):
        add(normalise_value(match.group("v")), "P", match, "p")
        taken.append(match.span())
    for match in _TEN_POWER.finditer(text):
        power = match.group("e") or match.group("sup").translate(_SUPERSCRIPT)
        unit = f"×10^{power}/{match.group('u').replace('μ', 'µ')}"
        add(normalise_value(match.group("v")), unit, match, "cells")
        taken.append(match.span())
    for match in _PER_MICROLITRE.finditer(text):
        if _overlaps(*match.span(), taken):
            continue
        unit = f"/{match.group('u').replace('μ', 'µ')}"
        add(normalise_value(match.group("v")), unit, match, "cells")
        taken.append(match.span())
    for match in _RATIO.finditer(text):
        if _overlaps(*match.span(), taken):
            continue
        add(f"{match.group('a')}:{match.group('b')}", "ratio", match, "ratio")
        taken.append(match.span())
    for match in _N_WEEKLY.finditer(text):
        n = match.group("n").lower()
        add(str(_WORDS.get(n, n)), _PERIODS[match.group("per").lower()], match, "interval")
        taken.append(match.span())
    for match in _NODE_NEGATIVE.finditer(text):
        add("n0", "label", match, "label")
        taken.append(match.span())
    for match in _FREQUENCY.finditer(text):
        if _overlaps(*match.span(), taken):
            continue
        if match.group("count"):
            count = match.group("count")
            period = match.group("in") or {"daily": "day", "monthly": "month"}.get(
                (match.group("ly") or "").lower(), "week"
            )
            per = f"per {period.lower()}"
            value = count if count[0].isdigit() else str(word_value(count))
            add(normalise_value(value), per, match, "frequency")
        elif match.group("times"):
            times = match.group("times").split()[0].lower()
            count = {"once": "1", "twice": "2", "three": "3", "four": "4"}.get(times, times)
            per = normalise_unit(
                match.group("per").lower().replace("daily", "day").replace("ly", "")
            )
            add(count, f"per {per}", match, "frequency")
        elif match.group("bare"):
            bare = match.group("bare").lower()
            period = {"daily": "day", "nightly": "day", "weekly": "week", "monthly": "month"}
            if bare in period:
                add("1", f"per {period[bare]}", match, "frequency")
            else:
                add("1", "year", match, "interval")
        elif match.group("every"):
            # "every other day" is every 2 days
            count = "2" if match.group("other") else "1"
            add(count, normalise_unit(match.group("every")), match, "interval")
        elif match.group("latin"):
            latin = match.group("latin").lower().replace(".", "")
            # only after a dose ("300 mg BID"); "bd" and "od" only as written in lower case
            # a route may stand between ("200 mg PO BID", "300 mg orally b.i.d."); only the
            # few characters before are read, not the whole text each time
            after_dose = _LATIN_AFTER.search(text[max(0, match.start() - 40) : match.start()])
            if not after_dose or (latin in ("bd", "od") and match.group("latin") != latin):
                continue
            times = "1" if latin in ("qd", "od") else _LATIN_TIMES[latin[0]]
            add(times, "per day", match, "frequency")
        else:
            unit = {"d": "day", "w": "week", "h": "hour"}[match.group("qu").lower()]
            add(match.group("qn"), unit, match, "interval")
        taken.append(match.span())
    for match in _AND_A_HALF.finditer(text):
        # "six and a half weeks" is 6.5 weeks
        if _overlaps(*match.span(), taken):
            continue
        value = normalise_value(match.group("n"))
        unit = normalise_unit(match.group("unit"))
        before = text[max(0, match.start() - 16) : match.start()]
        add(normalise_value(f"{value}.5"), unit, match, _kind(unit, before))
        taken.append(match.span())
    for match in _WORD_QUANTITY.finditer(wordy):
        # only what digits do not say alike: "four 21-day cycles", "nine more 3-weekly cycles"
        word = re.match(_WORD_NUM, match.group(0), re.I)
        if (
            word is None
            or not (match.group("n") or re.search(r"\d-(?:weekly|monthly)", match.group(0)))
            or _overlaps(match.start(), match.start() + len(word.group(0)), taken)
        ):
            continue
        unit = normalise_unit(match.group("unit"))
        before = text[max(0, match.start() - 12) : match.start()]
        add(str(word_value(word.group(0))), unit, match, _kind(unit, before))
        if match.group("n"):
            add(normalise_value(match.group("n")), "day", match, "duration", "n")
        taken.append(match.span())
    for match in _NAMED_NUMBER.finditer(text):
        if match.group("c"):
            taken.append(match.span())
            continue
        group = "h" if match.group("h") else "s"
        if group == "s" and match.group("name").upper() in LAB_NAMES:
            continue  # "AFP 400 or higher", "LDH 480": laboratory values
        after = text[match.end() : match.end() + 12]
        if _overlaps(*match.span(group), taken) or (
            group == "s"
            and not re.match(r"\s*(?:[),;:\]]|\.(?!\d)|$|(?!per\b)[a-z])", after)
            or re.match(rf"\s*(?:{_UNIT})\b", after)
        ):
            continue  # "PSA 100 ng/mL", "LDH 250 U/L", "ANC 1500/µL" are values
        taken.append(match.span() if group == "h" else match.span(group))
    for match in _YEAR.finditer(text):
        after = text[match.end() : match.end() + 12]
        if _overlaps(*match.span(), taken) or re.match(rf"\s*(?:-|–)?\s*(?:{_UNIT})\b", after):
            continue
        if match.start() > 0 and text[match.start() - 1].isalpha():
            continue
        add(match.group(0), "calendar year", match, "year")
        taken.append(match.span())
    for match in _QUANTITY.finditer(text):
        if _overlaps(match.start(), match.end("a"), taken):
            if (
                match.group("b")
                and not match.group("unit")
                and any(q.kind == "hr" and q.end == match.end("a") for q in found)
                and not _overlaps(*match.span("b"), taken)
                and re.fullmatch(r"\s*(?:,|and|or)\s*", text[match.end("a") : match.start("b")])
            ):
                # "HRs of 0.64 and 0.83": the first was read as the ratio, the second is
                # its own value
                add(normalise_value(match.group("b")), "", match, "number", "b")
                taken.append(match.span("b"))
            continue
        if match.start() > 0 and (
            text[match.start() - 1].isalpha() or text[match.start() - 1] in "[^"
        ):
            continue  # part of a name (B12, L858R, HER2) or a citation marker
        if match.end() < len(text) and text[match.end()] == "]" and _in_reference(text, match):
            continue
        if re.match(r"-(?:HT|FU)", text[match.end("a") : match.end("a") + 4]):
            continue  # 5-HT3, 5-FU: names, not numbers
        if re.search(
            r"\b(?:beta|alpha|gamma|kappa|interleukin|factor)-$",
            text[max(0, match.start() - 16) : match.start()],
            re.I,
        ) and not match.group("unit"):
            continue  # beta-2 microglobulin, interleukin-6: names
        b_taken = match.group("b") is not None and _overlaps(*match.span("b"), taken)
        unit_raw = match.group("unit") if not b_taken else None
        unit = normalise_unit(match.group("ua") or unit_raw)
        before = text[max(0, match.start() - 16) : match.start()]
        leading_day = re.search(r"\b(days?|weeks?|cycles?)\s*$", before, re.I)
        if leading_day and unit_raw and match.group("b") and not b_taken:
            # "from 2.5 mg on day 8 to 10 mg on day 15": day 8, then a dose, not a range
            day = normalise_unit(leading_day.group(1))
            add(normalise_value(match.group("a")), day, match, "schedule", "a")
            b_start, b_end = match.start("b"), match.end("unit")
            found.append(
                Quantity(
                    normalise_value(match.group("b")),
                    unit,
                    text[b_start:b_end],
                    b_start,
                    _kind(unit, text[max(0, b_start - 16) : b_start]),
                    b_end,
                )
            )
            continue
        kind = _kind(unit, before)
        if (
            not unit
            and (
                re.search(
                    r"\b(?:age|aged|ages)\s*(?:of\s*|(?:under|over|below|above|younger than|"
                    r"older than|at least|up to)\s+)?(?:[≥≤<>]\s*)?$",
                    before,
                    re.I,
                )
                # "patients 75 or older" (not "a CPS of 10 or over")
                or re.match(r"\s*(?:or|and)\s+(?:older|younger)\b", text[match.end() :], re.I)
                or re.search(
                    # "aged 31 to 75 years (median 64)": the median of the ages
                    r"\b(?:median|mean) age\s+(?:was|of)\s*$|"
                    r"\b(?:aged?|ages)\b[^.;()]{0,30}\byears?\s*\((?:median|mean)\s*$|"
                    r"\b(?:patients?|adults?|people|persons?|those|women|men)\s+"
                    r"(?:over|under|older than|younger than|above|below)\s*$",
                    text[max(0, match.start() - 40) : match.start()],
                    re.I,
                )
            )
        ):
            unit, kind = "year", "age"  # "aged 40" is 40 years
        elif (
            unit == "year"
            and (
                re.search(
                    r"\b(?:age|aged|ages)\s*(?:of\s*|between\s*)?(?:[≥≤<>]\s*)?$", before, re.I
                )
                # "patients up to 70 years old", "those 65 years of age or older", "patients 65
                # years or older"
                or re.match(
                    r"\s*-?\s*(?:old|of age)\b|\s*(?:or|and)\s+(?:older|over|younger)\b",
                    text[match.end() :],
                    re.I,
                )
            )
        ):
            kind = "age"
        elif not unit and (
            leading := re.search(
                r"\b(days?|weeks?|cycles?|doses?|months?|years?)\s*$", before, re.I
            )
        ):
            unit = normalise_unit(leading.group(1))  # "days 1 to 14", "cycle 3"
            kind = "schedule"
        elif not unit and re.search(r"\bn\s*=\s*$", before):
            kind = "count"
        elif unit in ("", "%") and re.search(
            r"(?:\bCI|confidence interval)(?:[,:]|\s+(?:of|was|from))?\s*$",
            text[max(0, match.start() - 40) : match.start()],
            re.I,
        ):
            # "95% CI, 7.9 to 15.7" and "a 95% confidence interval of 7.9% to 15.7%" are one
            # interval: its ends are compared as numbers
            unit, kind = "", "ci"
        end = (
            match.end("unit")
            if unit_raw
            else match.end("b")
            if match.group("b")
            else match.end("ua")
            if match.group("ua")
            else None
        )
        for part in ("a", "b"):
            if match.group(part) and not (part == "b" and b_taken):
                value = normalise_value(match.group(part))
                stop = end or match.end(part)
                found.append(
                    Quantity(value, unit, text[match.start() : stop], match.start(), kind, stop)
                )
    for q in [q for q in found if q.kind == "dose" and q.end >= 0]:
        per_day = _PER_DAY.match(text, q.end)
        if per_day and not _overlaps(per_day.start(), per_day.end(), taken):
            found.append(
                Quantity(
                    "1", "per day", text[per_day.start() : per_day.end()].strip(), 0, "frequency"
                )
            )
            start = per_day.start() + len(per_day.group()) - len(per_day.group().lstrip())
            found[-1] = replace(found[-1], start=start, end=per_day.end())
            taken.append((start, per_day.end()))
    found = _shared_units(text, found)
    # "1.5 to 3 times the ULN", "1.5–3 × ULN", "3 x ULN": multiples of the upper limit of normal
    found = [
        replace(q, unit="× ULN", kind="lab")
        if q.unit in ("", "times") and _TIMES_ULN.match(text, q.end if q.end >= 0 else q.start)
        else q
        for q in found
    ]
    # "3 litres of fluid a day" is "3 L/day"
    found = [
        replace(q, unit=f"{q.unit}/{rate.group(1).lower()}", kind="lab")
        if q.unit in ("L", "mL")
        and (rate := _VOLUME_RATE.match(text, q.end if q.end >= 0 else q.start + len(q.text)))
        else q
        for q in found
    ]
    # a cycle's length is how often the cycle recurs: "a 28-day cycle" is "each 4-week cycle"
    found = [
        replace(q, kind="interval")
        if q.kind == "duration"
        and _CYCLE_AFTER.match(text, q.end if q.end >= 0 else q.start + len(q.text))
        else q
        for q in found
    ]
    # a number read from words spans its word ("thirty-six months", "six patients")
    found = [
        replace(
            q,
            start=next((a for a, b in replaced if a <= q.start < b), q.start),
            end=next((b for a, b in replaced if a < q.end < b), q.end) if q.end >= 0 else q.end,
        )
        for q in found
    ]
    found = _listed_ratios(text, _year_ranges(text, _listed_ranges(text, found)))
    spans: dict[int, str] = {}
    for q in found:
        ends = [p.value for p in found if p.start == q.start]
        if len(ends) == 2 and _is_range(text, q):
            spans[q.start] = "–".join(ends)
    found = [
        q
        if q.span
        else replace(q, bound="range", span=spans[q.start])
        if q.start in spans
        else replace(q, bound="min")
        if q.unit == "label" and "≥" in q.text
        else replace(q, bound="max")
        if q.unit == "label" and "≤" in q.text
        else replace(q, bound=_bound(text, q.start, q.end))
        for q in found
    ]
    # each quantity quotes the text as written ("10·6 months", "１０ mg", "thirty-six months")
    found = [replace(q, text=written[q.start : q.end]) if q.end >= 0 else q for q in found]
    return sorted(found, key=lambda q: (q.start, q.end))


def _listed_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Three or more whole numbers in a row, each one more than the last ("ECOG performance
    status of 0, 1, or 2", "1, 2 or 3 prior lines"), are also the range from the first to the
    last; each middle value still stands for itself. Times, years and lists given
    "respectively" stay lists."""
    found = sorted(found, key=lambda q: (q.start, q.end))
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        run = [found[i]]
        while i + len(run) < len(found) and _next_in_run(text, run[-1], found[i + len(run)]):
            run.append(found[i + len(run)])
        first, last = run[0], run[-1]
        rest = re.split(r"[.;](?:\s|$)", text[last.end :], maxsplit=1)[0]  # its own sentence
        if len(run) >= 3 and not re.search(r"\brespectively\b", rest, re.I):
            joined = text[first.start : last.end]
            span = f"{first.value}–{last.value}"
            out += [
                replace(q, text=joined, start=first.start, end=last.end, bound="range", span=span)
                for q in (first, last)
            ]
            out += run[1:-1]
            i += len(run)
        else:
            out.append(found[i])
            i += 1
    return out


# Between ratios listed after a hazard ratio: its interval, a subgroup, "and", a comma.
_RATIO_GAP = re.compile(r"[^.;:\d]{0,60}")
# a new statement, not the next subgroup: "The HR was 0.72, and the mean change … was 2.5"
_NEW_STATEMENT = re.compile(
    r"\b(?:was|were|is|are|had|has|have|showed|reached|mean|median|change|score|points?)\b", re.I
)
# two values written as an interval ("0.50–0.83", "0.5 to 0.8"), not as a list
_INTERVAL_TEXT = re.compile(r"–|-|\bto\b")
_INTERVAL_OPEN = re.compile(r"\s*\(\s*(?:9[059]\s?%\s*CI[,:]?\s*)?", re.I)


def _listed_ratios(text: str, found: list[Quantity]) -> list[Quantity]:
    """Bare decimals listed after a hazard ratio are ratios of the same kind: "the HR for OS
    was 0.72 (95% CI, 0.58 to 0.90) in HBV-related, 1.04 (…) in HCV-related and 0.95 (…) in
    non-viral disease"."""
    out = list(found)
    for i, ratio in enumerate(found):
        if ratio.kind != "hr" or ratio.end < 0:
            continue
        reach, listed_at = ratio.end, -1
        for j in range(i + 1, len(out)):
            q = out[j]
            if q.start < reach:
                if (
                    q.start == listed_at
                    and q.kind == "number"
                    and not q.unit
                    and not _INTERVAL_TEXT.search(q.text)  # "0.50–0.83": an interval
                ):
                    out[j] = replace(q, unit=ratio.unit, kind="hr")  # "0.83 and 0.91"
                reach = max(reach, q.end)
                continue
            gap = text[reach : q.start]
            if q.kind in ("ci", "ci_level") or _INTERVAL_OPEN.fullmatch(gap):
                reach = max(reach, q.end)  # the ratio's interval
                continue
            if q.unit == "label" and _RATIO_GAP.fullmatch(gap):
                reach = max(reach, q.end)  # a subgroup named by its stage: "in BCLC C and"
                continue
            if (
                q.kind == "number"
                and not q.unit
                and not q.span
                and "." in q.value
                and float(q.value) < 10
                and q.end >= 0
                and _RATIO_GAP.fullmatch(gap)
                and re.search(r",|\band\b|\bvs\b|\bversus\b", gap)
                and not _NEW_STATEMENT.search(gap)
                and not _INTERVAL_TEXT.search(q.text)  # an interval, not a ratio
            ):
                out[j] = replace(q, unit=ratio.unit, kind="hr")
                reach, listed_at = q.end, q.start
                continue
            break
    return out


def _year_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Two years "between 2008 and 2019" are the range 2008–2019, as "from 2008 to 2019" is."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.kind == b.kind == "year"
            and not a.span
            and not b.span
            and a.end >= 0
            and b.end >= 0
            and re.fullmatch(r"\s+and\s+", text[a.end : b.start])
            and re.search(r"\bbetween\s+$", text[max(0, a.start - 20) : a.start], re.I)
        ):
            span, joined = f"{a.value}–{b.value}", text[a.start : b.end]
            out[i], out[i + 1] = (
                replace(q, text=joined, start=a.start, end=b.end, bound="range", span=span)
                for q in (a, b)
            )
    return out


def _next_in_run(text: str, last: Quantity, nxt: Quantity) -> bool:
    """Whether ``nxt`` continues a list of whole numbers that each add one: same kind and
    unit (a unitless number, a count or lines of therapy), listed after ``last``."""
    if (
        nxt.kind != last.kind
        or nxt.unit != last.unit
        or last.kind not in ("number", "count")
        or nxt.span
        or last.span
        or last.end < 0
        or not (last.value.isdigit() and nxt.value.isdigit())
        or int(nxt.value) != int(last.value) + 1
    ):
        return False
    if nxt.start > last.start:
        return bool(_LISTED.fullmatch(text[last.end : nxt.start]))
    # "0, 1 or 2": the last two were read as a pair
    return bool(re.match(r"\d+,?\s+(?:or|and)\s+\d+\b", last.text))
