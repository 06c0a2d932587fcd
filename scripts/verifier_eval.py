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
- tests/data/verifier_claims_heldout3.jsonl: a third held-out set (a synthetic prostate
  guideline with running headers, reference numbers and table rows), committed before the
  verifier was run on it; its first (blind) run is recorded below as it came out.
- tests/data/verifier_claims_heldout4.jsonl: a fourth held-out set (a synthetic triple-negative
  breast cancer systemic-therapy guideline), committed before the verifier was run on it and not
  tuned on: its figures are a first blind run.
- tests/data/verifier_claims_heldout5.jsonl: a fifth held-out set (a synthetic melanoma
  treatment summary written the way a health-professional treatment summary and a clinical
  practice guideline read after a PDF-to-text export), committed before the verifier was run on
  it: its figures are a first blind run.
- tests/data/verifier_claims_heldout6.jsonl to _heldout18.jsonl: thirteen more held-out sets
  (renal cell, lymphoma, myeloma, ovarian, urothelial, hepatocellular, head and neck,
  pancreatic, glioma, AML and CAR T-cell toxicities, a CLL drug label, a gynaecological
  radiotherapy consensus, a saved web page of an SCLC protocol), each committed unrun; their
  first runs are kept below.
- tests/data/relevance_cases.jsonl: labelled question-answer pairs for the "answers the
  question asked" check.
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
from rag.evaluation.claims import (  # noqa: E402
    ClaimScore,
    LabelledItem,
    load_items,
    load_relevance_cases,
    score_claims,
    score_relevance,
    verbatim_sentences_flagged,
)
from rag.evaluation.evaluate import load_gold, load_labelled_claims, score_verifier  # noqa: E402
from rag.ingest.webpage import read_html  # noqa: E402

KINDS = ("number", "moved", "unit", "entity", "polarity", "grade")

# The third held-out set's first run, on the verifier as it was when the set was committed
# (commit "Blind third held-out claim set ..."), before any rule was changed: copied here as it
# came out, since later runs cannot reproduce it.
FIRST_BLIND_RUN = [
    "| first blind run (heldout3) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.84 (47/56) "
    "| 0.84 (47/56) |",
    "| **true claims flagged** (false alarms) | 0.30 (13/44) | 0.25 (11/44) |",
    "| all wrong claims flagged | 0.82 (56/68) | 0.82 (56/68) |",
    "| mean verification time per claim | 83 ms | 36 ms |",
    "| labelled passage not among the top 5 retrieved (added) | 14 | 14 |",
]

# The fourth held-out set's first run, on the verifier as it was when the set was committed
# (commit "Blind fourth held-out claim set ..."), with no rule changed: copied here as it came
# out, so that it stays on record if the verifier is later tuned on this set.
FIRST_BLIND_RUN4 = [
    "| first blind run (heldout4) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.84 (36/43) "
    "| 0.84 (36/43) |",
    "| **true claims flagged** (false alarms) | 0.28 (11/39) | 0.28 (11/39) |",
    "| all wrong claims flagged | 0.80 (44/55) | 0.80 (44/55) |",
    "| mean verification time per claim | 62 ms | 55 ms |",
    "| labelled passage not among the top 5 retrieved (added) | 24 | 24 |",
]

# The fifth held-out set's first run (commit "Blind fifth held-out claim set ...: blind set 5,
# not run yet"), on the verifier as it was then: filled in from that run's output and kept, so
# that it stays on record once the verifier is tuned on this set.
FIRST_BLIND_RUN5 = [
    "| first blind run (heldout5) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.91 (60/66) "
    "| 0.91 (60/66) |",
    "| **true claims flagged** (false alarms) | 0.21 (16/75) | 0.21 (16/75) |",
    "| true claims flagged: verbatim sentences or clauses | 0.00 (0/33) | 0.00 (0/33) |",
    "| true claims flagged: paraphrases | 0.38 (16/42) | 0.38 (16/42) |",
    "| all wrong claims flagged | 0.83 (68/82) | 0.82 (67/82) |",
    "| wrong claims flagged: number | 1.00 (27/27) | 1.00 (27/27) |",
    "| wrong claims flagged: moved | 0.82 (18/22) | 0.82 (18/22) |",
    "| wrong claims flagged: unit | 0.90 (9/10) | 0.90 (9/10) |",
    "| wrong claims flagged: entity | 0.86 (6/7) | 0.86 (6/7) |",
    "| wrong claims flagged: polarity | 0.60 (6/10) | 0.50 (5/10) |",
    "| wrong claims flagged: grade | 0.33 (2/6) | 0.33 (2/6) |",
    "| mean verification time per claim | 99 ms | 90 ms |",
    "| labelled passage not among the top 5 retrieved (added) | 34 | 34 |",
]
FIFTH_SET_READING = [
    "Below the targets on both counts, as every first blind run so far. Every false alarm is "
    "a paraphrase (16 of 42 paraphrased true claims flagged; none of the 33 verbatim "
    "sentences or clauses). Kinds of false alarm: results given 'respectively' or 'A and B' "
    "restated with the arms named ('88.1% with pembrolizumab and 82.2% with placebo', "
    "'11.5 months with the combination, 6.9 months with nivolumab alone ...'), judged "
    "contradicted or in another context (12); a CI written '0.42 to 0.61' for '0.42–0.61'; "
    "a list item's range restated ('between 1.01 and 2.0 mm thick, the margins are 1 to 2 "
    "cm'); 'had to be no more than 3 × ULN' read as a negation "
    "(polarity contradicted); an HR sentence only weakly supported. Kinds of miss: grades of "
    "recommendation in square brackets are not compared (4 of 6: '[I, A]' for '[I, B]', "
    "'[III, B]' for '[I, B]', '[II, B]' for '[II, A]', '[I, A]' for '[III, B]'); "
    "'significantly improved' where the passage says the difference was not significant "
    "(2); 'delayed surgery' where it says surgery was not delayed; a preference reversed "
    "('BRAF plus MEK inhibitors are preferred over immunotherapy'); unmarked only, 'ipilimumab "
    "10 mg/kg is recommended' where the passage says it is not; schedules swapped between two "
    "drugs (once and twice daily for dabrafenib and trametinib); a dose moved from the "
    "monotherapy arm to the combination (encorafenib 300 mg); a margin moved from one stage's "
    "list item to another's; a table row's duration taken from another row ('up to 1 year'); "
    "a unit changed to one that appears beside the same number nearby ('1-mm margins' beside "
    "'1.0 mm thick'); the right number for the wrong endpoint (pyrexia 63% given as grade 3 "
    "or 4 adverse events). Adding this document to the corpus changed the other sets' "
    "figures in one place: a heldout3 wrong claim (abiraterone with prednisone 5 mg twice "
    "daily) missed unmarked without it is flagged with it (0.95 to 0.96 wrong-number, "
    "unmarked), and the tune set's retrieval misses went from 10 to 8; one heldout4 false "
    "alarm changed verdict (unsupported to contradicted). The verbatim-sentence check below "
    "now covers this document too: on its first run two of its passages were flagged, cited, "
    "both where a reference number follows the full stop ('the reverse sequence.[12] The "
    "2-year OS rate ...', '... up to four doses.[13] Before TIL infusion ...'): the two "
    "sentences are judged as one.",
]
# The sixth held-out set's first run (commit "blind set 6 (renal cell carcinoma), not run yet",
# written by a helper who never ran the verifier), on the verifier of commit ee4cdaf (the fifth
# set's kinds fixed): kept as it came out, since the verifier was then fixed on this set's
# failure kinds. Time per claim was not recorded for that run.
FIRST_BLIND_RUN6 = [
    "| first blind run (heldout6) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.89 (80/90) "
    "| 0.89 (80/90) |",
    "| **true claims flagged** (false alarms) | 0.09 (7/79) | 0.08 (6/79) |",
    "| true claims flagged: verbatim sentences or clauses | 0.00 (0/40) | 0.00 (0/40) |",
    "| true claims flagged: paraphrases | 0.18 (7/39) | 0.15 (6/39) |",
    "| all wrong claims flagged | 0.82 (88/107) | 0.83 (89/107) |",
    "| wrong claims flagged: number | 0.98 (46/47) | 0.98 (46/47) |",
    "| wrong claims flagged: moved | 0.75 (15/20) | 0.75 (15/20) |",
    "| wrong claims flagged: unit | 0.92 (11/12) | 0.92 (11/12) |",
    "| wrong claims flagged: entity | 0.73 (8/11) | 0.73 (8/11) |",
    "| wrong claims flagged: polarity | 0.55 (6/11) | 0.64 (7/11) |",
    "| wrong claims flagged: grade | 0.33 (2/6) | 0.33 (2/6) |",
]
SIXTH_SET_READING = [
    "Closer to the targets than any first blind run before it, still below them. No verbatim "
    "sentence was flagged; the false alarms were paraphrases: a dose option read as a weaker "
    "recommendation ('can be given as 400 mg every six weeks'); 'a VEGF TKI not given before' "
    "read as advice against; a trial named in the claim but not in its passage chunk "
    "('RENAL-ADJ-21'); three-arm results given 'in the three arms' restated per arm; an "
    "alternative dose of a table row ('240 mg every 2 weeks or 480 mg every 4 weeks'); a "
    "performance status written '0–1' for '0 or 1' and 'no more than 12 weeks' read as a "
    "minimum; one claim whose labelled chunk was chosen wrongly by the harness (fixed: the chunk "
    "of the labelled section is now chosen by shared words and numbers). Misses: ASCO-style "
    "strength and evidence quality ('Strength of recommendation: weak', 'evidence of "
    "intermediate quality') not compared; 'grade 1 or 3' for 'grade 1 or 2'; 'significantly "
    "improved' where the passage says neither drug improved DFS, or the CI holds 1; 'improved "
    "OS' where OS did not differ; 'were eligible' where such patients were excluded; a CI "
    "moved to another estimate; an HR of OS given as the HR for progression; a unit changed to "
    "mg/dL (read as mg); values of a bare list ('The ORR was 71.0%, 53.5% and 36.1%') swapped "
    "between arms; a regimen's duration given to its other drug. Each kind was then fixed in "
    "general and tested (tests/test_verify.py); the heldout6 columns above are after that, so "
    "no longer blind.",
]
# The seventh held-out set's first run (commit "blind set 7 (diffuse large B-cell lymphoma),
# not run yet"), on the verifier of commit 5624a86 (the sixth set's kinds fixed): copied here
# as it came out. Time per claim was not recorded for that run.
FIRST_BLIND_RUN7 = [
    "| first blind run (heldout7) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.94 (79/84) "
    "| 0.94 (79/84) |",
    "| **true claims flagged** (false alarms) | 0.23 (19/81) | 0.23 (19/81) |",
    "| true claims flagged: verbatim sentences or clauses | 0.00 (0/42) | 0.00 (0/42) |",
    "| true claims flagged: paraphrases | 0.49 (19/39) | 0.49 (19/39) |",
    "| all wrong claims flagged | 0.88 (92/104) | 0.88 (92/104) |",
    "| wrong claims flagged: number | 1.00 (44/44) | 1.00 (44/44) |",
    "| wrong claims flagged: moved | 0.90 (19/21) | 0.90 (19/21) |",
    "| wrong claims flagged: unit | 1.00 (11/11) | 1.00 (11/11) |",
    "| wrong claims flagged: entity | 0.62 (5/8) | 0.62 (5/8) |",
    "| wrong claims flagged: polarity | 0.64 (7/11) | 0.64 (7/11) |",
    "| wrong claims flagged: grade | 0.67 (6/9) | 0.67 (6/9) |",
]
SEVENTH_SET_READING = [
    "Split by how the claim is written, the blind figure says two different things. On "
    "sentences copied from the document (42 true) and the same sentences with one number "
    "changed (44 wrong), the verifier met both targets: no verbatim sentence flagged, every "
    "changed number flagged. On paraphrases it did not: 19 of 39 true paraphrases were "
    "flagged. Kinds of false alarm: results restated per arm where the passage names the arms "
    "by a regimen's short name ('pola-R-CHP', 'R-CHOP alone') or in another sentence; a value "
    "and its words bound to another value ('raised 5-year OS from 45% to 58%', 'Grade 3 or worse "
    "atrial fibrillation in 2.8% ... versus 0.4% on placebo'); a table row judged 'another "
    "row' ('ECOG performance status of 2 or more' in the IPI table); a derived number not in "
    "the source ('reduced the risk by 29%' for HR 0.71, labelled true by the set's writer); "
    "'an AUC of 5' and '1.5 to 3 times the ULN' not read as values (both parser gaps, fixed "
    "after this run); step-up doses restated ('from 2.5 mg on day 8 to 10 mg on day 15'); "
    "an HR written 'hazard ratio 0.73' against '(HR 0.73'; similarity too low for a "
    "reworded recommendation ('weakly supported'). Misses: a rearrangement named wrongly "
    "(BCL6 for BCL2), 'needed even when PET-CT shows no uptake' where it is not needed, a "
    "non-inferiority result turned round, 'recommended outside clinical trials' where it is "
    "not, a status changed from 'under clinical evaluation' to 'standard' (3), a moved cycle "
    "count. The heldout7 columns above are after the two parser fixes only; no other rule was "
    "made with this set.",
]
# The eighth held-out set's first run (commit "blind set 8 (multiple myeloma), not run yet"),
# on the verifier of commit 57311fa: copied here as it came out.
FIRST_BLIND_RUN8 = [
    "| first blind run (heldout8) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.86 (76/88) "
    "| 0.86 (76/88) |",
    "| **true claims flagged** (false alarms) | 0.20 (19/96) | 0.19 (18/96) |",
    "| true claims flagged: verbatim sentences or clauses | 0.00 (0/51) | 0.00 (0/51) |",
    "| true claims flagged: paraphrases | 0.42 (19/45) | 0.40 (18/45) |",
    "| all wrong claims flagged | 0.81 (95/117) | 0.81 (95/117) |",
    "| wrong claims flagged: number | 0.98 (45/46) | 0.98 (45/46) |",
    "| wrong claims flagged: moved | 0.79 (15/19) | 0.79 (15/19) |",
    "| wrong claims flagged: unit | 0.92 (12/13) | 0.92 (12/13) |",
    "| wrong claims flagged: entity | 0.40 (4/10) | 0.40 (4/10) |",
    "| wrong claims flagged: polarity | 0.47 (8/17) | 0.47 (8/17) |",
    "| wrong claims flagged: grade | 0.92 (11/12) | 0.92 (11/12) |",
    "| mean verification time per claim | 147 ms | 86 ms |",
]
EIGHTH_SET_READING = [
    "As on the seventh set, the verifier met both targets on sentences copied from the "
    "document (0 of 51 flagged) and on the same sentences with one number changed (the one "
    "miss: 'after at least four prior lines', where 'lines' was no unit). It did not on "
    "paraphrases (19 of 45 flagged) nor on wrong claims that keep every number: an entity "
    "swapped (creatinine for calcium, one triplet for another, subcutaneous for intravenous), "
    "a value moved to another schedule step or dose level, and polarity written as effect "
    "words rather than 'recommended' ('did not improve PFS' where the CI lies below 1, 'less "
    "frequent' where the risk ratio is 1.27, 'clearly reduced' where the CI holds 1). Fixed "
    "in general after this run, each with a test: 'lines' of therapy and volumes per time "
    "('3 L/day', '100 mL/hour', 'litres a day') as units, 'risk ratio' as RR, an HR named "
    "with words between ('the hazard ratio for death with an anti-CD38 antibody was 0.51'), "
    "'beta-2 microglobulin' as a name, mg/L and kg as units, 'patients over 75' as an age, "
    "a ratio's direction against the claim's words (risk and odds ratios both ways; hazard "
    "ratios only for 'did not improve'), 'clearly/markedly reduced' read as a claim of "
    "significance, glossary lines after 'Abbreviations:', patients described by what they "
    "lack ('not requiring dialysis', 'not candidates for ASCT') read as no negation, 'dose "
    "level' as a unit, myeloma drug names (bortezomib, lenalidomide, venetoclax, melphalan) "
    "recognised as drugs, study-design acronyms (RCT, IQR) not read as names, and values "
    "compared in brackets after two named arms ('(13.6 vs 12.3 months; HR 0.92)') read in "
    "the arms' order. Still open: entity swaps, values "
    "moved between schedule steps, derived figures ('reduced the risk by 59%' for HR 0.41, "
    "labelled true), and recommendations reworded below the similarity threshold. The "
    "heldout8 columns above are after those fixes.",
]
# The ninth held-out set's first run (commit b1b7bc1, "Blind ninth held-out claim set ..."),
# on the verifier of commit d310cd0: copied here as it came out.
FIRST_BLIND_RUN9 = [
    "| first blind run (heldout9) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.92 (82/89) "
    "| 0.91 (81/89) |",
    "| **true claims flagged** (false alarms) | 0.19 (18/96) | 0.19 (18/96) |",
    "| true claims flagged: verbatim sentences or clauses | 0.00 (0/26) | 0.00 (0/26) |",
    "| true claims flagged: paraphrases | 0.26 (18/70) | 0.26 (18/70) |",
    "| all wrong claims flagged | 0.86 (100/116) | 0.85 (99/116) |",
    "| wrong claims flagged: number | 0.98 (45/46) | 0.98 (45/46) |",
    "| wrong claims flagged: moved | 0.95 (18/19) | 0.89 (17/19) |",
    "| wrong claims flagged: unit | 1.00 (12/12) | 1.00 (12/12) |",
    "| wrong claims flagged: entity | 0.58 (7/12) | 0.58 (7/12) |",
    "| wrong claims flagged: polarity | 0.60 (9/15) | 0.60 (9/15) |",
    "| wrong claims flagged: grade | 0.75 (9/12) | 0.75 (9/12) |",
    "| mean verification time per claim | 57 ms | 54 ms |",
]
NINTH_SET_READING = [
    "The same picture as sets 7 and 8: no verbatim sentence flagged (0 of 26) and one of 46 "
    "one-number changes missed, but 18 of 70 paraphrases flagged, and entity swaps, polarity "
    "and grade changes that keep every number often missed. The changes of the next round "
    "were made with the mistakes of sets 7 and 8 only (a regimen written as its drugs against "
    "its acronym from the document's list of abbreviations; a table cell's label naming two "
    "arms; 'cycles of R-CHOP'; 'years old' as an age; names after 'before' or 'after' left "
    "to that event; a risk reduction in percent read as its ratio; a dose claimed for a drug "
    "the passage never names). Run blind again after them (commit 3896b9d), this set gave "
    "wrong-number claims flagged 0.91 (81/89) cited and 0.88 (78/89) unmarked, true claims "
    "flagged 0.17 (16/96): two fewer false alarms, three more missed moved values unmarked. "
    "Those three misses were then read, which ends this set's blindness: a passage's title "
    "and section path had been allowed to name the claim's drug everywhere, so 'the first "
    "kelaparib dose reduction is to 200 mg' was supported by the renal-impairment passage "
    "whose heading names kelaparib. The heading now counts only for the rule that a dose "
    "needs its drug named; the columns above are after that.",
]
# The tenth held-out set's first run (commit 7469a37, "Blind tenth held-out claim set ..."),
# on the verifier of commit 272f9b9: copied here as it came out.
FIRST_BLIND_RUN10 = [
    "| first blind run (heldout10) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.82 (73/89) "
    "| 0.80 (71/89) |",
    "| **true claims flagged** (false alarms) | 0.25 (24/95) | 0.25 (24/95) |",
    "| true claims flagged: verbatim sentences | 0.00 (0/30) | 0.00 (0/30) |",
    "| true claims flagged: paraphrases | 0.37 (24/65) | 0.37 (24/65) |",
    "| all wrong claims flagged | 0.83 (96/116) | 0.80 (93/116) |",
    "| wrong claims flagged: number | 0.91 (41/45) | 0.89 (40/45) |",
    "| wrong claims flagged: moved | 0.83 (15/18) | 0.83 (15/18) |",
    "| wrong claims flagged: unit | 1.00 (12/12) | 1.00 (12/12) |",
    "| wrong claims flagged: entity | 0.36 (5/14) | 0.29 (4/14) |",
    "| wrong claims flagged: polarity | 0.73 (11/15) | 0.73 (11/15) |",
    "| wrong claims flagged: grade | 1.00 (12/12) | 0.92 (11/12) |",
    "| mean verification time per claim | 108 ms | 86 ms |",
]
# The eleventh held-out set's first run (commit e5e20c1, "Blind eleventh held-out claim set
# ..."), on the verifier of commit 0fb882d: copied here as it came out.
FIRST_BLIND_RUN11 = [
    "| first blind run (heldout11) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.87 (77/89) "
    "| 0.87 (77/89) |",
    "| **true claims flagged** (false alarms) | 0.19 (18/95) | 0.19 (18/95) |",
    "| true claims flagged: verbatim sentences | 0.00 (0/30) | 0.00 (0/30) |",
    "| true claims flagged: paraphrases | 0.28 (18/65) | 0.28 (18/65) |",
    "| all wrong claims flagged | 0.77 (89/116) | 0.77 (89/116) |",
    "| wrong claims flagged: number | 0.98 (44/45) | 0.98 (44/45) |",
    "| wrong claims flagged: moved | 0.94 (17/18) | 0.94 (17/18) |",
    "| wrong claims flagged: unit | 1.00 (12/12) | 1.00 (12/12) |",
    "| wrong claims flagged: entity | 0.29 (4/14) | 0.29 (4/14) |",
    "| wrong claims flagged: polarity | 0.67 (10/15) | 0.67 (10/15) |",
    "| wrong claims flagged: grade | 0.17 (2/12) | 0.17 (2/12) |",
    "| mean verification time per claim | 55 ms | 50 ms |",
]
# The twelfth held-out set's first run (commit e28bc9e, "Blind twelfth held-out claim set
# ..."), on the verifier of commit 2d4762d: copied here as it came out.
FIRST_BLIND_RUN12 = [
    "| first blind run (heldout12) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.87 (77/89) "
    "| 0.87 (77/89) |",
    "| **true claims flagged** (false alarms) | 0.21 (20/95) | 0.21 (20/95) |",
    "| true claims flagged: verbatim sentences | 0.00 (0/30) | 0.00 (0/30) |",
    "| true claims flagged: paraphrases | 0.31 (20/65) | 0.31 (20/65) |",
    "| all wrong claims flagged | 0.80 (93/116) | 0.79 (92/116) |",
    "| wrong claims flagged: number | 1.00 (45/45) | 1.00 (45/45) |",
    "| wrong claims flagged: moved | 0.78 (14/18) | 0.78 (14/18) |",
    "| wrong claims flagged: unit | 0.92 (11/12) | 0.92 (11/12) |",
    "| wrong claims flagged: entity | 0.50 (7/14) | 0.50 (7/14) |",
    "| wrong claims flagged: polarity | 0.67 (10/15) | 0.60 (9/15) |",
    "| wrong claims flagged: grade | 0.50 (6/12) | 0.50 (6/12) |",
    "| mean verification time per claim | 52 ms | 49 ms |",
]
# The thirteenth held-out set's first run (commit 2d9fb02, "blind set 13 (pancreatic
# adenocarcinoma ...), not run yet"), on the verifier of commit 2159587: copied as it came out.
FIRST_BLIND_RUN13 = [
    "| first blind run (heldout13) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.90 (80/89) "
    "| 0.90 (80/89) |",
    "| **true claims flagged** (false alarms) | 0.21 (20/95) | 0.20 (19/95) |",
    "| true claims flagged: verbatim sentences or clauses | 0.08 (2/26) | 0.08 (2/26) |",
    "| true claims flagged: paraphrases | 0.26 (18/69) | 0.25 (17/69) |",
    "| all wrong claims flagged | 0.85 (99/116) | 0.84 (98/116) |",
    "| wrong claims flagged: number | 0.98 (44/45) | 0.98 (44/45) |",
    "| wrong claims flagged: moved | 0.89 (16/18) | 0.89 (16/18) |",
    "| wrong claims flagged: unit | 0.92 (11/12) | 0.92 (11/12) |",
    "| wrong claims flagged: entity | 0.64 (9/14) | 0.64 (9/14) |",
    "| wrong claims flagged: polarity | 0.60 (9/15) | 0.60 (9/15) |",
    "| wrong claims flagged: grade | 0.83 (10/12) | 0.75 (9/12) |",
    "| mean verification time per claim | 80 ms | 90 ms |",
]
# The fourteenth held-out set's first run (commit 88b1ce4, "blind held-out set 14 (synthetic
# adult diffuse glioma ...), committed unrun"), on the verifier of commit 945394f: copied as it
# came out.
FIRST_BLIND_RUN14 = [
    "| first blind run (heldout14) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.89 (84/94) "
    "| 0.88 (83/94) |",
    "| **true claims flagged** (false alarms) | 0.18 (18/98) | 0.17 (17/98) |",
    "| true claims flagged: verbatim sentences or lines | 0.00 (0/25) | 0.00 (0/25) |",
    "| true claims flagged: paraphrases | 0.25 (18/73) | 0.23 (17/73) |",
    "| all wrong claims flagged | 0.88 (108/123) | 0.86 (106/123) |",
    "| wrong claims flagged: number | 0.98 (46/47) | 0.98 (46/47) |",
    "| wrong claims flagged: moved | 1.00 (19/19) | 0.95 (18/19) |",
    "| wrong claims flagged: unit | 0.92 (12/13) | 0.92 (12/13) |",
    "| wrong claims flagged: entity | 0.47 (7/15) | 0.47 (7/15) |",
    "| wrong claims flagged: polarity | 0.69 (11/16) | 0.62 (10/16) |",
    "| wrong claims flagged: grade | 1.00 (13/13) | 1.00 (13/13) |",
    "| mean verification time per claim | 61 ms | 55 ms |",
]
# The fifteenth held-out set's first run (commit 41321f6, "blind held-out set 15 (synthetic
# adult AML and CAR T-cell toxicity guideline ...), committed unrun"), on the verifier of commit
# 9f99c71: copied as it came out.
FIRST_BLIND_RUN15 = [
    "| first blind run (heldout15) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.85 (78/92) "
    "| 0.85 (78/92) |",
    "| **true claims flagged** (false alarms) | 0.15 (15/97) | 0.15 (15/97) |",
    "| true claims flagged: verbatim sentences or lines | 0.00 (0/28) | 0.00 (0/28) |",
    "| true claims flagged: paraphrases | 0.22 (15/69) | 0.22 (15/69) |",
    "| all wrong claims flagged | 0.87 (105/121) | 0.86 (104/121) |",
    "| wrong claims flagged: number | 1.00 (46/46) | 1.00 (46/46) |",
    "| wrong claims flagged: moved | 0.78 (14/18) | 0.78 (14/18) |",
    "| wrong claims flagged: unit | 1.00 (13/13) | 1.00 (13/13) |",
    "| wrong claims flagged: entity | 0.33 (5/15) | 0.33 (5/15) |",
    "| wrong claims flagged: polarity | 0.88 (14/16) | 0.88 (14/16) |",
    "| wrong claims flagged: grade | 1.00 (13/13) | 0.92 (12/13) |",
    "| mean verification time per claim | 95 ms | 87 ms |",
]
# The sixteenth held-out set's first run (commit bda2787, "Blind claim set 16: a synthetic drug
# label ...", committed unrun), on the verifier of commit 4712ccf: copied as it came out.
FIRST_BLIND_RUN16 = [
    "| first blind run (heldout16) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.92 (84/91) "
    "| 0.88 (80/91) |",
    "| **true claims flagged** (false alarms) | 0.27 (27/100) | 0.26 (26/100) |",
    "| true claims flagged: verbatim sentences or lines | 0.00 (0/27) | 0.00 (0/27) |",
    "| true claims flagged: paraphrases | 0.37 (27/73) | 0.36 (26/73) |",
    "| all wrong claims flagged | 0.85 (103/121) | 0.82 (99/121) |",
    "| wrong claims flagged: number | 1.00 (45/45) | 0.98 (44/45) |",
    "| wrong claims flagged: moved | 1.00 (18/18) | 0.89 (16/18) |",
    "| wrong claims flagged: unit | 1.00 (13/13) | 1.00 (13/13) |",
    "| wrong claims flagged: entity | 0.53 (8/15) | 0.47 (7/15) |",
    "| wrong claims flagged: polarity | 0.47 (8/17) | 0.47 (8/17) |",
    "| wrong claims flagged: grade | 0.85 (11/13) | 0.85 (11/13) |",
    "| mean verification time per claim | 58 ms | 52 ms |",
]
# The seventeenth held-out set's first run (commit d536b87, "tests: blind claim set 17 ...",
# committed unrun), on the verifier of commit 27f21d3: copied as it came out.
FIRST_BLIND_RUN17 = [
    "| first blind run (heldout17) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.85 (77/91) "
    "| 0.84 (76/91) |",
    "| **true claims flagged** (false alarms) | 0.19 (19/99) | 0.18 (18/99) |",
    "| true claims flagged: verbatim sentences or lines | 0.00 (0/27) | 0.00 (0/27) |",
    "| true claims flagged: paraphrases | 0.26 (19/72) | 0.25 (18/72) |",
    "| all wrong claims flagged | 0.82 (98/120) | 0.81 (97/120) |",
    "| wrong claims flagged: number | 0.98 (44/45) | 0.98 (44/45) |",
    "| wrong claims flagged: moved | 0.78 (14/18) | 0.78 (14/18) |",
    "| wrong claims flagged: unit | 0.92 (12/13) | 0.92 (12/13) |",
    "| wrong claims flagged: entity | 0.47 (7/15) | 0.40 (6/15) |",
    "| wrong claims flagged: polarity | 0.81 (13/16) | 0.81 (13/16) |",
    "| wrong claims flagged: grade | 0.62 (8/13) | 0.62 (8/13) |",
    "| mean verification time per claim | 53 ms | 48 ms |",
]
SEVENTEENTH_SET_READING = [
    "No copied line was flagged (0 of 27), but one one-number change passed ('50.4 Gy in 25 "
    "fractions' against '50.4 Gy/28 fr', a fraction count written 'fr') and 19 of 72 "
    "paraphrases were flagged. Two changes made from the earlier sets only ('(2.3, 7)', a "
    "label's cross-reference, read with the sentence before it; 'need not avoid' as the "
    "opposite of advice to avoid) left its figures as they were. Its mistakes were then read, "
    "which ends its blindness. Changes made from them (the heldout17 columns of the first "
    "table are after them): a text or Markdown export loses its running headers and footers "
    "('Gynaecological RT consensus — page 9', 'Version 3.1 · March 2026', 'Page 7 of 41') as "
    "the PDF reader already did; a glossary written as a list ('- CRT — chemoradiotherapy') "
    "is read; a condition is no advice against ('provided it does not delay CRT', while a "
    "limit such as 'should not exceed 50 days' stays one), and 'unless it is contraindicated' "
    "is the usual proviso; '50.4 Gy/28 fr', "
    "'five fractions per week', 'five times a week', 'three times a day' and 'two HDR "
    "fractions' are read as schedules and counts; 'Level of evidence 2b; strength: weak' is "
    "a level and a strength, and a claim's 'grade A' is the 'A' of '[I, A]'; a column headed "
    "'HR (95% CI)' reads its cells as hazard ratios with intervals; a trial named in capitals "
    "without digits ('LUMEN-CX') is one name and owns no value; a FIGO stage range ('IB3–IVA', "
    "'I–II') names nothing; a time after a list of drugs ('carboplatin and paclitaxel for six "
    "weeks') is the list's; arms the text calls groups ('the CRT group', 'the RT group') are "
    "told apart though one name holds the other; and a constraint table's rows share their "
    "measure ('D2cm³') but not their organ, and a value claimed under another column of its "
    "row ('the planning aim is below 75%' where 75% is the limit) is flagged. A separate "
    "helper then attacked these rules and another reviewed them; what they found was fixed "
    "with a test each: a limit's opposite ('should exceed 56 days') passed, a condition "
    "without a subject ('If pregnant do not use') hid advice, a drug class ('EGFR-TKI') and "
    "a decimal ('1.5 times a day') were misread, a list's number ('2.') joined the claim "
    "before it, a muscle's 'strength was weak' read as a grade, repeated lines that are "
    "content ('Not recommended.', 'Strong consensus', a grading line, a table's continued "
    "caption) were dropped as furniture, and one subject given two stances in the other "
    "order ('is not required but may be given') read as a flip.",
]
# The eighteenth held-out set's first run (commit dab09c3, "tests: blind claim set 18 ...",
# committed unrun), on the verifier of commit 5787684: copied as it came out.
FIRST_BLIND_RUN18 = [
    "| first blind run (heldout18) | cited | unmarked |",
    "|---|---|---|",
    "| **wrong-number claims flagged** (number, moved, unit, entity) | 0.93 (85/91) "
    "| 0.91 (83/91) |",
    "| **true claims flagged** (false alarms) | 0.20 (20/100) | 0.20 (20/100) |",
    "| true claims flagged: verbatim sentences or lines | 0.00 (0/25) | 0.00 (0/25) |",
    "| true claims flagged: paraphrases | 0.27 (20/75) | 0.27 (20/75) |",
    "| all wrong claims flagged | 0.93 (111/120) | 0.90 (108/120) |",
    "| wrong claims flagged: number | 1.00 (45/45) | 0.98 (44/45) |",
    "| wrong claims flagged: moved | 0.94 (17/18) | 0.89 (16/18) |",
    "| wrong claims flagged: unit | 1.00 (13/13) | 1.00 (13/13) |",
    "| wrong claims flagged: entity | 0.67 (10/15) | 0.67 (10/15) |",
    "| wrong claims flagged: polarity | 0.81 (13/16) | 0.81 (13/16) |",
    "| wrong claims flagged: grade | 1.00 (13/13) | 0.92 (12/13) |",
    "| mean verification time per claim | 65 ms | 59 ms |",
]
EIGHTEENTH_SET_READING = [
    "No copied line was flagged (0 of 25) and 45 of 45 one-number changes were caught when "
    "cited (44 unmarked), but 20 of 75 paraphrases were flagged and 5 of 15 wrong entities "
    "passed. Its mistakes were then read, which ends its blindness. Changes made from them "
    "(the heldout18 columns of the first table are after them): a saved web page's "
    "superscripts are read as a footnote's letter ('Delay 1 week<sup>a</sup>' is '1 week^a', "
    "no longer '1 weeka'), a reference ('care<sup>2,3</sup>' is 'care [2,3]'), an isotope "
    "('<sup>177</sup>Lu') or part of a unit ('mg/m<sup>2</sup>', '10<sup>9</sup>/L'); a "
    "'Grade' column's range ('Grade: 3–4') is grade 3–4, and a claim's range of grades that "
    "ends elsewhere than the passage's range from the same grade ('grade 1–3' where the row "
    "says 'Grade: 1–2') is flagged; a condition that the section's own heading "
    "states ('8.1 Relapse 6 months or more after first-line therapy') supports a claim that "
    "states it of the heading's subject, with its bound (a time, an age or a laboratory "
    "limit; never a dose, a share or a count); a median "
    "or an interval's end 'not reached' is no negation (a significance or a maximum tolerated "
    "dose 'not reached' still is); a group described by a relative clause ('whose plan cannot "
    "meet dose constraints', 'who do not have brain metastases') is no stance, but the same "
    "group described the other way is a flip; an item of a ranked list is found by the "
    "claim's values as well as its words ('66 Gy in 33 fractions is preferred' where 66 Gy "
    "in 33 is 'Other recommended (category 2A)'), and an item that shares no value with the "
    "claim is not the one it names; '33 once-daily fractions' is 33 fractions; 'above 1.5 "
    "and up to 3 times the ULN' is the range 1.5–3 × ULN where it reads as one (low to "
    "high); a dose's bound after its frequency ('prednisolone 10 mg daily or less') is the "
    "dose's; a table's next cell is no partner of the value before it; 'insufficient "
    "evidence to recommend X' recommends nothing, and a claim that restates a whole short "
    "statement with more words is judged on that statement's stance. A separate reviewer "
    "and an attacker then read these rules; what they found (a heading's value claimed for "
    "another drug, test or use; 'not reached' of an endpoint; 'whose tumours are RAS-mutant "
    "do not benefit' read without its negation; bounds merged that make no range; grade "
    "ranges read by their lower grade only; a replaced drug's 'should be switched to' read "
    "as no stance, later taken out) was closed with a test each. A final read found four "
    "more (advice inside a 'whose' clause, 'whose use is not recommended', read as a group; "
    "'not reached' after a comma or in the clause after a median taken for an estimate; a "
    "passage that describes a group both ways read as contradicting each; a heading's share "
    "or its generic words taken as a condition), each closed with a test.",
]
SIXTEENTH_SET_READING = [
    "No copied line was flagged (0 of 27) and every one-number change was caught (45 of 45); "
    "but 27 of 73 paraphrases were flagged, the most of any first run since the fifth: the "
    "label's tables were laid out in ways no earlier set used. A change made from the earlier "
    "sets only (a contrast, 'grade 3, not grade 4', read as no negation; later taken out) left "
    "its figures as they were. Its mistakes were then read, which ends its blindness. Changes "
    "made from them (the heldout16 columns of the first table are after them, and after the "
    "review, attack and final read below): at ingest, an arm header spanning two columns "
    "named on a second header line ('Drug (N = 240) Grade 3 or 4 (%)'), a first cell left "
    "empty under the row above (that row's label again), a '(95% CI)' line joined to the row "
    "above, and a row that heads the rows under it ('Overall survival', 'Vascular "
    "disorders') said at the end of each of them; in reading, 'n (%)' cells ('225 (93.4)') "
    "as a share and its count, a '(95% CI)' row's cells ('0.42 (0.28, 0.63)', 'NR (55, 79)') "
    "as a value and its interval, an arm's size '(N = 240)' left out of its cells, a unit in "
    "a column header with a footnote mark ('Recommended Dosage (mg)^a: 80 twice daily'), '95% "
    "CI: 28.1, 41.0' as an interval, 'CLcr' as creatinine clearance, a section that says only "
    "'None.' under '4 CONTRAINDICATIONS', the occurrence of a toxicity a dose change is for "
    "('at the fourth occurrence'), 'should be advised to avoid' and 'Advise women not to' as "
    "advice against, a claim whose two clauses ('…, and …') restate two sentences with two "
    "stances, and a grade named after a value that has a rate of its own ('in 14%, with grade "
    "3 or 4 hypertension in 6.7%'). A reviewer and an attacker then tried the new rules, old "
    "code against new, and a final reader the commit; what they found was closed with a test: "
    "a share claimed for the other arm of an 'n (%)' row, for one drug of a combination's "
    "column, or in a clause that names no arm; a median claimed for the arm whose cell says "
    "'NR'; a hazard ratio claimed for another endpoint than the row it sits under; another "
    "arm's size read as a denominator; an event the row does not list; 'should not be advised "
    "to avoid'; 'advised in women electing not to receive chemotherapy' read as advice "
    "against; a value the passage rules out with ', not' put back with 'rather than' (the "
    "contrast rule was taken out); a grade named before the next rate in ordinary prose; a "
    "row of values under an empty header cell read as a second header line; a heading row's "
    "label lost on the rows merged under it. Left: a hazard ratio in a subgroup row claimed "
    "for the other subgroup ('Age < 65' against '65 or older'); values of different rows of "
    "one table claimed together in an unmarked answer (each found in its own row); the action "
    "a row gives (discontinue, resume) not compared with the claim's; 'need not avoid' read as "
    "advice against, and 'encouraged to avoid delays' too; claims without numbers that "
    "reverse a finding ('more common', 'higher') or swap an entity (another lymphoma, another "
    "virus, another species).",
]
FIFTEENTH_SET_READING = [
    "Every one-number change was caught (46 of 46) and no copied line was flagged (0 of 28); "
    "but 15 of 69 paraphrases were flagged and 10 of 15 entity swaps passed (a dose moved "
    "from methylprednisolone to dexamethasone, which the verifier did not know as a drug "
    "name; a gene swapped, IDH1 for FLT3; a risk group swapped in a table written 'Risk "
    "category: Intermediate'). The changes of the next round were made from sets 1 to 14 "
    "only (denials written 'cannot' or 'No dose reductions are recommended'; a run-in heading "
    "in emphasis, '*Pneumocystis pneumonia.* Patients …', ending its sentence; a copy without "
    "its leading 'No'; a grading legend written as a list under its heading; a case, 'If X "
    "cannot be used, …', read as no advice); run blind again after them, this set gave "
    "identical figures. Its mistakes were then read, which ends its blindness. Changes made "
    "from them (the heldout15 columns of the first table are after them, and after the "
    "review, attack and final read below): 'per cent'; 'mg per m2', 'g/m²' and 'g/kg' (0.4 "
    "g/kg had been read as 0.4 g), grams as milligrams; a superscript footnote "
    "letter ('posaconazoleᵃ') kept apart from its word at ingest; a recommendation's number "
    "('1.3.2 Offer …') no value; 'CRS that does not improve' a description, not advice; a "
    "strength named in words, '(conditional recommendation)', is the stance of a claim that "
    "says 'should'; a claim whose clauses restate two sentences with two stances read clause "
    "by clause; 'Risk category: Intermediate' is intermediate risk, and 'adverse' risk is "
    "'poor' risk; 'patients without fever' are not 'patients with fever'; a gene's variant "
    "names the gene (FLT3-ITD, FLT3); a value given for another "
    "gene (FLT3-mutated, claimed for IDH1-mutated) not supported; corticosteroid, antiviral "
    "and other drug-name endings (methylprednisolone, aciclovir, allopurinol); a drug the "
    "passage never names in place of the one its sentence names (aciclovir and acyclovir one "
    "name). A reviewer and an attacker then tried the new rules, old code against new; what "
    "they found was closed with a test: rows of one table counted as one source had let "
    "values move between rows (taken out: each row is its own source again); 'patients with "
    "no residual disease are recommended' read as advice against; a run-in heading that gives "
    "the advice ('**Not recommended.**'); a case without a comma hiding the advice; 'who "
    "cannot be given'; 'does not endorse'; two stances with their subjects swapped. A final "
    "read found four more, each closed with a test: the with/without group check worked one "
    "way only; 'a regimen that is not recommended' had lost its stance; a table cell only "
    "starting with a scale word was misread; valaciclovir passed for aciclovir. Left: "
    "claims that restate several table rows (each row is stored apart), a dose given with a "
    "partner drug in an opening phrase ('With azacitidine, … 600 mg', said with low-dose "
    "cytarabine), a value moved in from the next sentence ('four cycles' for patients aged 60 "
    "or older, where that sentence says two), an ICANS table whose columns are grades, and a "
    "legend entry's strength ('optional' for a grade A).",
]
FOURTEENTH_SET_READING = [
    "No copied line was flagged (0 of 25) and 46 of 47 one-number changes were caught; but 18 "
    "of 73 paraphrases were flagged and 8 of 15 entity swaps passed (a subgroup named only "
    "before its brackets, 'in oligodendrogliomas (HR 0.41 ...) and astrocytomas (HR 0.35 "
    "...)'; methylated against unmethylated tumours in one sentence). The two changes of the "
    "next round were made from sets 1 to 13 only (a grading legend copied whole, read entry "
    "by entry; 'lipase units'); run blind again after them, this set gave identical figures. "
    "Its mistakes were then read, which ends its blindness. Changes made from them (the "
    "heldout14 columns of the first table are after them): '1.5 cm' is '15 mm'; 'cm³' is a "
    "volume; 'does not exceed 15 cm³' is an upper bound, not a negation; 'a patient under "
    "55' is an age; '6 adjuvant cycles' counts cycles; a name written only in the section "
    "heading ('10. Trial Report: NEXUS-GBM') is named by the passage; a table cell takes "
    "per-day and other units from its column header ('Temozolomide dose (mg/m²/day)'); a "
    "grade label paired with the same value as in the passage is not bound elsewhere; a "
    "hazard ratio that opens brackets belongs to the group named just before them; "
    "methylated and unmethylated are one scale of groups, and where a sentence names both, "
    "each value is read with the group named last before it. Left: claims joining two table "
    "rows stored as separate passages, '>40 mm' against 'larger than 4 cm', a worked value "
    "inside a band ('8%' in '6% to <10%'), a legend written as a bulleted list under its "
    "heading, and five polarity changes ('not required', 'cannot be classified').",
]
THIRTEENTH_SET_READING = [
    "For the first time since copied sentences were counted apart (set 5), a first blind run "
    "flagged copied text: 2 of 26 verbatim lines, an "
    "order-set line ('Day 1: oxaliplatin 85 mg/m² IV over 2 hours, …', which the verifier "
    "had joined to the next line for want of a full stop) and a footnote ('^b FOLFIRINOX "
    "should be limited to …', joined to the footnote before it). The changes of the next "
    "round were made from sets 1 to 12 only (prescription Latin, 'BID', 'tid', 'QD', and "
    "doses per day, '400 mg/day', which 'daily' restates and 'once daily' does not; grading "
    "legends, 'Grades of recommendation: A, …; B, …', naming each grade; a group swapped for "
    "another of its scale, 'low-risk' for 'high-risk'; a table row named in part). Run blind "
    "again after them, this set gave the same wrong claims flagged (99 and 98 of 116) and "
    "one false alarm more (21 and 20 of 95): a change made for other documents again did "
    "not carry over, and one new rule misfired here ('G12C-mutant' against 'G12C-mutated', "
    "read as two groups). Its mistakes were then read, which ends its blindness. Changes "
    "made from them (the heldout13 columns of the first table are after them, and after the "
    "review and attack below): marker and enzyme units (U/mL, U/L, "
    "IU/L, mutations/Mb; 'CA 19-9 >500 U/mL' had been a bare number, so a claim in U/L "
    "passed); ages without 'years' ('age under 76', '(median 64)' after an age range); an "
    "order set's 'Day 1:' lines, footnote lines and a list's heading line each start a "
    "statement; NCCN ranks ('preferred', 'other recommended', 'useful in certain "
    "circumstances', also from the heading a list item stands under) compared, and 'useful "
    "in certain circumstances' read as a conditional recommendation; a claim naming two "
    "categories read clause by clause; 'albumin-bound paclitaxel' is nab-paclitaxel; a "
    "short passage sentence that denies what the claim asserts ('No fluorouracil bolus is "
    "given.'); non-inferiority met or not met; a comparison its own two values contradict "
    "('more common with A than with B (26% vs 31%)'); a trial the passage never names where "
    "the sentence restated names another; 'mutant' and 'mutated' one group. A reviewer, an "
    "attacker and a final reader then tried the new rules, old code against new, and found "
    "ways they let a wrong value pass or flagged a true one; each was closed with a test: a "
    "table row may be named without its words in brackets only, and not where the brackets "
    "tell two rows apart or give a severity ('Neutropenia (febrile)'); a grading legend "
    "grades no recommendation; 'BID' after a route or at a sentence end; a wrapped line "
    "after 'followed … by' continues its statement; a denial must be about the claim's "
    "values; 'did not cross the non-inferiority margin' is a success; a comparison is "
    "checked against its own values only for a bare '(26% vs 31%)'; every item under a list "
    "heading takes its rank; two categories in one claim are read clause by clause.",
]
TWELFTH_SET_READING = [
    "Every one-number change was caught (45 of 45) and no verbatim sentence was flagged (0 of "
    "30); but 20 of 65 paraphrases were flagged, 4 of 18 moved values and 7 of 14 entity "
    "swaps passed, and 6 of 12 grade changes passed: this set writes a recommendation's "
    "strength in its verb, NICE's 'Offer' (strong) and 'Consider' (conditional), which the "
    "verifier did not read. The changes of the next round were made with set 11's mistakes "
    "(a glossary entry whose term has an en dash, 'HFSR, hand–foot skin reaction', or whose "
    "letters stand inside words, 'SBRT, stereotactic body radiotherapy'; an acronym no source "
    "defines spelled out by the passage's words, 'SBP' for 'systolic blood pressure'; a "
    "table row's event said of every cell; a grade judged as a value, not by the grade named "
    "before it; 'grade ≤ 1'; an 'ALT or AST increase' row named without 'increase'; a clause "
    "that starts 'otherwise' judged with the one before; two arms' cells restated 'A vs B'; "
    "'over active surveillance (median a vs b months)' in the order of its arms) and set "
    "10's (a dose-modification rule restated with the opposite action, 'can be continued' "
    "where the table withholds, is a flipped polarity). Run blind again after them, this set "
    "gave the same wrong claims flagged (93 and 92 of 116) and two false alarms fewer (18 of "
    "95). Its mistakes were then read, which ends its blindness. Changes made from its "
    "mistakes (the columns above are after them): NICE's verbs give a recommendation's "
    "strength, and 'Offer' or 'Consider' at the start of a recommendation (or '…; offer "
    "total laryngectomy') is its stance; table cells are read with the unit of their column "
    "('Total dose (Gy): 70', 'Duration (weeks): 7', 'Fractions: 35') and a bare grade under a "
    "'Grade' column is that grade; 'every week' is 'weekly', 'twice a year' is 'every 6 "
    "months', 'every other day' is every 2 days, and 'every 2 weeks' is not 'for 2 weeks'; "
    "'from year 3 to year 5' is the range 'years 3 to 5'; the result before 'from A to B' "
    "belongs to the control arm; 'should consider' and 'recommends considering' restate "
    "'Consider'; a claim with a threshold ('CPS <1') is judged against the sentence that "
    "gives it that way, not a better-matching one that gives 'CPS ≥1'. Rules tried and "
    "withdrawn after a review and an attack showed wrong values passing: a table row holding "
    "three of the claim's values taken as the claim's row, a long first cell restated in "
    "part, a claim joining two recommendations read against the neighbouring sentence, "
    "'stage I–III' as one label, a dose 'per day' as 'once daily'. Not mended: values "
    "moved within a sentence ('within 6 weeks' for the package that must end within 11 weeks, "
    "a hazard ratio moved to another trial); entity swaps that keep every number ('carboplatin' "
    "for 'cisplatin' in an audiometry recommendation); 'did not meet its non-inferiority "
    "endpoint' against 'met' where the sentence matches only moderately; a claim that joins "
    "two table rows or a sentence and a row of another chunk, cited to one of them; a row "
    "named only in part ('the primary tumour and involved nodes' for the high-risk row); an "
    "action or recovery target moved to another grade's row of the same table.",
]
ELEVENTH_SET_READING = [
    "One-number changes were caught (44 of 45), as were units (12 of 12) and moved values (17 "
    "of 18), and no verbatim sentence was flagged (0 of 30); but 18 of 65 paraphrases were "
    "flagged, 10 of 14 entity swaps passed, and only 2 of 12 grade changes were caught. The "
    "changes of the next round were made with set 10's mistakes (arms named by 'compared "
    "with ... of those given'; years and schedule days 'between ... and ...' read as ranges; "
    "a second result joined by 'and' is no partner of the first, later narrowed to a "
    "percentage after 'and' because the attack showed two schedule steps swapped; an operation or a disease is "
    "no owner of a duration, a rule withdrawn after the attack showed it let durations move "
    "between ADT and abiraterone), plus one made after seeing this set's grade figure but not its "
    "claims: ASCO's grading written on lines of their own under the recommendation ('Type: "
    "...; Evidence quality: high; Strength of recommendation: strong') now grades it. Run "
    "blind again after them, this set gave 8 of 12 grade changes caught, the same wrong-number "
    "claims flagged (77 of 89) and the same false alarms (18 of 95): once more, paraphrase "
    "fixes made on one set did not carry over to the next. Its mistakes were then read, which "
    "ends its blindness. Changes made from its mistakes (the columns above are after "
    "them): a bare number in a table column headed '(%)' is a percentage, and the arm named "
    "in the column stays with it; bare decimals listed after a hazard ratio, each with its "
    "interval and subgroup ('0.81 (95% CI, …) in HBV-related, 1.03 (…) in HCV-related "
    "disease'), are ratios, and a ratio moved to another subgroup is flagged; laboratory units "
    "that say the same thing are one ('75,000/mm3' and '75 × 10^9/L', '2.8 g/dL' and "
    "'28 g/L', '× 10⁹/L' with a superscript); Child-Pugh classes and BCLC stages are read as "
    "labels that the passage must give; 'a moderate-strength recommendation' and 'the "
    "recommendation … is strong' are strengths, and a 'Qualifying statement:' line may stand "
    "between a recommendation and its grading. Not mended: subgroup results restated in "
    "another order; a non-inferiority margin; entity swaps between arms and trials that keep "
    "every number; polarity reversals of eligibility and dose-modification rules; a grade "
    "claimed for a sentence of a recommendation whose grading stands under a later sentence.",
]
TENTH_SET_READING = [
    "Worse than sets 7 to 9 on the measure that matters most: 4 and 5 of 45 one-number "
    "changes passed (cited, unmarked), and 24 of 65 paraphrases were flagged. The changes of "
    "the next round were made with the mistakes of set 9 only (a table row whose first cell "
    "names the event by another word, two of the claim's values in that row; a breakdown in "
    "brackets after the arms' totals, 'most commonly anemia (29% vs 2%)'; the patients "
    "randomised to each arm, '(n = 790)'; trial names ending in letters and digits, "
    "'SOLSTICE-OV1'; a drug that describes the patients, 'lenalidomide-refractory', is no "
    "arm). Run blind again after them, this set gave the same wrong claims flagged (96 and 93 "
    "of 116) and one false alarm fewer (23 of 95). Its mistakes were then read, which ends "
    "its blindness. All five missed one-number changes were counts written in words ('eight "
    "weekly instillations', 'four of six', 'six patients', 'a three-point score') or a "
    "follow-up step whose end another passage gave ('every 6 months until 3 years'); number "
    "words from two to ninety-nine (and 'one' where it counts: 'one of six', 'one year') are "
    "now read as their digits, ranges in words are ranges, 'six and a half "
    "weeks' is 6.5 weeks, a cycle's length is an interval ('a 28-day cycle' is 'each 4-week "
    "cycle'), 'patients 75 or older' is an age, 'mL/min/1.73 m2' is 'mL/min/1.73 m²', a "
    "negation in a relative clause ('patients who do not receive') is not a stance, and "
    "alternatives stated in another order keep each value with its partner. A review and an "
    "attack of those rules then found five ways their first version let a wrong value pass "
    "(a dose-level row, a row with another condition, a fractionation moved to another "
    "setting, advice reversed after 'who are fit', fusion genes read as trial names); each "
    "was closed with a test. The columns above are after all of that.",
]
NUMBER_KINDS = ("number", "moved", "unit", "entity")
CORPUS_DIRS = (PROJECT / "guideline_corpus", PROJECT / "tests" / "data" / "verifier_corpus")
_DOCUMENTS: dict[str, str] = {}


def _verbatim(item: LabelledItem) -> bool:
    """Whether a claim is a sentence or clause copied from its document."""
    if not _DOCUMENTS:
        for folder in CORPUS_DIRS:
            for path in folder.glob("*.md"):
                _DOCUMENTS[path.stem] = " ".join(path.read_text(encoding="utf-8").split())
            for path in folder.glob("*.html"):  # a saved web page: the text a reader sees
                _, blocks = read_html(path.read_text(encoding="utf-8"))
                _DOCUMENTS[path.stem] = " ".join(" ".join(b.text for b in blocks).split())
    claim = " ".join(item.claim.rstrip(".").split())
    return claim in _DOCUMENTS.get(item.cite_doc, "")


def _true_share(score: ClaimScore, verbatim: bool) -> tuple[int, int]:
    chosen = [o for o in score.outcomes if not o.item.wrong and _verbatim(o.item) == verbatim]
    return sum(o.flagged for o in chosen), len(chosen)


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
        "| true claims flagged: verbatim sentences or clauses | "
        + " | ".join(_share(_true_share(scores[c], True)) for c in columns)
        + " |",
        "| true claims flagged: paraphrases | "
        + " | ".join(_share(_true_share(scores[c], False)) for c in columns)
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


def _counts(items: list[LabelledItem]) -> str:
    """ "N claims (t true, w wrong; wrong kinds: entity 6, grade 5, ...)" without its ")"."""
    kinds = sorted(Counter(i.error for i in items if i.wrong).items())
    return (
        f"{len(items)} claims ({sum(not i.wrong for i in items)} true, "
        f"{sum(i.wrong for i in items)} wrong; wrong kinds: "
        + ", ".join(f"{k} {v}" for k, v in kinds)
    )


def _both_mistakes(
    scores: dict[tuple[str, str], ClaimScore], split: str, heading: str
) -> list[str]:
    """A split's mistakes, cited under ``heading``, then unmarked."""
    return [
        heading,
        "",
        *_mistakes(scores[(split, "cited")]),
        "",
        "Unmarked:",
        "",
        *_mistakes(scores[(split, "unmarked")]),
    ]


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
    third = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout3.jsonl")
    fourth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout4.jsonl")
    fifth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout5.jsonl")
    sixth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout6.jsonl")
    seventh = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout7.jsonl")
    eighth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout8.jsonl")
    ninth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout9.jsonl")
    tenth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout10.jsonl")
    eleventh = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout11.jsonl")
    twelfth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout12.jsonl")
    thirteenth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout13.jsonl")
    fourteenth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout14.jsonl")
    fifteenth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout15.jsonl")
    sixteenth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout16.jsonl")
    seventeenth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout17.jsonl")
    eighteenth = load_items(PROJECT / "tests" / "data" / "verifier_claims_heldout18.jsonl")
    relevance_cases = load_relevance_cases(PROJECT / "tests" / "data" / "relevance_cases.jsonl")
    old_items = load_labelled_claims(PROJECT / "tests" / "data" / "labelled_claims.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(load_settings(home=Path(tmp) / "home"))
        assistant.ingest([PROJECT / "guideline_corpus", PROJECT / "tests/data/verifier_corpus"])
        scores: dict[tuple[str, str], ClaimScore] = {}
        splits_run = ("tune", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")
        later = (
            "heldout6",
            "heldout7",
            "heldout8",
            "heldout9",
            "heldout10",
            "heldout11",
            "heldout12",
            "heldout13",
            "heldout14",
            "heldout15",
            "heldout16",
            "heldout17",
            "heldout18",
        )
        for split in (*splits_run, *later):
            every = [
                *items,
                *second,
                *third,
                *fourth,
                *fifth,
                *sixth,
                *seventh,
                *eighth,
                *ninth,
                *tenth,
                *eleventh,
                *twelfth,
                *thirteenth,
                *fourteenth,
                *fifteenth,
                *sixteenth,
                *seventeenth,
                *eighteenth,
            ]
            chosen = [i for i in every if i.split == split]
            for setting in ("cited", "unmarked"):
                scores[(split, setting)] = score_claims(assistant, chosen, setting)
        old = score_verifier(assistant, old_items)
        relevance = score_relevance(relevance_cases, assistant.vocabulary)
        verbatim_flagged, verbatim_total, verbatim_examples = verbatim_sentences_flagged(assistant)

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
        _counts(items)
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
        *_both_mistakes(scores, "heldout", "### Held-out mistakes"),
        "",
        "## Second held-out set (`tests/data/verifier_claims_heldout2.jsonl`)",
        "",
        _counts(second)
        + ") about a synthetic gastric guideline and trial report (long result sentences with "
        "CIs and HRs, regimens with several drugs, eligibility sentences, a table turned into "
        "'Header: cell | Header: cell' rows). Written before the verifier was run on it. Its "
        "false alarms were later read and their kinds fixed in general (any verb of change "
        "before 'from A to B'; a regimen named in an opening phrase, 'With FOLFOX, nivolumab is "
        "given at 240 mg', binds the dose to drug and regimen; a table row is read with its "
        "caption, so 'grade 3 or higher' is found), so it is no longer unseen. Its figures are "
        "in the heldout2 columns above.",
        "",
        *_both_mistakes(scores, "heldout2", "Mistakes, cited:"),
        "",
        "## Third held-out set (`tests/data/verifier_claims_heldout3.jsonl`): first blind run",
        "",
        _counts(third)
        + ") about a synthetic prostate guideline (`synthetic-prostate-guideline.md`) written "
        "the way guideline PDFs read once extracted: running-header lines between sections, "
        "reference numbers glued to sentence ends ('(Level I, grade A).7,8'), results with "
        "bracketed CIs, 'respectively' and 'A vs B months', a five-column toxicity table, a "
        "table written as text rows, radioactivity doses (kBq/kg, GBq), fractionation "
        "schedules, eligibility with several numbers, recommendation levels and grades. The "
        "document and the claims were committed before the verifier was run on them. The "
        "first run, on the verifier as it then was, gave (verbatim, whatever it showed):",
        "",
        *FIRST_BLIND_RUN,
        "",
        "That is the honest estimate of how the verifier did on text it had not seen: far "
        "below the targets. Its failure kinds were then fixed in general (each with a unit "
        "test in tests/test_verify.py or tests/test_quantities.py): reference numbers after a "
        "sentence end; 'strong recommendation against'; 'above' as a lower bound; a value "
        "compared with the next ('13.6 vs 11.0 months') takes its unit; a HR, CI or P value "
        "belongs to the comparison, not to the arm named just before it; two values given "
        "'respectively' or 'A vs B' without an arm at either follow the order in which the "
        "passage names the arms; a value the passage gives only in another row or sentence, "
        "beside another value of its partner's kind, is not supported ('CrCl 30 to 59 mL/min "
        "... 0.25 mg'); a table row's first cell is what its values are about; a frequency "
        "right after a dose belongs to the dose's drug; radioactivity units and counts of "
        "injections; modal words ('may be considered') bind nothing. The harness also picks "
        "a labelled table row by content words (it had picked a sentence of the same section "
        "by shared stop words). The current figures are in the heldout3 columns above; they "
        "are no longer blind.",
        "",
        *_both_mistakes(scores, "heldout3", "Mistakes, cited:"),
        "",
        "## Fourth held-out set (`tests/data/verifier_claims_heldout4.jsonl`): first blind "
        "run, then fixed by kind",
        "",
        _counts(fourth)
        + ") about a synthetic triple-negative breast cancer systemic-therapy guideline "
        "(`synthetic-tnbc-guideline.md`): levels of evidence and grades of recommendation in "
        "square brackets ('[I, A]', '[II, B]'), running-header lines, long result sentences with "
        "CIs, HRs and P values, 'respectively' over two and three arms (a 1:1:1 trial), a "
        "dose-level table written as 'Header: cell | Header: cell' rows, dose modifications by "
        "toxicity grade, eligibility with several laboratory limits, and abbreviations. The "
        "document and the claims were committed before the verifier was run on them. The "
        "first run, on the verifier as it then was, gave (verbatim, as it came out):",
        "",
        *FIRST_BLIND_RUN4,
        "",
        "Far below the targets, as every first blind run so far. Kinds of false alarm: values "
        "given 'respectively' or in arm order and restated with 'with A ... with B' "
        "(contradicted); numbers the claim words differently ('nine more 3-weekly cycles', "
        "'node-negative' for N0, a paraphrase of a three-arm result); values of a correct "
        "sentence judged in another clause's context. Kinds of miss: grades of recommendation "
        "in square brackets ('[I, A]' for '[II, B]') are not compared; HRs swapped between two "
        "endpoints or taken from the other endpoint; values swapped between arms or "
        "regimens; a table row's value moved to another row; 'not recommended, but ... "
        "should be used' read as a recommendation; 'permanently discontinued' for the grade "
        "that is only withheld. Since this set was added, the verbatim-sentence check below "
        "also covers this document (47 of its sentences and table rows carry a number); on its "
        "first run one of them was flagged, cited: the T-DXd pneumonitis sentence, which gives "
        "grade 1 and grade 2 or higher each their own action.",
        "",
        "These kinds were then fixed in general, by sentence structure, each with a unit test "
        "in tests/test_verify.py or tests/test_quantities.py. The principle: a value found in "
        "the passage is supported unless the passage shows a mismatch; where the strict binding "
        "(the name before or after the value) fails, as it does for paraphrases and reordered "
        "words, the value still counts when nothing in the passage ties it to something else: "
        "another table row (the row's first cell must be named by the claim), toxicity grade "
        "(the grade nearest before the value), endpoint (OS, PFS, EFS, DFS, ORR, pCR, spelled "
        "out or abbreviated), regimen, setting (an opening 'For high-risk ...,' phrase whose "
        "words another statement gives another value of that kind), drug nearest before a "
        "dose, or the claim's words said in that sentence of another value of its kind. "
        "Numbers written another way ('nine more 3-weekly cycles', 'node-negative' for N0, "
        "'8.3, 5.5 and 6.0 months', 'year 5'), hyphenated names as one name (nab-paclitaxel "
        "is not paclitaxel; T-DXd, G-CSF), bare lists ('72%, 39% and 44%') in the passage's "
        "order, levels and grades in brackets ('[I, A]', '(IA)', 'Level I, grade A', strength "
        "and quality of evidence) compared per recommendation part of the sentence, 'not "
        "recommended, but ... should be used' read part by part, a claim asserting what the "
        "passage denies ('do not benefit'), and the action a claim gives a toxicity grade "
        "checked against the passage's. The heldout4 columns above are the figures after "
        "these fixes; they are no longer blind. The honest estimate for unseen text remains "
        "the first blind runs.",
        "",
        *_both_mistakes(scores, "heldout4", "Mistakes, cited:"),
        "",
        "## Fifth held-out set (`tests/data/verifier_claims_heldout5.jsonl`): first blind "
        "run, not tuned on",
        "",
        _counts(fifth)
        + ") about a synthetic melanoma treatment summary (`synthetic-melanoma-summary.md`) "
        "written the way a health-professional cancer treatment summary and a clinical "
        "practice guideline read after a PDF-to-text export: running-header, 'Updated' and "
        "'Page n of 9' lines inside sections, a treatment option overview with stage-by-stage "
        "numbered lists, 'Evidence (...)' paragraphs with numbered trials, indented result "
        "bullets, reference numbers and '[Level of evidence A1]' tags glued to sentence ends, "
        "'respectively' over two and three arms (two 1:1:1 trials), RFS at 3 and 5 years, "
        "grade 3 or 4 adverse events per arm, doses in mg/kg, mg/m2, flat mg and IU/kg with "
        "schedules and durations (every 3 weeks for up to 17 cycles), a dosing table written as "
        "'Header: cell | Header: cell' rows, immune-related adverse-event management by grade, "
        "eligibility with laboratory limits written 'per microliter' and '× ULN', and a "
        "recommendations list with '[I, A]' grades. About half the true claims are verbatim "
        "sentences or clauses and half paraphrases (reordered, numbers in words, arms named "
        "instead of 'respectively'). The document and the claims were committed before the "
        "verifier was run on them (commit 'Blind fifth held-out claim set ...: blind set 5, "
        "not run yet'). Its first blind run, on the verifier of commit a9f8255, as it came out:",
        "",
        *FIRST_BLIND_RUN5,
        "",
        *FIFTH_SET_READING,
        "",
        "The heldout5 columns above are a second run, after the fourth set's failure kinds were "
        "fixed by a helper who never saw this set or its document: still blind, since no rule "
        "was made or tuned with it. Its mistakes as they now stand:",
        "",
        *_both_mistakes(scores, "heldout5", "Mistakes, cited:"),
        "",
        "## Sixth held-out set (`tests/data/verifier_claims_heldout6.jsonl`): first blind run, "
        "then tuned on",
        "",
        _counts(sixth)
        + ") about a synthetic renal cell carcinoma guideline (`synthetic-rcc-guideline.md`) "
        "written by a separate helper the way an ASCO clinical practice guideline reads after a "
        "PDF-to-text export: a journal running header with page and download lines, numbered "
        "'Recommendation 2.3.' items with Type, Evidence quality and Strength of recommendation, "
        "a literature review of trials (named like RENAL-FL-31) with CIs, HRs and P values "
        "written several ways, results over two and three arms ('respectively', 'in the three "
        "arms', bare lists), IMDC risk groups as a pipe table, a dosing table as 'Header: cell' "
        "rows, dose-reduction steps and trial eligibility. Its first blind run, on the verifier "
        "of commit ee4cdaf:",
        "",
        *FIRST_BLIND_RUN6,
        "",
        *SIXTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout6", "Mistakes, cited (after the fixes):"),
        "",
        "## Seventh held-out set (`tests/data/verifier_claims_heldout7.jsonl`): blind",
        "",
        _counts(seventh) + ") about a synthetic diffuse large B-cell lymphoma summary "
        "(`synthetic-dlbcl-summary.md`), written by a separate helper at the same time as the "
        "sixth set and committed unrun: an NCI PDQ-style treatment summary (stage-by-stage "
        "options, 'Evidence (R-CHOP):' paragraphs with levels of evidence and reference "
        "numbers, IPI factors as table rows), a journal-style trial abstract (Background, "
        "Methods, Results, Conclusions) and two sections of a study protocol (eligibility list, "
        "dose modifications for grade 3–4 toxicity as a pipe table). No rule was made or tuned "
        "with it; its first run is recorded below as it came out.",
        "",
        *FIRST_BLIND_RUN7,
        "",
        *SEVENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout7", "Mistakes, cited:"),
        "",
        "## Eighth held-out set (`tests/data/verifier_claims_heldout8.jsonl`): blind",
        "",
        _counts(eighth) + ") about a synthetic multiple myeloma document "
        "(`synthetic-myeloma-guideline.md`), written by a separate helper while the verifier "
        "was being changed and committed unrun, in three styles no earlier set used: an "
        "ESMO-style guideline (recommendations tagged '[I, A]', R-ISS thresholds as a pipe "
        "table, renal dose changes), a systematic-review summary (pooled RR, OR and HR with "
        "I2, absolute effects per 1,000, NNT and GRADE certainty) and a drug label's posology "
        "(flat and mg/m2 doses, weekly then every-2-weeks then every-4-weeks schedules, "
        "dose-level and creatinine-clearance tables, missed doses). Before its run the lead "
        "knew only its topic; mixed-case regimen names (VRd, KRd) and GRADE certainty were "
        "added for real text of that kind without seeing the set. Its first run, on the "
        "verifier of commit 57311fa, is recorded below as it came out.",
        "",
        *FIRST_BLIND_RUN8,
        "",
        *EIGHTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout8", "Mistakes, cited:"),
        "",
        "## Ninth held-out set (`tests/data/verifier_claims_heldout9.jsonl`): blind",
        "",
        _counts(ninth) + ") about a synthetic epithelial ovarian cancer document "
        "(`synthetic-ovarian-guideline.md`), written by a separate helper who did not read "
        "the verifier, committed unrun, in styles no earlier set used: algorithm pages turned "
        "to text (nested bullets, footnote letters, 'Category 1/2A/2B', 'preferred' and 'other "
        "recommended'), a US prescribing-information dosing and dose-modification section "
        "(twice-daily doses, dose-reduction steps, hold and resume counts, renal and hepatic "
        "changes), conference-abstract results and a summary-of-findings table, with running "
        "headers and page lines. Its first run, on the verifier of commit d310cd0, is recorded "
        "below as it came out.",
        "",
        *FIRST_BLIND_RUN9,
        "",
        *NINTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout9", "Mistakes, cited:"),
        "",
        "## Tenth held-out set (`tests/data/verifier_claims_heldout10.jsonl`): blind",
        "",
        _counts(tenth) + ") about a synthetic urothelial carcinoma document "
        "(`synthetic-urothelial-guideline.md`), written by a separate helper who did not read "
        "the verifier, committed unrun: ESMO-style recommendations graded '[I, A]' to "
        "'[IV, D]', including negative ones; a summary-of-product-characteristics posology "
        "section with a dose-modification table; results paragraphs of three invented trials "
        "(medians with CIs, HRs, 'respectively', counts per arm); a list of abbreviations, "
        "running headers, a page line and footnotes. Its first run, on the verifier of commit "
        "272f9b9, is recorded below as it came out.",
        "",
        *FIRST_BLIND_RUN10,
        "",
        *TENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout10", "Mistakes, cited:"),
        "",
        "## Eleventh held-out set (`tests/data/verifier_claims_heldout11.jsonl`): blind",
        "",
        _counts(eleventh) + ") about a synthetic hepatocellular carcinoma document "
        "(`synthetic-hcc-guideline.md`), written by a separate helper who did not read the "
        "verifier, committed unrun: ASCO-style numbered recommendations with their type, "
        "evidence quality and strength on lines of their own and qualifying statements; a "
        "trial protocol's numbered inclusion and exclusion criteria with laboratory "
        "thresholds; a dose-level and dose-modification table for an oral kinase inhibitor and "
        "an adverse-event table; journal-style results (medians with CIs, HRs, subgroups, a "
        "non-inferiority margin, mRECIST and RECIST responses); locoregional therapy and "
        "surveillance; running headers, footnotes and an abbreviation list. Its first run, on "
        "the verifier of commit 0fb882d, is recorded below as it came out.",
        "",
        *FIRST_BLIND_RUN11,
        "",
        *ELEVENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout11", "Mistakes, cited:"),
        "",
        "## Twelfth held-out set (`tests/data/verifier_claims_heldout12.jsonl`): blind",
        "",
        _counts(twelfth) + ") about a synthetic head and neck squamous cell carcinoma "
        "document (`synthetic-hnscc-guideline.md`), written by a separate helper who did not "
        "read the verifier, committed unrun: NICE-style numbered recommendations worded 'Offer', "
        "'Consider', 'Do not offer' with rationale paragraphs, ESMO-style '[I, A]' grades with "
        "their legend; a radiotherapy dose-fractionation table (total dose, fractions, dose per "
        "fraction, weeks); a cisplatin eligibility and dose-adjustment table by creatinine "
        "clearance band; a journal-style de-escalation trial (flow of patients, 3- and 5-year "
        "rates, HRs, a non-inferiority margin, subgroups, an adverse-event table); recurrent or "
        "metastatic therapy by CPS; a dose-modification table; running headers, footnotes and "
        "abbreviations. Its first run, on the verifier of commit 2d4762d, is recorded below as "
        "it came out.",
        "",
        *FIRST_BLIND_RUN12,
        "",
        *TWELFTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout12", "Mistakes, cited:"),
        "",
        "## Thirteenth held-out set (`tests/data/verifier_claims_heldout13.jsonl`): blind",
        "",
        _counts(thirteenth) + ") about a synthetic pancreatic ductal adenocarcinoma guideline "
        "(`synthetic-pancreatic-guideline.md`), written by a separate helper who did not read "
        "the verifier, committed unrun: NCCN-style categories (1, 2A, 2B) with 'preferred', "
        "'other recommended' and 'useful in certain circumstances' lists and footnote letters; "
        "a cancer-agency order set ('Day 1: oxaliplatin 85 mg/m² IV over 2 hours', repeat every "
        "14 days, premedication) with a dose table by ANC and platelet band; dose-level and "
        "CTCAE dose-modification tables; a GRADE summary ('conditional recommendation for', "
        "'moderate certainty'); two journal-style trials (1:1 and 2:1, a non-inferiority margin "
        "not met, subgroups, adverse events); germline and targeted therapy thresholds; "
        "resectability criteria (degrees of contact, CA 19-9 in U/mL, bilirubin); enzyme "
        "replacement in lipase units; running headers and a glossary. Its first run, on the "
        "verifier of commit 2159587, is recorded below as it came out.",
        "",
        *FIRST_BLIND_RUN13,
        "",
        *THIRTEENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout13", "Mistakes, cited:"),
        "",
        "## Fourteenth held-out set (`tests/data/verifier_claims_heldout14.jsonl`): blind",
        "",
        _counts(fourteenth) + ") about a synthetic adult diffuse glioma and brain metastases "
        "guideline (`synthetic-glioma-guideline.md`), written by a separate helper who did not "
        "read the verifier, committed unrun: EANO/ESMO-style tags ('[II, B]') at sentence ends "
        "and a grading legend written as a bulleted list; product-label sections ('4.2 "
        "Posology', '4.4 Special warnings') for temozolomide and an invented oral drug; a "
        "dose-level table whose unit stands only in the column header; radiotherapy margins in "
        "mm and cm, volumes in cm³, radiosurgery doses by lesion diameter; CNS WHO grades and "
        "MGMT methylation subgroups; trial reports that name their trial only in the section "
        "heading. Its first run, on the verifier of commit 945394f, is recorded below as it "
        "came out.",
        "",
        *FIRST_BLIND_RUN14,
        "",
        *FOURTEENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout14", "Mistakes, cited:"),
        "",
        "## Fifteenth held-out set (`tests/data/verifier_claims_heldout15.jsonl`): blind",
        "",
        _counts(fifteenth) + ") about a synthetic guideline on adult acute myeloid leukaemia "
        "and CAR T-cell therapy toxicities (`synthetic-aml-cart-guideline.md`), written by a "
        "separate helper who did not read the verifier, committed unrun: British spelling, "
        "NICE-style numbered recommendations ('1.3.2 Offer …', 'Consider …', 'Do not offer …') "
        "with their strength and evidence quality in words; doses written 'mg/m² on days 1 to "
        "3', '90 mg per m2', '8 mg/kg (maximum 800 mg per dose)', 'q12h', in words; an ELN-style "
        "genetic risk table, CRS and ICANS grading tables, a venetoclax ramp-up table and a "
        "dose table by CYP3A inhibitor whose unit stands only in its header, with superscript "
        "footnote letters; three trial reports naming their drug only in the heading; running "
        "headers. Its first run, on the verifier of commit 9f99c71, is recorded below as it "
        "came out.",
        "",
        *FIRST_BLIND_RUN15,
        "",
        *FIFTEENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout15", "Mistakes, cited:"),
        "",
        "## Sixteenth held-out set (`tests/data/verifier_claims_heldout16.jsonl`): blind",
        "",
        _counts(sixteenth) + ") about a synthetic US drug label (`synthetic-cll-label.md`, "
        "prescribing information for a fictional BTK inhibitor in CLL, marginal zone lymphoma "
        "and Waldenström's macroglobulinemia), written by a separate helper who did not read "
        "the verifier, committed unrun: a highlights block, numbered sections with bracketed "
        "cross-references ('[see Warnings and Precautions (5.1)]'), dose changes by occurrence "
        "of an adverse reaction, a dose table whose unit stands only in its header, an "
        "adverse-reaction table whose arm headers span an 'All Grades (%)' and a 'Grade 3 or 4 "
        "(%)' column named on a second header line, efficacy tables with 'n (%)' cells and "
        "'(95% CI)' on a row of its own, intervals written '95% CI: 28.1, 41.0', page headers "
        "and footers ('Reference ID: …', 'Page 7 of 41') between paragraphs. Its first run, on "
        "the verifier of commit 4712ccf, is recorded below as it came out.",
        "",
        *FIRST_BLIND_RUN16,
        "",
        *SIXTEENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout16", "Mistakes, cited:"),
        "",
        "## Seventeenth held-out set (`tests/data/verifier_claims_heldout17.jsonl`): blind",
        "",
        _counts(seventeenth) + ") about a synthetic radiotherapy consensus for locally "
        "advanced cervical and high-risk endometrial cancer "
        "(`synthetic-gyn-radiotherapy-guideline.md`), written by a separate helper who did not "
        "read the verifier, committed unrun: dose and fractionation written many ways ('45 Gy "
        "in 25 fractions of 1.8 Gy', '50.4 Gy/28 fr', 'HR-CTV D90 ≥ 85 Gy EQD2'), evidence "
        "graded '[I, A]' in one part and 'Level of evidence 2b; strength: weak' in another, an "
        "organ-at-risk constraint table with a planning aim and a limit per organ, trial "
        "reports with long result sentences and subgroup tables whose hazard ratios stand "
        "under an 'HR (95% CI)' column, a list of abbreviations, running headers and footers "
        "between paragraphs. Its first run, on the verifier of commit 27f21d3, is recorded "
        "below as it came out.",
        "",
        *FIRST_BLIND_RUN17,
        "",
        *SEVENTEENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout17", "Mistakes, cited:"),
        "",
        "## Eighteenth held-out set (`tests/data/verifier_claims_heldout18.jsonl`): blind",
        "",
        _counts(eighteenth) + ") about a saved web page of a synthetic small cell lung "
        "cancer protocol (`synthetic-sclc-protocol.html`), written by a separate helper who "
        "did not read the verifier, committed unrun: the page keeps its navigation, cookie "
        "banner, footer and scripts for ingest to drop; NCCN-like preference tiers and "
        "categories ('Preferred (category 1)', 'Useful in certain circumstances (category "
        "2B)'); schedule, haematological, renal, hepatic and non-haematological dose tables "
        "with footnote letters in superscript; fractionation written several ways ('45 Gy in "
        "30 fractions of 1.5 Gy, twice daily (BD)', '66 Gy in 33 once-daily fractions'); trial "
        "reports with long result sentences. Its first run, on the verifier of commit 5787684, "
        "is recorded below as it came out.",
        "",
        *FIRST_BLIND_RUN18,
        "",
        *EIGHTEENTH_SET_READING,
        "",
        *_both_mistakes(scores, "heldout18", "Mistakes, cited:"),
        "",
        "## Verbatim source sentences",
        "",
        f"Every sentence with a number in the synthetic corpus ({verbatim_total} sentences and "
        "table rows), checked as a claim citing its own passage and unmarked against it: "
        f"{verbatim_flagged} flagged (target 0).",
        "",
        *[f"- {e}" for e in verbatim_examples],
        "",
        "## Answers the question asked (`tests/data/relevance_cases.jsonl`)",
        "",
        f"{len(relevance_cases)} labelled question-answer pairs for the relevance check "
        "(`rag/checks/relevance.py`): answers that name another drug, test or regimen than the "
        "question's (a true sentence about something else), answers that name it but give no "
        "value of the asked kind (dose, duration, interval, age, count), and right answers "
        "(including abbreviations and short names: G-CSF, pembro, LDCT).",
        "",
        "| measure | share |",
        "|---|---|",
        f"| bad answers flagged | {_share(relevance.share_flagged(True))} |",
        f"| bad answers flagged with the right kind | {_share(relevance.right_kind())} |",
        f"| entity missing: flagged | {_share(relevance.share_flagged(True, 'entity'))} |",
        f"| asked attribute missing: flagged | "
        f"{_share(relevance.share_flagged(True, 'attribute'))} |",
        f"| good answers flagged (false alarms) | {_share(relevance.share_flagged(False))} |",
        "",
        "First run, before any change: 17/18 bad answers flagged (16/18 with the right kind), "
        "0/12 good answers flagged. The misses were questions that name a second drug in their "
        "setting ('the cabazitaxel dose after docetaxel'); an answer about the setting's drug "
        "passed. A name after 'after', 'following', 'before', 'prior' is now setting, not "
        "subject.",
        "",
        *[
            f"- not as labelled ({o.case.expected or 'no flag expected'}; flags: "
            f"{', '.join(o.kinds) or 'none'}): {o.case.question} | {o.case.answer}"
            for o in relevance.outcomes
            if not o.right
        ],
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
        "show the cost of a claim against passages already seen. Every held-out set has been",
        "read after its first run; the first blind runs of the third to eighteenth sets are",
        "the closest thing here to the figure on guideline text the verifier has never seen.",
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
