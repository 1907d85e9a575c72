"""Reading the training corpus: ``data/corpus/*.csv``, header ``text,labels,family,register``.

Rows are checked like ``confide safety eval`` checks its files: a problem stops everything with
the file and the line named. The corpus hash covers exactly what training reads (every row's
text, labels, family and register, file by file in name order), so that a test can tell when the
shipped heads were not retrained after a corpus edit.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from confide.safety.evaluation import MAX_FILE_BYTES, EvalFileError, parse_labels
from confide.safety.rules import DATA_DIR

__all__ = ["CORPUS_DIR", "REGISTERS", "CorpusRow", "corpus_sha256", "read_corpus"]

CORPUS_DIR: Final = DATA_DIR / "corpus"
HEADER: Final = ("text", "labels", "family", "register")
REGISTERS: Final = frozenset(
    {"checkin", "texting", "circle", "dialogue", "prompt", "reply", "topic", "other"}
)
_FAMILY: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class CorpusRow:
    source: str
    line: int
    text: str
    labels: frozenset[str]
    family: str
    register: str


def _row(cells: list[str], source: str, line: int) -> CorpusRow:
    if len(cells) != len(HEADER):
        raise EvalFileError(
            source,
            f"expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(cells)}; "
            "quote a text that contains commas",
            line,
        )
    text, labels, family, register = cells
    if not text.strip():
        raise EvalFileError(source, "the text is empty", line)
    if not _FAMILY.fullmatch(family):
        raise EvalFileError(source, f"family {family!r} must be a lowercase slug", line)
    if register not in REGISTERS:
        raise EvalFileError(
            source, f"register {register!r} must be one of {sorted(REGISTERS)}", line
        )
    return CorpusRow(source, line, text, parse_labels(labels, source, line), family, register)


def parse_corpus_file(content: str, source: str) -> list[CorpusRow]:
    """One corpus file's rows; every problem names the line."""
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    rows: list[CorpusRow] = []
    try:
        header = next(reader, None)
        if header is None or tuple(cell.strip().lower() for cell in header) != HEADER:
            raise EvalFileError(source, f"the first line must be the header {','.join(HEADER)}", 1)
        for cells in reader:
            if cells:
                rows.append(_row(cells, source, reader.line_num))
    except csv.Error as exc:
        raise EvalFileError(source, f"bad CSV quoting: {exc}", reader.line_num) from exc
    return rows


def read_corpus(directory: Path = CORPUS_DIR) -> list[CorpusRow]:
    """Every row of every ``*.csv`` in ``directory``, files in name order."""
    paths = sorted(directory.glob("*.csv"))
    if not paths:
        raise EvalFileError(str(directory), "no *.csv files in the corpus folder")
    rows: list[CorpusRow] = []
    for path in paths:
        source = str(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise EvalFileError(source, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            raw = path.read_bytes()
        except OSError as exc:
            raise EvalFileError(source, f"cannot read the file: {exc.strerror or exc}") from exc
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EvalFileError(
                source, "not UTF-8 text", raw[: exc.start].count(b"\n") + 1
            ) from exc
        rows.extend(parse_corpus_file(content, source))
    if not rows:
        raise EvalFileError(str(directory), "the corpus has no rows")
    return rows


def corpus_sha256(rows: list[CorpusRow]) -> str:
    """A hash of what training reads; file names and line numbers do not enter it."""
    digest = hashlib.sha256()
    for row in rows:
        record = [row.text, sorted(row.labels), row.family, row.register]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
