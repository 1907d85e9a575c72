"""Exporting a person's data: asked for on the privacy page, built by the task worker.

The zip holds `confide-export.json` (the schema in docs/export-schema.md) and
`confide-export.html` (the same, readable, self-contained). Its download link works once,
for the person only, until it expires; the link's token is derived from the export's id with
the server's secret key, and only its hash is stored, so a copy of the database alone gives
no usable link. The file lives in the data folder (mode 0600) and is deleted once downloaded
or expired.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from confide.core.audit import audit_log
from confide.privacy.document import SCHEMA_NAME, SCHEMA_VERSION, export_tree, iso
from confide.privacy.models import Export
from confide.privacy.registry import privacy_handlers

logger = logging.getLogger(__name__)

LIFETIME = timedelta(hours=24)
# A build still "preparing" after this long was lost (a worker stopped): it no longer blocks.
STALE_AFTER = timedelta(hours=1)
JSON_NAME = "confide-export.json"
HTML_NAME = "confide-export.html"


class ExportError(Exception):
    """Refused: the message is safe to show to the person."""


def export_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def export_path(export: Export) -> Path:
    return export_folder() / f"{export.pk}.zip"


def export_token(export: Export) -> str:
    return salted_hmac("confide.privacy.export", str(export.pk), algorithm="sha256").hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


# --- the document -------------------------------------------------------------------------


def export_document(*, user: Any, now: datetime | None = None) -> dict[str, Any]:
    """Everything the registered handlers give for this person, as one JSON-able document."""
    return {
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(now or timezone.now()),
        "person": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "language": user.locale,
            "joined_at": iso(user.date_joined),
        },
        "sections": {handler.app: handler.export(user) for handler in privacy_handlers()},
    }


def export_html(document: dict[str, Any]) -> str:
    sections = [(name, export_tree(section)) for name, section in document["sections"].items()]
    return render_to_string(
        "privacy/export_document.html",
        {
            "document": document,
            "person": export_tree(document["person"]),
            "sections": sections,
        },
    )


def export_zip_bytes(document: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr(HTML_NAME, export_html(document))
    return buffer.getvalue()


# --- services -----------------------------------------------------------------------------


def _expire_stale(user: Any, now: datetime) -> None:
    Export.objects.filter(
        user=user, state=Export.State.PREPARING, created_at__lt=now - STALE_AFTER
    ).update(state=Export.State.FAILED, finished_at=now)


@transaction.atomic
def export_request(*, user: Any) -> Export:
    """Ask for a new export; refused while another of the person's exports is being prepared."""
    from confide.privacy.tasks import export_build_task

    now = timezone.now()
    _expire_stale(user, now)
    if Export.objects.filter(user=user, state=Export.State.PREPARING).exists():
        raise ExportError(
            _("Your export is already being prepared. Reload this page in a little while.")
        )
    export = Export.objects.create(user=user)
    audit_log(actor=user, action="privacy.export.requested", target=export)
    export_id = str(export.pk)
    transaction.on_commit(lambda: export_build_task.enqueue(export_id))
    return export


def export_build(*, export_id: str) -> Export | None:
    """Build the zip of one export. Safe to run twice: only a "preparing" export is built."""
    export = Export.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state != Export.State.PREPARING:
        return export
    try:
        data = export_zip_bytes(export_document(user=export.user))
        path = export_path(export)
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except Exception:
        # Only the id is logged: the error may carry what was being exported.
        logger.exception("Export %s could not be built", export.pk)
        Export.objects.filter(pk=export.pk, state=Export.State.PREPARING).update(
            state=Export.State.FAILED, finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    updated = Export.objects.filter(pk=export.pk, state=Export.State.PREPARING).update(
        state=Export.State.READY,
        finished_at=now,
        expires_at=now + LIFETIME,
        token_hash=_token_hash(export_token(export)),
        size_bytes=len(data),
    )
    if not updated:
        path.unlink(missing_ok=True)
    export.refresh_from_db()
    return export


def _file_delete(export: Export) -> None:
    export_path(export).unlink(missing_ok=True)


def export_download(*, user: Any, export_id: uuid.UUID | str, token: str) -> bytes:
    """The zip, once: the link then stops working and the file is deleted."""
    now = timezone.now()
    exports_expire(now=now, user=user)
    with transaction.atomic():
        return _download(user=user, export_id=export_id, token=token, now=now)


def _download(*, user: Any, export_id: uuid.UUID | str, token: str, now: datetime) -> bytes:
    gone = ExportError(_("This download link has been used already or has expired."))
    export = Export.objects.select_for_update().filter(pk=export_id, user=user).first()
    if export is None or not hmac.compare_digest(export.token_hash, _token_hash(token)):
        raise gone
    if export.state != Export.State.READY or export.expires_at is None:
        raise gone
    try:
        data = export_path(export).read_bytes()
    except FileNotFoundError:
        raise gone from None
    export.state = Export.State.DOWNLOADED
    export.downloaded_at = now
    export.save(update_fields=["state", "downloaded_at"])
    audit_log(actor=user, action="privacy.export.downloaded", target=export)
    transaction.on_commit(lambda: _file_delete(export))
    return data


def exports_expire(*, now: datetime | None = None, user: Any = None) -> int:
    """Delete the files of exports past their time (everyone's, or one person's)."""
    now = now or timezone.now()
    due = Export.objects.filter(state=Export.State.READY, expires_at__lte=now)
    if user is not None:
        due = due.filter(user=user)
    count = 0
    for export in due:
        _file_delete(export)
        count += Export.objects.filter(pk=export.pk, state=Export.State.READY).update(
            state=Export.State.EXPIRED
        )
    return count


def exports_delete_for(*, user: Any) -> None:
    """Erasure: every export of the person, with its file."""
    for export in Export.objects.filter(user=user):
        _file_delete(export)
    Export.objects.filter(user=user).delete()


def exports_for(*, user: Any, limit: int = 5) -> list[Export]:
    return list(Export.objects.filter(user=user).order_by("-created_at")[:limit])
