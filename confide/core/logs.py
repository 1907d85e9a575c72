"""Logging that keeps secrets out: single-use tokens in paths are replaced before a line is written.

Links in emails carry tokens in their paths (verification, password reset, invitations, the
calendar feed). Access logs would otherwise keep working copies of them.
"""

from __future__ import annotations

import logging
import re
from typing import Final

_TOKEN_PATH: Final = re.compile(
    r"(/(?:verify|join|confirm|reset/[^/\s]+|calendar)/)[^/\s?\"]+", re.IGNORECASE
)
REDACTED: Final = "[token]"


def redact(text: str) -> str:
    return _TOKEN_PATH.sub(lambda m: m.group(1) + REDACTED, text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message and arguments so no token path reaches any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
