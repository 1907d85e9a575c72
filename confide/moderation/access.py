"""Fetch and authorise in one step. Anything the viewer may not see is a 404."""

from __future__ import annotations

import uuid

from django.http import Http404

from confide.circles.models import Membership
from confide.moderation.models import HiddenPost, Report, WarningPreset


def access_report(facilitator: Membership, report_id: uuid.UUID | str) -> Report:
    """A report about a post of the facilitator's circle; 404 for members and foreign ids."""
    if not facilitator.is_facilitator:
        raise Http404
    report = Report.objects.filter(pk=report_id, circle_id=facilitator.circle_id).first()
    if report is None:
        raise Http404
    return report


def access_hidden(facilitator: Membership, hidden_id: int) -> HiddenPost:
    if not facilitator.is_facilitator:
        raise Http404
    hidden = HiddenPost.objects.filter(pk=hidden_id, circle_id=facilitator.circle_id).first()
    if hidden is None:
        raise Http404
    return hidden


def access_preset(facilitator: Membership, preset_id: int) -> WarningPreset:
    if not facilitator.is_facilitator:
        raise Http404
    preset = WarningPreset.objects.filter(pk=preset_id, circle_id=facilitator.circle_id).first()
    if preset is None:
        raise Http404
    return preset
