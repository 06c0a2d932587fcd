"""The bundled corpus and gold set are consistent with each other."""

from __future__ import annotations

import json

from conftest import CORPUS, GOLD

from rag.evaluation.evaluate import load_gold
from rag.ingest.parse import parse_file

REQUIRED = ("title", "publisher", "year", "source_url", "licence", "version")


def corpus_files():
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".pdf", ".txt"))


def test_every_document_parses_with_required_metadata() -> None:
    files = corpus_files()
    assert len(files) >= 12
    ids = []
    for path in files:
        parsed = parse_file(path, path.read_bytes())
        missing = [key for key in REQUIRED if not parsed.meta[key]]
        assert not missing, f"{path.name} lacks {missing}"
        assert "digest" in path.read_text().lower()  # marked as a digest to check against source
        ids.append(parsed.meta["id"])
    assert len(ids) == len(set(ids))


def test_gold_set_points_at_real_documents_and_sections() -> None:
    sections: dict[str, set[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for path in corpus_files():
        parsed = parse_file(path, path.read_bytes())
        sections[parsed.meta["id"]] = {s for seg in parsed.segments for s in seg.section_path}
        for seg in parsed.segments:
            key = (parsed.meta["id"], seg.section_path[-1])
            texts[key] = texts.get(key, "") + seg.text
    gold = load_gold(GOLD)
    assert len(gold) >= 40
    assert sum(g.out_of_scope for g in gold) >= 8
    assert len({g.id for g in gold}) == len(gold)
    for item in gold:
        if item.out_of_scope:
            assert not item.expected
            continue
        assert item.key_facts, item.id
        for expected in item.expected:
            assert expected.doc_id in sections, item.id
            assert expected.section in sections[expected.doc_id], item.id
        section_text = " ".join(texts[(e.doc_id, e.section)] for e in item.expected).lower()
        for fact in item.key_facts:
            assert fact.lower() in section_text, (item.id, fact)  # the fact is really there
    for line in GOLD.read_text().splitlines():
        assert {"id", "question", "expected", "key_facts", "out_of_scope", "tags"} <= set(
            json.loads(line)
        )
