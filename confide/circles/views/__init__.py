"""Thin views: access -> form -> one service -> render or redirect."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from confide.circles.models import Membership
from confide.circles.services import CircleError

GET_POST = ["GET", "POST"]


def fail(form: forms.Form, error: CircleError) -> None:
    form.add_error(None, error)


def first_error(form: forms.Form) -> str:
    return str(next(iter(form.errors.values()))[0])


def render_circle(
    request: HttpRequest, template: str, membership: Membership, **context: Any
) -> HttpResponse:
    """A circle page: 400 when a form on it carries errors, so bad input is never a 200."""
    bad = any(isinstance(v, forms.Form) and v.is_bound and v.errors for v in context.values())
    return render(
        request,
        template,
        {"membership": membership, "circle": membership.circle, **context},
        status=400 if bad else 200,
    )
