"""`confide check` reports a broken screening rule set or crisis resources file at start-up, and
warns when the screening model cannot load (the rules then screen alone)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning

from confide.safety.classifier import classifier_problem
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
    model = classifier_problem()
    if model:
        problems.append(
            CheckWarning(
                f"Safety screening uses the rules alone: {model}",
                hint=(
                    "The rules catch far less than the model (docs/safety.md). Reinstall the "
                    "package or restore the file named above; after changing the encoder or "
                    "the corpus, run `confide safety train`."
                ),
                id="safety.W001",
            )
        )
    return problems
