"""Background work of the privacy app: building an export. Tasks take ids (see exports.py)."""

from __future__ import annotations

from django.tasks import task

from confide.privacy.exports import export_build


@task()
def export_build_task(export_id: str) -> None:
    export_build(export_id=export_id)
