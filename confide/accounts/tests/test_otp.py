"""The pure parts of two-step login, as tables."""

from __future__ import annotations

import base64
import re

import pytest

from confide.accounts import otp

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, in hex


def test_a_recovery_code_is_four_groups_from_an_unambiguous_alphabet() -> None:
    codes = {otp.recovery_code_make() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code)
        assert not set(code.replace("-", "")) & set("01ilo")


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("abcd-efgh-jkmn-pqrs", True),
        ("ABCD-EFGH-JKMN-PQRS", True),
        (" abcd efgh jkmn pqrs ", True),
        ("abcdefghjkmnpqrs", True),
        ("abcd-efgh-jkmn-pqrt", False),
        ("", False),
        ("---", False),
    ],
)
def test_a_recovery_code_matches_its_hash_however_it_is_typed(typed: str, matches: bool) -> None:
    stored = otp.recovery_code_hash("abcd-efgh-jkmn-pqrs")
    assert "abcd" not in stored
    assert otp.recovery_code_matches(typed, stored) is matches


@pytest.mark.parametrize("stored", ["", "sha256$only-two", "md5$salt$digest", "a$b$c$d"])
def test_a_malformed_stored_hash_matches_nothing(stored: str) -> None:
    assert not otp.recovery_code_matches("abcd-efgh-jkmn-pqrs", stored)


def test_the_same_code_hashes_differently_each_time() -> None:
    assert otp.recovery_code_hash("abcd") != otp.recovery_code_hash("abcd")


@pytest.mark.parametrize(
    ("typed", "is_totp"),
    [
        ("123456", True),
        ("123 456", True),
        (" 123-456 ", True),
        ("12345", False),
        ("1234567", False),
        ("12345a", False),
        ("abcd-efgh-jkmn-pqrs", False),
        ("١٢٣٤٥٦", False),  # other digits: int() would take them, a TOTP app never shows them
    ],
)
def test_what_reads_as_an_app_code(typed: str, is_totp: bool) -> None:
    assert otp.looks_like_totp(typed) is is_totp


def test_the_key_for_manual_entry_is_the_base32_of_the_secret_in_groups() -> None:
    assert otp.key_base32(KEY) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert otp.key_for_reading(KEY) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"


def test_the_otpauth_uri_names_the_issuer_and_account() -> None:
    uri = otp.otpauth_uri(key_hex=KEY, account="dana@example.org")
    assert uri == (
        "otpauth://totp/Confide%3Adana%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=Confide&digits=6&period=30"
    )


def test_the_qr_code_is_an_svg_drawn_here_with_nothing_active_in_it() -> None:
    uri = otp.qr_svg_data_uri("otpauth://totp/x?secret=AB")
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    svg = base64.b64decode(uri.removeprefix(prefix)).decode()
    assert svg.startswith("<svg")
    assert "<path" in svg
    assert not re.search(r"<script|on\w+=|href|style=", svg)


@pytest.mark.parametrize(
    ("agent", "summary"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0 Safari/537.36 Edg/130.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("curl/8.0", ""),
        ("", ""),
    ],
)
def test_a_device_is_summarised_from_its_user_agent(agent: str, summary: str) -> None:
    assert otp.device_summary(agent) == summary
