"""Plain-text emails whose links survive every mail reader.

Python's email package sends text with a line longer than 78 characters as quoted-printable,
which cuts a long link with "=" soft breaks; some readers show the pieces as two broken lines.
Here prose is wrapped at 72 characters and the message may carry lines up to the RFC 5322
limit of 998, so a link stays whole on its own line and the text goes out as 7bit (8bit when
it has accents), never quoted-printable or base64.
"""

from __future__ import annotations

import email.policy
import textwrap
from email.message import EmailMessage as PythonMessage
from typing import Any

from django.core.mail import EmailMessage

WRAP = 72
HARD_LIMIT = 998  # RFC 5322 section 2.1.1


def wrap_prose(body: str) -> str:
    """Wrap lines with spaces at WRAP; a line without spaces (a link) is kept whole."""
    lines = []
    for line in body.splitlines():
        if len(line) <= WRAP or " " not in line.strip():
            lines.append(line)
        else:
            lines.extend(textwrap.wrap(line, WRAP, break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines) + ("\n" if body.endswith("\n") else "")


class PlainEmail(EmailMessage):
    def message(self, *, policy: Any = email.policy.default) -> PythonMessage:
        return super().message(policy=policy.clone(max_line_length=HARD_LIMIT))


def mail_send(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text email (From: DEFAULT_FROM_EMAIL). Raises what the backend raises."""
    return PlainEmail(subject, wrap_prose(body), None, to).send()
