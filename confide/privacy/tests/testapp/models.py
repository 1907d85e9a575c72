from __future__ import annotations

from django.db import models

from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space


class Note(EncryptedModel):
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    summary = EncryptedTextField(null=True, blank=True)

    def __str__(self) -> str:
        return f"note {self.pk}"


class Letter(EncryptedModel):
    """A second table with a differently named space field, for copy-between-tables tests."""

    home = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(space="home")

    def __str__(self) -> str:
        return f"letter {self.pk}"
