"""The Matcher: builds every index once, then scores listings 0-100 with reason codes.

Formula (weights in :class:`~brandsweep.matchers.config.MatchConfig`; documented in ``matchers/README.md``)::

    link      = best brand-text hit points (exact/alias/pinyin/obfuscated/masked/fuzzy)
                or, when no text names the brand, the image points (scaled by distance)
    evidence  = obfuscation + min(indicator_cap, Σ indicator weights) + price points
                + unauthorized official claim + image re-use by an unauthorized seller
    dampers   = compatibility / ordinary word / authorized seller (negative)
    score     = clamp(link + evidence + dampers, 0, 100)
    is_lead   = link > 0 and evidence >= min_evidence_points and score >= lead_threshold
                and the brand mention is a claim (not compatibility, not ordinary word)
                and the seller is not authorized
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from brandsweep.matchers.categories import Categories
from brandsweep.matchers.config import MatchConfig
from brandsweep.matchers.context import (
    HitContext,
    is_quantity,
    judge,
    model_number_at,
    model_number_pairs,
    title_compat,
    title_long_words,
    title_work,
)
from brandsweep.matchers.image import ImageHit, ImageIndex
from brandsweep.matchers.lexicon import Lexicon
from brandsweep.matchers.normalize import Analyzed, Normalizer, Token, is_cjk
from brandsweep.matchers.photo_score import DroppedLetters, photo_indicators, photo_reasons, read_photos
from brandsweep.matchers.price import best_product, check_price
from brandsweep.matchers.seller import SellerIndex
from brandsweep.matchers.text import Hit, Memo, Term, TextIndex
from brandsweep.matchers.types import Brand, CatalogImage, ListingView, MatchResult, Product, Reason

DISGUISES = frozenset({"homoglyph", "leet", "split", "styled", "masked", "codename", "invisible", "homophone", "glyph",
                       "partial", "truncated"})
_CONTEXT_INDICATOR = 15.0
WEAK_CODES = MappingProxyType({"partial": "brand_partial", "truncated": "brand_truncated"})
_STOP = frozenset({"the", "and", "for", "with", "men", "women", "new", "set", "pack", "size", "color",
                   "colour", "black", "white", "red", "blue", "edition", "original", "genuine", "official"})


def load_ordinary_words() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "ordinary_words.txt"
    return frozenset(w for w in path.read_text("utf-8").splitlines() if w and not w.startswith("#"))


class _Candidate(NamedTuple):
    """A judged hit (a named tuple: built for every hit of every title, cheaper than a frozen dataclass)."""

    brand: int
    hit: Hit
    ctx: HitContext
    points: float
    code: str


class Matcher:
    """Build once per catalog (indexes over every term and image hash); ``match`` is read-only."""

    def __init__(
        self,
        brands: Iterable[Brand],
        catalog_images: Iterable[CatalogImage] = (),
        config: MatchConfig | None = None,
    ) -> None:
        self.config = config or MatchConfig()
        self.brands: list[Brand] = list(brands)
        self._brand_idx = {b.brand_id: i for i, b in enumerate(self.brands)}
        self.normalizer = Normalizer()
        ordinary = (load_ordinary_words() | {self.normalizer.fold(w) for w in self.config.ordinary_words}) - {
            self.normalizer.fold(w) for w in self.config.distinctive_words
        }
        self.text = TextIndex(
            self.brands, self.normalizer, frozenset(ordinary),
            fuzzy_min_len=self.config.fuzzy_min_len, fuzzy_min_similarity=self.config.fuzzy_min_similarity,
            glyphs=self.config.glyph_lookalikes,
        )
        self.dropped_letters = DroppedLetters(self.text.terms)  # OCR's dropped thin letters (photo_score)
        self.lexicon = Lexicon(self.normalizer, self.config.extra_indicators)
        self.sellers = SellerIndex(self.brands, self.normalizer)
        self.images: list[CatalogImage] = [im for im in catalog_images if im.brand_id in self._brand_idx]
        self.image_index = ImageIndex([im.phash for im in self.images])
        self._own_words: list[frozenset[str]] = [frozenset() for _ in self.brands]
        own: dict[int, set[str]] = {}
        for term in self.text.terms:
            own.setdefault(term.brand, set()).update(term.text.split())
        self._own_words = [frozenset(own.get(i, ())) for i in range(len(self.brands))]
        self._category_words = [self._categories(i) for i in range(len(self.brands))]
        self.categories = Categories()
        self._product_words = {
            p.product_id: frozenset(
                t.text for t in self.normalizer.analyze(p.name).tokens
                if t.text not in self._own_words[self._brand_idx[b.brand_id]] and t.text not in _STOP
                and not is_cjk(t.text) and (len(t.text) >= 2 or t.text.isdigit())
            )
            for b in self.brands for p in b.products
        }
        self._product_concepts = {
            p.product_id: self.categories.concepts(t.text for t in self.normalizer.analyze(p.name).tokens)
            for b in self.brands for p in b.products
        }
        self._concepts = [
            self.categories.concepts(t.text for p in b.products for t in self.normalizer.analyze(p.name).tokens)
            for b in self.brands
        ]
        self._class_concepts = [
            self.categories.of_classes(n for m in b.marks for n in m.nice_classes) for b in self.brands
        ]
        self._model_words = self._distinctive_product_words()
        self._all_model_words = frozenset().union(*self._model_words) if self._model_words else frozenset()
        # model word -> (brand, weight): a word that is not an ordinary word names the model alone (Ultraboost,
        # Neverfull: 2); an ordinary one (air, force) or a number (5711) needs a second model word (1)
        self._model_index: dict[str, list[tuple[int, int]]] = {}
        for b_idx, words in enumerate(self._model_words):
            for w in words:
                weight = 1 if w.isdigit() or len(w) < 3 or w in self.text.ordinary_words else 2
                self._model_index.setdefault(w, []).append((b_idx, weight))
        # a product-line word and its model number as a product name writes them (Smart Band 8, Watch Series 9,
        # Pegasus 41): together they name the model, however ordinary the word ("band" is a category word)
        self._model_numbers = model_number_pairs(
            [[self.normalizer.analyze(p.name).words() for p in b.products] for b in self.brands],
            self._own_words, _STOP)
        # the first words of those pairs: a title word that is none of them starts no model number (most words)
        self._model_number_heads = frozenset(k[0] for k in self._model_numbers)
        # folded product names, for the product match (folded once here, not once per listing and brand)
        self._concepts_of: tuple[Analyzed | None, frozenset[str]] = (None, frozenset())
        # a word's category concepts depend on the word alone: a text's are the union of its words'
        self._word_concepts: Memo[frozenset[str]] = Memo(lambda w: self.categories.concepts((w,)))
        self._product_folded = {p.product_id: self.normalizer.fold(p.name) for b in self.brands for p in b.products}
        # terms that name a product line of the brand: in its product names, not the brand name (Jordan)
        self._product_line: set[tuple[int, str]] = set()
        for term in self.text.terms:
            if term.kind in ("alias", "mark") and not term.weak and not term.cjk:
                b = self.brands[term.brand]
                if term.text != self.normalizer.fold(b.name) and any(
                    f" {term.text} " in f" {' '.join(self.normalizer.analyze(p.name).words())} " for p in b.products
                ):
                    self._product_line.add((term.brand, term.text))

    def _distinctive_product_words(self) -> list[frozenset[str]]:
        """Per brand, the model words of its product names (Nautilus, Neverfull, Marmont, 5711): not the
        brand's own terms, not stop words, not category words (bag, shoe), not in three brands' products."""
        per_brand: list[set[str]] = []
        for i, b in enumerate(self.brands):
            words: set[str] = set()
            for p in b.products:
                for tok in self.normalizer.analyze(p.name).tokens:
                    w = tok.text
                    if (w in self._own_words[i] or w in _STOP or is_cjk(w) or len(w) < 2 or is_quantity(w)
                            or (w.isdigit() and len(w) < 3) or self.categories.concepts([w])):
                        continue
                    words.add(w)
            per_brand.append(words)
        df: dict[str, int] = {}
        for words in per_brand:
            for w in words:
                df[w] = df.get(w, 0) + 1
        return [frozenset(w for w in words if df[w] < 3) for words in per_brand]

    def _categories(self, b_idx: int) -> frozenset[str]:
        words: set[str] = set()
        for product in self.brands[b_idx].products:
            for tok in self.normalizer.analyze(product.name).tokens:
                w = tok.text
                if is_cjk(w):
                    words.update(w[i:i + 2] for i in range(len(w) - 1))
                elif w not in _STOP and ((len(w) > 2 and w.isalpha()) or (len(w) >= 3 and not w.isdigit()
                                                                         and any(c.isdigit() for c in w))):
                    words.add(w)
        return frozenset(words - self._own_words[b_idx])

    # ------------------------------------------------------------------ API
    def match_many(self, listings: Iterable[ListingView]) -> list[MatchResult]:
        return [self.match(v) for v in listings]

    def match(self, listing: ListingView) -> MatchResult:
        cfg = self.config
        analyzed = self.normalizer.analyze(listing.title)
        indicators = self.lexicon.find(f"{listing.title}\n{listing.description}")
        # counterfeit wording as context: a phrase of some weight in the title (pk, batch alone are not); without a
        # description the scan above was of the title alone (the line break folds to the space around the text)
        title_indicator = bool(indicators) and any(
            w >= _CONTEXT_INDICATOR
            for _, w in (indicators if listing.description == "" else self.lexicon.find(listing.title)))
        # weak typo readings (adadis) only beside counterfeit wording or a model word
        words = analyzed.words()
        heads = self._model_number_heads
        weak = title_indicator or not self._all_model_words.isdisjoint(words) or (
            not heads.isdisjoint(words) and any(
                model_number_at(self._model_numbers, words, i) for i in range(len(words) - 1) if words[i] in heads))
        hits = self.text.find(analyzed, weak=weak)
        if weak:
            hits += self._model_hits(analyzed, hits)
        texts = ((analyzed, listing.title),)  # where the listing's product is named: its title first
        if not hits and listing.description:
            analyzed = self.normalizer.analyze(listing.description)
            texts += ((analyzed, listing.description),)
            hits = self.text.find(analyzed, weak=weak)
            if weak:
                hits += self._model_hits(analyzed, hits)
        image_hit, image, agreement = self._best_image(listing.image_hashes)
        image_brand = self._brand_idx[image.brand_id] if image is not None else None
        claim, other = self._best_text(analyzed, hits, title_indicator, image_brand, listing, texts)
        photo = read_photos(self, listing, title_indicator, image_brand, texts[0][0])

        reasons: list[Reason] = []
        cand = claim or other
        b_idx = cand.brand if cand else None
        if b_idx is None:
            b_idx = photo.brand()  # brand only in the photos: its logo or its name read there
        if b_idx is None and image is not None:
            b_idx = self._brand_idx[image.brand_id]
        if b_idx is None:
            return MatchResult()
        brand = self.brands[b_idx]

        link = 0.0
        evidence = 0.0
        damper = 0.0
        if claim is not None:
            link = claim.points
            reasons.append(Reason(claim.code, brand.brand_id, claim.points))
            disguises = sorted((claim.hit.flags | {claim.hit.term.kind}) & DISGUISES)
            if disguises:
                evidence += cfg.points_obfuscation
                reasons.append(Reason("obfuscation", ",".join(disguises), cfg.points_obfuscation))
        elif other is not None:
            reasons.append(Reason(other.code, brand.brand_id, 0.0))
            if other.ctx.compatibility:
                damper += cfg.points_compatibility
                reasons.append(Reason("compatibility", other.ctx.compatibility, cfg.points_compatibility))
            else:
                damper += cfg.points_ordinary_word
                reasons.append(Reason("ordinary_word", other.hit.term.text, cfg.points_ordinary_word))

        image_same_brand = image is not None and image.brand_id == brand.brand_id
        # close enough, and agreeing on most crops, to say it *is* the catalog photo
        photo_verified = (
            image_same_brand and image_hit is not None and image_hit.distance <= cfg.image_lead_distance
            and agreement >= cfg.image_min_agreement
        )
        if image_same_brand and image_hit is not None:
            pts = cfg.points_image * (1 - image_hit.distance / (cfg.image_max_distance + 1))
            if claim is None and other is None:
                link = pts
            reasons.append(Reason("image_phash", str(image_hit.distance), round(pts, 1)))
        photo_named = photo.names(b_idx)  # the photos show this brand (its logo, its name)
        if photo_named:
            pts, photo_why = photo_reasons(self, photo, b_idx)
            if claim is None and other is None:
                link = max(link, pts)
            reasons += photo_why
        shown = image_same_brand or photo_named

        seller = self.sellers.check(b_idx, listing.platform, listing.seller_id, listing.seller_name,
                                    listing.title)
        if seller.authorized:
            damper += cfg.points_authorized_seller
            reasons.append(Reason("seller_authorized", listing.seller_id or "", cfg.points_authorized_seller))
        elif seller.official_claim and (claim is not None or shown):
            evidence += cfg.points_unauthorized_official
            reasons.append(Reason("seller_unauthorized_official", seller.official_claim,
                                  cfg.points_unauthorized_official))

        if claim is not None or shown:
            total = 0.0
            for phrase, weight in indicators:
                pts = max(0.0, min(weight, cfg.indicator_cap - total))
                total += pts
                reasons.append(Reason("indicator", phrase, pts))
            added, photo_why = photo_indicators(self, photo, {p for p, _ in indicators}, total)
            evidence += total + added
            reasons += photo_why

        product = None
        if image_same_brand and image is not None and image.product_id:
            product = next((p for p in brand.products if p.product_id == image.product_id), None)
        if product is None:
            product = self._named_product(brand, texts)
        price = check_price(listing.price, listing.currency, product, brand, cfg)
        if price.ratio is not None and (claim is not None or shown):
            pts = 0.0
            if price.ratio < cfg.price_ratio_implausible:
                pts = 0.0
            elif price.ratio <= cfg.price_ratio_very_low:
                pts = cfg.points_price_very_low
            elif price.ratio <= cfg.price_ratio_low:
                pts = cfg.points_price_low
            evidence += pts
            reasons.append(Reason("price_ratio", f"{price.ratio:.2f}", pts))

        if photo_verified and not seller.authorized and (claim is not None or other is None):
            evidence += cfg.points_image_reuse
            reasons.append(Reason("image_reuse", "", cfg.points_image_reuse))

        score = max(0.0, min(100.0, link + evidence + damper))
        image_only_ok = image_same_brand and photo_verified
        is_lead = (
            link > 0 and evidence >= cfg.min_evidence_points and score >= cfg.lead_threshold
            and not seller.authorized and (claim is not None or (other is None and (image_only_ok or photo_named)))
        )
        photo_claim = photo.text.get(b_idx) if claim is None and other is None else None
        mark = self._mark_for(brand, claim.hit if claim else photo_claim.hit if photo_claim else None, image)
        # an ordinary-word use is not the brand: no brand, product or mark on the row (the reasons say which
        # term it was); a compatibility mention does name the brand
        not_brand = claim is None and other is not None and other.ctx.compatibility is None and not shown
        return MatchResult(
            brand_id=None if not_brand else brand.brand_id,
            product_id=product.product_id if product and not not_brand else None,
            mark_reg_no=None if not_brand else mark,
            score=round(score, 1),
            is_lead=is_lead,
            reasons=tuple(reasons),
            image_ref=image.ref if image_same_brand and image is not None else None,
            image_distance=image_hit.distance if image_same_brand and image_hit is not None else None,
        )

    # -------------------------------------------------------------- helpers
    def _best_text(
        self, analyzed: Analyzed, hits: Sequence[Hit], has_indicator: bool, image_brand: int | None = None,
        listing: ListingView | None = None, texts: Sequence[tuple[Analyzed, str]] = (),
        context_concepts: frozenset[str] = frozenset(),
    ) -> tuple[_Candidate | None, _Candidate | None]:
        """Best claim (a brand named as the product's brand) and best other mention (``texts``: where the
        listing names its product, for the price; see :meth:`_named_product`; ``context_concepts``: categories of
        goods the listing shows besides ``analyzed``'s own, for text read in its photos)."""
        if not hits:
            return None, None
        covered = {p for h in hits if h.how == "exact" for p in range(h.start, h.end)}
        claims: list[_Candidate] = []
        others: list[_Candidate] = []
        tokens = analyzed.tokens
        # what the context rules ask of the title, computed once a title, not once a hit
        title_concepts = self._title_concepts(analyzed) | context_concepts
        anywhere = title_compat(tokens)
        title_words = [t.text for t in tokens]
        # the category rule's words are read for ambiguous terms and two-character Chinese ones only
        long_words = title_long_words(title_words) if any(h.term.ambiguous or h.term.cjk for h in hits) else None
        # the work rule needs a brand with category words (a non-weak hit of one): otherwise it is never read
        work = title_work(tokens) if any(
            self._category_words[h.term.brand] for h in hits if not h.is_weak) else None
        price_low: dict[int, bool] = {}
        for hit in hits:
            b = hit.term.brand
            if hit.is_weak and b not in price_low:
                price_low[b] = self._price_low(b, texts, listing)
            ctx = judge(hit, tokens, covered - set(range(hit.start, hit.end)) if covered else covered, hits,
                        self._category_words[b], self._own_words[b], has_indicator,
                        bool(title_concepts & self._concepts[b]), image_brand == b,
                        bool(title_concepts & self._class_concepts[b]), anywhere,
                        model_words=self._model_words[b], price_low=price_low.get(b, False),
                        product_line=(b, hit.term.text) in self._product_line, work=work,
                        goods_after=hit.start == 0 and self._goods_after(hit, tokens, b), words=title_words,
                        long_words=long_words)
            if hit.is_weak and ctx.context is None:
                continue  # a weak form without context says nothing
            code, points = self._points(hit)
            cand = _Candidate(b, hit, ctx, points, code)
            (others if ctx.compatibility or ctx.ordinary_word else claims).append(cand)
        # a brand with a claim anywhere is claimed; rank by points, then a model word of the brand in the title
        # (Xiaoma Note 13 is one edit from xiaomi and from puma's pinyin biaoma), earliest, longest term
        words = set(title_words)

        def rank(c: _Candidate) -> tuple[float, bool, int, int]:
            return (c.points, not self._model_words[c.brand].isdisjoint(words), -c.hit.start, len(c.hit.term.text))
        claim = max(claims, key=rank) if claims else None
        other = max(others, key=rank) if others and claim is None else None
        return claim, other

    def _model_hits(self, analyzed: Analyzed, hits: Sequence[Hit]) -> list[Hit]:
        """Model names of a brand's products without the brand (Ultraboost 22, Air Force 1, Keepall
        Bandoulière 50): weak links, for brands no term names."""
        weight: dict[int, int] = {}
        strong: set[int] = set()
        first: dict[int, Token] = {}
        tokens = analyzed.tokens
        for i, tok in enumerate(tokens):
            for b_idx, w in self._model_index.get(tok.text, ()):
                # a model number after it (Mate 60, Series 9, GT 4) counts as a second model word
                number = i + 1 < len(tokens) and tokens[i + 1].text.isdigit() and len(tokens[i + 1].text) <= 4
                weight[b_idx] = weight.get(b_idx, 0) + w + number
                if w == 2 or number:
                    strong.add(b_idx)  # ordinary words alone (small shoulder bag) never name a model
                first.setdefault(b_idx, tok)
            if i + 1 < len(tokens) and tok.text in self._model_number_heads:
                for b_idx in model_number_at(self._model_numbers, [t.text for t in tokens[i:i + 3]], 0):
                    weight[b_idx] = weight.get(b_idx, 0) + 2
                    strong.add(b_idx)
                    first.setdefault(b_idx, tok)
        if not weight or any(not h.is_weak for h in hits):
            return []  # a brand term (even a typo) names the brand better than a model word
        named = {h.term.brand for h in hits}
        out: list[Hit] = []
        for b_idx, total in weight.items():
            if total >= 2 and b_idx in strong and b_idx not in named:
                tok = first[b_idx]
                term = Term(tok.text, b_idx, "model", None, False, False, True)
                out.append(Hit(term, tok.pos, tok.pos + 1, "model", tok.flags, "", "", weak=True))
        return out

    def _title_concepts(self, analyzed: Analyzed) -> frozenset[str]:
        """The category concepts of an analysed text; the last one's are kept (the context rules, the price
        check and the product naming of one listing all ask for them)."""
        last = self._concepts_of  # one read: another thread may replace it meanwhile
        if last[0] is analyzed:
            return last[1]
        memo = self._word_concepts
        concepts = frozenset().union(*[memo[t.text] for t in analyzed.tokens])
        self._concepts_of = (analyzed, concepts)
        return concepts

    def _named_product(self, brand: Brand, texts: Sequence[tuple[Analyzed, str]]) -> Product | None:
        """The product the listing names (``texts``: its title's analysis and text, then its description's when
        the brand was found there): one a text names, the title first; else the cheapest of the brand's products
        in the first text's category that has some (a plain "leather handbag" is priced against the brand's bag,
        even when the brand is in the description or only in the photos), or, when none is of that category,
        among those whose names say no category (a "smartphone" against the Mate 60 Pro, not the watch)."""
        if not brand.products:
            return None
        for analyzed, text in texts:
            product = best_product(self.normalizer.fold(text), frozenset(analyzed.words()), brand, self.normalizer,
                                   self.config.product_min_similarity, self._product_words, self._product_folded)
            if product is not None:
                return product
        for analyzed, _ in texts:
            concepts = self._title_concepts(analyzed)
            if not concepts:
                continue
            in_category = [p for p in brand.products if self._product_concepts[p.product_id] & concepts]
            # else one whose name says no kind of goods (Mate 60 Pro may be the phone; the earbuds are not)
            in_category = in_category or [p for p in brand.products if not self._product_concepts[p.product_id]]
            if in_category:
                return min(in_category, key=lambda p: p.msrp or 0.0)
        return None

    def _goods_after(self, hit: Hit, tokens: Sequence[Token], b_idx: int) -> bool:
        """An ambiguous term opening the title right before goods of the brand's mark classes (coach jacket)."""
        if hit.start != 0 or not hit.term.ambiguous or hit.end >= len(tokens):
            return False
        word = tokens[hit.end].text
        concepts = self._word_concepts[word]
        if hit.end + 1 < len(tokens):
            concepts = concepts | self._word_concepts[word + tokens[hit.end + 1].text]  # t shirt -> tshirt
        return bool(concepts & self._class_concepts[b_idx])

    def _price_low(self, b_idx: int, texts: Sequence[tuple[Analyzed, str]], listing: ListingView | None) -> bool:
        """Is the price far below the brand's (its named product's, else its lowest MSRP)?"""
        if listing is None or listing.price is None:
            return False
        cfg = self.config
        brand = self.brands[b_idx]
        # the same product the price reason is measured against (a bag's price against the bag, not the perfume)
        product = self._named_product(brand, texts)
        ratio = check_price(listing.price, listing.currency, product, brand, cfg).ratio
        return ratio is not None and cfg.price_ratio_implausible <= ratio <= cfg.price_ratio_low

    def _points(self, hit: Hit) -> tuple[str, float]:
        cfg = self.config
        if hit.how == "homophone":
            return "brand_homophone", cfg.points_brand_variant
        if hit.how == "model":
            return "brand_model", cfg.points_brand_variant
        if hit.term.kind in WEAK_CODES:
            return WEAK_CODES[hit.term.kind], cfg.points_brand_variant
        if hit.how == "masked":
            return "brand_masked", cfg.points_brand_masked
        if hit.how == "codename":
            return "brand_codename", cfg.points_brand_codename
        if hit.how == "fuzzy":
            return "brand_fuzzy", cfg.points_brand_fuzzy
        if hit.flags & DISGUISES:
            return "brand_obfuscated", cfg.points_brand_obfuscated
        if hit.term.kind == "pinyin":
            return "brand_pinyin", cfg.points_brand_pinyin
        if hit.term.kind == "alias":
            return "brand_alias", cfg.points_brand_alias
        return "brand_exact", cfg.points_brand_exact

    def _best_image(self, hashes: Sequence[str]) -> tuple[ImageHit | None, CatalogImage | None, int]:
        """Nearest catalog image within image_max_distance, and how many hash chunks agree with it."""
        best: ImageHit | None = None
        best_hash = ""
        for h in hashes:
            try:
                hit = self.image_index.query(h)
            except ValueError:
                continue
            if hit is not None and hit.distance <= self.config.image_max_distance and (
                best is None or hit.distance < best.distance
            ):
                best, best_hash = hit, h
        if best is None:
            return None, None, 0
        return best, self.images[best.index], self.image_index.agreement(best_hash, best.index)

    def _mark_for(self, brand: Brand, hit: Hit | None, image: CatalogImage | None) -> str | None:
        if hit is not None and hit.term.mark_reg_no:
            return hit.term.mark_reg_no
        if image is not None and image.brand_id == brand.brand_id and image.mark_reg_no:
            return image.mark_reg_no
        if not brand.marks:
            return None
        if hit is not None:
            for m in brand.marks:
                if m.word and self.normalizer.fold(m.word).replace(" ", "") == hit.term.text.replace(" ", ""):
                    return m.reg_no
        names = {self.normalizer.fold(brand.name).replace(" ", "")}
        for m in brand.marks:
            if m.word and self.normalizer.fold(m.word).replace(" ", "") in names:
                return m.reg_no
        return brand.marks[0].reg_no


