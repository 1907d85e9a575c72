"""Where a key sits in a TOML file, so schema errors can name a line.

`tomllib` gives values without positions. This scans the source for table headers and
`key =` assignments and maps each path (`("items", 2, "text")`) to its line. It handles what
instrument files use: tables, arrays of tables, dotted and quoted keys; keys inside inline
tables or multi-line arrays resolve to the line of the key that holds them.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
_PART = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*\.?""")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(m.group(1).strip("\"'") for m in _PART.finditer(dotted) if m.group(1))


class KeyLines:
    """Lines (1-based) of every table and key in a TOML source."""

    def __init__(self, source: str) -> None:
        self.lines: dict[Path, int] = {}
        counts: dict[tuple[str, ...], int] = {}
        table: Path = ()
        in_multiline = False
        for number, line in enumerate(source.splitlines(), start=1):
            if in_multiline:
                if line.count('"""') % 2 or line.count("'''") % 2:
                    in_multiline = False
                continue
            header = _HEADER.match(line)
            if header:
                names = _parts(header.group(2))
                if header.group(1) == "[[":
                    index = counts.get(names, 0)
                    counts[names] = index + 1
                    table = (*names, index)
                else:
                    table = names
                self.lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                self.lines.setdefault((*table, *_parts(key.group(1))), number)
                rest = line[key.end() :]
                if rest.count('"""') % 2 or rest.count("'''") % 2:
                    in_multiline = True

    def line_of(self, path: Path) -> int | None:
        """The line of `path`, or of its nearest enclosing key or table that has one."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None
