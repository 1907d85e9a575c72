from __future__ import annotations

from confide.measures.instrument import parse_instrument
from confide.measures.instrument_strings import STRINGS
from confide.measures.registry import BUILTIN_DIR


def test_every_shipped_instrument_string_is_in_the_translation_list() -> None:
    for path in BUILTIN_DIR.glob("*.toml"):
        instrument = parse_instrument(path.read_text())
        shown = [
            instrument.title,
            instrument.instructions,
            *(label for _, label in instrument.points),
            *(item.text for item in instrument.items),
            *(scale.title for scale in instrument.scales[1:]),
        ]
        missing = [text for text in shown if text not in STRINGS]
        assert not missing, f"{path.name}: add to instrument_strings.py: {missing}"
