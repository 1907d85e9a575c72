from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.accounts.models import User
from confide.notifications.models import Notification
from confide.pairs import content
from confide.pairs.models import Pair, PromptAnswer, PromptRound
from confide.pairs.services import PairError
from confide.pairs.services.prompts import (
    choose_prompt,
    level_opt_in,
    prompt_answer,
    prompt_draw,
    unlocked_level,
)

pytestmark = pytest.mark.django_db


def test_answers_are_revealed_only_when_both_have_answered(
    pair: Pair, alex: User, blake: User
) -> None:
    prompt_round = prompt_draw(pair=pair, user=alex, level=1)
    assert Notification.objects.filter(user=blake, kind="prompt_waiting").exists()
    prompt_answer(prompt_round=prompt_round, author=alex, text="canary answer from alex")
    prompt_round.refresh_from_db()
    assert not prompt_round.is_revealed
    prompt_answer(prompt_round=prompt_round, author=blake, text="blake's answer")
    prompt_round.refresh_from_db()
    assert prompt_round.is_revealed
    assert Notification.objects.filter(kind="prompt_revealed").count() == 2


def test_answering_twice_is_refused(pair: Pair, alex: User) -> None:
    prompt_round = prompt_draw(pair=pair, user=alex, level=1)
    prompt_answer(prompt_round=prompt_round, author=alex, text="once")
    with pytest.raises(PairError, match="already answered"):
        prompt_answer(prompt_round=prompt_round, author=alex, text="twice")
    assert PromptAnswer.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"), [("  ", "Write your answer"), ("z" * 4001, "4000 characters")]
)
def test_bad_answers_are_refused(pair: Pair, alex: User, text: str, message: str) -> None:
    prompt_round = prompt_draw(pair=pair, user=alex, level=1)
    with pytest.raises(PairError, match=message):
        prompt_answer(prompt_round=prompt_round, author=alex, text=text)
    assert not PromptAnswer.objects.exists()


def test_one_open_prompt_at_a_time(pair: Pair, alex: User, blake: User) -> None:
    prompt_draw(pair=pair, user=alex, level=1)
    with pytest.raises(PairError, match="Answer the prompt you have open first"):
        prompt_draw(pair=pair, user=blake, level=1)


def test_a_deeper_level_opens_only_when_both_opt_in(pair: Pair, alex: User, blake: User) -> None:
    level_opt_in(pair=pair, user=alex, level=3)
    assert unlocked_level(Pair.objects.get(pk=pair.pk)) == 1
    with pytest.raises(PairError, match="both of you"):
        prompt_draw(pair=Pair.objects.get(pk=pair.pk), user=alex, level=2)
    level_opt_in(pair=pair, user=blake, level=2)
    fresh = Pair.objects.get(pk=pair.pk)
    assert unlocked_level(fresh) == 2
    assert prompt_draw(pair=fresh, user=alex, level=2).level == 2
    with pytest.raises(PairError, match="level 1, 2 or 3"):
        level_opt_in(pair=pair, user=alex, level=4)


def test_no_prompt_repeats_until_the_deck_is_used_up(pair: Pair, alex: User) -> None:
    deck = content.prompts_at_level(1)
    seen = [choose_prompt(pair=pair, level=1).id]
    PromptRound.objects.create(
        pair=pair, prompt_id=seen[0], level=1, drawn_by=alex, revealed_at="2026-01-01T00:00Z"
    )
    for _ in range(len(deck) - 1):
        prompt = choose_prompt(pair=pair, level=1)
        assert prompt.id not in seen
        seen.append(prompt.id)
        PromptRound.objects.create(
            pair=pair, prompt_id=prompt.id, level=1, drawn_by=alex, revealed_at="2026-01-01T00:00Z"
        )
    assert sorted(seen) == sorted(p.id for p in deck)
    # The deck is used up: the next draw starts it again.
    assert choose_prompt(pair=pair, level=1).id in seen


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(used=st.lists(st.sampled_from([p.id for p in content.prompts_at_level(2)]), max_size=60))
def test_the_chosen_prompt_is_always_one_of_the_least_used(
    pair: Pair, alex: User, used: list[str]
) -> None:
    PromptRound.objects.filter(pair=pair).delete()
    PromptRound.objects.bulk_create(
        [
            PromptRound(
                pair=pair, prompt_id=pid, level=2, drawn_by=alex, revealed_at="2026-01-01T00:00Z"
            )
            for pid in used
        ]
    )
    counts = {p.id: used.count(p.id) for p in content.prompts_at_level(2)}
    chosen = choose_prompt(pair=pair, level=2)
    assert counts[chosen.id] == min(counts.values())
