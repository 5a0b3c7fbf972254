"""Visually similar Chinese characters (形近字) a seller swaps into a brand's Chinese name.

路易威登 written 路易威澄, 香奈儿 written 香奈几, 劳力士 written 劳力土: the title does not spell the name and
does not sound like it, but a buyer reads it as the brand. The table (``data/glyphs_zh.tsv``, built by
``data/make_glyphs.py`` from PyPI ``char-similar``'s shape data: four-corner code, components, strokes)
holds, for each character of the catalog's Chinese names (and of some well-known brand names), the
everyday characters most similar in shape. A few kana that are drawn like a Han character (カ/力,
エ/工, ロ/口, as Unicode's confusables.txt pairs them) are added here.

Matching uses it beside the homophone reading (:meth:`TextIndex._homophone_windows`): a window of a
Chinese token whose characters each equal, sound like, or look like the name's character in that place,
with at least one character spelled right. Such a hit is weak: it counts only with counterfeit wording,
a model word or another strong term of the brand, like a homophone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).resolve().parent / "data" / "glyphs_zh.tsv"
# kana drawn like a Han character (Unicode confusables.txt: 30AB カ -> 529B 力, ...): Han -> kana
KANA = MappingProxyType({"力": "カ", "工": "エ", "口": "ロ", "二": "ニ", "八": "ハ", "卜": "ト", "夕": "タ",
                         "匕": "ヒ", "才": "オ", "千": "チ", "三": "ミ"})


@cache
def lookalikes() -> MappingProxyType[str, str]:
    """Character of a brand name -> the characters drawn like it, most similar first (kana last)."""
    table: dict[str, str] = {}
    for n, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        ch, sep, similar = line.partition("\t")
        if not sep or len(ch) != 1 or not similar:
            raise ValueError(f"{DATA}:{n}: expected 'character<TAB>look-alikes', got {line!r}")
        table[ch] = table.get(ch, "") + similar
    for han, kana in KANA.items():
        table[han] = table.get(han, "") + kana
    return MappingProxyType(table)


def looks_like(written: str, name_char: str) -> bool:
    """Is ``written`` a character drawn like ``name_char`` (not the same one)?"""
    return written != name_char and written in lookalikes().get(name_char, "")


def glyph_forms(name: str) -> list[tuple[str, str]]:
    """Per character of ``name`` that has look-alikes: (the name with that character shown as the set
    of its look-alikes, e.g. 香奈[几匕九], the character)."""
    table = lookalikes()
    return [(f"{name[:i]}[{table[ch]}]{name[i + 1:]}", ch) for i, ch in enumerate(name) if table.get(ch)]
