"""Price signal: the listing's price against the matched product's MSRP (or the brand's).

The product is the brand's product whose distinctive name words (model names and numbers: "samba",
"og", "pegasus", "41") the title mostly contains, or whose name is most similar to the title
(rapidfuzz ``token_set_ratio`` on folded text, at least ``product_min_similarity``); else the
cheapest of the brand's products in the title's category (see :mod:`brandsweep.matchers.categories`); without
one, the *lowest* MSRP of the brand's products stands in, so that an unknown item is never judged
cheap against a dear one. Prices in different currencies are converted through
``MatchConfig.currency_rates``; an unknown currency or a missing price gives no ratio.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from brandsweep.matchers.config import MatchConfig
from brandsweep.matchers.normalize import Normalizer
from brandsweep.matchers.types import Brand, Product


@dataclass(frozen=True, slots=True)
class PriceCheck:
    product: Product | None  # the product the title names, if any
    reference_usd: float | None  # MSRP used as reference, in USD
    ratio: float | None  # listing price / reference, None when not comparable


def best_product(
    title_folded: str,
    title_words: frozenset[str],
    brand: Brand,
    normalizer: Normalizer,
    min_similarity: float,
    product_words: Mapping[str, frozenset[str]] | None = None,
    folded_names: Mapping[str, str] | None = None,
) -> Product | None:
    """The product the title names: most of its distinctive words (model names, numbers) in the title,
    else the highest rapidfuzz ``token_set_ratio``; ties go to the cheaper product. ``folded_names``: product
    id -> folded name, when the caller has them (else each name is folded here)."""
    best: tuple[float, float, float, Product] | None = None
    for product in brand.products:
        words = (product_words or {}).get(product.product_id, frozenset())
        share = len(words & title_words) / len(words) if words else 0.0
        name = folded_names.get(product.product_id) if folded_names is not None else None
        sim = fuzz.token_set_ratio(title_folded, normalizer.fold(product.name) if name is None else name,
                                   processor=None)
        if share < 0.5 and sim < min_similarity:
            continue
        key = (share, sim, -(product.msrp or 0.0), product)
        if best is None or key[:3] > best[:3]:
            best = key
    return best[3] if best else None


def check_price(
    price: float | None,
    currency: str | None,
    product: Product | None,
    brand: Brand,
    config: MatchConfig,
) -> PriceCheck:
    reference = _usd(product.msrp, product.currency, config) if product else None
    if reference is None:
        values = [v for p in brand.products if (v := _usd(p.msrp, p.currency, config)) is not None]
        reference = min(values) if values else None
    listed = _usd(price, currency, config)
    if reference is None or listed is None or reference <= 0 or listed <= 0:
        return PriceCheck(product, reference, None)
    return PriceCheck(product, reference, listed / reference)


def _usd(amount: float | None, currency: str | None, config: MatchConfig) -> float | None:
    if amount is None:
        return None
    rate = config.rate(currency)
    return amount * rate if rate is not None else None
