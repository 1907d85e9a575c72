from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from confide.measures.instrument import InstrumentError, parse_instrument
from confide.measures.registry import BUILTIN_DIR
from confide.measures.tomlpos import KeyLines
from confide.pairs.forms import RATING_CHOICES
from confide.pairs.models import RATING_RANGE

GOOD = (BUILTIN_DIR / "weekly-closeness.toml").read_text()


def _problems(source: str) -> list[tuple[int | None, str]]:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(source)
    return [(p.line, p.message) for p in caught.value.problems]


def _line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


def test_every_shipped_instrument_is_valid() -> None:
    ids = {parse_instrument(p.read_text()).id for p in BUILTIN_DIR.glob("*.toml")}
    assert ids == {
        "weekly-closeness",
        "closeness-picture",
        "felt-understood",
        "circle-belonging",
        "meeting-rating",
    }


def test_the_weekly_check_has_six_items_a_reversed_one_and_two_subscales() -> None:
    weekly = parse_instrument(GOOD)
    assert len(weekly.items) == 6
    assert weekly.reverse == {"held-back"}
    assert [s.id for s in weekly.scales] == ["total", "attuned", "valued"]
    assert weekly.range == (1.0, 5.0)
    assert (weekly.audience, weekly.cadence) == ("pair", "weekly")


def test_the_closeness_picture_has_seven_points() -> None:
    picture = parse_instrument((BUILTIN_DIR / "closeness-picture.toml").read_text())
    assert [v for v, _ in picture.points] == [1, 2, 3, 4, 5, 6, 7]
    assert picture.widget == "circles"


def test_felt_understood_is_the_same_scale_the_check_ins_use() -> None:
    rating = parse_instrument((BUILTIN_DIR / "felt-understood.toml").read_text())
    assert (rating.low, rating.high) == RATING_RANGE
    assert [v for v, _ in rating.points] == [v for v, _ in RATING_CHOICES]
    for (_, label), (_, check_in_label) in zip(rating.points, RATING_CHOICES, strict=True):
        assert label.lower() in str(check_in_label).lower()


def test_circle_measures_are_for_circle_members() -> None:
    for name in ("circle-belonging", "meeting-rating"):
        instrument = parse_instrument((BUILTIN_DIR / f"{name}.toml").read_text())
        assert instrument.audience == "circle member"
    meeting = parse_instrument((BUILTIN_DIR / "meeting-rating.toml").read_text())
    assert 3 <= len(meeting.items) <= 4


def test_key_lines_finds_tables_arrays_of_tables_and_keys() -> None:
    lines = KeyLines(GOOD)
    assert lines.line_of(("id",)) == _line_of(GOOD, 'id = "weekly-closeness"')
    assert lines.line_of(("items", 2, "text")) == _line_of(GOOD, "I kept something tender")
    assert lines.line_of(("scoring", "reverse")) == _line_of(GOOD, "reverse = ")
    # A key that is not in the file resolves to its nearest enclosing table.
    assert lines.line_of(("scoring", "nothing")) == _line_of(GOOD, "[scoring]")


@pytest.mark.parametrize(
    ("change", "marker", "message"),
    [
        (
            ("max_missing = 1\nprorate", "max_missing = 1\ncolour = 3\nprorate"),
            "colour = 3",
            "unknown key 'scoring.colour'",
        ),
        (
            ('reverse = ["held-back"]', 'reverse = ["nobody"]'),
            'reverse = ["nobody"]',
            "scoring.reverse names item 'nobody', which does not exist",
        ),
        (
            ("min = 1\nmax = 5", "min = 1\nmax = 1"),
            "max = 1",
            "the response scale needs at least two points",
        ),
        (("range = [1, 5]", "range = [1, 6]"), "range = [1, 6]", "'scoring.range' must be [1, 5]"),
        (
            ('id = "heard"', 'id = "understood"'),
            'id = "understood"#2',
            "item id 'understood' is used twice",
        ),
        (
            ('audience = "pair"', 'audience = "couples"'),
            'audience = "couples"',
            "'audience' must be one of person, pair, circle member",
        ),
        (("version = 1", 'version = "one"'), 'version = "one"', "'version' must be a whole number"),
        (('method = "mean"', 'method = "median"'), 'method = "median"', "'scoring.method' must be"),
        (
            ('items = ["understood", "heard", "turned-toward"]', 'items = ["understood", "gone"]'),
            '"gone"]',
            "the subscale names item 'gone', which does not exist",
        ),
    ],
)
def test_schema_errors_name_the_line_of_the_offending_key(
    change: tuple[str, str], marker: str, message: str
) -> None:
    old, new = change
    assert old in GOOD
    source = GOOD.replace(old, new, 1)
    problems = _problems(source)
    text, _, nth = marker.partition("#")
    matches = [n for n, line in enumerate(source.splitlines(), 1) if text in line]
    expected_line = matches[int(nth or 1) - 1]
    assert any(line == expected_line and message in text for line, text in problems), problems


def test_a_missing_key_is_reported_at_its_table() -> None:
    source = GOOD.replace('method = "mean"\n', "", 1)
    assert (_line_of(source, "[scoring]"), "'scoring.method' is missing") in _problems(source)


def test_malformed_toml_reports_the_parsers_line() -> None:
    source = GOOD.replace("[scoring]", "[scoring", 1)
    [(line, message)] = _problems(source)
    assert line == _line_of(source, "[scoring")
    assert message.startswith("not valid TOML")


def test_a_sum_with_missing_items_must_be_prorated() -> None:
    source = (
        GOOD.replace('method = "mean"', 'method = "sum"')
        .replace("prorate = true", "prorate = false")
        .replace("range = [1, 5]", "range = [6, 30]")
    )
    assert any("must be prorated" in m for _, m in _problems(source))


def test_check_command_passes_good_files(tmp_path: Path) -> None:
    out = StringIO()
    call_command("instruments", "check", *sorted(BUILTIN_DIR.glob("*.toml")), stdout=out)
    assert out.getvalue().count(": ok (") == 5


def test_check_command_prints_each_error_with_its_line_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    source = GOOD.replace('reverse = ["held-back"]', 'reverse = ["nobody"]').replace(
        "max_missing = 1\nprorate", "max_missing = 1\ncolour = 3\nprorate"
    )
    bad.write_text(source)
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\nversion = 1\n[scale\n')
    good = BUILTIN_DIR / "weekly-closeness.toml"
    err, out = StringIO(), StringIO()
    with pytest.raises(CommandError, match="2 of 3 file"):
        call_command("instruments", "check", good, bad, broken, stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert f"{bad}:{_line_of(source, 'colour = 3')}: unknown key 'scoring.colour'" in lines
    assert (
        f"{bad}:{_line_of(source, 'reverse = ')}: scoring.reverse names item 'nobody', "
        "which does not exist"
    ) in lines
    assert any(line.startswith(f"{broken}:3: not valid TOML") for line in lines)
    assert f"{good}: ok" in out.getvalue()


def test_check_command_reports_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("instruments", "check", tmp_path / "missing.toml", stderr=StringIO())
