"""Taking a person's names out of a notification title (pure: no database).

Used when a person erases their account: titles that others received name them by their
display name or a circle pseudonym, and each such name is replaced by a neutral wording.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ELLIPSIS = "…"


def names_pattern(names: Mapping[str, object]) -> re.Pattern[str] | None:
    """One pattern matching any of `names` as a whole word, case-sensitively.

    "Whole word" means no letter, digit or underscore right before or after (a name may itself
    start or end with punctuation, where ``\\b`` would not match). Longer names are tried
    first, so "Quiet Fox" wins over "Quiet".
    """
    usable = sorted((name for name in names if name.strip()), key=lambda name: (-len(name), name))
    if not usable:
        return None
    alternatives = "|".join(re.escape(name) for name in usable)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def title_without_names(
    title: str,
    *,
    names: Mapping[str, tuple[str, str]],
    limit: int,
    pattern: re.Pattern[str] | None = None,
) -> str:
    """`title` with each whole-word name replaced by its wording: the first of the pair at the
    start of the title, the second inside it. The result is at most `limit` characters (cut
    with an ellipsis when a wording is longer than the name it replaces)."""
    pattern = pattern if pattern is not None else names_pattern(names)
    if pattern is None:
        return title

    def wording(match: re.Match[str]) -> str:
        start, inside = names[match.group(0)]
        return start if match.start() == 0 else inside

    result = pattern.sub(wording, title)
    if len(result) > limit:
        result = result[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS
    return result
