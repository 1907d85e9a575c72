"""Measuring the screener on a labelled CSV (``text,labels``): precision, recall, F1 per label.

Pure code: reads a file, runs :func:`confide.safety.screen.screen` (or the rules alone), counts.
A malformed file raises :class:`EvalFileError` naming the line, before anything is counted.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from confide.safety.screen import LABELS, Screening, screen

HEADER: Final = ("text", "labels")
# A labelled set is small; anything past this is a mistake (a log file given by accident).
MAX_FILE_BYTES: Final = 20 * 1024 * 1024


class EvalFileError(ValueError):
    """The CSV cannot be used. ``str()`` names the file and the line."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Example:
    line: int
    text: str
    labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
        }


def parse_labels(value: str, source: str, line: int) -> frozenset[str]:
    labels = [label.strip() for label in value.split(";")] if value.strip() else []
    for label in labels:
        if label not in LABELS:
            raise EvalFileError(
                source, f"unknown label {label!r}; use a ;-separated subset of {list(LABELS)}", line
            )
    return frozenset(labels)


def parse_csv(content: str, source: str) -> list[Example]:
    """Parse the CSV text; every problem is reported with its line number."""
    if not content.strip():
        raise EvalFileError(source, f"the file is empty; expected a header {','.join(HEADER)}")
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    examples: list[Example] = []
    line = 1
    try:
        header = next(reader)
        if tuple(cell.strip().lower() for cell in header) != HEADER:
            raise EvalFileError(
                source, f"the first line must be the header {','.join(HEADER)}, not {header!r}", 1
            )
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            if len(row) != len(HEADER):
                raise EvalFileError(
                    source,
                    f"expected 2 fields (text,labels), found {len(row)}; "
                    "quote a text that contains commas",
                    line,
                )
            text, labels = row
            examples.append(
                Example(line=line, text=text, labels=parse_labels(labels, source, line))
            )
    except csv.Error as exc:
        raise EvalFileError(source, f"bad CSV quoting: {exc}", reader.line_num or line) from exc
    if not examples:
        raise EvalFileError(source, "no labelled rows after the header")
    return examples


def read_csv(path: Path) -> list[Example]:
    source = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise EvalFileError(source, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise EvalFileError(source, f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise EvalFileError(source, "not UTF-8 text", line) from exc
    return parse_csv(content, source)


def evaluate(
    examples: Iterable[Example], screener: Callable[[str], Screening] = screen
) -> dict[str, Scores]:
    counts = {label: [0, 0, 0] for label in LABELS}
    for example in examples:
        found = set(screener(example.text).labels)
        for label in LABELS:
            expected = label in example.labels
            predicted = label in found
            if expected and predicted:
                counts[label][0] += 1
            elif predicted:
                counts[label][1] += 1
            elif expected:
                counts[label][2] += 1
    return {label: Scores(*numbers) for label, numbers in counts.items()}


def mistakes(
    examples: Iterable[Example], screener: Callable[[str], Screening] = screen
) -> list[tuple[Example, tuple[str, ...]]]:
    """Examples whose predicted labels differ from the expected ones (misses and false alarms)."""
    wrong = []
    for example in examples:
        predicted = screener(example.text).labels
        if set(predicted) != example.labels:
            wrong.append((example, predicted))
    return wrong


def throughput(
    texts: Sequence[str], *, rounds: int = 5, screener: Callable[[str], Screening] = screen
) -> float:
    """Texts screened per second on this core (best of ``rounds`` passes over ``texts``)."""
    screener("warm-up")  # loads the rules and the model outside the timing
    best = float("inf")
    for _round in range(rounds):
        started = time.perf_counter()
        for text in texts:
            screener(text)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best if best > 0 else float("inf")


@dataclass(frozen=True, slots=True)
class Timing:
    """Screening time per text, in milliseconds, over every text of every round."""

    texts: int
    seconds: float
    p50: float
    p95: float

    @property
    def per_second(self) -> float:
        return self.texts / self.seconds if self.seconds > 0 else float("inf")


def timing(
    texts: Sequence[str],
    *,
    rounds: int = 1,
    screener: Callable[[str], Screening] = screen,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Timing:
    """Time each screening separately (for p50 and p95), after a warm-up outside the timing."""
    screener("warm-up")
    spent: list[float] = []
    total = len(texts) * rounds
    for _round in range(rounds):
        for text in texts:
            started = time.perf_counter()
            screener(text)
            spent.append(time.perf_counter() - started)
            progress(len(spent), total)
    if not spent:
        return Timing(texts=0, seconds=0.0, p50=0.0, p95=0.0)
    ranked = sorted(spent)
    return Timing(
        texts=len(spent),
        seconds=sum(spent),
        p50=1000 * _percentile(ranked, 0.50),
        p95=1000 * _percentile(ranked, 0.95),
    )


def _percentile(ranked: Sequence[float], share: float) -> float:
    """The value below which ``share`` of the sorted values lie (nearest rank)."""
    return ranked[min(len(ranked) - 1, max(0, math.ceil(share * len(ranked)) - 1))]
