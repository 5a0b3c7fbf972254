"""Counterfeit wording (English and Chinese) with weights, as data (``data/indicators.tsv``).

Extend or override from configuration: ``MatchConfig.extra_indicators = {"phrase": weight}`` (a
weight of 0 removes a phrase). Latin phrases match at word boundaries; CJK phrases anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import ahocorasick

from brandsweep.matchers.normalize import Normalizer, is_cjk


def load_default() -> Mapping[str, float]:
    table: dict[str, float] = {}
    for line in (Path(__file__).parent / "data" / "indicators.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, weight = line.rsplit("\t", 1)
        table[phrase] = float(weight)
    return MappingProxyType(table)


_SPACE = re.compile(r"\s+")


class Lexicon:
    """Aho-Corasick over folded indicator phrases; ``find`` returns (phrase, weight) pairs."""

    def __init__(self, normalizer: Normalizer, extra: Mapping[str, float] | None = None) -> None:
        self._norm = normalizer
        # Keyed by the folded phrase, so a configured "Replica": 0 overrides the default "replica".
        merged: dict[str, tuple[str, float]] = {}
        for phrase, weight in [*load_default().items(), *(extra or {}).items()]:
            folded = _SPACE.sub(" ", normalizer.fold(phrase)).strip()
            if folded:
                merged[folded] = (phrase, float(weight))
        self._automaton = ahocorasick.Automaton()
        count = 0
        for folded, (phrase, weight) in merged.items():
            if weight == 0:
                continue
            cjk_l, cjk_r = is_cjk(folded[0]), is_cjk(folded[-1])
            self._automaton.add_word(folded, (phrase, weight, len(folded), not cjk_l, not cjk_r))
            count += 1
        if count:
            self._automaton.make_automaton()
        self._empty = count == 0

    def find(self, text: str) -> list[tuple[str, float]]:
        if self._empty:
            return []
        folded = " " + _SPACE.sub(" ", self._norm.fold(text)) + " "
        found: dict[str, float] = {}
        for end, (phrase, weight, key_len, need_l, need_r) in self._automaton.iter(folded):
            s = end - key_len + 1
            if need_l and folded[s - 1].isalnum():
                continue
            if need_r and folded[end + 1].isalnum():
                continue
            found[phrase] = weight
        return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
