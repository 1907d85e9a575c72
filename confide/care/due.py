"""Homework on the home page: what a counsellor set, as a calm list (never a score)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from confide.care.selectors import homework_due_for
from confide.core.due import DueItem


def due_today(user: Any, today: date) -> list[DueItem]:
    return [
        DueItem(
            kind="homework",
            title=_("Homework from your counsellor: %(what)s")
            % {"what": homework.get_kind_display()},
            url=reverse("care:relationship", args=[homework.relationship_id]),
            order=40,
            detail=_("due %(day)s") % {"day": date_format(homework.due_on, "j F")},
        )
        for homework in homework_due_for(person=user)
    ]
