"""`confide bench` refuses bad options before it starts anything."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"pace": -1.0}, "--pace is seconds between moves, from 0 to 600."),
        ({"pace": 601.0}, "--pace is seconds between moves, from 0 to 600."),
        ({"sessions": 0}, "--seconds, --connections and --sessions must be positive."),
        ({"seconds": 0.0}, "--seconds, --connections and --sessions must be positive."),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(
    options: dict[str, float], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from confide.bench import run

    def must_not_run(**_kwargs: object) -> None:
        raise AssertionError("the bench started despite a bad option")

    monkeypatch.setattr(run, "run_pages", must_not_run)
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("bench", **options)
