"""Context rules for a brand-term hit: compatibility mentions and ordinary-word uses.

Compatibility ("case for iPhone", "compatible with Canon", "适用于华为", "华为专用"): the hit is
preceded by a compatibility marker, possibly across filler words and other brand names
("charger for Samsung and Apple"), or — in Chinese — followed by 专用 / 通用.

Ordinary word (apple in a fruit listing, 小米 in a grain listing): the term is in the
ordinary-word list (``data/ordinary_words.txt``) and the title gives no *brand context*:

- category words: the title shares a content word with the brand's product names
  (shoe, phone, handbag …), other than the brand's own terms, or a category concept
  (``data/categories.tsv``: 手机 and smartphone are both *phone*);
- another term of the same brand that is not ambiguous (apple + iphone);
- a model number right after the term (Bosch GSB 500, Pilot V5);
- counterfeit wording anywhere in the title;
- a listing photo that matches one of the brand's catalog images;
- the term opens the title, where marketplaces put the brand, and either the brand has no products in
  the catalog (nothing to judge a category by) or the title names goods of its marks' Nice classes
  (a class-25 mark and a jacket: weaker than a product-name category, so it needs the position too),
  but not right after the term, where the word says what kind of goods they are (a coach jacket is a
  style of jacket, not a Coach one).

A two-character Chinese name written inside a longer run of Han characters (精工 in 精工锻打 "precision
forged") needs the same brand context, since the run may be an ordinary compound.

Never an ordinary word: a registered mark phrase (AIR JORDAN: the index does not mark it ambiguous), a
disguised spelling (Om3ga, Nіke with a Cyrillic і; not styled letters or format characters, which
lawful titles use too: 𝐀𝐩𝐩𝐥𝐞 Granny Smith), a term
followed by a bare number when the term names a product line of the brand (Jordan 1, Yeezy 350).

The title of a work (a painting, a print, a record, a statue, a book or film: Debussy's La Mer on vinyl, a
Sisley painting, the Nike of Samothrace, a Coco Chanel biography) is an
ordinary use of a name unless counterfeit wording or a model word of the brand is there too.

Weak forms (partial names, truncations, homophones, two-edit typos) count only with strong context:
counterfeit wording, a model word of the brand, a model number after the term, the brand's photo,
another strong term of the brand, or a price far below the brand's MSRP; without it they are dropped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from types import MappingProxyType
from typing import NamedTuple

from brandsweep.matchers.normalize import Token, is_cjk
from brandsweep.matchers.text import Hit

COMPAT_BEFORE: tuple[tuple[str, ...], ...] = (
    ("for",), ("fits",), ("fit",), ("fits", "for"), ("compatible",), ("compatible", "with"),
    ("compatible", "for"), ("for", "use", "with"), ("works", "with"), ("replacement", "for"),
    ("suitable", "for"), ("designed", "for"), ("made", "for"), ("compatibility",), ("replaces",),
    ("interchangeable", "with"), ("adapter", "for"), ("to", "fit"), ("für",), ("pour",), ("para",),
)
FILLERS = frozenset({"the", "your", "all", "new", "a", "an", "any", "most", "and", "or", "&", "series",
                     "models", "model", "old", "latest", "original"})
COMPAT_CJK_BEFORE: tuple[str, ...] = ("适用于", "适用", "兼容", "适配", "用于", "配", "for")
COMPAT_CJK_AFTER: tuple[str, ...] = ("专用", "通用", "适用", "兼容")
# a title that states compatibility anywhere ("数据线 适用 iPhone", "HP ... compatible battery") is about an
# accessory: brand names in it are compatibility mentions unless they open the title
COMPAT_ANYWHERE_LATIN = frozenset({"compatible", "compatibility", "replacement"})
COMPAT_ANYWHERE_CJK: tuple[str, ...] = ("适用", "兼容", "适配")
_MODEL = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]{2,}$")
_NUMBER = re.compile(r"^\d{1,4}$")
_UNITS = frozenset({"kg", "g", "gm", "mg", "ml", "l", "ltr", "cm", "mm", "m", "in", "inch", "pcs", "pc", "x", "pack",
                    "packs", "pk", "tb", "gb", "mb", "w", "v", "mah", "oz", "lb", "lbs", "piece", "pieces", "set",
                    "sets", "pair", "pairs", "count", "ct", "years", "year", "months", "days", "seater", "%"})
# a work (painting, print, record) whose title or maker carries the name
WORK_WORDS = frozenset({"painting", "paintings", "poster", "posters", "lithograph", "giclee", "artwork", "lp",
                        "symphony", "concerto", "sonata", "orchestra", "nocturne", "nocturnes", "prelude",
                        "impressionist", "impressionism", "painter", "composer", "soundtrack", "philharmonic",
                        "statue", "statues", "sculpture", "museum", "bust",
                        # books and films about a person or a story (a biography of Coco Chanel, Coach Carter)
                        "biography", "biographies", "autobiography", "memoir", "memoirs", "paperback", "hardcover",
                        "hardback", "novel", "dvd", "bluray", "documentary", "audiobook"})
WORK_PAIRS = frozenset({("art", "print"), ("wall", "art"), ("fine", "art"), ("on", "canvas"), ("canvas", "print"),
                        ("sheet", "music"), ("vinyl", "lp"), ("vinyl", "record"), ("on", "vinyl"), ("music", "cd"),
                        ("audio", "cd"), ("music", "album")})
WORK_CJK: tuple[str, ...] = ("油画", "挂画", "装饰画", "版画", "画作", "名画", "海报", "黑胶", "唱片", "专辑", "乐谱",
                             "交响", "协奏", "奏鸣", "雕像", "雕塑", "塑像", "博物馆", "美术馆", "卢浮宫", "传记",
                             "自传", "回忆录", "小说", "电影", "纪录片", "光盘")
# spellings nobody writes by accident (fancy fonts and stray format characters do occur in lawful titles)
DISGUISED = frozenset({"leet", "homoglyph"})
_QUANTITY = re.compile(r"^\d+(\.\d+)?(kg|g|gm|mg|ml|l|ltr|cm|mm|m|in|inch|pcs|pc|x|pack|tb|gb|mb|w|v|mah|oz|lb)$")


class HitContext(NamedTuple):
    """What the context rules say of one hit (a named tuple: one is built for every hit of every title)."""

    compatibility: str | None  # the marker, when the hit is a compatibility mention
    ordinary_word: bool  # ambiguous term with no brand context
    context: str | None  # what resolved an ambiguous term (category/model/brand_term/indicator/initial)


def is_quantity(word: str) -> bool:
    """A size or amount (500ml, 12gb, 2kg, vol, pcs), not a model word."""
    return word in _UNITS or word in ("vol", "edp", "edt") or bool(_QUANTITY.match(word))


def title_work(tokens: Sequence[Token]) -> str | None:
    """The word that makes the title one of a work (painting, print, record), if any; once a title."""
    prev = ""
    words = [t.text for t in tokens]
    if "".join(words).isascii() and WORK_WORDS.isdisjoint(words) and WORK_PAIRS.isdisjoint(
            itertools.pairwise(words)):
        return None
    for tok in tokens:
        w = tok.text
        if w in WORK_WORDS or (prev, w) in WORK_PAIRS:
            return w
        if not w.isascii():
            found = next((m for m in WORK_CJK if m in w), None)
            if found:
                return found
        prev = w
    return None


def title_compat(tokens: Sequence[Token]) -> tuple[str | None, str | None]:
    """Compatibility stated anywhere in the title: (Latin word, Chinese marker), computed once a title."""
    latin = cjk = None
    for tok in tokens:
        w = tok.text
        if latin is None and w in COMPAT_ANYWHERE_LATIN:
            latin = w
        if cjk is None and not w.isascii():
            cjk = next((m for m in COMPAT_ANYWHERE_CJK if m in w), None)
    return latin, cjk


def title_long_words(words: Sequence[str]) -> frozenset[str]:
    """The title's words of three characters or more that are not numbers (the category rule's words), once a
    title; :func:`judge` takes the brand's own words out."""
    return frozenset(w for w in words if len(w) > 2 and not w.isdigit())


def _by_last_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by their last word, longest first (a hit is checked only against phrases that can end there)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        out.setdefault(phrase[-1], []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


_COMPAT_ENDING = MappingProxyType(_by_last_word(COMPAT_BEFORE))


def compat_marker(
    hit: Hit, tokens: Sequence[Token], covered: set[int], anywhere: tuple[str | None, str | None] | None = None
) -> str | None:
    """The compatibility marker governing ``hit``, if any."""
    latin, cjk = anywhere if anywhere is not None else title_compat(tokens)
    if hit.term.cjk or (hit.before and is_cjk(hit.before[-1:])):
        for m in COMPAT_CJK_BEFORE:
            if m in hit.before[-8:]:
                return m
        for m in COMPAT_CJK_AFTER:  # right after the name, or after a list of names (华为苹果专用)
            if m in hit.after[:6]:
                return m
        if cjk:
            return cjk
        if hit.before:
            return None
    if latin and hit.start > 0:
        return latin
    if cjk:
        return cjk
    j = hit.start - 1
    # walk back over fillers and other brand names (lists of compatible brands)
    while j >= 0 and (tokens[j].text in FILLERS or j in covered):
        j -= 1
    if j < 0:
        return None
    for phrase in _COMPAT_ENDING.get(tokens[j].text, ()):  # longest first
        n = len(phrase)
        if j - n + 1 >= 0 and tuple(t.text for t in tokens[j - n + 1:j + 1]) == phrase:
            return " ".join(phrase)
    return None


def judge(
    hit: Hit,
    tokens: Sequence[Token],
    covered: set[int],
    brand_hits: Sequence[Hit],
    category_words: frozenset[str],
    own_words: frozenset[str],
    has_indicator: bool,
    shared_concepts: bool = False,
    image_match: bool = False,
    class_concepts: bool = False,
    anywhere: tuple[str | None, str | None] | None = None,
    model_words: frozenset[str] = frozenset(),
    price_low: bool = False,
    product_line: bool = False,
    work: str | None = None,
    goods_after: bool = False,
    words: Sequence[str] | None = None,
    long_words: frozenset[str] | None = None,
) -> HitContext:
    """Context of one hit. ``model_words``: distinctive words of the brand's product names (Nautilus,
    Neverfull); ``price_low``: the price is far below the brand's; ``product_line``: the term names a
    product line of the brand (it occurs in its product names and is not the brand name); ``work``: the
    title is one of a work (:func:`title_work`); ``goods_after``: the word right after the term names goods
    of the brand's mark classes that its product names do not (coach jacket, puma t-shirt): the term may
    just say what kind of those goods it is, so opening the title is no brand context then. ``words`` (the
    tokens' texts) and ``long_words`` (:func:`title_long_words`) may be given when the caller judges many hits
    of one title: they are computed from ``tokens`` otherwise."""
    marker = compat_marker(hit, tokens, covered, anywhere)
    if words is None:
        words = [t.text for t in tokens]
    if hit.is_weak:
        # a low price counts for a weak form only when the title is about the brand's kind of goods
        category = shared_concepts or class_concepts
        return HitContext(marker, False, _strong_context(hit, words, brand_hits, has_indicator,
                                                         image_match, model_words, price_low, product_line,
                                                         category))
    # a work's title: only for a brand whose goods are known and are not what the title sells (a poster
    # maker's name on a poster is its brand)
    if (work and not has_indicator and category_words and not shared_concepts and not class_concepts
            and model_words.isdisjoint(words)):
        return HitContext(marker, True, None)
    if hit.flags & DISGUISED:
        return HitContext(marker, False, "disguise")
    if product_line and _number_follows(words, hit.end):
        return HitContext(marker, False, "model")
    embedded = _embedded(hit)
    if not hit.term.ambiguous and not embedded:
        return HitContext(marker, False, None)
    context: str | None = None
    title_words = (title_long_words(words) if long_words is None else long_words) - own_words
    if shared_concepts or (
        category_words and (title_words & category_words or _cjk_category(words, category_words, own_words))
    ):
        context = "category"
    elif image_match:
        context = "image"
    elif _other_term(hit, brand_hits):
        context = "brand_term"
    elif _model_follows(words, hit.end):
        context = "model"
    elif has_indicator:
        context = "indicator"
    elif (hit.start == 0 and hit.how == "exact" and (not category_words or (class_concepts and not goods_after))
          and not embedded):
        context = "initial"
    return HitContext(marker, context is None, context)


def model_number_pairs(
    product_words: Sequence[Sequence[Sequence[str]]], own_words: Sequence[frozenset[str]], stop: frozenset[str],
) -> dict[tuple[str, ...], tuple[int, ...]]:
    """(words..., number) -> brands: the product-line words of a product name right before its model number,
    at most the last two (smart band 8 -> ("smart", "band", "8"), Mate 60 -> ("mate", "60")), after the brand's
    own terms (Xiaomi 14 has none); ``product_words``: per brand, the tokens of each product name."""
    pairs: dict[tuple[str, ...], set[int]] = {}
    for b_idx, names in enumerate(product_words):
        for words in names:
            for i, n in enumerate(words):
                after = words[i + 1] if i + 1 < len(words) else ""
                if not (n.isdigit() and len(n) <= 4) or after in _UNITS or after == "vol":
                    continue  # 50 ml, 53% vol, 1 L: an amount, not a model number
                line: list[str] = []
                for w in reversed(words[max(0, i - 2):i]):
                    if not w.isalpha() or w in own_words[b_idx] or w in stop:
                        break
                    line.insert(0, w)
                if line:
                    pairs.setdefault((*line, n), set()).add(b_idx)
    return {k: tuple(sorted(v)) for k, v in pairs.items()}


def model_number_at(pairs: dict[tuple[str, ...], tuple[int, ...]], words: Sequence[str], i: int
                    ) -> tuple[int, ...]:
    """Brands whose product-line words and model number (:func:`model_number_pairs`) start at ``words[i]``."""
    found: tuple[int, ...] = ()
    for k in (2, 3):
        if i + k <= len(words):
            found += pairs.get(tuple(words[i:i + k]), ())
    return found


def _strong_context(
    hit: Hit, words: Sequence[str], brand_hits: Sequence[Hit], has_indicator: bool, image_match: bool,
    model_words: frozenset[str], price_low: bool, product_line: bool, category: bool,
) -> str | None:
    """What lets a weak form (partial, truncation, homophone, two-edit typo) count, or None."""
    if has_indicator:
        return "indicator"
    if hit.how != "model" and not model_words.isdisjoint(words):
        return "model_word"
    if image_match:
        return "image"
    if _other_term(hit, brand_hits):
        return "brand_term"
    if _model_follows(words, hit.end) or (product_line and _number_follows(words, hit.end)):
        return "model"
    if price_low and category:
        return "price"
    return None


def _embedded(hit: Hit) -> bool:
    """A two-character Chinese term written inside a longer run of Han characters (精工 in 精工锻打)."""
    return hit.term.cjk and len(hit.term.text) == 2 and hit.how == "exact" and (
        is_cjk(hit.after[:1]) or is_cjk(hit.before[-1:]))


def _other_term(hit: Hit, brand_hits: Sequence[Hit]) -> bool:
    """Another unambiguous, strong term of the same brand elsewhere in the title (apple + iphone)."""
    return any(
        h.term.brand == hit.term.brand and (h.start, h.end) != (hit.start, hit.end) and not h.term.ambiguous
        and not h.is_weak and not _embedded(h)
        for h in brand_hits
    )


def _number_follows(words: Sequence[str], i: int) -> bool:
    """A bare model number after a product-line term (Jordan 1, Yeezy 350), not a quantity (Jordan 2 pack)."""
    if i >= len(words) or not _NUMBER.match(words[i]):
        return False
    return i + 1 >= len(words) or words[i + 1] not in _UNITS


def _model_follows(words: Sequence[str], i: int) -> bool:
    """A model number right after the term: 'v5', 'gsb 500', 'a-52' (not a quantity such as '1kg')."""
    if i < len(words) and _MODEL.match(words[i]) and not _QUANTITY.match(words[i]):
        return True
    return (
        i + 1 < len(words) and words[i].isalpha() and words[i].isascii() and len(words[i]) <= 3
        and words[i + 1].isdigit() and len(words[i + 1]) >= 3
    )


def _cjk_category(words: Sequence[str], category_words: frozenset[str], own_words: frozenset[str]) -> bool:
    cjk_text = "".join(w for w in words if is_cjk(w))
    if not cjk_text:
        return False
    for own in own_words:
        cjk_text = cjk_text.replace(own, " ")
    return any(len(c) >= 2 and is_cjk(c) and c in cjk_text for c in category_words)
