"""A circle end to end in two real browsers: joining by link with the guidelines accepted,
posting with a content note, reacting, and a shared goal reaching its target."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import PASSWORD, axe_check, enrol_facilitator, pass_login_code

ContextFactory = Callable[..., BrowserContext]
DANA = "dana@example.org"
ALEX = "alex@example.org"
BODY = "My mother's birthday is on Sunday, the first one without her."
CIRCLE_PAGE = re.compile(r"^https?://[^/]+/circles/[0-9a-f-]{36}/$")


def _person(email: str, name: str) -> None:
    get_user_model().objects.create_user(
        email=email, password=PASSWORD, display_name=name, email_verified_at=timezone.now()
    )


def _logged_in(context: BrowserContext, email: str) -> Page:
    page = context.new_page()
    page.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    pass_login_code(page, email)
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
    return page


def _start_circle(dana: Page) -> None:
    dana.get_by_role("navigation", name="Main").get_by_role("link", name="Circles").click()
    axe_check(dana)
    dana.get_by_role("link", name="Start a circle").click()
    expect(dana.get_by_label("Guidelines")).to_contain_text("We keep what is shared here")
    axe_check(dana)
    dana.get_by_label("Circle name").fill("Sunday grief circle")
    dana.get_by_label("Your name in this circle").fill("Lantern")
    dana.get_by_role("button", name="Start the circle").click()
    expect(dana).to_have_url(CIRCLE_PAGE)
    axe_check(dana)


def _invite_and_join(dana: Page, alex: Page) -> None:
    dana.get_by_role("navigation", name="This circle").get_by_role("link", name="Invite").click()
    dana.get_by_role("button", name="Create an invitation link").click()
    link = dana.get_by_role("textbox", name="Invitation link").input_value()
    axe_check(dana)
    alex.goto(link)
    expect(alex.get_by_role("heading", level=2, name="The circle's guidelines")).to_be_visible()
    axe_check(alex)
    alex.get_by_label("Your name in this circle").fill("Harbour")
    alex.get_by_role("button", name="Join the circle").click()
    expect(alex.locator("main")).to_contain_text("Accept the guidelines to join the circle.")
    axe_check(alex)
    alex.get_by_label("Your name in this circle").fill("lantern")
    alex.get_by_label("I have read the guidelines above and I accept them").check()
    alex.get_by_role("button", name="Join the circle").click()
    expect(alex.get_by_role("alert")).to_contain_text("already uses the name")
    axe_check(alex)
    alex.get_by_label("Your name in this circle").fill("Harbour")
    alex.get_by_label("I have read the guidelines above and I accept them").check()
    alex.get_by_role("button", name="Join the circle").click()
    expect(alex).to_have_url(CIRCLE_PAGE)
    expect(alex.get_by_role("status")).to_contain_text("Welcome to the circle")
    axe_check(alex)


def test_join_post_with_a_content_note_react_and_reach_a_goal(new_context: ContextFactory) -> None:
    _person(DANA, "Dana Realname")
    _person(ALEX, "Alex Realname")
    enrol_facilitator(DANA)  # she starts the circle, so its facilitator pages need a code
    dana = _logged_in(new_context(), DANA)
    alex = _logged_in(new_context(), ALEX)
    _start_circle(dana)
    _invite_and_join(dana, alex)

    # Alex posts with a content note.
    alex.get_by_role("link", name="Start a conversation").click()
    alex.get_by_label("Title").fill("A hard weekend ahead")
    alex.get_by_label("Content note (optional)").fill("grief, a parent's death")
    alex.get_by_label("Your post").fill(BODY)
    alex.get_by_role("button", name="Share with the circle").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("A hard weekend ahead")
    axe_check(alex)

    # Dana sees the note first; the words stay folded until she opens them.
    dana.get_by_role("navigation", name="This circle").get_by_role("link", name="Circle").click()
    dana.get_by_role("link", name="A hard weekend ahead").click()
    expect(dana.get_by_text(BODY)).to_be_hidden()
    expect(dana.locator("main")).not_to_contain_text("Alex Realname")
    expect(dana.locator("main")).to_contain_text("Harbour")
    axe_check(dana)
    dana.get_by_text("Content note: grief, a parent's death").click()
    expect(dana.get_by_text(BODY)).to_be_visible()
    hear = dana.get_by_role("button", name="I hear you")
    expect(hear).to_have_attribute("aria-pressed", "false")
    hear.click()
    expect(dana.get_by_role("button", name="I hear you 1")).to_have_attribute(
        "aria-pressed", "true"
    )
    axe_check(dana)

    # A shared goal, reached by Alex's contribution, is celebrated for everyone.
    dana.get_by_role("navigation", name="This circle").get_by_role("link", name="Circle").click()
    dana.get_by_role("link", name="Set a shared goal").click()
    dana.get_by_label("What we want to do together").fill("Two gentle walks")
    dana.get_by_label("By when").fill("2099-12-31")
    dana.get_by_label("Target count (optional)").fill("2")
    dana.get_by_role("button", name="Set the goal").click()
    axe_check(dana)
    alex.get_by_role("navigation", name="This circle").get_by_role("link", name="Circle").click()
    alex.get_by_role("link", name="Two gentle walks").click()
    alex.get_by_label("How many").fill("2")
    alex.get_by_label("A short note (optional)").fill("by the river")
    alex.get_by_role("button", name="Add", exact=True).click()
    expect(alex.locator("main")).to_contain_text("We did it!")
    axe_check(alex)
    dana.get_by_role("navigation", name="This circle").get_by_role("link", name="Circle").click()
    expect(dana.locator(".celebration-banner")).to_contain_text("We reached our goal")
    axe_check(dana)


def test_every_circle_page_passes_the_accessibility_check(new_context: ContextFactory) -> None:
    from datetime import date, time

    from confide.circles.services.goals import contribution_add, goal_create
    from confide.circles.services.guidelines import guidelines_publish
    from confide.circles.services.meetings import meeting_create
    from confide.circles.services.membership import circle_settings_update, join_request_create
    from confide.circles.services.posts import reaction_set, reply_create, thread_create
    from confide.circles.tests.factories import join, make_circle, owner_of

    _person(DANA, "Dana")
    _person(ALEX, "Alex")
    dana_user = get_user_model().objects.get(email=DANA)
    circle = make_circle(dana_user)
    owner = owner_of(circle)
    member = join(circle, get_user_model().objects.get(email=ALEX), "Harbour")
    circle_settings_update(membership=owner, hold_first_posts=True)
    newcomer = join(circle, get_user_model().objects.create_user(email="n@example.org"), "Pebble")
    held = thread_create(membership=newcomer, title="Held", body="Waiting", content_note="")
    thread = thread_create(membership=member, title="Open", body="Words", content_note="loss")
    reply_create(membership=owner, thread=thread, body="I hear you", content_note="")
    reaction_set(membership=owner, thread=thread, reply=None, kind="thanks", on=True)
    goal = goal_create(
        membership=member, title="Walks", due_on=date(2099, 1, 1), target=5, today=date(2026, 1, 1)
    )
    contribution_add(membership=member, goal=goal, amount=2, note="two")
    meeting = meeting_create(
        membership=owner,
        title="Weekly",
        start_date=date(2099, 1, 1),
        start_time=time(19, 0),
        time_zone="UTC",
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        location="",
        agenda="1. Opening",
    )
    join_request_create(
        circle=circle,
        user=get_user_model().objects.create_user(email="r@example.org"),
        pseudonym="Asker",
    )
    guidelines_publish(membership=owner, text="Be kind.")
    base = f"/circles/{circle.pk}/"
    pages = {
        DANA: [
            "/circles/",
            "/circles/new/",
            "/circles/calendar/",
            base,
            f"{base}members/",
            f"{base}profile/",
            f"{base}settings/",
            f"{base}guidelines/edit/",
            f"{base}invite/",
            f"{base}queue/",
            f"{base}threads/new/",
            f"{base}threads/{thread.pk}/",
            f"{base}threads/{held.pk}/",
            f"{base}goals/new/",
            f"{base}goals/{goal.pk}/",
            f"{base}meetings/new/",
            f"{base}meetings/{meeting.pk}/",
            f"{base}leave/",
        ],
        ALEX: [f"{base}guidelines/", base],
    }
    for email, paths in pages.items():
        page = _logged_in(new_context(), email)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            axe_check(page)


def test_a_large_circles_lists_come_a_page_at_a_time(new_context: ContextFactory) -> None:
    """Members, links not used yet, requests to join and held posts: each list a page at a
    time, with page links named apart, and each page passes axe with them."""
    from confide.circles.models import PostStatus, Reply, Thread
    from confide.circles.selectors import HELD_PAGE, INVITATIONS_PAGE, MEMBERS_PAGE, REQUESTS_PAGE
    from confide.circles.services.membership import invitation_create, join_request_create
    from confide.circles.services.posts import reply_create, thread_create
    from confide.circles.tests.factories import join, make_circle, owner_of

    _person(DANA, "Dana")
    enrol_facilitator(DANA)
    circle = make_circle(get_user_model().objects.get(email=DANA))
    owner = owner_of(circle)
    members = [
        join(circle, get_user_model().objects.create_user(email=f"m{i}@example.org"), f"M{i:02}")
        for i in range(MEMBERS_PAGE)  # with Dana, one more than a page
    ]
    for _ in range(INVITATIONS_PAGE + 1):
        invitation_create(membership=owner)
    thread = thread_create(membership=members[0], title="Open", body="Words", content_note="")
    for i in range(REQUESTS_PAGE + 1):
        asker = get_user_model().objects.create_user(email=f"a{i}@example.org")
        join_request_create(circle=circle, user=asker, pseudonym=f"Asker {i:02}")
    for i in range(HELD_PAGE + 1):
        thread_create(membership=members[1], title=f"Held {i:02}", body="b", content_note="")
        reply_create(membership=members[1], thread=thread, body=f"Reply {i:02}", content_note="")
    Thread.objects.filter(author=members[1]).update(status=PostStatus.HELD)
    Reply.objects.filter(author=members[1]).update(status=PostStatus.HELD)

    dana = _logged_in(new_context(), DANA)
    dana.goto(f"/circles/{circle.pk}/members/")
    pages = dana.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Page 1 of 2")
    expect(dana.locator(".member")).to_have_count(MEMBERS_PAGE)
    axe_check(dana)
    pages.get_by_role("link", name="Next").click()
    expect(dana.locator(".member")).to_have_count(1)
    expect(dana.locator(".member")).to_contain_text(f"M{MEMBERS_PAGE - 1:02}")
    axe_check(dana)

    dana.goto(f"/circles/{circle.pk}/invite/")
    expect(dana.get_by_role("navigation", name="Pages")).to_contain_text("Page 1 of 2")
    axe_check(dana)

    dana.goto(f"/circles/{circle.pk}/queue/")
    for label in ("requests to join", "held conversations", "held replies"):
        expect(dana.get_by_role("navigation", name=f"Pages of {label}")).to_contain_text(
            "Page 1 of 2"
        )
    axe_check(dana)
    dana.get_by_role("navigation", name="Pages of held replies").get_by_role(
        "link", name="Next"
    ).click()
    expect(dana.get_by_text(f"Reply {HELD_PAGE:02}")).to_be_visible()
    expect(dana.get_by_text("Reply 00")).to_have_count(0)
    axe_check(dana)
