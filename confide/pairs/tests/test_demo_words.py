"""The demo reads like a real pair's weeks: answers to their own prompts, no repeated weeks."""

from __future__ import annotations

import pytest

from confide.pairs import content, demo


def test_each_demo_answer_belongs_to_a_prompt_of_the_first_deck() -> None:
    deck = {prompt.id for prompt in content.prompts_at_level(1)}
    ids = [prompt_id for prompt_id, _mine, _theirs in demo.ANSWERS]
    assert set(ids) <= deck
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("days", [demo.ALEX_DAYS, demo.BLAKE_DAYS])
def test_no_demo_note_comes_back_in_the_three_weeks(
    days: list[tuple[int, str, str, str, bool]],
) -> None:
    notes = [days[n % len(days)][3] for n in range(demo.DAYS - 1)]
    written = [note for note in notes if note]
    assert len(set(written)) == len(written)
    for _mood, feelings, needs, _note, _shared in days:
        demo._words(feelings)
        demo._words(needs)
