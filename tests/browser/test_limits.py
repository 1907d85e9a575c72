"""The pages of the limits on costly input, in a real browser: too many changes at once (429)
and a form too large to save (413), each saying what happened, with nothing saved."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import BrowserContext, expect
from pytest_django import Settings

from confide.safety.models import SafetyPlan
from tests.browser.support import CRISIS_LINK, axe_check
from tests.browser.test_pair_journey import logged_in_page, person

ALEX = "alex@example.org"
FIRST_STEP = "1. Signs that a hard time is coming"


def test_too_many_changes_and_too_much_text_get_a_clear_page(
    live_server: object, context: BrowserContext, settings: Settings
) -> None:
    person(ALEX, "Alex")
    page = logged_in_page(context, ALEX)
    settings.CONFIDE_WRITE_LIMITS = ((60, 1),)
    page.goto(reverse("safety:plan"))
    page.get_by_label(FIRST_STEP).fill("I stop answering messages.")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_text("Your safety plan is saved. Only you can see it.")).to_be_visible()

    page.get_by_label(FIRST_STEP).fill("A second change, too soon.")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many changes at once")
    expect(page.get_by_role("main")).to_contain_text("this last change was not saved")
    expect(page.get_by_role("link", name=CRISIS_LINK)).to_be_visible()
    axe_check(page)
    assert SafetyPlan.objects.get().warning_signs == "I stop answering messages."

    settings.CONFIDE_WRITE_LIMITS = ()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    page.goto(reverse("safety:plan"))
    page.get_by_label(FIRST_STEP).fill("x" * 600)
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too much text to save")
    expect(page.get_by_role("main")).to_contain_text("nothing was saved")
    axe_check(page)
    assert SafetyPlan.objects.get().warning_signs == "I stop answering messages."
