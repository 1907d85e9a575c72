"""What the screener returns: findings with spans and reasons (plain types, no logic beyond them).

Both halves of the screener build these: the rules (``rulescreen.py``), which name a subtype
("contempt", "someone-else"), and the learned heads (``classifier.py``), which only know the
label and use the label-level subtype :data:`MODEL_SUBTYPE` when no rule explains their finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from confide.safety.rules import LABELS

__all__ = [
    "LABELS",
    "MAX_FINDINGS",
    "MAX_SCREEN_CHARS",
    "MODEL_SUBTYPE",
    "REASONS",
    "Finding",
    "Screening",
    "reason_for",
]

MAX_SCREEN_CHARS: Final = 20_000
MAX_FINDINGS: Final = 50
# The subtype of a finding raised by a learned head alone: the head knows the label, not which
# kind of crisis or harsh word it is, and the reason says only what it can stand behind.
MODEL_SUBTYPE: Final = "signs"

REASONS: Final[dict[tuple[str, str], StrOrPromise]] = {
    ("crisis", "suicide"): _("Mentions wanting to die or to end a life."),
    ("crisis", "self-harm"): _("Mentions hurting oneself."),
    ("crisis", "harm-others"): _("Mentions wanting to hurt someone."),
    ("crisis", "someone-else"): _(
        "Mentions that someone else may be thinking of suicide or of hurting themselves."
    ),
    ("crisis", MODEL_SUBTYPE): _("Reads as if someone may be at risk."),
    ("fear", "fear"): _("Mentions being afraid of a partner or of being at home."),
    ("fear", "violence"): _("Mentions physical violence."),
    ("fear", "control"): _("Mentions being watched, restricted or controlled."),
    ("fear", "threat"): _("Mentions being threatened."),
    ("fear", "coercion"): _("Mentions being pressured or forced."),
    ("fear", "verbal-abuse"): _("Mentions being called names or put down."),
    ("fear", MODEL_SUBTYPE): _(
        "Reads as if someone may be afraid of, hurt or controlled by someone close to them."
    ),
    ("harsh", "criticism"): _("May land as criticism of the person, not of what happened."),
    ("harsh", "contempt"): _("May land as contempt: an insult or mockery."),
    ("harsh", "defensiveness"): _("May land as defensiveness: turning the complaint around."),
    ("harsh", "stonewalling"): _("May land as stonewalling: shutting the conversation down."),
    ("harsh", MODEL_SUBTYPE): _("May land as harsh: blame, scorn or shutting the other out."),
    ("slur", "slur"): _("Contains a slur."),
    ("slur", "group-attack"): _("Attacks people for belonging to a group."),
    ("slur", MODEL_SUBTYPE): _("Reads as an attack on people for belonging to a group."),
}


def reason_for(label: str, subtype: str) -> StrOrPromise:
    """The plain-language reason shown for a finding of this label and subtype."""
    return REASONS[(label, subtype)]


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged passage: ``text[span[0]:span[1]] == matched``."""

    label: str
    subtype: str
    span: tuple[int, int]
    matched: str
    reason: StrOrPromise = field(compare=False)


@dataclass(frozen=True, slots=True)
class Screening:
    """What the screener found in one text, in order of position."""

    findings: tuple[Finding, ...] = ()
    truncated: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels found, in the fixed order crisis, fear, harsh, slur."""
        found = {finding.label for finding in self.findings}
        return tuple(label for label in LABELS if label in found)

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    def has(self, label: str) -> bool:
        return any(finding.label == label for finding in self.findings)

    def for_label(self, label: str) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.label == label)

    def subtypes(self, label: str) -> tuple[str, ...]:
        """Distinct subtypes of one label, in order of first appearance."""
        return tuple(dict.fromkeys(finding.subtype for finding in self.for_label(label)))


def ordered(findings: list[Finding], truncated: bool) -> Screening:
    """Findings sorted by position (then label order), at most :data:`MAX_FINDINGS`."""
    findings.sort(key=lambda finding: (finding.span, LABELS.index(finding.label)))
    return Screening(findings=tuple(findings[:MAX_FINDINGS]), truncated=truncated)
