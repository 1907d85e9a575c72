"""`confide check` reports a broken screening rule set or crisis resources file at start-up."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error

from confide.safety.resources import override_problem, project_resources
from confide.safety.rules import SafetyDataError, available_locales, ruleset


def check_safety_data(**kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    try:
        for locale in available_locales():
            ruleset(locale)
        project_resources()
    except SafetyDataError as error:
        problems.append(Error(str(error), id="safety.E001"))
    problem = override_problem()
    if problem:
        problems.append(
            Error(
                problem,
                hint="Until it is fixed, the crisis page shows the project's own list.",
                id="safety.E002",
            )
        )
    return problems
