"""Guideline currency: superseded versions rank below current ones and are flagged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rag.assistant import Assistant
from rag.checks.verify import Verifier
from rag.config import load_settings

OLD = """---
id: crc-screening-2016
title: Colorectal Screening 2016
publisher: Test Task Force
year: 2016
series: crc-screening
---
## Recommendation
Adults aged 50 to 75 years should be screened for colorectal cancer (grade A). Screening adults aged 45 to 49 is not recommended.
"""
NEW = """---
id: crc-screening-2021
title: Colorectal Screening 2021
publisher: Test Task Force
year: 2021
supersedes: crc-screening-2016
---
## Recommendation
Adults aged 45 to 49 years should be screened for colorectal cancer (grade B).
"""


def build(tmp_path: Path, old_text: str = OLD) -> Assistant:
    folder = tmp_path / "versions"
    folder.mkdir()
    (folder / "old.md").write_text(old_text)
    (folder / "new.md").write_text(NEW)
    assistant = Assistant(load_settings())
    assistant.ingest([folder])
    return assistant


def test_superseded_version_is_marked_and_ranked_below(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    assistant = build(tmp_path)
    assert assistant.index.catalog.superseded_ids() == {"crc-screening-2016"}
    retrieval = assistant.retrieve("Should adults aged 45 to 49 be screened for colorectal cancer?")
    order = [h.chunk.doc_id for h in retrieval.hits]
    assert order == ["crc-screening-2021", "crc-screening-2016"]
    assert [h.superseded for h in retrieval.hits] == [False, True]


def test_series_without_supersedes_marks_the_older_version(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    assistant = build(tmp_path)
    folder = tmp_path / "versions"
    (folder / "new.md").write_text(
        NEW.replace("supersedes: crc-screening-2016", "series: crc-screening")
    )
    assistant.ingest([folder])
    assert assistant.index.catalog.superseded_ids() == {"crc-screening-2016"}


def test_answers_citing_superseded_or_old_documents_are_flagged(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    assistant = build(tmp_path)
    retrieval = assistant.retrieve("Should adults aged 45 to 49 be screened for colorectal cancer?")
    verifier = Verifier(assistant.index.embedder, max_source_age_years=4, today=date(2026, 11, 24))
    old = verifier.verify("Screening adults aged 45 to 49 is not recommended [2].", retrieval.hits)
    assert {f.kind for f in old.flags} == {"superseded_source"}
    claim = "Adults aged 45 to 49 years should be screened for colorectal cancer [1]."
    current = verifier.verify(claim, retrieval.hits)
    # 2021 is more than 4 years before 2026.
    assert {f.kind for f in current.flags} == {"old_source"}
    lenient = Verifier(assistant.index.embedder, max_source_age_years=10, today=date(2026, 11, 24))
    assert lenient.verify(claim, retrieval.hits).flags == ()
