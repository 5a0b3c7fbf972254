"""MatchConfig parsing, and the configurable data it carries (indicators, words, currencies)."""

from __future__ import annotations

import math

import pytest

from brandsweep.matchers import MatchConfig, Matcher
from brandsweep.matchers.config import DEFAULT_CURRENCY_RATES
from brandsweep.matchers.normalize import Normalizer
from brandsweep.matchers.price import check_price
from brandsweep.matchers.types import Brand, ListingView, Product


def test_defaults_are_valid() -> None:
    cfg = MatchConfig()
    assert 0 <= cfg.lead_threshold <= 100
    assert cfg.rate("cny") == DEFAULT_CURRENCY_RATES["CNY"]


@pytest.mark.parametrize(
    ("mapping", "key"),
    [
        ({"lead_treshold": 50}, "lead_treshold"),
        ({"lead_threshold": "high"}, "lead_threshold"),
        ({"lead_threshold": 150.0}, "lead_threshold"),
        ({"lead_threshold": math.nan}, "lead_threshold"),
        ({"image_max_distance": 3.5}, "image_max_distance"),
        ({"image_max_distance": 64}, "image_max_distance"),
        ({"fuzzy_min_len": True}, "fuzzy_min_len"),
        ({"ordinary_words": "apple"}, "ordinary_words"),
        ({"extra_indicators": ["fake"]}, "extra_indicators"),
        ({"extra_indicators": {"fake": "much"}}, "extra_indicators"),
        ({"currency_rates": {"XBT": -1.0}}, "currency_rates"),
        ({"price_ratio_low": 0.2, "price_ratio_very_low": 0.3}, "price_ratio"),
    ],
)
def test_bad_values_name_the_key(mapping: dict[str, object], key: str) -> None:
    with pytest.raises(ValueError, match=key):
        MatchConfig.from_mapping(mapping)


def test_from_mapping_converts_and_merges() -> None:
    cfg = MatchConfig.from_mapping(
        {"lead_threshold": 70, "ordinary_words": ["swoosh"], "currency_rates": {"xyz": 2.0}}
    )
    assert cfg.lead_threshold == 70.0 and isinstance(cfg.lead_threshold, float)
    assert cfg.ordinary_words == ("swoosh",)
    assert cfg.rate("XYZ") == 2.0 and cfg.rate("EUR") == DEFAULT_CURRENCY_RATES["EUR"]
    with pytest.raises(AttributeError):
        cfg.lead_threshold = 10.0  # type: ignore[misc]


BRAND = Brand("swoosh", "Swoosh", "Example Co", products=(
    Product("runner", "Swoosh Runner 1 running shoe", 899.0, "CNY"),
    Product("cap", "Swoosh cotton cap", 199.0, "CNY"),
    Product("jacket", "Swoosh rain jacket", 1299.0, "CNY"),
))


@pytest.mark.parametrize(
    ("extra", "lead"),
    [({}, False), ({"vip quality": 40.0}, True), ({"vip quality": 40.0, "vip": 0.0}, True)],
)
def test_extra_indicators_from_config(extra: dict[str, float], lead: bool) -> None:
    m = Matcher([BRAND], [], MatchConfig.from_mapping({"extra_indicators": extra}))
    res = m.match(ListingView("p", "1", "Swoosh Runner 1 vip quality", price=880.0, currency="CNY"))
    assert res.is_lead is lead


@pytest.mark.parametrize("phrase", ["replica", "Replica", "REPLICA "])
def test_indicator_weight_zero_removes_a_phrase(phrase: str) -> None:
    m = Matcher([BRAND], [], MatchConfig.from_mapping({"extra_indicators": {phrase: 0.0}}))
    res = m.match(ListingView("p", "1", "Swoosh Runner 1 replica", price=880.0, currency="CNY"))
    assert "indicator" not in {r.code for r in res.reasons}


@pytest.mark.parametrize(
    ("words", "title", "ordinary"),
    [
        ({}, "Swoosh logo mug for coffee", False),
        ({"ordinary_words": ["swoosh"]}, "Swoosh logo mug for coffee", True),
        ({"ordinary_words": ["swoosh"]}, "Swoosh Runner 1 running shoe", False),  # category context
    ],
)
def test_ordinary_words_from_config(words: dict[str, list[str]], title: str, ordinary: bool) -> None:
    m = Matcher([BRAND], [], MatchConfig.from_mapping(words))
    res = m.match(ListingView("p", "1", f"the {title}"))
    assert ("ordinary_word" in {r.code for r in res.reasons}) is ordinary


def test_distinctive_words_override_the_list() -> None:
    apple = Brand("apple", "Apple", "Apple Inc", products=(Product("ip", "Apple iPhone", 5999.0, "CNY"),))
    cfg = MatchConfig.from_mapping({"distinctive_words": ["apple"]})
    res = Matcher([apple], [], cfg).match(ListingView("p", "1", "fresh red apple 1kg"))
    assert "ordinary_word" not in {r.code for r in res.reasons}


@pytest.mark.parametrize(
    ("price", "currency", "product", "ratio"),
    [
        (89.9, "CNY", "runner", 0.1),
        (899.0, "CNY", "runner", 1.0),
        (899.0 * 0.14 / 1.08, "EUR", "runner", 1.0),  # converted through the table
        (199.0, "CNY", None, 1.0),  # no product named: the brand's lowest MSRP
        (None, "CNY", "runner", None),  # no price
        (100.0, "ZZZ", "runner", None),  # unknown currency
        (100.0, None, "runner", None),  # no currency
    ],
)
def test_price_ratio(price: float | None, currency: str | None, product: str | None, ratio: float | None) -> None:
    prod = next((p for p in BRAND.products if p.product_id == product), None)
    check = check_price(price, currency, prod, BRAND, MatchConfig())
    if ratio is None:
        assert check.ratio is None
    else:
        assert check.ratio == pytest.approx(ratio, rel=1e-6)


def test_best_product_by_name() -> None:
    m = Matcher([BRAND], [], MatchConfig())
    res = m.match(ListingView("p", "1", "Swoosh rain jacket 1:1", price=100.0, currency="CNY"))
    assert res.product_id == "jacket"
    assert any(r.code == "price_ratio" and r.value == f"{100 / 1299:.2f}" for r in res.reasons)
    assert Normalizer().fold("ＳＷＯＯＳＨ") == "swoosh"
