"""The private coach for harsh words: which words may land hard, and a gentler start built from
the writer's own words ("I feel ... about ...; I need ..."). Pure: no database.

The rewrite is an offer, not a correction. It keeps what the writer is talking about, softens
"you always / you never" into "when ...", drops insults and shut-downs, and frames the rest with
a feeling and a need: the ones the writer chose (in a check-in) or gaps to fill in.

A finding of the learned head alone (subtype ``signs``) points at a whole sentence and does not
say which of the four it is: that sentence is left out when the writer said something else to
build on, and softened and kept when it is all they wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from confide.safety.findings import MODEL_SUBTYPE, Finding, Screening

# What each of the four horsemen is, and its antidote, in our words.
EXPLANATIONS: Final[dict[str, StrOrPromise]] = {
    "criticism": gettext_lazy(
        "may land as criticism of who they are. Try naming the situation and how it felt."
    ),
    "contempt": gettext_lazy(
        "may land as contempt. Try saying what you need instead, and what you appreciate."
    ),
    "defensiveness": gettext_lazy(
        "may land as defensiveness. Try owning even a small part of what happened."
    ),
    "stonewalling": gettext_lazy(
        "may land as shutting them out. Try asking for a pause and saying when you'll return."
    ),
    MODEL_SUBTYPE: gettext_lazy(
        "may land hard. Try naming what happened and how it felt, and what you need."
    ),
}
GAP: Final = "…"
_ALWAYS: Final = re.compile(r"\byou(?:'re| are)?\s+always\s+", re.I)
_NEVER: Final = re.compile(r"\byou\s+never\s+", re.I)
_SENTENCES: Final = re.compile(r"[^.!?\n]+[.!?]*")
_CLAUSES: Final = re.compile(r"[^,;]+[,;]*")
_SPACES: Final = re.compile(r"\s+")
_LEFT_OUT: Final = frozenset({"contempt", "stonewalling", "defensiveness"})


@dataclass(frozen=True)
class CoachNote:
    words: str
    subtype: str
    explanation: StrOrPromise


@dataclass(frozen=True)
class Coaching:
    notes: tuple[CoachNote, ...]
    rewrite: str


def _harsh(screening: Screening) -> list[Finding]:
    return [f for f in screening.findings if f.label == "harsh"]


def _soften(sentence: str) -> str:
    sentence = _NEVER.sub("when you don't ", sentence)
    return _ALWAYS.sub("when you ", sentence)


def _pieces(text: str, findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """Sentences with the findings in them. A sentence with an insult or a shut-down is split
    into its clauses, so "You never listen, you're pathetic" keeps "you never listen"."""
    pieces: list[tuple[str, list[Finding]]] = []
    for match in _SENTENCES.finditer(text):
        start, end = match.span()
        hits = [f for f in findings if f.span[0] < end and f.span[1] > start]
        if not any(f.subtype in _LEFT_OUT for f in hits):
            pieces.append((match.group(), hits))
            continue
        for clause in _CLAUSES.finditer(match.group()):
            c_start, c_end = start + clause.start(), start + clause.end()
            c_hits = [f for f in hits if f.span[0] < c_end and f.span[1] > c_start]
            pieces.append((clause.group(), c_hits))
    return pieces


def _about(text: str, findings: Sequence[Finding]) -> str:
    """The writer's topic: their sentences, without insults and shut-downs, softened."""
    kept: list[str] = []
    held: list[str] = []
    for piece, hits in _pieces(text, findings):
        if any(f.subtype in _LEFT_OUT for f in hits):
            continue
        sentence = _soften(piece.strip().rstrip(".!?,;"))
        if not sentence:
            continue
        sentence = sentence[0].lower() + sentence[1:]
        (held if any(f.subtype == MODEL_SUBTYPE for f in hits) else kept).append(sentence)
    about = _SPACES.sub(" ", "; ".join(kept or held)).strip()
    return about or GAP


def _join(words: Sequence[str]) -> str:
    words = [w for w in words if w]
    if not words:
        return GAP
    if len(words) == 1:
        return words[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def coach(
    text: str, screening: Screening, *, feelings: Sequence[str] = (), needs: Sequence[str] = ()
) -> Coaching | None:
    """Coaching for a text with harsh findings, or None when there are none."""
    findings = _harsh(screening)
    if not findings:
        return None
    notes = tuple(
        CoachNote(words=f.matched, subtype=f.subtype, explanation=EXPLANATIONS.get(f.subtype, ""))
        for f in findings
    )
    about = _about(text, findings)
    rewrite = _("I feel %(feeling)s about %(about)s; I need %(need)s.") % {
        "feeling": _join(feelings),
        "about": about,
        "need": _join(needs),
    }
    return Coaching(notes=notes, rewrite=rewrite)
