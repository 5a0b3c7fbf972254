"""Prices in page text and markup: the amount (by price-parser) and, where the text names one, the currency.

price-parser (Zyte) reads the separators the way shops write them: ``"1.299 €"`` is 1299,
``"1.234.567 VND"`` 1234567, ``"1 234,56 zł"`` 1234.56, ``"CHF 1'299.90"`` 1299.9, which a
hand-written regular expression got wrong. NaN, infinities and negative amounts are refused
everywhere (``None``): a price that is not a finite non-negative number is no price.
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Any

from price_parser import Price

# Currency symbols that name one currency; "$", "¥" and "kr" name several and stay unknown.
_SYMBOLS = MappingProxyType({
            "€": "EUR", "£": "GBP", "₹": "INR", "₽": "RUB", "₩": "KRW", "₫": "VND", "zł": "PLN", "Kč": "CZK",
            "₺": "TRY", "₴": "UAH", "R$": "BRL", "US$": "USD", "US $": "USD", "C$": "CAD", "A$": "AUD",
            "HK$": "HKD", "NT$": "TWD", "S$": "SGD", "RMB": "CNY", "元": "CNY", "円": "JPY", "Ft": "HUF",
            "lei": "RON", "₱": "PHP", "฿": "THB", "₪": "ILS"})


def finite_amount(value: Any) -> float | None:
    """A number as a price: ``None`` for booleans, NaN, infinities and negative numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    amount = float(value)
    return amount if math.isfinite(amount) and amount >= 0 else None


def parse_price(value: Any) -> float | None:
    """'¥1,299.00', '1299', 1299.0, '1.299,00', '1.299 €' → 1299.0; None when there is no usable number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return finite_amount(value)
    if not isinstance(value, str):
        return None
    amount = Price.fromstring(value).amount_float
    return finite_amount(amount)


def currency_code(text: Any) -> str | None:
    """An ISO 4217 code for a currency written as a code or an unambiguous symbol; ``None`` otherwise."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) == 3 and text.isalpha():
        return text.upper()
    return _SYMBOLS.get(text)


def price_and_currency(value: Any) -> tuple[float | None, str | None]:
    """The amount and the currency the text itself names (``"1.299 €"`` → ``(1299.0, "EUR")``)."""
    if not isinstance(value, str):
        return parse_price(value), None
    parsed = Price.fromstring(value)
    return finite_amount(parsed.amount_float), currency_code(parsed.currency)
