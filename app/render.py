"""HTML/Markdown helpers for showing answers and their sources.

Text from documents, models and users is shown as text: it goes through ``literal`` (for
Markdown: st.markdown, st.caption, st.info…, titles), ``literal_label`` (widget and expander
labels) or ``literal_html`` (inside OncoGuide's own HTML) before it meets our formatting."""

from __future__ import annotations

import re

from rag.retrieval.lexical import tokenize
from rag.text import JOINER, MARKDOWN_ACTIVE, markdown_literal, plain_lines
from rag.types import (
    CONTRADICTED,
    SUPPORTED,
    UNCITED,
    UNSUPPORTED,
    WEAK,
    Hit,
    Verification,
    source_line,
)

# Characters escaped inside OncoGuide's HTML: HTML's own, the Markdown ones and Streamlit's ':'.
_HTML_ACTIVE = frozenset("\"':") | MARKDOWN_ACTIVE
# Streamlit reads ":name[…]", ":material/x:" and ":emoji:" in Markdown text; a word joiner after
# the colon keeps each one text.
_DIRECTIVE = re.compile(r":(?=[^\s\u2060])")


def literal(text: str) -> str:
    """Markdown that shows ``text`` as it is in Streamlit: ``markdown_literal`` with
    Streamlit's colon shortcodes and directives broken too."""
    return _DIRECTIVE.sub(":" + JOINER, markdown_literal(text))


def literal_label(text: str) -> str:
    """``literal`` on one line, for widget and expander labels."""
    return literal(" ".join(text.split()))


def _references(text: str) -> str:
    return "".join(f"&#{ord(c)};" if c in _HTML_ACTIVE else c for c in text).replace("\n", "<br>")


def literal_html(text: str) -> str:
    """``text`` inside OncoGuide's own HTML: HTML and Markdown characters as character
    references and line breaks as ``<br>``, so it stays text whether read as HTML or as Markdown (a blank line
    can never end our HTML block)."""
    return _references("\n".join(plain_lines(text)))


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/²]*")
_MARKER = re.compile(r"(?<!\\)\\\[(\d{1,3})\\\]")  # a [n] marker after ``literal``


def highlight_html(text: str, question: str) -> str:
    """``literal_html`` of ``text``, the words that share a stem with the question's terms
    marked."""
    wanted = set(tokenize(question))
    text = "\n".join(plain_lines(text))
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        out.append(_references(text[last : match.start()]))
        word = match.group(0)
        stems = set(tokenize(word))
        escaped = _references(word)
        out.append(f"<mark>{escaped}</mark>" if stems and stems <= wanted else escaped)
        last = match.end()
    out.append(_references(text[last:]))
    return "".join(out)


def link_markers(answer_text: str, n_sources: int) -> str:
    """The answer as Markdown that shows its text literally, each [n] marker a link to the
    passage anchor shown beside it."""

    def repl(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[\\[{n}\\]](#source-{n})" if 1 <= n <= n_sources else match.group(0)

    return _MARKER.sub(repl, literal(answer_text))


def source_card(hit: Hit, question: str) -> str:
    dense = "—" if hit.dense_similarity is None else f"{hit.dense_similarity:.2f}"
    lexical = "—" if hit.lexical_score is None else f"{hit.lexical_score:.1f}"
    return (
        f'<div id="source-{hit.rank}" class="og-source">'
        f"<strong>{literal_html(source_line(hit.rank, hit.chunk.source_label))}</strong><br>"
        f'<span class="og-score">fused score {hit.score:.4f} · similarity {dense} · '
        f"BM25 {lexical} · document {literal_html(hit.chunk.doc_hash[:12])}</span>"
        + (
            f'<div class="og-warning">⚠ Contains {literal_html(", ".join(hit.chunk.flags))}: '
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
    SUPPORTED: ("#1e7d4f", "#e6f4ec"),
    WEAK: ("#9a6200", "#fff4dc"),
    UNSUPPORTED: ("#b42318", "#fdecea"),
    CONTRADICTED: ("#b42318", "#f9d4cf"),  # red, a shade stronger than unsupported
    UNCITED: ("#55606e", "#eef1f4"),
}


def claims_html(verification: Verification) -> str:
    """Summary badge and one coloured line per claim, with its flags in words."""
    total = len(verification.claims)
    ok = verification.supported
    colour = "#1e7d4f" if ok == total else "#b42318"
    parts = [
        f'<div class="og-badge" style="border-color:{colour};color:{colour}">'
        f"{literal_html(verification.summary)}</div>"
    ]
    for number, claim in enumerate(verification.claims, start=1):
        fg, bg = VERDICT_STYLE.get(claim.verdict, ("#1c2833", "#ffffff"))
        cites = ", ".join(f"[{n}]" for n in claim.citations) or "no citation"
        flags = "".join(f"<li>{literal_html(f.message)}</li>" for f in claim.flags)
        parts.append(
            f'<div class="og-claim" style="border-left-color:{fg};background:{bg}">'
            f'<span class="og-verdict" style="color:{fg}">{number}. {literal_html(claim.verdict)}'
            f"</span> · score {claim.score:.2f} · {cites}<br>{literal_html(claim.text)}"
            + (f"<ul>{flags}</ul>" if flags else "")
            + "</div>"
        )
    return "".join(parts)
