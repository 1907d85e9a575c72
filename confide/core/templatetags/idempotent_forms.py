"""`{% csrf_token %}`, with a one-time idempotency key beside the CSRF input.

Installed as a template builtin (settings.TEMPLATES OPTIONS builtins), so it replaces Django's
own tag in every template: every form a signed-in person posts carries a fresh key without
being edited (see confide/core/idempotency.py).
"""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from confide.core.idempotency import FIELD, idempotency_key_new

register = template.Library()


class CsrfAndIdempotencyNode(template.Node):
    def render(self, context: Context) -> str:
        csrf = CsrfTokenNode().render(context)
        request = context.get("request")
        user = getattr(request, "user", None)
        if not csrf or not getattr(user, "is_authenticated", False):
            # No token here (an email), or nobody signed in: anonymous posts are not
            # deduplicated, and the log-in page must read the same for every answer.
            return csrf
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">', csrf, FIELD, idempotency_key_new()
        )


@register.tag
def csrf_token(parser: Parser, token: Token) -> CsrfAndIdempotencyNode:
    return CsrfAndIdempotencyNode()
