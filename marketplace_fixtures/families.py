"""The disguise families of issue 10: how a counterfeit listing writes its brand, and lawful look-alikes.

Two case kinds use them. ``counterfeit_disguised`` (a lead) writes the brand in one of
:data:`LEAD_FAMILIES`; ``lookalike`` (not a lead, no brand) is an ordinary listing from one of
:data:`LAWFUL_FAMILIES` that looks like a brand to a careless matcher. The family goes into the
label (``family``); see README.md in this folder for one example of each.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from brandsweep.marketplace_fixtures import family_vocab as fv
from brandsweep.marketplace_fixtures import vocab
from brandsweep.marketplace_fixtures.catalog import Brand, Catalog, Product
from brandsweep.marketplace_fixtures.obfuscate import styled
from brandsweep.marketplace_fixtures.photo_kinds import PHOTO_LAWFUL

# families that only make sense in Chinese titles
ZH_LEAD = ("zh_partial", "zh_spaced_partial", "zh_homophone", "zh_glyph")
LATIN_LEAD = ("accented", "zero_width", "styled_truncated", "short_slip", "replica_jargon", "model_number")
LEAD_FAMILIES = (*LATIN_LEAD, *ZH_LEAD)
ZH_LAWFUL = ("zh_compound", "zh_sound_alike", "zh_glyph_lawful")
LATIN_LAWFUL = ("art_title", "inner_word", "near_word", "jargon_lawful", "model_lawful", "accented_lawful",
                "styled_lawful", "invisible_lawful")
LAWFUL_FAMILIES = (*LATIN_LAWFUL, *ZH_LAWFUL, *PHOTO_LAWFUL)  # photo_shapes: photo_kinds.py
# a Chinese site draws a Chinese-only family this often (so those families are as frequent as the others)
ZH_FAMILY_SHARE = 0.6
# families whose disguise is ambiguous alone: the title always carries counterfeit wording or a model word
NEED_CONTEXT = frozenset({"zh_partial", "zh_spaced_partial", "zh_homophone", "zh_glyph", "short_slip",
                          "styled_truncated"})


@dataclass(frozen=True)
class Disguise:
    family: str
    brand: Brand
    product: Product
    text: str  # the brand as written (may include a model word)
    wording: str | None  # counterfeit wording to put in the title
    model: bool  # let the title add the product's model word
    no_price: float  # probability of no price
    price_band: tuple[float, float]  # share of MSRP


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _han(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


def _long_chinese(brand: Brand) -> str | None:
    """The brand's first Chinese name of 3+ characters whose two-character parts are not aliases."""
    for a in brand.aliases:
        if _han(a) and len(a) >= 3 and a[:2] not in brand.aliases and a[-2:] not in brand.aliases:
            return a
    return None


def _short_name(brand: Brand) -> str | None:
    name = _plain(brand.name)
    return name if name.isalpha() and 4 <= len(name) <= 6 else None


def eligible(family: str, brand: Brand) -> bool:
    if family in ("zh_partial", "zh_spaced_partial"):
        return _long_chinese(brand) is not None
    if family == "zh_homophone":
        return brand.id in fv.HOMOPHONES
    if family == "zh_glyph":
        return brand.id in fv.GLYPHS
    if family == "model_number":
        return brand.id in fv.MODEL_LINES
    if family == "short_slip":
        return _short_name(brand) is not None
    if family == "styled_truncated":
        return len(_plain(brand.name).replace(" ", "")) >= 5
    return True


def pick_family(rng: random.Random, zh: bool, zh_only: tuple[str, ...], latin: tuple[str, ...]) -> str:
    if zh and rng.random() < ZH_FAMILY_SHARE:
        return rng.choice(zh_only)
    return rng.choice(latin)


# ---------------------------------------------------------------- disguises of a brand name
def accented(word: str, rng: random.Random) -> str:
    base = _plain(word)
    idx = [i for i, c in enumerate(base) if c in fv.ACCENTS]
    for _ in range(8):
        chosen = set(rng.sample(idx, k=min(len(idx), rng.choice((1, 1, 2)))))
        out = "".join(rng.choice(fv.ACCENTS[c]) if i in chosen else c for i, c in enumerate(base))
        if out != word:
            return out
    return base[:-1] + rng.choice(fv.ACCENTS.get(base[-1], "é"))


def zero_width(word: str, rng: random.Random) -> str:
    chars = list(word)
    spots = [i for i in range(1, len(chars)) if chars[i] != " " and chars[i - 1] != " "]
    for i in sorted(rng.sample(spots, k=min(len(spots), rng.choice((1, 1, 2)))), reverse=True):
        chars.insert(i, rng.choice(fv.INVISIBLES))
    return "".join(chars)


def truncated(word: str, rng: random.Random) -> str:
    letters = len(word.replace(" ", ""))
    cut = rng.choice((1, 2)) if letters >= 7 else 1
    out = word[:-cut].rstrip()
    return out.upper() if rng.random() < 0.6 else out


def slip(word: str, rng: random.Random, avoid: set[str]) -> str:
    """One letter replaced (adidas -> adadis): vowels by vowels, consonants by consonants."""
    low = word.lower()
    for _ in range(20):
        i = rng.randrange(1, len(low))
        pool = "aeiou" if low[i] in "aeiou" else "bcdfghklmnprstvz"
        out = low[:i] + rng.choice(pool.replace(low[i], "")) + low[i + 1:]
        if out not in fv.REAL_WORDS and out not in avoid:
            break
    return out.upper() if rng.random() < 0.4 else out.capitalize()


def disguise(catalog: Catalog, planned: Brand, rng: random.Random, zh: bool) -> Disguise:
    """A counterfeit listing's disguised brand: family, brand (the planned one if it fits) and text."""
    zh_only = tuple(f for f in ZH_LEAD if any(eligible(f, b) for b in catalog.brands))
    latin = tuple(f for f in LATIN_LEAD if any(eligible(f, b) for b in catalog.brands))
    family = pick_family(rng, zh and bool(zh_only), zh_only, latin)
    brand = planned if eligible(family, planned) else rng.choice([b for b in catalog.brands if eligible(family, b)])
    product = rng.choice(brand.products)
    line = rng.choice(fv.MODEL_LINES[brand.id]) if family == "model_number" else ""
    if line:  # the product the line belongs to (so the title's nouns fit)
        words = set(line.lower().replace("'", " ").split())
        product = max(brand.products, key=lambda p: len(words & set(p.name.lower().split())))
    wording: str | None = rng.choice(vocab.CF_WORDS_ZH if zh else vocab.CF_WORDS_EN) if rng.random() < 0.72 else None
    model = True
    no_price, band = 0.03, (0.05, 0.35)
    zh_name = brand.chinese if zh and brand.chinese and rng.random() < 0.5 else None
    if family == "accented":
        text = accented(brand.name if rng.random() < 0.6 else brand.name.upper(), rng)
    elif family == "zero_width":
        text = zero_width(zh_name or (brand.name if rng.random() < 0.6 else brand.name.upper()), rng)
    elif family in ("zh_partial", "zh_spaced_partial"):
        name = _long_chinese(brand) or ""
        part = name[:2] if family == "zh_partial" or rng.random() < 0.5 else name[-2:]
        text = part if family == "zh_partial" else rng.choice((" ", "\u3000", "  ")).join(part)
    elif family == "zh_homophone":
        text = rng.choice(fv.HOMOPHONES[brand.id])
    elif family == "zh_glyph":
        text = rng.choice(fv.GLYPHS[brand.id])
    elif family == "styled_truncated":
        text = truncated(_plain(brand.name), rng)
        if rng.random() < 0.6:
            text = styled(text, brand, rng)
        # the model word follows after a space: a Chinese title glues its parts, and ADIDA + Samba
        # would spell the whole name again
        text, model = f"{text} {product.model}", False
    elif family == "short_slip":
        text = slip(_short_name(brand) or brand.name, rng, {a.lower() for a in brand.aliases})
    elif family == "replica_jargon":
        text = zh_name or (brand.name if rng.random() < 0.6 else brand.name.upper())
        jargon = fv.JARGON_ZH if zh else fv.JARGON_EN
        wording = " ".join(rng.sample(jargon, k=rng.choice((1, 2))))
        no_price, band = 0.4, (0.35, 0.6)  # replica sellers ask "W2C" or near-retail prices: price says little
    else:  # model_number: a product line and its number, mostly without the brand
        text = line if rng.random() < 0.7 else f"{brand.name} {line}"
        model = False
        if rng.random() < 0.5:
            wording = rng.choice(fv.JARGON_ZH if zh else fv.JARGON_EN)
    if family in NEED_CONTEXT and wording is None and model:
        if rng.random() < 0.5:
            wording = rng.choice(vocab.CF_WORDS_ZH if zh else vocab.CF_WORDS_EN)
        else:  # the model word right beside the disguise
            text = f"{text} {product.model}"
            model = False
    return Disguise(family, brand, product, text, wording, model, no_price, band)


# ---------------------------------------------------------------- lawful look-alikes
@dataclass(frozen=True)
class Lookalike:
    family: str
    title: str
    mentioned_brand: str | None
    drawn: str
    price_range: tuple[float, float]


def lookalike(catalog: Catalog, rng: random.Random, zh: bool) -> Lookalike:
    """An ordinary listing that looks like a brand (a compound, an art title, a near word ...)."""
    ids = {b.id for b in catalog.brands}
    entries = [e for e in fv.LAWFUL if e[3] is None or e[3] in ids]
    family = pick_family(rng, zh, ZH_LAWFUL, LATIN_LAWFUL)
    if family in ("accented_lawful", "styled_lawful", "invisible_lawful"):
        return _decorated(catalog, family, rng, zh)
    options = [e for e in entries if e[0] == family and (e[2] if zh else e[1])] or \
        [e for e in entries if e[0] == family]
    fam, en, zh_t, mentioned, drawn, price = rng.choice(options)
    title = zh_t if (zh and zh_t) or not en else en
    assert title is not None
    return Lookalike(fam, title, mentioned, drawn, price)


def _decorated(catalog: Catalog, family: str, rng: random.Random, zh: bool) -> Lookalike:
    by_id = {b.id: b for b in catalog.brands}
    if family == "accented_lawful":
        title, drawn, price = rng.choice(fv.ACCENTED_LAWFUL)
        return Lookalike(family, title, None, drawn, price)
    # an ordinary-word title (apple fruit, puma plush, coach bus ...) decorated with styled letters or
    # carrying invisible characters in its *other* words: the brand-like word itself stays plain, since
    # a disguised spelling of it would be a disguise (issue 10), not an ordinary use
    use_zh = zh and family == "invisible_lawful"  # styled letters exist for Latin only

    def names(b_id: str) -> list[str]:
        b = by_id[b_id]
        return [_plain(b.name).lower(), *(a.lower() for a in b.aliases if len(a) > 2 or _han(a))]

    entries = [e for e in vocab.ORDINARY if e[2] in by_id and any(n in e[1 if use_zh else 0].lower()
                                                                   for n in names(e[2]))]
    if not entries:  # a catalog without these brands: an accented ordinary title instead
        return _decorated(catalog, "accented_lawful", rng, zh)
    en, zh_t, b_id, _meaning, drawn, price = rng.choice(entries)
    brand = by_id[b_id]
    words = (zh_t if use_zh else en).split(" ")
    others = [i for i, w in enumerate(words) if len(w) > 1 and not any(n in _plain(w).lower() for n in names(b_id))
              and (use_zh or any(c.isascii() and c.isalpha() for c in w))]
    for i in rng.sample(others, k=min(len(others), rng.choice((1, 2, 3)))):
        words[i] = styled(words[i], brand, rng) if family == "styled_lawful" else zero_width(words[i], rng)
    return Lookalike(family, " ".join(words), b_id, drawn, price)
