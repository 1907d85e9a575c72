"""`confide safety bench`: how fast the screener is, as an operator would want to know it.

Prints the model's load time (hash check and engine), then texts per second and p50/p95 time per
text for short texts (the file's own, like check-in notes), for long texts (about 3,000
characters, a long circle share) and for one text at the 20,000-character cap, and the peak
memory of the process. Progress goes to stderr.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Sequence
from typing import Final

from django.core.management.base import BaseCommand

from confide.safety.classifier import classifier_problem
from confide.safety.encoder import threads_from_env
from confide.safety.evaluation import timing
from confide.safety.findings import MAX_SCREEN_CHARS, Screening
from confide.safety.screen import screen, screen_rules

LONG_CHARS: Final = 3_000
LONG_TEXTS: Final = 10


def long_texts(texts: Sequence[str], size: int, count: int) -> list[str]:
    """``count`` texts of about ``size`` characters, each a different run of the given texts."""
    pool = [text.strip() for text in texts if text.strip()] or ["Nothing to screen."]
    result = []
    for start in range(count):
        parts: list[str] = []
        index = start * 7
        while sum(len(part) + 1 for part in parts) < size:
            parts.append(pool[index % len(pool)])
            index += 1
        result.append(" ".join(parts)[:size])
    return result


def run_bench(
    command: BaseCommand, texts: Sequence[str], name: str, rounds: int, rules_only: bool
) -> None:
    out, err = command.stdout, command.stderr
    screener: Callable[[str], Screening] = screen_rules if rules_only else screen
    if rules_only:
        out.write("the rules alone")
    else:
        started = time.perf_counter()
        problem = classifier_problem()  # the process's first use loads the shared model
        loaded = time.perf_counter() - started
        if problem:
            out.write(f"the model is not available ({problem}); timing the rules alone")
        else:
            out.write(
                f"encoder and heads loaded in {loaded:.2f} s (hash check included; 0 when "
                f"already loaded); {threads_from_env()} thread(s)"
            )

    def progress(label: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            err.write(f"\r{label} {done}/{total}", ending="\n" if done == total else "")

        return report

    cases = [
        (f"short texts ({len(texts)} from {name})", list(texts), rounds),
        (
            f"long texts ({LONG_TEXTS} of {LONG_CHARS:,} characters)",
            long_texts(texts, LONG_CHARS, LONG_TEXTS),
            1,
        ),
        (
            f"at the {MAX_SCREEN_CHARS:,}-character cap (1 text)",
            long_texts(texts, MAX_SCREEN_CHARS, 1),
            1,
        ),
    ]
    for label, batch, passes in cases:
        measured = timing(batch, rounds=passes, screener=screener, progress=progress(label))
        out.write(
            f"{label}: {measured.per_second:,.1f} texts/second, "
            f"p50 {measured.p50:,.1f} ms, p95 {measured.p95:,.1f} ms per text"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write(f"peak memory of this process: {peak:,.0f} MB")
