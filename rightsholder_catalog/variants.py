"""Every spelling the matcher's text index accepts for one catalog brand (``brandsweep catalog variants``)."""

from __future__ import annotations

from dataclasses import dataclass

from brandsweep.matchers import MatchConfig, Matcher
from brandsweep.matchers.glyphs import glyph_forms
from brandsweep.matchers.normalize import is_cjk
from brandsweep.matchers.text import TextIndex
from brandsweep.matchers.variants import derive
from brandsweep.rightsholder_catalog.queries import matcher_catalog
from brandsweep.store.db import Database


@dataclass(frozen=True)
class Spelling:
    text: str  # as the index holds it (folded, space-joined words)
    kind: str  # name | alias | mark | pinyin | partial | truncated | homophone | glyph | typo | codename
    why: str  # how it was derived
    needs_context: str  # "" (counts alone), or what it needs: "brand context", "strong context"


class UnknownBrand(LookupError):
    """No catalog brand has that id or name; ``known`` lists the ids there are."""

    def __init__(self, brand: str, known: list[str]) -> None:
        self.brand = brand
        self.known = known
        shown = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
        super().__init__(f"no brand {brand!r} in the catalog (brand ids: {shown or 'none'})")


def brand_variants(db: Database, brand: str, config: MatchConfig | None = None) -> tuple[str, list[Spelling]]:
    """(brand id, spellings) for a brand given by id or name (case-insensitive); UnknownBrand if none."""
    brands, _ = matcher_catalog(db)
    wanted = brand.casefold()
    found = [b for b in brands if b.brand_id.casefold() == wanted] or [
        b for b in brands if b.name.casefold() == wanted]
    if not found:
        raise UnknownBrand(brand, [b.brand_id for b in brands])
    target = found[0]
    matcher = Matcher([target], [], config or MatchConfig())
    index = matcher.text
    held = {(t.text, t.kind): t for t in index.terms}
    out: list[Spelling] = []
    for v in derive(target, matcher.normalizer):
        term = held.get((v.text, v.kind))
        if term is None:
            continue
        need = "strong context" if term.weak else "brand context" if term.ambiguous else ""
        out.append(Spelling(v.text, v.kind, f"{v.how} (from {v.source})", need))
    sounded: set[str] = set()
    for t_idx, sounds in sorted(index.homophone_keys().items()):
        term = index.terms[t_idx]
        if term.text in sounded:
            continue
        sounded.add(term.text)
        out.append(Spelling(f"~{' '.join(sounds)}", "homophone",
                            f"any characters that sound like {term.text} ({' '.join(sounds)}, near initials and "
                            f"finals merged) with at least one character of it in place", "strong context"))
    if matcher.config.glyph_lookalikes:
        drawn: set[str] = set()
        for t_idx in sorted(index.homophone_keys()):
            term = index.terms[t_idx]
            if term.text in drawn:
                continue
            drawn.add(term.text)
            for form, ch in glyph_forms(term.text):
                out.append(Spelling(form, "glyph", f"{term.text} with {ch} written as a character drawn like it "
                                    "(形近字; several such, or mixed with sound-alikes, with at least one character "
                                    "of the name in place)", "strong context"))
    for text in sorted({t.text for t in index.terms if not t.weak and not t.cjk and " " not in t.text
                        and t.text.isalpha() and len(t.text) >= matcher.config.fuzzy_min_len
                        and t.kind in ("name", "alias", "mark")}):
        out.append(Spelling(f"~{text}", "typo", "one edit (a swap of neighbours counts as one; names of four letters: "
                            "a doubled letter or a swap)", "brand context" if held_ambiguous(index, text) else ""))
        if 5 <= len(text) <= 8:
            out.append(Spelling(f"~~{text}", "typo", "two edits, beside counterfeit wording or a model word",
                                "strong context"))
        elif len(text) > 8:
            out.append(Spelling(f"{text[:max(6, -(-len(text) * 7 // 10))]}…", "typo",
                                "cut short (at least 70%) with at most one edit, beside counterfeit wording or a "
                                "model word", "strong context"))
    for term in index.codename_terms(0):
        out.append(Spelling(term, "codename", "trade slang 'X家' (house of X)", "brand context"))
    return target.brand_id, [s for s in out if s.text and not (is_cjk(s.text) and len(s.text) < 2)]


def held_ambiguous(index: TextIndex, text: str) -> bool:
    return any(t.text == text and t.ambiguous for t in index.terms)
