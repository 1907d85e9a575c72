"""The screening data files: they load, and a bad edit fails with the file and the entry named."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from confide.safety.rules import (
    DATA_DIR,
    SafetyDataError,
    load_ruleset,
    needles_for,
    validate_label_file,
)


def test_shipped_rules_load_for_every_label() -> None:
    rules = load_ruleset(DATA_DIR / "en")
    assert {rule.label for rule in rules.rules} == {"crisis", "fear", "harsh", "slur"}
    subtypes = {rule.subtype for rule in rules.rules if rule.label == "harsh"}
    assert subtypes == {"criticism", "contempt", "defensiveness", "stonewalling"}


def _rule(**change: Any) -> dict[str, Any]:
    return {"id": "r", "subtype": "criticism", "patterns": [r"\byou\s+never\b"], **change}


BAD_LABEL_FILES = [
    pytest.param({"label": "sad", "rule": [_rule()]}, "label 'sad'", id="label"),
    pytest.param({"label": "harsh"}, "at least one [[rule]]", id="no-rules"),
    pytest.param({"label": "harsh", "rule": [_rule(subtype="rude")]}, "subtype 'rude'", id="sub"),
    pytest.param({"label": "harsh", "rule": [_rule(id="Bad Id")]}, "unique slug", id="id"),
    pytest.param({"label": "harsh", "rule": [_rule(), _rule()]}, "unique slug", id="duplicate"),
    pytest.param({"label": "harsh", "rule": [_rule(extra=1)]}, "unknown key(s) ['extra']", id="k"),
    pytest.param({"label": "harsh", "rule": [_rule(patterns=["(oops"])]}, "pattern #1", id="re"),
    pytest.param({"label": "harsh", "rule": [_rule(patterns=["{nope}"])]}, "unknown macro", id="m"),
    pytest.param({"label": "harsh", "rule": [_rule(patterns=["x?"])]}, "empty text", id="empty"),
    pytest.param({"label": "harsh", "rule": [_rule(guards=["luck"])]}, "unknown guard", id="g"),
    pytest.param(
        {"label": "harsh", "words": ["Bad Word"], "rule": [_rule()]}, "'Bad Word'", id="w"
    ),
    pytest.param({"label": "harsh", "things": 1, "rule": [_rule()]}, "non-empty list", id="list"),
]


@pytest.mark.parametrize(("data", "problem"), BAD_LABEL_FILES)
def test_bad_label_file_is_named(data: dict[str, Any], problem: str) -> None:
    with pytest.raises(SafetyDataError) as raised:
        validate_label_file(data, "harsh.toml", {})
    assert str(raised.value).startswith("harsh.toml")
    assert problem in str(raised.value)


def test_bad_rule_names_its_id() -> None:
    with pytest.raises(SafetyDataError, match="rule 'r'"):
        validate_label_file({"label": "harsh", "rule": [_rule(subtype="x")]}, "harsh.toml", {})


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "en"
    shutil.copytree(DATA_DIR / "en", target)
    return target


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "fear.toml").write_text('label = "fear"\n[[rule]\n', encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"^fear\.toml: not valid TOML"):
        load_ruleset(directory)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "slur.toml").unlink()
    with pytest.raises(SafetyDataError, match=r"^slur\.toml: file not found"):
        load_ruleset(directory)


def test_context_sections_are_checked(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "context.toml").write_text("[negation]\ncues = ['not']\n", encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"^context\.toml: sections must be exactly"):
        load_ruleset(directory)


def test_self_referring_macro_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "macros.toml").write_text("[macros]\nloop = '{loop}'\n", encoding="utf-8")
    with pytest.raises(SafetyDataError, match="macros.toml: loop: unknown macro"):
        load_ruleset(directory)


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        (r"\bwant\s+to\s+die\b", ("want",)),
        (r"\b(?:kill|hurt)\s+myself\b", ("myself",)),
        (r"\b(?:scared|afraid)\s+of\b", ("scared", "afraid")),
        (r"\A\W*(?:whatever|k)\W*\Z", ("whatever", "k")),
        (r"\b(?:a|)\s+x", ("x",)),
        (r"\b(?:a|)\s+\w", None),
    ],
)
def test_needles_are_words_every_match_contains(
    pattern: str, needles: tuple[str, ...] | None
) -> None:
    assert needles_for(pattern) == needles
