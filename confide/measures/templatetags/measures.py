"""`{% due_measures as due %}`: the signed-in person's due measures, for the home page."""

from __future__ import annotations

from typing import Any

from django import template

from confide.accounts.models import User
from confide.measures.selectors import Due, due_measures
from confide.pairs.services.common import today_for

register = template.Library()


@register.simple_tag(takes_context=True, name="due_measures")
def due_measures_tag(context: dict[str, Any]) -> list[Due]:
    user = context.get("user")
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return due_measures(person=user, today=today_for(user))
