"""Text that can never be stored: NUL and lone surrogates.

Form posts cannot carry either far (Django's form fields refuse NUL, and a request body is
decoded as UTF-8, which has no lone surrogates), but a JSON socket message can: "\\ud800" is
valid JSON and a valid Python string, and sealing it (UTF-8) fails. Sockets refuse such a
message whole, with the same plain words the safety plan uses, before anything is stored.
"""

from __future__ import annotations

import re
from typing import Final

from django.utils.translation import gettext as _

_UNSAFE: Final = re.compile("[\x00\ud800-\udfff]")
MAX_DEPTH: Final = 20


def text_problem(text: str) -> str | None:
    """Why this text cannot be stored, in the person's words, or None when it can."""
    found = _UNSAFE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("This message contains a hidden control character; please retype it.")
    return _("This message contains a broken character; please retype it.")


def message_problem(value: object, *, depth: int = 0) -> str | None:
    """`text_problem` for every string in a decoded JSON message, keys included."""
    if depth > MAX_DEPTH:
        return _("This message is nested too deeply.")
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = message_problem(key, depth=depth + 1) or message_problem(
                item, depth=depth + 1
            )
            if problem:
                return problem
    if isinstance(value, list):
        for item in value:
            problem = message_problem(item, depth=depth + 1)
            if problem:
                return problem
    return None
