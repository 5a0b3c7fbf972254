"""Ways counterfeit sellers write a brand name so that filters miss it.

Every function takes the brand's surface form and a ``random.Random`` and returns the disguised
form.  :func:`obfuscate` picks one technique and returns ``(text, technique)``; the technique name
is what goes into the listing's label (``transform``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from types import MappingProxyType

from brandsweep.marketplace_fixtures.catalog import Brand

# Latin letter -> look-alikes from Cyrillic and Greek
HOMOGLYPHS = MappingProxyType({
    "a": "аα", "c": "сϲ", "e": "еε", "i": "іι", "o": "оο", "p": "рρ", "x": "хχ", "y": "уγ", "k": "кκ",
    "A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "K": "КΚ", "M": "МΜ", "N": "Ν",
    "O": "ОΟ", "P": "РΡ", "T": "ТΤ", "X": "ХΧ", "Y": "Υ", "V": "Ѵ", "u": "υ", "v": "ν",
})
LEET = MappingProxyType({
        "a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "A": "4", "E": "3", "I": "1", "O": "0",
        "S": "5", "T": "7", "l": "1"})
SEPARATORS = (".", " ", "-", "_", "·", "*", "/")
ZH_SEPARATORS = ("-", " ", "·", "❤", "～", "丶", "_")
# insider code names sellers use ("G家" = the house of G)
CODENAMES = MappingProxyType({
    "nike": ("N家", "勾子", "NK"), "adidas": ("A家", "三叶草家", "AD"), "gucci": ("G家", "古家", "GC"),
    "louis-vuitton": ("L家", "驴家", "老花"), "chanel": ("C家", "香家", "小香"), "coach": ("蔻家", "C家"),
    "apple": ("水果", "🍎"), "huawei": ("HW", "菊厂"), "moutai": ("飞天", "贵州酱香53度"), "dove": ("D家",),
    "lancome": ("L家", "小黑瓶"), "estee-lauder": ("雅家", "小棕瓶"), "puma": ("P家",),
    "xiaomi": ("MI家",), "wuliangye": ("五粮",),
})
# common real-world misspellings, else generated
TYPOS = MappingProxyType({
    "nike": ("Nkie", "Nikee", "Nikey", "Nice"), "adidas": ("Adidos", "Addidas", "Adiddas", "Abidas", "Adibas"),
    "gucci": ("Guchi", "Gucii", "Guccci", "Cucci"), "louis-vuitton": ("Louis Vutton", "Luis Vuitton",
                                                                      "Louis Vuiton", "Lous Vuitton"),
    "chanel": ("Chanell", "Channel", "Chnael", "Shanel"), "coach": ("Coah", "Cooch", "Coachh"),
    "apple": ("Appel", "Aple"), "huawei": ("Huawie", "Hauwei", "Huwei"), "xiaomi": ("Xiomi", "Xioami"),
    "puma": ("Pumma", "Poma"), "lancome": ("Lancom", "Lancone"), "estee-lauder": ("Estee Lauda", "Estée Loder"),
    "dove": ("Dov",), "moutai": ("Mautai", "Moutal"), "wuliangye": ("Wuliangyee", "Wuliang Ye"),
})
STYLED_BASES = (0x1D400, 0x1D434, 0x1D5D4, 0x1D608, 0x1D670, 0x1D4D0)  # bold, italic, sans bold, ... ranges
FULLWIDTH_OFFSET = 0xFEE0


def typo(word: str, brand: Brand, rng: random.Random) -> str:
    known = TYPOS.get(brand.id)
    if known and rng.random() < 0.7:
        return rng.choice(known)
    chars = list(word)
    if len(chars) < 3:
        return word + word[-1]
    i = rng.randrange(1, len(chars) - 1)
    op = rng.randrange(3)
    if op == 0:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif op == 1:
        chars.insert(i, chars[i])
    else:
        del chars[i]
    return "".join(chars)


def homoglyph(word: str, brand: Brand, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(word) if c in HOMOGLYPHS]
    if not idx:
        return fullwidth(word, brand, rng)
    chosen = set(rng.sample(idx, k=min(len(idx), rng.randint(1, 2))))
    return "".join(rng.choice(HOMOGLYPHS[c]) if i in chosen else c for i, c in enumerate(word))


def fullwidth(word: str, brand: Brand, rng: random.Random) -> str:
    return "".join(chr(ord(c) + FULLWIDTH_OFFSET) if "!" <= c <= "~" else c for c in word)


def styled(word: str, brand: Brand, rng: random.Random) -> str:
    base = rng.choice(STYLED_BASES)
    out = []
    for c in word:
        if "A" <= c <= "Z":
            cp = base + ord(c) - 65
        elif "a" <= c <= "z":
            cp = base + 26 + ord(c) - 97
        else:
            out.append(c)
            continue
        if cp == 0x1D455:  # italic small h is a hole in the block; Planck constant stands in
            cp = 0x210E
        out.append(chr(cp))
    return "".join(out)


def separated(word: str, brand: Brand, rng: random.Random) -> str:
    has_han = any("\u4e00" <= c <= "\u9fff" for c in word)
    sep = rng.choice(ZH_SEPARATORS if has_han else SEPARATORS)
    letters = [c for c in word if c != " "]
    return sep.join(letters)


def masked(word: str, brand: Brand, rng: random.Random) -> str:
    has_han = any("\u4e00" <= c <= "\u9fff" for c in word)
    mask = rng.choice(("*", "～", "x", "口", "○")) if has_han else rng.choice(("*", "*", "x", "#", "•"))
    if len(word) <= 2:
        return word[0] + mask
    i = rng.randrange(1, len(word) - (0 if has_han else 1))
    return word[:i] + mask + word[i + 1:]


def leet(word: str, brand: Brand, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(word) if c in LEET]
    if not idx:
        return typo(word, brand, rng)
    chosen = set(rng.sample(idx, k=min(len(idx), rng.randint(1, 2))))
    return "".join(LEET[c] if i in chosen else c for i, c in enumerate(word))


Technique = Callable[[str, Brand, random.Random], str]
LATIN_TECHNIQUES: dict[str, Technique] = MappingProxyType({
    "typo": typo, "homoglyph": homoglyph, "fullwidth": fullwidth, "styled": styled, "separator": separated,
    "masked": masked, "leet": leet,
})
HAN_TECHNIQUES: dict[str, Technique] = MappingProxyType({"separator": separated, "masked": masked})


def obfuscate(brand: Brand, rng: random.Random, *, chinese_site: bool) -> tuple[str, str]:
    """A disguised brand name and the technique's name."""
    roll = rng.random()
    if brand.pinyin and roll < 0.1:
        p = brand.pinyin
        return (p if rng.random() < 0.5 else " ".join(_split_pinyin(p))), "pinyin"
    if roll < 0.17 and brand.id in CODENAMES:
        return rng.choice(CODENAMES[brand.id]), "codename"
    if chinese_site and brand.chinese and roll < 0.45:
        name, tech = rng.choice(sorted(HAN_TECHNIQUES.items()))
        return tech(brand.chinese, brand, rng), name
    if not chinese_site and brand.chinese and roll < 0.24:
        return brand.chinese, "chinese"
    word = brand.name if rng.random() < 0.6 else brand.name.upper()
    name, tech = rng.choice(sorted(LATIN_TECHNIQUES.items()))
    return tech(word, brand, rng), name


def _split_pinyin(p: str) -> list[str]:
    """Rough syllable split for display ("naike" -> "nai ke"): cut before a consonant after a vowel."""
    out, cur = [], ""
    for i, c in enumerate(p):
        if cur and c not in "aeiouvgn" and cur[-1] in "aeioun" and i < len(p):
            out.append(cur)
            cur = ""
        cur += c
    out.append(cur)
    return out
