"""Evidence composer, question focus and vocabulary: verbatim sentences chosen for the question."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.answer.compose import LEAD_SEPARATOR, candidates, compose
from rag.answer.focus import AGE, COUNT, DOSE, DURATION, INTERVAL, LABEL, question_focus
from rag.errors import ConfigError
from rag.retrieval.embed import Embedder
from rag.retrieval.vocabulary import load_vocabulary
from rag.types import Chunk, Hit

GROWTH_FACTORS = """Primary prophylaxis with a colony-stimulating factor is recommended when the risk
of febrile neutropenia is about 20% or higher (HR 0.48; 95% CI 0.35 to 0.66). Pegfilgrastim is
preferred over daily injections by most patients, e.g. those living far from the clinic.
Recommended schedules:
- Pegfilgrastim: 6 mg subcutaneously once per chemotherapy cycle, given 24 to 72 hours after
  the end of chemotherapy. Do not give it within 14 days before the next cycle.
- Filgrastim: 5 µg/kg per day subcutaneously, starting 1 to 3 days after chemotherapy."""

REGIMEN_TABLE = """Table 3. Adjuvant regimens for stage III colon cancer
| Regimen | Drug | Dose | Schedule |
|---|---|---|---|
| CAPOX | oxaliplatin | 130 mg/m² IV day 1 | every 21 days |
| mFOLFOX6 | oxaliplatin | 85 mg/m² IV day 1 | every 14 days |"""

ROW_LINES = """Regimen: CAPOX | Drug: capecitabine | Dose: 1,000 mg/m² | Schedule: twice daily, days 1 to 14
Regimen: mFOLFOX6 | Drug: fluorouracil | Dose: 2,400 mg/m² | Schedule: 46-hour infusion"""

NEUTROPENIA = """Febrile neutropenia remains the most common dose-limiting toxicity of myelosuppressive
chemotherapy, with an in-hospital mortality of about 9.5% in a large registry (n = 41,779).
Pegfilgrastim reduced the incidence of febrile neutropenia from 17% to 1% in a phase III
trial of docetaxel (OR 0.06; 95% CI 0.02 to 0.18)."""


def hit(text: str, rank: int, section: str = "Dosing") -> Hit:
    chunk = Chunk(
        chunk_id=f"c{rank}",
        doc_id=f"doc{rank}",
        doc_hash="0" * 64,
        title="Myeloid growth factors guideline",
        section_path=(section,),
        page=3,
        start=0,
        end=len(text),
        text=text,
        ordinal=rank,
    )
    return Hit(chunk, rank, 1.0 / rank, 0.5, 1.0)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder().load()


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def shown(text: str) -> list[str]:
    return [c.display(text) for c in candidates(text, 1)]


def test_list_items_keep_their_lead_in_and_own_label() -> None:
    items = shown(GROWTH_FACTORS)
    assert (
        "Recommended schedules: … Pegfilgrastim: 6 mg subcutaneously once per chemotherapy cycle, "
        "given 24 to 72 hours after the end of chemotherapy." in items
    )
    # The item's second sentence keeps the item's own label, not the list's.
    assert "Pegfilgrastim: … Do not give it within 14 days before the next cycle." in items
    # "e.g." does not end a sentence; "(HR 0.48; 95% CI ...)" stays with its sentence.
    assert any(s.startswith("Pegfilgrastim is preferred") and "clinic." in s for s in items)
    assert any("(HR 0.48; 95% CI 0.35 to 0.66)." in s for s in items)


def test_table_rows_keep_the_header_and_row_lines_are_sentences() -> None:
    rows = shown(REGIMEN_TABLE)
    assert (
        "| Regimen | Drug | Dose | Schedule |"
        + LEAD_SEPARATOR
        + "| mFOLFOX6 | oxaliplatin | 85 mg/m² IV day 1 | every 14 days |"
    ) in rows
    assert not any(set(r) <= set("|- ") for r in rows)  # the rule line is no candidate
    lines = shown(ROW_LINES)
    assert lines[1].startswith("Regimen: mFOLFOX6 | Drug: fluorouracil | Dose: 2,400 mg/m²")


def test_short_tail_joins_its_sentence() -> None:
    text = (
        "Adults aged 45 to 49 years: screen for colorectal cancer. Grade B.\n\nNext paragraph here."
    )
    assert shown(text)[0] == "Adults aged 45 to 49 years: screen for colorectal cancer. Grade B."


_words = st.sampled_from(
    "the dose of 6 mg pegfilgrastim every 14 days HR 0.71 (95% CI 0.6 to 0.8) e.g. stage IIIA "
    "Grade B. is given: for T4 N2 disease; CAPOX | 130 mg/m² µg/kg".split(" ")
)
_line = st.lists(_words, min_size=1, max_size=14).map(" ".join)
_prefix = st.sampled_from(["", "- ", "* ", "1. ", "| ", "  ", "Regimen: A | Dose: "])
_passage = st.lists(
    st.tuples(_prefix, _line, st.sampled_from([".", ":", "", " |", ". Twelve cycles."])),
    min_size=1,
    max_size=12,
).map(lambda parts: "\n".join(p + line + end for p, line, end in parts))


@settings(max_examples=300, deadline=None)
@given(_passage, st.sampled_from(["\n", "\n\n", "\n|---|---|\n"]))
def test_every_piece_shown_is_verbatim(passage: str, joiner: str) -> None:
    text = joiner.join([passage, passage[::-1]])
    for candidate in candidates(text, 1):
        pieces = candidate.pieces(text)
        for piece in pieces:
            assert piece and piece in text
        flat = [" ".join(p.split()) for p in pieces]
        display = candidate.display(text)
        assert display in (LEAD_SEPARATOR.join(flat), " ".join(" ".join(pieces).split())) or (
            " ".join(text[candidate.lead.start : candidate.sentence.end].split()) == display
            if candidate.lead
            else False
        )


def test_focus_entity_and_attribute(vocabulary) -> None:
    cases = {
        "What is the G-CSF dose?": ("granulocyte colony-stimulating factor", DOSE),
        "how long is adjuvant osimertinib given": ("osimertinib", DURATION),
        "gFOBT interval": ("guaiac-based fecal occult blood test", INTERVAL),
        "HPV doses if started at 12": ("human papillomavirus", COUNT),
        "grade group for low-risk PCa": ("ISUP grade group", LABEL),
        "At what age should LDCT screening start?": ("low-dose computed tomography", AGE),
        "XELOX duration": ("CAPOX", DURATION),
    }
    for question, (entity, attribute) in cases.items():
        focus = question_focus(question, vocabulary)
        assert focus.entities[0].name == entity, question
        assert focus.attribute == attribute, question
    assert (
        question_focus(
            "Who should be screened for lung cancer with low-dose CT?", vocabulary
        ).attribute
        is None
    )


def test_vocabulary_abbreviations_case_and_user_file(tmp_path: Path) -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary) >= 200
    assert all(t.source for t in vocabulary.terms)
    found = {m.term.name for m in vocabulary.find("T-DM1 after TCHP; pembro q3w; XELOX; SBRT; WBI")}
    assert {"ado-trastuzumab emtansine", "TCHP", "pembrolizumab", "CAPOX"} <= found
    assert {"stereotactic body radiation therapy", "whole-breast irradiation"} <= found
    # Short capitals match only as written: "act" and "as" are words, not regimens.
    assert vocabulary.find("act as soon as all men can") == []
    # "non-" negates the name after it.
    names = {m.term.name for m in vocabulary.find("non-small cell lung cancer, stage IIIA")}
    assert "small cell lung cancer" not in names and "non-small cell lung cancer" in names
    assert {m.term.name for m in vocabulary.find("SCLC")} == {"small cell lung cancer"}
    assert "pegfilgrastim" in vocabulary.expand("G-CSF dose")
    (tmp_path / "vocabulary.yaml").write_text(
        "- name: pegfilgrastim\n  forms: [peg-G]\n  source: our pharmacy formulary\n"
        "- name: trilaciclib\n  kind: drug\n  forms: [Cosela]\n  source: NCI Drug Dictionary\n",
        encoding="utf-8",
    )
    extended = load_vocabulary(tmp_path)
    assert [m.term.name for m in extended.find("Cosela or peg-G?")] == [
        "trilaciclib",
        "pegfilgrastim",
    ]
    assert "our pharmacy formulary" in extended.by_name["pegfilgrastim"].source
    (tmp_path / "vocabulary.yaml").write_text("- name: x\n  colour: red\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown keys colour"):
        load_vocabulary(tmp_path)
    # A stop word as another name would make every question name the drug.
    (tmp_path / "vocabulary.yaml").write_text(
        "- name: pegfilgrastim\n  forms: [the, is]\n  source: local\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="'the' is too short or too common"):
        load_vocabulary(tmp_path)
    many = "".join(f"- name: drug{n}\n  source: local\n" for n in range(3001))
    (tmp_path / "vocabulary.yaml").write_text(many, encoding="utf-8")
    with pytest.raises(ConfigError, match="at most 3000"):
        load_vocabulary(tmp_path)


def test_entity_with_attribute_beats_a_similar_sentence(embedder, vocabulary) -> None:
    hits = [hit(NEUTROPENIA, 1, "Efficacy"), hit(GROWTH_FACTORS, 2)]
    question = "What is the pegfilgrastim dose?"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    assert not result.not_found
    first = result.sentences[0]
    assert first.rank == 2 and "6 mg subcutaneously" in first.text
    assert first.names_entity and DOSE in first.attributes
    assert result.text.startswith(first.text.rstrip(".") + " [2].")
    assert "17% to 1%" not in result.text  # similar, names pegfilgrastim, but no dose
    assert len(result.sentences) <= 3
    for sentence in result.sentences:
        passage = hits[sentence.rank - 1].chunk.text
        assert all(piece in passage for piece in sentence.pieces)


def test_table_row_answers_a_regimen_dose(embedder, vocabulary) -> None:
    hits = [hit(REGIMEN_TABLE, 1, "Regimens"), hit(ROW_LINES, 2, "Regimens")]
    question = "oxaliplatin dose in mFOLFOX6"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    assert "85 mg/m²" in result.sentences[0].text
    assert "| Regimen | Drug | Dose | Schedule |" in result.sentences[0].text


def test_no_dose_given_says_so_in_one_line(embedder, vocabulary) -> None:
    hits = [hit(NEUTROPENIA, 1, "Efficacy")]
    question = "What dose of pegfilgrastim is used?"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    assert result.not_found and not result.sentences
    assert result.text == "The indexed guidelines mention pegfilgrastim but give no dose for it."


def test_entity_absent_from_passages_is_not_found(embedder, vocabulary) -> None:
    hits = [hit(GROWTH_FACTORS, 1)]
    question = "What is the imatinib dose?"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    assert result.not_found and "do not mention imatinib" in result.reason


def test_near_duplicates_are_shown_once(embedder, vocabulary) -> None:
    hits = [hit(GROWTH_FACTORS, 1), hit(GROWTH_FACTORS.replace("\n", " \n"), 2)]
    question = "pegfilgrastim dose"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    texts = [s.text for s in result.sentences]
    assert len(texts) == len(set(texts))
    assert sum("6 mg subcutaneously" in t for t in texts) == 1


def test_stages_are_read_as_clinicians_write_them() -> None:
    from rag.answer.compose import stages

    assert stages("adjuvant therapy for stage IIIA colon cancer") == {3}
    assert stages("Stage 0 and stage I") == {0, 1}
    assert stages("stages I to III") == {1, 2, 3}
    assert stages("stages II and III, or stage 4") == {2, 3, 4}
    assert stages("Gleason 4+3, T2N0M0, no stage named") == set()
    assert stages("early stage I disease") == {1}
    for text in (
        "Any stage I NSCLC should be resected.",
        "For every stage I patient, surgery is offered.",
        "In which stage I tumours is adjuvant therapy indicated?",
        "What stage I disease needs chemotherapy?",
        "This stage I cohort was small.",
    ):
        assert stages(text) == {1}, text
    assert stages("at this stage IIIA disease is resectable") == {3}


def test_evidence_for_one_stage_is_not_quoted_from_another(corpus_home: Path) -> None:
    """ "Adjuvant chemotherapy is not given" holds for stage 0/I; asked about stage III it
    would read as the opposite of the recommendation."""
    from rag.assistant import Assistant
    from rag.config import load_settings

    assistant = Assistant(load_settings())
    answer = assistant.ask(
        "Which adjuvant chemotherapy is recommended for stage III colon cancer?", mode="evidence"
    )
    assert not answer.not_found
    assert "is not given" not in answer.text
    assert "FOLFOX" in answer.text or "CAPOX" in answer.text or "oxaliplatin" in answer.text
    assistant.close()


@pytest.mark.parametrize(
    "text",
    [
        "At what stage is adjuvant chemotherapy recommended?",
        "What is the treatment at each stage in metastatic disease?",
        "Reduce capecitabine in stage 3 chronic kidney disease.",
        "In CKD stage 4 the dose is halved.",
        "At this stage I recommend surgery.",
        "Which stage I should treat first is unclear.",
    ],
)
def test_words_after_stage_that_name_no_cancer_stage(text: str) -> None:
    from rag.answer.compose import stages

    assert stages(text) == set()


POPULATION = """The recommendation applies to asymptomatic adults at average risk of colorectal cancer.
It also applies to adults with a family history in one relative older than 60 years. It does not
apply to people with Lynch syndrome, familial adenomatous polyposis or inflammatory bowel disease.
Both colonoscopy and stool testing are acceptable strategies."""


def test_a_sentence_opening_with_it_is_shown_with_what_it_points_back_to() -> None:
    found = {c.display(POPULATION): c for c in candidates(POPULATION, 1)}
    excluded = next(text for text in found if "Lynch syndrome" in text)
    # Each "It ..." sentence of a run comes with the sentence the run refers to.
    assert excluded.startswith("The recommendation applies to asymptomatic adults")
    assert "It also applies" not in excluded and excluded.endswith("inflammatory bowel disease.")
    assert LEAD_SEPARATOR + "It does not" in excluded
    also = next(text for text in found if "It also applies" in text)
    assert also.startswith("The recommendation applies") and LEAD_SEPARATOR not in also
    both = next(text for text in found if text.startswith("Both colonoscopy"))
    assert found[both].lead is None  # "Both ... and ..." points nowhere
    # Cut from its context, the "It ..." sentence has nothing to point back to (the
    # composer then never quotes it: next test).
    cut = POPULATION[POPULATION.index("It does not") :]
    first = candidates(cut, 1)[0]
    assert first.display(cut).startswith("It does not") and first.previous is None


def test_an_anaphoric_opening_sentence_is_not_quoted(embedder, vocabulary) -> None:
    cut = POPULATION[POPULATION.index("It does not") :]
    hits = [hit(cut, 1, "Population")]
    question = "Is colorectal screening for people with Lynch syndrome covered?"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    assert all(not s.text.startswith("It ") for s in result.sentences)


SCHEDULES = """- Two doses, 6 to 12 months apart, for people who start the series before their 15th
  birthday.
- Three doses, at 0, 1 to 2, and 6 months, for people who start at ages 15 to 26."""

VACCINE = """The 9-valent HPV vaccine (9vHPV) protects against the HPV types that cause most
cervical, anal, oropharyngeal, vaginal, vulvar and penile cancers."""


def test_a_heading_that_names_the_entity_makes_its_sentences_about_it(embedder, vocabulary) -> None:
    """Items under "HPV vaccination … > Dosing schedules" answer an HPV question although
    they never write "HPV"; "3 dose schedule" asks how many doses, not how much."""
    question = "HPV 3 dose schedule - who needs it"
    focus = question_focus(question, vocabulary)
    assert focus.attributes == (COUNT,)
    schedules = hit(SCHEDULES, 1, "Dosing schedules")
    schedules = Hit(
        replace(schedules.chunk, section_path=("HPV vaccination (CDC digest)", "Dosing schedules")),
        1,
        1.0,
        0.5,
        1.0,
    )
    hits = [hit(VACCINE, 2, "Vaccine and cancers prevented"), schedules]
    result = compose(question, hits, focus, vocabulary, embedder)
    assert "0, 1 to 2, and 6 months" in result.sentences[0].text
    assert result.sentences[0].names_entity


def test_a_definition_question_prefers_the_defining_sentence(embedder, vocabulary) -> None:
    text = (
        "Active surveillance for low-risk prostate cancer reduces the harms of overtreatment.\n\n"
        "Localized prostate cancer is grouped by clinical T stage, grade group and PSA. Low risk "
        "means T1 to T2a, grade group 1 and PSA below 10 ng/mL."
    )
    question = "definition of low-risk prostate cancer"
    result = compose_for(question, [hit(text, 1, "Risk groups")], vocabulary, embedder)
    assert "T1 to T2a" in result.sentences[0].text, result.sentences


def in_document(found: Hit, *section_path: str) -> Hit:
    return replace(found, chunk=replace(found.chunk, section_path=section_path))


SURVEILLANCE = """Carcinoembryonic antigen (CEA) is measured every 3 to 6 months for 2 years, then every
6 months up to 5 years. CT of the chest, abdomen and pelvis is done every 6 to 12 months for 5
years, and colonoscopy 1 year after surgery."""

SCREENING_TESTS = """- Fecal immunochemical test (FIT): every year.
- Computed tomography (CT) colonography: every 5 years.
- Colonoscopy: every 10 years."""


def test_another_guidelines_interval_does_not_join_a_surveillance_answer(
    embedder, vocabulary
) -> None:
    """The known fault: a CT-colonography screening interval quoted under a question about
    surveillance after colon cancer surgery."""
    hits = [
        in_document(hit(SURVEILLANCE, 1), "Colon cancer treatment", "Surveillance after treatment"),
        in_document(
            hit(SCREENING_TESTS, 2), "Colorectal Cancer Screening", "Screening tests and intervals"
        ),
    ]
    question = "CT surveillance interval after colon cancer resection"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    assert "every 6 to 12 months" in result.text
    assert all(s.rank == 1 for s in result.sentences), result.text


def test_every_statement_of_a_quoted_sentence_carries_its_marker() -> None:
    """A recommendation followed by its grade ("… screening. Grade B.") is one statement for
    the claim checks, grade included; every statement gets the marker, so the evidence answer
    never reads as uncited."""
    from rag.answer.compose import _marked
    from rag.checks.verify import split_claims

    shown = (
        "Women aged 40 to 74 years should have screening mammography every 2 years "
        "(biennial screening). Grade B."
    )
    marked = _marked(shown, 3)
    assert marked.endswith("(biennial screening). Grade B [3].")
    assert split_claims(marked) == [(shown, (3,))]
    two = _marked("Screen every 3 years. Do not screen before age 21.", 1)
    assert [cited for _, cited in split_claims(two)] == [(1,), (1,)]
    assert _marked("Oxaliplatin 85 mg/m² IV on day 1", 2) == "Oxaliplatin 85 mg/m² IV on day 1 [2]"
    # a run-in heading in emphasis is a statement of its own, read without the emphasis
    run_in = _marked("*Hepatotoxicity.* Check liver tests before each cycle. Stop at grade 3.", 4)
    statements = split_claims(run_in)
    assert len(statements) >= 2 and all(cited == (4,) for _, cited in statements)
    assert "*" not in run_in


def test_current_advice_is_quoted_before_an_earlier_version(embedder, vocabulary) -> None:
    from rag.answer.compose import compose
    from rag.answer.focus import question_focus

    current = hit(
        "Women aged 40 to 74 years should have screening mammography every 2 years.",
        1,
        section="Recommendation summary",
    )
    earlier = hit(
        "The 2016 statement recommended biennial mammography from age 50 to 74 years.",
        2,
        section="Change from the 2016 recommendation",
    )
    question = "At what age should women start screening mammography, and how often?"
    found = compose(
        question, [earlier, current], question_focus(question, vocabulary), vocabulary, embedder
    )
    assert found.sentences[0].text.startswith("Women aged 40 to 74")


@pytest.mark.parametrize(
    "opening",
    [
        "In these patients, capecitabine is started at 950 mg/m² twice daily.",
        "For them, irinotecan is started at 120 mg/m².",
        "For everyone else, capecitabine is given at 1250 mg/m² twice daily.",
        "However, the dose is reduced by a quarter.",
        "Thereafter, CEA is measured every 6 months.",
    ],
)
def test_openings_that_point_back_are_anaphors(opening: str) -> None:
    from rag.answer.compose import anaphoric

    assert anaphoric(opening)


def test_plain_openings_are_not_anaphors() -> None:
    from rag.answer.compose import anaphoric

    for text in ("In stage III disease, CAPOX is given.", "For patients with CrCl below 30."):
        assert not anaphoric(text), text


def test_a_sentence_under_a_heading_against_it_is_not_quoted(embedder, vocabulary) -> None:
    """Listed under "Regimens not recommended", a dose reads as advice when quoted alone."""
    from rag.answer.compose import compose
    from rag.answer.focus import question_focus

    listed = hit(
        "Bevacizumab 7.5 mg/kg every 3 weeks added to adjuvant CAPOX for stage III colon cancer.",
        1,
        section="Regimens not recommended in the adjuvant setting",
    )
    question = "What is the bevacizumab dose?"
    found = compose(question, [listed], question_focus(question, vocabulary), vocabulary, embedder)
    assert "7.5 mg/kg" not in found.text
    said = hit(
        "Bevacizumab should not be added to adjuvant chemotherapy for colon cancer.",
        2,
        section="Regimens not recommended in the adjuvant setting",
    )
    question = "Is bevacizumab added to adjuvant chemotherapy?"
    found = compose(question, [said], question_focus(question, vocabulary), vocabulary, embedder)
    assert "should not be added" in found.text
    # Headings that merely contain "against" or "do not" advise against nothing.
    for section in ("Vaccination against HPV", "Patients who do not respond to first-line"):
        dosed = hit("Bevacizumab 7.5 mg/kg every 3 weeks is given with CAPOX.", 3, section=section)
        question = "What is the bevacizumab dose?"
        focus = question_focus(question, vocabulary)
        assert "7.5 mg/kg" in compose(question, [dosed], focus, vocabulary, embedder).text


NSCLC_FIRST_LINE = """First-line therapy without a driver alteration
With PD-L1 expression of 50% or more, pembrolizumab monotherapy is an option: 200 mg IV every
3 weeks or 400 mg IV every 6 weeks, for up to 2 years. For non-squamous disease regardless of
PD-L1, carboplatin AUC 5 plus pemetrexed 500 mg/m² plus pembrolizumab every 3 weeks for 4
cycles is followed by pemetrexed and pembrolizumab maintenance.
Patients receiving pemetrexed take folic acid 400 to 1,000 micrograms by mouth daily and
receive vitamin B12 1,000 micrograms intramuscularly every 9 weeks, starting 1 week before the
first dose, plus dexamethasone to prevent skin rash."""


def compose_for(question: str, hits: list[Hit], vocabulary, embedder):
    return compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)


def titled(text: str, rank: int, section: str, title: str) -> Hit:
    """A passage of the guideline called ``title`` (what it is about: a cancer, a drug...)."""
    found = hit(text, rank, section)
    return replace(found, chunk=replace(found.chunk, title=title))


def lung_hit(text: str, rank: int, section: str) -> Hit:
    return titled(text, rank, section, "Non-small cell lung cancer treatment")


def test_a_dose_belongs_to_the_drug_named_before_it_in_its_clause(vocabulary) -> None:
    from rag.answer.focus import dose_belongs

    terms = vocabulary.by_name
    regimen = " ".join(NSCLC_FIRST_LINE.split("\n")[2:5])
    supportive = " ".join(NSCLC_FIRST_LINE.split("\n")[5:])
    assert dose_belongs(regimen, terms["pemetrexed"], vocabulary) is True
    assert dose_belongs(regimen, terms["carboplatin"], vocabulary) is True  # AUC 5
    # "Patients receiving pemetrexed take folic acid 400 to 1,000 micrograms": folic acid's.
    assert dose_belongs(supportive, terms["pemetrexed"], vocabulary) is False
    assert dose_belongs(supportive, terms["folic acid"], vocabulary) is True
    assert dose_belongs(supportive, terms["dexamethasone"], vocabulary) is False
    # A dose with no drug in its sentence is told by its heading or the sentence before.
    assert dose_belongs("Give 6 mg once per cycle.", terms["pegfilgrastim"], vocabulary) is None
    assert dose_belongs("Give 200 mg of pembrolizumab.", terms["pembrolizumab"], vocabulary)


def test_another_drugs_dose_is_never_the_answer(embedder, vocabulary) -> None:
    hits = [lung_hit(NSCLC_FIRST_LINE, 1, "First-line treatment without a driver alteration")]

    def answer(question: str):
        return compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)

    pemetrexed = answer("What is the pemetrexed dose?")
    assert "pemetrexed 500 mg/m²" in pemetrexed.text
    assert "folic acid" not in pemetrexed.text.split("[")[0]
    # Dexamethasone is named, but no dose is given for it: pemetrexed's is no answer.
    dexamethasone = answer("dexamethasone dose with pemetrexed")
    assert dexamethasone.not_found and not dexamethasone.sentences
    assert dexamethasone.text == (
        "The indexed guidelines mention dexamethasone but give no dose for it."
    )
    # A drug the passages never name: a test and the disease they share are not enough.
    cemiplimab = answer("cemiplimab dose for NSCLC with PD-L1 50%")
    assert cemiplimab.not_found and "do not mention cemiplimab" in cemiplimab.reason


def test_a_treatments_dose_for_another_cancer_is_no_answer(embedder, vocabulary) -> None:
    adjuvant = (
        "For stage II to IIIA tumours with PD-L1 expression of 1% or more, atezolizumab 1,200 mg "
        "IV every 3 weeks for up to 1 year may follow adjuvant chemotherapy."
    )
    hits = [lung_hit(adjuvant, 1, "Adjuvant therapy after resection")]
    for question, expected in (
        ("atezolizumab dose in colon cancer", None),
        ("atezolizumab dose in NSCLC", "atezolizumab 1,200 mg"),
    ):
        result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
        if expected is None:
            assert result.not_found
            assert result.text == (
                "The indexed guidelines mention atezolizumab but give no dose for it in colon "
                "cancer."
            )
        else:
            assert expected in result.text and not result.not_found


def test_a_dose_without_its_drug_is_shown_with_the_sentence_naming_it(embedder, vocabulary) -> None:
    text = (
        "Trastuzumab is given with chemotherapy and continued to complete 1 year (52 weeks) of "
        "treatment. The every-3-weeks schedule is a loading dose of 8 mg/kg followed by 6 mg/kg "
        "every 3 weeks; the weekly schedule is 4 mg/kg then 2 mg/kg every week."
    )
    hits = [titled(text, 1, "HER2-positive disease", "Breast cancer treatment")]
    question = "trastuzumab dose in breast cancer"
    result = compose(question, hits, question_focus(question, vocabulary), vocabulary, embedder)
    assert result.text.startswith("Trastuzumab is given with chemotherapy")
    assert "8 mg/kg followed by 6 mg/kg every 3 weeks [1]; the weekly schedule" in result.text


def test_the_subject_is_the_term_the_question_asks_the_value_of(vocabulary) -> None:
    cases = {
        "dexamethasone dose with pemetrexed": "dexamethasone",
        "What is the pemetrexed dose?": "pemetrexed",
        "dose of nivolumab with FOLFOX": "nivolumab",
        "cabazitaxel dose after docetaxel": "cabazitaxel",
        "cemiplimab dose for NSCLC with PD-L1 50%": "cemiplimab",
    }
    for question, subject in cases.items():
        focus = question_focus(question, vocabulary)
        assert focus.subject is not None and focus.subject.name == subject, question
    # Only a disease and a population: no subject, every entity counts.
    focus = question_focus("screening for women with dense breasts", vocabulary)
    assert focus.subject is None and focus.subjects == focus.entities
    # A trial whose name is an English word is named only as written.
    assert "START" not in [t.name for t in vocabulary.terms_in("when the series starts at 16")]
    assert "START" in [t.name for t in vocabulary.terms_in("the UK START trials")]


_SENTENCES = st.sampled_from(
    [
        "Pegfilgrastim 6 mg is given once per cycle, 24 to 72 hours after chemotherapy.",
        "Patients receiving pemetrexed take folic acid 400 to 1,000 micrograms daily.",
        "The every-3-weeks schedule is a loading dose of 8 mg/kg followed by 6 mg/kg; the "
        "weekly schedule is 4 mg/kg.",
        "It is continued for 5 years (HR 0.71; 95% CI, 0.60-0.84; P < .001).",
        "Trastuzumab is given for 1 year.",
        "- mFOLFOX6, every 14 days: oxaliplatin 85 mg/m² IV on day 1.",
        "Regimen: CAPOX | Dose: 130 mg/m² | Schedule: every 21 days",
        "Screening is not recommended after age 75. Grade D.",
    ]
)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(_SENTENCES, min_size=1, max_size=6),
    st.sampled_from(["pegfilgrastim dose", "trastuzumab dose", "how long", "mFOLFOX6 doses"]),
)
def test_what_compose_shows_is_verbatim_passage_text(
    embedder, vocabulary, sentences: list[str], question: str
) -> None:
    from rag.text import strip_citations

    text = "\n".join(sentences)
    result = compose(
        question, [hit(text, 1)], question_focus(question, vocabulary), vocabulary, embedder
    )
    for chosen in result.sentences:
        assert all(piece in text for piece in chosen.pieces)
        flat = " ".join(text.split())
        for part in chosen.text.split(LEAD_SEPARATOR):
            assert part in flat
    if result.sentences:
        shown = " ".join(c.text for c in result.sentences)
        assert " ".join(strip_citations(result.text).split()) == " ".join(shown.split())


def test_another_cancers_guideline_does_not_answer(embedder, vocabulary) -> None:
    colorectal = titled(
        "Adults aged 45 to 49 years: screen for colorectal cancer. Grade B.",
        1,
        "Dosing",
        "Colorectal screening",
    )
    breast = titled(
        "Women aged 40 to 74 years should have screening mammography every 2 years. Grade B.",
        2,
        "Dosing",
        "Breast cancer screening",
    )
    question = "breast screening age 45"
    result = compose(
        question, [colorectal, breast], question_focus(question, vocabulary), vocabulary, embedder
    )
    assert result.sentences and result.sentences[0].rank == 2
    assert "colorectal" not in result.text


def test_a_question_about_who_should_not_gets_the_advice_against_first(
    embedder, vocabulary
) -> None:
    text = (
        "Recommendation summary\n"
        "Women aged 21 to 29 years: screen every 3 years with cervical cytology alone. Grade A.\n\n"
        "Women younger than 21 years: do not screen. Grade D.\n\n"
        "Women older than 65 years with adequate prior screening: do not screen. Grade D."
    )
    cervical = titled(text, 1, "Recommendation summary", "Cervical cancer screening")
    question = "cervical screening under 21"
    result = compose(
        question, [cervical], question_focus(question, vocabulary), vocabulary, embedder
    )
    assert result.text.startswith("Women younger than 21 years: do not screen")


def test_a_paragraph_opening_with_it_is_shown_with_the_paragraph_before() -> None:
    text = (
        "The recommendation applies to women at average risk of breast cancer.\n\n"
        "It does not apply to people with a BRCA1 or BRCA2 mutation."
    )
    items = shown(text)
    assert (
        "The recommendation applies to women at average risk of breast cancer. It does not "
        "apply to people with a BRCA1 or BRCA2 mutation." in items
    )
    assert "It does not apply to people with a BRCA1 or BRCA2 mutation." not in items


def test_when_to_start_is_no_answer_to_how_long(embedder, vocabulary) -> None:
    text = (
        "After resection of stage III colon cancer, adjuvant oxaliplatin-based chemotherapy is "
        "recommended, ideally starting within 6 to 8 weeks of surgery. For high-risk stage III "
        "disease (T4 or N2), 6 months of therapy is recommended."
    )
    colon = titled(text, 1, "Stage III: adjuvant chemotherapy", "Colon cancer treatment")
    question = "duration adjuvant chemo high-risk stage III colon"
    result = compose(question, [colon], question_focus(question, vocabulary), vocabulary, embedder)
    assert result.text.startswith("For high-risk stage III disease (T4 or N2), 6 months")


def test_a_documents_own_reference_numbers_end_a_sentence_and_are_not_shown() -> None:
    text = (
        "Adjuvant pembrolizumab 200 mg every 3 weeks for up to 1 year improved relapse-free "
        "survival compared with placebo.[12] The 3-year relapse-free survival rate was 63.7% "
        "with pembrolizumab versus 44.9% with placebo (HR, 0.56; 95% CI, 0.47–0.68).[13,14] "
        "Nivolumab 480 mg every 4 weeks for up to 1 year is an alternative.[15-17]"
    )
    assert shown(text) == [
        "Adjuvant pembrolizumab 200 mg every 3 weeks for up to 1 year improved relapse-free "
        "survival compared with placebo.",
        "The 3-year relapse-free survival rate was 63.7% with pembrolizumab versus 44.9% with "
        "placebo (HR, 0.56; 95% CI, 0.47–0.68).",
        "Nivolumab 480 mg every 4 weeks for up to 1 year is an alternative.",
    ]
    # PDQ's evidence tags and a PDF's superscripts glued to the full stop end a sentence too;
    # a decimal does not.
    assert shown(
        "RFS improved with pembrolizumab.[12][Level of evidence B1] Nivolumab is an "
        "alternative.14,15 The HR was 0.12 Median OS was longer."
    ) == [
        "RFS improved with pembrolizumab.",
        "Nivolumab is an alternative.",
        "The HR was 0.12 Median OS was longer.",
    ]
    # A bracket that is no reference list stays: "[I, A]" grades, "[95% CI]".
    graded = "Pembrolizumab is recommended [I, A]. Nivolumab is an alternative [I, A]."
    assert shown(graded) == [
        "Pembrolizumab is recommended [I, A].",
        "Nivolumab is an alternative [I, A].",
    ]


def test_when_an_outcome_was_measured_is_no_treatment_duration(embedder, vocabulary) -> None:
    from rag.answer.focus import sentence_attributes

    for sentence in (
        "Event-free survival (EFS) at 2 years was 72% in the neoadjuvant-adjuvant arm.",
        "The 4-year RFS rate was 51.7% with nivolumab and 41.2% with ipilimumab.",
        "At a median follow-up of 20.9 months, the RFS rate was 85.8% in the pembrolizumab arm.",
    ):
        assert DURATION not in sentence_attributes(sentence), sentence
    for sentence in (
        "Pembrolizumab is given for up to 1 year.",
        "Tamoxifen for 5 years reduces recurrence by about a third.",
        "Pembrolizumab may be stopped at 2 years.",
    ):
        assert DURATION in sentence_attributes(sentence), sentence
    text = (
        "Evidence (adjuvant pembrolizumab):\n"
        "1. In a randomized trial of 1,019 patients, pembrolizumab 200 mg or placebo was given "
        "every 3 weeks for up to 18 doses (approximately 1 year).\n"
        "   - Event-free survival at 2 years was 72% with pembrolizumab and 49% with placebo."
    )
    question = "how long is adjuvant pembrolizumab given"
    result = compose_for(
        question, [titled(text, 1, "Stage III", "Melanoma treatment")], vocabulary, embedder
    )
    assert "for up to 18 doses (approximately 1 year)" in result.sentences[0].text
    # A list's lead-in is never an answer by itself.
    assert all(not s.text.endswith(":") for s in result.sentences)


def test_a_dose_for_any_cancer_answers_for_the_one_asked(embedder, vocabulary) -> None:
    """A dosing passage naming no disease answers for the disease asked; a guideline about
    another disease, or another site's ("Oesophagogastric" covers gastric), does not."""
    dosing = "Pembrolizumab is given at 200 mg every 3 weeks or 400 mg every 6 weeks."
    cases = (
        ("Immune checkpoint inhibitor dosing", "pembrolizumab dose in melanoma", True),
        ("Non-small cell lung cancer treatment", "pembrolizumab dose in melanoma", False),
        ("Oesophagogastric cancer: ESMO guideline", "pembrolizumab dose in gastric cancer", True),
    )
    for title, question, answered in cases:
        result = compose_for(question, [titled(dosing, 1, "Dosing", title)], vocabulary, embedder)
        assert (not result.not_found) is answered, (title, question, result.text)


def test_lead_in_doses_plain_text_headings_and_running_headers(embedder, vocabulary) -> None:
    from rag.answer.focus import dose_belongs

    terms = vocabulary.by_name
    # The first dose after a lead-in is the lead-in's first drug's; later ones their own.
    lead = (
        "Ribociclib plus a non-steroidal aromatase inhibitor: 400 mg once daily on days 1-21 "
        "plus letrozole 2.5 mg daily, for 3 years"
    )
    assert dose_belongs(lead, terms["ribociclib"], vocabulary) is True
    assert dose_belongs(lead, terms["letrozole"], vocabulary) is True
    # Only the treatments joined in the lead-in: the setting's drug is not its first.
    setting = (
        "Patients previously treated with docetaxel receive cabazitaxel plus prednisone: 25 mg/m²"
    )
    assert dose_belongs(setting, terms["cabazitaxel"], vocabulary) is True
    assert dose_belongs(setting, terms["docetaxel"], vocabulary) is False
    # A dose is a drug's: "nivolumab maintenance dose" asks about nivolumab.
    focus = question_focus("nivolumab maintenance dose after ipilimumab", vocabulary)
    assert focus.subject is not None and focus.subject.name == "nivolumab"
    # A plain-text heading and a running header are never quoted as an answer.
    text = (
        "Renal Cell Cancer Treatment (PDQ)–Health Professional Version Page 1 of 9\n\n"
        "Who should not receive checkpoint inhibitors\n\n"
        "Checkpoint inhibitors should not be given to recipients of a solid organ transplant."
    )
    assert shown(text)[-1].startswith("Checkpoint inhibitors should not be given")
    question = "who should not receive checkpoint inhibitors"
    result = compose_for(
        question,
        [titled(text, 1, "Immunotherapy", "Renal cell cancer treatment")],
        vocabulary,
        embedder,
    )
    assert result.text.startswith("Checkpoint inhibitors should not be given")


def test_a_drug_the_vocabulary_lacks_gets_only_its_own_dose(embedder, vocabulary) -> None:
    text = (
        "Belzutifan, an oral HIF-2 alpha inhibitor, is given at 120 mg once daily after "
        "progression on a checkpoint inhibitor and a VEGFR tyrosine kinase inhibitor. "
        "Tivozanib is an option in the third or fourth line; the recommended dose is 1.34 mg "
        "once daily for 21 days of each 28-day cycle.\n\n"
        "Agent: ipilimumab | Dose: 1 mg/kg IV every 3 weeks for 4 doses"
    )
    hits = [titled(text, 1, "Later lines", "Renal cell cancer treatment")]
    result = compose_for("belzutifan dose", hits, vocabulary, embedder)
    assert result.text.startswith("Belzutifan, an oral HIF-2 alpha inhibitor")
    assert "Tivozanib" not in result.text and "ipilimumab |" not in result.text


def test_is_it_recommended_gets_the_recommendation_before_a_trial_result(
    embedder, vocabulary
) -> None:
    text = (
        "In the KEYNOTE-426 trial, 861 patients with previously untreated advanced clear cell "
        "RCC were randomly assigned to pembrolizumab plus axitinib or to sunitinib.\n\n"
        "Sunitinib monotherapy was the standard first-line treatment until 2018; it is no "
        "longer recommended as first-line therapy for patients who can receive a combination."
    )
    hits = [titled(text, 1, "First-line therapy", "Renal cell cancer treatment")]
    question = "is sunitinib recommended first line for metastatic RCC"
    result = compose_for(question, hits, vocabulary, embedder)
    assert result.text.startswith("Sunitinib monotherapy was the standard first-line treatment")
