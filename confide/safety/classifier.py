"""The encoder and the heads together, loaded lazily once per process and shared by all threads.

If either cannot load (a missing or damaged file, a hash mismatch, heads trained for another
encoder), the screener uses the rules alone: :func:`shared_classifier` returns None, one warning
is logged per process, and ``confide check`` shows ``safety.W001`` to operators. Screening never
stops and start-up never fails because of the model. Logs name files and errors, never text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from confide.safety.encoder import Encoder, EncoderError, load_encoder
from confide.safety.heads import Heads, HeadsError, heads_path, read_heads

__all__ = [
    "Classifier",
    "classifier_problem",
    "load_classifier",
    "report_failure",
    "shared_classifier",
    "use_classifier",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Classifier:
    encoder: Encoder
    heads: Heads

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """``(len(texts), labels)`` probabilities; a text that repeats is embedded once."""
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, len(self.heads.biases)), dtype=np.float64)
        scores = self.heads.probabilities(self.encoder.embed(unique))
        if len(unique) == len(texts):
            return scores
        row = {text: index for index, text in enumerate(unique)}
        return scores[[row[text] for text in texts]]


def load_classifier() -> Classifier:
    """A new classifier from the configured files; raises EncoderError or HeadsError."""
    heads = read_heads()  # first: it is cheap, and without heads the encoder is of no use
    encoder = load_encoder()
    if heads.encoder_fingerprint != encoder.fingerprint or heads.dim != encoder.dim:
        raise HeadsError(
            f"{heads_path()}: the heads were trained for the encoder "
            f"{heads.encoder_fingerprint!r}, not for {encoder.fingerprint!r}; "
            "run `confide safety train`"
        )
    return Classifier(encoder=encoder, heads=heads)


class _Shared:
    """The process's one classifier (or the reason there is none). Guarded by ``lock``."""

    lock = threading.Lock()
    loaded = False
    classifier: Classifier | None = None
    problem: str | None = None
    failure_logged = False


def _load() -> None:
    try:
        _Shared.classifier, _Shared.problem = load_classifier(), None
    except (EncoderError, HeadsError) as error:
        _Shared.classifier, _Shared.problem = None, str(error)
    except Exception as error:  # noqa: BLE001 - whatever breaks, the rules must keep screening
        _Shared.classifier = None
        _Shared.problem = f"the model failed to load ({type(error).__name__}: {error})"
    if _Shared.problem:
        logger.warning("Safety screening falls back to the rules alone: %s", _Shared.problem)
    _Shared.loaded = True


def shared_classifier() -> Classifier | None:
    """The shared classifier, loading it on first use; None when only the rules can screen."""
    if not _Shared.loaded:
        with _Shared.lock:
            if not _Shared.loaded:
                _load()
    return _Shared.classifier


def classifier_problem() -> str | None:
    """Why the model is not screening (for ``confide check``), or None when it is."""
    shared_classifier()
    return _Shared.problem


def report_failure(error: Exception) -> None:
    """A text could not be scored; the rules screened it. Logged once, without the text."""
    with _Shared.lock:
        if _Shared.failure_logged:
            return
        _Shared.failure_logged = True
    logger.warning(
        "Safety model failed while scoring a text (%s); the rules screened it alone.",
        type(error).__name__,
    )


@contextmanager
def use_classifier(classifier: Classifier | None, problem: str | None = None) -> Iterator[None]:
    """Swap the shared classifier for a block (tests: a fake encoder, or none at all)."""
    with _Shared.lock:
        saved = (_Shared.loaded, _Shared.classifier, _Shared.problem)
        _Shared.loaded, _Shared.classifier = True, classifier
        _Shared.problem = None if classifier else (problem or "the model is switched off")
    try:
        yield
    finally:
        with _Shared.lock:
            _Shared.loaded, _Shared.classifier, _Shared.problem = saved
