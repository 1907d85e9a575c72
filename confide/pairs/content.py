"""Project-written content for the pair space: feeling and need words, conversation prompts.

The content lives in TOML files under ``data/`` next to this module so that it can be reviewed
and translated like text, not code. Everything here is pure (no database): the files are read
once, validated, and returned as frozen dataclasses. A file that breaks a rule raises
``ContentError`` naming the file and the entry, so a bad edit fails loudly at start-up or in
the test suite instead of showing up as a half-empty page.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DATA_DIR: Final = Path(__file__).resolve().parent / "data"

FEELINGS_FILE: Final = "feelings.toml"
NEEDS_FILE: Final = "needs.toml"
PROMPTS_FILE: Final = "prompts.toml"

TONES: Final = ("pleasant", "painful")
TOPICS: Final = (
    "getting-to-know",
    "inner-world",
    "dreams",
    "appreciation",
    "repair",
    "recovery",
)
LEVELS: Final = (1, 2, 3)

TOPIC_LABELS: Final[dict[str, Promise]] = {
    "getting-to-know": _("Getting to know each other"),
    "inner-world": _("Inner world"),
    "dreams": _("Dreams"),
    "appreciation": _("Appreciation"),
    "repair": _("Repair"),
    "recovery": _("Recovery"),
}
LEVEL_LABELS: Final[dict[int, Promise]] = {1: _("Light"), 2: _("Deeper"), 3: _("Deepest")}

MAX_WORD_LENGTH: Final = 24
MAX_LABEL_LENGTH: Final = 60
MAX_PROMPT_LENGTH: Final = 240
PROMPT_ENDINGS: Final = ("?", ".")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Lowercase letters, with single spaces, hyphens or apostrophes between them ("worn out").
_WORD = re.compile(r"[a-z]+(?:[ '-][a-z]+)*")

_GROUP_KEYS_WITH_TONE: Final = frozenset({"id", "label", "tone", "words"})
_GROUP_KEYS: Final = frozenset({"id", "label", "words"})
_PROMPT_KEYS: Final = frozenset({"id", "level", "topic", "text"})


class ContentError(ValueError):
    """A content file breaks a rule. ``str()`` names the file, the entry and the problem."""

    def __init__(self, source: str, problem: str, entry: str | None = None) -> None:
        self.source = source
        self.entry = entry
        self.problem = problem
        where = f"{source}: {entry}" if entry else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class WordGroup:
    """A labelled group of feeling or need words. ``tone`` is None for needs."""

    id: str
    label: str
    tone: str | None
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Prompt:
    """One conversation prompt; both partners answer it and see the answers together."""

    id: str
    level: int
    topic: str
    text: str

    @property
    def level_label(self) -> Promise:
        return LEVEL_LABELS[self.level]

    @property
    def topic_label(self) -> Promise:
        return TOPIC_LABELS[self.topic]


# --- validation ----------------------------------------------------------------------------------


def _entries(data: Mapping[str, Any], key: str, source: str) -> list[Mapping[str, Any]]:
    """The list of tables under ``[[key]]``, after checking that nothing else is in the file."""
    extra = sorted(set(data) - {key})
    if extra:
        raise ContentError(source, f"unknown top-level key(s) {extra}; expected only [[{key}]]")
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        raise ContentError(source, f"expected at least one [[{key}]] table")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            raise ContentError(source, "must be a table", f"{key} #{number}")
    return entries


def _check_keys(entry: Mapping[str, Any], allowed: frozenset[str], source: str, where: str) -> None:
    missing = sorted(allowed - set(entry))
    if missing:
        raise ContentError(source, f"missing key(s) {missing}", where)
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ContentError(source, f"unknown key(s) {unknown}", where)


def _slug(value: object, source: str, where: str, seen: set[str]) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise ContentError(
            source, f"id {value!r} must be a slug of lowercase letters, digits and hyphens", where
        )
    if value in seen:
        raise ContentError(source, f"duplicate id {value!r}", where)
    seen.add(value)
    return value


def _text(value: object, field: str, max_length: int, source: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(source, f"{field} must be a non-empty string", where)
    if value != value.strip() or "\n" in value:
        raise ContentError(
            source, f"{field} must be one line without surrounding whitespace", where
        )
    if len(value) > max_length:
        raise ContentError(
            source, f"{field} is {len(value)} characters; at most {max_length} allowed", where
        )
    return value


def _words(value: object, source: str, where: str, seen: dict[str, str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ContentError(source, "words must be a non-empty list of strings", where)
    group_id = where
    words: list[str] = []
    for word in value:
        if not isinstance(word, str):
            raise ContentError(source, f"word {word!r} must be a string", where)
        if len(word) > MAX_WORD_LENGTH:
            raise ContentError(
                source,
                f"word {word!r} is {len(word)} characters; at most {MAX_WORD_LENGTH} allowed",
                where,
            )
        if not _WORD.fullmatch(word):
            raise ContentError(
                source,
                f"word {word!r} must be lowercase letters, with single spaces, hyphens or "
                "apostrophes between them",
                where,
            )
        if word in seen:
            raise ContentError(source, f"duplicate word {word!r} (also in {seen[word]})", where)
        seen[word] = group_id
        words.append(word)
    return tuple(words)


def validate_groups(
    data: Mapping[str, Any], source: str, *, with_tone: bool
) -> tuple[WordGroup, ...]:
    """Check a parsed word-list file (``[[group]]`` tables) and return its groups.

    ``with_tone`` is True for feelings (each group is "pleasant" or "painful") and False for
    needs (no tone key allowed). Words must be unique across the whole file.
    """
    allowed = _GROUP_KEYS_WITH_TONE if with_tone else _GROUP_KEYS
    seen_ids: set[str] = set()
    seen_words: dict[str, str] = {}
    groups: list[WordGroup] = []
    for number, entry in enumerate(_entries(data, "group", source), start=1):
        where = f"group #{number}"
        if isinstance(entry.get("id"), str):
            where = f"group {entry['id']!r}"
        _check_keys(entry, allowed, source, where)
        group_id = _slug(entry["id"], source, where, seen_ids)
        label = _text(entry["label"], "label", MAX_LABEL_LENGTH, source, where)
        tone: str | None = None
        if with_tone:
            tone = entry["tone"]
            if tone not in TONES:
                raise ContentError(source, f"tone {tone!r} must be one of {list(TONES)}", where)
        words = _words(entry["words"], source, where, seen_words)
        groups.append(WordGroup(id=group_id, label=label, tone=tone, words=words))
    return tuple(groups)


def validate_prompts(data: Mapping[str, Any], source: str) -> tuple[Prompt, ...]:
    """Check a parsed prompts file (``[[prompt]]`` tables) and return its prompts in order."""
    seen_ids: set[str] = set()
    seen_texts: dict[str, str] = {}
    result: list[Prompt] = []
    for number, entry in enumerate(_entries(data, "prompt", source), start=1):
        where = f"prompt #{number}"
        if isinstance(entry.get("id"), str):
            where = f"prompt {entry['id']!r}"
        _check_keys(entry, _PROMPT_KEYS, source, where)
        prompt_id = _slug(entry["id"], source, where, seen_ids)
        level = entry["level"]
        # bool is an int subclass; `level = true` is a typo, not level 1.
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            raise ContentError(source, f"level {level!r} must be one of {list(LEVELS)}", where)
        topic = entry["topic"]
        if topic not in TOPICS:
            raise ContentError(
                source, f"unknown topic {topic!r}; expected one of {list(TOPICS)}", where
            )
        text = _text(entry["text"], "text", MAX_PROMPT_LENGTH, source, where)
        if not text.endswith(PROMPT_ENDINGS):
            raise ContentError(source, f"text must end with one of {list(PROMPT_ENDINGS)}", where)
        key = " ".join(text.casefold().split())
        if key in seen_texts:
            raise ContentError(source, f"same text as prompt {seen_texts[key]!r}", where)
        seen_texts[key] = prompt_id
        result.append(Prompt(id=prompt_id, level=level, topic=topic, text=text))
    return tuple(result)


# --- loading -------------------------------------------------------------------------------------


def load_toml(name: str, directory: Path = DATA_DIR) -> dict[str, Any]:
    """Parse one content file; a syntax error becomes a ContentError naming the file."""
    try:
        with (directory / name).open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(name, f"not valid TOML: {exc}") from exc


@cache
def feeling_groups() -> tuple[WordGroup, ...]:
    return validate_groups(load_toml(FEELINGS_FILE), FEELINGS_FILE, with_tone=True)


@cache
def need_groups() -> tuple[WordGroup, ...]:
    return validate_groups(load_toml(NEEDS_FILE), NEEDS_FILE, with_tone=False)


@cache
def feeling_words() -> frozenset[str]:
    return frozenset(word for group in feeling_groups() for word in group.words)


@cache
def need_words() -> frozenset[str]:
    return frozenset(word for group in need_groups() for word in group.words)


@cache
def prompts() -> tuple[Prompt, ...]:
    return validate_prompts(load_toml(PROMPTS_FILE), PROMPTS_FILE)


@cache
def _prompts_by_id() -> dict[str, Prompt]:
    return {prompt.id: prompt for prompt in prompts()}


@cache
def _prompts_by_level() -> dict[int, tuple[Prompt, ...]]:
    return {
        level: tuple(prompt for prompt in prompts() if prompt.level == level) for level in LEVELS
    }


def prompt_by_id(prompt_id: str) -> Prompt | None:
    """The prompt with this id, or None (ids come from stored answers and may be retired)."""
    return _prompts_by_id().get(prompt_id)


def prompts_at_level(level: int) -> tuple[Prompt, ...]:
    """Prompts of one level in file order; empty for a level that does not exist."""
    return _prompts_by_level().get(level, ())


def prompts_for_topic(topic: str) -> tuple[Prompt, ...]:
    """Prompts of one topic in file order; empty for an unknown topic."""
    return tuple(prompt for prompt in prompts() if prompt.topic == topic)


# The few words the check-in shows first; the rest open under "More feelings" / "More needs".
# Chosen to span both tones and the common needs, so most days need no more than these.
COMMON_FEELINGS: Final = (
    "content",
    "happy",
    "grateful",
    "tired",
    "worried",
    "sad",
    "frustrated",
    "lonely",
)
COMMON_NEEDS: Final = ("rest", "closeness", "to be heard", "support", "space", "fun")


@cache
def painful_feeling_words() -> frozenset[str]:
    return frozenset(w for g in feeling_groups() if g.tone == "painful" for w in g.words)
