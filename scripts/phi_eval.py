"""Measure the PHI guard and write docs/PHI.md.

    .venv/bin/python scripts/phi_eval.py

Recall per identifier kind and the false-alarm rate on clinical sentences without identifiers,
on the labelled set (tests/data/phi_labelled.jsonl, the set the regression test asserts on) and
on a held-out set written after the guard was built (tests/data/phi_heldout.jsonl); the load
time and memory of the name lexicon; the warm latency per string.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from rag.checks.phi import find_phi  # noqa: E402
from rag.evaluation.phi import (  # noqa: E402
    PhiScore,
    guideline_sentences,
    load_labelled,
    score_phi,
)

KINDS = (
    "PERSON", "PHONE", "ADDRESS", "POSTCODE", "RECORD_NUMBER", "NATIONAL_ID", "DATE_OF_BIRTH",
    "DATE", "EMAIL",
)  # fmt: skip
TARGET_RECALL = 0.97
TARGET_FALSE_ALARMS = 0.02


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} CPU cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"


def table(name: str, score: PhiScore) -> list[str]:
    lines = [
        f"### {name}",
        "",
        "| identifier kind | caught | of | recall |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind in KINDS:
        if score.total.get(kind):
            lines.append(
                f"| {kind} | {score.caught.get(kind, 0)} | {score.total[kind]} "
                f"| {score.recall_of(kind):.3f} |"
            )
    caught = sum(score.caught.values())
    lines += [
        f"| **all identifiers** | {caught} | {sum(score.total.values())} "
        f"| **{score.recall:.3f}** |",
        "",
        f"False alarms: **{len(score.false_alarms)} of {score.clean_texts}** clinical sentences "
        f"without identifiers (**{score.false_alarm_rate:.1%}**).",
        "",
    ]
    if score.misses:
        lines += ["Missed:", ""]
        lines += [f"- {m.kind} `{m.identifier}` in `{m.text}`" for m in score.misses]
        lines.append("")
    if score.false_alarms:
        lines += ["False alarms:", ""]
        lines += [f"- `{text}`" for text in score.false_alarms]
        lines.append("")
    return lines


def main() -> None:
    process = psutil.Process()
    rss_before = process.memory_info().rss
    start = time.perf_counter()
    from rag.checks.phi import warm_up

    warm_up()
    load_s = time.perf_counter() - start
    rss_mb = (process.memory_info().rss - rss_before) / 2**20
    labelled = load_labelled(PROJECT / "tests" / "data" / "phi_labelled.jsonl")
    heldout = load_labelled(PROJECT / "tests" / "data" / "phi_heldout.jsonl")
    main_score = score_phi(labelled)
    held_score = score_phi(heldout)
    latencies = sorted(main_score.latencies_ms + held_score.latencies_ms)
    corpus = guideline_sentences(PROJECT / "guideline_corpus")
    corpus_alarms = [s for s in corpus if find_phi(s)]
    met = main_score.recall >= TARGET_RECALL and main_score.false_alarm_rate <= TARGET_FALSE_ALARMS
    lines = [
        "# PHI guard: measured figures",
        "",
        "Written by `scripts/phi_eval.py`; run it again to refresh. "
        "`tests/test_phi_guard.py` asserts the targets on the same labelled set.",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Targets: recall ≥ {TARGET_RECALL} on identifiers, false alarms ≤ "
        f"{TARGET_FALSE_ALARMS:.0%} of clinical sentences. "
        f"Labelled set: **{'met' if met else 'NOT MET'}**.",
        "",
        "An identifier counts as caught when every letter and digit of it is covered by a "
        "finding of any kind, so that redaction leaves nothing of it. A clinical sentence is a "
        "false alarm when anything in it is flagged.",
        "",
        "## Sets",
        "",
        f"- `tests/data/phi_labelled.jsonl`: {sum(1 for i in labelled if i.spans)} strings "
        f"with {sum(main_score.total.values())} identifiers, typed the way clinicians type them "
        "(bare names, names in capitals, with and without titles, 'Surname, Forename', "
        "initials, lower case; Hispanic, Arabic, South and East Asian, Slavic, African, "
        "Nordic and other naming styles; US, UK and European phone formats; addresses in "
        "several countries; MRN, NHS, CHI and hospital numbers; national IDs; dates of birth "
        f"and other dates; e-mails; postcodes), and {main_score.clean_texts} clinical "
        "sentences with none, full of eponyms, trial and drug names, staging, scores, doses, "
        "citations and numbers that look like phone numbers or dates. The guard was developed "
        "against this set: its figures are training figures.",
        f"- `tests/data/phi_heldout.jsonl`: {sum(1 for i in heldout if i.spans)} strings with "
        f"identifiers and {held_score.clean_texts} clinical sentences, written after the guard "
        "was built. Its first run, before any change: recall 0.969 (94 of 97), false alarms "
        "2 of 79 (2.5%: a citation's page range read as a phone number, a journal abbreviation "
        "read as a name). Those two general faults were then fixed, so the figures below are no "
        "longer blind.",
        "",
        "## Results",
        "",
        *table("Labelled set (regression guard)", main_score),
        *table("Held-out set (after the fixes above)", held_score),
        "### Real guideline prose",
        "",
        f"Sentences of the bundled guideline corpus flagged: **{len(corpus_alarms)} of "
        f"{len(corpus)}**"
        + (": " + "; ".join(f"`{s[:80]}`" for s in corpus_alarms) if corpus_alarms else ".")
        + " (Before function words were barred from names, 4 were: 'The Task Force', "
        "'An LLM'.)",
        "",
        "## Cost",
        "",
        f"- Load (name lexicon, word list, phone metadata), once per process: {load_s:.2f} s, "
        f"{rss_mb:.0f} MB resident.",
        f"- Warm latency per string: median {statistics_ms(latencies, 0.5):.2f} ms, "
        f"p95 {statistics_ms(latencies, 0.95):.2f} ms, max {latencies[-1]:.2f} ms "
        f"({len(latencies)} strings).",
        "",
        "## How it works, and what was tried",
        "",
        "- Names: Faker's per-locale given and family name lists (Latin-script and romanised, "
        "about 45,000 words) as a lexicon; a run of capitalised words counts as a name when one "
        "of them is a listed name, or when unlisted words that are no English word are followed "
        "by an age or sex ('Abebe Bekele 61'), or after a title (Mr, Mrs, Dr, Sra., Herr, Mme…) "
        "or a patient cue (patient, pt, re, name:, son, daughter…); 'SURNAME, Forename', "
        "initials ('J. Smith') and lower-case given name + family name are recognised too. "
        "`rag/checks/phi_terms.txt` lists eponyms, institutions, trial and product names and "
        "everyday words that are also names; Webster's word list (`english-words`) tells "
        "everyday words from names where capitals give no cue (text typed in capitals).",
        "- Phones: libphonenumber (`phonenumbers`) validates candidates for 13 countries and "
        "any number written with its country code; trial registry, PMID and DOI numbers, year "
        "ranges and citation page ranges are not phones.",
        "- Record numbers, national IDs and dates of birth are recognised by their label in "
        "English and other languages; dates, e-mails, street addresses (English and continental "
        "forms) and postcodes (UK areas, US states, Canada, continental 'NNNNN City') by form.",
        "- The previous guard (regular expressions for titled names and US/UK forms) measured "
        "recall 0.350 and 0.4% false alarms on the labelled set.",
        "- `names-dataset` 3.3.1 (730k given, 980k family names) was measured as a name source: "
        "25.6 s to load and 1.9 GB resident on this machine, too heavy for a check that runs "
        "on every question, and it lists clinical words ('Stage', 'Grade', 'Whipple', "
        "'Hodgkin') as names.",
        "- Microsoft Presidio (`presidio-analyzer` 2.2.366) was measured with its pattern "
        "recognisers on a blank spaCy pipeline (its PERSON recogniser needs a spaCy NER model, "
        "which no reachable registry ships): recall 0.244 and 61 of 692 false alarms (8.8%) on "
        "the labelled set, 12 ms median per string, 6.0 s to load, and it tried to download "
        "the public suffix list at run time. Its phone recogniser is libphonenumber, used here "
        "directly.",
        "",
        "## Known gaps",
        "",
        "- Names made only of unlisted words with no title, cue or age next to them "
        "('Bogumiła Wrzosek nausea on cisplatin'); names that are everyday words or eponyms "
        "('Grace Hope', 'Tom', 'Hashimoto Kenta'); single-word street names ('52 Kingsway').",
        "- Cities and countries on their own are not flagged; ages are not flagged.",
        "- Over-flagging by design: authors' names outside the 'Surname INITIALS, et al.' form "
        "('Authors: A. Cervantes, R. Adam') and full dates in guideline prose ('Received "
        "15 March 2022') are flagged like a patient's, so a saved answer quoting them is "
        "redacted unless the clinician overrides for that record.",
        "- The guard flags and redacts; it cannot prove a text holds no identifier. The "
        "clinician still reads what is saved.",
    ]
    out = PROJECT / "docs" / "PHI.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"wrote {out}: recall {main_score.recall:.3f}, false alarms "
        f"{main_score.false_alarm_rate:.1%}, held-out recall {held_score.recall:.3f}, "
        f"false alarms {held_score.false_alarm_rate:.1%}"
    )


def statistics_ms(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


if __name__ == "__main__":
    main()
