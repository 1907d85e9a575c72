"""Two-step login and sessions in real browsers: turn it on by scanning (here: reading) the
key, log in with a code, then with a recovery code, and end another browser's session."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import PASSWORD, axe_check, log_in, make_member

ContextFactory = Callable[..., BrowserContext]
EMAIL = "alex@example.org"


def _code(key_text: str) -> str:
    """What an authenticator app shows for the key read off the page. A code of the current
    time step that was used already is refused, so the next step's is taken then."""
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    device = TOTPDevice.objects.filter(user__email=EMAIL, confirmed=True).first()
    now_t = int(time.time() // 30)
    ahead = 0 if device is None else max(0, device.last_t + 1 - now_t)
    return str(totp(key, drift=ahead)).zfill(6)


def _password_step(page: Page) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step login")


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out", exact=True).click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in", exact=True)).to_be_visible()


def _turn_on(laptop: Page) -> tuple[str, list[str]]:
    """From the account page: a QR code drawn by the server, and the key as text."""
    laptop.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    laptop.get_by_role("link", name="Two-step login").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Turn on two-step login")
    qr = laptop.get_by_role("img", name="QR code holding the key shown below")
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    assert qr.evaluate("img => img.naturalWidth") > 0  # it rendered under the CSP
    axe_check(laptop)
    key = laptop.locator("#totp-key").inner_text()
    laptop.get_by_label("6-digit code from the app").fill(_code(key))
    laptop.get_by_role("button", name="Turn on two-step login").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = laptop.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    axe_check(laptop)
    return key, codes


def _enter(page: Page, code: str) -> None:
    page.get_by_label("Code:", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()


REFUSED = "That code is not right, or it has been used already."


def test_turn_on_two_step_login_log_in_with_codes_and_end_another_session(
    new_context: ContextFactory,
) -> None:
    make_member(EMAIL, "Alex")
    laptop = new_context().new_page()
    log_in(laptop, EMAIL)
    key, codes = _turn_on(laptop)

    # Log out, and in again: the password, then a code.
    _log_out(laptop)
    _password_step(laptop)
    axe_check(laptop)
    _enter(laptop, _code(key))
    expect(laptop.get_by_role("button", name="Log out", exact=True)).to_be_visible()

    # A wrong code is refused; a recovery code works, once.
    _log_out(laptop)
    _password_step(laptop)
    _enter(laptop, "abcd-abcd-abcd-abcd")
    expect(laptop.get_by_text(REFUSED)).to_be_visible()
    _enter(laptop, codes[0])
    expect(laptop.get_by_text("You used a recovery code. 9 are left")).to_be_visible()

    phone = new_context().new_page()
    _password_step(phone)
    _enter(phone, codes[0])
    expect(phone.get_by_text(REFUSED)).to_be_visible()
    _enter(phone, codes[1])
    expect(phone.get_by_role("button", name="Log out", exact=True)).to_be_visible()

    # The laptop lists both sessions and ends the other one.
    laptop.goto("/account/")
    laptop.get_by_role("link", name="Where you are logged in").click()
    sessions = laptop.locator(".session-list > li")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="This session")).to_have_count(1)
    axe_check(laptop)
    laptop.get_by_role("button", name="Log out everywhere else").click()
    expect(laptop.get_by_text("1 other session is logged out.")).to_be_visible()
    expect(sessions).to_have_count(1)

    # The phone's next request finds itself logged out; the laptop stays in.
    phone.reload()
    nav = phone.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    phone.goto("/account/")
    expect(phone).to_have_url(re.compile(r"/account/login/\?next=/account/$"))
    laptop.reload()
    expect(laptop.get_by_role("button", name="Log out", exact=True)).to_be_visible()
