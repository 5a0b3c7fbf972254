"""Brand text index: every brand name, alias, mark word and pinyin reading in one structure.

Lookup per title costs (roughly) O(length of title), not O(number of terms):

- exact hits: one Aho-Corasick automaton over the canonical forms (word boundaries are spaces
  in the key for Latin terms; CJK terms match anywhere);
- fuzzy hits (typos such as "Adidos", "Cahnel"): a symmetric-delete index (every term with one
  character deleted) gives candidates, verified with rapidfuzz's OSA distance (one edit, a swap of
  neighbours counting as one) and similarity;
- masked hits (G*cci, 古*, 香～): wildcard comparison against terms of compatible length that
  share a literal character.

Context (compatibility mentions, ordinary-word use) is judged per hit in :mod:`brandsweep.matchers.context`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick
from rapidfuzz.distance import OSA

from brandsweep.matchers.normalize import MASK_CHARS, Analyzed, Normalizer, Token, is_cjk
from brandsweep.matchers.types import Brand

_FUZZY_CACHE_SIZE = 200_000
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # canonical form (space-joined folded tokens)
    brand: int  # index into the brand list
    kind: str  # name | alias | mark | pinyin
    mark_reg_no: str | None
    cjk: bool
    ambiguous: bool  # an ordinary word as well as a brand term


@dataclass(frozen=True, slots=True)
class Hit:
    term: Term
    start: int  # first token position
    end: int  # token position after the hit
    how: str  # exact | fuzzy | masked
    flags: frozenset[str]  # disguises undone to find it (homoglyph, leet, split, styled, masked)
    similarity: float  # 0-100
    before: str  # up to 8 characters of canonical text before the hit, same token (CJK context)
    after: str  # up to 8 characters after the hit


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class TextIndex:
    """Built once from the catalog; ``find`` returns every brand-term hit in an analysed title."""

    def __init__(
        self,
        brands: Iterable[Brand],
        normalizer: Normalizer,
        ordinary_words: frozenset[str],
        distinctive_words: frozenset[str] = frozenset(),
        fuzzy_min_len: int = 5,
        fuzzy_min_similarity: float = 80.0,
    ) -> None:
        self.normalizer = normalizer
        self.ordinary_words = ordinary_words
        self.fuzzy_min_len = fuzzy_min_len
        self.fuzzy_min_similarity = fuzzy_min_similarity
        self.terms: list[Term] = []
        seen: set[tuple[str, int, str]] = set()
        for b_idx, brand in enumerate(brands):
            entries: list[tuple[str, str, str | None]] = [(brand.name, "name", None)]
            entries += [(a, "alias", None) for a in brand.aliases]
            entries += [(m.word, "mark", m.reg_no) for m in brand.marks if m.word]
            for raw, kind, reg in list(entries):
                entries += [(p, "pinyin", reg) for p in normalizer.pinyin(normalizer.fold(raw))]
                spaced = _CAMEL.sub(" ", raw)
                if spaced != raw:
                    entries.append((spaced, kind, reg))
            for raw, kind, reg in entries:
                for form in normalizer.term_forms(raw):
                    variants = [form]
                    if " " in form and not is_cjk(form):
                        variants.append(form.replace(" ", ""))
                    for text in variants:
                        key = (text, b_idx, kind)
                        if key in seen or len(text) < 2:
                            continue
                        seen.add(key)
                        short = not is_cjk(text) and len(text.replace(" ", "")) <= 2  # LV, MI, CC, GG
                        ambiguous = (short or _is_ordinary(text, ordinary_words)) and text not in distinctive_words
                        self.terms.append(Term(text, b_idx, kind, reg, is_cjk(text), ambiguous))
        # a Latin term that reads an ordinary Chinese alias aloud (xiaomi = 小米 'millet', pingguo = 苹果)
        # is as ambiguous as the alias
        readings = {(t.brand, r.replace(" ", "")) for t in self.terms if t.cjk and t.ambiguous
                    for r in normalizer.pinyin(t.text)}
        self.terms = [
            Term(t.text, t.brand, t.kind, t.mark_reg_no, t.cjk, True)
            if not t.cjk and not t.ambiguous and (t.brand, t.text.replace(" ", "")) in readings
            and t.text not in distinctive_words else t
            for t in self.terms
        ]
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[int]] = defaultdict(list)
        for t_idx, term in enumerate(self.terms):
            by_key[self._key(term.text)].append(t_idx)
        for key, ids in by_key.items():
            self._automaton.add_word(key, (len(key), tuple(ids)))
        if by_key:
            self._automaton.make_automaton()
        self._has_terms = bool(by_key)
        # typo look-ups by word: marketplace vocabularies are small and skewed, so most words repeat
        self._fuzzy_cache: dict[str, tuple[tuple[int, float], ...]] = {}
        self._max_fuzzy_len = 1 + max((len(t.text) for t in self.terms if " " not in t.text), default=0)
        self._codenames: dict[str, list[Term]] = defaultdict(list)
        self._build_codenames()
        self._deletes: dict[str, list[int]] = defaultdict(list)
        self._by_len: dict[int, list[int]] = defaultdict(list)
        self._multi_by_len: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._cjk_by_char: dict[str, list[int]] = defaultdict(list)
        for t_idx, term in enumerate(self.terms):
            if term.cjk:
                for ch in set(term.text):
                    self._cjk_by_char[ch].append(t_idx)
            elif " " in term.text:
                for w_idx, word in enumerate(term.text.split()):
                    self._multi_by_len[len(word)].append((t_idx, w_idx))
            else:
                self._by_len[len(term.text)].append(t_idx)
                if len(term.text) >= fuzzy_min_len and term.text.isalpha() and len(term.text) > 2:
                    for d in _deletes(term.text) | {term.text}:
                        self._deletes[d].append(t_idx)

    def _build_codenames(self) -> None:
        """Trade slang 'X家' ('house of X': N家, LV家, 古家, 香家): X is a brand's initial, a short
        Latin alias or mark, or the first character of a Chinese alias."""
        keys: dict[str, set[int]] = defaultdict(set)
        for term in self.terms:
            text = term.text.replace(" ", "")
            if term.cjk and len(text) >= 2 and is_cjk(text[0]):
                keys[text[0]].add(term.brand)
            elif not term.cjk and term.kind != "pinyin":
                if len(text) <= 3 and text.isalpha():
                    keys[text].add(term.brand)
                if term.kind == "name":
                    keys[text[0]].add(term.brand)
                    words = term.text.split()
                    if len(words) > 1:
                        keys["".join(w[0] for w in words)].add(term.brand)
        for key, brand_ids in keys.items():
            code = f"{key}家"
            if code in self.ordinary_words:  # 国家, 大家, 专家 …
                continue
            for b in sorted(brand_ids):
                self._codenames[key].append(Term(code, b, "codename", None, True, True))

    @staticmethod
    def _key(text: str) -> str:
        left = "" if is_cjk(text[0]) else " "
        right = "" if is_cjk(text[-1]) else " "
        return f"{left}{text}{right}"

    def __len__(self) -> int:
        return len(self.terms)

    # ---------------------------------------------------------------- lookup
    def find(self, analyzed: Analyzed) -> list[Hit]:
        hits: list[Hit] = []
        if not self._has_terms:
            return hits
        tokens = analyzed.tokens
        self._exact(tokens, hits, extra_flags=frozenset(), glued_from=analyzed.glued_from)
        if analyzed.variants:
            self._exact(analyzed.variants, hits, extra_flags=frozenset(), separate=True)
        alt = analyzed.alternative()
        if alt is not None:
            self._exact(alt, hits, extra_flags=frozenset())
        covered = {p for h in hits for p in range(h.start, h.end)}
        for tok in list(tokens) + list(analyzed.variants):
            if tok.pos not in covered:
                self._fuzzy(tok, hits)
        # a typo in a two-word name (Lous Vuitton) against its run-together form
        for a, b in itertools.pairwise(tokens):
            if (
                a.pos not in covered and b.pos not in covered and a.text.isalpha() and b.text.isalpha()
                and len(a.text) + len(b.text) <= self._max_fuzzy_len
                and (a.text not in self.ordinary_words or b.text not in self.ordinary_words)
            ):
                self._fuzzy(Token(a.text + b.text, a.pos, a.flags | b.flags), hits, end=b.pos + 1)
        for tok in analyzed.masked:
            self._masked(tok, hits, tokens)
        if self._codenames:
            self._codename(tokens, hits, analyzed.glued_from)
        return hits

    def _codename(self, tokens: tuple[Token, ...], hits: list[Hit], glued_from: str = "") -> None:
        for i, tok in enumerate(tokens):
            text = tok.text
            if not is_cjk(text):
                nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
                if nxt.startswith("家") and len(text) <= 3 and text.isalpha():
                    for term in self._codenames.get(text, ()):
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "codename", tok.flags | {"codename"}, 80.0,
                                        "", nxt[1:9]))
                continue
            start = 0
            while (k := text.find("家", start + 1)) > 0:
                start = k
                if k >= 2 and not (glued_from and f" {text[k - 1]}家" in f" {glued_from}"):
                    continue  # X家 must start a word (香家, not 留香家庭装)
                for term in self._codenames.get(text[k - 1], ()):
                    hits.append(Hit(term, tok.pos, tok.pos + 1, "codename", tok.flags | {"codename"}, 80.0,
                                    text[max(0, k - 9):k - 1], text[k + 1:k + 9]))

    def _exact(
        self, tokens: tuple[Token, ...], hits: list[Hit], extra_flags: frozenset[str], glued_from: str = "",
        separate: bool = False,
    ) -> None:
        """Exact hits in a token sequence; with ``separate`` the tokens are independent readings (no
        term may span two of them), searched in one pass."""
        sep = " \x01 " if separate else " "
        starts: list[int] = []
        parts: list[str] = []
        offset = 1
        for tok in tokens:
            starts.append(offset)
            parts.append(tok.text)
            offset += len(tok.text) + len(sep)
        text = " " + sep.join(parts) + " "
        for end_char, (klen, ids) in self._automaton.iter(text):
            start_char = end_char - klen + 1
            first = start_char + 1 if text[start_char] == " " else start_char
            last = end_char - 1 if text[end_char] == " " else end_char
            i = bisect.bisect_right(starts, first) - 1
            j = bisect.bisect_right(starts, last) - 1
            flags = frozenset().union(*(t.flags for t in tokens[i:j + 1])) | extra_flags
            tok_start, tok_end = starts[i], starts[j] + len(tokens[j].text)
            before = text[tok_start:first] if first > tok_start else ""
            after = text[last + 1:tok_end] if last + 1 < tok_end else ""
            if i > 0 and not before and not separate:
                before = tokens[i - 1].text[-8:] if tokens[i - 1].text and is_cjk(tokens[i - 1].text[-1]) else ""
            for t_idx in ids:
                term = self.terms[t_idx]
                f = flags | {"split"} if glued_from and term.cjk and term.text not in glued_from else flags
                hits.append(Hit(term, tokens[i].pos, tokens[j].pos + 1, "exact", f, 100.0, before[-8:], after[:8]))

    def _fuzzy(self, tok: Token, hits: list[Hit], end: int | None = None) -> None:
        word = tok.text
        if not self.fuzzy_min_len <= len(word) <= self._max_fuzzy_len or not word.isascii() or not word.isalpha():
            return
        if word in self.ordinary_words:
            return  # a real word is not a typo
        found = self._fuzzy_cache.get(word)
        if found is None:
            found = self._fuzzy_lookup(word)
            if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
                self._fuzzy_cache.clear()
            self._fuzzy_cache[word] = found
        for t_idx, sim in found:
            hits.append(Hit(self.terms[t_idx], tok.pos, end or tok.pos + 1, "fuzzy", tok.flags, sim, "", ""))

    def _fuzzy_lookup(self, word: str) -> tuple[tuple[int, float], ...]:
        cands: set[int] = set()
        for d in _deletes(word) | {word}:
            cands.update(self._deletes.get(d, ()))
        out: list[tuple[int, float]] = []
        for t_idx in sorted(cands):
            term = self.terms[t_idx]
            if term.text == word:
                continue
            # one edit (a swap of neighbours counts as one: Cahnel) at most, and similar enough
            if OSA.distance(word, term.text, processor=None, score_cutoff=1) > 1:
                continue
            sim = OSA.normalized_similarity(word, term.text, processor=None) * 100
            if sim >= self.fuzzy_min_similarity or (len(term.text) <= 4 and _slip(word, term.text)):
                out.append((t_idx, round(sim, 1)))
        return tuple(out)

    def _masked(self, tok: Token, hits: list[Hit], tokens: tuple[Token, ...] = ()) -> None:
        for pattern in _expand_tildes(tok.text):
            literal = [c for c in pattern if c not in MASK_CHARS]
            if is_cjk(pattern):
                cands: set[int] = set()
                for ch in literal:
                    cands.update(self._cjk_by_char.get(ch, ()))
                for t_idx in cands:
                    term = self.terms[t_idx]
                    if len(term.text) >= 2 and _window_match(pattern, term.text):
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "masked", tok.flags | {"masked"}, 90.0, "", ""))
            else:
                if len(literal) < 2 or len(literal) * 2 < len(pattern):
                    continue
                for t_idx in self._by_len.get(len(pattern), ()):
                    term = self.terms[t_idx]
                    if all(a == b or a in MASK_CHARS for a, b in zip(pattern, term.text, strict=True)):
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "masked", tok.flags | {"masked"}, 90.0, "", ""))
                # one masked word of a multi-word term (LOUIS VU*TTON): the other words must stand around it
                words = [t.text for t in tokens]
                for t_idx, w_idx in self._multi_by_len.get(len(pattern), ()):
                    term = self.terms[t_idx]
                    parts = term.text.split()
                    first = tok.pos - w_idx
                    if first < 0 or first + len(parts) > len(words):
                        continue
                    if all(a == b or a in MASK_CHARS for a, b in zip(pattern, parts[w_idx], strict=True)) and all(
                        words[first + j] == parts[j] for j in range(len(parts)) if j != w_idx
                    ):
                        hits.append(Hit(term, first, first + len(parts), "masked", tok.flags | {"masked"}, 90.0,
                                        "", ""))


PREFIXES = ("multi", "super", "ultra", "mini", "micro", "anti", "semi", "non", "pre", "re", "un", "over",
            "under", "out", "auto", "bio", "eco", "hyper", "inter", "mega", "poly", "tri", "bi")
SUFFIXES = ("s", "es", "ed", "ing", "er", "ers", "ly", "y", "ness")


def _slip(word: str, term: str) -> bool:
    """Typos short names allow: a doubled letter (Nikke, Pumma) or two neighbours swapped (Nkie);
    any other edit of a four-letter word too often lands on another real name (harp/hara, gaga/gala)."""
    if len(word) == len(term) + 1:
        return any(word[i] == word[i + 1] and word[:i] + word[i + 1:] == term for i in range(len(word) - 1))
    if len(word) == len(term):
        diff = [i for i in range(len(word)) if word[i] != term[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == term[diff[1]] and (
            word[diff[1]] == term[diff[0]])
    return False


def _is_ordinary(text: str, ordinary: frozenset[str]) -> bool:
    """An ordinary word (or an inflection or prefixed form of one: jewels, multicolor), a phrase of
    ordinary words (slim fit), or two ordinary words run together (nightlamp)."""
    if _word_ordinary(text, ordinary) or text.replace(" ", "") in ordinary:
        return True
    words = text.split()
    if len(words) > 1:
        return all(_word_ordinary(w, ordinary) for w in words)
    if is_cjk(text) or not text.isalpha():
        return False
    return any(text[:i] in ordinary and text[i:] in ordinary for i in range(3, len(text) - 2))


def _word_ordinary(word: str, ordinary: frozenset[str]) -> bool:
    if word in ordinary:
        return True
    if not word.isascii() or not word.isalpha():
        return False
    if any(word.endswith(s) and word[: -len(s)] in ordinary for s in SUFFIXES if len(word) - len(s) >= 3):
        return True
    return any(word.startswith(p) and len(word) - len(p) >= 3 and word[len(p):] in ordinary for p in PREFIXES)


def _expand_tildes(text: str) -> list[str]:
    """'~' often stands for the rest of a name (香～ for 香奈儿): let each stand for 1-3 characters."""
    if "~" not in text or text.count("~") > 2:
        return [text]
    out = [text]
    for n in (2, 3):
        out.append(text.replace("~", "~" * n))
    return out


def _window_match(token: str, term: str) -> bool:
    """Does some window of ``token`` spell ``term`` with at least one masked and one literal char?"""
    n = len(term)
    for s in range(len(token) - n + 1):
        window = token[s:s + n]
        masks = sum(c in MASK_CHARS for c in window)
        if 0 < masks < n and all(a == b or a in MASK_CHARS for a, b in zip(window, term, strict=True)):
            return True
    return False
