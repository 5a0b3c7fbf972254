"""Listings with ground truth, from a catalog, a seed and a size; each listing built on demand.

:class:`Generated` decides, up front and cheaply, each listing's platform, case kind, brand and
seller (small integer arrays), and builds the full listing (title, price, images, label) only when
asked, from a random generator seeded by ``(seed, index)``.  So 200,000 listings cost a few
megabytes until they are rendered, and any one listing can be rebuilt identically at any time.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from brandsweep.marketplace_fixtures import vocab
from brandsweep.marketplace_fixtures.catalog import Brand, Catalog, Product, load_catalog

PLATFORMS = ("shopfront", "taoshop", "jsmall", "partnerapi")
PLATFORM_WEIGHTS = (0.35, 0.35, 0.15, 0.15)
CURRENCY = MappingProxyType({"shopfront": "USD", "taoshop": "CNY", "jsmall": "CNY", "partnerapi": "CNY"})
USD_CNY = 7.2  # the generator's fixed rate: shopfront prices are MSRP / 7.2

# case kind -> (share of listings, expected lead)
KINDS: dict[str, tuple[float, bool]] = MappingProxyType({
    "counterfeit_text": (0.12, True),
    "counterfeit_obfuscated": (0.12, True),
    "image_only": (0.07, True),
    "seller_network": (0.08, True),
    "counterfeit_disguised": (0.07, True),  # issue 10's families (accents, invisibles, partial names ...)
    "genuine_authorized": (0.08, False),
    "lawful_resale": (0.07, False),
    "compatibility_accessory": (0.07, False),
    "ordinary_word": (0.07, False),
    "lookalike": (0.06, False),  # lawful look-alikes of those families (compounds, art titles, near words ...)
    "unrelated": (0.19, False),
    # issue 15: the brand only in the photo. Not drawn by the plan: a share of the text counterfeits
    # becomes this kind (and of the unrelated listings lawful look-alike photos, kind lookalike) from a
    # random stream of its own, so that every other listing of a seed stays as it was
    "counterfeit_photo": (0.03, True),
})
KIND_NAMES = tuple(KINDS)
PLAN_KINDS = KIND_NAMES[: KIND_NAMES.index("counterfeit_photo")]
PHOTO_FROM = ("counterfeit_text", "counterfeit_obfuscated")  # counterfeit_photo is taken from these kinds
PHOTO_SHAPES_SHARE = 0.025  # share of all listings turned from unrelated into lookalike/photo_shapes
IMAGE_TRANSFORMS = ("resize", "crop10", "jpeg", "watermark", "mirror", "border", "rotate")
POPULAR = MappingProxyType(
    {"nike": 3, "adidas": 3, "gucci": 2, "louis-vuitton": 2, "chanel": 2, "apple": 3, "huawei": 2}
)


@dataclass(frozen=True)
class Seller:
    platform: str
    seller_id: str
    name: str
    province: str
    city: str
    phone: str
    address: str
    role: str  # authorized | normal | counterfeit | network
    network_id: str | None = None
    brand_id: str | None = None
    opened: int = 2015

    @property
    def location_zh(self) -> str:
        return self.province if self.province == self.city else f"{self.province} {self.city}"

    @property
    def location_en(self) -> str:
        if self.province.isascii():
            return self.city
        city = vocab.PINYIN_PLACE.get(self.city, self.city)
        prov = vocab.PINYIN_PLACE.get(self.province, self.province)
        return f"{city}, China" if city == prov else f"{city}, {prov}, China"

    def location(self) -> str:
        """The location as the platform shows it (Chinese on taoshop/partnerapi, English elsewhere)."""
        return self.location_zh if self.platform in ("taoshop", "partnerapi") else self.location_en


@dataclass
class Generated:
    """All listings of one (catalog, size, seed, epoch); see the package docstring for the API."""

    catalog: Catalog
    size: int
    seed: int
    epoch: int = 0
    sellers: dict[str, list[Seller]] = field(default_factory=dict)
    platform_of: array = field(default_factory=lambda: array("B"))
    kind_of: array = field(default_factory=lambda: array("B"))
    brand_of: array = field(default_factory=lambda: array("b"))
    seller_of: array = field(default_factory=lambda: array("i"))
    ordinal_of: array = field(default_factory=lambda: array("i"))
    by_platform: dict[str, array] = field(default_factory=dict)
    networks: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)  # (network id, brand idx)
    cache: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)
    photo_shapes: set[int] = field(default_factory=set)  # lookalike listings of family photo_shapes

    # --- identity --------------------------------------------------------------------------------
    def listing_id(self, i: int) -> str:
        p = PLATFORMS[self.platform_of[i]]
        k = self.ordinal_of[i]
        if p == "shopfront":
            return str(100000 + k)
        if p == "taoshop":
            return str(600000000000 + k * 7919)
        if p == "jsmall":
            return f"jm-{k:06d}"
        return f"PA{k:08d}"

    def index_of(self, platform: str, listing_id: str) -> int | None:
        """The listing index for a platform's listing id, or None."""
        try:
            if platform == "shopfront":
                k = int(listing_id) - 100000
            elif platform == "taoshop":
                k, r = divmod(int(listing_id) - 600000000000, 7919)
                if r:
                    return None
            elif platform == "jsmall":
                k = int(listing_id.removeprefix("jm-")) if listing_id.startswith("jm-") else -1
            else:
                k = int(listing_id.removeprefix("PA")) if listing_id.startswith("PA") else -1
        except ValueError:
            return None
        idx = self.by_platform.get(platform)
        if idx is None or not 0 <= k < len(idx):
            return None
        return idx[k]

    def seller(self, i: int) -> Seller:
        return self.sellers[PLATFORMS[self.platform_of[i]]][self.seller_of[i]]

    def find_seller(self, platform: str, seller_id: str) -> tuple[int, Seller] | None:
        for n, s in enumerate(self.sellers.get(platform, ())):
            if s.seller_id == seller_id:
                return n, s
        return None

    def seller_listings(self, platform: str, seller_no: int) -> list[int]:
        return [i for i in self.by_platform[platform] if self.seller_of[i] == seller_no]

    # --- listings --------------------------------------------------------------------------------
    def listing(self, i: int) -> dict[str, Any]:
        """The full listing ``i`` as a dict (with ``label``); built on demand, cached."""
        hit = self.cache.get(i)
        if hit is None:
            if len(self.cache) >= 4096:
                self.cache.clear()
            hit = self.cache[i] = build_listing(self, i)
        return hit

    def listings(self, platform: str | None = None) -> Iterator[dict[str, Any]]:
        idx = range(self.size) if platform is None else self.by_platform[platform]
        for i in idx:
            yield build_listing(self, i)

    def labels(self) -> Iterator[dict[str, Any]]:
        for i in range(self.size):
            yield build_listing(self, i)["label"]


def _weighted_brand(rng: random.Random, brands: tuple[Brand, ...]) -> int:
    weights = [POPULAR.get(b.id, 1) for b in brands]
    return rng.choices(range(len(brands)), weights=weights)[0]


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _place(rng: random.Random, hub: bool) -> tuple[str, str]:
    if hub and rng.random() < 0.75:
        return rng.choice(vocab.CF_HUBS)
    prov, cities = rng.choice(vocab.PROVINCES)
    return prov, rng.choice(cities)


def _address(rng: random.Random, prov: str, city: str) -> str:
    return f"{prov}{'' if prov == city else city}{rng.choice(vocab.STREETS)}{rng.randint(1, 399)}号"


def _shop_name(rng: random.Random, platform: str, role: str, city: str) -> str:
    zh = platform in ("taoshop", "partnerapi")
    if role in ("counterfeit", "network"):
        if zh:
            return f"{rng.choice(vocab.SHOP_ZH_A)}{rng.choice(vocab.CF_SHOP_ZH)}"
        return f"{rng.choice(vocab.CF_SHOP_EN)} {rng.randint(2, 99)}" if rng.random() < 0.5 else \
            f"{vocab.PINYIN_PLACE.get(city, 'Global')} {rng.choice(vocab.SHOP_EN_A)} {rng.choice(vocab.SHOP_EN_B)}"
    if zh:
        return f"{rng.choice(vocab.SHOP_ZH_A)}{rng.choice(vocab.SHOP_ZH_B)}"
    return f"{rng.choice(vocab.SHOP_EN_A)} {rng.choice(vocab.SHOP_EN_B)}"


def _make_sellers(g: Generated, rng: random.Random, counts: dict[str, int]) -> None:
    for p in PLATFORMS:
        shops: list[Seller] = []
        for b in g.catalog.brands:
            for sid, name in b.authorized_on(p):
                prov, city = ("上海", "上海") if rng.random() < 0.5 else ("北京", "北京")
                shops.append(Seller(p, sid, name, prov, city, f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                                    _address(rng, prov, city), "authorized", None, b.id, rng.randint(2009, 2016)))
        n = counts[p]
        for role, count in (("normal", max(4, n // 20)), ("counterfeit", max(4, n // 25))):
            for _ in range(count):
                prov, city = _place(rng, role == "counterfeit")
                if role == "normal" and p in ("shopfront", "jsmall") and rng.random() < 0.3:
                    prov = city = rng.choice(vocab.US_PLACES)
                k = len(shops)
                sid = f"s-{1000 + k * 37}" if p != "taoshop" else f"{2200000000 + k * 104729}"
                shops.append(Seller(p, sid, _shop_name(rng, p, role, city), prov, city, _phone(rng),
                                    _address(rng, prov, city), role, None, None, rng.randint(2012, 2025)))
        g.sellers[p] = shops
    n_networks = max(2, g.size // 150)
    for net in range(n_networks):
        nid = f"net-{net + 1:03d}"
        g.networks.append((nid, tuple(sorted({_weighted_brand(rng, g.catalog.brands) for _ in range(2)}))))
        phone = _phone(rng)
        hq = _place(rng, True)
        address = _address(rng, *hq)
        used: set[str] = set()
        for p in (*PLATFORMS, rng.choice(("taoshop", "shopfront"))):
            prov, city = _place(rng, False)
            while prov in used:
                prov, city = _place(rng, False)
            used.add(prov)
            share = rng.random()
            shops = g.sellers[p]
            k = len(shops)
            sid = f"s-{1000 + k * 37}" if p != "taoshop" else f"{2200000000 + k * 104729}"
            shops.append(Seller(p, sid, _shop_name(rng, p, "network", city), prov, city,
                                phone if share < 0.75 else _phone(rng),
                                address if share > 0.35 else _address(rng, prov, city),
                                "network", nid, None, rng.randint(2019, 2025)))


def generate(catalog_path: str | None = None, size: int = 1000, seed: int = 1, epoch: int = 0) -> Generated:
    """Decide every listing's platform, kind, brand and seller; details are built on demand."""
    if not 1 <= size <= 1_000_000:
        raise ValueError("size must be between 1 and 1,000,000")
    catalog = load_catalog(catalog_path)
    g = Generated(catalog, size, seed, epoch)
    rng = random.Random(f"plan:{seed}")
    kinds = [rng.choices(range(len(PLAN_KINDS)), weights=[KINDS[k][0] for k in PLAN_KINDS])[0] for _ in range(size)]
    plats = rng.choices(range(len(PLATFORMS)), weights=PLATFORM_WEIGHTS, k=size)
    counts = {p: plats.count(n) for n, p in enumerate(PLATFORMS)}
    _make_sellers(g, rng, counts)
    brands = catalog.brands
    pools: dict[tuple[str, str], list[int]] = {}
    for p in PLATFORMS:
        for n, s in enumerate(g.sellers[p]):
            pools.setdefault((p, s.role), []).append(n)
    auth_brands = {p: [bi for bi, b in enumerate(brands) if b.authorized_on(p)] for p in PLATFORMS}
    ordinals = dict.fromkeys(PLATFORMS, 0)
    g.by_platform = {p: array("i") for p in PLATFORMS}
    net_shops = {(p, s.network_id): n for p in PLATFORMS for n, s in enumerate(g.sellers[p]) if s.network_id}
    photo_rng = random.Random(f"photo-plan:{seed}")
    photo_from = sum(KINDS[k][0] for k in PHOTO_FROM)
    for i in range(size):
        p = PLATFORMS[plats[i]]
        kind = KIND_NAMES[kinds[i]]
        brand = _weighted_brand(rng, brands)
        if kind == "genuine_authorized":
            if not auth_brands[p]:
                kind = "lawful_resale"
            else:
                brand = rng.choice(auth_brands[p])
                options = [n for n, s in enumerate(g.sellers[p]) if s.brand_id == brands[brand].id]
                seller = rng.choice(options)
        if kind == "seller_network":
            nid, nbrands = g.networks[rng.randrange(len(g.networks))]
            brand = rng.choice(nbrands)
            seller = net_shops[(p, nid)]
        elif kind in ("counterfeit_text", "counterfeit_obfuscated", "image_only", "counterfeit_disguised"):
            pool = pools[(p, "counterfeit")] if rng.random() < 0.8 else pools[(p, "normal")]
            seller = pool[int(len(pool) * rng.random() ** 1.6)]
        elif kind != "genuine_authorized":
            pool = pools[(p, "normal")]
            seller = pool[int(len(pool) * rng.random() ** 1.6)]
        r = photo_rng.random()  # one draw per listing, whatever its kind: the stream stays aligned
        if kind in PHOTO_FROM and r < KINDS["counterfeit_photo"][0] / photo_from:
            kind = "counterfeit_photo"
        elif kind == "unrelated" and r < PHOTO_SHAPES_SHARE / KINDS["unrelated"][0]:
            kind = "lookalike"
            g.photo_shapes.add(i)
        g.platform_of.append(plats[i])
        g.kind_of.append(KIND_NAMES.index(kind))
        g.brand_of.append(brand)
        g.seller_of.append(seller)
        g.ordinal_of.append(ordinals[p])
        g.by_platform[p].append(i)
        ordinals[p] += 1
    return g


def _price(rng: random.Random, base_cny: float, lo: float, hi: float, currency: str) -> float:
    cny = base_cny * rng.uniform(lo, hi)
    if currency == "USD":
        return round(max(0.99, int(cny / USD_CNY)) + 0.99, 2) if cny / USD_CNY > 2 else round(cny / USD_CNY, 2)
    if cny >= 100:
        return float(int(cny) - int(cny) % 10 + rng.choice((0, 8, 9, 9)))
    return round(cny, 1)


def _image_transforms(rng: random.Random) -> list[str]:
    picks = rng.sample(IMAGE_TRANSFORMS, k=rng.choice((1, 1, 2)))
    return sorted(picks, key=IMAGE_TRANSFORMS.index)


def build_listing(g: Generated, i: int) -> dict[str, Any]:
    """Build listing ``i`` (deterministic in ``(g.seed, i, g.epoch)``); see module docstring."""
    from brandsweep.marketplace_fixtures.listing_kinds import fill_listing  # local: keeps the modules small

    rng = random.Random(f"listing:{g.seed}:{i}")
    platform = PLATFORMS[g.platform_of[i]]
    kind = KIND_NAMES[g.kind_of[i]]
    brand = g.catalog.brands[g.brand_of[i]]
    seller = g.seller(i)
    lid = g.listing_id(i)
    out: dict[str, Any] = {"index": i, "platform": platform, "listing_id": lid, "currency": CURRENCY[platform],
                           "seller_id": seller.seller_id, "seller_name": seller.name,
                           "seller_location": seller.location()}
    fill_listing(g, out, rng, kind, brand, seller)
    if g.epoch:
        _apply_epoch(g, out, i)
    return out


def _apply_epoch(g: Generated, out: dict[str, Any], i: int) -> None:
    rng = random.Random(f"epoch:{g.seed}:{i}:{g.epoch}")
    r = rng.random()
    state = "same"
    if r < 0.04:
        state = "removed"
        out["removed"] = True
    elif r < 0.10 and out.get("price"):
        state = "price_changed"
        out["price"] = round(out["price"] * rng.choice((0.8, 0.85, 0.9, 1.1, 1.2)), 2)
    elif r < 0.14:
        state = "title_changed"
        zh = any("\u4e00" <= c <= "\u9fff" for c in out["title"])
        out["title"] = f"{out['title']} {'清仓特价' if zh else 'Clearance Sale'}"
    out["label"]["epoch"] = g.epoch
    out["label"]["epoch_state"] = state


def pick_product(brand: Brand, rng: random.Random) -> Product:
    return rng.choice(brand.products)
