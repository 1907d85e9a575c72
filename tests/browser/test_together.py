"""Time together in two browsers: plan, download the calendar file, run the together timer
across a reload, stop it, and see the minutes in the month view. Axe checks every page.

Both partners see the running timer; timer.js ticks the clock. Blake also opens the page in a
browser without JavaScript, which still shows the start time, the elapsed time as the server
rendered it, and a Stop button that works.

The live server runs in this process, so time-machine moves its clock too: after the timer
starts, the clock jumps 25 minutes (nobody waits), and the page shows the elapsed time from
the start the server holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory
from confide.pairs.tests.factories import make_pair
from confide.together.models import TogetherTime
from tests.browser.support import PASSWORD, NetworkLog, axe_check, log_in

ALEX = "alex@example.org"
BLAKE = "blake@example.org"
WHAT = "A slow walk along the canal"
NOTES = "Bring the warm scarf you like."
BERLIN = ZoneInfo("Europe/Berlin")
ContextFactory = Callable[..., BrowserContext]


def _person(email: str, name: str) -> User:
    return UserFactory.create(
        email=email, display_name=name, password=PASSWORD, time_zone="Europe/Berlin"
    )


def _heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def _timer(page: Page) -> Locator:
    return page.get_by_role("region", name="The together timer")


def _recent(page: Page) -> Locator:
    return page.get_by_role("region", name="Recently together")


def _plan(alex: Page, day: str) -> None:
    alex.get_by_role("link", name="Plan time together").click()
    expect(_heading(alex)).to_have_text("Plan time together")
    axe_check(alex)
    alex.get_by_label("What would you like to do together?").fill(WHAT)
    alex.get_by_label(re.compile(r"^Date\b")).fill(day)
    alex.get_by_label("Starts at (your time)").fill("19:00")
    alex.get_by_label("Length in minutes").fill("90")
    expect(alex.get_by_label("Device-free: phones and screens away")).to_be_checked()
    alex.get_by_label("Notes for the two of you (optional)").fill(NOTES)
    alex.get_by_role("button", name="Save the plan").click()
    expect(_heading(alex)).to_have_text(WHAT)
    expect(alex.get_by_role("status")).to_have_text("Planned. Blake can see it now.")
    expect(alex.get_by_role("main")).to_contain_text(NOTES)
    axe_check(alex)


def _download(alex: Page, day: str) -> None:
    link = alex.get_by_role("link", name="Add to your calendar (.ics file)")
    with alex.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"time-together-{day}.ics"
    body = Path(download.path()).read_text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:{WHAT}" in body
    assert NOTES not in body


def _start(alex: Page) -> tuple[str, str]:
    """Alex starts the timer from the time-together page; returns the start as shown and its
    ISO datetime."""
    alex.get_by_role("link", name="Back to time together").click()
    expect(alex.get_by_role("main")).to_contain_text(WHAT)
    _timer(alex).get_by_role("button", name="Start the together timer").click()
    expect(alex.get_by_role("status")).to_have_text(
        "The together timer is running. Enjoy your time."
    )
    started = _timer(alex).locator("time")
    start_text = started.inner_text()
    assert re.fullmatch(r"\d\d:\d\d", start_text), start_text
    axe_check(alex)
    return start_text, started.get_attribute("datetime") or ""


def _still_running_after_a_reload(alex: Page, blake: Page, start_iso: str) -> None:
    """25 minutes later, both reload: the same start, the elapsed time from it, still ticking."""
    alex.reload()
    expect(_timer(alex).locator("time")).to_have_attribute("datetime", start_iso)
    elapsed = alex.get_by_role("timer")
    expect(elapsed).to_have_text(re.compile(r"^0:25:\d\d$"))
    shown = elapsed.inner_text()
    expect(elapsed).not_to_have_text(shown)  # timer.js keeps it ticking
    axe_check(alex)

    blake.reload()
    expect(_timer(blake).locator("time")).to_have_attribute("datetime", start_iso)
    expect(blake.get_by_role("timer")).to_have_text(re.compile(r"^0:25:\d\d$"))
    axe_check(blake)


def _stop_without_javascript(page: Page, path: str, start_text: str) -> int:
    """The page without JavaScript shows the start time, the elapsed time as rendered, and a
    Stop button that works. Returns the minutes recorded."""
    page.goto(path)
    expect(_timer(page)).to_contain_text(f"Alex started it at {start_text}")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^0:25:\d\d$"))
    page.get_by_role("button", name="Stop the timer").click()
    expect(page.get_by_role("status")).to_have_text(
        re.compile(r"The timer is stopped: 2[56] minutes together, recorded\.")
    )
    minutes = TogetherTime.objects.get().minutes
    assert minutes in (25, 26)  # 25 minutes moved, plus the seconds the steps took
    expect(page.get_by_role("status")).to_contain_text(f"{minutes} minutes")
    return minutes


def test_plan_download_and_a_timer_both_partners_see_across_a_reload(
    new_context: ContextFactory, live_server: LiveServer, network_log: NetworkLog
) -> None:
    pair = make_pair(_person(ALEX, "Alex"), _person(BLAKE, "Blake"))
    together = f"/pairs/{pair.pk}/together/"
    with time_machine.travel(timezone.now(), tick=True) as clock:
        alex = new_context().new_page()
        blake = new_context().new_page()
        # Blake also has a browser that runs no JavaScript (axe cannot run there; the same
        # pages are checked in the other two).
        blake_plain = new_context(java_script_enabled=False).new_page()
        for page, email in ((alex, ALEX), (blake, BLAKE), (blake_plain, BLAKE)):
            log_in(page, email)

        alex.goto(f"/pairs/{pair.pk}/")
        alex.get_by_role("link", name="Time together", exact=True).click()
        expect(_heading(alex)).to_have_text("Time together")
        axe_check(alex)
        blake.goto(together)  # Blake's page is open before any timer runs
        expect(_timer(blake).get_by_role("button", name="Start the together timer")).to_be_visible()
        axe_check(blake)

        tomorrow = (timezone.localdate(timezone=BERLIN) + timedelta(days=1)).isoformat()
        _plan(alex, tomorrow)
        _download(alex, tomorrow)
        start_text, start_iso = _start(alex)

        # Blake presses start on the page loaded earlier: refused, and the running timer shows.
        blake.get_by_role("button", name="Start the together timer").click()
        expect(blake.get_by_role("status")).to_have_text(
            "The together timer is already running. Stop it before starting another."
        )
        expect(_timer(blake)).to_contain_text(f"Alex started it at {start_text}")
        axe_check(blake)
        assert TogetherTime.objects.count() == 1

        clock.shift(timedelta(minutes=25))
        _still_running_after_a_reload(alex, blake, start_iso)
        minutes = _stop_without_javascript(blake_plain, together, start_text)

        for page in (blake, alex):
            page.reload()
            expect(page.get_by_role("timer")).to_have_count(0)
            expect(
                _timer(page).get_by_role("button", name="Start the together timer")
            ).to_be_visible()
            expect(_recent(page)).to_contain_text(f"{minutes} minutes")
            axe_check(page)
        alex.get_by_role("link", name="This month, week by week").click()
        expect(_heading(alex)).to_contain_text("Time together in")
        expect(alex.get_by_role("main")).to_contain_text(f"This month: {minutes} minutes together")
        axe_check(alex)

    assert network_log.foreign(live_server.url) == []
    assert network_log.console_errors == []
