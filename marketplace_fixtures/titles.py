"""Titles and descriptions in the style of real marketplaces, one function per case kind.

English titles follow the shapes of large English marketplaces ("Brand Model Noun For Men
(Colour)"); Chinese ones follow Taobao: a run of space-separated keywords with a season prefix,
brand in Chinese and Latin, product nouns, selling points and a shipping promise.
"""

from __future__ import annotations

import random

from brandsweep.marketplace_fixtures import vocab
from brandsweep.marketplace_fixtures.catalog import Brand, Product


def cf_word(rng: random.Random, zh: bool) -> str:
    return rng.choice(vocab.CF_WORDS_ZH if zh else vocab.CF_WORDS_EN)


def plain_brand(brand: Brand, rng: random.Random, zh: bool) -> str:
    """The brand as an honest seller writes it."""
    if zh and brand.chinese:
        r = rng.random()
        if r < 0.4:
            return brand.chinese
        if r < 0.75:
            return f"{brand.name}{brand.chinese}" if rng.random() < 0.5 else f"{brand.chinese}{brand.name}"
        return brand.name.upper() if rng.random() < 0.5 else brand.name
    r = rng.random()
    if brand.id == "louis-vuitton" and r < 0.2:
        return "LV"
    return brand.name.upper() if r < 0.3 else brand.name


def _insert(parts: list[str], word: str, rng: random.Random) -> list[str]:
    pos = rng.choice((0, 0, len(parts), len(parts), rng.randint(0, len(parts))))
    w = rng.choice((word, word, f"[{word}]", f"({word})")) if pos == 0 else word
    return [*parts[:pos], w, *parts[pos:]]


def _en(brand_text: str | None, product: Product | None, category: str, rng: random.Random,
        wording: str | None, model: bool = True) -> str:
    nouns, _, extras, _, _, _ = vocab.CATEGORY[category]
    noun = rng.choice(nouns)
    m = product.model if (product and model and rng.random() < 0.75) else ""
    colour = rng.choice(vocab.COLOURS_EN)
    gender = rng.choice(vocab.GENDER_EN)
    b = brand_text or ""
    shape = rng.randrange(5)
    wearable = category in ("shoes", "apparel", "bag", "perfume", "watch")
    if shape == 0:
        parts = [b, m, noun, *(("For", gender) if wearable else ()), f"({colour})"]
    elif shape == 1:
        parts = [b, m, rng.choice(extras), noun, colour]
    elif shape == 2:
        who = rng.choice(("Men's", "Women's", "Unisex", "Kids'")) if wearable else rng.choice(("Original", "Hot"))
        parts = [who, b, m, noun, "-", rng.choice(extras)]
    elif shape == 3:
        parts = [rng.choice(("New", "2024", "2025 New", "Hot")), b, m, noun, rng.choice(extras), colour]
    else:
        sizes = ("Size 7-12", "US 9", "EU 42") if category == "shoes" else ("Free Shipping", "Fast Delivery")
        parts = [b, m, noun, f"{colour},", rng.choice(extras), rng.choice(sizes)]
    parts = [p for p in parts if p]
    if wording:
        parts = _insert(parts, wording, rng)
    return " ".join(parts)


def _zh(brand_text: str | None, product: Product | None, category: str, rng: random.Random,
        wording: str | None, model: bool = True) -> str:
    _, nouns, _, extras, _, _ = vocab.CATEGORY[category]
    parts: list[str] = []
    if rng.random() < 0.6:
        parts.append(rng.choice(vocab.TAO_PREFIX))
    if brand_text:
        parts.append(brand_text)
    if product and model and rng.random() < 0.6:
        parts.append(product.model)
    parts += rng.sample(nouns, k=min(len(nouns), rng.randint(1, 3)))
    parts += rng.sample(extras, k=min(len(extras), rng.randint(1, 3)))
    if rng.random() < 0.3:
        parts.append(rng.choice(vocab.COLOURS_ZH))
    if rng.random() < 0.4:
        parts.append(rng.choice(vocab.TAO_SUFFIX))
    if wording:
        parts = _insert(parts, wording, rng)
    sep = " " if rng.random() < 0.75 else ""
    return sep.join(parts)


def product_title(brand_text: str | None, product: Product | None, category: str, rng: random.Random, *,
                  zh: bool, wording: str | None, model: bool = True) -> str:
    return (_zh if zh else _en)(brand_text, product, category, rng, wording, model)


def description(kind: str, rng: random.Random, zh: bool, *, wording: str | None = None) -> str:
    """A short listing description matching the case kind."""
    if zh:
        table = {
            "counterfeit": ("原厂材料 细节对比图见详情 支持任何验货", "工厂直销 包装配件齐全 盒子吊牌都有",
                            "实拍图 所见即所得 介意勿拍", "全套包装 送防尘袋 七天无理由"),
            "genuine": ("品牌官方授权 正品保障 支持专柜验货 可开发票", "官方旗舰店 全国联保 假一赔十"),
            "resale": ("专柜购入 全新未拆封 附小票 尺码不合适转让", "闲置转让 仅试穿一次 保证正品 可验",
                       "海外代购 正品 有购物小票"),
            "accessory": ("非原厂配件 仅适用于所列型号 不含手机/主机", "兼容配件 第三方生产 品质保证"),
            "plain": ("包邮 现货 48小时内发货", "品质保证 售后无忧 好评返现", "厂家直销 支持批发"),
        }
    else:
        table = {
            "counterfeit": ("Top quality, all details same as original. Comes with box and tags.",
                            "Factory direct, same material as the original. Real photos, what you see is what "
                            "you get.", "Best version on the market, full packaging included."),
            "genuine": ("Official store. 100% authentic with manufacturer warranty and invoice.",
                        "Authorized retailer. Genuine product, shipped from our warehouse."),
            "resale": ("Bought from the official store, brand new with receipt. Selling because wrong size.",
                       "Pre-owned, excellent condition, original receipt available.",
                       "Authentic, purchased at the boutique; proof of purchase on request."),
            "accessory": ("Third-party accessory. Not made by or affiliated with the device maker.",
                          "Compatible accessory only; device not included."),
            "plain": ("Fast shipping. Satisfaction guaranteed.", "Brand new, high quality, ships in 24 hours.",
                      "Great value. Bulk orders welcome."),
        }
    text = rng.choice(table[kind])
    if wording and rng.random() < 0.5:
        text = f"{wording} {text}" if rng.random() < 0.5 else f"{text} {wording}"
    return text
