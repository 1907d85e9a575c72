from __future__ import annotations

from django.tasks import task

from confide.measures.services import norms_refresh


@task()
def refresh_norms(instrument_id: str) -> None:
    """Recalculate local norms after a new response; running it twice gives the same result."""
    norms_refresh(instrument_id=instrument_id)
