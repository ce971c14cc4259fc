"""Chromium is kept off the network (e2e/conftest.py's switches): what is not on loopback is never reached.

The address tried is a name in the reserved `.invalid` domain: even without the switches it would reach nothing."""

import pytest
from playwright.sync_api import Error

pytestmark = pytest.mark.e2e


def test_the_browser_reaches_nothing_past_loopback(browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        with pytest.raises(Error, match="ERR_PROXY_CONNECTION_FAILED"):  # sent to the closed loopback port, not out
            page.goto("http://sotkanet.fi.invalid/", timeout=10_000)
    finally:
        context.close()


def test_the_browser_reaches_the_live_server_on_loopback(page):
    assert page.goto("/").ok
