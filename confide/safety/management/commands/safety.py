"""`confide safety eval FILE.csv [--json]` and `confide safety bench [--texts N]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.safety.evaluation import (
    EvalFileError,
    evaluate,
    read_csv,
    throughput,
)
from confide.safety.rules import DATA_DIR, LABELS
from confide.safety.screen import MAX_SCREEN_CHARS


class Command(BaseCommand):
    help = (
        "Measure the text screener. `eval FILE.csv` prints precision, recall and F1 per label "
        "for a CSV with the header text,labels; `bench` prints texts screened per second."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate_parser = actions.add_parser("eval", help="Score the screener on a labelled CSV.")
        evaluate_parser.add_argument("file", type=Path, help="CSV with the header text,labels")
        evaluate_parser.add_argument(
            "--json", action="store_true", help="Print one JSON object instead of a table."
        )
        bench_parser = actions.add_parser("bench", help="Measure texts screened per second.")
        bench_parser.add_argument(
            "--file",
            type=Path,
            default=DATA_DIR / "devset.csv",
            help="CSV whose texts are screened (default: the development set).",
        )
        bench_parser.add_argument(
            "--rounds", type=int, default=5, help="Passes over the texts; the best one counts."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "eval":
            self._eval(options["file"], as_json=options["json"])
        else:
            self._bench(options["file"], rounds=options["rounds"])

    def _eval(self, path: Path, *, as_json: bool) -> None:
        try:
            examples = read_csv(path)
        except EvalFileError as error:
            raise CommandError(str(error)) from error
        scores = evaluate(examples)
        if as_json:
            self.stdout.write(json.dumps({label: scores[label].as_dict() for label in LABELS}))
            return
        self.stdout.write(f"{len(examples)} labelled texts in {path}")
        self.stdout.write(f"{'label':<8} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
        for label in LABELS:
            score = scores[label]
            self.stdout.write(
                f"{label:<8} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} "
                f"{score.support:>8}"
            )

    def _bench(self, path: Path, *, rounds: int) -> None:
        if rounds < 1:
            raise CommandError("--rounds must be at least 1.")
        try:
            texts = [example.text for example in read_csv(path)]
        except EvalFileError as error:
            raise CommandError(str(error)) from error
        short = throughput(texts, rounds=rounds)
        self.stdout.write(f"{short:,.0f} texts/second ({len(texts)} texts from {path.name})")
        long_text = " ".join(texts)[:MAX_SCREEN_CHARS]
        long = throughput([long_text] * 20, rounds=rounds)
        self.stdout.write(f"{long:,.1f} texts/second at the {MAX_SCREEN_CHARS:,}-character cap")
