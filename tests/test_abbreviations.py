"""Abbreviations a text defines, read so that a spelled-out term and its abbreviation match."""

from __future__ import annotations

from rag.checks.abbreviations import COMMON, contract, contract_regimens, definitions, regimens


def test_definitions_in_brackets_and_glossaries() -> None:
    defined = definitions(
        [
            "Diffuse large B-cell lymphoma (DLBCL) makes up about 30% of non-Hodgkin lymphoma "
            "(NHL). Factor: Eastern Cooperative Oncology Group (ECOG) performance status. The "
            "revised International Staging System (R-ISS) and a creatinine clearance (CrCl).",
            "ADT, androgen deprivation therapy; mCRPC, metastatic castration-resistant prostate "
            "cancer; PSA, prostate-specific antigen.",
        ]
    )
    assert defined["diffuse large b-cell lymphoma"] == "DLBCL"
    assert defined["non-hodgkin lymphoma"] == "NHL"
    assert defined["revised international staging system"] == "R-ISS"
    assert defined["androgen deprivation therapy"] == "ADT"
    assert defined["metastatic castration-resistant prostate cancer"] == "mCRPC"


def test_what_is_no_definition() -> None:
    defined = definitions(
        [
            # a regimen named by its drugs, a one-word term, a count and a trial arm
            "bortezomib, lenalidomide and dexamethasone (VRd); in myeloma (MM); "
            "patients (n = 120); the control arm (R-CHOP)"
        ]
    )
    assert set(defined) == set(COMMON)
    assert definitions(["newly diagnosed multiple myeloma (MM)"])["multiple myeloma"] == "MM"


def test_contract_writes_each_defined_term_as_its_abbreviation() -> None:
    defined = definitions(
        ["Distant metastasis–free survival (DMFS) and non-Hodgkin lymphoma (NHL)"]
    )
    assert contract("distant metastasis-free survival at 24 months", defined) == "DMFS at 24 months"
    assert contract("30% of non-Hodgkin lymphomas", defined) == "30% of NHL"
    assert contract("non-Hodgkin lymphoma (NHL) in adults", defined) == "NHL in adults"
    # a longer word that begins with the term is left alone
    assert contract("absolute neutrophil counts", defined) == "ANC"
    assert contract("the creatinine clearances", {}) == "the creatinine clearances"


def test_regimens_spelled_out_by_their_drugs() -> None:
    drugs = regimens(
        [
            "ASCT, autologous stem cell transplantation; Dara-VRd, daratumumab plus bortezomib, "
            "lenalidomide and dexamethasone; EFS, event-free survival.",
            "1. R-CHOP (rituximab, cyclophosphamide, doxorubicin, vincristine, and prednisone) "
            "for four cycles; docetaxel and cyclophosphamide (TC) every 3 weeks.",
            # terms, not regimens: an abbreviation of its words, and a one-capital name
            "overall survival (OS) and progression-free survival (PFS); Quadruplet (a, b and c)",
        ]
    )
    assert drugs == {
        "Dara-VRd": frozenset({"daratumumab", "bortezomib", "lenalidomide", "dexamethasone"}),
        "R-CHOP": frozenset(
            {"rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"}
        ),
        "TC": frozenset({"docetaxel", "cyclophosphamide"}),
    }


def test_contract_regimens_names_exactly_the_regimens_drugs() -> None:
    drugs = {
        "Dara-VRd": frozenset({"daratumumab", "bortezomib", "lenalidomide", "dexamethasone"}),
        "VRd": frozenset({"bortezomib", "lenalidomide", "dexamethasone"}),
    }
    assert (
        contract_regimens(
            "Induction with daratumumab, bortezomib, lenalidomide and dexamethasone is preferred.",
            drugs,
        )
        == "Induction with Dara-VRd is preferred."
    )
    # a run inside a longer list, in another order, joined by "plus"
    assert (
        contract_regimens("Induction, lenalidomide plus bortezomib and dexamethasone, is", drugs)
        == "Induction, VRd, is"
    )
    # two of the three drugs are no regimen; the words around a list are kept
    assert contract_regimens("lenalidomide and dexamethasone", drugs) == (
        "lenalidomide and dexamethasone"
    )
    assert contract_regimens("no list here", {}) == "no list here"


def test_glossary_entries_with_dashes_and_letters_inside_words() -> None:
    """A glossary states its pairings itself: a term with an en dash, and abbreviations whose
    letters stand inside words (SBRT, TACE, AFP), are read; a list of drugs is not a term, and
    a term must start with the abbreviation's first letter."""
    defined = definitions(
        [
            "AFP, alpha-fetoprotein; HFSR, hand–foot skin reaction; SBRT, stereotactic body "
            "radiotherapy; TACE, transarterial chemoembolisation; CRT, chemoradiotherapy; "
            "CAPOX, capecitabine and oxaliplatin; XYZ, overall survival."
        ]
    )
    assert defined["alpha-fetoprotein"] == "AFP"
    assert defined["hand–foot skin reaction"] == "HFSR"
    assert defined["stereotactic body radiotherapy"] == "SBRT"
    assert defined["transarterial chemoembolisation"] == "TACE"
    assert defined["chemoradiotherapy"] == "CRT"
    assert "capecitabine and oxaliplatin" not in defined
    assert "overall survival" not in defined
    assert contract("Hand-foot skin reaction of any grade", defined) == "HFSR of any grade"


def test_glossary_written_as_a_list() -> None:
    """A consensus document lists its abbreviations one a line ("- CRT — chemoradiotherapy",
    "VBT: vaginal brachytherapy", "FFS = failure-free survival"); the pairing must still hold,
    and a table row's "Organ: Bladder" or a heading's "NCCN: Preferred regimens" defines
    nothing."""
    defined = definitions(
        [
            "- CRT — chemoradiotherapy\n- EBRT – external beam radiotherapy\n"
            "VBT: vaginal brachytherapy\nFFS = failure-free survival\n- XYZ — overall survival\n"
            "NCCN: Preferred regimens\nOrgan: Bladder | Parameter: D2cm³\n"
            "- EBRT: external beam radiotherapy 45 Gy in 25 fractions"
        ]
    )
    listed = {
        "chemoradiotherapy": "CRT",
        "external beam radiotherapy": "EBRT",
        "vaginal brachytherapy": "VBT",
        "failure-free survival": "FFS",
    }
    assert {term: defined.get(term) for term in listed} == listed
    assert not {"overall survival", "preferred regimens", "bladder"} & set(defined)
    # a list item that gives a value is no definition: its doses must not be read away
    assert not any("45 gy" in term for term in defined)
