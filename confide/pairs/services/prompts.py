from __future__ import annotations

import secrets
from collections import Counter

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.notifications.services import notify
from confide.pairs import content
from confide.pairs.models import MAX_ANSWER, Pair, PairMember, PromptAnswer, PromptRound
from confide.pairs.services import PairError
from confide.pairs.services.common import active_member, joint_activities_open, partner_of
from confide.privacy.keys import person_space
from confide.safety.services import remember, screen_write

LEVELS = (1, 2, 3)


def unlocked_level(pair: Pair) -> int:
    """The deepest level both people have opted into."""
    levels = [m.level_opt_in for m in pair.members.all() if m.left_at is None]
    return min(levels) if levels else 1


@transaction.atomic
def level_opt_in(*, pair: Pair, user: User, level: int) -> PairMember:
    member = active_member(pair, user)
    if level not in LEVELS:
        raise PairError({"level": _("Choose level 1, 2 or 3.")})
    member.level_opt_in = level
    member.save(update_fields=["level_opt_in"])
    return member


def choose_prompt(*, pair: Pair, level: int) -> content.Prompt:
    """A prompt of this level the pair has used least: none repeats before the deck is used up."""
    deck = content.prompts_at_level(level)
    used = Counter(
        PromptRound.objects.filter(pair=pair, level=level).values_list("prompt_id", flat=True)
    )
    fewest = min(used.get(p.id, 0) for p in deck)
    return secrets.choice([p for p in deck if used.get(p.id, 0) == fewest])


@transaction.atomic
def prompt_draw(*, pair: Pair, user: User, level: int) -> PromptRound:
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    active_member(pair, user)
    joint_activities_open(pair)
    if level not in LEVELS:
        raise PairError({"level": _("Choose level 1, 2 or 3.")})
    if level > unlocked_level(pair):
        raise PairError(
            {"level": _("This level opens when both of you have chosen to go this deep.")}
        )
    if PromptRound.objects.filter(pair=pair, revealed_at__isnull=True).exists():
        raise PairError(_("Answer the prompt you have open first; then draw the next one."))
    prompt = choose_prompt(pair=pair, level=level)
    try:
        with transaction.atomic():
            prompt_round = PromptRound.objects.create(
                pair=pair, prompt_id=prompt.id, level=level, drawn_by=user
            )
    except IntegrityError as error:  # two draws at once: the constraint keeps one
        raise PairError(_("A prompt was just drawn. Answer that one first.")) from error
    partner = partner_of(pair, user)
    if partner is not None:
        notify(
            user=partner,
            kind="prompt_waiting",
            event_key=f"prompt_drawn:{prompt_round.pk}",
            title=_("%(name)s drew a conversation prompt for you both")
            % {"name": user.display_name},
            url=reverse("pairs:prompts", args=[pair.pk]),
        )
    return prompt_round


@transaction.atomic
def prompt_answer(
    *, prompt_round: PromptRound, author: User, text: str, send_as_is: bool = True
) -> PromptAnswer:
    """Answer privately; when the second answer arrives both are revealed together.

    Screened once: words of crisis or fear keep the answer with its writer (their private
    space), uncounted and unannounced, until they choose to share it.
    """
    prompt_round = (
        PromptRound.objects.select_for_update()
        .select_related("pair__space")
        .get(pk=prompt_round.pk)
    )
    pair = prompt_round.pair
    active_member(pair, author)
    joint_activities_open(pair)
    if prompt_round.is_revealed:
        raise PairError(_("This prompt has already been answered by you both."))
    text = text.strip()
    if not text:
        raise PairError({"text": _("Write your answer before sending it.")})
    if len(text) > MAX_ANSWER:
        raise PairError(
            {"text": _("Keep your answer to %(n)d characters or fewer.") % {"n": MAX_ANSWER}}
        )
    if PromptAnswer.objects.filter(round=prompt_round, author=author, withheld=False).exists():
        raise PairError(_("You have already answered this prompt."))
    check = screen_write(text=text, send_as_is=send_as_is)
    withheld = check.keep_private
    space = person_space(user=author) if withheld else pair.space
    answer = PromptAnswer(
        round=prompt_round, author=author, space=space, text=text, withheld=withheld
    )
    answer.save()
    if not withheld:
        announce_answer(prompt_round, pair, author)
    remember(answer, check)
    return answer


def announce_answer(prompt_round: PromptRound, pair: Pair, author: User) -> None:
    """After an answer counts: reveal both when both have answered, or tell the partner."""
    url = reverse("pairs:prompts", args=[pair.pk])
    partner = partner_of(pair, author)
    if PromptAnswer.objects.filter(round=prompt_round, withheld=False).count() == 2:  # noqa: PLR2004
        prompt_round.revealed_at = timezone.now()
        prompt_round.save(update_fields=["revealed_at"])
        for person in (author, partner):
            if person is not None:
                notify(
                    user=person,
                    kind="prompt_revealed",
                    event_key=f"prompt_revealed:{prompt_round.pk}",
                    title=_("You both answered a prompt: your answers are revealed"),
                    url=url,
                )
    elif partner is not None:
        notify(
            user=partner,
            kind="prompt_waiting",
            event_key=f"prompt_answered:{prompt_round.pk}",
            title=_("%(name)s answered the prompt. Your answer reveals both.")
            % {"name": author.display_name},
            url=url,
        )
