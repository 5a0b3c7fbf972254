"""Marketplace search as the sites do it: every query term must occur in the title or keywords.

Latin terms match whole words, case-insensitively (``gucci`` finds "Gucci Ace", not "G*cci" and not
"Guccci"); Chinese terms match as substrings (``耐克`` finds "耐克Nike 男鞋").  No Unicode
normalisation: full-width or styled letters are not folded, as on many real sites.  Sellers' hidden
keywords (some obfuscated listings carry the plain brand name there) are searched too.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from brandsweep.marketplace_fixtures.generator import Generated

_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]+")


def search_text(title: str, keywords: list[str]) -> str:
    return " " + " ".join(_WORD.findall(" ".join([title, *keywords]).lower())) + " "


def terms(query: str) -> list[str]:
    return _WORD.findall(query.lower())


@dataclass
class SearchIndex:
    """Lazily built per platform on the first query (then kept: titles only, not HTML)."""

    gen: Generated
    platform: str
    texts: list[str] = field(default_factory=list)
    categories: dict[str, list[int]] = field(default_factory=dict)
    built: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def build(self) -> None:
        with self.lock:
            if self.built:
                return
            for i in self.gen.by_platform[self.platform]:
                listing = self.gen.listing(i)
                if not listing.get("removed"):
                    self.categories.setdefault(listing["category"], []).append(i)
                self.texts.append("" if listing.get("removed") else search_text(listing["title"],
                                                                                listing["keywords"]))
            self.built = True

    def category(self, name: str) -> list[int]:
        """Listings of a category; ``all`` lists every listing still online."""
        self.build()
        if name == "all":
            idx = self.gen.by_platform[self.platform]
            return [idx[k] for k, t in enumerate(self.texts) if t]
        return self.categories.get(name, [])

    def category_names(self) -> list[str]:
        self.build()
        return ["all", *sorted(self.categories)]

    def search(self, query: str) -> list[int]:
        """Listing indices matching every term of ``query``, in listing order."""
        ts = terms(query)
        if not ts:
            return []
        self.build()
        idx = self.gen.by_platform[self.platform]
        out = []
        for k, t in enumerate(self.texts):
            if all((f" {q} " in t) if q.isascii() else (q in t) for q in ts):
                out.append(idx[k])
        return out
