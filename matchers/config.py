"""Matcher configuration: one frozen object, parsed once, refusing bad keys and values.

``MatchConfig.from_mapping`` takes a parsed TOML table (``[matchers]``) and raises ``ValueError``
naming the offending key. Every weight and threshold the scorer uses lives here; see
``matchers/README.md`` for what each does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

DEFAULT_CURRENCY_RATES: Mapping[str, float] = MappingProxyType(
    # value of one unit in USD (approximate, for ratio purposes only); override in configuration
    {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CNY": 0.14, "RMB": 0.14, "JPY": 0.0067, "KRW": 0.00074,
     "INR": 0.012, "HKD": 0.128, "TWD": 0.031, "SGD": 0.74, "AUD": 0.66, "CAD": 0.73, "RUB": 0.011,
     "BRL": 0.18, "MXN": 0.055, "THB": 0.028, "VND": 0.00004, "IDR": 0.000063, "MYR": 0.21}
)


@dataclass(frozen=True, slots=True)
class MatchConfig:
    # --- text link points (one per kind of brand hit; the best hit counts)
    points_brand_exact: float = 45.0  # brand name or registered mark word, as written
    points_brand_alias: float = 45.0  # catalog alias (other script, abbreviation)
    points_brand_pinyin: float = 40.0  # pinyin reading of a Chinese name
    points_brand_obfuscated: float = 45.0  # found only after undoing a disguise
    points_brand_masked: float = 35.0  # G*cci, 古*
    points_brand_fuzzy: float = 30.0  # one-edit typo
    points_brand_codename: float = 35.0  # trade slang N家 / 古家, with category context
    points_brand_variant: float = 35.0  # weak forms with context: partial, truncated, homophone (issue 10)
    # --- image link
    points_image: float = 40.0  # catalog image re-used (scaled down linearly to 0 at image_max_distance)
    image_max_distance: int = 10  # Hamming bits (of 64) still counted as the same picture
    image_lead_distance: int = 8  # stricter: a photo alone (no brand text) makes a lead only this close
    image_min_agreement: int = 7  # ... and when this many of its 15 hash chunks agree with the catalog photo
    # --- evidence points
    points_obfuscation: float = 30.0  # disguising a brand word is itself evidence of intent
    indicator_cap: float = 45.0  # counterfeit wording: sum of lexicon weights, capped
    points_price_low: float = 30.0  # price ratio at or below price_ratio_low
    points_price_very_low: float = 40.0  # price ratio at or below price_ratio_very_low
    price_ratio_low: float = 0.5
    price_ratio_very_low: float = 0.3
    price_ratio_implausible: float = 0.03  # below this the item is something else (a case, a sample), not a fake
    points_unauthorized_official: float = 35.0  # "official store"/旗舰店 claim by a seller not on the list
    points_image_reuse: float = 25.0  # catalog photo re-used by an unauthorized seller without the brand word
    # --- photo engines (issue 15): text and logos read in the listing's own photos
    photo_ocr: bool = True  # read text in listing photos (RapidOCR)
    photo_logos: bool = True  # find catalog logos in listing photos (SIFT + RANSAC + tile check)
    photo_workers: int = 1  # worker processes reading photos during a crawl
    photo_timeout: float = 20.0  # seconds per image (both engines); the worker is killed past it
    photo_max_images: int = 2  # photos read per listing (its first usable ones)
    ocr_max_side: int = 960  # px: photos are reduced to this longer side before text detection
    ocr_min_confidence: float = 0.5  # OCR lines below this confidence are dropped
    logo_min_inliers: int = 10  # RANSAC inliers for a logo to count
    points_image_text: float = 30.0  # brand text read in a photo (link; below a title's: OCR misreads)
    points_image_text_indicator_factor: float = 0.5  # indicator words read in a photo: share of their weight
    points_logo: float = 40.0  # catalog logo in a photo (link), full at 2 x logo_min_inliers inliers
    # --- dampers
    points_compatibility: float = -60.0  # "for iPhone", "适用于华为"
    points_ordinary_word: float = -60.0  # brand word used as an ordinary word
    points_authorized_seller: float = -100.0
    # --- decisions
    lead_threshold: float = 60.0
    min_evidence_points: float = 20.0  # a lead needs at least this much evidence beyond the link
    fuzzy_min_len: int = 4
    fuzzy_min_similarity: float = 80.0
    glyph_lookalikes: bool = True  # read look-alike characters of Chinese names (香奈几 for 香奈儿), with context
    product_min_similarity: float = 60.0  # title vs product name, else the brand's median MSRP
    # --- data extensions
    extra_indicators: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    ordinary_words: tuple[str, ...] = ()  # add: treat as ordinary words (need context)
    distinctive_words: tuple[str, ...] = ()  # remove from the ordinary-word list
    currency_rates: Mapping[str, float] = field(default_factory=lambda: DEFAULT_CURRENCY_RATES)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float | int) and not isinstance(value, bool) and not math.isfinite(value):
                raise ValueError(f"matchers.{f.name}: must be a finite number, got {value!r}")
        if not 0 <= self.lead_threshold <= 100:
            raise ValueError(f"matchers.lead_threshold: must be within 0..100, got {self.lead_threshold!r}")
        if not 0 <= self.price_ratio_implausible < self.price_ratio_very_low <= self.price_ratio_low < 1:
            raise ValueError("matchers.price_ratio_implausible/very_low/low: need 0 <= implausible < very_low"
                             " <= low < 1")
        if not 0 <= self.image_min_agreement <= 15:
            raise ValueError("matchers.image_min_agreement: must be within 0..15")
        if not 0 <= self.image_lead_distance <= self.image_max_distance:
            raise ValueError("matchers.image_lead_distance: must be within 0..image_max_distance")
        if not 0 <= self.image_max_distance <= 32:
            raise ValueError(f"matchers.image_max_distance: must be within 0..32, got {self.image_max_distance}")
        if self.photo_workers < 1:
            raise ValueError(f"matchers.photo_workers: must be at least 1, got {self.photo_workers}")
        if not self.photo_timeout > 0:
            raise ValueError(f"matchers.photo_timeout: must be positive, got {self.photo_timeout}")
        if self.photo_max_images < 0:
            raise ValueError(f"matchers.photo_max_images: must be at least 0, got {self.photo_max_images}")
        if self.ocr_max_side < 64:
            raise ValueError(f"matchers.ocr_max_side: must be at least 64, got {self.ocr_max_side}")
        if not 0 <= self.ocr_min_confidence <= 1:
            raise ValueError(f"matchers.ocr_min_confidence: must be within 0..1, got {self.ocr_min_confidence}")
        if self.logo_min_inliers < 4:
            raise ValueError(f"matchers.logo_min_inliers: must be at least 4, got {self.logo_min_inliers}")
        if not 0 <= self.points_image_text_indicator_factor <= 1:
            raise ValueError("matchers.points_image_text_indicator_factor: must be within 0..1")
        if self.fuzzy_min_len < 3:
            raise ValueError("matchers.fuzzy_min_len: must be at least 3")
        if not 50 <= self.fuzzy_min_similarity <= 100:
            raise ValueError("matchers.fuzzy_min_similarity: must be within 50..100")
        for code, rate in self.currency_rates.items():
            if not isinstance(rate, int | float) or isinstance(rate, bool) or not rate > 0 or not math.isfinite(rate):
                raise ValueError(f"matchers.currency_rates.{code}: must be a positive number, got {rate!r}")
        for word, weight in self.extra_indicators.items():
            if not isinstance(weight, int | float) or isinstance(weight, bool) or not math.isfinite(weight):
                raise ValueError(f"matchers.extra_indicators.{word}: must be a number, got {weight!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> MatchConfig:
        """Build from a parsed TOML table; unknown keys and wrongly typed values raise ValueError."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in fields:
                raise ValueError(f"matchers.{key}: unknown key (known: {', '.join(sorted(fields))})")
            default = getattr(cls(), key)
            if isinstance(default, bool):
                ok = isinstance(value, bool)
            elif isinstance(default, float):
                ok = isinstance(value, int | float) and not isinstance(value, bool)
                value = float(value) if ok else value
            elif isinstance(default, int):
                ok = isinstance(value, int) and not isinstance(value, bool)
            elif isinstance(default, tuple):
                ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
                value = tuple(value) if ok else value
            else:  # mappings
                ok = isinstance(value, Mapping) and all(isinstance(k, str) for k in value)
                if ok and key == "currency_rates":
                    value = MappingProxyType({**DEFAULT_CURRENCY_RATES, **{k.upper(): v for k, v in value.items()}})
                elif ok:
                    value = MappingProxyType(dict(value))
            if not ok:
                raise ValueError(f"matchers.{key}: expected {type(default).__name__}, got {value!r}")
            kwargs[key] = value
        return cls(**kwargs)

    def to_mapping(self) -> dict[str, Any]:
        """Plain values (dicts, lists) that :meth:`from_mapping` reads back to an equal config: for
        handing the configuration to another process or through Scrapy settings."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @property
    def photos_on(self) -> bool:
        """Does any photo engine run (and is any photo to be read)?"""
        return (self.photo_ocr or self.photo_logos) and self.photo_max_images > 0

    def rate(self, currency: str | None) -> float | None:
        """USD value of one unit of ``currency``; None when unknown."""
        if not currency:
            return None
        return self.currency_rates.get(currency.upper())
