"""Seller signal: is the seller on the brand's authorized list, and does it claim to be official?

Authorized sellers are matched per platform by seller id (exact) or by folded seller name. An
"official store" claim (official, flagship, authorized, 官方, 旗舰店, 专卖店, 授权 …) in the seller
name or the title, by a seller who is not authorized, is evidence of infringement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matchers.normalize import Normalizer
from matchers.types import Brand

OFFICIAL_CLAIMS: tuple[str, ...] = (
    "official", "flagship", "authorized", "authorised", "authentic store", "brand store",
    "官方", "旗舰店", "旗舰", "专卖店", "授权", "直营", "官网",
)
_LATIN_CLAIM = re.compile(r"\b(official|flagship|authori[sz]ed|authentic store|brand store)\b")


@dataclass(frozen=True, slots=True)
class SellerCheck:
    authorized: bool
    official_claim: str | None  # the claim wording found, if any


class SellerIndex:
    def __init__(self, brands: list[Brand], normalizer: Normalizer) -> None:
        self._norm = normalizer
        self._ids: set[tuple[int, str, str]] = set()
        self._names: set[tuple[int, str, str]] = set()
        for b_idx, brand in enumerate(brands):
            for s in brand.authorized_sellers:
                platform = s.platform.casefold()
                self._ids.add((b_idx, platform, s.seller_id))
                if s.name:
                    self._names.add((b_idx, platform, normalizer.fold(s.name).strip()))

    def check(self, brand_idx: int, platform: str, seller_id: str | None, seller_name: str | None,
              title: str) -> SellerCheck:
        p = platform.casefold()
        authorized = bool(seller_id and (brand_idx, p, seller_id) in self._ids) or bool(
            seller_name and (brand_idx, p, self._norm.fold(seller_name).strip()) in self._names
        )
        claim = None
        for text in (seller_name or "", title):
            folded = self._norm.fold(text)
            m = _LATIN_CLAIM.search(folded)
            if m:
                claim = m.group(1)
                break
            for word in OFFICIAL_CLAIMS:
                if not word.isascii() and word in folded:
                    claim = word
                    break
            if claim:
                break
        return SellerCheck(authorized, claim)
