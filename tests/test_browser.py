"""The real thing: ``oncoguide serve`` in its own process, driven by Debian chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import NETGUARD_SITE

CHROMIUM = "/usr/bin/chromium"
# Every browser test module: slow, and skipped where Debian chromium is missing (not in CI).
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian chromium is not installed (CI installs it)",
    ),
]
pytestmark = BROWSER_TESTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise AssertionError(f"{url} did not come up in {timeout} s")


@contextmanager
def served(tmp_path: Path) -> Iterator[int]:
    """``oncoguide serve`` in its own process with the network guard loaded; yields its port.
    Afterwards, asserts that the server never tried to leave the machine."""
    port = free_port()
    log = tmp_path / "netguard.log"
    env = {
        **os.environ,
        # The guard first; then the caller's path, so a worktree's server runs its own code.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(NETGUARD_SITE), os.getenv("PYTHONPATH")])),
        "ONCOGUIDE_NETGUARD_LOG": str(log),
        "NO_PROXY": "127.0.0.1,localhost",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "oncoguide"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/_stcore/health", server)
        yield port
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    assert not log.exists() or log.read_text() == "", log.read_text()


def browser_page(p):  # type: ignore[no-untyped-def]
    browser = p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    return browser, browser.new_page(viewport={"width": 1400, "height": 1000})


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished re-running the script after an interaction."""
    page.wait_for_timeout(500)
    status = page.locator("[data-testid='stStatusWidget']")
    for _ in range(120):
        if status.count() == 0 or not status.first.is_visible():
            break
        page.wait_for_timeout(500)
    page.wait_for_timeout(300)


def acknowledge_all(page, scope=None) -> None:  # type: ignore[no-untyped-def]
    """The bundled model's drafts usually carry flags: each must be acknowledged."""
    settle(page)
    acks = (scope or page).locator("label").filter(has_text=re.compile("^Acknowledge"))
    for index in range(acks.count()):
        label = acks.nth(index)
        if label.is_visible() and not label.locator("input").is_checked():
            label.click()
            settle(page)


def test_ask_verify_save_in_a_real_browser(oncoguide_home: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with served(tmp_path) as port, sync_playwright() as p:
        browser, page = browser_page(p)
        page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
        expect(page.get_by_text("Ask the guidelines").first).to_be_visible(timeout=180_000)
        page.get_by_role("textbox", name="Question").fill(
            "What is the pegfilgrastim dose and when is it given?"
        )
        page.get_by_role("button", name="Ask").click()
        expect(page.get_by_text("Draft answer")).to_be_visible(timeout=180_000)
        expect(page.locator("#source-1")).to_contain_text("Dosing and timing")
        # auto (the default): the bundled model drafted behind the evidence answer, and the
        # page says whether its draft was shown or, collapsed, why not.
        drafted = re.compile("The model's draft (?:was not shown|passed every check)")
        expect(page.get_by_text(drafted).first).to_be_visible(timeout=180_000)
        save = page.get_by_role("button", name="Save verified answer")
        expect(save).to_be_disabled()
        page.get_by_role("textbox", name="Verifier name").fill("Dr Browser")
        page.get_by_role("textbox", name="Verifier name").press("Enter")
        settle(page)
        page.get_by_text("I verified this answer against the sources").click()
        acknowledge_all(page)
        expect(save).to_be_enabled(timeout=30_000)
        page.screenshot(path=str(tmp_path / "ask.png"), full_page=True)
        save.click()
        expect(page.get_by_text("Saved as record")).to_be_visible(timeout=30_000)
        browser.close()
    if os.environ.get("OG_SCREENSHOT_DIR"):
        shutil.copy(tmp_path / "ask.png", os.environ["OG_SCREENSHOT_DIR"])
    rows = (
        sqlite3.connect(oncoguide_home / "records.sqlite3")
        .execute("SELECT verifier FROM saved_answers")
        .fetchall()
    )
    assert rows == [("Dr Browser",)]


def test_board_case_run_verify_export_in_a_real_browser(
    oncoguide_home: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with served(tmp_path) as port, sync_playwright() as p:
        browser, page = browser_page(p)
        page.goto(f"http://127.0.0.1:{port}/cases", timeout=120_000)
        expect(page.get_by_text("Tumour-board cases").first).to_be_visible(timeout=180_000)
        page.get_by_role("textbox", name="De-identified label").fill("Board 4 case 1")
        page.get_by_role("textbox", name="Cancer type").fill("Colon cancer")
        page.get_by_role("textbox", name="Stage").fill("stage III")
        page.get_by_role("button", name="Create case").click()
        expect(page.get_by_text("created")).to_be_visible(timeout=30_000)
        settle(page)
        run = page.get_by_role("button", name="Run question set")
        expect(run).to_be_enabled(timeout=30_000)
        run.click()
        # The drafts come as one expander each (the question list above is a data grid).
        first = (
            page.locator("[data-testid='stExpander']")
            .filter(has_text="Which adjuvant chemotherapy is recommended")
            .first
        )
        expect(first).to_be_visible(timeout=240_000)
        first.get_by_text("I verified this answer against the sources").click()
        settle(page)
        first.get_by_role("textbox", name="Verifier name").fill("Dr Board")
        first.get_by_role("textbox", name="Verifier name").press("Enter")
        acknowledge_all(page, first)
        save = first.get_by_role("button", name="Save verified answer")
        expect(save).to_be_enabled(timeout=30_000)
        save.click()
        expect(page.get_by_text("Saved as record")).to_be_visible(timeout=30_000)
        page.get_by_text("PDF", exact=True).click()
        expect(page.get_by_role("radio", name="PDF")).to_be_checked()
        settle(page)
        page.get_by_role("button", name="Prepare export").click()
        settle(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Download PDF").click()
        target = tmp_path / "packet.pdf"
        download.value.save_as(target)
        browser.close()
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Board 4 case 1" in text and "Verified by Dr Board" in text
    rows = (
        sqlite3.connect(oncoguide_home / "records.sqlite3")
        .execute("SELECT board_item, verifier FROM saved_answers")
        .fetchall()
    )
    assert rows == [("colorectal/adjuvant", "Dr Board")]


def test_sign_in_in_a_real_browser(oncoguide_home: Path, tmp_path: Path, monkeypatch) -> None:
    """Shared-deployment mode: the sign-in form (streamlit-authenticator, its cookie component
    served from the package, nothing fetched) opens the pages of the account's roles only."""
    from playwright.sync_api import expect, sync_playwright

    from rag.review.access import UserDirectory

    UserDirectory(oncoguide_home / "users.yaml").add(
        "rita", "Rita Reviewer", "a long enough password", ("reviewer",)
    )
    monkeypatch.setenv("ONCOGUIDE_SIGN_IN", "true")
    with served(tmp_path) as port, sync_playwright() as p:
        browser, page = browser_page(p)
        page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
        expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=180_000)
        expect(page.get_by_text("Ask the guidelines")).to_have_count(0)
        page.get_by_role("textbox", name="Username").fill("rita")
        page.get_by_role("textbox", name="Password").fill("a long enough password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Signed in as")).to_contain_text("Rita Reviewer", timeout=60_000)
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text("Audit trail")
        expect(nav).not_to_contain_text("Ask the guidelines")
        expect(nav).not_to_contain_text("Corpus")
        browser.close()
    actions = sqlite3.connect(oncoguide_home / "records.sqlite3").execute(
        "SELECT actor, action FROM audit_log"
    )
    assert ("Rita Reviewer", "sign-in") in actions.fetchall()
