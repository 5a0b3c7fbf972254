"""Referral flag: leads whose estimated sales value suggests a crime are flagged for the police.

Estimated sales value = price × sales count, converted to CNY. At or above the threshold
(default 50,000 CNY) the lead is flagged. Source of the default: 最高人民检察院、公安部《关于公安机关
管辖的刑事案件立案追诉标准的规定（二）》(公通字〔2010〕23号) Art. 70 [销售假冒注册商标的商品案
(Criminal Law Art. 214)]: a case is to be filed when 销售金额在五万元以上. See docs/leads.md for the
caveats (the 2021 amendment of Art. 214 and later judicial interpretations may change the figure;
the threshold is configuration, ``[referral] threshold_cny``).

A listing's displayed sales count is an estimate of the seller's turnover, not proof of it: the
flag says "look at this for referral", never "this is a crime".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from brandsweep.matchers.config import DEFAULT_CURRENCY_RATES

DEFAULT_THRESHOLD_CNY = 50_000.0
# Rates to CNY, from the one default table the matchers use (value of a unit in USD), so a price
# compared with an MSRP and a sales value compared with the threshold use the same rate;
# ``[referral] rates`` overrides or adds to them.
DEFAULT_RATES: Mapping[str, float] = MappingProxyType(
    {code: usd / DEFAULT_CURRENCY_RATES["CNY"] for code, usd in DEFAULT_CURRENCY_RATES.items()})


@dataclass(frozen=True, slots=True)
class ReferralPolicy:
    threshold_cny: float = DEFAULT_THRESHOLD_CNY
    rates: Mapping[str, float] = field(default_factory=lambda: DEFAULT_RATES)
    default_currency: str = "CNY"  # assumed when a listing names none

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ReferralPolicy:
        """Parse a ``[referral]`` table; ``ValueError`` names the bad key."""
        known = {"threshold_cny", "rates", "default_currency"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown key (known: {', '.join(sorted(known))})")
        kwargs: dict[str, Any] = {}
        if "threshold_cny" in data:
            v = data["threshold_cny"]
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v <= 0:
                raise ValueError("threshold_cny: expected a positive number of yuan")
            kwargs["threshold_cny"] = float(v)
        if "rates" in data:
            rates = data["rates"]
            if not isinstance(rates, Mapping):
                raise ValueError("rates: expected a table of currency = rate to CNY")
            merged = dict(DEFAULT_RATES)
            for cur, rate in rates.items():
                if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
                    raise ValueError(f"rates.{cur}: expected a positive number")
                merged[str(cur).upper()] = float(rate)
            kwargs["rates"] = MappingProxyType(merged)
        if "default_currency" in data:
            if not isinstance(data["default_currency"], str) or not data["default_currency"]:
                raise ValueError("default_currency: expected a currency code")
            kwargs["default_currency"] = data["default_currency"].upper()
        return cls(**kwargs)

    def sales_value_cny(self, price: float | None, sales_count: int | None, currency: str | None) -> float | None:
        """price × sales count in CNY, or None when either is unknown or the currency has no rate."""
        if price is None or sales_count is None:
            return None
        rate = self.rates.get((currency or self.default_currency).upper())
        if rate is None:
            return None
        return round(price * sales_count * rate, 2)

    def refer(self, value_cny: float | None) -> bool:
        return value_cny is not None and value_cny >= self.threshold_cny
