"""Every spelling of a catalog brand the text index accepts, derived once at index build time.

From the catalog's name, aliases and mark words (plus pypinyin) come:

- strong forms, which link a title to the brand on their own:
  ``as written`` (folded: NFKC, casefold, accents dropped), ``camel split`` (FabHome -> fab home),
  ``joined`` (louis vuitton -> louisvuitton), ``pinyin`` (耐克 -> naike, nai ke), ``without the``
  (The North Face -> north face);
- weak forms, which count only with context (counterfeit wording, a model word of the brand, a
  price far below MSRP, a model number, the brand's photo or another strong term of the brand):
  ``partial`` (the first two Han characters of a longer Chinese name: 百达 for 百达翡丽, 劳力 for
  劳力士) and the last two (翡丽 for 百达翡丽, 奈儿 for 香奈儿) and ``truncated`` (a Latin name of
  7-10 letters without its first or last two letters: versa for Versace, coste for Lacoste; one
  letter less is a one-edit typo the fuzzy index already finds).

Two more weak families are matched at lookup time, not enumerated here (see ``TextIndex``):
homophones of a Chinese name (same or near toneless pinyin with at least one character in common:
古弛/古奇 for 古驰, 迪澳 for 迪奥), characters drawn like the name's (形近字, :mod:`brandsweep.matchers.glyphs`:
香奈几 for 香奈儿, 劳力土 for 劳力士), and two-edit or cut-short typos of a Latin name (adadis,
LOUSVUITT), both only beside counterfeit wording or a model word.

``brandsweep catalog variants BRAND`` prints :func:`derive`'s output, with :func:`sound_key` for
the homophone readings and :func:`brandsweep.matchers.glyphs.glyph_forms` for the look-alike ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from brandsweep.matchers.normalize import Normalizer, is_cjk
from brandsweep.matchers.types import Brand

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")

# scoring kinds: what the form counts as
STRONG_KINDS = ("name", "alias", "mark", "pinyin")
WEAK_KINDS = ("partial", "truncated")


@dataclass(frozen=True, slots=True)
class Variant:
    text: str  # canonical form, as the index stores it (space-joined folded tokens)
    kind: str  # name | alias | mark | pinyin | partial | truncated
    how: str  # how it was derived: as written, folded, camel split, joined, pinyin, first two, …
    source: str  # the catalog spelling it comes from
    mark_reg_no: str | None
    weak: bool  # counts only with context


def _catalog_spellings(brand: Brand) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = [(brand.name, "name", None)]
    out += [(a, "alias", None) for a in brand.aliases]
    out += [(m.word, "mark", m.reg_no) for m in brand.marks if m.word]
    return out


def derive(brand: Brand, normalizer: Normalizer) -> list[Variant]:
    """Every form of ``brand`` the index stores, strong first, without duplicates (text, kind)."""
    strong: list[Variant] = []
    seen: set[tuple[str, str]] = set()

    def add(bucket: list[Variant], text: str, kind: str, how: str, source: str, reg: str | None,
            weak: bool = False) -> None:
        if len(text) < 2 or (text, kind) in seen:
            return
        seen.add((text, kind))
        bucket.append(Variant(text, kind, how, source, reg, weak))

    spellings = _catalog_spellings(brand)
    for raw, kind, reg in spellings:
        for text, kind2, how in _strong_forms(raw, kind, normalizer):
            add(strong, text, kind2, how, raw, reg)
    strong_texts = {v.text for v in strong}
    weak: list[Variant] = []
    cjk_terms = [v for v in strong if v.kind != "pinyin" and _HAN.match(v.text)]
    for v in cjk_terms:
        # a name that contains a shorter Chinese name of the brand (贵州茅台 ⊃ 茅台) is a qualified form:
        # its pieces (贵州) are not short names of the brand
        if len(v.text) < 3 or any(o.text != v.text and o.text in v.text for o in cjk_terms):
            continue
        parts = [(v.text[:2], "first two characters")]
        parts.append((v.text[-2:], "last two characters"))
        for text, how in parts:
            if text not in strong_texts:
                add(weak, text, "partial", f"{how} of {v.text}", v.source, v.mark_reg_no, weak=True)
    for v in strong:
        # names and mark words only (an alias may be a pinyin reading: adidasi)
        if v.kind not in ("name", "mark") or " " in v.text or not v.text.isalpha():
            continue
        n = len(v.text)
        if not 7 <= n <= 10:
            continue  # one letter less is a typo the fuzzy index finds; longer names are not cut so
        for text, how in ((v.text[:n - 2], f"{v.text} without its last two letters"),
                          (v.text[2:], f"{v.text} without its first two letters")):
            if text not in strong_texts:
                add(weak, text, "truncated", how, v.source, v.mark_reg_no, weak=True)
    return strong + weak


def _strong_forms(raw: str, kind: str, normalizer: Normalizer) -> Iterator[tuple[str, str, str]]:
    readings: list[tuple[str, str, str]] = [(raw, kind, "as written")]
    spaced = _CAMEL.sub(" ", raw)
    if spaced != raw:
        readings.append((spaced, kind, "camel split"))
    readings += [(p, "pinyin", f"pinyin of {raw}") for p in normalizer.pinyin(normalizer.fold(raw))]
    for text, kind2, how in list(readings):
        for form in normalizer.term_forms(text):
            label = how
            if how == "as written" and form != raw.casefold() and form != " ".join(raw.casefold().split()):
                label = "folded"
            yield form, kind2, label
            words = form.split()
            if len(words) > 1 and not is_cjk(form):
                yield form.replace(" ", ""), kind2, f"joined ({label})" if label != "as written" else "joined"
                if words[0] == "the" and len(words) > 2:
                    rest = " ".join(words[1:])
                    yield rest, kind2, "without 'the'"
                    yield rest.replace(" ", ""), kind2, "without 'the', joined"


# ------------------------------------------------------------------ sound keys (homophones)
# near sounds sellers swap (and speakers of many dialects merge): retroflex ~ dental ~ palatal
# initials, n ~ l, front ~ back nasal finals
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("j", "z"), ("q", "c"), ("x", "s"), ("l", "n"))
_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def loose(syllable: str) -> str:
    """A toneless pinyin syllable with near sounds merged (chi ~ qi ~ ci, ao, lan ~ nang ...)."""
    s = syllable
    for a, b in _INITIALS:
        if s.startswith(a):
            s = b + s[len(a):]
            break
    for a, b in _FINALS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    if s in ("zu", "cu", "su") and syllable[0] in "jqx":  # ju/qu/xu are jü/qü/xü
        s += ":"
    return s


def sound_key(text: str, readings: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Per character, its loose readings (from ``readings``, a char -> toneless readings cache)."""
    return [tuple(loose(r) for r in readings.get(c, ())) for c in text]
