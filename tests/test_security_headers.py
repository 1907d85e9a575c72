"""Every response carries the headers that keep a person's private pages private."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
NONCE_SOURCE = re.compile(r"'nonce-([A-Za-z0-9+/=_-]+)'")


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


@pytest.fixture
def member_client(client: Client, alex: User) -> Client:
    client.force_login(alex)
    return client


def assert_strict_csp(response_csp: str, html: str) -> None:
    directives = csp_directives(response_csp)
    assert "'unsafe-inline'" not in response_csp
    assert "'unsafe-eval'" not in response_csp
    nonces = NONCE_SOURCE.findall(" ".join(directives["script-src"]))
    assert len(nonces) == 1, f"script-src has no nonce: {directives['script-src']}"
    # The nonce in the header is the one the page's own scripts carry.
    assert f'nonce="{nonces[0]}"' in html
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def assert_common_headers(response_headers: dict[str, str], html: str) -> None:
    assert response_headers["X-Content-Type-Options"] == "nosniff"
    assert response_headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # No address ever leaks to another site. "no-referrer" would be stricter still, but with it
    # Chromium sends `Origin: null` on form posts and Django's CSRF check refuses every one of
    # them (tests/browser catch that too); "same-origin" sends the referrer only to Confide.
    assert response_headers["Referrer-Policy"] == "same-origin"
    meta = re.search(r'<meta name="referrer" content="([^"]*)"', html)
    assert meta is None or meta.group(1) == "same-origin", meta


@pytest.mark.parametrize("path", ["/", "/help/crisis/", "/account/login/"])
def test_anonymous_pages_send_a_strict_csp_and_security_headers(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert_strict_csp(response["Content-Security-Policy"], response.text)
    assert_common_headers(dict(response.headers), response.text)


@pytest.mark.parametrize("path", ["/", "/account/"])
def test_pages_of_a_logged_in_person_are_never_stored(member_client: Client, path: str) -> None:
    response = member_client.get(path)

    assert response.status_code == 200
    assert_strict_csp(response["Content-Security-Policy"], response.text)
    assert_common_headers(dict(response.headers), response.text)
    assert "no-store" in response["Cache-Control"]


# Browser features Confide never uses; a page of it (or a script that got in) may use none.
DENIED_FEATURES = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "midi",
    "display-capture",
    "accelerometer",
    "gyroscope",
    "magnetometer",
    "browsing-topics",
)


def permissions_policy(header: str) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in header.split(",") if item.strip())


@pytest.mark.parametrize(
    "path", ["/", "/account/login/", "/healthz", "/static/core/confide.css", "/no-such-page/"]
)
def test_every_response_denies_the_browser_features_confide_never_uses(
    client: Client, path: str
) -> None:
    response = client.get(path)
    response.close()  # a static file is streamed from an open file

    policy = permissions_policy(response["Permissions-Policy"])
    for feature in DENIED_FEATURES:
        assert policy.get(feature) == "()", (feature, response["Permissions-Policy"])
    # Nothing is allowed anywhere: every listed feature is off, for every origin.
    assert set(policy.values()) == {"()"}


def test_logged_in_pages_deny_the_same_features(member_client: Client) -> None:
    policy = permissions_policy(member_client.get("/account/")["Permissions-Policy"])

    assert all(policy.get(feature) == "()" for feature in DENIED_FEATURES)


def test_each_response_gets_a_fresh_nonce(client: Client) -> None:
    first = NONCE_SOURCE.findall(client.get("/").headers["Content-Security-Policy"])
    second = NONCE_SOURCE.findall(client.get("/").headers["Content-Security-Policy"])

    assert first
    assert first != second


def test_logout_asks_the_browser_to_forget_everything(member_client: Client) -> None:
    response = member_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    clear = response["Clear-Site-Data"]
    assert '"*"' in clear or all(kind in clear for kind in ('"cache"', '"cookies"', '"storage"'))
    assert "_auth_user_id" not in member_client.session


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CONFIDE_", "DJANGO_"))
        and name not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    return {
        **inherited,
        "CONFIDE_ENV": "production",
        "CONFIDE_ALLOWED_HOSTS": "confide.example",
        "CONFIDE_DATA_DIR": str(tmp_path / "data"),
        # Without a mail server Django's deploy check rightly fails (mail.E001: console backend).
        "CONFIDE_EMAIL_HOST": "smtp.confide.example",
        "DJANGO_SETTINGS_MODULE": "confide.settings",
        **extra,
    }


def run_confide(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "confide", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(45)
    assert len(key) == 60

    result = run_confide("check", "--deploy", env=production_env(tmp_path, SECRET_KEY=key))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("key", [None, "too-short"], ids=["missing", "short"])
def test_production_refuses_to_start_without_a_strong_secret_key(
    tmp_path: Path, key: str | None
) -> None:
    env = production_env(tmp_path)
    if key is not None:
        env["SECRET_KEY"] = key

    result = run_confide("check", "--deploy", env=env)

    assert result.returncode != 0
    # A clear message naming the setting, not a traceback.
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert "System check identified no issues" not in result.stdout
