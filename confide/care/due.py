"""Homework on the home page: what a counsellor set, as a calm list (never a score)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from confide.care.selectors import homework_due_for, homework_lines
from confide.core.due import DueAsk, DueItem
from confide.pairs.due import person_pairs


def due_today(user: Any, today: date, *, ask: DueAsk | None = None) -> list[DueItem]:
    """One query (the pairs the person has not left are shared with the other providers)."""
    not_left = person_pairs(ask if ask is not None else DueAsk(user, today)).not_left
    return [
        DueItem(
            kind="homework",
            title=_("Homework from your counsellor: %(what)s") % {"what": line.what},
            url=reverse("care:relationship", args=[line.homework.relationship_id]),
            order=40,
            detail=_("due %(day)s") % {"day": date_format(line.homework.due_on, "j F")},
        )
        for line in homework_lines(
            homework_due_for(person=user, pair_ids=not_left), topics_visible=True
        )
    ]
