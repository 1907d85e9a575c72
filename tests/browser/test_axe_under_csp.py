"""The accessibility checker runs against pages as served, with their CSP still enforced."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.support import axe_check

ADD_INLINE_SCRIPT = """() => {
    const script = document.createElement("script");
    script.textContent = "window.inlineScriptRan = true;";
    document.head.append(script);
    return window.inlineScriptRan === true;
}"""


def test_axe_runs_under_the_sites_csp(page: Page) -> None:
    response = page.goto("/")
    assert response is not None
    assert "script-src" in response.headers["content-security-policy"]
    # The CSP is in force: an inline script the page itself adds does not run.
    assert page.evaluate(ADD_INLINE_SCRIPT) is False

    axe_check(page)

    # axe really ran on this page (evaluated through the DevTools protocol, not a <script>).
    assert page.evaluate("typeof window.axe") == "object"
