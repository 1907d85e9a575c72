"""Page weight (issue 14): every key page, with its styles, scripts and images, transfers less
than 100 KB. The browser's cache is off, so each page counts everything it loads, as on a first
visit. The pages are the demo's, as a newcomer sees them."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, Request
from pytest_django.live_server_helper import LiveServer

from confide.accounts.models import User
from confide.circles.models import Membership, Reply, Thread
from confide.circles.selectors import REPLIES_PAGE
from confide.circles.services.posts import reaction_set, reply_create
from confide.core.demo import DEMO_PASSWORD, demo_load
from confide.pairs.models import Pair
from confide.safety.classifier import use_classifier
from tests.browser.support import NetworkLog, axe_check, log_in

ContextFactory = Callable[..., BrowserContext]
LIMIT = 100 * 1024


def _key_pages() -> dict[str, str]:
    alex = User.objects.get(email="alex@example.com")
    pair = Pair.objects.filter(members__user=alex).order_by("created_at").first()
    circle = Membership.objects.get(user__email="dana@example.com", role="owner").circle
    thread = Thread.objects.filter(circle=circle).order_by("created_at").first()
    assert pair is not None and thread is not None
    return {
        "home": "/",
        "pair page": f"/pairs/{pair.pk}/",
        "history": f"/pairs/{pair.pk}/history/",
        "check-in": f"/pairs/{pair.pk}/checkin/",
        "circle page": f"/circles/{circle.pk}/",
        "thread": f"/circles/{circle.pk}/threads/{thread.pk}/",
        "progress": "/measures/progress/",
        "notifications": "/notifications/",
    }


def _bytes_of(page: Page, path: str) -> tuple[int, list[str]]:
    """Bytes of the page and everything it loaded (bodies and headers as sent), and the URLs.
    Only requests this page made count: one the page before made may still finish meanwhile
    (a stylesheet of the page that logging in landed on)."""
    page.wait_for_load_state("load")
    started: list[Request] = []
    finished: list[Request] = []

    def on_start(request: Request) -> None:
        started.append(request)

    def on_finish(request: Request) -> None:
        finished.append(request)

    page.on("request", on_start)
    page.on("requestfinished", on_finish)
    response = page.goto(path, wait_until="load")
    page.remove_listener("requestfinished", on_finish)
    page.remove_listener("request", on_start)
    assert response is not None and response.ok, path
    ours = [request for request in finished if any(request is mine for mine in started)]
    total = 0
    for request in ours:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total, [request.url for request in ours]


def test_each_key_page_transfers_less_than_100_kb(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    demo_load()
    pages = _key_pages()
    context = new_context()
    page = context.new_page()
    log_in(page, "alex@example.com", DEMO_PASSWORD)
    session = context.new_cdp_session(page)
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    weights: dict[str, int] = {}
    for name, path in pages.items():
        weights[name], urls = _bytes_of(page, path)
        # The count includes the page's own assets: the stylesheet is among them.
        assert any(url.endswith(".css") for url in urls), (name, urls)
        axe_check(page)
    heavy = {name: size for name, size in weights.items() if size >= LIMIT}
    assert heavy == {}, f"pages over {LIMIT // 1024} KB: {heavy} (all: {weights})"
    assert all(size > 0 for size in weights.values()), weights
    assert network_log.console_errors == []


# A reply of an ordinary length for a support circle (about 300 characters).
REPLY = (
    "Thank you for telling us about your week. It sounds like the evenings were the hardest "
    "part, when the house goes quiet. I had weeks like that after my move, and what helped "
    "was one small plan for each evening, even a walk around the block. You are not alone in this."
)


def test_a_thread_with_50_replies_transfers_less_than_100_kb(
    new_context: ContextFactory, network_log: NetworkLog, live_server: LiveServer
) -> None:
    """A long conversation: its first page of replies, every one by someone else (so each has
    its report and block controls) and with reactions, stays under the limit. It weighed more
    than 118 KB while each reaction had a form of its own."""
    demo_load()
    path = _key_pages()["thread"]
    thread = Thread.objects.get(pk=path.rstrip("/").rsplit("/", 1)[1])
    members = list(
        Membership.objects.select_related("circle", "user")
        .filter(circle=thread.circle, left_at__isnull=True)
        .exclude(user__email="alex@example.com")
    )
    with use_classifier(None, "the test's own words"):
        for n in range(50 - Reply.objects.filter(thread=thread).count()):
            reply = reply_create(
                membership=members[n % len(members)], thread=thread, body=REPLY, content_note=""
            )
            giver = members[(n + 1) % len(members)]
            reaction_set(membership=giver, thread=thread, reply=reply, kind="hear", on=True)
    assert Reply.objects.filter(thread=thread).count() == 50
    context = new_context()
    page = context.new_page()
    log_in(page, "alex@example.com", DEMO_PASSWORD)
    context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
    size, urls = _bytes_of(page, path)
    assert any(url.endswith(".css") for url in urls), urls
    assert page.locator("article.reply").count() == REPLIES_PAGE
    assert page.get_by_role("link", name="Next").count() == 1
    axe_check(page)
    assert size < LIMIT, f"the thread with 50 replies transfers {size} bytes"
    assert network_log.console_errors == []
