"""The learned heads: one logistic regression per label, stored as plain JSON (never pickle).

``model/heads.json`` is written by ``confide safety train`` (``train.py``) and holds, per label,
the weights, the bias and the decision threshold, and beside them what they were made from and
how well they did: the corpus hash, the encoder's fingerprint, library versions, the training
settings, the grouped cross-validation figures and the rules that serve as the safety net.

Scoring needs numpy alone. A file that is missing, malformed or made for another encoder is
refused with :class:`HeadsError` naming the file and the problem; the screener then falls back
to the rules (``classifier.py``).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from confide.safety.rules import LABELS

__all__ = ["FORMAT", "HEADS_ENV", "HEADS_PATH", "Heads", "HeadsError", "dump_heads", "read_heads"]

FORMAT: Final = 1
HEADS_PATH: Final = Path(__file__).resolve().parent / "model" / "heads.json"
# Operators who retrain for another encoder keep their heads outside the installed package.
HEADS_ENV: Final = "CONFIDE_SAFETY_HEADS"


class HeadsError(ValueError):
    """The heads file cannot be used. ``str()`` names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Heads:
    """Weights as a ``(dim, labels)`` matrix, so that one product scores every label."""

    weights: NDArray[np.float64]
    biases: NDArray[np.float64]
    thresholds: NDArray[np.float64]
    encoder_fingerprint: str
    corpus_sha256: str
    safety_net: frozenset[str]

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    def probabilities(self, vectors: NDArray[np.float32]) -> NDArray[np.float64]:
        """``(n, labels)`` probabilities for ``(n, dim)`` embeddings, in :data:`LABELS` order."""
        logits = vectors.astype(np.float64) @ self.weights + self.biases
        # 1 / (1 + e^-z) without overflow for large |z|.
        return np.exp(-np.logaddexp(0.0, -logits))

    def threshold(self, label: str) -> float:
        return float(self.thresholds[LABELS.index(label)])


def heads_path() -> Path:
    configured = os.environ.get(HEADS_ENV, "").strip()
    return Path(configured) if configured else HEADS_PATH


def _number(value: object, where: str, source: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise HeadsError(f"{source}: {where} must be a finite number")
    return float(value)


def _head(entry: object, label: str, source: Path) -> tuple[list[float], float, float]:
    if not isinstance(entry, Mapping):
        raise HeadsError(f"{source}: heads.{label} must be an object")
    weights = entry.get("weights")
    if not isinstance(weights, list) or not weights:
        raise HeadsError(f"{source}: heads.{label}.weights must be a non-empty list")
    values = [_number(w, f"heads.{label}.weights", source) for w in weights]
    bias = _number(entry.get("bias"), f"heads.{label}.bias", source)
    threshold = _number(entry.get("threshold"), f"heads.{label}.threshold", source)
    if not 0.0 < threshold < 1.0:
        raise HeadsError(f"{source}: heads.{label}.threshold must lie between 0 and 1")
    return values, bias, threshold


def parse_heads(data: Any, source: Path) -> Heads:
    """Check a parsed heads document; every problem names the file and the field."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise HeadsError(f"{source}: not a heads file of format {FORMAT}")
    heads, encoder, corpus = data.get("heads"), data.get("encoder"), data.get("corpus")
    if not isinstance(heads, Mapping) or sorted(heads) != sorted(LABELS):
        raise HeadsError(f"{source}: 'heads' must hold exactly {list(LABELS)}")
    if not isinstance(encoder, Mapping) or not isinstance(encoder.get("fingerprint"), str):
        raise HeadsError(f"{source}: 'encoder.fingerprint' is missing")
    if not isinstance(corpus, Mapping) or not isinstance(corpus.get("sha256"), str):
        raise HeadsError(f"{source}: 'corpus.sha256' is missing")
    net = (
        data.get("safety_net", {}).get("rules")
        if isinstance(data.get("safety_net"), Mapping)
        else None
    )
    if not isinstance(net, list) or not all(isinstance(rule, str) for rule in net):
        raise HeadsError(f"{source}: 'safety_net.rules' must be a list of rule ids")
    parsed = [_head(heads[label], label, source) for label in LABELS]
    if len({len(weights) for weights, _bias, _threshold in parsed}) != 1:
        raise HeadsError(f"{source}: every head must have the same number of weights")
    return Heads(
        weights=np.array([weights for weights, _b, _t in parsed], dtype=np.float64).T.copy(),
        biases=np.array([bias for _w, bias, _t in parsed], dtype=np.float64),
        thresholds=np.array([threshold for _w, _b, threshold in parsed], dtype=np.float64),
        encoder_fingerprint=encoder["fingerprint"],
        corpus_sha256=corpus["sha256"],
        safety_net=frozenset(net),
    )


def read_heads(path: Path | None = None) -> Heads:
    source = path or heads_path()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HeadsError(
            f"{source}: the heads file is missing; run `confide safety train`"
        ) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise HeadsError(f"{source}: cannot read the heads file: {exc}") from exc
    return parse_heads(data, source)


def dump_heads(document: Mapping[str, Any]) -> str:
    """The file's exact text: sorted keys, fixed layout, so equal content gives equal bytes."""
    return (
        json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    )
