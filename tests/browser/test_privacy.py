"""The privacy page in a real browser: the access log, taking a copy, deleting the account."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect
from pytest_django.live_server_helper import LiveServer

from confide.accounts.models import User
from confide.privacy.models import AccessRecord
from confide.privacy.tests.richdata import record_access
from tests.browser.support import PASSWORD, NetworkLog, axe_check, log_in, make_member

ContextFactory = Callable[..., BrowserContext]
ALEX = "alex@example.org"


def test_see_who_opened_my_data_take_a_copy_and_delete_my_account(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    alex = make_member(ALEX, "Alex")
    eli = make_member("eli@example.org", "Eli")
    for _ in range(3):  # a counsellor who reloads a page: one line that counts them
        record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, ALEX)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Your privacy", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your privacy")
    log = page.get_by_role("table")
    expect(log).to_contain_text("Eli (counsellor)")
    expect(log).to_contain_text("a test opening")
    # The header and one line for the three openings.
    expect(log.get_by_role("row")).to_have_text([re.compile("Who"), re.compile(r"\(3 times\)")])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)

    page.get_by_role("button", name="Prepare a copy of my data").click()
    expect(page.get_by_role("status")).to_contain_text("being prepared")
    page.reload()
    link = page.get_by_role("link", name="Download your copy")
    expect(link).to_be_visible()
    axe_check(page)
    with page.expect_download() as info:
        link.click()
    with zipfile.ZipFile(info.value.path()) as archive:
        document = json.loads(archive.read("confide-export.json"))
    assert document["person"]["email"] == ALEX
    # The link works once.
    page.goto(link.get_attribute("href") or "")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    axe_check(page)

    page.goto("/privacy/")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    axe_check(page)
    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("I understand that this cannot be undone.").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("alert")).to_contain_text("That password is not right.")
    expect(page.get_by_text("That password is not right.")).to_have_count(1)  # said once
    axe_check(page)
    assert User.objects.get(pk=alex.pk).is_active

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that this cannot be undone.").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account was deleted")
    expect(page.get_by_role("button", name="Log out", exact=True)).to_have_count(0)
    axe_check(page)
    alex.refresh_from_db()
    assert not alex.is_active
    assert network_log.foreign(live_server.url) == []
    # The used link (410) and the wrong password (400) are refusals the browser reports.
    expected = ("status of 410 (Gone)", "status of 400 (Bad Request)")
    assert [e for e in network_log.console_errors if not e.endswith(expected)] == []
