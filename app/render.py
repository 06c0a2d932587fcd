"""HTML/Markdown helpers for showing answers and their sources."""

from __future__ import annotations

import html
import re

from rag.checks.verify import Verification
from rag.retrieval.lexical import tokenize
from rag.types import Hit

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/²]*")
_MARKER = re.compile(r"\[(\d{1,3})\]")


def highlight_html(text: str, question: str) -> str:
    """Escape ``text`` and mark the words that share a stem with the question's terms."""
    wanted = set(tokenize(question))
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        word = match.group(0)
        stems = set(tokenize(word))
        escaped = html.escape(word)
        out.append(f"<mark>{escaped}</mark>" if stems and stems <= wanted else escaped)
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def link_markers(answer_text: str, n_sources: int) -> str:
    """Turn [n] markers into links to the passage anchors shown beside the answer."""

    def repl(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[\\[{n}\\]](#source-{n})" if 1 <= n <= n_sources else match.group(0)

    return _MARKER.sub(repl, answer_text)


def source_heading(hit: Hit) -> str:
    return hit.chunk.source_label


def source_card(hit: Hit, question: str) -> str:
    dense = "—" if hit.dense_similarity is None else f"{hit.dense_similarity:.2f}"
    lexical = "—" if hit.lexical_score is None else f"{hit.lexical_score:.1f}"
    return (
        f'<div id="source-{hit.rank}" class="og-source">'
        f"<strong>[{hit.rank}] {html.escape(source_heading(hit))}</strong><br>"
        f'<span class="og-score">fused score {hit.score:.4f} · similarity {dense} · '
        f"BM25 {lexical} · document {html.escape(hit.chunk.doc_hash[:12])}</span>"
        + (
            f'<div class="og-warning">⚠ Contains {html.escape(", ".join(hit.chunk.flags))}: '
            "treated as data, withheld from the model.</div>"
            if hit.chunk.flags
            else ""
        )
        + (
            f'<div class="og-ocr">OCR text from a scanned page (mean word confidence '
            f"{hit.chunk.ocr_confidence:.0f} %): words may be misread; check the original "
            "page.</div>"
            if hit.chunk.ocr_confidence is not None
            else ""
        )
        + f'<div class="og-passage">{highlight_html(hit.chunk.text, question)}</div></div>'
    )


SOURCE_CSS = """
<style>
.og-source {border-left: 4px solid #1f5f8b; padding: 0.4rem 0.8rem; margin-bottom: 0.8rem;
            background: #f4f8fb; border-radius: 4px;}
.og-score {color: #5d6d7e; font-size: 0.8rem;}
.og-passage {margin-top: 0.3rem; font-size: 0.92rem; line-height: 1.45;}
.og-passage mark {background: #fff3b0; padding: 0 1px;}
.og-badge {display: inline-block; border: 2px solid; border-radius: 12px; padding: 0 0.6rem;
           font-weight: 600; margin: 0.4rem 0;}
.og-claim {border-left: 4px solid; padding: 0.3rem 0.7rem; margin: 0.3rem 0; border-radius: 4px;
           font-size: 0.92rem;}
.og-claim ul {margin: 0.2rem 0 0 1rem;}
.og-verdict {font-weight: 600; text-transform: uppercase; font-size: 0.8rem;}
.og-warning {color: #b42318; font-weight: 600;}
.og-ocr {color: #9a6200; font-weight: 600; font-size: 0.85rem;}
</style>
"""


VERDICT_STYLE = {
    "supported": ("#1e7d4f", "#e6f4ec"),
    "weakly supported": ("#9a6200", "#fff4dc"),
    "unsupported": ("#b42318", "#fdecea"),
    "uncited": ("#55606e", "#eef1f4"),
}


def claims_html(verification: Verification) -> str:
    """Summary badge and one coloured line per claim, with its flags in words."""
    total = len(verification.claims)
    ok = verification.supported
    colour = "#1e7d4f" if ok == total else "#b42318"
    parts = [
        f'<div class="og-badge" style="border-color:{colour};color:{colour}">'
        f"{html.escape(verification.summary)}</div>"
    ]
    for number, claim in enumerate(verification.claims, start=1):
        fg, bg = VERDICT_STYLE.get(claim.verdict, ("#1c2833", "#ffffff"))
        cites = ", ".join(f"[{n}]" for n in claim.citations) or "no citation"
        flags = "".join(f"<li>{html.escape(f.message)}</li>" for f in claim.flags)
        parts.append(
            f'<div class="og-claim" style="border-left-color:{fg};background:{bg}">'
            f'<span class="og-verdict" style="color:{fg}">{number}. {html.escape(claim.verdict)}'
            f"</span> · score {claim.score:.2f} · {cites}<br>{html.escape(claim.text)}"
            + (f"<ul>{flags}</ul>" if flags else "")
            + "</div>"
        )
    return "".join(parts)
