"""How the learned heads and the rules combine, with a keyword encoder that makes the heads
predictable; then the real model on long texts; then the fallback to the rules."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from confide.safety import classifier as shared
from confide.safety.checks import check_safety_data
from confide.safety.classifier import Classifier, classifier_problem, use_classifier
from confide.safety.coach import coach
from confide.safety.findings import MODEL_SUBTYPE, reason_for
from confide.safety.heads import HEADS_ENV
from confide.safety.screen import model_scores, screen, screen_rules
from confide.safety.tests.conftest import KeywordEncoder, keyword_heads, keyword_model


def test_a_rule_inside_a_window_where_the_head_fired_explains_the_finding() -> None:
    with keyword_model():
        result = screen("I feel doomed. I want to die.")
    (finding,) = result.findings
    assert (finding.label, finding.subtype, finding.matched) == ("crisis", "suicide", "want to die")


def test_a_head_alone_gives_a_label_level_finding_at_the_telling_sentence() -> None:
    text = "We had pasta. Honestly I am doomed and tired. The dog snored."
    with keyword_model():
        (finding,) = screen(text).findings
    assert finding.label == "crisis"
    assert finding.subtype == MODEL_SUBTYPE
    assert finding.matched == "Honestly I am doomed and tired."
    assert finding.reason == reason_for("crisis", MODEL_SUBTYPE)
    assert str(finding.reason)


def test_a_rule_the_head_disagrees_with_is_dropped_unless_it_is_in_the_safety_net() -> None:
    text = "I want to die."
    assert screen_rules(text).labels == ("crisis",)
    with keyword_model():
        assert screen(text).labels == ()
    with keyword_model(safety_net=frozenset({"crisis:want-to-die"})):
        (finding,) = screen(text).findings
    assert finding.subtype == "suicide"


def test_every_label_fires_on_its_own_window_only() -> None:
    cheerful = "The sun was out and we walked to the market together. " * 6
    text = cheerful + "He has me cornered at home. " + cheerful + "What a nitwit you are."
    with keyword_model() as encoder:
        result = screen(text)
    assert result.labels == ("fear", "harsh")
    (fear,) = result.for_label("fear")
    assert fear.matched == "He has me cornered at home."
    (harsh,) = result.for_label("harsh")
    assert harsh.matched == "What a nitwit you are."
    assert max(len(call) for call in encoder.calls) > 1  # windows are scored together


def test_quiet_texts_are_scored_once_without_sentence_refinement() -> None:
    with keyword_model() as encoder:
        screen("Long day. Lovely dinner. Early night.")
    assert len(encoder.calls) == 1


def test_blank_text_skips_the_model() -> None:
    with keyword_model() as encoder:
        assert screen("  \n").findings == ()
    assert encoder.calls == []


def test_model_scores_are_the_highest_window_score_per_label() -> None:
    with keyword_model():
        scores = model_scores("All fine. Such vermin, all of them.")
    assert scores is not None
    assert scores["slur"] > 0.9
    assert scores["crisis"] < 0.1


def test_the_coach_builds_on_the_writers_words_for_a_head_only_finding() -> None:
    text = "You left the dishes again. What a nitwit."
    with keyword_model():
        screening = screen(text)
    coaching = coach(text, screening, feelings=["tired"], needs=["help"])
    assert coaching is not None
    assert coaching.notes[0].subtype == MODEL_SUBTYPE
    assert str(coaching.notes[0].explanation)
    assert "you left the dishes again" in coaching.rewrite
    assert "nitwit" not in coaching.rewrite
    with keyword_model():
        alone = coach("nitwit", screen("nitwit"))
    assert alone is not None
    assert "nitwit" in alone.rewrite  # all they wrote: kept, to be edited


class _Broken(KeywordEncoder):
    def embed(self, texts: object) -> NDArray[np.float32]:
        raise RuntimeError("engine fault")


def test_a_scoring_failure_falls_back_to_the_rules_and_logs_no_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shared._Shared.failure_logged = False
    broken = Classifier(encoder=_Broken(), heads=keyword_heads())
    with use_classifier(broken), caplog.at_level(logging.WARNING):
        first = screen("I want to die, said in secret.")
        second = screen("I want to die, said in secret again.")
    assert first.labels == second.labels == ("crisis",)
    assert len(caplog.records) == 1
    assert "secret" not in caplog.text
    assert "RuntimeError" in caplog.text


# --- the real model --------------------------------------------------------------------------

CHEERFUL = (
    "We finally planted the tomatoes this weekend and the kids loved getting muddy. "
    "Sam made pancakes on Sunday and we ate them in the garden. "
    "The neighbours came over for tea and we laughed about the cat stealing a sock. "
    "Work has been calm and I even left early on Thursday to swim. "
)


def test_a_crisis_sentence_in_a_long_cheerful_text_is_found_where_it_is(
    real_classifier: Classifier,
) -> None:
    crisis = "I have been saving up my pills and tonight I am going to take them all."
    half = CHEERFUL * 6  # 1,674 characters
    text = f"{half}{crisis} {half}"
    assert len(text) > 3000
    result = screen(text)
    assert result.has("crisis")
    start, end = result.for_label("crisis")[0].span
    assert start <= text.index(crisis) < end
    assert end - start <= len(crisis) + 200  # the sentence (or the rule's words in it)
    assert not screen(f"{half} {half}").has("crisis")


# --- without the model -----------------------------------------------------------------------


def test_without_the_model_the_rules_screen_alone_and_operators_are_warned() -> None:
    with use_classifier(None, problem="heads.json: the heads file is missing"):
        assert screen("I want to die.").labels == ("crisis",)
        assert screen("I feel doomed.").labels == ()
        (warning,) = [p for p in check_safety_data() if p.id == "safety.W001"]
    assert "rules alone" in warning.msg
    assert "heads.json" in warning.msg


def test_a_missing_model_file_is_logged_once_and_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(HEADS_ENV, f"{tmp_path}/absent-heads.json")
    saved = (shared._Shared.loaded, shared._Shared.classifier, shared._Shared.problem)
    shared._Shared.loaded = False
    try:
        with caplog.at_level(logging.WARNING):
            assert screen("Everyone would be better off without me.").has("crisis")
            screen("A second text.")
            problem = classifier_problem()
    finally:
        shared._Shared.loaded, shared._Shared.classifier, shared._Shared.problem = saved
    assert problem is not None
    assert "absent-heads.json" in problem
    assert len(caplog.records) == 1
    assert "rules alone" in caplog.text
    assert "better off" not in caplog.text
