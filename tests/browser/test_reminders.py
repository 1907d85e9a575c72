"""Setting one's own reminders in a real browser, from the account page, accessible throughout."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from playwright.sync_api import BrowserContext, expect
from pytest_django.live_server_helper import LiveServer

from confide.reminders.models import Reminder
from tests.browser.support import NetworkLog, axe_check, log_in, make_member

ContextFactory = Callable[..., BrowserContext]
ALEX = "alex@example.org"


def test_set_a_reminder_and_get_a_clear_error_for_one_without_days(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    make_member(ALEX, "Alex")
    page = new_context().new_page()
    log_in(page, ALEX)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Your reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reminders")
    axe_check(page)

    checkin = page.get_by_role("group", name="Daily check-in")
    checkin.get_by_label("Remind me").check()
    checkin.get_by_label("Time").fill("07:30")
    checkin.get_by_label("Sunday").uncheck()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_role("status")).to_have_text("Your reminders are saved.")
    expect(page.get_by_role("group", name="Daily check-in").get_by_label("Time")).to_have_value(
        "07:30"
    )
    axe_check(page)
    reminder = Reminder.objects.get(kind="checkin")
    assert (reminder.enabled, reminder.at, reminder.days) == (
        True,
        time(7, 30),
        frozenset(range(6)),
    )

    appreciation = page.get_by_role("group", name="Appreciation", exact=True)
    appreciation.get_by_label("Remind me").check()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        appreciation.get_by_label(day).uncheck()
    page.get_by_role("button", name="Save reminders").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved.")
    expect(alert).to_contain_text("Choose at least one day for this reminder, or turn it off.")
    axe_check(page)
    alert.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/reminders/#reminder-appreciation")
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["checkin"]
    assert network_log.console_errors == []
