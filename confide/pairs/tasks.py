from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from confide.accounts.tokens import hash_token
from confide.pairs.models import PairInvitation


@task()
def send_pair_invitation(invitation_id: int) -> None:
    """Email an invitation link to an address without an account. Sent at most once: the
    emailed token is issued here, and only if none was issued before."""
    raw = secrets.token_urlsafe(32)
    claimed = PairInvitation.objects.filter(
        pk=invitation_id, status=PairInvitation.Status.PENDING, email_token_hash__isnull=True
    ).update(email_token_hash=hash_token(raw))
    if claimed != 1:
        return
    invitation = PairInvitation.objects.select_related("inviter").get(pk=invitation_id)
    context = {
        "inviter": invitation.inviter.display_name,
        "link": f"{settings.CONFIDE_BASE_URL}{reverse('pairs:join', args=[raw])}",
        "expires": invitation.expires_at,
    }
    subject = render_to_string("pairs/email/invitation_subject.txt", context).strip()
    body = render_to_string("pairs/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
