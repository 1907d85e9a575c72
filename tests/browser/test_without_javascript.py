"""Pages work without JavaScript: JavaScript only enhances them."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.browser.support import log_in, make_member, path_pattern


def test_log_in_change_settings_and_log_out_without_javascript(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    member = make_member()

    log_in(page, member.email)
    expect(page).to_have_url(path_pattern("/"))

    page.get_by_role("link", name="Account", exact=True).click()
    expect(page).to_have_url(path_pattern("/account/"))
    form = page.locator("main form:has([name=time_zone])")
    form.locator("[name=display_name]").fill("Alex R.")
    form.locator("[name=time_zone]").select_option("America/Toronto")
    form.get_by_role("button", name="Save settings").click()

    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("main form [name=time_zone]")).to_have_value("America/Toronto")
    member.refresh_from_db()
    assert (member.display_name, member.time_zone) == ("Alex R.", "America/Toronto")

    page.get_by_role("button", name="Log out", exact=True).click()
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Log in", exact=True)
    ).to_be_visible()
