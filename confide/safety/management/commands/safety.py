"""`confide safety eval FILE.csv [--json] [--explain] [--rules]`, `confide safety bench` and
`confide safety train [--corpus DIR] [--out FILE] [--folds 5]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from confide.safety.bench import run_bench
from confide.safety.corpus import CORPUS_DIR
from confide.safety.evaluation import EvalFileError, Example, evaluate, mistakes, read_csv
from confide.safety.heads import heads_path
from confide.safety.rules import DATA_DIR, LABELS
from confide.safety.screen import model_scores, screen, screen_rules

MIN_FOLDS = 2


def _table(scores: dict[str, Any]) -> list[str]:
    lines = [f"{'label':<8} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for label in LABELS:
        s = scores[label]
        lines.append(
            f"{label:<8} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} "
            f"{s['support']:>8}"
        )
    return lines


class Command(BaseCommand):
    help = (
        "Measure and train the text screener. `eval FILE.csv` prints precision, recall and F1 "
        "per label for a CSV with the header text,labels; `bench` prints texts per second and "
        "time per text; `train` rebuilds the learned heads from the corpus."
    )
    # The system checks would load the encoder with one thread before `train` can ask for more
    # (OpenMP reads its thread count once); this command reports its own problems instead.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate_parser = actions.add_parser("eval", help="Score the screener on a labelled CSV.")
        evaluate_parser.add_argument("file", type=Path, help="CSV with the header text,labels")
        evaluate_parser.add_argument(
            "--json", action="store_true", help="Print one JSON object instead of a table."
        )
        evaluate_parser.add_argument(
            "--explain",
            action="store_true",
            help="Also print each miss and false alarm with the model's score per label.",
        )
        evaluate_parser.add_argument(
            "--rules", action="store_true", help="Score the rules alone, without the model."
        )
        bench_parser = actions.add_parser("bench", help="Measure screening speed.")
        bench_parser.add_argument(
            "--file",
            type=Path,
            default=DATA_DIR / "devset.csv",
            help="CSV whose texts are screened (default: the development set).",
        )
        bench_parser.add_argument(
            "--rounds", type=int, default=1, help="Passes over the short texts."
        )
        bench_parser.add_argument(
            "--rules", action="store_true", help="Time the rules alone, without the model."
        )
        train_parser = actions.add_parser("train", help="Rebuild the heads from the corpus.")
        train_parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
        train_parser.add_argument("--out", type=Path, default=None, help="default: heads.json")
        train_parser.add_argument("--folds", type=int, default=5)
        train_parser.add_argument(
            "--threads", type=int, default=2, help="Encoder threads while training (default 2)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "eval":
            self._eval(options)
        elif options["action"] == "bench":
            if options["rounds"] < 1:
                raise CommandError("--rounds must be at least 1.")
            try:
                texts = [example.text for example in read_csv(options["file"])]
            except EvalFileError as error:
                raise CommandError(str(error)) from error
            run_bench(self, texts, options["file"].name, options["rounds"], options["rules"])
        else:
            self._train(options)

    def _eval(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            examples = read_csv(path)
        except EvalFileError as error:
            raise CommandError(str(error)) from error
        screener = screen_rules if options["rules"] else screen
        scores = {label: s.as_dict() for label, s in evaluate(examples, screener).items()}
        if options["json"]:
            self.stdout.write(json.dumps(scores))
        else:
            what = "the rules alone" if options["rules"] else "the screener"
            self.stdout.write(f"{len(examples)} labelled texts in {path}, scored by {what}")
            for line in _table(scores):
                self.stdout.write(line)
        if options["explain"]:
            # With --json the explanations go to stderr, so that stdout stays one JSON object.
            out = self.stderr if options["json"] else self.stdout
            self._explain(out, examples, screener, use_model=not options["rules"])

    def _explain(
        self, out: OutputWrapper, examples: list[Example], screener: Any, *, use_model: bool
    ) -> None:
        wrong = mistakes(examples, screener)
        out.write(f"\n{len(wrong)} texts with a miss or a false alarm:")
        for example, predicted in wrong:
            missed = sorted(example.labels - set(predicted), key=LABELS.index)
            extra = [label for label in predicted if label not in example.labels]
            scores = model_scores(example.text) if use_model else None
            shown = " ".join(f"{label}={scores[label]:.2f}" for label in LABELS) if scores else "-"
            parts = [f"line {example.line}"]
            if missed:
                parts.append("missed " + ",".join(missed))
            if extra:
                parts.append("false alarm " + ",".join(extra))
            out.write(f"{'; '.join(parts)} | scores {shown} | {example.text}")

    def _train(self, options: dict[str, Any]) -> None:
        if options["folds"] < MIN_FOLDS:
            raise CommandError(f"--folds must be at least {MIN_FOLDS}.")
        try:
            from confide.safety.train import EmbeddingCache, train
        except ImportError as error:
            raise CommandError(
                f"Training needs scikit-learn ({error}); install the extra: pip install "
                "'confide[train]'"
            ) from error
        from confide.safety.corpus import read_corpus
        from confide.safety.encoder import EncoderError, load_encoder

        out: Path = options["out"] or heads_path()
        try:
            rows = read_corpus(options["corpus"])
            encoder = load_encoder(threads=max(1, options["threads"]))
        except (EvalFileError, EncoderError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(rows)} texts from {options['corpus']}; encoder {encoder.name}")
        cache = EmbeddingCache(Path(settings.DATA_DIR) / "cache", encoder.fingerprint, encoder.dim)

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\rembedding {done}/{total}", ending="\n" if done == total else "")

        trained = train(rows, encoder, folds=options["folds"], cache=cache, progress=progress)
        document = trained.document
        self.stdout.write(f"grouped cross-validation ({options['folds']} folds by family):")
        for line in _table(document["cross_validation"]):
            self.stdout.write(line)
        for label in LABELS:
            head = document["heads"][label]
            aim = document["training"]["aims"][label]
            self.stdout.write(f"{label}: C={head['C']}, threshold {head['threshold']} ({aim})")
        net = document["safety_net"]["rules"]
        self.stdout.write(f"safety net: {', '.join(net) if net else 'no rule'}")
        unchanged = out.exists() and out.read_text(encoding="utf-8") == trained.text
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(trained.text, encoding="utf-8")
        self.stdout.write(f"wrote {out}{' (unchanged)' if unchanged else ''}")
