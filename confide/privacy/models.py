from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EncryptedModel(models.Model):
    """Base for models with encrypted fields (see `fields.EncryptedTextField`).

    The UUID pk is set when the object is constructed, so each value can be bound to its row
    before the INSERT that would otherwise assign the id.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class SpaceKind(models.TextChoices):
    PERSON = "person", _("a person's private entries")
    PAIR = "pair", _("a pair")
    CIRCLE = "circle", _("a circle")
    COUNSELLOR = "counsellor", _("a counsellor's notes")


class Space(models.Model):
    """A container of private text with its own data key, e.g. a pair or a person's entries.

    Destroying a space's keys (see `keys.space_destroy_keys`) makes everything written in it
    unreadable; the row stays, marked with `destroyed_at`, so the error can say why.
    """

    Kind = SpaceKind

    # A UUID, so ids reveal nothing about how many spaces exist and are never reused.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=SpaceKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SpaceKind.values),
                name="privacy_space_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} space {self.pk}"


class DataKey(models.Model):
    """One version of a space's data key, stored wrapped under a master key (never in clear)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="data_keys")
    version = models.PositiveIntegerField()
    wrapped_key = models.TextField()
    # The fingerprint of the master key that wraps this key (see crypto.master_key_id).
    master_key_id = models.CharField(max_length=64, db_index=True)
    # Wrapped under the master key combined with the space's secret in the key store
    # (person spaces; see spacekeys.py), rather than under the master key alone.
    space_secret = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["space", "version"], name="one_data_key_per_version"),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="privacy_data_key_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"data key v{self.version} of space {self.space_id}"


class PersonSpace(models.Model):
    """The space of a person's private entries: only they can ever read what is in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_space_link"
    )
    space = models.OneToOneField(Space, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"private space of person {self.user_id}"


class AccessRole(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitator")
    COUNSELLOR = "counsellor", _("counsellor")
    OPERATOR = "operator", _("operator")


class AccessRecordError(Exception):
    pass


class AccessRecord(models.Model):
    """One opening of a person's data by someone in a role (see `accesslog`). Append-only."""

    Role = AccessRole

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accessed_by"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accesses_made"
    )
    role = models.CharField(max_length=20, choices=AccessRole.choices)
    kind = models.CharField(max_length=64)
    object_ref = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["subject", "-at"], name="privacy_access_subject_at")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(role__in=AccessRole.values), name="privacy_access_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.actor_id} opened {self.kind} of {self.subject_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AccessRecordError("the access log is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AccessRecordError("the access log is append-only")


class ExportState(models.TextChoices):
    PREPARING = "preparing", _("being prepared")
    READY = "ready", _("ready to download")
    DOWNLOADED = "downloaded", _("downloaded")
    EXPIRED = "expired", _("expired")
    FAILED = "failed", _("failed")


class Export(models.Model):
    """One export of a person's data, built by the task worker into a zip in the data folder.

    The download link is shown only to its person and works once, until `expires_at`; only a
    hash of its token is stored here. The file is deleted once downloaded or expired.
    """

    State = ExportState

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        max_length=12, choices=ExportState.choices, default=ExportState.PREPARING
    )
    token_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state=ExportState.PREPARING),
                name="privacy_one_export_preparing",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ExportState.values),
                name="privacy_export_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of person {self.user_id}"
