"""Services for spaces, their data keys, destroying keys and rotating the master key.

What this process keeps in memory (the keyring, unwrapped data keys) is in `keycache.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from confide.core.audit import audit_log
from confide.privacy import crypto, keycache, spacekeys
from confide.privacy.crypto import CryptoError, DecryptionError, KeyDestroyedError, Keyring
from confide.privacy.models import DataKey, PersonSpace, Space, SpaceKind

_REWRAP_BATCH = 500

Progress = Callable[[int, int], None]


class RotationError(CryptoError):
    """A rotation cannot start or continue; nothing already re-wrapped is lost."""


def normalise_space_id(space_id: object) -> str:
    """The canonical text of a space id, as sealed into values; DecryptionError if malformed."""
    try:
        return str(uuid.UUID(str(space_id)))
    except ValueError:
        raise DecryptionError from None


def _wrapping_key(*, master_key: bytes, space_id: str, space_secret: bool) -> bytes:
    """The master key itself, or for a person's space the key derived from the master key and
    the space's secret in the key store; KeyDestroyedError when that secret is gone."""
    if not space_secret:
        return master_key
    secret = spacekeys.space_secret(space_id)
    if secret is None:
        raise KeyDestroyedError
    return crypto.space_wrapping_key(master_key=master_key, space_secret=secret)


def _unwrap(row: DataKey) -> bytes:
    space_id = str(row.space_id)
    return crypto.unwrap_data_key(
        master_key=_wrapping_key(
            master_key=keycache.master_key(row.master_key_id),
            space_id=space_id,
            space_secret=row.space_secret,
        ),
        wrapped=row.wrapped_key,
        space_id=space_id,
        version=row.version,
    )


def _new_data_key(*, space: Space, version: int) -> tuple[DataKey, bytes]:
    keyring = keycache.current_keyring()
    key = crypto.new_key()
    sid = str(space.pk)
    # Only a person's own space is erased with its person; pairs and circles outlive anyone.
    with_secret = space.kind == SpaceKind.PERSON
    if with_secret:
        spacekeys.space_secret_create(sid)
    row = DataKey.objects.create(
        space=space,
        version=version,
        wrapped_key=crypto.wrap_data_key(
            master_key=_wrapping_key(
                master_key=keyring.current_key, space_id=sid, space_secret=with_secret
            ),
            data_key=key,
            space_id=sid,
            version=version,
        ),
        master_key_id=keyring.current_id,
        space_secret=with_secret,
    )
    return row, key


# --- spaces -------------------------------------------------------------------------------


@transaction.atomic
def space_create(*, kind: str) -> Space:
    """A new space with its first data key (version 1)."""
    if kind not in SpaceKind.values:
        raise ValueError(f"Unknown kind of space {kind!r}; expected one of {SpaceKind.values}.")
    space = Space.objects.create(kind=kind)
    _row, key = _new_data_key(space=space, version=1)
    keycache.data_keys.remember(str(space.pk), 1, key, current=True)
    return space


def data_key(*, space_id: object, version: int) -> bytes:
    """The data key of one version of a space, for decrypting.

    Raises KeyDestroyedError if the space's keys were destroyed, DecryptionError if the space
    has no such key version.
    """
    sid = normalise_space_id(space_id)
    key = keycache.data_keys.key(sid, version)
    if key is not None:
        return key
    row = DataKey.objects.filter(space_id=sid, version=version).first()
    if row is None:
        destroyed = Space.objects.filter(pk=sid, destroyed_at__isnull=False).exists()
        raise KeyDestroyedError if destroyed else DecryptionError
    key = _unwrap(row)
    keycache.data_keys.remember(sid, version, key, current=False)
    return key


def data_key_current(*, space_id: object) -> tuple[int, bytes]:
    """The (version, key) to encrypt new values with; creates version 1 if the space has none.

    Raises KeyDestroyedError for a destroyed space and Space.DoesNotExist for an unknown one.
    """
    sid = normalise_space_id(space_id)
    version = keycache.data_keys.current_version(sid)
    if version is not None:
        key = keycache.data_keys.key(sid, version)
        if key is not None:
            return version, key
    row = DataKey.objects.filter(space_id=sid).order_by("-version").first()
    if row is not None:
        key = _unwrap(row)
    else:
        with transaction.atomic():
            # The lock orders this against space_destroy_keys and against another process
            # creating the first key at the same moment.
            space = Space.objects.select_for_update().get(pk=sid)
            if space.destroyed_at is not None:
                raise KeyDestroyedError
            row = DataKey.objects.filter(space=space).order_by("-version").first()
            if row is not None:
                key = _unwrap(row)
            else:
                row, key = _new_data_key(space=space, version=1)
    keycache.data_keys.remember(sid, row.version, key, current=True)
    return row.version, key


@transaction.atomic
def space_destroy_keys(*, space: Space) -> Space:
    """Delete every data key of `space`, so nothing written in it can be read again.

    Other processes may keep an unwrapped key in memory for up to CACHE_SECONDS. For a
    person's space the secret in the key store is deleted too, once the transaction commits,
    so copies of the database taken earlier cannot be read either (see `spacekeys`). Copies
    of other spaces' keys stay readable until the master key that wraps them is rotated away.
    """
    space = Space.objects.select_for_update().get(pk=space.pk)
    deleted, _ = DataKey.objects.filter(space=space).delete()
    if space.destroyed_at is None:
        space.destroyed_at = timezone.now()
        space.save(update_fields=["destroyed_at"])
    sid = str(space.pk)
    keycache.data_keys.forget_space(sid)
    # Again after commit: a concurrent reader in this process may have re-cached the key.
    transaction.on_commit(lambda: keycache.data_keys.forget_space(sid))
    # Only after commit: a rollback must leave the space readable, as its rows still are.
    transaction.on_commit(lambda: spacekeys.space_secrets_forget({sid}))
    audit_log(action="privacy.space.keys_destroyed", target=space, data={"keys": deleted})
    return space


# --- rotation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyStatus:
    source: str
    current_id: str
    keyring_ids: tuple[str, ...]
    data_keys_by_master: dict[str, int]

    @property
    def pending(self) -> int:
        return sum(n for key_id, n in self.data_keys_by_master.items() if key_id != self.current_id)

    @property
    def unknown_ids(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.data_keys_by_master) - set(self.keyring_ids)))

    @property
    def unfinished(self) -> bool:
        """True while a rotation has begun and not ended: old keys or keys left to re-wrap."""
        return self.pending > 0 or len(self.keyring_ids) > 1


@dataclass(frozen=True)
class RotationResult:
    master_key_id: str
    created_key: bool
    rewrapped: int
    dropped_key_ids: tuple[str, ...]
    # Env keyring: old keys the operator may now remove from CONFIDE_MASTER_KEY_OLD.
    removable_env_ids: tuple[str, ...]

    @property
    def nothing_to_do(self) -> bool:
        return not (self.created_key or self.rewrapped or self.dropped_key_ids)


def _status(keyring: Keyring) -> KeyStatus:
    counts = (
        DataKey.objects.values_list("master_key_id")
        .annotate(n=Count("id"))
        .order_by("master_key_id")
    )
    return KeyStatus(
        source=keyring.source,
        current_id=keyring.current_id,
        keyring_ids=tuple(sorted(keyring.keys)),
        data_keys_by_master=dict(counts),
    )


def keys_status() -> KeyStatus:
    return _status(keycache.current_keyring())


def _rewrap_one(*, pk: int, keyring: Keyring) -> bool:
    with transaction.atomic():
        row = DataKey.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.master_key_id == keyring.current_id:
            return False  # destroyed meanwhile, or re-wrapped by a concurrent run
        space_id, version = str(row.space_id), row.version
        try:
            key = crypto.unwrap_data_key(
                master_key=_wrapping_key(
                    master_key=keyring.key(row.master_key_id),
                    space_id=space_id,
                    space_secret=row.space_secret,
                ),
                wrapped=row.wrapped_key,
                space_id=space_id,
                version=version,
            )
        except DecryptionError:
            raise RotationError(
                f"Data key {pk} (space {space_id}, version {version}) cannot be unwrapped "
                f"with master key {row.master_key_id}; it was left as it is."
            ) from None
        current = _wrapping_key(
            master_key=keyring.current_key, space_id=space_id, space_secret=row.space_secret
        )
        wrapped = crypto.wrap_data_key(
            master_key=current, data_key=key, space_id=space_id, version=version
        )
        # Check the new wrapping before it replaces the old one, which is then gone for good.
        check = crypto.unwrap_data_key(
            master_key=current, wrapped=wrapped, space_id=space_id, version=version
        )
        if check != key:
            raise RotationError(f"Re-wrapping data key {pk} did not round-trip; nothing changed.")
        row.wrapped_key = wrapped
        row.master_key_id = keyring.current_id
        row.save(update_fields=["wrapped_key", "master_key_id"])
    return True


def _rewrap_all(*, keyring: Keyring, progress: Progress | None) -> int:
    """Re-wrap every data key not under the current master key, one transaction each."""
    pending = DataKey.objects.exclude(master_key_id=keyring.current_id)
    total = pending.count()
    done = 0
    last_pk = 0
    while batch := list(
        pending.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:_REWRAP_BATCH]
    ):
        for pk in batch:
            last_pk = pk
            if _rewrap_one(pk=pk, keyring=keyring):
                done += 1
                if progress is not None:
                    progress(done, max(total, done))
    return done


def keys_rotate(*, progress: Progress | None = None) -> RotationResult:
    """Re-wrap every data key under a new master key. Safe to interrupt and run again.

    Key file: step 1 adds a fresh key as current, step 2 re-wraps each data key (each in its
    own transaction), step 3 drops the old keys from the file. A run that finds a rotation
    unfinished (old keys in the keyring, or data keys under another master key) resumes it
    instead of adding yet another key.

    Environment: the operator has set CONFIDE_MASTER_KEY to the new key and the old one in
    CONFIDE_MASTER_KEY_OLD; only step 2 runs, and the result says which old keys may go.

    `progress(done, total)` is called after each re-wrapped key has been committed.
    """
    keyring = keycache.current_keyring()
    if keyring.source == "env":
        return _rotate(keyring=keyring, path=None, progress=progress)
    path = keycache.key_file()
    with crypto.keyring_file_lock(path):
        # Read the file itself under the lock, not a cached copy.
        keyring = crypto.keyring_file_load_or_create(path)
        return _rotate(keyring=keyring, path=path, progress=progress)


def _rotate(*, keyring: Keyring, path: Path | None, progress: Progress | None) -> RotationResult:
    status = _status(keyring)
    if status.unknown_ids:
        raise RotationError(
            f"Some data keys are wrapped under master key(s) {', '.join(status.unknown_ids)}, "
            "which this server does not have. Restore the key file, or put the key(s) in "
            "CONFIDE_MASTER_KEY_OLD, then run this again. Nothing was changed."
        )
    created = False
    if path is not None and not status.unfinished:
        keyring = keyring.with_new_current()
        crypto.keyring_file_write(path, keyring)
        created = True
        audit_log(
            action="privacy.keys.rotation_started",
            data={"master_key_id": keyring.current_id, "old_key_ids": list(keyring.old_ids)},
        )
    rewrapped = _rewrap_all(keyring=keyring, progress=progress)
    dropped: tuple[str, ...] = ()
    if path is not None and keyring.old_ids:
        dropped = keyring.old_ids
        crypto.keyring_file_write(path, keyring.without_old_keys())
        # A server that read the key file before step 1 may have wrapped a new data key under
        # an old master key since; this process still holds the old keys, so fix those now.
        rewrapped += _rewrap_all(keyring=keyring, progress=None)
    keycache.forget_cached_keys()
    _forget_secrets_of_destroyed_spaces()
    result = RotationResult(
        master_key_id=keyring.current_id,
        created_key=created,
        rewrapped=rewrapped,
        dropped_key_ids=dropped,
        removable_env_ids=keyring.old_ids if path is None else (),
    )
    if not result.nothing_to_do:
        audit_log(
            action="privacy.keys.rotated",
            data={
                "master_key_id": result.master_key_id,
                "rewrapped": result.rewrapped,
                "dropped_key_ids": list(result.dropped_key_ids),
            },
        )
    return result


def _forget_secrets_of_destroyed_spaces() -> None:
    """A process that stopped between an erasure's commit and deleting the secret left it in
    the key store; a rotation (or anything else that calls this) finishes the job."""
    destroyed = Space.objects.filter(kind=SpaceKind.PERSON, destroyed_at__isnull=False)
    spacekeys.space_secrets_forget({str(pk) for pk in destroyed.values_list("pk", flat=True)})


@transaction.atomic
def person_space(*, user: Any) -> Space:
    """The person's private space, created on first use."""
    link = PersonSpace.objects.select_related("space").filter(user=user).first()
    if link is not None:
        return link.space
    space = space_create(kind=Space.Kind.PERSON)
    PersonSpace.objects.create(user=user, space=space)
    return space
