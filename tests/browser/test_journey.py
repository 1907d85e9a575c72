"""A new person's first visit, end to end in a real browser, accessible at every step."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from tests.browser.support import PASSWORD, axe_check, path_pattern

EMAIL = "sam@example.org"


def test_sign_up_confirm_log_in_change_time_zone_and_log_out(
    page: Page,
    live_server: LiveServer,
    settings: Settings,
    mailoutbox: list[EmailMessage],
) -> None:
    settings.CONFIDE_BASE_URL = live_server.url  # links in emails point at the live server

    page.goto("/")
    axe_check(page)

    page.locator("main").get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(path_pattern("/account/signup/"))
    axe_check(page)

    form = page.locator("main form:has([name=password2])")
    form.locator("[name=display_name]").fill("Sam")
    form.locator("[name=email]").fill(EMAIL)
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("check your email", re.I))
    axe_check(page)

    assert [message.to for message in mailoutbox] == [[EMAIL]]
    body = str(mailoutbox[0].body)
    links = re.findall(re.escape(live_server.url) + r"/account/verify/[^/\s]+/", body)
    assert len(links) == 1, body
    assert PASSWORD not in body

    page.goto(links[0])
    axe_check(page)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page).to_have_url(path_pattern("/account/login/"))
    expect(page.get_by_role("status")).to_be_visible()
    axe_check(page)
    assert get_user_model().objects.get(email=EMAIL).email_verified_at is not None

    page.locator("main form [name=email]").fill(EMAIL)
    page.locator("main form [name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(path_pattern("/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam")
    axe_check(page)

    page.get_by_role("link", name="Account", exact=True).click()
    expect(page).to_have_url(path_pattern("/account/"))
    axe_check(page)
    page.locator("main form [name=time_zone]").select_option("Europe/Berlin")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("main form [name=time_zone]")).to_have_value("Europe/Berlin")
    axe_check(page)
    assert get_user_model().objects.get(email=EMAIL).time_zone == "Europe/Berlin"

    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.locator("main")).to_contain_text("Europe/Berlin")

    page.get_by_role("button", name="Log out", exact=True).click()
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Log in", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("button", name="Log out", exact=True)).to_have_count(0)
    axe_check(page)
    page.goto("/account/")
    expect(page).to_have_url(path_pattern("/account/login/"))
