"""Fill in one listing of a given case kind: title, description, price, sales, images and label."""

from __future__ import annotations

import random
from types import MappingProxyType
from typing import Any

from brandsweep.marketplace_fixtures import families, photo_kinds, titles, vocab
from brandsweep.marketplace_fixtures.catalog import Brand
from brandsweep.marketplace_fixtures.generator import KINDS, Generated, Seller, _image_transforms, _price, pick_product
from brandsweep.marketplace_fixtures.obfuscate import obfuscate

# drawn object kind -> browsing category
CATEGORY_OF_DRAWN = MappingProxyType({
    "shoe": "shoes", "hoodie": "apparel", "handbag": "bag", "tote": "bag", "duffel": "bag", "perfume": "perfume",
    "phone": "phone", "case": "accessories", "earbuds": "earbuds", "watch": "watch", "band": "watch",
    "liquor": "liquor", "dropper": "skincare", "pump": "bodycare", "soap": "bodycare", "fruit": "food",
    "plush": "toys", "vehicle": "toys", "book": "books", "mug": "home", "chair": "home", "box": "home",
})
CATEGORY_OF_PRODUCT = MappingProxyType({"shoes": "shoes", "apparel": "apparel", "bag": "bag", "perfume": "perfume",
                       "phone": "phone", "earbuds": "earbuds", "watch": "watch", "liquor": "liquor",
                       "skincare": "skincare", "bodycare": "bodycare", "general": "home"})
IMAGE_ONLY_HINTS_EN = ("Top Quality", "Premium Quality", "Luxury Style", "Designer Inspired", "Same as Pic")
IMAGE_ONLY_HINTS_ZH = ("大牌同款", "明星同款", "网红爆款", "高品质", "奢侈品同款", "专柜品质")


def _zh(platform: str, rng: random.Random) -> bool:
    r = rng.random()
    return platform == "taoshop" or (platform == "partnerapi" and r < 0.6) or (platform == "jsmall" and r < 0.15)


def _sales(rng: random.Random, platform: str, kind: str) -> int | None:
    if platform == "shopfront" and rng.random() < 0.15:
        return None
    if platform == "jsmall" and rng.random() < 0.3:
        return None
    scale = {"counterfeit_text": 800, "counterfeit_obfuscated": 600, "image_only": 900, "counterfeit_photo": 900,
             "seller_network": 700,
             "genuine_authorized": 3000}.get(kind, 150)
    return int(rng.lognormvariate(0, 1.5) * scale) if rng.random() > 0.08 else 0


def _drawn(kind: str, platform: str, lid: str, n: int) -> str:
    return f"draw|{kind}|{platform}-{lid}-{n}"


def _printed(drawn: str, mark: str, platform: str, lid: str, n: int) -> str:
    return f"print|{drawn}|{mark}|{platform}-{lid}-{n}"


def _catalog_ref(product_id: str, transforms: list[str], variant: str) -> str:
    return f"cat|{product_id}|{'+'.join(transforms)}|{variant}"


def _product_kind(category: str) -> str:
    return vocab.CATEGORY.get(category, vocab.CATEGORY["general"])[5]


def fill_listing(g: Generated, out: dict[str, Any], rng: random.Random, kind: str, brand: Brand,
                 seller: Seller) -> None:
    platform, lid = out["platform"], out["listing_id"]
    zh = _zh(platform, rng)
    cur = out["currency"]
    label: dict[str, Any] = {"platform": platform, "listing_id": lid, "expected_brand": None,
                             "expected_lead": KINDS[kind][1], "case_kind": kind, "family": kind, "transform": None,
                             "network_id": None, "mentioned_brand": None, "product_id": None,
                             "image_source": "own", "seller_role": seller.role}
    transform: list[str] = []
    keywords: list[str] = []
    images: list[str] = []
    wording = None
    price: float | None
    if kind in ("counterfeit_text", "counterfeit_obfuscated", "image_only", "seller_network",
                "genuine_authorized", "lawful_resale"):
        product = pick_product(brand, rng)
        label.update(expected_brand=brand.id, product_id=product.id)
        category = product.category
        msrp = product.msrp or 500.0
        obf = kind == "counterfeit_obfuscated" or (kind == "seller_network" and rng.random() < 0.5)
        if kind == "image_only":
            brand_text = None
            if rng.random() < 0.3:
                wording = rng.choice(IMAGE_ONLY_HINTS_ZH if zh else IMAGE_ONLY_HINTS_EN)
        elif obf:
            brand_text, tech = obfuscate(brand, rng, chinese_site=zh)
            transform.append(tech)
            if rng.random() < 0.4:
                keywords += [brand.name.lower()] + ([brand.chinese] if brand.chinese else [])
        else:
            brand_text = titles.plain_brand(brand, rng, zh)
        if kind in ("counterfeit_text", "counterfeit_obfuscated", "seller_network") and rng.random() < 0.72:
            wording = titles.cf_word(rng, zh)
        counterfeit = KINDS[kind][1]
        out["title"] = titles.product_title(brand_text, product, category, rng, zh=zh, wording=wording,
                                            model=kind != "image_only")
        out["description"] = titles.description(
            "counterfeit" if counterfeit else ("genuine" if kind == "genuine_authorized" else "resale"),
            rng, zh, wording=titles.cf_word(rng, zh) if counterfeit and rng.random() < 0.3 else None)
        lo, hi = (0.05, 0.35) if counterfeit else (0.8, 1.1)
        price = _price(rng, msrp, lo, hi, cur)
        use_catalog = counterfeit and (kind != "counterfeit_obfuscated" or rng.random() < 0.7)
        if kind == "genuine_authorized" and rng.random() < 0.5:  # official stores show the official photo
            images.append(_catalog_ref(product.id, ["resize"], lid))
            transform.append("image:resize")
            label["image_source"] = f"catalog:{product.id}"
        elif use_catalog:
            if kind == "seller_network":  # the network's shops share the very same photo
                net_rng = random.Random(f"net-photo:{g.seed}:{seller.network_id}:{product.id}")
                tf = _image_transforms(net_rng)
                images.append(_catalog_ref(product.id, tf, f"{seller.network_id}"))
            else:
                tf = _image_transforms(rng)
                images.append(_catalog_ref(product.id, tf, lid))
            transform += [f"image:{t}" for t in tf]
            label["image_source"] = f"catalog:{product.id}"
        else:
            images.append(_drawn(_product_kind(category), platform, lid, 0))
        if rng.random() < 0.35:
            images.append(_drawn("box", platform, lid, 1))
        out_cat = CATEGORY_OF_PRODUCT.get(category, "home")
    elif kind == "counterfeit_disguised":
        d = families.disguise(g.catalog, brand, rng, zh)
        label.update(expected_brand=d.brand.id, product_id=d.product.id, family=d.family)
        transform.append(d.family)
        out["title"] = titles.product_title(d.text, d.product, d.product.category, rng, zh=zh, wording=d.wording,
                                            model=d.model)
        out["description"] = titles.description(
            "counterfeit", rng, zh, wording=titles.cf_word(rng, zh) if rng.random() < 0.3 else None)
        price = None if rng.random() < d.no_price else _price(rng, d.product.msrp or 500.0, *d.price_band, cur)
        images.append(_drawn(_product_kind(d.product.category), platform, lid, 0))  # own photo: the text decides
        out_cat = CATEGORY_OF_PRODUCT.get(d.product.category, "home")
    elif kind == "counterfeit_photo":  # issue 15: the brand only in the photo
        product = pick_product(brand, rng)
        family = photo_kinds.choose_family(rng, brand, g.catalog)
        label.update(expected_brand=brand.id, product_id=product.id, family=family)
        transform.append(family)
        drawn = _product_kind(product.category)
        out["title"] = _decorate(photo_kinds.title(drawn, zh), rng, zh)
        out["description"] = titles.description("plain", rng, zh)
        price = _price(rng, product.msrp or 500.0, 0.05, 0.35, cur)
        images.append(_printed(drawn, photo_kinds.mark_ref(family, brand, rng), platform, lid, 0))
        out_cat = CATEGORY_OF_PRODUCT.get(product.category, "home")
    elif kind == "lookalike" and out["index"] in g.photo_shapes:  # lawful marks that look like logos
        drawn = rng.choice(tuple(photo_kinds.TITLES))
        label["family"] = "photo_shapes"
        out["title"] = _decorate(photo_kinds.title(drawn, zh), rng, zh)
        out["description"] = titles.description("plain", rng, zh)
        price = _price(rng, rng.uniform(40, 600), 1.0, 1.0, cur)
        images.append(_printed(drawn, photo_kinds.mark_ref("photo_shapes", None, rng), platform, lid, 0))
        out_cat = CATEGORY_OF_DRAWN[drawn]
    elif kind == "lookalike":
        look = families.lookalike(g.catalog, rng, zh)
        label.update(mentioned_brand=look.mentioned_brand, family=look.family)
        out["title"] = _decorate(look.title, rng, zh)
        out["description"] = titles.description("plain", rng, zh)
        price = _price(rng, rng.uniform(*look.price_range), 1.0, 1.0, cur)
        images.append(_drawn(look.drawn, platform, lid, 0))
        out_cat = CATEGORY_OF_DRAWN[look.drawn]
    elif kind == "compatibility_accessory":
        entry = rng.choice(vocab.ACCESSORY)
        b_id, en, zh_t, drawn, (lo_p, hi_p) = entry
        label["mentioned_brand"] = b_id
        base = rng.choice(zh_t if zh else en)
        out["title"] = _decorate(base, rng, zh)
        out["description"] = titles.description("accessory", rng, zh)
        price = _price(rng, rng.uniform(lo_p, hi_p), 1.0, 1.0, cur)
        images.append(_drawn(drawn, platform, lid, 0))
        out_cat = "accessories"
    elif kind == "ordinary_word":
        en, zh_t, b_id, _meaning, drawn, (lo_p, hi_p) = rng.choice(vocab.ORDINARY)
        label["mentioned_brand"] = b_id
        out["title"] = _decorate(zh_t if zh else en, rng, zh)
        out["description"] = titles.description("plain", rng, zh)
        price = _price(rng, rng.uniform(lo_p, hi_p), 1.0, 1.0, cur)
        images.append(_drawn(drawn, platform, lid, 0))
        out_cat = CATEGORY_OF_DRAWN[drawn]
    else:  # unrelated
        en, zh_t, drawn, (lo_p, hi_p) = rng.choice(vocab.UNRELATED)
        title = zh_t if zh else en
        if not zh and rng.random() < 0.6:
            title = f"{rng.choice(vocab.UNRELATED_BRANDS_EN)} {title}"
        out["title"] = _decorate(title, rng, zh)
        out["description"] = titles.description("plain", rng, zh)
        price = _price(rng, rng.uniform(lo_p, hi_p), 1.0, 1.0, cur)
        images.append(_drawn(drawn, platform, lid, 0))
        if rng.random() < 0.25:
            images.append(_drawn(drawn, platform, lid, 1))
        out_cat = CATEGORY_OF_DRAWN[drawn]
    if seller.network_id and kind == "seller_network":
        label["network_id"] = seller.network_id
    if rng.random() < 0.03:
        price = None
    label["transform"] = "+".join(transform) or None
    out.update(price=price, sales_count=_sales(rng, platform, kind), images=images, category=out_cat,
               keywords=keywords, jsonld=rng.random() < 0.5, label=label)


def _decorate(title: str, rng: random.Random, zh: bool) -> str:
    """Vary a fixed title the way sellers do: season prefixes, shipping promises, colours."""
    if zh:
        parts = [title]
        if rng.random() < 0.4:
            parts.insert(0, rng.choice(vocab.TAO_PREFIX))
        if rng.random() < 0.35:
            parts.append(rng.choice(vocab.TAO_SUFFIX))
        return " ".join(parts)
    r = rng.random()
    if r < 0.25:
        return f"{title} ({rng.choice(vocab.COLOURS_EN)})"
    if r < 0.4:
        return f"{title} - {rng.choice(('Free Shipping', 'Pack of 2', 'Best Seller', 'New Arrival'))}"
    return title
