"""BM25 in NumPy gives bm25s's scores (Lucene variant, bm25s's defaults) on random corpora."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.retrieval.lexical import LexicalIndex, tokenize

WORDS = [
    "pegfilgrastim", "dose", "mg", "cycle", "osimertinib", "adjuvant", "years", "hr", "0.23",
    "ci", "folfox", "oxaliplatin", "85", "mg/m2", "every", "14", "days", "screening", "ldct",
    "annual", "stage", "iii", "colon", "cancer", "neutropenia", "febrile", "grade",
]  # fmt: skip

documents = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=40).map(" ".join),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(texts=documents, query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
def test_scores_equal_bm25s(texts: list[str], query: list[str]) -> None:
    ours = LexicalIndex([f"c{i}" for i in range(len(texts))], texts)
    reference = bm25s.BM25()
    reference.index([tokenize(t) or ["\x00empty"] for t in texts], show_progress=False)
    terms = [t for t in tokenize(" ".join(query)) if t in ours.vocabulary]
    if not terms:
        assert ours.search(" ".join(query), 5) == []
        return
    expected = np.asarray(reference.get_scores(terms))
    np.testing.assert_allclose(ours.scores(terms), expected, rtol=1e-6, atol=1e-7)
    # Search returns the best chunks first, positive scores only.
    found = ours.search(" ".join(query), 5)
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert all(s > 0 for _, s in found)
    assert found and found[0][1] == pytest.approx(float(expected.max()), rel=1e-6)


def test_a_rare_term_outweighs_a_common_one() -> None:
    texts = [
        "Pegfilgrastim 6 mg once per cycle.",
        "G-CSF is given once per cycle after chemotherapy.",
        "Each cycle lasts 21 days; the cycle starts on day 1.",
    ]
    index = LexicalIndex(["a", "b", "c"], texts)
    assert [cid for cid, _ in index.search("pegfilgrastim cycle", 3)][0] == "a"
    assert index.search("nivolumab", 3) == []
    assert LexicalIndex([], []).search("cycle", 3) == []


def test_equal_scores_keep_the_corpus_order() -> None:
    texts = ["Osimertinib for 3 years."] * 6
    index = LexicalIndex([f"c{i}" for i in range(6)], texts)
    assert [cid for cid, _ in index.search("osimertinib", 4)] == ["c0", "c1", "c2", "c3"]
