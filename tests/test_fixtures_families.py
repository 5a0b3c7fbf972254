"""The disguise families of issue 10 in the generated marketplaces: present, labelled, and what they claim.

Each family's titles are checked against the family's definition with independent means (Unicode
folding, pypinyin, the catalog's own names), not against the generator's word lists.
"""

from __future__ import annotations

import collections
import re
import unicodedata
from typing import Any

import numpy as np
import pytest
from pypinyin import lazy_pinyin

from brandsweep.marketplace_fixtures import generate
from brandsweep.marketplace_fixtures.catalog import Brand, Catalog
from brandsweep.marketplace_fixtures.families import LAWFUL_FAMILIES, LEAD_FAMILIES
from brandsweep.marketplace_fixtures.generator import KINDS
from brandsweep.marketplace_fixtures.photo_kinds import PHOTO_LEAD

INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
HAN = re.compile(r"[\u4e00-\u9fff]+")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", INVISIBLE.sub("", s))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def _names(brand: Brand) -> list[str]:
    return [_fold(n) for n in (brand.name, *brand.aliases) if len(n) >= 2]


@pytest.fixture(scope="module")
def generated() -> tuple[Catalog, list[dict[str, Any]]]:
    g = generate(None, 4000, 4242)
    return g.catalog, list(g.listings())


def _by_family(listings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for x in listings:
        out[x["label"]["family"]].append(x)
    return out


def test_every_family_is_present_with_ground_truth(generated: tuple[Catalog, list[dict[str, Any]]]) -> None:
    catalog, listings = generated
    fams = _by_family(listings)
    ids = {b.id for b in catalog.brands}
    for fam in LEAD_FAMILIES:
        assert len(fams[fam]) >= 20, (fam, len(fams[fam]))
        for x in fams[fam]:
            lb = x["label"]
            assert lb["case_kind"] == "counterfeit_disguised" and lb["expected_lead"] is True
            assert lb["expected_brand"] in ids and fam in lb["transform"].split("+")
    for fam in LAWFUL_FAMILIES:
        assert len(fams[fam]) >= 12, (fam, len(fams[fam]))
        for x in fams[fam]:
            lb = x["label"]
            assert lb["case_kind"] == "lookalike" and lb["expected_lead"] is False
            assert lb["expected_brand"] is None and lb["mentioned_brand"] in (ids | {None})
    for fam in PHOTO_LEAD:  # issue 15: the brand only in the photo
        assert len(fams[fam]) >= 20, (fam, len(fams[fam]))
        for x in fams[fam]:
            lb = x["label"]
            assert lb["case_kind"] == "counterfeit_photo" and lb["expected_lead"] is True
            assert lb["expected_brand"] in ids and lb["transform"] == fam
    # every other listing's family is its case kind
    for x in listings:
        if x["label"]["case_kind"] not in ("counterfeit_disguised", "lookalike", "counterfeit_photo"):
            assert x["label"]["family"] == x["label"]["case_kind"]
    assert set(fams) == set(LEAD_FAMILIES) | set(LAWFUL_FAMILIES) | set(PHOTO_LEAD) | set(KINDS) - {
        "counterfeit_disguised", "lookalike", "counterfeit_photo"}


def test_photo_marks_are_printed_light_on_dark_products_too() -> None:
    """A catalog logo on a dark product: on a light tag, or straight on it in light ink (a white logo
    on a black shoe); never dark on dark. On a light product: dark ink or a tag."""
    from PIL import Image

    from brandsweep.marketplace_fixtures.photo_kinds import layout, print_mark

    g = generate(None, 200, 4242)
    brand_id = sorted(g.catalog.logos)[0]
    mark = f"logo:{brand_id}"
    dark, light = Image.new("RGB", (480, 480), (25, 22, 30)), Image.new("RGB", (480, 480), (235, 232, 226))
    on_dark = collections.Counter(layout(dark, mark, g.catalog, str(seed)).style for seed in range(40))
    on_light = collections.Counter(layout(light, mark, g.catalog, str(seed)).style for seed in range(40))
    assert on_dark["light"] >= 8 and on_dark["tag"] >= 15 and on_dark["direct"] == 0, on_dark
    assert on_light["direct"] >= 10 and on_light["tag"] >= 10 and on_light["light"] == 0, on_light
    seed = next(str(k) for k in range(40) if layout(dark, mark, g.catalog, str(k)).style == "light")
    printed = np.asarray(print_mark(dark, mark, g.catalog, seed).convert("L"))
    assert (printed > 150).mean() > 0.01  # the light ink is there, not a tag's worth of it
    assert (printed > 150).mean() < 0.5 * layout(dark, mark, g.catalog, seed).width


def _brand(catalog: Catalog, x: dict[str, Any]) -> Brand:
    return catalog.brand(x["label"]["expected_brand"])


def test_accents_invisibles_and_truncation_hide_a_latin_name(generated: tuple[Catalog, list[dict[str, Any]]]) -> None:
    catalog, listings = generated
    fams = _by_family(listings)
    for x in fams["accented"]:
        name = _fold(_brand(catalog, x).name)
        assert name in _fold(x["title"]), x["title"]  # folding restores the name ...
        assert _fold(_brand(catalog, x).name) not in x["title"].casefold()  # ... which is not written plainly
        assert any(unicodedata.combining(c) for c in unicodedata.normalize("NFKD", x["title"]))
    for x in fams["zero_width"]:
        assert INVISIBLE.search(x["title"]), x["title"]
        assert any(n in _fold(x["title"]) for n in _names(_brand(catalog, x)))
        assert not any(n in x["title"].casefold() for n in _names(_brand(catalog, x)) if len(n) > 2)
    for x in fams["styled_truncated"]:
        title = unicodedata.normalize("NFKC", x["title"]).casefold()
        name = _fold(_brand(catalog, x).name)
        assert name not in title, x["title"]
        assert any(name[:k] in title for k in range(4, len(name))), x["title"]


def test_one_letter_slips_keep_length_and_context(generated: tuple[Catalog, list[dict[str, Any]]]) -> None:
    catalog, listings = generated
    for x in _by_family(listings)["short_slip"]:
        name = _fold(_brand(catalog, x).name)
        title = x["title"].casefold()  # Chinese titles may glue words together: look at every window
        windows = [title[i:i + len(name)] for i in range(len(title) - len(name) + 1)]
        slips = [w for w in windows if w.isalpha() and sum(a != b for a, b in zip(w, name, strict=True)) == 1]
        assert slips and name not in title, x["title"]


def test_chinese_partials_and_homophones(generated: tuple[Catalog, list[dict[str, Any]]]) -> None:
    catalog, listings = generated
    fams = _by_family(listings)
    for fam in ("zh_partial", "zh_spaced_partial"):
        for x in fams[fam]:
            brand = _brand(catalog, x)
            long_names = [a for a in brand.aliases if HAN.fullmatch(a) and len(a) >= 3]
            title = x["title"]
            assert not any(a in title for a in brand.aliases if HAN.fullmatch(a)), title  # never a whole name
            if fam == "zh_partial":
                assert any(a[:2] in title for a in long_names), title
            else:
                assert any(re.search(rf"{a[i]}\s+{a[i + 1]}", title) for a in long_names for i in (0, len(a) - 2))
    for x in fams["zh_homophone"]:
        brand = _brand(catalog, x)
        assert brand.chinese and brand.chinese not in x["title"]
        target = "".join(lazy_pinyin(brand.chinese))
        sounds = ["".join(lazy_pinyin(run[i:i + len(brand.chinese)])) for run in HAN.findall(x["title"])
                  for i in range(len(run) - len(brand.chinese) + 1)]
        assert any(_near(s, target) for s in sounds), (x["title"], target)


def _glyph_windows(title: str, name: str) -> list[str]:
    """Windows of the title's Han runs as long as ``name`` that differ from it in some, not all,
    characters, each differing character sounding unlike the one it replaces (drawn alike, not said alike)."""
    out = []
    for run in HAN.findall(title):
        for i in range(len(run) - len(name) + 1):
            w = run[i:i + len(name)]
            diff = [k for k in range(len(name)) if w[k] != name[k]]
            if 0 < len(diff) < len(name) and all(lazy_pinyin(w[k]) != lazy_pinyin(name[k]) for k in diff):
                out.append(w)
    return out


def test_chinese_glyph_lookalikes(generated: tuple[Catalog, list[dict[str, Any]]]) -> None:
    catalog, listings = generated
    fams = _by_family(listings)
    for x in fams["zh_glyph"]:  # the name with a character swapped for one drawn alike, beside context
        brand = _brand(catalog, x)
        assert brand.chinese and brand.chinese not in x["title"], x["title"]
        assert _glyph_windows(x["title"], brand.chinese), (x["title"], brand.chinese)
    for x in fams["zh_glyph_lawful"]:  # an ordinary word one character off a Chinese name of the brand
        brand = catalog.brand(x["label"]["mentioned_brand"])
        names = [a for a in brand.aliases if HAN.fullmatch(a)]
        assert not any(a in x["title"] for a in names), x["title"]
        assert any(_glyph_windows(x["title"], a) for a in names), x["title"]
        assert x["label"]["seller_role"] != "counterfeit"


def _near(a: str, b: str) -> bool:
    """Same pinyin, or one initial differs (gu-qi / gu-chi, ya-si / ya-shi)."""
    return _edits(a, b) <= 2


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def test_jargon_and_model_numbers_carry_the_counterfeit_signal(
        generated: tuple[Catalog, list[dict[str, Any]]]) -> None:
    catalog, listings = generated
    fams = _by_family(listings)
    jargon = re.compile(r"\b(reps?|batch|w2c|qc|gl|ua|1:1)\b|复刻|高仿|纯原|版|莆田|原单", re.IGNORECASE)
    for x in fams["replica_jargon"]:
        assert jargon.search(x["title"]), x["title"]
        assert any(n in _fold(x["title"]) for n in _names(_brand(catalog, x)))
    no_price = sum(x["price"] is None for x in fams["replica_jargon"])
    assert 0 < no_price < len(fams["replica_jargon"])  # price alone cannot carry this family
    for x in fams["model_number"]:
        brand = _brand(catalog, x)
        product_words = {w.casefold() for p in brand.products for w in p.name.split() if len(w) > 2}
        title_words = set(re.findall(r"[a-z0-9°']+", x["title"].casefold()))  # Chinese titles glue words
        assert re.search(r"\d", x["title"]) and product_words & title_words, x["title"]
    assert sum(not any(n in _fold(x["title"]) for n in _names(_brand(catalog, x)))
               for x in fams["model_number"]) > len(fams["model_number"]) // 2  # mostly without the brand


def test_lookalikes_are_lawful_and_look_like_a_brand(generated: tuple[Catalog, list[dict[str, Any]]]) -> None:
    catalog, listings = generated
    fams = _by_family(listings)
    for fam in ("zh_compound", "art_title", "inner_word", "styled_lawful", "invisible_lawful", "model_lawful"):
        for x in fams[fam]:
            brand = catalog.brand(x["label"]["mentioned_brand"])
            title = unicodedata.normalize("NFKC", _fold(x["title"]))
            names = [_fold(n) for n in (brand.name, *brand.aliases)] + \
                [_fold(w) for p in brand.products for w in p.name.split() if len(w) > 3] + \
                [a[:2] for a in brand.aliases if HAN.fullmatch(a) and len(a) >= 3]  # a partial Chinese name
            assert any(n in title for n in names), (fam, x["title"])  # the brand word (or a line) is there
            assert x["label"]["seller_role"] != "counterfeit"
    for x in fams["styled_lawful"] + fams["invisible_lawful"]:  # decoration elsewhere, the brand word plain
        brand = catalog.brand(x["label"]["mentioned_brand"])
        assert x["title"] != unicodedata.normalize("NFKC", INVISIBLE.sub("", x["title"])), x["title"]
        plain = [w for w in re.split(r"[\s()]+", x["title"]) if w]
        assert any(_fold(brand.name) == w.casefold() or any(a in w for a in brand.aliases if HAN.fullmatch(a))
                   for w in plain), x["title"]
    for x in fams["near_word"]:
        name = _fold(catalog.brand(x["label"]["mentioned_brand"]).name)
        words = re.findall(r"[a-z]+", x["title"].casefold())
        assert name not in words and any(_edits(w, name) == 1 for w in words), x["title"]


def test_families_are_deterministic_and_reach_the_demo_marketplaces() -> None:
    a = [x for x in generate(None, 600, 11).listings() if x["label"]["case_kind"] in ("counterfeit_disguised",
                                                                                       "lookalike")]
    b = [x for x in generate(None, 600, 11).listings() if x["label"]["case_kind"] in ("counterfeit_disguised",
                                                                                       "lookalike")]
    c = [x for x in generate(None, 600, 12).listings() if x["label"]["case_kind"] in ("counterfeit_disguised",
                                                                                       "lookalike")]
    assert a == b and a != c
    assert len({x["label"]["family"] for x in a}) >= 12
    demo = generate(None, 120, 11)  # the demo's size and seed (tests/test_demo.py)
    kinds = collections.Counter(x["label"]["case_kind"] for x in demo.listings())
    assert kinds["counterfeit_disguised"] >= 5 and kinds["lookalike"] >= 3, kinds
    platforms = {x["platform"] for x in demo.listings() if x["label"]["case_kind"] == "counterfeit_disguised"}
    assert len(platforms) >= 3
