"""Jurisdiction routing: a seller's location → the authority competent to act on the lead.

The mapping is data (``reports/data/authorities.json``): every one of China's 34 province-level
divisions and the cities the test marketplaces use, each with its authority. A location is
routed to its city's authority where the city is listed, else to its province-level division's.
Locations outside China, or that name no division or listed city, are *unrouted*: the route
says why, and exports write them to an ``unknown`` file; nothing is dropped.

Locations come as platforms show them: ``福建 莆田``, ``福建省莆田市``, ``Putian, Fujian, China``,
``Shanghai, China``, ``Los Angeles, CA, United States``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

UNKNOWN = "unknown"
_SUFFIXES_ZH = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
_CHINA = frozenset({"china", "prc", "p.r. china", "people's republic of china", "中国", "中华人民共和国", "cn"})


@dataclass(frozen=True, slots=True)
class Route:
    """Where a lead goes: ``authority_id`` is ``unknown`` when the location could not be routed."""

    authority_id: str
    authority_zh: str
    authority_en: str
    division: str | None  # ISO 3166-2:CN code of the province-level division
    city: str | None
    problem: str | None = None  # why it is unrouted

    @property
    def known(self) -> bool:
        return self.authority_id != UNKNOWN


class Router:
    """Routes locations with one authorities table (the bundled one by default)."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.divisions = {d["id"]: d for d in table["divisions"]}
        self.cities = {c["name_zh"]: c for c in table["cities"]}
        self._names: dict[str, tuple[str, str | None]] = {}  # lower-cased name → (division id, city zh)
        for d in table["divisions"]:
            for name in (d["name_zh"], d["short_zh"], d["name_en"], *d.get("aliases", ())):
                self._names[_norm(name)] = (d["id"], None)
        for c in table["cities"]:
            for name in (c["name_zh"], c["name_en"], c["name_en"].replace("'", "")):
                self._names.setdefault(_norm(name), (c["division"], c["name_zh"]))

    @classmethod
    def default(cls) -> Router:
        text = resources.files(__package__).joinpath("data/authorities.json").read_text(encoding="utf-8")
        return cls(json.loads(text))

    def route(self, location: str | None) -> Route:
        if not location or not location.strip():
            return _unrouted("no seller location")
        division, city = self._parse(location)
        if division is None:
            return _unrouted(city or f"location not recognised: {location.strip()}")
        if city and city in self.cities and self.cities[city]["division"] == division:
            c = self.cities[city]
            return Route(c["id"], c["authority_zh"], c["authority_en"], division, city)
        d = self.divisions[division]
        return Route(d["id"], d["authority_zh"], d["authority_en"], division, None)

    def _parse(self, location: str) -> tuple[str | None, str | None]:
        """(division id, city) or (None, why)."""
        text = unicodedata.normalize("NFKC", location).strip()
        if re.search(r"[\u4e00-\u9fff]", text):
            return self._parse_zh(text)
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) > 1 and _norm(parts[-1]) not in _CHINA and _norm(parts[-1]) not in self._names:
            return None, f"outside China: {parts[-1]}"
        parts = [p for p in parts if _norm(p) not in _CHINA]
        division = city = None
        for part in parts:
            hit = self._names.get(_norm(part)) or self._names.get(_norm(re.sub(r"\s+(province|city)$", "", part,
                                                                                   flags=re.I)))
            if hit is None:
                continue
            if hit[1] is not None and city is None:
                city = hit[1]
            if division is None or hit[1] is None:
                division = hit[0]
        return division, city

    def _parse_zh(self, text: str) -> tuple[str | None, str | None]:
        text = re.sub(r"^(中国|中华人民共和国)\s*", "", text)
        division = city = None
        for token in re.split(r"[\s,，/·]+", text):
            rest = token
            while rest:
                hit, used = self._longest_prefix(rest)
                if hit is None:
                    break
                if hit[1] is not None and city is None:
                    city = hit[1]
                if division is None or hit[1] is None:
                    division = hit[0]
                rest = rest[used:]
        return division, city

    def _longest_prefix(self, text: str) -> tuple[tuple[str, str | None] | None, int]:
        for n in range(min(len(text), 12), 0, -1):
            head = text[:n]
            hit = self._names.get(_norm(head))
            if hit is not None:
                tail = text[n:]
                for suffix in _SUFFIXES_ZH:  # 福建省 / 莆田市: eat the administrative suffix too
                    if tail.startswith(suffix):
                        n += len(suffix)
                        break
                return hit, n
        return None, 0


def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).strip().lower()
    if re.search(r"[\u4e00-\u9fff]", s):
        for suffix in _SUFFIXES_ZH:
            if s.endswith(suffix) and len(s) > len(suffix) + 1:
                return s[: -len(suffix)]
    return s


def _unrouted(problem: str) -> Route:
    return Route(UNKNOWN, "未能确定管辖机关", "no competent authority found", None, None, problem)
