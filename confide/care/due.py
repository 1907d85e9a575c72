"""Homework on the home page: what a counsellor set, as a calm list (never a score)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from confide.care.selectors import homework_due_for, homework_lines
from confide.core.due import DueItem


def due_today(user: Any, today: date) -> list[DueItem]:
    return [
        DueItem(
            kind="homework",
            title=_("Homework from your counsellor: %(what)s") % {"what": line.what},
            url=reverse("care:relationship", args=[line.homework.relationship_id]),
            order=40,
            detail=_("due %(day)s") % {"day": date_format(line.homework.due_on, "j F")},
        )
        for line in homework_lines(homework_due_for(person=user), topics_visible=True)
    ]
