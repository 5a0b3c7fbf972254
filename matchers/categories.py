"""Product category concepts in English and Chinese (``data/categories.tsv``).

A brand's concepts come from its product names and its marks' Nice classes; a title's from its
words. A shared concept is brand context: "苹果 手机" shares *phone* with "Apple iPhone 15 smartphone"
although the two have no word in common.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import ahocorasick

from brandsweep.matchers.normalize import is_cjk


class Categories:
    def __init__(self, path: Path | None = None) -> None:
        path = path or Path(__file__).parent / "data" / "categories.tsv"
        self._latin: dict[str, str] = {}
        self._by_class: dict[int, set[str]] = {}
        self._cjk = ahocorasick.Automaton()
        self._not: tuple[str, ...] = ()
        count = 0
        for line in path.read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            concept, classes, words = line.split("\t", 2)
            if concept == "!not":  # words that contain a category word without meaning it (包邮, 面包)
                self._not = tuple(w.strip() for w in words.split(",") if w.strip())
                continue
            for nice in classes.split(","):
                if nice.strip():
                    self._by_class.setdefault(int(nice), set()).add(concept)
            for word in words.split(","):
                word = word.strip().casefold()
                if not word:
                    continue
                if is_cjk(word):
                    self._cjk.add_word(word, concept)
                    count += 1
                else:
                    self._latin[word] = concept
        if count:
            self._cjk.make_automaton()
        self._has_cjk = count > 0

    def of_classes(self, nice_classes: Iterable[int]) -> frozenset[str]:
        """Concepts of the goods a mark's Nice classes cover."""
        return frozenset(c for n in nice_classes for c in self._by_class.get(n, ()))

    def concepts(self, words: Iterable[str]) -> frozenset[str]:
        found: set[str] = set()
        for w in words:
            if is_cjk(w):
                if self._has_cjk:
                    for word in self._not:
                        if word in w:
                            w = w.replace(word, " ")
                    found.update(concept for _, concept in self._cjk.iter(w))
            elif w in self._latin:
                found.add(self._latin[w])
        return frozenset(found)
