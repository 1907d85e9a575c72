"""Issue 15, items 7 to 10 and issue 13, item 6, as a person meets them in the browser: words
instead of rules and formulas, the live round a facilitator can open early and that ends for
everyone, the browser's time zone at sign-up, notices of who sees what, and the look of home,
circle, meeting and measures pages at 1280 and 390 px (axe on each, with its `region` rule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from confide.accounts.models import User
from confide.circles.models import Circle, Meeting
from confide.circles.services.meetings import meeting_create
from confide.circles.tests.factories import join, make_circle, owner_of
from confide.measures.demo import _write
from confide.measures.models import NormsCalibration
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_create
from tests.browser.conftest import ContextFactory
from tests.browser.support import PASSWORD, axe_check, enrol_facilitator, log_in, make_member

pytestmark = pytest.mark.django_db(transaction=True)
PAGE_LIMIT = 100_000  # bytes of HTML, CSS, JavaScript and pictures of one page
WIDTHS = (1280, 390)
_axe = Axe()


def no_region_findings(page: Page) -> None:
    """axe's `region` rule (moderate, so axe_check lets it pass): all content in landmarks."""
    results = _axe.run(page)
    region = [v for v in results.response["violations"] if v["id"] == "region"]
    assert not region, [node["target"] for v in region for node in v["nodes"]]


def _weekly_meeting(circle: Circle, start: datetime) -> Meeting:
    local = start.astimezone(UTC)
    return meeting_create(
        membership=owner_of(circle),
        title="Weekly circle",
        start_date=local.date(),
        start_time=local.time().replace(second=0, microsecond=0),
        time_zone="UTC",
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        location="",
        agenda="1. Opening\n2. Sharing",
    )


def _people() -> tuple[User, User, Circle, Pair]:
    dana = make_member("dana@example.org", "Dana Realname")
    circle = make_circle(dana)
    enrol_facilitator("dana@example.org")
    alex = make_member("alex@example.org", "Alex")
    blake = make_member("blake@example.org", "Blake")
    join(circle, alex, "Harbour")
    pair = pair_create(first=alex, second=blake)
    return dana, alex, circle, pair


def _measures_history(alex: User, pair: Pair) -> None:
    today = date.today()  # noqa: DTZ011 - the demo writer takes a calendar day
    items = ["understood", "heard", "held-back", "turned-toward", "time-together", "appreciated"]
    for weeks_ago, level in ((3, 2), (0, 5)):
        answers = {item: (6 - level if item == "held-back" else level) for item in items}
        _write(alex, pair, "weekly-closeness", today - timedelta(weeks=weeks_ago), answers)
    NormsCalibration.objects.create(
        instrument_id="weekly-closeness", n=30, sd=0.8, reliability=0.9, computed_at=timezone.now()
    )


def _weight(context: BrowserContext, page: Page, url: str) -> int:
    sizes: list[int] = []

    def count(response: object) -> None:
        body = response.body()  # type: ignore[attr-defined]
        sizes.append(len(body))

    page.on("response", count)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", count)
    return sum(sizes)


def test_key_pages_read_as_words_and_stay_light_at_both_widths(
    new_context: ContextFactory,
) -> None:
    dana, alex, circle, pair = _people()
    meeting = _weekly_meeting(circle, timezone.now() + timedelta(days=2))
    _measures_history(alex, pair)
    for width in WIDTHS:
        facilitator = new_context(viewport={"width": width, "height": 900}).new_page()
        log_in(facilitator, "dana@example.org")
        meeting_url = f"/circles/{circle.pk}/meetings/{meeting.pk}/"
        for url in ("/", f"/circles/{circle.pk}/", meeting_url):
            facilitator.goto(url)
            axe_check(facilitator)
            no_region_findings(facilitator)
        facilitator.goto(meeting_url)
        repeats = facilitator.locator("dl.facts dd").nth(2)
        expect(repeats).to_contain_text("Every ")
        expect(repeats).to_contain_text(" at ")
        expect(facilitator.locator("main")).not_to_contain_text("FREQ=")
        # The facilitator's home: the next meeting they run, as a small dashboard.
        facilitator.goto("/")
        expect(facilitator.locator(".dashboard")).to_contain_text(
            "Next meeting you facilitate: Weekly circle"
        )

        person = new_context(viewport={"width": width, "height": 900})
        page = person.new_page()
        log_in(page, "alex@example.org")
        for url in ("/", "/measures/", "/measures/progress/"):
            assert _weight(person, page, url) < PAGE_LIMIT, url
            axe_check(page)
            no_region_findings(page)
        # Words first; the numbers wait behind "How is this worked out?".
        words = page.get_by_text(
            "Reliably better: a change bigger than day-to-day ups and downs", exact=False
        )
        expect(words).to_be_visible()
        numbers = page.get_by_text("reliable change index", exact=False).first
        expect(numbers).to_be_hidden()
        page.locator("summary", has_text="How is this worked out?").first.click()
        expect(numbers).to_be_visible()
        # One way of writing dates: "7 November 2026", never "Nov. 7, 2026".
        expect(page.locator("main")).not_to_contain_text(".m.")
        chart = page.locator(".measure-chart img").first
        current = chart.evaluate("img => img.currentSrc")
        assert ("size=small" in current) == (width == 390)


def test_question_boxes_and_closeness_pictures_line_up_on_a_phone(
    new_context: ContextFactory,
) -> None:
    _dana, alex, _circle, pair = _people()
    page = new_context(viewport={"width": 390, "height": 900}).new_page()
    log_in(page, "alex@example.org")
    page.goto(f"/measures/pairs/{pair.pk}/take/weekly-closeness/")
    expect(page.get_by_role("complementary", name="Who sees your answers")).to_be_visible()
    axe_check(page)
    no_region_findings(page)
    box = page.locator("fieldset.measure-item").first.bounding_box()
    legend = page.locator("fieldset.measure-item > legend").first.bounding_box()
    assert box is not None and legend is not None
    assert legend["y"] >= box["y"]  # the question sits inside its box, not across its border
    page.goto(f"/measures/pairs/{pair.pk}/take/closeness-picture/")
    radios = page.locator(".closeness-option input[type=radio]")
    tops = [radios.nth(i).bounding_box()["y"] for i in range(4)]  # type: ignore[index]
    assert abs(tops[0] - tops[1]) < 1 and abs(tops[2] - tops[3]) < 1
    axe_check(page)


def test_a_notice_says_who_sees_a_first_measure_once_without_javascript(
    new_context: ContextFactory,
) -> None:
    _dana, _alex, _circle, pair = _people()
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "alex@example.org")
    url = f"/measures/pairs/{pair.pk}/take/weekly-closeness/"
    page.goto(url)
    notice = page.get_by_role("complementary", name="Who sees your answers")
    expect(notice).to_contain_text("Only you see your answers and scores.")
    # (axe needs JavaScript: the same page with its notice is checked in the test above.)
    notice.get_by_role("button", name="Got it").click()
    expect(page).to_have_url(f"{page.url.split('/measures/')[0]}{url}")
    expect(page.get_by_role("complementary", name="Who sees your answers")).to_have_count(0)
    page.goto(f"/pairs/{pair.pk}/checkin/")
    expect(page.get_by_role("complementary", name="Who sees your check-in")).to_be_visible()


def test_sign_up_takes_the_browsers_time_zone_and_home_asks_to_confirm_it(
    new_context: ContextFactory,
) -> None:
    page = new_context(timezone_id="Asia/Tokyo").new_page()
    page.goto("/account/signup/")
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
    axe_check(page)
    form = page.locator("main form")
    form.locator("[name=display_name]").fill("Robin")
    form.locator("[name=email]").fill("robin@example.org")
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    robin = User.objects.get(email="robin@example.org")
    assert robin.time_zone == "Asia/Tokyo"
    robin.email_verified_at = timezone.now()
    robin.save(update_fields=["email_verified_at"])
    log_in(page, "robin@example.org")
    page.goto("/")
    confirm = page.get_by_role("complementary", name="Is this your time zone?")
    expect(confirm).to_contain_text("Times are shown in Asia/Tokyo")
    confirm.get_by_role("button", name="Yes, that is right").click()
    expect(page.get_by_role("complementary", name="Is this your time zone?")).to_have_count(0)


def test_guidelines_read_as_a_numbered_list(new_context: ContextFactory) -> None:
    _dana, _alex, circle, _pair = _people()
    page = new_context(viewport={"width": 390, "height": 900}).new_page()
    log_in(page, "alex@example.org")
    page.goto(f"/circles/{circle.pk}/guidelines/")
    items = page.locator("ol.guidelines > li")
    assert items.count() >= 5
    axe_check(page)


# The ASGI server serves round.js as a streaming response (as in test_circle_round.py).
@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
def test_a_round_opened_early_ends_for_everyone_when_closed(
    new_asgi_context: ContextFactory,
) -> None:
    _dana, _alex, circle, _pair = _people()
    meeting = _weekly_meeting(circle, timezone.now() + timedelta(days=1))
    dana = new_asgi_context().new_page()
    alex = new_asgi_context().new_page()
    log_in(dana, "dana@example.org")
    log_in(alex, "alex@example.org")
    dana.goto(f"/circles/{circle.pk}/meetings/{meeting.pk}/")
    dana.get_by_role("button", name="Open a live round").click()
    expect(dana.get_by_role("heading", level=1)).to_have_text("Live round")
    alex.goto(f"/circles/{circle.pk}/")
    alex.get_by_role("link", name="A live round is open in “Weekly circle”: join it").click()
    expect(alex.locator("#round")).to_have_attribute("data-connections", "1")
    expect(alex.get_by_text("Nobody holds the talking piece yet", exact=False)).to_be_visible()
    dana.get_by_role("button", name="Close the round").click()
    for page in (dana, alex):
        expect(page.get_by_text("The round has closed.", exact=False)).to_be_visible()
        expect(page.get_by_text("Nobody holds the talking piece yet", exact=False)).to_be_hidden()
        expect(page.get_by_role("button", name="Join the queue to speak")).to_be_hidden()
        expect(page.get_by_role("button", name="Close the round")).to_be_hidden()
    axe_check(alex)
    alex.reload()
    expect(alex.get_by_text("Nobody holds the talking piece yet", exact=False)).to_be_hidden()
