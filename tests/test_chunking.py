"""Chunker invariants (Hypothesis): offsets exact, cap respected, nothing lost, ids stable."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rag.ingest.chunking import chunk_segments
from rag.text import parse_citations
from rag.types import Segment

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.,;:-%/", min_size=1, max_size=14)
sentences = st.lists(words, min_size=1, max_size=25).map(lambda ws: " ".join(ws) + ".")
paragraphs = st.lists(sentences, min_size=1, max_size=6).map(" ".join)
bodies = st.lists(
    st.one_of(
        paragraphs,
        st.lists(sentences, min_size=1, max_size=5).map(
            lambda items: "\n".join(f"- {i}" for i in items)
        ),
    ),
    min_size=1,
    max_size=6,
).map("\n\n".join)


@st.composite
def documents(draw):
    texts = draw(st.lists(bodies, min_size=1, max_size=4))
    segments, offset, source = [], 0, ""
    for number, text in enumerate(texts):
        heading = f"# Section {number}\n"
        source += heading
        offset = len(source)
        segments.append(Segment(text, (f"Section {number}",), number % 2 or None, offset))
        source += text + "\n"
    return source, segments


@settings(max_examples=80, deadline=None)
@given(documents(), st.integers(200, 900), st.integers(0, 150))
def test_chunk_invariants(document, size, overlap) -> None:
    source, segments = document
    chunks = chunk_segments(
        segments, doc_id="doc", doc_hash="h", title="T", size=size, overlap=min(overlap, size - 1)
    )
    for chunk in chunks:
        assert 0 < len(chunk.text) <= size
        assert source[chunk.start : chunk.end] == chunk.text  # offsets point at the text
        owner = next(s for s in segments if s.section_path == chunk.section_path)
        assert owner.offset <= chunk.start and chunk.end <= owner.offset + len(owner.text)
        assert chunk.page == owner.page
    # Nothing is lost: every word of every segment is in some chunk of that segment.
    for segment in segments:
        covered = " ".join(c.text for c in chunks if c.section_path == segment.section_path)
        for word in re.findall(r"\S+", segment.text):
            assert word in covered
    # Same input, same ids; ids are unique.
    again = chunk_segments(
        segments, doc_id="doc", doc_hash="h", title="T", size=size, overlap=min(overlap, size - 1)
    )
    assert [c.chunk_id for c in again] == [c.chunk_id for c in chunks]
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_paragraphs_kept_whole_when_they_fit() -> None:
    text = "First paragraph about screening.\n\nSecond paragraph about harms.\n\n- item one\n- item two"
    chunks = chunk_segments(
        [Segment(text, ("S",), None, 0)], doc_id="d", doc_hash="h", title="T", size=40, overlap=0
    )
    assert [c.text for c in chunks] == [
        "First paragraph about screening.",
        "Second paragraph about harms.",
        "- item one\n- item two",
    ]


@given(st.lists(st.integers(1, 99), min_size=1, max_size=6))
def test_citation_parser_roundtrip(numbers) -> None:
    text = " ".join(f"Claim {i} [{n}]." for i, n in enumerate(numbers))
    assert parse_citations(text) == list(dict.fromkeys(numbers))


def test_citation_parser_groups_and_ranges() -> None:
    assert parse_citations("A [1, 3]. B [2-4]. C [3].") == [1, 3, 2, 4]
