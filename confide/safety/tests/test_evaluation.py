"""`confide safety eval`: exact scores on a small file, clear errors on bad files, targets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from confide.safety.evaluation import Scores, evaluate, read_csv
from confide.safety.rules import DATA_DIR
from confide.safety.screen import screen_rules
from confide.safety.tests.conftest import keyword_model

pytestmark = pytest.mark.same_on_every_database

FIXTURE = """text,labels
I want to die.,crisis
I would never hurt myself.,crisis
This week killed me.,
You never listen to me.,harsh
You always make me laugh.,harsh
He hits me.,fear
"All immigrants are criminals, all of them.",slur
You're pathetic.,
"""
EXPECTED = {
    "crisis": {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2},
    "fear": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1},
    "harsh": {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2},
    "slur": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1},
}


def _write(tmp_path: Path, content: str | bytes, name: str = "set.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("safety", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The exact figures are the rules' (--rules): the arithmetic does not depend on trained weights.


def test_json_scores_are_exact(tmp_path: Path) -> None:
    out, _err = _run("eval", str(_write(tmp_path, FIXTURE)), "--json", "--rules")
    assert json.loads(out) == EXPECTED


def test_table_lists_every_label(tmp_path: Path) -> None:
    out, _err = _run("eval", str(_write(tmp_path, FIXTURE)), "--rules")
    assert "8 labelled texts" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:]}
    assert lines["crisis"] == ["1.000", "0.500", "0.667", "2"]
    assert lines["harsh"] == ["0.500", "0.500", "0.500", "2"]
    assert set(lines) == {"crisis", "fear", "harsh", "slur"}


def test_scores_with_nothing_flagged_or_expected_are_zero() -> None:
    empty = Scores(0, 0, 0)
    assert (empty.precision, empty.recall, empty.f1, empty.support) == (0.0, 0.0, 0.0, 0)


BAD_FILES = [
    pytest.param("", "the file is empty", None, id="empty"),
    pytest.param("I want to die.,crisis\n", "header", 1, id="missing-header"),
    pytest.param("text,labels\nfine,\nsad,sadness\n", "unknown label 'sadness'", 3, id="label"),
    pytest.param('text,labels\nok,\n"quoted"oops,crisis\n', "bad CSV quoting", 3, id="quoting"),
    pytest.param(
        'text,labels\nstill open,\n"never closed,crisis\n', "bad CSV quoting", 3, id="eof"
    ),
    pytest.param("text,labels\none,two,three\n", "expected 2 fields", 2, id="fields"),
    pytest.param("text,labels\n", "no labelled rows", None, id="header-only"),
    pytest.param(b"text,labels\nok,\n\xff\xfe,crisis\n", "not UTF-8", 3, id="encoding"),
]


@pytest.mark.parametrize(("content", "problem", "line"), BAD_FILES)
def test_bad_files_name_the_line(
    tmp_path: Path, content: str | bytes, problem: str, line: int | None
) -> None:
    path = _write(tmp_path, content)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("safety", "eval", str(path), "--json", stdout=out)
    message = str(raised.value)
    assert problem in message
    assert str(path) in message
    if line is not None:
        assert f"line {line}" in message
    assert out.getvalue() == ""


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read the file"):
        _run("eval", str(tmp_path / "nope.csv"))


def test_command_line_exits_non_zero_and_prints_no_scores(tmp_path: Path) -> None:
    path = _write(tmp_path, "text,labels\nsad,sadness\n")
    env = {**os.environ, "CONFIDE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    done = subprocess.run(
        [sys.executable, "-m", "confide", "safety", "eval", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert "line 2" in done.stderr
    assert "unknown label 'sadness'" in done.stderr


def test_bench_reports_speed_per_kind_of_text(tmp_path: Path) -> None:
    with keyword_model():  # the real heads are timed by hand (docs/safety.md), not in tests
        out, err = _run("bench", "--file", str(_write(tmp_path, FIXTURE)), "--rounds", "1")
    assert "encoder and heads loaded in" in out
    assert "short texts (8 from set.csv): " in out
    assert "long texts (10 of 3,000 characters)" in out
    assert out.count("texts/second") == 3
    assert out.count("p95") == 3
    assert "peak memory" in out
    assert "short texts (8 from set.csv) 8/8" in err


def test_bench_of_the_rules_alone(tmp_path: Path) -> None:
    out, _err = _run("bench", "--file", str(_write(tmp_path, FIXTURE)), "--rules")
    assert out.startswith("the rules alone")


# --- the shipped sets ----------------------------------------------------------------------------


def test_development_set_is_big_and_has_hard_negatives() -> None:
    examples = read_csv(DATA_DIR / "devset.csv")
    assert len(examples) >= 400
    unlabelled = [example for example in examples if not example.labels]
    assert len(unlabelled) >= 150  # of which at least 120 are hard negatives (docs/safety.md)
    assert len({example.text for example in examples}) == len(examples)
    assert len(read_csv(DATA_DIR / "heldout.csv")) >= 80


def test_explain_prints_each_mistake_with_its_scores(tmp_path: Path) -> None:
    path = _write(tmp_path, "text,labels\nI feel doomed.,\nAll fine.,crisis\nquiet day,\n")
    with keyword_model():
        out, _err = _run("eval", str(path), "--explain")
    assert "2 texts with a miss or a false alarm" in out
    assert "line 2; false alarm crisis | scores crisis=0.98" in out
    assert "line 3; missed crisis | scores crisis=0.05" in out
    assert "quiet day" not in out


def test_explain_keeps_json_on_stdout(tmp_path: Path) -> None:
    path = _write(tmp_path, "text,labels\nI feel doomed.,\n")
    with keyword_model():
        out, err = _run("eval", str(path), "--json", "--explain")
    assert json.loads(out)["crisis"]["precision"] == 0.0
    assert "false alarm crisis" in err


def test_the_learned_screener_keeps_the_recall_targets_on_the_development_set() -> None:
    # Precision is not held here: the heads fire on many look-alikes (docs/safety.md).
    scores = evaluate(read_csv(DATA_DIR / "devset.csv"))
    assert scores["crisis"].recall >= 0.95
    assert scores["fear"].recall >= 0.90
    assert scores["slur"].recall >= 0.90


def test_the_rules_keep_their_targets_on_the_set_they_were_tuned_on() -> None:
    scores = evaluate(read_csv(DATA_DIR / "devset.csv"), screen_rules)
    assert scores["crisis"].recall >= 0.95
    assert scores["crisis"].precision >= 0.80
    assert scores["fear"].recall >= 0.90
    assert scores["harsh"].f1 >= 0.85
    assert scores["slur"].f1 >= 0.90
