"""Cutting a text into windows of whole sentences for the learned heads. Pure: no model here.

A sentence embedding is an average over its tokens, so one crisis sentence in a long cheerful
post is diluted until the head no longer sees it. Short texts are one window; a longer text is
packed sentence by sentence into windows of at most ``budget`` tokens, each window overlapping
the next by one sentence so that two sentences that belong together are also read together.
A sentence longer than the budget (texting without full stops) is cut at spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_BUDGET", "Window", "sentence_spans", "windows"]

# Tokens per window. Long enough for a typical check-in or a few sentences of a share (so most
# texts are read whole, as in training), short enough that one telling sentence is a good part
# of what the window says. Far under the encoder's 512-token limit.
DEFAULT_BUDGET: Final = 128
# A sentence ends at . ! ? or … (with any closing quotes or brackets) before a space, or at a
# line break; "3.5" and "e.g.x" do not end one.
_BOUNDARY: Final = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)|\n")
_SPACE: Final = re.compile(r"\s+")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Window:
    """A run of whole sentences: ``span`` covers them all; ``sentences`` are their own spans."""

    span: Span
    sentences: tuple[Span, ...]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def sentence_spans(text: str) -> list[Span]:
    """The sentences of ``text`` as spans without surrounding white space, in order."""
    spans: list[Span] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        span = _trimmed(text, start, boundary.end())
        if span:
            spans.append(span)
        start = boundary.end()
    span = _trimmed(text, start, len(text))
    if span:
        spans.append(span)
    return spans


def _cut(text: str, span: Span, tokens: int, budget: int) -> list[Span]:
    """Cut an over-long sentence into pieces of about ``budget`` tokens, at spaces if any."""
    start, end = span
    # Characters per token vary by script; this sentence's own ratio is the best guess, with a
    # margin so that a piece rarely goes over the budget.
    size = max(1, int((end - start) * budget * 0.9 / tokens))
    pieces: list[Span] = []
    while end - start > size:
        cut = start + size
        spaces = [m.start() for m in _SPACE.finditer(text, start + max(1, size // 2), cut)]
        if spaces:
            cut = spaces[-1]
        piece = _trimmed(text, start, cut)
        if piece:
            pieces.append(piece)
        start = cut
    piece = _trimmed(text, start, end)
    if piece:
        pieces.append(piece)
    return pieces


def _pieces(text: str, count: Callable[[str], int], budget: int) -> tuple[list[Span], list[int]]:
    spans: list[Span] = []
    sizes: list[int] = []
    for span in sentence_spans(text):
        size = count(text[span[0] : span[1]])
        if size <= budget:
            spans.append(span)
            sizes.append(size)
            continue
        for piece in _cut(text, span, size, budget):
            spans.append(piece)
            sizes.append(count(text[piece[0] : piece[1]]))
    return spans, sizes


def _pack(spans: Sequence[Span], sizes: Sequence[int], budget: int) -> list[Window]:
    result: list[Window] = []
    first = 0
    while first < len(spans):
        last, total = first, sizes[first]
        while last + 1 < len(spans) and total + sizes[last + 1] <= budget:
            last += 1
            total += sizes[last]
        chosen = tuple(spans[first : last + 1])
        result.append(Window(span=(chosen[0][0], chosen[-1][1]), sentences=chosen))
        if last + 1 == len(spans):
            break
        # Overlap by the last sentence only when the next window can then hold something new.
        overlap = last > first and sizes[last] + sizes[last + 1] <= budget
        first = last if overlap else last + 1
    return result


def windows(text: str, count: Callable[[str], int], budget: int = DEFAULT_BUDGET) -> list[Window]:
    """The windows to screen ``text`` with; none for a blank text.

    ``count(piece)`` is the number of tokens the encoder reads for ``piece`` (without its own
    special tokens). A text within the budget is one window: one tokenisation, no splitting.
    """
    whole = _trimmed(text, 0, len(text))
    if whole is None:
        return []
    if count(text[whole[0] : whole[1]]) <= budget:
        return [Window(span=whole, sentences=tuple(sentence_spans(text)) or (whole,))]
    spans, sizes = _pieces(text, count, budget)
    return _pack(spans, sizes, budget)
