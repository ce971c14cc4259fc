"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against a live server.

They share the run's test world (testing/world.py) like every other test: it is there when a browser test starts,
and put back after it (a browser test commits, so Django flushes the database after it)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls made by fixtures are still
# synchronous, so Django's async-safety guard is lifted for the browser tests' process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium is a process of its own, out of reach of the tests' network guard (testing/network.py), so it is kept off
# the network by its own switches: every request past loopback goes to a proxy on a closed loopback port and fails
# (Chromium never sends loopback addresses to a proxy), and no name but localhost is looked up.
# e2e/test_network.py proves it.
OFFLINE_PROXY = "http://127.0.0.1:9"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--proxy-server={OFFLINE_PROXY}",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
]
AXE = Path(__file__).with_name("vendor") / "axe-core-4.14.1.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def e2e_world(transactional_db):
    """The world, committed where the live server sees it."""


@pytest.fixture
def page(browser, live_server, e2e_world) -> Page:
    # bypass_csp lets the test inject axe-core; test_no_csp_violations checks the real policy separately.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
    ]
