"""Seller signal: is the seller on the brand's authorized list, and does it claim to be official?

Authorized sellers are matched per platform by seller id (exact) or by folded seller name. An
"official store" claim by a seller who is not authorized is evidence of infringement: in the seller
name any of official, flagship, authorized, 官方, 旗舰店, 专卖店, 授权 …; in the title only a store
claim (official store, 旗舰店, 官方店 …), since "官方正品" there is everyday sales talk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from brandsweep.matchers.normalize import Normalizer
from brandsweep.matchers.types import Brand

OFFICIAL_CLAIMS: tuple[str, ...] = (
    "official", "flagship", "authorized", "authorised", "authentic store", "brand store",
    "官方", "旗舰店", "旗舰", "专卖店", "授权", "直营", "官网",
)
# in a title, "官方正品" / "official genuine" is everyday sales talk; only a store claim counts there
TITLE_CLAIMS: tuple[str, ...] = ("旗舰店", "官方旗舰", "专卖店", "官方店", "官方直营")
_LATIN_CLAIM = re.compile(r"\b(official|flagship|authori[sz]ed|authentic store|brand store)\b")
_LATIN_TITLE_CLAIM = re.compile(r"\b(official store|flagship store|official shop|authori[sz]ed (?:store|dealer))\b")


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
        for text, latin, words in ((seller_name or "", _LATIN_CLAIM, OFFICIAL_CLAIMS),
                                   (title, _LATIN_TITLE_CLAIM, TITLE_CLAIMS)):
            if not text:
                continue  # no seller name: nothing to claim there
            folded = self._norm.fold(text)
            m = latin.search(folded)
            # the Chinese claims (the Latin ones are the regex's) can only be in a text that is not all ASCII
            claim = m.group(1) if m else None if folded.isascii() else next(
                (w for w in words if not w.isascii() and w in folded), None)
            if claim:
                break
        return SellerCheck(authorized, claim)
