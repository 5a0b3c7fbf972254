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
  (a class-25 mark and a jacket: weaker than a product-name category, so it needs the position too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
_QUANTITY = re.compile(r"^\d+(\.\d+)?(kg|g|gm|mg|ml|l|ltr|cm|mm|m|in|inch|pcs|pc|x|pack|tb|gb|mb|w|v|mah|oz|lb)$")


@dataclass(frozen=True, slots=True)
class HitContext:
    compatibility: str | None  # the marker, when the hit is a compatibility mention
    ordinary_word: bool  # ambiguous term with no brand context
    context: str | None  # what resolved an ambiguous term (category/model/brand_term/indicator/initial)


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
    words = [t.text for t in tokens]
    j = hit.start - 1
    # walk back over fillers and other brand names (lists of compatible brands)
    while j >= 0 and (words[j] in FILLERS or j in covered):
        j -= 1
    for phrase in sorted(COMPAT_BEFORE, key=len, reverse=True):
        n = len(phrase)
        if j - n + 1 >= 0 and tuple(words[j - n + 1:j + 1]) == phrase:
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
) -> HitContext:
    marker = compat_marker(hit, tokens, covered, anywhere)
    if not hit.term.ambiguous:
        return HitContext(marker, False, None)
    words = [t.text for t in tokens]
    context: str | None = None
    title_words = {w for w in words if len(w) > 2 and not w.isdigit()} - own_words
    if shared_concepts or (
        category_words and (title_words & category_words or _cjk_category(words, category_words, own_words))
    ):
        context = "category"
    elif image_match:
        context = "image"
    elif any(not h.term.ambiguous for h in brand_hits if h.term.brand == hit.term.brand):
        context = "brand_term"
    elif _model_follows(words, hit.end):
        context = "model"
    elif has_indicator:
        context = "indicator"
    elif hit.start == 0 and hit.how == "exact" and (not category_words or class_concepts):
        context = "initial"
    return HitContext(marker, context is None, context)


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
