"""Fixtures for the screener's tests: the real encoder (loaded once per test process) and a tiny
keyword "encoder" that makes the learned half of the screener predictable and instant."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Final

import numpy as np
import pytest
from numpy.typing import NDArray

from confide.safety.classifier import Classifier, shared_classifier, use_classifier
from confide.safety.encoder import Encoder, load_encoder
from confide.safety.heads import Heads

# One made-up word per label, in LABELS order; none of them is in the rules.
KEYWORDS: Final = ("doomed", "cornered", "nitwit", "vermin")


class KeywordEncoder:
    """Dimension k says whether KEYWORDS[k] is in the text; a last dimension is always on."""

    name = "keywords (tests)"
    dim = len(KEYWORDS) + 1
    fingerprint = "tests:keywords"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.calls.append(list(texts))
        rows = [[float(word in text.lower()) for word in KEYWORDS] + [1.0] for text in texts]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def token_count(self, text: str) -> int:
        return len(text.split())


def keyword_heads(safety_net: frozenset[str] = frozenset()) -> Heads:
    weights = np.zeros((len(KEYWORDS) + 1, len(KEYWORDS)))
    weights[: len(KEYWORDS), :] = np.eye(len(KEYWORDS)) * 10.0
    return Heads(
        weights=weights,
        biases=np.full(len(KEYWORDS), -3.0),
        thresholds=np.full(len(KEYWORDS), 0.5),
        encoder_fingerprint=KeywordEncoder.fingerprint,
        corpus_sha256="",
        safety_net=safety_net,
    )


@contextmanager
def keyword_model(safety_net: frozenset[str] = frozenset()) -> Iterator[KeywordEncoder]:
    """Screen with the keyword encoder for a block (usable inside hypothesis tests)."""
    encoder = KeywordEncoder()
    with use_classifier(Classifier(encoder=encoder, heads=keyword_heads(safety_net))):
        yield encoder


@pytest.fixture(scope="session")
def real_encoder() -> Encoder:
    """The shipped encoder: the screener's own when it loaded, so the weights load only once."""
    classifier = shared_classifier()
    return classifier.encoder if classifier else load_encoder()


@pytest.fixture(scope="session")
def real_classifier() -> Classifier:
    classifier = shared_classifier()
    assert classifier is not None, "the shipped model must load in the test suite"
    return classifier
