"""The shipped word lists and prompts meet their minimums, and bad content fails loudly."""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from confide.pairs import content
from confide.pairs.content import (
    LEVEL_LABELS,
    LEVELS,
    TOPIC_LABELS,
    TOPICS,
    ContentError,
    Prompt,
    WordGroup,
    validate_groups,
    validate_prompts,
)

# --- the shipped content -------------------------------------------------------------------------


def test_feelings_meet_the_minimums() -> None:
    groups = content.feeling_groups()
    assert len(content.feeling_words()) >= 60
    assert 8 <= len(groups) <= 12
    assert {group.tone for group in groups} == {"pleasant", "painful"}
    for group in groups:
        assert 6 <= len(group.words) <= 10, group.id


def test_needs_meet_the_minimums() -> None:
    groups = content.need_groups()
    assert len(content.need_words()) >= 30
    assert len(groups) >= 6
    for group in groups:
        assert group.tone is None
        assert 6 <= len(group.words) <= 10, group.id


@pytest.mark.parametrize("groups", [content.feeling_groups, content.need_groups])
def test_words_are_unique_and_lowercase(groups: Any) -> None:
    words = [word for group in groups() for word in group.words]
    assert len(words) == len(set(words))
    for word in words:
        assert word == word.lower()
        assert word == word.strip()
        assert len(word) <= 24


def test_word_sets_match_the_groups() -> None:
    assert content.feeling_words() == {w for g in content.feeling_groups() for w in g.words}
    assert content.need_words() == {w for g in content.need_groups() for w in g.words}


def test_feelings_leave_out_judgements_of_the_other_person() -> None:
    # Words that describe what someone else did rather than what I feel.
    judgements = {"abandoned", "manipulated", "ignored", "betrayed", "rejected", "used", "attacked"}
    assert not judgements & content.feeling_words()


def test_prompts_meet_the_minimums() -> None:
    all_prompts = content.prompts()
    assert len(all_prompts) >= 120
    per_level = Counter(prompt.level for prompt in all_prompts)
    per_topic = Counter(prompt.topic for prompt in all_prompts)
    for level in LEVELS:
        assert per_level[level] >= 40, level
    for topic in TOPICS:
        assert per_topic[topic] >= 15, topic


def test_prompt_ids_and_texts_are_unique() -> None:
    all_prompts = content.prompts()
    assert len({prompt.id for prompt in all_prompts}) == len(all_prompts)
    assert len({prompt.text.casefold() for prompt in all_prompts}) == len(all_prompts)


def test_prompt_texts_are_single_sentences_that_end_properly() -> None:
    for prompt in content.prompts():
        assert prompt.text.endswith(("?", ".")), prompt.id
        assert len(prompt.text) <= 240, prompt.id
        assert "\n" not in prompt.text, prompt.id


def test_prompt_by_id_finds_and_misses() -> None:
    first = content.prompts()[0]
    assert content.prompt_by_id(first.id) is first
    assert content.prompt_by_id("no-such-prompt") is None


@pytest.mark.parametrize("level", LEVELS)
def test_prompts_at_level_returns_only_that_level(level: int) -> None:
    selected = content.prompts_at_level(level)
    assert selected
    assert all(prompt.level == level for prompt in selected)
    assert [p for p in content.prompts() if p.level == level] == list(selected)


@pytest.mark.parametrize("level", [0, 4, -1])
def test_prompts_at_unknown_level_is_empty(level: int) -> None:
    assert content.prompts_at_level(level) == ()


def test_prompts_for_topic() -> None:
    assert all(p.topic == "repair" for p in content.prompts_for_topic("repair"))
    assert content.prompts_for_topic("nope") == ()


def test_labels_cover_every_topic_and_level() -> None:
    assert set(TOPIC_LABELS) == set(TOPICS)
    assert set(LEVEL_LABELS) == set(LEVELS)
    assert str(LEVEL_LABELS[1]) == "Light"
    assert str(LEVEL_LABELS[3]) == "Deepest"
    prompt = content.prompts_at_level(2)[0]
    assert prompt.level_label == LEVEL_LABELS[2]
    assert prompt.topic_label == TOPIC_LABELS[prompt.topic]


def test_results_are_cached_and_frozen() -> None:
    assert content.prompts() is content.prompts()
    assert content.feeling_groups() is content.feeling_groups()
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.prompts()[0].text = "changed"  # type: ignore[misc]
    group = content.feeling_groups()[0]
    assert isinstance(group, WordGroup)
    assert isinstance(group.words, tuple)


# --- the validators ------------------------------------------------------------------------------

GOOD_FEELINGS: dict[str, Any] = {
    "group": [
        {"id": "calm", "label": "Calm", "tone": "pleasant", "words": ["peaceful", "at ease"]},
        {"id": "low", "label": "Low", "tone": "painful", "words": ["sad", "heavy-hearted"]},
    ]
}

GOOD_PROMPTS: dict[str, Any] = {
    "prompt": [
        {"id": "know-01", "level": 1, "topic": "getting-to-know", "text": "What made you smile?"},
        {"id": "repair-01", "level": 3, "topic": "repair", "text": "Tell me what helps."},
    ]
}


_DELETE = object()


def _changed(base: dict[str, Any], key: str, index: int, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    entry = data[key][index]
    for name, value in changes.items():
        if value is _DELETE:
            del entry[name]
        else:
            entry[name] = value
    return data


def test_good_groups_pass() -> None:
    groups = validate_groups(GOOD_FEELINGS, "feelings.toml", with_tone=True)
    assert groups == (
        WordGroup(id="calm", label="Calm", tone="pleasant", words=("peaceful", "at ease")),
        WordGroup(id="low", label="Low", tone="painful", words=("sad", "heavy-hearted")),
    )


def test_good_needs_pass_without_tone() -> None:
    data = {"group": [{"id": "rest", "label": "Rest", "words": ["sleep", "quiet"]}]}
    (group,) = validate_groups(data, "needs.toml", with_tone=False)
    assert group.tone is None


def test_good_prompts_pass() -> None:
    result = validate_prompts(GOOD_PROMPTS, "prompts.toml")
    assert result[1] == Prompt(id="repair-01", level=3, topic="repair", text="Tell me what helps.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({}, "expected at least one [[group]]", id="no-groups"),
        pytest.param({"group": []}, "expected at least one [[group]]", id="empty-list"),
        pytest.param({"group": ["calm"]}, "group #1: must be a table", id="not-a-table"),
        pytest.param(
            {**GOOD_FEELINGS, "extra": 1}, "unknown top-level key(s) ['extra']", id="extra-top"
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 1, id="calm"),
            "group 'calm': duplicate id 'calm'",
            id="duplicate-id",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, id="Calm Words"),
            "must be a slug",
            id="bad-slug",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, id=7),
            "id 7 must be a slug",
            id="id-not-string",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 1, words=["sad", "peaceful"]),
            "group 'low': duplicate word 'peaceful' (also in group 'calm')",
            id="duplicate-word-across-groups",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, words=["calm", "calm"]),
            "duplicate word 'calm'",
            id="duplicate-word-in-group",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, words=["Peaceful"]),
            "word 'Peaceful' must be lowercase",
            id="uppercase-word",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, words=[" calm"]),
            "word ' calm' must be lowercase letters",
            id="padded-word",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, words=["x" * 25]),
            "is 25 characters; at most 24 allowed",
            id="long-word",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, words=[3]),
            "word 3 must be a string",
            id="word-not-string",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, words=[]),
            "words must be a non-empty list",
            id="no-words",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, tone="neutral"),
            "group 'calm': tone 'neutral' must be one of ['pleasant', 'painful']",
            id="bad-tone",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, tone=_DELETE),
            "group 'calm': missing key(s) ['tone']",
            id="missing-tone",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, colour="blue"),
            "unknown key(s) ['colour']",
            id="unknown-key",
        ),
        pytest.param(
            _changed(GOOD_FEELINGS, "group", 0, label=""),
            "label must be a non-empty string",
            id="empty-label",
        ),
    ],
)
def test_validate_groups_rejects(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ContentError) as caught:
        validate_groups(data, "feelings.toml", with_tone=True)
    assert str(caught.value).startswith("feelings.toml")
    assert message in str(caught.value)


def test_needs_may_not_have_a_tone() -> None:
    data = {"group": [{"id": "rest", "label": "Rest", "tone": "pleasant", "words": ["sleep"]}]}
    with pytest.raises(
        ContentError, match=r"needs\.toml: group 'rest': unknown key\(s\) \['tone'\]"
    ):
        validate_groups(data, "needs.toml", with_tone=False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"id": "repair-01"}, "prompt 'repair-01': duplicate id", id="duplicate-id"),
        pytest.param({"id": "Know 1"}, "id 'Know 1' must be a slug", id="bad-slug"),
        pytest.param({"id": _DELETE}, "prompt #2: missing key(s) ['id']", id="missing-id"),
        pytest.param({"level": 0}, "level 0 must be one of [1, 2, 3]", id="level-zero"),
        pytest.param({"level": 4}, "level 4 must be one of [1, 2, 3]", id="level-four"),
        pytest.param({"level": "2"}, "level '2' must be one of", id="level-string"),
        pytest.param({"level": True}, "level True must be one of", id="level-bool"),
        pytest.param({"level": 1.0}, "level 1.0 must be one of", id="level-float"),
        pytest.param({"topic": "sports"}, "unknown topic 'sports'", id="unknown-topic"),
        pytest.param({"topic": _DELETE}, "missing key(s) ['topic']", id="missing-topic"),
        pytest.param({"text": ""}, "text must be a non-empty string", id="empty-text"),
        pytest.param({"text": "   "}, "text must be a non-empty string", id="blank-text"),
        pytest.param({"text": None}, "text must be a non-empty string", id="text-not-string"),
        pytest.param(
            {"text": "x" * 240 + "?"},
            "text is 241 characters; at most 240 allowed",
            id="long-text",
        ),
        pytest.param(
            {"text": " What made you smile?"}, "must be one line without", id="padded-text"
        ),
        pytest.param({"text": "What?\nAnd why?"}, "must be one line without", id="two-lines"),
        pytest.param({"text": "What made you smile"}, "text must end with", id="no-ending"),
        pytest.param(
            {"text": "tell me what HELPS."},
            "same text as prompt 'repair-01'",
            id="duplicate-text",
        ),
        pytest.param({"mood": 3}, "unknown key(s) ['mood']", id="unknown-key"),
    ],
)
def test_validate_prompts_rejects(changes: dict[str, Any], message: str) -> None:
    # The duplicate-text case needs the changed prompt after the one it copies.
    data = copy.deepcopy(GOOD_PROMPTS)
    data["prompt"].reverse()
    data = _changed(data, "prompt", 1, **changes)
    with pytest.raises(ContentError) as caught:
        validate_prompts(data, "prompts.toml")
    assert str(caught.value).startswith("prompts.toml: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="empty"),
        pytest.param({"prompts": []}, id="wrong-key"),
        pytest.param({"prompt": {"id": "a"}}, id="not-a-list"),
    ],
)
def test_validate_prompts_rejects_bad_shape(data: dict[str, Any]) -> None:
    with pytest.raises(ContentError, match=r"^prompts\.toml: "):
        validate_prompts(data, "prompts.toml")


def test_content_error_carries_its_parts() -> None:
    error = ContentError("prompts.toml", "duplicate id 'a'", "prompt 'a'")
    assert (error.source, error.entry, error.problem) == (
        "prompts.toml",
        "prompt 'a'",
        "duplicate id 'a'",
    )
    assert str(error) == "prompts.toml: prompt 'a': duplicate id 'a'"


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[[prompt]\nid = ", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^broken\.toml: not valid TOML"):
        content.load_toml("broken.toml", tmp_path)
