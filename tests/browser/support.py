"""Helpers for the browser tests: accessibility checks, a network recorder, people and logins."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, expect

from confide.accounts.models import User
from confide.accounts.tests.factories import UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
CRISIS_LINK = "Need help now? Crisis resources"
PASSWORD = "lantern harbour quietly 42"

_axe = Axe()


def axe_check(page: Page) -> None:
    """Fail the test if axe-core finds a serious or critical accessibility problem on the page.

    The site's CSP allows only nonce-carrying scripts, so a <script> tag added to the page would
    be blocked. axe-playwright-python does not add one: it passes axe's source to
    `page.evaluate`, which Playwright runs through the DevTools protocol (Runtime.evaluate).
    Scripts evaluated that way are not subject to the page's CSP, so axe runs against the page
    exactly as served and the CSP stays enforced; no `bypass_csp` is needed.
    `test_axe_runs_under_the_sites_csp` keeps this assumption checked.
    """
    results = _axe.run(page)
    blocking = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
    ]
    if blocking:
        lines = [f"axe found {len(blocking)} serious/critical problem(s) on {page.url}:"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(
                f"    at {', '.join(map(str, node['target']))}" for node in violation["nodes"]
            )
        raise AssertionError("\n".join(lines))


@dataclass
class NetworkLog:
    """Every request the pages of a browser context made, and every console error they logged."""

    urls: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.console_errors.append(str(error.error)))

    def _on_request(self, request: Request) -> None:
        self.urls.append(request.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def foreign(self, origin: str) -> list[str]:
        """Requests that went anywhere but `origin` (data: URLs never leave the page)."""
        own = urlsplit(origin)
        return [
            url
            for url in self.urls
            if not url.startswith("data:")
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
        ]


def is_foreign(origin: str) -> Callable[[str], bool]:
    """A URL predicate for `route`: true for anything not served by `origin`."""
    own = urlsplit(origin).netloc

    def check(url: str) -> bool:
        return not url.startswith("data:") and urlsplit(url).netloc != own

    return check


def make_member(email: str = "alex@example.org", display_name: str = "Alex") -> User:
    """A person with a confirmed address who can log in with PASSWORD."""
    return UserFactory.create(email=email, display_name=display_name, password=PASSWORD)


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would (with a code, when they have one)."""
    page.goto("/account/login/")
    page.locator("main form [name=email]").fill(email)
    page.locator("main form [name=password]").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    pass_login_code(page, email)
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()


def enrol_facilitator(email: str) -> None:
    """Facilitators must use two-step login: give the person an authenticator, as if they had
    set one up earlier; `pass_login_code` then types its code at each login."""
    from confide.accounts.tests.factories import enrol_second_factor

    enrol_second_factor(User.objects.get(email=email))


def app_code(email: str) -> str:
    """What the person's authenticator app shows now. When this person already logged in
    during this 30-second step, that code is spent, so the next step's is typed (django-otp
    accepts one step of clock difference)."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from confide.accounts.tests.factories import current_code

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    now_t = int((time.time() - device.t0) // device.step)
    ahead = max(0, device.last_t + 1 - now_t)
    assert ahead <= device.tolerance, "more logins in one 30-second step than codes allow"
    return current_code(device, steps_ahead=ahead)


def pass_login_code(page: Page, email: str) -> None:
    """After the password: type the app's code if the login asks for one."""
    code_field = page.get_by_label("Code:", exact=True)
    log_out = page.get_by_role("button", name="Log out", exact=True)
    expect(code_field.or_(log_out)).to_be_visible()
    if code_field.is_visible():
        code_field.fill(app_code(email))
        page.get_by_role("button", name="Continue", exact=True).click()


def expect_safety_controls(page: Page, exit_url: str) -> None:
    """The crisis link and the quick exit are on the page, and the exit points at `exit_url`."""
    crisis = page.get_by_role("link", name=CRISIS_LINK, exact=True)
    expect(crisis).to_be_visible()
    expect(crisis).to_have_attribute("href", "/help/crisis/")
    quick_exit = page.locator("#quick-exit")
    expect(quick_exit).to_be_visible()
    expect(quick_exit).to_have_attribute("data-exit-url", exit_url)
    expect(quick_exit).to_have_attribute("href", exit_url)


def path_pattern(path: str) -> re.Pattern[str]:
    """Matches a URL on any origin whose path (without query) is exactly `path`."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(\?.*)?$")
