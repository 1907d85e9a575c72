"""Care in three browsers: Alex invites Eli (a verified counsellor) for the pair; each partner
chooses what Eli may see; Eli reads the dashboard, sets homework and opens Alex's page; Blake
marks the homework done from the home page; Alex withdraws, then ends, and Eli's next request
already lacks it. Axe checks every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from confide.care.models import Homework
from confide.care.tests.factories import make_counsellor
from confide.pairs.tests.factories import make_pair
from tests.browser.support import NetworkLog, axe_check, enrol_facilitator, log_in, make_member

ALEX = "alex@example.org"
BLAKE = "blake@example.org"
ELI = "eli@example.org"
ContextFactory = Callable[..., BrowserContext]


def _choose(page: Page, scope: str) -> None:
    page.get_by_label(scope, exact=True).check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Saved. It holds from the counsellor's next page.")).to_be_visible()


def _invite_and_consent(alex: Page, blake: Page, pair_id: str) -> str:
    """Alex invites Eli for the pair and shares measures and topics; Blake, measures only."""
    alex.goto("/")
    alex.get_by_role("link", name="Care", exact=True).click()
    axe_check(alex)
    alex.get_by_label("The counsellor's email address").fill(ELI)
    alex.get_by_label("For").select_option(pair_id)
    alex.get_by_role("button", name="Invite").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Care with Eli")
    axe_check(alex)
    _choose(alex, "Measures and topics")
    blake.goto("/care/")
    blake.get_by_role("link", name="Eli").click()
    expect(blake.get_by_role("region", name="Changes to consent")).to_contain_text("Alex")
    _choose(blake, "Measures only")
    axe_check(blake)
    return alex.url


def _dashboard_and_homework(eli: Page) -> str:
    """Eli sees each person's consent, sets homework the consents cover, opens Alex's page."""
    eli.goto("/care/counsellor/")
    expect(eli.get_by_text("Alex: Measures and topics")).to_be_visible()
    expect(eli.get_by_text("Blake: Measures only")).to_be_visible()
    axe_check(eli)
    eli.get_by_role("link", name="Alex and Blake").click()
    # Only what both consents cover is offered, and one line says what is not, and why.
    expect(eli.get_by_label("Exercise").locator("option")).to_have_text(["Answer a measure"])
    expect(eli.locator("#not-offered")).to_have_text(
        "Not offered: a guided conversation on a topic, conversation prompts from a deck and a "
        "week of small gestures, because of what each person lets you see today: Alex (Measures "
        "and topics) and Blake (Measures only)."
    )
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    eli.get_by_label("Exercise").select_option("measure")
    eli.get_by_label("Which one").select_option("weekly-closeness")
    eli.get_by_label("Due on").fill(due)
    eli.get_by_role("button", name="Set homework").click()
    expect(eli.get_by_text("Homework set.")).to_be_visible()
    axe_check(eli)
    eli.get_by_role("link", name="Alex", exact=True).first.click()
    expect(eli.get_by_role("heading", name="Topics they raised")).to_be_visible()
    axe_check(eli)
    return eli.url


def test_invite_consent_dashboard_homework_completion_and_withdrawal(
    new_context: ContextFactory, network_log: NetworkLog
) -> None:
    pair = make_pair(make_member(ALEX, "Alex"), make_member(BLAKE, "Blake"))
    make_counsellor(make_member(ELI, "Eli"))
    enrol_facilitator(ELI)  # counsellors must use two-step login too
    alex, blake, eli = (new_context().new_page() for _ in range(3))
    for page, email in ((alex, ALEX), (blake, BLAKE), (eli, ELI)):
        log_in(page, email)
    relationship_url = _invite_and_consent(alex, blake, str(pair.pk))
    client_url = _dashboard_and_homework(eli)

    # Blake finds it on the home page and marks it done; Eli sees it done.
    blake.goto("/")
    blake.get_by_role("link", name="Homework from your counsellor: Answer a measure").click()
    blake.get_by_role("button", name="Mark done").click()
    expect(blake.get_by_text("Marked done.")).to_be_visible()
    axe_check(blake)
    assert Homework.objects.get().is_done
    eli.go_back()
    eli.reload()
    expect(eli.get_by_role("region", name="Homework")).to_contain_text("done")

    # Alex withdraws: Eli's next request already lacks it. Then Alex ends it: nothing at all.
    alex.goto(relationship_url)
    _choose(alex, "Nothing")
    eli.goto(client_url)
    expect(eli.get_by_text("Nothing to show")).to_be_visible()
    expect(eli.get_by_role("heading", name="Topics they raised")).to_have_count(0)
    alex.get_by_role("button", name="End care with this counsellor").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("End care with Eli?")
    axe_check(alex)
    alex.get_by_role("button", name="Yes, end it").click()
    expect(alex.get_by_text("The counsellor's access ended at once.")).to_be_visible()
    axe_check(alex)
    response = eli.goto(client_url)
    assert response is not None
    assert response.status == 404
    assert not network_log.foreign(alex.url)


def _fits(page: Page) -> None:
    """Nothing makes the page scroll sideways (wide tables scroll in their own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], f"{page.url} is {width}px wide"


def test_on_a_phone_figures_fit_homework_has_its_name_and_consent_changes_are_announced(
    new_context: ContextFactory, network_log: NetworkLog
) -> None:
    from confide.care.models import Scope
    from confide.care.services import homework_assign
    from confide.care.tests.factories import make_care
    from confide.measures.tests.helpers import ITEMS, answer_weekly

    alex_user, blake_user = make_member(ALEX, "Alex"), make_member(BLAKE, "Blake")
    pair = make_pair(alex_user, blake_user)
    eli_user = make_member(ELI, "Eli")
    enrol_facilitator(ELI)
    relationship = make_care(
        eli_user, pair, {alex_user: Scope.MEASURES_TOPICS, blake_user: Scope.MEASURES_TOPICS}
    )
    homework_assign(
        relationship=relationship,
        counsellor=eli_user,
        kind="measure",
        target="weekly-closeness",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    answer_weekly(alex_user, pair, *([3] * len(ITEMS)))  # a row in the wide measures table
    phone = {"viewport": {"width": 390, "height": 844}}
    alex, blake, eli = (new_context(**phone).new_page() for _ in range(3))
    for page, email in ((alex, ALEX), (blake, BLAKE), (eli, ELI)):
        log_in(page, email)

    eli.goto(f"/care/counsellor/r/{relationship.pk}/")
    expect(eli.get_by_role("region", name="Homework")).to_contain_text(
        "Answer a measure: Weekly closeness check"
    )
    _fits(eli)
    eli.get_by_role("link", name="Alex", exact=True).first.click()
    expect(eli.get_by_role("heading", name="Patterns by week (figures only)")).to_be_visible()
    expect(eli.get_by_role("region", name="Measures", exact=True)).to_contain_text(
        "Weekly closeness check"
    )
    _fits(eli)
    axe_check(eli)
    eli.get_by_role("link", name="Back to Alex and Blake").click()
    expect(eli.get_by_role("heading", level=1)).to_have_text("Alex and Blake")

    # Alex narrows what Eli sees; Blake and Eli each find a notification that names no scope.
    alex.goto(f"/care/r/{relationship.pk}/")
    _fits(alex)
    _choose(alex, "Measures only")
    blake.goto("/notifications/")
    expect(blake.get_by_role("main")).to_contain_text("Alex changed what Eli may see")
    axe_check(blake)
    blake.get_by_role("button", name="Alex changed what Eli may see").first.click()
    expect(blake.get_by_role("region", name="Changes to consent")).to_contain_text(
        "Alex: Measures only"
    )
    eli.goto("/notifications/")
    expect(eli.get_by_role("main")).to_contain_text("Alex changed what you may see")
    assert not network_log.foreign(alex.url)


OPERATOR = "operator@example.org"
CASEY = "casey@example.org"
REASON = "Your registration lapsed in October."


def _operator() -> None:
    operator = make_member(OPERATOR, "Operator")
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    enrol_facilitator(OPERATOR)  # operators must use two-step login


def _decline(operator: Page, casey: Page) -> None:
    """The operator declines Casey with a reason; Casey is told, and reads it on her page."""
    operator.get_by_role("link", name="Console", exact=True).click()
    operator.get_by_role("link", name="Counsellor applications").click()
    operator.get_by_label("Reason for declining (optional)").fill(REASON)
    axe_check(operator)
    operator.get_by_role("button", name="Decline Casey").click()
    expect(operator.get_by_text("Declined. They are told")).to_be_visible()
    casey.goto("/notifications/")
    expect(casey.get_by_role("main")).to_contain_text(
        "An operator declined your application to counsel"
    )
    expect(casey.get_by_role("main")).not_to_contain_text(REASON)
    casey.get_by_role("button", name="An operator declined your application to counsel").click()
    expect(casey.get_by_role("region", name="Your application")).to_contain_text(
        "An operator declined your application on"
    )
    expect(casey.get_by_role("region", name="Your application")).to_contain_text(REASON)
    expect(casey.get_by_role("button", name="Apply")).to_be_visible()
    axe_check(casey)


def _withdraw(operator: Page) -> None:
    """A reason first (an empty one is refused), then one confirmation."""
    operator.get_by_role("link", name="Verified counsellors").click()
    axe_check(operator)
    operator.get_by_role("link", name="Withdraw Eli's verification").click()
    expect(operator.get_by_text("Eli has 1 open care relationship.")).to_be_visible()
    operator.get_by_role("button", name="Continue").click()
    expect(operator.get_by_text("This field is required.")).to_be_visible()
    axe_check(operator)
    operator.get_by_label("Why you withdraw the verification").fill(REASON)
    operator.get_by_role("button", name="Continue").click()
    expect(operator.get_by_role("heading", level=1)).to_have_text("Withdraw Eli's verification?")
    axe_check(operator)
    operator.get_by_role("button", name="Yes, withdraw it").click()
    expect(
        operator.get_by_text("Verification withdrawn. 1 care relationship ended")
    ).to_be_visible()
    expect(operator.get_by_text("No counsellor is verified.")).to_be_visible()
    axe_check(operator)


def test_an_operator_declines_and_withdraws_and_each_applicant_hears_of_it(
    new_context: ContextFactory, network_log: NetworkLog
) -> None:
    """Casey's application is declined with a reason; Eli's verification is withdrawn with a
    reason after one confirmation. Each is notified without the reason and reads it on their
    own application page; Eli's next dashboard request is refused and Alex sees care ended."""
    from confide.care.models import Scope
    from confide.care.services import counsellor_apply
    from confide.care.tests.factories import make_care

    alex_user, blake_user = make_member(ALEX, "Alex"), make_member(BLAKE, "Blake")
    pair = make_pair(alex_user, blake_user)
    eli_user = make_member(ELI, "Eli")
    enrol_facilitator(ELI)
    relationship = make_care(eli_user, pair, {alex_user: Scope.MEASURES})
    casey_user = make_member(CASEY, "Casey")
    counsellor_apply(user=casey_user, name="Casey", credentials="BA", practice="Willow")
    _operator()
    operator, eli, casey, alex = (new_context().new_page() for _ in range(4))
    for page, email in ((operator, OPERATOR), (eli, ELI), (casey, CASEY), (alex, ALEX)):
        log_in(page, email)
    eli.goto("/care/counsellor/")
    expect(eli.get_by_role("link", name="Alex and Blake")).to_be_visible()

    _decline(operator, casey)
    _withdraw(operator)

    # Eli's next request is refused: the dashboard sends them to their application page.
    eli.goto("/care/counsellor/")
    expect(eli.get_by_role("heading", level=1)).to_have_text("Counsel here")
    expect(eli.get_by_role("region", name="Your application")).to_contain_text(
        "An operator withdrew your verification on"
    )
    expect(eli.get_by_role("region", name="Your application")).to_contain_text(REASON)
    axe_check(eli)
    response = eli.goto(f"/care/counsellor/r/{relationship.pk}/")
    assert response is not None
    assert response.status == 404
    eli.goto("/notifications/")
    expect(eli.get_by_role("main")).to_contain_text(
        "An operator withdrew your verification as a counsellor"
    )
    expect(eli.get_by_role("main")).not_to_contain_text(REASON)

    # Alex hears it as Eli ending care, and the care page says so.
    alex.goto("/notifications/")
    expect(alex.get_by_role("main")).to_contain_text("Eli ended care with you")
    alex.goto(f"/care/r/{relationship.pk}/")
    expect(alex.get_by_role("status").filter(has_text="Eli ended this on")).to_be_visible()
    expect(alex.get_by_role("main")).not_to_contain_text(REASON)
    axe_check(alex)
    assert not network_log.foreign(alex.url)


def test_long_lists_come_a_page_at_a_time_for_a_counsellor_and_an_operator(
    new_context: ContextFactory, network_log: NetworkLog
) -> None:
    """Eli's notes (all of them, and one client's) and the operator's applications each show
    a page, with links to the next; every page passes axe with its page links."""
    from confide.care.models import Scope
    from confide.care.selectors import CONSOLE_PAGE, HOMEWORK_PAGE, NOTES_PAGE
    from confide.care.services import counsellor_apply, homework_assign, note_add
    from confide.care.tests.factories import make_care

    alex_user, blake_user = make_member(ALEX, "Alex"), make_member(BLAKE, "Blake")
    pair = make_pair(alex_user, blake_user)
    eli_user = make_member(ELI, "Eli")
    enrol_facilitator(ELI)
    relationship = make_care(
        eli_user, pair, {alex_user: Scope.MEASURES, blake_user: Scope.MEASURES}
    )
    for i in range(NOTES_PAGE + 1):
        note_add(relationship=relationship, counsellor=eli_user, text=f"Observation {i:02}")
    for i in range(HOMEWORK_PAGE + 1):
        homework_assign(
            relationship=relationship,
            counsellor=eli_user,
            kind="measure",
            target="weekly-closeness",
            due_on=timezone.localdate() + timedelta(days=i),
        )
    for i in range(CONSOLE_PAGE + 1):
        applicant = make_member(f"applicant{i:02}@example.org", f"Applicant {i:02}")
        counsellor_apply(user=applicant, name=f"Applicant {i:02}", credentials="BA", practice="P")
    _operator()
    eli, operator = new_context().new_page(), new_context().new_page()
    log_in(eli, ELI)
    log_in(operator, OPERATOR)

    eli.goto("/care/counsellor/")
    eli.get_by_role("link", name="All your notes").click()
    pages = eli.get_by_role("navigation", name="Pages", exact=True)
    expect(pages).to_contain_text("Page 1 of 2")
    expect(eli.get_by_text(f"Observation {NOTES_PAGE:02}")).to_be_visible()  # the newest first
    expect(eli.get_by_text("Observation 00")).to_have_count(0)
    axe_check(eli)
    pages.get_by_role("link", name="Older").click()
    expect(eli.get_by_text("Observation 00")).to_be_visible()
    expect(eli.get_by_role("navigation", name="Pages")).to_contain_text("Page 2 of 2")
    axe_check(eli)
    # The client's page: its notes and its homework each have their own page links.
    eli.goto(f"/care/counsellor/r/{relationship.pk}/")
    expect(eli.get_by_role("navigation", name="Pages", exact=True)).to_contain_text("Page 1 of 2")
    homework = eli.get_by_role("navigation", name="Pages of homework")
    expect(homework).to_contain_text("Page 1 of 2")
    axe_check(eli)
    homework.get_by_role("link", name="Earlier").click()
    expect(eli.get_by_role("navigation", name="Pages of homework")).to_contain_text("Page 2 of 2")
    expect(eli.get_by_role("region", name="Homework").get_by_role("listitem")).to_have_count(1)
    axe_check(eli)

    operator.get_by_role("link", name="Console", exact=True).click()
    operator.get_by_role("link", name="Counsellor applications").click()
    pages = operator.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Page 1 of 2")
    axe_check(operator)
    pages.get_by_role("link", name="Next").click()
    expect(operator.get_by_role("heading", name=f"Applicant {CONSOLE_PAGE:02}")).to_be_visible()
    expect(operator.get_by_role("heading", name="Applicant 00")).to_have_count(0)
    axe_check(operator)
    assert not network_log.foreign(eli.url)
