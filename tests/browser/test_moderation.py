"""Moderation of a circle in real browsers: a member reports a post, a facilitator hides it
and sends a note, and the reporter hears the outcome; and the crisis path of a circle post."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from confide.circles.models import Circle
from confide.circles.services.posts import thread_create
from confide.circles.tests.factories import join, make_circle
from tests.browser.support import NetworkLog, axe_check, enrol_facilitator
from tests.browser.test_pair_journey import logged_in_page, person

ContextFactory = Callable[..., BrowserContext]
CRISIS = "I want to kill myself tonight."


def _circle() -> Circle:
    person("dana@example.org", "Dana")
    person("alex@example.org", "Alex")
    person("blake@example.org", "Blake")
    users = get_user_model().objects
    circle = make_circle(users.get(email="dana@example.org"), name="Sunday circle")
    enrol_facilitator("dana@example.org")
    join(circle, users.get(email="alex@example.org"), "Harbour")
    join(circle, users.get(email="blake@example.org"), "Willow")
    return circle


def _open_circle(page: Page, circle: Circle) -> None:
    page.goto(f"/circles/{circle.pk}/")


def test_a_report_is_hidden_and_warned_and_the_reporter_hears_the_outcome(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    circle = _circle()
    alex = circle.memberships.get(pseudonym="Harbour")
    thread_create(
        membership=alex, title="Nobody here gets it", body="You are all idiots.", content_note=""
    )

    blake = logged_in_page(new_context(), "blake@example.org")
    _open_circle(blake, circle)
    blake.get_by_role("link", name="Nobody here gets it").click()
    blake.get_by_role("link", name="Report this post by Harbour").click()
    expect(blake.get_by_role("heading", level=1)).to_have_text("Report a post")
    axe_check(blake)
    blake.get_by_label("Harassment or bullying").check()
    blake.get_by_label("Anything the facilitators should know (optional)").fill("It hurt.")
    blake.get_by_role("button", name="Send the report").click()
    expect(blake.get_by_text("A facilitator will look at it")).to_be_visible()

    dana = logged_in_page(new_context(), "dana@example.org")
    _open_circle(dana, circle)
    dana.get_by_role("navigation", name="This circle").get_by_role(
        "link", name="Reports to review"
    ).click()
    report = dana.get_by_role("article").filter(has_text="Harassment or bullying")
    expect(report).to_contain_text("It hurt.")
    axe_check(dana)
    report.get_by_label("Hide this post from members").check()
    report.get_by_label("Send the author a note").select_option(label="Kindness towards each other")
    report.get_by_role("button", name="Resolve this report").click()
    expect(dana.get_by_text("Done.")).to_be_visible()
    expect(dana.get_by_text("No open reports.")).to_be_visible()
    axe_check(dana)

    blake.goto("/notifications/")
    expect(blake.get_by_text("reviewed your report: the post is now hidden")).to_be_visible()
    axe_check(blake)
    _open_circle(blake, circle)
    expect(blake.get_by_text("Nobody here gets it")).to_have_count(0)

    author = logged_in_page(new_context(), "alex@example.org")
    author.goto("/notifications/")
    expect(author.get_by_text("sent you a note about one of your posts")).to_be_visible()
    assert network_log.foreign(live_server.url) == []


def test_a_crisis_post_brings_resources_and_alerts_the_facilitator_without_the_text(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    circle = _circle()
    alex = logged_in_page(new_context(), "alex@example.org")
    _open_circle(alex, circle)
    alex.get_by_role("link", name="Start a conversation").click()
    alex.get_by_label("Title").fill("Tonight")
    alex.get_by_label("Your post").fill(CRISIS)
    alex.get_by_role("button", name="Share with the circle").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("You don't have to carry this alone")
    expect(alex.get_by_text("facilitators have been told")).to_be_visible()
    axe_check(alex)

    dana = logged_in_page(new_context(), "dana@example.org")
    dana.goto("/notifications/")
    alert = dana.get_by_text("may need support")
    expect(alert).to_be_visible()
    expect(dana.get_by_text(CRISIS)).to_have_count(0)
    axe_check(dana)
    assert network_log.foreign(live_server.url) == []


def test_a_long_queue_comes_a_page_at_a_time(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    """Open reports and hidden posts each have their own page links, named apart, and the
    queue passes axe with both."""
    from confide.moderation.models import HiddenPost
    from confide.moderation.selectors import HIDDEN_PAGE, REPORTS_PAGE
    from confide.moderation.services import report_create

    circle = _circle()
    alex = circle.memberships.get(pseudonym="Harbour")
    blake = circle.memberships.get(pseudonym="Willow")
    dana_member = circle.memberships.get(pseudonym="Lantern")
    for i in range(REPORTS_PAGE + 1):
        thread = thread_create(
            membership=alex, title=f"Reported {i:02}", body=f"Words {i:02}", content_note=""
        )
        report_create(membership=blake, thread=thread, reply=None, reason="spam", note="")
    for i in range(HIDDEN_PAGE + 1):
        thread = thread_create(
            membership=alex, title=f"Hidden {i:02}", body="Hidden words", content_note=""
        )
        HiddenPost.objects.create(circle=circle, thread=thread, hidden_by=dana_member)

    dana = logged_in_page(new_context(), "dana@example.org")
    _open_circle(dana, circle)
    dana.get_by_role("navigation", name="This circle").get_by_role(
        "link", name="Reports to review"
    ).click()
    reports = dana.get_by_role("navigation", name="Pages of open reports")
    hidden = dana.get_by_role("navigation", name="Pages of hidden posts")
    expect(reports).to_contain_text("Page 1 of 2")
    expect(hidden).to_contain_text("Page 1 of 2")
    expect(dana.get_by_role("article")).to_have_count(REPORTS_PAGE)
    axe_check(dana)
    reports.get_by_role("link", name="Next").click()
    expect(dana.get_by_role("article")).to_have_count(1)
    expect(dana.get_by_role("article")).to_contain_text(f"Words {REPORTS_PAGE:02}")
    axe_check(dana)
    dana.get_by_role("navigation", name="Pages of hidden posts").get_by_role(
        "link", name="Older"
    ).click()
    expect(dana.get_by_role("navigation", name="Pages of hidden posts")).to_contain_text(
        "Page 2 of 2"
    )
    axe_check(dana)
    assert network_log.foreign(live_server.url) == []
