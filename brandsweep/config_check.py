"""Where each key of a TOML document is: tomllib gives values but no positions.

A small scan of the text finds ``[table]`` / ``[[array]]`` headers and ``key = value`` lines and
maps each dotted key path to its line number. Keys inside inline tables or multi-line values are
not indexed; :func:`line_of` then falls back to the nearest enclosing key's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"((?:[^"\\]|\\.)*)"|'([^']*)'""")
_ERROR_KEY = re.compile(r"^([A-Za-z0-9_.\-\[\]]+): (.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    key: str
    message: str

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


def _parts(dotted: str) -> list[str]:
    out = []
    for m in _PART.finditer(dotted):
        out.append(m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(0))
    return out


def key_lines(text: str) -> dict[str, int]:
    """``{"marketplaces.shop.base_url": 12, ...}`` for every header and ``key =`` line."""
    lines: dict[str, int] = {}
    table: list[str] = []
    in_multiline: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if in_multiline in raw:
                in_multiline = None
            continue
        m = _HEADER.match(raw)
        if m and "=" not in raw.split("#", 1)[0].split("]", 1)[0]:
            table = _parts(m.group(1))
            lines.setdefault(".".join(table), lineno)
            continue
        k = _KEY.match(raw)
        if k:
            path = ".".join([*table, *_parts(k.group(1))])
            lines.setdefault(path, lineno)
            rest = raw[k.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
    return lines


def line_of(lines: dict[str, int], key: str) -> int | None:
    """The line of ``key``, or of its nearest enclosing table/key that has one."""
    parts = re.sub(r"\[\d+\]", "", key).split(".")  # fields[2] -> the line of fields
    while parts:
        hit = lines.get(".".join(parts))
        if hit is not None:
            return hit
        parts.pop()
    return None


def split_error(message: str, strip: str = "") -> tuple[str, str]:
    """Split a section parser's ``"key: problem"`` message into (key relative to the section, problem)."""
    m = _ERROR_KEY.match(message)
    if not m:
        return "", message
    key = m.group(1)
    if strip and key.startswith(strip):
        key = key[len(strip):]
    elif strip and key == strip.rstrip("."):
        key = ""
    bare = strip.rstrip(".").rsplit(".", 1)[-1]
    if bare and key.startswith(bare + "."):
        key = key[len(bare) + 1:]
    return key, m.group(2)
