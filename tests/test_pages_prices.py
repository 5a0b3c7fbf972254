"""Prices as shops write them (price-parser's reading), and no NaN or infinity anywhere."""

from __future__ import annotations

import math

import pytest
from price_parser import Price

from brandsweep.crawler.pages.prices import parse_price, price_and_currency

CASES = {
    "1.299 €": (1299.0, "EUR"),
    "1.234.567 VND": (1234567.0, "VND"),
    "¥1,299.00": (1299.0, None),  # yen or yuan: the markup's priceCurrency decides
    "1.299,00": (1299.0, None),
    "1 234,56 zł": (1234.56, "PLN"),
    "CHF 1'299.90": (1299.9, "CHF"),
    "US $129.99": (129.99, None),
    "£24.99": (24.99, "GBP"),
    "R$ 1.299,90": (1299.9, "BRL"),
    "₫1.234.567": (1234567.0, "VND"),
    "12,50 €": (12.5, "EUR"),
    "EUR 1.299,-": (1299.0, "EUR"),
    "1299": (1299.0, None),
}


@pytest.mark.parametrize("text", sorted(CASES))
def test_prices_read_as_price_parser_reads_them(text):
    amount, currency = price_and_currency(text)
    assert (amount, currency) == CASES[text]
    assert amount == Price.fromstring(text).amount_float, "the same amount as price-parser"
    assert parse_price(text) == amount


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -5.0, "nan", "inf", "Infinity", "", "call us",
                                   True, None, {"price": 1}])
def test_no_nan_infinity_or_negative_price(value):
    assert parse_price(value) is None


def test_numbers_stay_numbers():
    assert parse_price(1299) == 1299.0 and parse_price(0.5) == 0.5 and parse_price(0) == 0.0
