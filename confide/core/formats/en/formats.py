"""How Confide writes dates and times in English, the same on every page and in every email:
"30 November 2026", "30 November 2026, 05:22", "05:22". Templates use the names
(`|date:"DATE_FORMAT"`, `|date:"DATETIME_FORMAT"`, `|time:"TIME_FORMAT"`) instead of writing
patterns of their own, so that a language added later gets its own way of writing them."""

from __future__ import annotations

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
