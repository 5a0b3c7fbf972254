"""Brand text index: every brand name, alias, mark word and pinyin reading in one structure.

Lookup per title costs (roughly) O(length of title), not O(number of terms):

- exact hits: one Aho-Corasick automaton over the canonical forms (word boundaries are spaces
  in the key for Latin terms; CJK terms match anywhere);
- fuzzy hits (typos such as "Adidos", "Cahnel"): a symmetric-delete index (every term with one
  character deleted) gives candidates, verified with rapidfuzz's OSA distance (one edit, a swap of
  neighbours counting as one) and similarity;
- masked hits (G*cci, 古*, 香～): wildcard comparison against terms of compatible length that
  share a literal character.

Every reading after the exact pass depends on one token's text alone (or two neighbours' joined
text), so it is memoised per text (:class:`Memo`): a word seen in an earlier title costs one
dictionary look-up. Tokens an exact hit explains are not read again, and ASCII titles skip the
Chinese-only passes (homophones, X家).

Context (compatibility mentions, ordinary-word use) is judged per hit in :mod:`brandsweep.matchers.context`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import ahocorasick
from pypinyin import Style, lazy_pinyin, pinyin
from rapidfuzz.distance import OSA

from brandsweep.matchers.glyphs import looks_like
from brandsweep.matchers.normalize import MASK_CHARS, Analyzed, Normalizer, Token, is_cjk
from brandsweep.matchers.types import Brand
from brandsweep.matchers.variants import derive, loose

MEMO_SIZE = 200_000  # distinct token texts remembered per reading (typo, weak typo, homophone)
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_V = TypeVar("_V")


class Memo(dict[str, _V]):
    """Results per token text, computed on first use by ``compute`` (which must depend on the text
    alone). A hit is one dictionary look-up in C; when ``size`` texts are held, the older half (in
    order of first use) is dropped, so a skewed marketplace vocabulary stays in and memory is bounded."""

    __slots__ = ("_compute", "_size")

    def __init__(self, compute: Callable[[str], _V], size: int = MEMO_SIZE) -> None:
        super().__init__()
        self._compute = compute
        self._size = size

    def __missing__(self, key: str) -> _V:
        if len(self) >= self._size:
            for old in list(itertools.islice(self, max(1, len(self) // 2))):
                self.pop(old, None)  # another thread may have dropped it already
        value = self[key] = self._compute(key)
        return value


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # canonical form (space-joined folded tokens)
    brand: int  # index into the brand list
    kind: str  # name | alias | mark | pinyin
    mark_reg_no: str | None
    cjk: bool
    ambiguous: bool  # an ordinary word as well as a brand term
    weak: bool = False  # a short or cut form (partial, truncated): counts only with context


@dataclass(frozen=True, slots=True)
class Hit:
    term: Term
    start: int  # first token position
    end: int  # token position after the hit
    how: str  # exact | fuzzy | masked
    flags: frozenset[str]  # disguises undone to find it (homoglyph, leet, split, styled, masked)
    before: str  # up to 8 characters of canonical text before the hit, same token (CJK context)
    after: str  # up to 8 characters after the hit
    weak: bool = False  # found by a weak reading (homophone, two-edit typo): counts only with context

    @property
    def is_weak(self) -> bool:
        return self.weak or self.term.weak


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
        *,
        fuzzy_min_len: int,
        fuzzy_min_similarity: float,
        glyphs: bool = True,
    ) -> None:
        self.normalizer = normalizer
        self.glyphs = glyphs  # read look-alike characters (形近字) of Chinese names, beside homophones
        self.ordinary_words = ordinary_words
        self.fuzzy_min_len = fuzzy_min_len
        self.fuzzy_min_similarity = fuzzy_min_similarity
        self.terms: list[Term] = []
        for b_idx, brand in enumerate(brands):
            multi_marks = {normalizer.fold(m.word) for m in brand.marks if m.word and len(m.word.split()) > 1}
            for v in derive(brand, normalizer):
                text = v.text
                short = not is_cjk(text) and len(text.replace(" ", "")) <= 2  # LV, MI, CC, GG
                # a registered mark phrase (AIR JORDAN) is the mark, never a phrase of ordinary words
                registered_phrase = v.kind == "mark" and " ".join(text.split()) in multi_marks
                ambiguous = (
                    (short or _is_ordinary(text, ordinary_words)) and text not in distinctive_words
                    and not registered_phrase
                )
                self.terms.append(Term(text, b_idx, v.kind, v.mark_reg_no, is_cjk(text), ambiguous, v.weak))
        # a Latin term that reads an ordinary Chinese alias aloud (xiaomi = 小米 'millet', pingguo = 苹果)
        # is as ambiguous as the alias
        readings = {(t.brand, r.replace(" ", "")) for t in self.terms if t.cjk and t.ambiguous and not t.weak
                    for r in normalizer.pinyin(t.text)}
        self.terms = [
            Term(t.text, t.brand, t.kind, t.mark_reg_no, t.cjk, True, t.weak)
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
        # readings of a token by its text alone: marketplace vocabularies are small and skewed, so most
        # words repeat across titles and cost one look-up
        self._fuzzy_memo: Memo[tuple[Term, ...]] = Memo(self._fuzzy_terms)
        self._weak_memo: Memo[tuple[Term, ...]] = Memo(self._weak_lookup)
        self._homophone_memo: Memo[tuple[tuple[Term, str, str, frozenset[str]], ...]] = Memo(self._homophone_windows)
        self._max_fuzzy_len = 1 + max((len(t.text) for t in self.terms if " " not in t.text and not t.weak),
                                      default=0)
        self._codenames: dict[str, list[Term]] = defaultdict(list)
        self._build_codenames()
        self._deletes: dict[str, list[int]] = defaultdict(list)
        self._by_len: dict[int, list[int]] = defaultdict(list)
        self._multi_by_len: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._cjk_by_char: dict[str, list[int]] = defaultdict(list)
        self._sounds: dict[int, tuple[str, ...]] = {}
        self._char_sounds: dict[str, tuple[str, ...]] = {}
        self._weak_index: dict[str, list[int]] | None = None
        for t_idx, term in enumerate(self.terms):
            if term.weak:
                continue
            if term.cjk:
                if term.kind != "codename" and 2 <= len(term.text) <= 6 and _HAN.match(term.text):
                    self._sounds[t_idx] = tuple(loose(s) for s in lazy_pinyin(term.text, style=Style.NORMAL))
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
            if term.weak:
                continue
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

    def homophone_keys(self) -> dict[int, tuple[str, ...]]:
        """Term index -> its loose pinyin syllables: the Chinese names homophones are compared with."""
        return dict(self._sounds)

    def codename_terms(self, brand: int) -> list[str]:
        """The 'X家' forms that stand for ``brand``."""
        return sorted({t.text for terms in self._codenames.values() for t in terms if t.brand == brand})

    @staticmethod
    def _key(text: str) -> str:
        left = "" if is_cjk(text[0]) else " "
        right = "" if is_cjk(text[-1]) else " "
        return f"{left}{text}{right}"

    def __len__(self) -> int:
        return len(self.terms)

    # ---------------------------------------------------------------- lookup
    def find(self, analyzed: Analyzed, weak: bool = False) -> list[Hit]:
        """Every hit; with ``weak`` (the title has counterfeit wording or a model word) also two-edit
        and cut-short typos of Latin names (adadis, LOUSVUITT).

        Only the exact pass looks at the title as a whole; every other reading of a token (typo,
        homophone, weak typo) depends on the token's text alone and is memoised per text, so a word
        seen in an earlier title costs one dictionary look-up. Tokens an exact hit explains are not
        read again; titles without Chinese skip the homophone and codename passes."""
        hits: list[Hit] = []
        if not self._has_terms:
            return hits
        tokens = analyzed.tokens
        line = self._exact(tokens, hits, glued_from=analyzed.glued_from)
        variants = analyzed.variants
        if variants:
            self._exact(variants, hits, separate=True)
            alt = analyzed.alternative()
            if alt is not None:
                self._exact(alt, hits)
        covered = {p for h in hits for p in range(h.start, h.end)} if hits else set()
        fuzzy = self._fuzzy_memo
        for seq in (tokens, variants):
            for tok in seq:
                if tok.pos not in covered:
                    for term in fuzzy[tok.text]:
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "fuzzy", tok.flags, "", ""))
        # a typo in a two-word name (Lous Vuitton) against its run-together form
        ordinary = self.ordinary_words
        longest = self._max_fuzzy_len
        for a, b in itertools.pairwise(tokens):
            if (
                a.pos not in covered and b.pos not in covered and len(a.text) + len(b.text) <= longest
                and (a.text not in ordinary or b.text not in ordinary)
            ):
                for term in fuzzy[a.text + b.text]:  # only letters: the joined word is checked like one
                    hits.append(Hit(term, a.pos, b.pos + 1, "fuzzy", a.flags | b.flags, "", ""))
        for tok in analyzed.masked:
            self._masked(tok, hits, tokens)
        if not line.isascii():  # codenames (X家) and homophones need Chinese characters
            if self._codenames and "家" in line:
                self._codename(tokens, hits, analyzed.glued_from)
            if self._sounds:
                for tok in tokens:
                    if len(tok.text) >= 2 and is_cjk(tok.text[0]):
                        self._homophones(tok, hits)
        if weak:
            covered = {p for h in hits for p in range(h.start, h.end)}
            typo = self._weak_memo
            for tok in tokens:
                if tok.pos not in covered:
                    for term in typo[tok.text]:
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "fuzzy", tok.flags, "", "", weak=True))
            # a two-word name cut short (LOUIS VUITT)
            for a, b in itertools.pairwise(tokens):
                if a.pos not in covered and b.pos not in covered:
                    for term in typo[a.text + b.text]:  # Latin letters only: checked on the joined word
                        hits.append(Hit(term, a.pos, b.pos + 1, "fuzzy", a.flags | b.flags, "", "", weak=True))
        return hits

    # ------------------------------------------------------- weak readings
    def _readings(self, ch: str) -> tuple[str, ...]:
        r = self._char_sounds.get(ch)
        if r is None:
            found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
            r = tuple({loose(x) for x in found[0]}) if found else ()
            self._char_sounds[ch] = r
        return r

    def _homophones(self, tok: Token, hits: list[Hit]) -> None:
        for term, before, after, how in self._homophone_memo[tok.text]:
            hits.append(Hit(term, tok.pos, tok.pos + 1, "homophone", tok.flags | how, before, after, weak=True))

    def _homophone_windows(self, text: str) -> tuple[tuple[Term, str, str, frozenset[str]], ...]:
        """Windows of a Chinese token that sound like a Chinese brand name (same or near toneless
        pinyin) or are drawn like it (形近字, :mod:`brandsweep.matchers.glyphs`), character by character,
        and share at least one character with it in the same place, without spelling it:
        (term, text before, text after, how it was read: {"homophone"}, {"glyph"} or both) each."""
        out: list[tuple[Term, str, str, frozenset[str]]] = []
        seen: set[tuple[int, int]] = set()
        for i, ch in enumerate(text):
            for t_idx in self._cjk_by_char.get(ch, ()):
                sounds = self._sounds.get(t_idx)
                if sounds is None:
                    continue
                term = self.terms[t_idx]
                n = len(term.text)
                for k, tch in enumerate(term.text):
                    s = i - k
                    if tch != ch or s < 0 or s + n > len(text) or (s, t_idx) in seen:
                        continue
                    seen.add((s, t_idx))
                    window = text[s:s + n]
                    if window == term.text:
                        continue
                    how = self._read_window(window, term.text, sounds)
                    if how:
                        out.append((term, text[max(0, s - 8):s], text[s + n:s + n + 8], how))
        return tuple(out)

    def _read_window(self, window: str, name: str, sounds: tuple[str, ...]) -> frozenset[str]:
        """How each character of ``window`` reads as the one of ``name`` in its place: the same, the
        same loose sound ({"homophone"}) or drawn alike ({"glyph"}); empty when one fits none of them."""
        how: set[str] = set()
        for j, (a, b) in enumerate(zip(window, name, strict=True)):
            if a == b:
                continue
            if sounds[j] in self._readings(a):
                how.add("homophone")
            elif self.glyphs and looks_like(a, b):
                how.add("glyph")
            else:
                return frozenset()
        return frozenset(how)

    def _weak_lookup(self, word: str) -> tuple[Term, ...]:
        """Two edits in a Latin name of 5-8 letters (adadis), or a name cut short with one typo
        (lousvuitt for louisvuitton); only asked for beside counterfeit wording or a model word."""
        if not 4 <= len(word) <= 24 or not word.isascii() or not word.isalpha() or _word_ordinary(
                word, self.ordinary_words):
            return ()
        if self._weak_index is None:
            self._build_weak_index()
        assert self._weak_index is not None
        found: list[int] = []
        for t_idx in self._weak_index.get(word[:2], ()):
            term = self.terms[t_idx]
            n = len(term.text)
            if term.text == word:
                continue
            if n == 4 == len(word) and sum(a != b for a, b in zip(word, term.text, strict=True)) == 1:
                found.append(t_idx)  # one letter changed in a four-letter name (niku, niki)
            elif 5 <= n <= 8 and abs(n - len(word)) <= 1 and OSA.distance(word, term.text, score_cutoff=2) <= 2:
                found.append(t_idx)
            elif n > len(word) >= max(6, 0.7 * n) and min(
                OSA.distance(word, term.text[:len(word)], score_cutoff=2),
                OSA.distance(word, term.text[:len(word) + 1], score_cutoff=2),
            ) <= 1:
                found.append(t_idx)
        return tuple(self.terms[t_idx] for t_idx in found)

    def _build_weak_index(self) -> None:
        index: dict[str, list[int]] = defaultdict(list)
        # pinyin readings (also when the catalog lists one as an alias: duofen) are not typed by sight
        readings = {(t.brand, t.text) for t in self.terms if t.kind == "pinyin"}
        for t_idx, term in enumerate(self.terms):
            text = term.text
            if (term.weak or term.cjk or term.kind in ("pinyin", "codename") or term.ambiguous or " " in text
                    or not text.isalpha() or len(text) < 4 or (term.brand, text) in readings):
                continue
            index[text[:2]].append(t_idx)
        self._weak_index = index

    def _codename(self, tokens: tuple[Token, ...], hits: list[Hit], glued_from: str = "") -> None:
        for i, tok in enumerate(tokens):
            text = tok.text
            if not is_cjk(text):
                nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
                if nxt.startswith("家") and len(text) <= 3 and text.isalpha():
                    for term in self._codenames.get(text, ()):
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "codename", tok.flags | {"codename"},
                                        "", nxt[1:9]))
                continue
            start = 0
            while (k := text.find("家", start + 1)) > 0:
                start = k
                if k >= 2 and not (glued_from and f" {text[k - 1]}家" in f" {glued_from}"):
                    continue  # X家 must start a word (香家, not 留香家庭装)
                for term in self._codenames.get(text[k - 1], ()):
                    hits.append(Hit(term, tok.pos, tok.pos + 1, "codename", tok.flags | {"codename"},
                                    text[max(0, k - 9):k - 1], text[k + 1:k + 9]))

    def _exact(
        self, tokens: tuple[Token, ...], hits: list[Hit], extra_flags: frozenset[str] = frozenset(),
        glued_from: str = "", separate: bool = False,
    ) -> str:
        """Exact hits in a token sequence; with ``separate`` the tokens are independent readings (no
        term may span two of them), searched in one pass. Returns the text searched."""
        sep = " \x01 " if separate else " "
        text = " " + sep.join([tok.text for tok in tokens]) + " "
        found = list(self._automaton.iter(text))
        if not found:
            return text
        starts: list[int] = []
        offset = 1
        step = len(sep)
        for tok in tokens:
            starts.append(offset)
            offset += len(tok.text) + step
        for end_char, (klen, ids) in found:
            start_char = end_char - klen + 1
            first = start_char + 1 if text[start_char] == " " else start_char
            last = end_char - 1 if text[end_char] == " " else end_char
            i = bisect.bisect_right(starts, first) - 1
            j = bisect.bisect_right(starts, last) - 1
            flags = tokens[i].flags if i == j else frozenset().union(*(t.flags for t in tokens[i:j + 1]))
            if extra_flags:
                flags = flags | extra_flags
            tok_start, tok_end = starts[i], starts[j] + len(tokens[j].text)
            before = text[tok_start:first] if first > tok_start else ""
            after = text[last + 1:tok_end] if last + 1 < tok_end else ""
            if i > 0 and not before and not separate:
                before = tokens[i - 1].text[-8:] if tokens[i - 1].text and is_cjk(tokens[i - 1].text[-1]) else ""
            for t_idx in ids:
                term = self.terms[t_idx]
                f = flags | {"split"} if glued_from and term.cjk and term.text not in glued_from else flags
                hits.append(Hit(term, tokens[i].pos, tokens[j].pos + 1, "exact", f, before[-8:], after[:8]))
        return text

    def _fuzzy_terms(self, word: str) -> tuple[Term, ...]:
        """One-edit typos of a term, for a word of letters that is not an ordinary word (or its plural:
        basics is not a typo of asics); () for any other token."""
        if not self.fuzzy_min_len <= len(word) <= self._max_fuzzy_len or not word.isascii() or not word.isalpha():
            return ()
        if _plural_ordinary(word, self.ordinary_words):
            return ()
        return tuple(self.terms[t_idx] for t_idx in self._fuzzy_lookup(word))

    def _fuzzy_lookup(self, word: str) -> tuple[int, ...]:
        cands: set[int] = set()
        for d in _deletes(word) | {word}:
            cands.update(self._deletes.get(d, ()))
        out: list[int] = []
        for t_idx in sorted(cands):
            term = self.terms[t_idx]
            if term.text == word or (len(word) == len(term.text) + 1 and word[1:] == term.text):
                continue  # a letter in front makes another word (basics is not asics)
            # one edit (a swap of neighbours counts as one: Cahnel) at most, and similar enough
            if OSA.distance(word, term.text, processor=None, score_cutoff=1) > 1:
                continue
            sim = OSA.normalized_similarity(word, term.text, processor=None) * 100
            if sim >= self.fuzzy_min_similarity or (len(term.text) <= 4 and _slip(word, term.text)):
                out.append(t_idx)
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
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "masked", tok.flags | {"masked"}, "", ""))
            else:
                if len(literal) < 2 or len(literal) * 2 < len(pattern):
                    continue
                for t_idx in self._by_len.get(len(pattern), ()):
                    term = self.terms[t_idx]
                    if all(a == b or a in MASK_CHARS for a, b in zip(pattern, term.text, strict=True)):
                        hits.append(Hit(term, tok.pos, tok.pos + 1, "masked", tok.flags | {"masked"}, "", ""))
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
                        hits.append(Hit(term, first, first + len(parts), "masked", tok.flags | {"masked"}, "", ""))


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


def _plural_ordinary(word: str, ordinary: frozenset[str]) -> bool:
    """An ordinary word or its plural (basics, classics): not a typo of a brand."""
    return word in ordinary or (word[-1] == "s" and (word[:-1] in ordinary or (word[-2:] == "es"
                                                                             and word[:-2] in ordinary)))


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
