"""`EncryptedTextField`: plain text in Python, AES-GCM ciphertext in the database.

Each value is sealed with its space's current data key and bound to its table, row, column,
space and key version, so a value copied into another row, column or space fails to decrypt.

Rules for models that use it:
- The primary key must be set before the row is inserted (it is sealed into the value):
  inherit `EncryptedModel`, whose UUID pk is set when the object is constructed.
- The model needs a ForeignKey to `privacy.Space`, named `space` unless `space=` says otherwise.
- Values are written only by `Model.save()` and `QuerySet.bulk_create()`. `QuerySet.update()`,
  `bulk_update()`, comparisons in `filter()` and fixtures are refused, because they would send
  plain text to the database. `filter(field__isnull=...)` works.
- `values()` / `values_list()` return unopened `SealedValue`s: load model instances instead.
- Renaming the table or the column makes existing values unreadable unless a data migration
  re-encrypts them, because both are sealed into every value.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import signals
from django.db.models.query_utils import DeferredAttribute

from confide.privacy import crypto, keys
from confide.privacy.crypto import DecryptionError
from confide.privacy.models import EncryptedModel, Space

__all__ = ["Ciphertext", "EncryptedModel", "EncryptedTextField", "SealedValue"]

_REFUSED = (
    "An EncryptedTextField is encrypted per row by Model.save() and bulk_create(); it cannot "
    "be compared in a query or written by QuerySet.update(), bulk_update() or fixtures, which "
    "would send plain text to the database."
)
_ALLOWED_LOOKUPS = frozenset({"exact", "isnull"})  # exact only for `=None`, see get_prep_value


class SealedValue:
    """A value as read from the database, decrypted on first access to the attribute.

    `row` and `space` record where the row was when it was loaded, so the value still opens
    after the object's pk or space is changed in memory (e.g. to copy or move it).
    """

    __slots__ = ("row", "space", "token")

    def __init__(self, token: str) -> None:
        self.token = token
        self.row: str | None = None
        self.space: str | None = None

    def __repr__(self) -> str:
        return "<SealedValue>"


class Ciphertext(str):
    """Text that `pre_save` sealed: the only kind of value this field sends to the database."""

    __slots__ = ()


class _DecryptingAttribute(DeferredAttribute):
    # A data descriptor (it has __set__), so every read passes through __get__ even once the
    # instance's __dict__ holds the value; a plain DeferredAttribute would be bypassed.
    field: EncryptedTextField

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __delete__(self, instance: Any) -> None:
        instance.__dict__.pop(self.field.attname, None)

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, SealedValue):
            value = self.field.open_sealed(instance, value)
            instance.__dict__[self.field.attname] = value  # decrypt once per object
        return value


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest with its space's key"
    descriptor_class = _DecryptingAttribute

    def __init__(self, *args: Any, space: str = "space", **kwargs: Any) -> None:
        self.space_field_name = space
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.space_field_name != "space":
            kwargs["space"] = self.space_field_name
        return name, path, args, kwargs

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            signals.post_init.connect(self._remember_origin, sender=cls)

    # --- where a value belongs ------------------------------------------------------------

    @cached_property
    def _space_attname(self) -> str:
        space_field = self.model._meta.get_field(self.space_field_name)
        if not isinstance(space_field, models.Field):  # a reverse relation, not a column
            raise FieldDoesNotExist(f"{self.space_field_name} is not a ForeignKey to Space.")
        return space_field.attname

    def _row_text(self, pk: object) -> str:
        # Normalised through the pk field, so "ABC..." and UUID("abc...") name the same row.
        return str(self.model._meta.pk.to_python(pk))

    def _context(self, *, row: str, space: str) -> crypto.SealContext:
        return crypto.SealContext(
            table=self.model._meta.db_table, row=row, field=self.column or self.attname, space=space
        )

    def _remember_origin(self, sender: Any, instance: Any, **kwargs: Any) -> None:
        value = instance.__dict__.get(self.attname)
        if not isinstance(value, SealedValue) or value.row is not None:
            return
        if instance.pk is not None:
            value.row = self._row_text(instance.pk)
        # Only if already loaded: reading a deferred space here would cost a query per row.
        space = instance.__dict__.get(self._space_attname)
        if space is not None:
            value.space = keys.normalise_space_id(space)

    # --- reading --------------------------------------------------------------------------

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else SealedValue(value)

    def open_sealed(self, instance: Any, sealed: SealedValue) -> str:
        row = sealed.row
        if row is None and instance.pk is not None:
            row = self._row_text(instance.pk)
        space = sealed.space
        if space is None:
            space_id = getattr(instance, self._space_attname)
            space = None if space_id is None else keys.normalise_space_id(space_id)
        if row is None or space is None:
            raise DecryptionError
        key = keys.data_key(space_id=space, version=crypto.token_key_version(sealed.token))
        return crypto.open_text(
            key=key, context=self._context(row=row, space=space), token=sealed.token
        )

    # --- writing --------------------------------------------------------------------------

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        if self.attname in model_instance.__dict__:
            raw = model_instance.__dict__[self.attname]
        else:  # deferred: load it, or the row would be saved with NULL here
            raw = getattr(model_instance, self.attname)
        if raw is None:
            return None
        if model_instance.pk is None:
            raise ValueError(
                f"{model_instance._meta.label} needs its primary key before it is saved, because "
                f"the key is sealed into {self.name}; inherit EncryptedModel."
            )
        space_id = getattr(model_instance, self._space_attname)
        if space_id is None:
            raise ValueError(
                f"{model_instance._meta.label} needs its {self.space_field_name} before it is "
                f"saved, because {self.name} is encrypted with that space's key."
            )
        row, space = self._row_text(model_instance.pk), keys.normalise_space_id(space_id)
        if isinstance(raw, SealedValue) and (raw.row, raw.space) == (row, space):
            # Unchanged and still in its place: keep the stored value, no key needed.
            return Ciphertext(raw.token)
        plaintext = self.to_python(getattr(model_instance, self.attname))
        version, key = keys.data_key_current(space_id=space)
        return Ciphertext(
            crypto.seal_text(
                key=key,
                key_version=version,
                context=self._context(row=row, space=space),
                plaintext=plaintext,
            )
        )

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return str(value)
        raise TypeError(_REFUSED)

    def value_to_string(self, obj: Any) -> str:
        raise TypeError(_REFUSED)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in _ALLOWED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        return None

    # --- system checks --------------------------------------------------------------------

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_space_field(), *self._check_pk()]

    def _check_space_field(self) -> list[checks.CheckMessage]:
        try:
            target = self.model._meta.get_field(self.space_field_name)
        except FieldDoesNotExist:
            target = None
        if target is None or not target.many_to_one or target.related_model is not Space:
            return [
                checks.Error(
                    f"EncryptedTextField needs a ForeignKey to privacy.Space named "
                    f"{self.space_field_name!r} on the same model.",
                    hint="Add the ForeignKey, or pass space='<field name>'.",
                    obj=self,
                    id="privacy.E001",
                )
            ]
        return []

    def _check_pk(self) -> list[checks.CheckMessage]:
        if self.model._meta.pk is not None and self.model._meta.pk.has_default():
            return []
        return [
            checks.Warning(
                "EncryptedTextField seals the primary key into each value, so the pk must be "
                "set before the row is inserted.",
                hint="Inherit confide.privacy.models.EncryptedModel (a UUID pk with a default).",
                obj=self,
                id="privacy.W001",
            )
        ]
