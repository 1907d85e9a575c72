"""For the pair page, which is the pairs app's: whether the recovery contract is on."""

from __future__ import annotations

from django import template

from confide.pairs.models import Pair
from confide.rhythm.selectors import contract_on

register = template.Library()


@register.simple_tag(name="rhythm_contract_on")
def rhythm_contract_on(pair: Pair) -> bool:
    return contract_on(pair=pair)
