"""Decoding HTML bytes right: declared charset first, else detected as browsers do; undecodable bytes counted.

Order, as in the WHATWG encoding sniffing algorithm: a byte-order mark, the ``Content-Type``
header, a ``<meta>`` tag. Chinese marketplaces declare ``GBK`` or ``GB2312`` (or nothing at all);
both are read as GB18030, their superset, so characters a page wrongly labels as GBK still
decode; ``ISO-8859-1`` and ``US-ASCII`` are read as browsers read them (windows-1252, UTF-8).

With no declaration (:func:`sniff`):

1. UTF-8 when the bytes are UTF-8 (a few stray bytes in an otherwise UTF-8 page stay UTF-8);
2. windows-1252, the browsers' default for Western pages, when the non-ASCII bytes look like
   accented letters inside Latin words (short runs, odd lengths, next to ASCII letters): GB18030
   would read ``légère`` without a single error, as Chinese mojibake;
3. otherwise charset detection (``charset_normalizer``, as Scrapy and requests use it) among the
   East Asian and Cyrillic legacy encodings, GB18030 first when it fits;
4. otherwise whichever of UTF-8, GB18030 and windows-1252 loses fewest bytes.

Decoding is linear in the body: the codecs' own error handlers replace each undecodable run
by U+FFFD in one pass, and the bytes lost are counted in a second one (the page is decoded
once more ignoring errors and the kept text re-encoded). Re-slicing the body after every error,
as this module once did, took hours on a 20 MB body of noise.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.IGNORECASE)
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
              "gb_2312-80": "gb18030", "euc-cn": "gb18030", "euc_cn": "gb18030", "ascii": "utf-8",
              "us-ascii": "utf-8", "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252",
              "latin_1": "cp1252", "windows-1252": "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Codecs whose output cannot be re-encoded byte for byte (BOMs, shift states): lost bytes are
# counted by an error handler instead (linear too, but a Python call per error).
_STATEFUL = ("utf-16", "utf-32", "utf-7", "iso2022", "iso-2022", "hz")
_TAGS = re.compile(rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL)
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
# Legacy encodings detection chooses among once a page is neither UTF-8 nor Western.
_LEGACY = ["gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1251"]
# windows-1252 punctuation and symbols that stand alone between spaces and digits: € … ‘ ’ “ ” – — nbsp £ © « ® ° ».
_SYMBOLS = frozenset(b"\x80\x85\x91\x92\x93\x94\x96\x97\xa0\xa3\xa7\xa9\xab\xae\xb0\xb4\xbb")
SNIFF_BYTES = 1 << 20  # detection looks at the first MiB of text


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec used
    declared: bool  # True when the header, a meta tag or a BOM named it
    undecodable: int  # bytes that could not be decoded (each undecodable run became U+FFFD)


def canonical(name: str) -> str | None:
    """A Python codec name for a charset label, widened to its superset; ``None`` if unknown."""
    label = name.strip().lower()
    label = _SUPERSETS.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    return _SUPERSETS.get(info.name, info.name)


def _mark_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: each undecodable byte becomes a lone surrogate U+DC00+byte (no decoder emits those)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(0xDC00 + b) for b in exc.object[exc.start:exc.end]), exc.end


_MARK = "brandsweep.mark_bytes"
codecs.register_error(_MARK, _mark_bytes)  # a pure function under a fixed name: registering twice is harmless
_MARKED = re.compile("[\udc00-\udcff]")


def decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode in one pass, replacing each undecodable run by U+FFFD; return the text and the bytes lost."""
    text = data.decode(encoding, "replace")
    if "\ufffd" not in text:
        return text, 0
    if any(encoding.startswith(s) for s in _STATEFUL):
        return text, len(_MARKED.findall(data.decode(encoding, _MARK)))
    kept = data.decode(encoding, "ignore").encode(encoding, "replace")
    return text, max(0, len(data) - len(kept))


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


def _looks_western(text: bytes) -> bool:
    """Non-ASCII bytes that read as accented letters inside Latin words, or as lone symbols (€, ©, –)."""
    runs = western = odd = 0
    for m in _HIGH_RUN.finditer(text):
        runs += 1
        start, end = m.span()
        length = end - start
        odd += length % 2
        before = text[start - 1:start]
        after = text[end:end + 1]
        if length <= 3 and (before.isalpha() or after.isalpha()):
            western += 1
        elif length == 1 and text[start] in _SYMBOLS:
            western += 1
    return runs > 0 and western >= 0.7 * runs and odd >= 0.3 * runs


def sniff(body: bytes) -> str:
    """The encoding of an undeclared page (see the module docstring for the order)."""
    _, bad = decode_counting(body, "utf-8")
    high = len(body) - len(body.translate(None, bytes(range(0x80, 0x100))))
    if bad == 0 or bad * 10 <= high:
        return "utf-8"
    text = _TAGS.sub(b" ", body[:SNIFF_BYTES])
    if _looks_western(text):
        return "cp1252"
    from charset_normalizer import from_bytes

    found = [canonical(m.encoding) for m in from_bytes(text, cp_isolation=_LEGACY)]
    if "gb18030" in found:
        return "gb18030"
    if found and found[0]:
        return found[0]
    return min(("utf-8", "gb18030", "cp1252"), key=lambda enc: decode_counting(body, enc)[1])


def decode_html(body: bytes, content_type: str | bytes | None = None) -> Decoded:
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    enc = declared_encoding(body, content_type)
    declared = enc is not None
    if enc is None:
        enc = sniff(body)
    text, bad = decode_counting(body, enc)
    if enc.startswith("utf-") and text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text, enc, declared, bad)
