from __future__ import annotations
import pytest
from playwright.sync_api import Page
from tests.browser.conftest import *  # noqa
from tests.browser.support import axe_check, log_in, make_member
from confide.notifications.tests.factories import NotificationFactory
from confide.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

def test_scratch(page: Page, live_server) -> None:
    def fix(route):
        response = route.fetch()
        ctype = response.headers.get("content-type", "")
        if "text/html" in ctype:
            body = response.text().replace('content="no-referrer"', 'content="same-origin"')
            headers = {**response.headers, "referrer-policy": "same-origin"}
            route.fulfill(response=response, body=body, headers=headers)
        else:
            route.fulfill(response=response)
    page.route("**/*", fix)
    alex = make_member()
    for i in range(23):
        NotificationFactory.create(user=alex, title=f"Blake shared a check-in {i}", url="/")
    log_in(page, "alex@example.org")
    page.goto("/notifications/")
    page.screenshot(path="/tmp/list.png", full_page=True)
    axe_check(page)
    page.get_by_role("button", name="Blake shared a check-in 22").click()
    page.wait_for_url("**/")
    assert Notification.objects.filter(read_at__isnull=False).count() == 1
    page.goto("/notifications/settings/")
    axe_check(page)
    page.screenshot(path="/tmp/settings.png", full_page=True)
    page.fill("#id_quiet_start", "08:00")
    page.fill("#id_quiet_end", "08:00")
    page.get_by_role("button", name="Save notification settings").click()
    page.wait_for_load_state()
    axe_check(page)
    page.screenshot(path="/tmp/settings_err.png", full_page=True)
    page.goto("/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    page.screenshot(path="/tmp/list_read.png", full_page=True)
    axe_check(page)
