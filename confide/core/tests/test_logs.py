from __future__ import annotations

import logging

import pytest

from confide.core.logs import RedactTokens, redact


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/account/verify/AbC-123_x/", "/account/verify/[token]/"),
        ("/account/password/reset/MQ/abc-def123/", "/account/password/reset/MQ/[token]/"),
        ("/account/email/confirm/tok/", "/account/email/confirm/[token]/"),
        ("/pairs/join/xyz/", "/pairs/join/[token]/"),
        ("/circles/1/join/xyz/", "/circles/1/join/[token]/"),
        ("/circles/calendar/secret.ics", "/circles/calendar/[token]"),
        ("/pairs/", "/pairs/"),
    ],
)
def test_token_paths_are_redacted(path: str, expected: str) -> None:
    assert redact(path) == expected


def test_the_filter_rewrites_uvicorn_style_access_records() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/pairs/join/s3cret-token/", "1.1", 200),
        None,
    )
    assert RedactTokens().filter(record)
    assert "s3cret-token" not in record.getMessage()
    assert "/pairs/join/[token]/" in record.getMessage()
