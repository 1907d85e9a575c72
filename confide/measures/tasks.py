from __future__ import annotations

from django.tasks import task

from confide.measures.services import norms_refresh


@task()
def refresh_norms(instrument_id: str) -> None:
    """Recalculate local norms; running it twice gives the same result. The scheduler's sweep
    does this now (measures.services.norms_due); the task stays for rows queued before."""
    norms_refresh(instrument_id=instrument_id)
