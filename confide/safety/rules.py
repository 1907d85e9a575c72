"""Loading and checking the screening rules under ``data/<locale>/``.

The rules are project-written TOML files so that they can be reviewed like text, not code:

- ``macros.toml``: ``[macros]`` named regular-expression pieces, used in patterns as ``{name}``;
- ``context.toml``: cue lists for the guards (negation, idiom, past, resolved, ...);
- ``crisis.toml``, ``fear.toml``, ``harsh.toml``, ``slur.toml``: one label each, with a default
  ``guards`` list and ``[[rule]]`` tables (``id``, ``subtype``, ``patterns``, optional ``guards``
  and ``unless_after``). Any other top-level list of words (``groups = [...]``) becomes a macro
  named by its singular (``{group}``), matching any one of the words.

Everything is read once, checked and compiled; a file that breaks a rule raises
:class:`SafetyDataError` naming the file, the entry and the problem.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

DATA_DIR: Final = Path(__file__).resolve().parent / "data"
DEFAULT_LOCALE: Final = "en"

LABELS: Final = ("crisis", "fear", "harsh", "slur")
SUBTYPES: Final[dict[str, tuple[str, ...]]] = {
    "crisis": ("suicide", "self-harm", "harm-others", "someone-else"),
    "fear": ("fear", "violence", "control", "threat", "coercion", "verbal-abuse"),
    "harsh": ("criticism", "contempt", "defensiveness", "stonewalling"),
    "slur": ("slur", "group-attack"),
}
GUARDS: Final = ("negation", "idiom", "past", "fiction", "asked", "reported", "positive", "pause")
# Context sections: each is a table of named regular-expression lists (or single expressions).
CONTEXT_SECTIONS: Final[dict[str, tuple[str, ...]]] = {
    "negation": ("cues", "exceptions", "after"),
    "idiom": ("patterns",),
    "past": ("patterns",),
    "resolved": ("patterns",),
    "fiction": ("patterns",),
    "asked": ("patterns",),
    "reported": ("patterns",),
    "positive": ("patterns",),
    "pause": ("patterns",),
    "subject": ("other", "self"),
}

FLAGS: Final = re.IGNORECASE
_MACRO = re.compile(r"\{([a-z_]+)\}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD = re.compile(r"[a-z]+(?:[ '-][a-z]+)*")
_MACRO_NAME = re.compile(r"[a-z_]+")
_RULE_KEYS: Final = frozenset({"id", "subtype", "patterns", "guards", "unless_after"})
_MAX_MACRO_DEPTH: Final = 5


class SafetyDataError(ValueError):
    """A safety data file breaks a rule. ``str()`` names the file, the entry and the problem."""

    def __init__(self, source: str, problem: str, entry: str | None = None) -> None:
        self.source = source
        self.entry = entry
        self.problem = problem
        where = f"{source}: {entry}" if entry else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Matcher:
    """One compiled pattern and the words at least one of which any match must contain.

    ``needles`` lets the screener skip the pattern with a cheap ``in`` test on the lowercased
    text; None means "no such words" (the pattern always runs).
    """

    regex: re.Pattern[str]
    needles: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Rule:
    label: str
    subtype: str
    id: str
    matchers: tuple[Matcher, ...]
    guards: frozenset[str]
    unless_after: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Context:
    """Compiled cue expressions, one per list (alternatives joined)."""

    cues: dict[str, re.Pattern[str]]

    def __getitem__(self, key: str) -> re.Pattern[str]:
        return self.cues[key]


@dataclass(frozen=True, slots=True)
class RuleSet:
    locale: str
    rules: tuple[Rule, ...]
    context: Context


def load_toml(path: Path) -> dict[str, Any]:
    """Parse one data file; a missing file or a syntax error names the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SafetyDataError(path.name, "file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SafetyDataError(path.name, f"not valid TOML: {exc}") from exc


def _expand(pattern: str, macros: Mapping[str, str], source: str, where: str) -> str:
    for _ in range(_MAX_MACRO_DEPTH):
        unknown = sorted({name for name in _MACRO.findall(pattern) if name not in macros})
        if unknown:
            raise SafetyDataError(source, f"unknown macro(s) {unknown}", where)
        expanded = _MACRO.sub(lambda match: macros[match.group(1)], pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise SafetyDataError(source, "macros nest too deeply (a macro may refer to itself)", where)


def _compile(patterns: list[str], source: str, where: str) -> re.Pattern[str]:
    joined = "|".join(f"(?:{pattern})" for pattern in patterns)
    try:
        regex = re.compile(joined, FLAGS)
    except re.error as exc:
        # Compile one by one to say which pattern is broken.
        for number, pattern in enumerate(patterns, start=1):
            try:
                re.compile(pattern, FLAGS)
            except re.error as inner:
                raise SafetyDataError(
                    source, f"pattern #{number} is not a valid regular expression: {inner}", where
                ) from inner
        raise SafetyDataError(source, f"patterns do not combine: {exc}", where) from exc
    return regex


# The regular-expression parser is private (stable since 3.11, untyped); it is only used to find
# needles, and any surprise from it just turns that shortcut off.
_sre_parser: Any = importlib.import_module("re._parser")
_REPEATS: Final = (
    _sre_parser.MAX_REPEAT,
    _sre_parser.MIN_REPEAT,
    _sre_parser.POSSESSIVE_REPEAT,
)


def _shortest(needles: tuple[str, ...] | None) -> int:
    return min(len(needle) for needle in needles) if needles else 0


def _required(items: Any) -> tuple[str, ...] | None:
    """Literal strings, one of which every match of this parsed sequence contains (or None)."""
    best: tuple[str, ...] | None = None
    run: list[str] = []

    def consider(candidate: tuple[str, ...] | None) -> None:
        nonlocal best
        if candidate and _shortest(candidate) > _shortest(best):
            best = candidate

    for op, value in items:
        if op is _sre_parser.LITERAL:
            run.append(chr(value))
            continue
        if run:
            consider(("".join(run).lower(),))
            run = []
        if op is _sre_parser.SUBPATTERN:
            consider(_required(value[-1]))
        elif op is _sre_parser.ATOMIC_GROUP:
            consider(_required(value))
        elif op is _sre_parser.BRANCH:
            branches = [_required(branch) for branch in value[1]]
            if all(branches):
                consider(tuple(dict.fromkeys(n for branch in branches if branch for n in branch)))
        elif op in _REPEATS and value[0] >= 1:
            consider(_required(value[2]))
    if run:
        consider(("".join(run).lower(),))
    return best


def needles_for(pattern: str) -> tuple[str, ...] | None:
    """Words that every match of ``pattern`` contains one of (lowercase), or None."""
    try:
        return _required(_sre_parser.parse(pattern, FLAGS))
    except Exception:  # noqa: BLE001 - any surprise just turns the shortcut off
        return None


def _matchers(patterns: list[str], source: str, where: str) -> tuple[Matcher, ...]:
    result = []
    for pattern in patterns:
        regex = _compile([pattern], source, where)
        if regex.search(""):
            raise SafetyDataError(source, f"pattern {pattern!r} matches the empty text", where)
        result.append(Matcher(regex=regex, needles=needles_for(pattern)))
    return tuple(result)


def _patterns(
    value: object, source: str, where: str, macros: Mapping[str, str], *, allow_empty: bool = False
) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or (not value and not allow_empty):
        raise SafetyDataError(source, "expected a non-empty list of patterns", where)
    result: list[str] = []
    for number, pattern in enumerate(value, start=1):
        if not isinstance(pattern, str) or not pattern.strip():
            raise SafetyDataError(source, f"pattern #{number} must be a non-empty string", where)
        result.append(_expand(pattern, macros, source, where))
    return result


def load_macros(directory: Path) -> dict[str, str]:
    source = "macros.toml"
    data = load_toml(directory / source)
    if set(data) != {"macros"} or not isinstance(data["macros"], Mapping):
        raise SafetyDataError(source, "expected only a [macros] table")
    macros: dict[str, str] = {}
    for name, value in data["macros"].items():
        if not _MACRO_NAME.fullmatch(name):
            raise SafetyDataError(source, "macro names are lowercase letters and _", name)
        if not isinstance(value, str) or not value:
            raise SafetyDataError(source, "a macro must be a non-empty string", name)
        macros[name] = _expand(value, macros, source, name)
        _compile([macros[name]], source, name)
    return macros


def load_context(directory: Path, macros: Mapping[str, str]) -> Context:
    source = "context.toml"
    data = load_toml(directory / source)
    missing = sorted(set(CONTEXT_SECTIONS) - set(data))
    unknown = sorted(set(data) - set(CONTEXT_SECTIONS))
    if missing or unknown:
        raise SafetyDataError(
            source,
            f"sections must be exactly {sorted(CONTEXT_SECTIONS)} (missing {missing}, "
            f"unknown {unknown})",
        )
    cues: dict[str, re.Pattern[str]] = {}
    for section, keys in CONTEXT_SECTIONS.items():
        table = data[section]
        if not isinstance(table, Mapping) or set(table) != set(keys):
            raise SafetyDataError(source, f"expected exactly the keys {list(keys)}", f"[{section}]")
        for key in keys:
            where = f"[{section}] {key}"
            cues[f"{section}.{key}"] = _compile(
                _patterns(table[key], source, where, macros), source, where
            )
    return Context(cues=cues)


def _word_list(value: object, source: str, key: str) -> str:
    if not isinstance(value, list) or not value:
        raise SafetyDataError(source, "expected a non-empty list of words", key)
    seen: set[str] = set()
    for word in value:
        if not isinstance(word, str) or not _WORD.fullmatch(word):
            raise SafetyDataError(
                source, f"{word!r} must be lowercase words with single spaces between", key
            )
        if word in seen:
            raise SafetyDataError(source, f"duplicate word {word!r}", key)
        seen.add(word)
    # Longest first, so "black people" wins over a shorter word at the same place.
    ordered = sorted(seen, key=lambda word: (-len(word), word))
    return "(?:" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered) + ")"


def _guards(value: object, source: str, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(guard, str) for guard in value):
        raise SafetyDataError(source, "guards must be a list of names", where)
    unknown = sorted(set(value) - set(GUARDS))
    if unknown:
        raise SafetyDataError(source, f"unknown guard(s) {unknown}; expected {list(GUARDS)}", where)
    return frozenset(value)


def validate_label_file(
    data: Mapping[str, Any], source: str, macros: Mapping[str, str]
) -> list[Rule]:
    """Check one label file (crisis.toml, ...) and compile its rules."""
    label = data.get("label")
    if label not in LABELS:
        raise SafetyDataError(source, f"label {label!r} must be one of {list(LABELS)}")
    default_guards = _guards(data.get("guards", []), source, "guards")
    local = dict(macros)
    for key, value in data.items():
        if key in {"label", "guards", "rule"}:
            continue
        if not key.endswith("s") or not _MACRO_NAME.fullmatch(key):
            raise SafetyDataError(source, "unknown top-level key; word lists are plural", key)
        local[key[:-1]] = _word_list(value, source, key)
    entries = data.get("rule")
    if not isinstance(entries, list) or not entries:
        raise SafetyDataError(source, "expected at least one [[rule]] table")
    seen: set[str] = set()
    return [
        _rule(entry, number, label, source, local, default_guards, seen)
        for number, entry in enumerate(entries, start=1)
    ]


def _rule(
    entry: object,
    number: int,
    label: str,
    source: str,
    macros: Mapping[str, str],
    default_guards: frozenset[str],
    seen: set[str],
) -> Rule:
    where = f"rule #{number}"
    if not isinstance(entry, Mapping):
        raise SafetyDataError(source, "must be a table", where)
    if isinstance(entry.get("id"), str):
        where = f"rule {entry['id']!r}"
    missing = sorted({"id", "subtype", "patterns"} - set(entry))
    unknown = sorted(set(entry) - _RULE_KEYS)
    if missing or unknown:
        raise SafetyDataError(source, f"missing key(s) {missing}, unknown key(s) {unknown}", where)
    rule_id = entry["id"]
    if not isinstance(rule_id, str) or not _SLUG.fullmatch(rule_id) or rule_id in seen:
        raise SafetyDataError(source, f"id {rule_id!r} must be a unique slug", where)
    seen.add(rule_id)
    subtype = entry["subtype"]
    if subtype not in SUBTYPES[label]:
        raise SafetyDataError(
            source, f"subtype {subtype!r} must be one of {list(SUBTYPES[label])}", where
        )
    unless = None
    if "unless_after" in entry:
        unless = _compile(_patterns(entry["unless_after"], source, where, macros), source, where)
    return Rule(
        label=label,
        subtype=subtype,
        id=rule_id,
        matchers=_matchers(_patterns(entry["patterns"], source, where, macros), source, where),
        guards=_guards(entry["guards"], source, where) if "guards" in entry else default_guards,
        unless_after=unless,
    )


def load_ruleset(directory: Path, locale: str = DEFAULT_LOCALE) -> RuleSet:
    macros = load_macros(directory)
    context = load_context(directory, macros)
    rules: list[Rule] = []
    for label in LABELS:
        source = f"{label}.toml"
        data = load_toml(directory / source)
        if data.get("label") != label:
            raise SafetyDataError(source, f"label must be {label!r}")
        rules.extend(validate_label_file(data, source, macros))
    return RuleSet(locale=locale, rules=tuple(rules), context=context)


@cache
def available_locales() -> tuple[str, ...]:
    return tuple(
        sorted(path.name for path in DATA_DIR.iterdir() if (path / "macros.toml").exists())
    )


def ruleset(locale: str = DEFAULT_LOCALE) -> RuleSet:
    """The rules for a language ("en-gb" uses "en"); English when the language has none.

    People often mix languages, and a missing rule set must never turn screening off.
    """
    base = locale.lower().replace("_", "-").split("-")[0]
    if base not in available_locales():
        base = DEFAULT_LOCALE
    return _ruleset(base)


@cache
def _ruleset(base: str) -> RuleSet:
    return load_ruleset(DATA_DIR / base, base)
