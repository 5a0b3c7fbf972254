"""What a listing's own photos say, for the scorer: brand text and indicator words read in them (OCR)
and catalog logos found in them (issue 15).

The engines run elsewhere (``photo_reader``, in worker processes); the scorer only sees their
results on :class:`~brandsweep.matchers.types.ListingView` (``photo_text``, ``photo_logos``).

- Brand text read in a photo goes through the same normaliser, text index and context rules as a
  title (strong forms only: OCR misreads make weak forms noise); a claim is ``image_text:<brand>``
  worth ``points_image_text``. One misread is undone first: on small or slanted print OCR drops thin
  letters and the space between words (LOUSVUTTON for LOUIS VUITTON); a line holding a catalog name
  of eight letters or more with at most two of its thin letters (i, l, j, t, f, 1) missing has the
  name added (:class:`DroppedLetters`).
- Counterfeit wording read in a photo is ``image_text_indicator:<word>`` at
  ``points_image_text_indicator_factor`` of its lexicon weight, inside the indicator cap, and only
  when the title does not already say it.
- A logo is ``logo:<brand>@<inliers>``, worth ``points_logo`` scaled from half at
  ``logo_min_inliers`` to full at twice that.

Photo links count only when no title text names a brand (a title claim is stronger evidence than
a photo, which may show another brand: a compatible case, a shop's banner).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import ahocorasick

from brandsweep.matchers.types import Reason

if TYPE_CHECKING:
    from brandsweep.matchers.logos import LogoHit
    from brandsweep.matchers.normalize import Analyzed, Normalizer
    from brandsweep.matchers.score import Matcher, _Candidate
    from brandsweep.matchers.text import Term
    from brandsweep.matchers.types import ListingView

THIN = frozenset("iljtf1")  # letters OCR drops on small print: one thin stroke each
MAX_DROPPED = 2  # thin letters a name may miss in an OCR line and still be read as that name
MIN_LETTERS = 8  # only names this long: a short one missing a letter is too often another word


@dataclass(slots=True)
class PhotoEvidence:
    """The photo signals of one listing, per catalog brand (index into ``Matcher.brands``)."""

    text: dict[int, _Candidate] = field(default_factory=dict)  # brand -> its best claim read in a photo
    logos: dict[int, LogoHit] = field(default_factory=dict)  # brand -> its logo hit with most inliers
    indicators: list[tuple[str, float]] = field(default_factory=list)  # (phrase, lexicon weight)

    def brand(self) -> int | None:
        """The brand the photos name best: a logo (geometrically verified) before text."""
        if self.logos:
            return max(self.logos, key=lambda b: self.logos[b].inliers)
        if self.text:
            return max(self.text, key=lambda b: self.text[b].points)
        return None

    def names(self, b_idx: int | None) -> bool:
        return b_idx is not None and (b_idx in self.text or b_idx in self.logos)


def read_photos(matcher: Matcher, listing: ListingView, has_indicator: bool, image_brand: int | None,
                title: Analyzed | None = None) -> PhotoEvidence:
    """Brand claims, indicator words and logos in the listing's photos (as the switches allow). A name read
    in a photo has the listing's kind of goods (``title``'s category concepts) as its brand context: APPLE
    on a "smartphone" is the brand, on a "fruit basket" it is not read without other context."""
    cfg = matcher.config
    out = PhotoEvidence()
    if not listing.photo_logos and not listing.photo_text:
        return out  # most listings: no photo was read
    if cfg.photo_logos:
        for hit in listing.photo_logos:
            b = matcher._brand_idx.get(hit.brand)
            if b is None or hit.inliers < cfg.logo_min_inliers:
                continue
            if b not in out.logos or hit.inliers > out.logos[b].inliers:
                out.logos[b] = hit
    text = listing.photo_text.strip() if cfg.photo_ocr else ""
    if text:
        text = matcher.dropped_letters.restore(matcher.normalizer, text)
        out.indicators = matcher.lexicon.find(text)
        analyzed = matcher.normalizer.analyze(text)
        hits = [h for h in matcher.text.find(analyzed, weak=False) if not h.is_weak]
        context = has_indicator or any(w >= 15.0 for _, w in out.indicators)
        concepts = matcher._title_concepts(title) if title is not None else frozenset()
        claim, _ = matcher._best_text(analyzed, hits, context, image_brand, None, context_concepts=concepts)
        if claim is not None:
            out.text[claim.brand] = claim
    return out


def photo_reasons(matcher: Matcher, photo: PhotoEvidence, b_idx: int) -> tuple[float, list[Reason]]:
    """The link points the photos give brand ``b_idx`` (the best signal) and their reasons."""
    cfg = matcher.config
    brand_id = matcher.brands[b_idx].brand_id
    link = 0.0
    reasons: list[Reason] = []
    claim = photo.text.get(b_idx)
    if claim is not None:
        link = cfg.points_image_text
        reasons.append(Reason("image_text", brand_id, cfg.points_image_text))
    hit = photo.logos.get(b_idx)
    if hit is not None:
        over = (hit.inliers - cfg.logo_min_inliers) / cfg.logo_min_inliers  # 0 at the minimum, 1 at twice it
        pts = cfg.points_logo * min(1.0, 0.5 + 0.5 * over)
        link = max(link, pts)
        reasons.append(Reason("logo", f"{brand_id}@{hit.inliers}", round(pts, 1)))
    return link, reasons


def photo_indicators(matcher: Matcher, photo: PhotoEvidence, title_phrases: set[str],
                     total: float) -> tuple[float, list[Reason]]:
    """Indicator words read in the photos and not in the title, at their factor, inside the cap
    (``total``: what the title's indicators took of it already). Returns the points added."""
    cfg = matcher.config
    added = 0.0
    reasons: list[Reason] = []
    for phrase, weight in photo.indicators:
        if phrase in title_phrases:
            continue
        pts = max(0.0, min(weight * cfg.points_image_text_indicator_factor, cfg.indicator_cap - total - added))
        added += pts
        reasons.append(Reason("image_text_indicator", phrase, round(pts, 1)))
    return added, reasons


class DroppedLetters:
    """The Latin catalog names of at least ``MIN_LETTERS`` letters that are not ordinary words, found in an
    OCR line with up to ``MAX_DROPPED`` thin letters missing. Names are looked up by their letters without
    the thin ones (louisvuitton: ousvuon), which dropping thin letters does not change, in one Aho-Corasick
    pass over the line; a candidate is then checked against the name's letters with each thin one
    optional. (A regex search per name instead cost ~5 ms per photo text with 5,000 names.)"""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._names: dict[str, list[tuple[re.Pattern[str], str, int]]] = {}
        for term in terms:
            letters = term.text.replace(" ", "")
            key = "".join(c for c in letters if c not in THIN)
            if (term.cjk or term.weak or term.ambiguous or term.kind not in ("name", "alias", "mark")
                    or len(letters) < MIN_LETTERS or len(key) < 4 or not (letters.isascii() and letters.isalnum())
                    or any(name == term.text for _, name, _ in self._names.get(key, ()))):
                continue
            pattern = "".join(f"{c}?" if c in THIN else re.escape(c) for c in letters)
            self._names.setdefault(key, []).append((re.compile(pattern), term.text, len(letters)))
        self._index = ahocorasick.Automaton()
        for key in self._names:
            self._index.add_word(key, key)
        if self._names:
            self._index.make_automaton()

    def restore(self, normalizer: Normalizer, text: str) -> str:
        """``text`` with each catalog name added that a line holds with one or two thin letters missing
        (LOUSVUTTON: LOUIS VUITTON without its two i's), for the text index to find as it finds a title's."""
        if not self._names:
            return text
        added: list[str] = []
        for line in text.splitlines():
            letters = "".join(c for c in normalizer.fold(line) if c.isascii() and c.isalnum())
            if len(letters) < MIN_LETTERS - MAX_DROPPED:
                continue
            for _, key in self._index.iter("".join(c for c in letters if c not in THIN)):
                for pattern, name, size in self._names[key]:
                    m = pattern.search(letters)
                    if m is not None and 0 < size - len(m.group()) <= MAX_DROPPED and name not in added:
                        added.append(name)
        return "\n".join([text, *added]) if added else text
