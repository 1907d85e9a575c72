from __future__ import annotations
from playwright.sync_api import Page, Route
from tests.browser.support import log_in, make_member

def test_exp(page: Page, settings) -> None:
    settings.SECURE_REFERRER_POLICY = "same-origin"
    def fix(route: Route) -> None:
        resp = route.fetch()
        body = resp.text().replace('content="no-referrer"', 'content="same-origin"')
        route.fulfill(response=resp, body=body)
    page.route("**/account/login/", fix)
    m = make_member()
    log_in(page, m.email)
