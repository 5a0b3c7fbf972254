"""Decoding HTML bytes right: declared charset first, else sniffed; undecodable bytes counted.

Chinese marketplaces declare ``GBK`` or ``GB2312`` (or nothing at all); both are read as GB18030,
their superset, so characters a page wrongly labels as GBK still decode. With no declaration in
the header, a ``<meta>`` tag or a byte-order mark, strict UTF-8 is tried, then strict GB18030, and
otherwise whichever of the two leaves fewer undecodable bytes. Scrapy's own fallback
(``ascii``/``cp1252``) would turn a GBK page into mojibake without a single error.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.IGNORECASE)
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
              "gb_2312-80": "gb18030", "euc-cn": "gb18030", "ascii": "utf-8", "us-ascii": "utf-8",
              "iso-8859-1": "cp1252", "latin-1": "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec used
    declared: bool  # True when the header, a meta tag or a BOM named it
    undecodable: int  # bytes that could not be decoded (each became U+FFFD)


def canonical(name: str) -> str | None:
    """A Python codec name for a charset label, widened to its superset; ``None`` if unknown."""
    label = name.strip().lower()
    label = _SUPERSETS.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    return _SUPERSETS.get(info.name, info.name)


def decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode, replacing each undecodable run by U+FFFD; return the text and the bytes lost."""
    out: list[str] = []
    bad = 0
    pos = 0
    while True:
        try:
            out.append(data[pos:].decode(encoding))
            return "".join(out), bad
        except UnicodeDecodeError as exc:
            out.append(data[pos:pos + exc.start].decode(encoding))
            bad += exc.end - exc.start
            out.append("\ufffd")
            pos += exc.end


def declared_encoding(body: bytes, content_type: str | None) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if content_type:
        m = _HEADER.search(content_type)
        if m and canonical(m.group(1)):
            return canonical(m.group(1))
    m = _META.search(body[:4096])
    if m and canonical(m.group(1).decode("ascii")):
        return canonical(m.group(1).decode("ascii"))
    return None


def decode_html(body: bytes, content_type: str | bytes | None = None) -> Decoded:
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    enc = declared_encoding(body, content_type)
    if enc is not None:
        text, bad = decode_counting(body, enc)
        if enc.startswith("utf-") and body[:3] == codecs.BOM_UTF8:
            text = text.lstrip("\ufeff")
        return Decoded(text, enc, True, bad)
    best: Decoded | None = None
    for candidate in ("utf-8", "gb18030"):
        text, bad = decode_counting(body, candidate)
        if bad == 0:
            return Decoded(text, candidate, False, 0)
        if best is None or bad < best.undecodable:
            best = Decoded(text, candidate, False, bad)
    assert best is not None
    return best
