"""Tumour-board packets: only verified answers, with sources, flags and their resolution,
verifier, model, corpus snapshot and the AI-use disclosure; as Markdown, PDF or CSV."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from rag.review.board import fill, load_templates
from rag.review.workflow import board_template, case_input
from rag.text import markdown_literal
from rag.types import Case, SavedRecord

if TYPE_CHECKING:
    from rag.review.store import RecordStore

FORMATS = ("md", "pdf", "csv")
PACKET_NOTICE = (
    "Prepared with OncoGuide, a guideline look-up assistant. Only answers a clinician verified "
    "against the cited guideline passages are included; each carries its own AI-use disclosure. "
    "Not a substitute for the board's clinical judgement."
)


@dataclass(frozen=True)
class Packet:
    case: Case
    records: list[SavedRecord]
    open_points: list[str]


def build_packet(store: RecordStore, case_id: str) -> Packet:
    """The case's verified answers; its open points are the questions of the template
    last run for it (or its cancer type's) not yet verified, and every acknowledged flag."""
    case = store.case(case_id)
    records = store.case_records(case_id)  # saved records are verified by construction
    name = board_template(store, case_id)
    answered = {r.board_item for r in records}
    open_points = [
        f"Not yet verified: {q.question}"
        for q in fill(name, case_input(case), load_templates())
        if f"{q.template}/{q.item}" not in answered
    ]
    for record in records:
        claims = record.verification.get("claims", [])
        for flag in record.acknowledged:
            number = flag.get("claim") or 0
            quoted = (
                f" (\u201c{claims[number - 1]['text'][:80]}\u201d)"
                if 0 < number <= len(claims)
                else ""
            )
            open_points.append(f"Acknowledged by {record.verifier}: {flag['message']}{quoted}")
    return Packet(case, records, open_points)


def _sources(record: SavedRecord) -> list[str]:
    return [s.line for s in record.sources]


def draft_note(verification: dict[str, Any]) -> str:
    """A line for exports: the model draft of a saved record was not shown, and why."""
    draft = verification.get("draft") or {}
    if not draft or draft.get("shown"):
        return ""
    model = (draft.get("model") or {}).get("name") or "the language model"
    reasons = "; ".join(draft.get("reasons") or ()) or "it did not pass every check"
    return f"Model draft not shown ({model}): {reasons}"


def _resolution(record: SavedRecord) -> str:
    summary = record.verification.get("summary", "")
    acknowledged = len(record.acknowledged)
    checks = f"{summary}; {acknowledged} flag(s) acknowledged" if summary else "not checked"
    rejected = draft_note(record.verification)
    return f"{checks}. {rejected}" if rejected else checks


# A packet as blocks: (kind, OncoGuide's own words, text from outside). Outside text (case
# fields, questions, answers, source labels, names) is never read as Markdown or as a heading.
Block = tuple[str, str, str]


def _blocks(packet: Packet) -> list[Block]:
    case = packet.case
    blocks: list[Block] = [
        ("title", "Tumour board packet — ", case.label),
        ("blank", "", ""),
        ("item", "Cancer type: ", case.cancer_type),
        ("item", "Stage: ", case.stage or "—"),
        ("item", "Key findings: ", case.findings or "—"),
        ("item", "Question for the board: ", case.board_question or "—"),
        ("blank", "", ""),
        ("notice", PACKET_NOTICE, ""),
        ("blank", "", ""),
    ]
    for number, record in enumerate(packet.records, start=1):
        blocks += [
            ("heading", f"{number}. ", record.question),
            ("blank", "", ""),
            ("text", "", record.final_answer),
            ("blank", "", ""),
            ("text", "Sources:", ""),
            *[("item", "", s) for s in _sources(record)],
            ("blank", "", ""),
            ("item", "Checks: ", _resolution(record)),
            ("item", "Verified by ", f"{record.verifier} at {record.verified_at}"),
            (
                "item",
                "Model ",
                f"{record.model_name or '—'} ({record.model_sha256[:12] or '—'}), "
                f"corpus snapshot {record.corpus_snapshot}",
            ),
            ("item", "", record.disclosure),
            ("blank", "", ""),
        ]
    if not packet.records:
        blocks += [("text", "No verified answers yet.", ""), ("blank", "", "")]
    blocks += [("heading", "Open points", ""), ("blank", "", "")]
    blocks += [("item", "", p) for p in packet.open_points] or [("item", "none", "")]
    return blocks


_MARKDOWN_PREFIX = {"title": "# ", "heading": "## ", "notice": "> ", "item": "- "}


def to_markdown(packet: Packet) -> str:
    lines = [
        _MARKDOWN_PREFIX.get(kind, "") + ours + (markdown_literal(outside) if outside else "")
        for kind, ours, outside in _blocks(packet)
    ]
    return "\n".join(lines) + "\n"


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting with = + - @, a tab or a carriage
    return gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with every text cell ``spreadsheet_safe`` (every CSV export);
    RFC 4180 line ends, so a carriage return inside a cell is quoted too."""
    safe = frame.map(spreadsheet_safe)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_csv(packet: Packet) -> bytes:
    rows = [
        {
            "case": packet.case.label,
            "question": r.question,
            "verified_answer": r.final_answer,
            "sources": " | ".join(_sources(r)),
            "checks": _resolution(r),
            "verifier": r.verifier,
            "verified_at": r.verified_at,
            "model": r.model_name,
            "model_sha256": r.model_sha256,
            "corpus_snapshot": r.corpus_snapshot,
            "disclosure": r.disclosure,
        }
        for r in packet.records
    ]
    columns = ["case", "question", "verified_answer", "sources", "checks", "verifier",
               "verified_at", "model", "model_sha256", "corpus_snapshot", "disclosure"]  # fmt: skip
    return csv_bytes(pd.DataFrame(rows, columns=columns))


_PDF_REPLACEMENTS = {
    "\u2014": "-", "\u2013": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2265": ">=", "\u2264": "<=", "\u2022": "-", "\u2026": "...", "\u00a0": " ", "\u2192": "->",
}  # fmt: skip


def _latin1(text: str) -> str:
    """The PDF's built-in fonts cover Latin-1 (µ, ², · are in it); map the rest."""
    for char, plain in _PDF_REPLACEMENTS.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def to_pdf(packet: Packet) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(f"Tumour board packet - {packet.case.label}"))
    pdf.set_creator("OncoGuide")
    pdf.add_page()

    def write(text: str, size: float = 10, style: str = "", height: float = 5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    for kind, ours, outside in _blocks(packet):
        text = ours + outside
        if kind == "title":
            write(text, 16, "B", 8)
        elif kind == "heading":
            pdf.ln(2)
            write(text, 12, "B", 6)
        elif kind == "notice":
            write(text, 9, "I")
        elif kind == "item":
            write("- " + text)
        elif text.strip():
            write(text)
        else:
            pdf.ln(2)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


def render(packet: Packet, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(packet).encode("utf-8")
    if fmt == "csv":
        return to_csv(packet)
    if fmt == "pdf":
        return to_pdf(packet)
    raise ValueError(f"Unknown export format {fmt!r}; use one of {FORMATS}.")
