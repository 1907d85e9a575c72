from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.circles.repeat_words import describe, fallback

THURSDAY = date(2026, 12, 3)
SEVEN_PM = time(19, 0)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TH", "Every Thursday at 19:00"),
        ("FREQ=WEEKLY", "Every Thursday at 19:00"),
        ("FREQ=WEEKLY;INTERVAL=2", "Every 2 weeks on Thursday at 19:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "Every Monday and Thursday at 19:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE", "Every Monday, Tuesday and Wednesday at 19:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday, Monday to Friday at 19:00"),
        ("FREQ=DAILY", "Every day at 19:00"),
        ("FREQ=DAILY;INTERVAL=3", "Every 3 days at 19:00"),
        ("FREQ=DAILY;BYDAY=SA,SU", "Every Saturday and Sunday at 19:00"),
        ("FREQ=MONTHLY", "Every month on day 3 at 19:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "Every month on the last day at 19:00"),
        ("FREQ=MONTHLY;BYDAY=1MO", "Every month on the first Monday at 19:00"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday at 19:00"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "Every 3 months on day 15 at 19:00"),
        ("FREQ=YEARLY", "Every year on 3 December at 19:00"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "Every year on 29 February at 19:00"),
        ("FREQ=MONTHLY;BYDAY=1MO;COUNT=10", "Every month on the first Monday at 19:00, 10 times"),
        ("FREQ=WEEKLY;COUNT=1", "Every Thursday at 19:00, once"),
        (
            "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270601T000000Z",
            "Every Thursday at 19:00, until 1 June 2027",
        ),
        # What the words cannot say simply gets the fallback, never the rule's text.
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1", fallback()),
        ("FREQ=MONTHLY;BYDAY=MO,TU", fallback()),
        ("FREQ=MONTHLY;BYDAY=9MO", fallback()),
        ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", fallback()),
        ("FREQ=WEEKLY;BYDAY=XX", fallback()),
        ("FREQ=WEEKLY;INTERVAL=0", fallback()),
        ("FREQ=WEEKLY;FREQ=DAILY", fallback()),
        ("FREQ=DAILY;INTERVAL=2;BYDAY=MO", fallback()),
        ("INTERVAL=2", fallback()),
        ("", fallback()),
    ],
)
def test_rules_in_words(rule: str, words: str) -> None:
    assert describe(rule, start=THURSDAY, at=SEVEN_PM) == words


def test_the_time_is_the_meetings_own() -> None:
    assert describe("FREQ=WEEKLY", start=THURSDAY, at=time(7, 5)) == "Every Thursday at 07:05"


@given(st.text(alphabet="FREQ=WEKLYDAIMONTHBYS;,0123456789-+", max_size=60))
def test_any_text_gets_words_and_never_the_rule(rule: str) -> None:
    words = describe(rule, start=THURSDAY, at=SEVEN_PM)
    assert words
    assert "FREQ" not in words
