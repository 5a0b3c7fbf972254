"""Structured data in a page, read leniently: JSON-LD scripts, microdata items and Open Graph tags.

Which reader and why:

- **JSON-LD** is read here, not by extruct: extruct's reader drops every JSON-LD block of a page
  when one of them fails to parse, and fails on ``<![CDATA[`` wrappers. Real shops write
  CDATA wrappers, HTML comments, ``//`` and ``/* */`` comments, trailing commas, raw newlines in
  strings, HTML-escaped scripts and several objects in one script; each is undone here in turn
  (comments and trailing commas by jstyleson, extruct's own helper), and a script that still
  fails is counted, never fatal to the others. ``NaN`` and ``Infinity`` read as null.
- **Microdata** by extruct (``w3cmicrodata``): the W3C algorithm, so an item's properties are
  its own and not those of items nested in it (an eBay page's breadcrumb or brand ``name`` is
  not the product's title), and ``itemref`` is followed. Items come back in JSON-LD's shape.
- **Open Graph** here: ``<meta property|name="og:…|product:…">`` anywhere in the page (extruct
  reads only ``<head>``'s direct children, and lxml moves tags out of a broken head).

:class:`Graph` indexes every node with an ``@id`` across all scripts, so a seller given as
``{"@id": "#org"}`` resolves to the organisation it names.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jstyleson
from extruct.w3cmicrodata import MicrodataExtractor
from parsel import Selector

_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
_JSONLD_XPATH = ('//script[contains(translate(@type, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"),'
                 ' "ld+json")]/text()')
_DECODER = json.JSONDecoder(strict=False, parse_constant=lambda _name: None)


def _loads(text: str) -> Any:
    """Every JSON value in ``text`` (one, or several written one after the other)."""
    values: list[Any] = []
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and text[pos] in " \t\r\n;,":
            pos += 1
        if pos >= end:
            break
        value, pos = _DECODER.raw_decode(text, pos)
        values.append(value)
    if not values:
        raise ValueError("empty script")
    return values[0] if len(values) == 1 else values


def loads_lenient(raw: str) -> Any:
    """A JSON-LD script's value; ``ValueError`` when no reading of it is JSON."""
    text = _WRAPPERS.sub("", raw.strip()).strip()
    attempts = [text]
    if "&quot;" in text or "&#34;" in text:
        attempts.append(htmllib.unescape(text))
    for attempt in attempts:
        try:
            return _loads(attempt)
        except ValueError:
            pass
        try:
            return _loads(jstyleson.dispose(attempt))
        except (ValueError, IndexError):
            pass
    raise ValueError("not JSON even read leniently")


def types_of(node: Any) -> set[str]:
    """A node's types without their vocabulary: ``https://schema.org/Product`` → ``Product``."""
    if not isinstance(node, dict):
        return set()
    value = node.get("@type", node.get("type", []))
    names = value if isinstance(value, list) else [value]
    return {str(n).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1] for n in names if n}


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass(slots=True)
class Graph:
    """Every structured node of a page, with ``@id`` references resolvable across scripts."""

    roots: list[Any] = field(default_factory=list)  # JSON-LD values, one per script
    microdata: list[dict[str, Any]] = field(default_factory=list)  # top-level items, JSON-LD shaped
    opengraph: dict[str, list[str]] = field(default_factory=dict)  # property → values, in page order
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)
    bad_scripts: int = 0

    def deref(self, value: Any) -> Any:
        """The node an ``{"@id": ...}`` reference names (itself when it names nothing known)."""
        if isinstance(value, dict) and "@id" in value and len(value.keys() - {"@id", "@type"}) == 0:
            return self.ids.get(str(value["@id"]), value)
        return value

    def index(self, value: Any, depth: int = 0) -> None:
        if depth > 50:
            return
        if isinstance(value, list):
            for sub in value:
                self.index(sub, depth + 1)
        elif isinstance(value, dict):
            node_id = value.get("@id")
            if isinstance(node_id, str) and len(value.keys() - {"@id", "@type", "@context"}) > 0:
                known = self.ids.get(node_id)
                self.ids[node_id] = {**known, **value} if known else value
            for sub in value.values():
                if isinstance(sub, list | dict):
                    self.index(sub, depth + 1)


def _microdata_node(value: Any) -> Any:
    """An extruct microdata item in JSON-LD's shape: ``{"@type": ..., "@id": ..., prop: value}``."""
    if isinstance(value, list):
        return [_microdata_node(v) for v in value]
    if not isinstance(value, dict) or not ("type" in value or "properties" in value):
        return value
    node: dict[str, Any] = {"@type": value.get("type", [])}
    if value.get("id"):
        node["@id"] = value["id"]
    for key, sub in (value.get("properties") or {}).items():
        node[key] = _microdata_node(sub)
    if "value" in value and not value.get("properties"):
        node["name"] = value["value"]
    return node


def _opengraph(sel: Selector) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for meta in sel.xpath("//meta[@content]"):
        prop = (meta.attrib.get("property") or meta.attrib.get("name") or "").strip().lower()
        if prop.startswith(("og:", "product:")):
            content = meta.attrib["content"].strip()
            if content:
                out.setdefault(prop, []).append(content)
    return out


def read_graph(url: str, sel: Selector) -> Graph:
    graph = Graph()
    for raw in sel.xpath(_JSONLD_XPATH).getall():
        if not raw.strip():
            continue
        try:
            graph.roots.append(loads_lenient(raw))
        except ValueError:
            graph.bad_scripts += 1
    if sel.xpath("//*[@itemscope][1]"):
        items = MicrodataExtractor().extract_items(sel.root, url)
        graph.microdata = [_microdata_node(item) for item in items]
    graph.opengraph = _opengraph(sel)
    graph.index(graph.roots)
    graph.index(graph.microdata)
    return graph


def walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON value, depth first, in document order."""
    if depth > 50:
        return
    if isinstance(value, list):
        for sub in value:
            yield from walk(sub, depth + 1)
    elif isinstance(value, dict):
        yield value
        for sub in value.values():
            if isinstance(sub, list | dict):
                yield from walk(sub, depth + 1)
