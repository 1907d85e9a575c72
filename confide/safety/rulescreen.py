"""The rules half of the screener: project-written patterns with guards (see ``rules.py``).

Each rule names a label and a subtype; *guards* drop a match in context: a denial ("I would never
hurt myself"), a figure of speech or a joke ("this week killed me", "lol"), a past experience
that is over ("years ago ... I'm in a good place now"), a story or film, someone else's question,
someone else's words (for harsh words and slurs), warmth ("you always make me laugh") and a
time-out with a return ("can we pause and talk after dinner?").

The rules now do two jobs beside the learned heads (``screen.py``): they *explain* a finding
(subtype, reason, the words for the coach), and the most precise of them are a *safety net* that
raises a label on their own. :func:`screen_rules` is the rules alone: what the screener falls
back to when the model cannot load, and the "old rules alone" figures in ``docs/safety.md``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from confide.safety.findings import (
    MAX_FINDINGS,
    MAX_SCREEN_CHARS,
    Finding,
    Screening,
    ordered,
    reason_for,
)
from confide.safety.rules import Context, Rule, ruleset

__all__ = ["RuleHit", "rule_hits", "screen_rules"]

# A denial counts only when it is close to the words it denies ("never ... hurt myself").
NEGATION_REACH: Final = 40
_WINDOW: Final = 120

# Same-length replacements, so that spans found in the cleaned text fit the original.
_STRAIGHT: Final = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
}
_CURLY: Final = re.compile("[" + "".join(_STRAIGHT) + "]")
_SENTENCE_END: Final = re.compile(r"[.!?\n]+")
_CLAUSE_BREAK: Final = re.compile(
    r"[,;:()\"]|\s[-\u2013\u2014]\s|\b(?:but|and|so|because|though|although|then)\b", re.I
)
_PRONOUN: Final = re.compile(r"\b(?:i|he|she|they|you|we)\b", re.I)


class _Text:
    """The cleaned text with its sentence boundaries, worked out once and only if needed."""

    __slots__ = ("_ends", "_starts", "value")

    def __init__(self, value: str) -> None:
        self.value = value
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts, self._ends = [], []
            for match in _SENTENCE_END.finditer(self.value):
                self._starts.append(match.start())
                self._ends.append(match.end())
        index = bisect_right(self._ends, start) - 1
        # A boundary that ends inside the match ("?!" at its end) does not split it.
        first = self._ends[index] if index >= 0 and self._ends[index] <= start else 0
        after = bisect_right(self._starts, end - 1)
        last = self._starts[after] if after < len(self._starts) else len(self.value)
        return first, last


def _negated(context: Context, text: str, start: int, end: int, sentence_start: int) -> bool:
    window_start = max(sentence_start, start - _WINDOW)
    window = text[window_start:start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    cues = list(context["negation.cues"].finditer(window))
    if cues:
        cue = cues[-1]
        close = len(window) - cue.end() <= NEGATION_REACH
        # "I can't promise I won't" and "if I can't fix this I don't want to live" deny nothing.
        new_subject = _PRONOUN.search(window, cue.end())
        if close and not new_subject and not context["negation.exceptions"].search(window):
            return True
    return context["negation.after"].match(text, end) is not None


def _about_someone_else(context: Context, text: str, start: int, end: int, first: int) -> bool:
    matched = text[start:end]
    if context["subject.other"].search(matched):
        return True
    if context["subject.self"].search(matched):
        return False
    last_other = max(
        (m.end() for m in context["subject.other"].finditer(text, first, start)), default=-1
    )
    last_self = max(
        (m.end() for m in context["subject.self"].finditer(text, first, start)), default=-1
    )
    return last_other > last_self


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a match sits: the cleaned text, the match and its sentence."""

    value: str
    start: int
    end: int
    first: int
    last: int


def _past_and_over(context: Context, at: _Place) -> bool:
    return bool(
        context["past.patterns"].search(at.value, at.first, at.last)
        and context["resolved.patterns"].search(at.value)
    )


def _reported(context: Context, at: _Place) -> bool:
    inside_quotes = at.value.count('"', 0, at.start) % 2 == 1
    return inside_quotes or bool(context["reported.patterns"].search(at.value, at.first, at.start))


# Each guard says "this match is not meant the way the words look"; rules choose theirs by name.
_GUARDS: Final[dict[str, Callable[[Context, _Place], bool]]] = {
    "negation": lambda c, at: _negated(c, at.value, at.start, at.end, at.first),
    "idiom": lambda c, at: bool(
        c["idiom.patterns"].search(at.value, at.first, min(len(at.value), at.last + 8))
    ),
    "past": _past_and_over,
    "fiction": lambda c, at: bool(c["fiction.patterns"].search(at.value, at.first, at.last)),
    "asked": lambda c, at: bool(c["asked.patterns"].search(at.value, at.first, at.start)),
    "reported": _reported,
    "positive": lambda c, at: bool(c["positive.patterns"].search(at.value, at.first, at.last)),
    "pause": lambda c, at: bool(c["pause.patterns"].search(at.value)),
}


def _guarded(rule: Rule, context: Context, text: _Text, start: int, end: int) -> bool:
    first, last = text.sentence(start, end)
    at = _Place(value=text.value, start=start, end=end, first=first, last=last)
    return any(check(context, at) for name, check in _GUARDS.items() if name in rule.guards)


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A finding and the id of the rule that made it (``"crisis:want-to-die"``)."""

    finding: Finding
    rule: str


def rule_hits(text: str, *, locale: str = "en") -> list[RuleHit]:
    """Every rule finding in ``text`` (already cut to the cap), in the order they were found."""
    rules = ruleset(locale)
    cleaned = _Text(_CURLY.sub(lambda match: _STRAIGHT[match.group()], text))
    hits: list[RuleHit] = []
    taken: list[tuple[str, int, int]] = []
    lowered = cleaned.value.lower()
    if len(lowered) != len(cleaned.value):
        lowered = ""  # a few characters grow when lowercased; then run every pattern
    for rule in rules.rules:
        for matcher in rule.matchers:
            needles = matcher.needles
            if lowered and needles and not any(needle in lowered for needle in needles):
                continue
            for match in matcher.regex.finditer(cleaned.value):
                _consider(rule, match, rules.context, cleaned, text, hits, taken)
                if len(hits) >= MAX_FINDINGS:
                    return hits
    return hits


def screen_rules(text: str, *, locale: str = "en") -> Screening:
    """The rules alone. Never raises for any string; spans index into ``text`` itself."""
    original = text[:MAX_SCREEN_CHARS]
    found = [hit.finding for hit in rule_hits(original, locale=locale)]
    return ordered(found, len(text) > MAX_SCREEN_CHARS)


def _consider(
    rule: Rule,
    match: re.Match[str],
    context: Context,
    cleaned: _Text,
    original: str,
    hits: list[RuleHit],
    taken: list[tuple[str, int, int]],
) -> None:
    """Add a finding for this match unless it is empty, overlapping or guarded."""
    start, end = match.span()
    if start == end:
        return
    if rule.unless_after is not None and rule.unless_after.match(cleaned.value, end):
        return
    if any(label == rule.label and s < end and start < e for label, s, e in taken):
        return
    if _guarded(rule, context, cleaned, start, end):
        return
    subtype = rule.subtype
    if subtype in {"suicide", "self-harm"} and _about_someone_else(
        context, cleaned.value, start, end, cleaned.sentence(start, end)[0]
    ):
        subtype = "someone-else"
    finding = Finding(
        label=rule.label,
        subtype=subtype,
        span=(start, end),
        matched=original[start:end],
        reason=reason_for(rule.label, subtype),
    )
    hits.append(RuleHit(finding=finding, rule=f"{rule.label}:{rule.id}"))
    taken.append((rule.label, start, end))
