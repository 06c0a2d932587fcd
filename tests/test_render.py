"""Text from outside shown as text: what app.render's escaping produces, read back by a
CommonMark parser (markdown-it-py, as Streamlit's Markdown would read it) and an HTML parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.render import highlight_html, link_markers, literal, literal_html, literal_label

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What GitHub-flavoured Markdown (Streamlit's) links by itself in plain text.
GFM_LITERAL_LINK = re.compile(r"https?://|www\.|[-.\w+]@[-\w]", re.IGNORECASE)
# Anything that would make text anything but text.
NOT_TEXT = {
    "link_open",
    "image",
    "html_inline",
    "html_block",
    "em_open",
    "strong_open",
    "s_open",
    "code_inline",
    "code_block",
    "fence",
    "heading_open",
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "table_open",
    "hr",
    "lheading_open",
}
HOSTILE = [
    "![x](http://127.0.0.1:9/p.png?leak=dose)",
    "[click](javascript:alert(document.cookie))",
    '<img src="http://127.0.0.1:9/i.png" onerror="alert(1)">',
    "<script>fetch('http://127.0.0.1:9/s')</script>",
    "<http://127.0.0.1:9/autolink> and <mailto:a@b.org>",
    "see http://127.0.0.1:9/bare or www.example.org or ask nurse@example.org",
    "**bold** _em_ `code` ~~gone~~ $x^2$ :red[alert] :material/home:",
    "# Heading\n\n---\n\n> quote\n\n- item\n1. item\n\n    indented code\n```\nfence\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[ref]\n\n[ref]: http://127.0.0.1:9/ref",
    "line one\\\nline two with trailing backslash\\",
    "&lt;img src=x&gt; &#60;b&#62; &amp;",
    "<!-- hidden --> <div>block</div>\n\n<iframe src='http://127.0.0.1:9/f'></iframe>",
]
# Text as guidelines and clinicians write it, with the odd hostile fragment.
clinical_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(
            [
                "Pegfilgrastim 6 mg s.c. once per cycle, 24–72 h after chemotherapy [1].",
                "HR 0.45 (95% CI 0.33–0.61; P < 0.001); n = 1,204.",
                "Gleason 4+3=7, PSA > 10 ng/mL, T2N0M0 (stage IIA).",
                "FOLFOX × 12 cycles *or* CAPOX × 8 — see Table 2_a.",
                "\n",
                "\n\n",
                "    ",
            ]
        ),
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=40),
    ),
    max_size=8,
).map("".join)


def inline_tokens(markdown: str) -> list[Token]:
    out: list[Token] = []
    for token in MARKDOWN.parse(markdown):
        out.append(token)
        out.extend(token.children or [])
    return out


def shown_text(markdown: str) -> str:
    """The words a reader sees, whitespace normalised and word joiners removed."""
    parts: list[str] = []
    for token in inline_tokens(markdown):
        if token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "paragraph_close"):
            parts.append(" ")
    return " ".join("".join(parts).replace("\u2060", "").split())


def plain(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return " ".join(text.replace("\u2060", "").replace("\x00", "").split())


@given(clinical_text)
def test_literal_markdown_shows_the_text_and_nothing_else(text: str) -> None:
    markdown = literal(text)
    kinds = {t.type for t in inline_tokens(markdown)}
    assert not kinds & NOT_TEXT, (text, markdown, kinds & NOT_TEXT)
    seen = shown_text(markdown)
    assert seen == plain(text)
    assert not GFM_LITERAL_LINK.search(" ".join(t.content for t in inline_tokens(markdown)))
    # Streamlit's own extensions: no math, colour or icon directive survives unescaped.
    assert not re.search(r"(?<!\\)[$\[]", markdown)


@given(clinical_text)
def test_a_label_is_one_line_of_text(text: str) -> None:
    label = literal_label(text)
    assert "\n" not in label
    assert not {t.type for t in inline_tokens(label)} & NOT_TEXT


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self.tags.append(tag)
        if tag == "br":
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@given(clinical_text)
def test_literal_html_is_text_as_html_and_as_markdown(text: str) -> None:
    escaped = literal_html(text)
    reader = _Reader()
    reader.feed(f"<div>{escaped}</div>")
    reader.close()
    assert set(reader.tags) <= {"div", "br"}
    shown = " ".join("".join(reader.text).replace("\u2060", "").split())
    assert shown == plain(text)
    # No blank line can end OncoGuide's HTML block and let the rest be read as Markdown.
    assert "\n" not in escaped
    kinds = {t.type for t in inline_tokens(f'<div class="og-passage">{escaped}</div>')}
    assert kinds <= {"html_block"}, kinds


@given(clinical_text, st.text(max_size=30))
def test_highlighted_passages_stay_text(text: str, question: str) -> None:
    escaped = highlight_html(text, question)
    reader = _Reader()
    reader.feed(f"<div>{escaped}</div>")
    reader.close()
    assert set(reader.tags) <= {"div", "br", "mark"}
    assert " ".join("".join(reader.text).replace("\u2060", "").split()) == plain(text)


def test_highlight_marks_the_question_terms() -> None:
    escaped = highlight_html("Pegfilgrastim 6 mg <b>once</b> per cycle", "pegfilgrastim dose")
    assert escaped.startswith("<mark>Pegfilgrastim</mark> 6 mg &#60;b&#62;once")


@given(clinical_text, st.integers(0, 5))
def test_answer_markers_link_only_to_the_passages(text: str, n_sources: int) -> None:
    markdown = link_markers(f"{text} Olanzapine on day 1 [1]. Dexamethasone [2][9].", n_sources)
    tokens = inline_tokens(markdown)
    links = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert all(href in {f"#source-{n}" for n in range(1, n_sources + 1)} for href in links)
    assert len(links) >= min(n_sources, 2)
    assert not {t.type for t in tokens} & (NOT_TEXT - {"link_open"})


def test_the_attacks_seen_are_shown_literally() -> None:
    for attack in HOSTILE:
        markdown = literal(attack)
        assert shown_text(markdown) == plain(attack)
    assert literal("![x](http://h/p.png)") == "!\\[x\\](http:\u2060//h/p.png)"
    assert (
        literal("1. G-CSF 5 mg/kg\n- item\n# head") == "1\\. G-CSF 5 mg/kg  \n\\- item  \n\\# head"
    )
    assert literal_html("<script>x</script> G-CSF") == "&#60;script&#62;x&#60;/script&#62; G-CSF"


@pytest.mark.parametrize(
    "text", [":red[alert]", ":material/home:", ":smile: and :+1:", "ratio 1:1; x::y", "a :b[c]{d}"]
)
def test_literal_breaks_streamlit_colon_shortcodes_and_directives(text: str) -> None:
    markdown = literal(text)
    # Streamlit reads ":name[…]", ":material/x:" and ":emoji:" from text; none may survive.
    assert not re.search(r":[\w+/-]", markdown)
    assert shown_text(markdown) == text
    assert literal_html(text).count("&#58;") == text.count(":")


def test_export_markdown_escaping_is_the_apps_without_streamlit_shortcodes() -> None:
    from rag.text import markdown_literal

    text = "![x](p.png) :red[a] http://h/x\n## b"
    assert literal(text) == markdown_literal(text).replace(":r", ":\u2060r")
    assert "\\#" in markdown_literal(text) and "!\\[x\\]" in markdown_literal(text)


def test_every_verdict_has_its_colour_and_contradicted_is_red() -> None:
    from app.render import VERDICT_STYLE, claims_html
    from rag import types

    verdicts = {types.SUPPORTED, types.WEAK, types.UNSUPPORTED, types.CONTRADICTED, types.UNCITED}
    assert set(VERDICT_STYLE) == verdicts
    claim = types.Claim("Oxaliplatin 500 mg/m² [1].", (1,), types.CONTRADICTED, 0.2, (), 1, 0.2)
    html = claims_html(types.Verification((claim,)))
    assert 'style="border-left-color:#b42318;background:#f9d4cf"' in html
    assert '<span class="og-verdict" style="color:#b42318">1. contradicted' in html
