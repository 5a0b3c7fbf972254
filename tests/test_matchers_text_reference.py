"""The fast text path finds exactly what a slow reference finds (issue 16).

``TextIndex.find`` memoises every per-token reading (one-edit typo, weak typo, homophone) by the
token's text, skips the Chinese-only passes on ASCII titles and computes exact-hit flags without
building sets; ``Normalizer.analyze`` skips the Chinese glue rules on ASCII titles and joins split
letters in one pass. :func:`reference_find` and :func:`reference_split` below are the algorithms as
they were before (every reading recomputed for every token of every title), kept here as the
reference: a few thousand titles generated from a generated catalog (exact names, one- and
two-edit typos, split, leet, camel-case, masked, cut-short, Chinese names with sound-alike
characters, partials and codenames, ordinary words) must give the same hits, in the same order.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import string
import unicodedata

import pytest
from pypinyin import Style, lazy_pinyin, pinyin
from rapidfuzz.distance import OSA

from brandsweep.matchers import MatchConfig, Matcher, normalize
from brandsweep.matchers.context import (
    COMPAT_BEFORE,
    COMPAT_CJK_AFTER,
    COMPAT_CJK_BEFORE,
    FILLERS,
    compat_marker,
    title_compat,
)
from brandsweep.matchers.normalize import Analyzed, Normalizer, Token, fold_accents, is_cjk
from brandsweep.matchers.score import load_ordinary_words
from brandsweep.matchers.text import Hit, Memo, TextIndex, _plural_ordinary, _word_ordinary
from brandsweep.matchers.types import Brand, Mark
from brandsweep.matchers.variants import loose

SEED = 16


# ------------------------------------------------------------------ the reference (slow) implementation
def _ref_exact(index: TextIndex, tokens: tuple[Token, ...], hits: list[Hit], glued_from: str = "",
               separate: bool = False) -> None:
    sep = " \x01 " if separate else " "
    starts: list[int] = []
    parts: list[str] = []
    offset = 1
    for tok in tokens:
        starts.append(offset)
        parts.append(tok.text)
        offset += len(tok.text) + len(sep)
    text = " " + sep.join(parts) + " "
    for end_char, (klen, ids) in index._automaton.iter(text):
        start_char = end_char - klen + 1
        first = start_char + 1 if text[start_char] == " " else start_char
        last = end_char - 1 if text[end_char] == " " else end_char
        i = bisect.bisect_right(starts, first) - 1
        j = bisect.bisect_right(starts, last) - 1
        flags = frozenset().union(*(t.flags for t in tokens[i:j + 1]))
        tok_start, tok_end = starts[i], starts[j] + len(tokens[j].text)
        before = text[tok_start:first] if first > tok_start else ""
        after = text[last + 1:tok_end] if last + 1 < tok_end else ""
        if i > 0 and not before and not separate:
            before = tokens[i - 1].text[-8:] if tokens[i - 1].text and is_cjk(tokens[i - 1].text[-1]) else ""
        for t_idx in ids:
            term = index.terms[t_idx]
            f = flags | {"split"} if glued_from and term.cjk and term.text not in glued_from else flags
            hits.append(Hit(term, tokens[i].pos, tokens[j].pos + 1, "exact", f, before[-8:], after[:8]))


def _ref_fuzzy(index: TextIndex, tok: Token, hits: list[Hit], end: int | None = None) -> None:
    word = tok.text
    if not index.fuzzy_min_len <= len(word) <= index._max_fuzzy_len or not word.isascii() or not word.isalpha():
        return
    found = () if _plural_ordinary(word, index.ordinary_words) else index._fuzzy_lookup(word)
    for t_idx in found:
        hits.append(Hit(index.terms[t_idx], tok.pos, end or tok.pos + 1, "fuzzy", tok.flags, "", ""))


def _ref_readings(ch: str) -> tuple[str, ...]:
    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple({loose(x) for x in found[0]}) if found else ()


def _ref_homophones(index: TextIndex, tok: Token, hits: list[Hit]) -> None:
    text = tok.text
    seen: set[tuple[int, int]] = set()
    for i, ch in enumerate(text):
        for t_idx in index._cjk_by_char.get(ch, ()):
            sounds = index._sounds.get(t_idx)
            if sounds is None:
                continue
            term = index.terms[t_idx]
            n = len(term.text)
            for k, tch in enumerate(term.text):
                s = i - k
                if tch != ch or s < 0 or s + n > len(text) or (s, t_idx) in seen:
                    continue
                seen.add((s, t_idx))
                window = text[s:s + n]
                if window == term.text or not all(
                    a == b or sounds[j] in _ref_readings(a) for j, (a, b) in enumerate(zip(window, term.text,
                                                                                          strict=True))
                ):
                    continue
                hits.append(Hit(term, tok.pos, tok.pos + 1, "homophone", tok.flags | {"homophone"},
                                text[max(0, s - 8):s], text[s + n:s + n + 8], weak=True))


def _ref_weak_typo(index: TextIndex, tok: Token, hits: list[Hit], end: int | None = None) -> None:
    word = tok.text
    if not 4 <= len(word) <= 24 or not word.isascii() or not word.isalpha() or _word_ordinary(
            word, index.ordinary_words):
        return
    if index._weak_index is None:
        index._build_weak_index()
    assert index._weak_index is not None
    found: list[int] = []
    for t_idx in index._weak_index.get(word[:2], ()):
        term = index.terms[t_idx]
        n = len(term.text)
        if term.text == word:
            continue
        if n == 4 == len(word) and sum(a != b for a, b in zip(word, term.text, strict=True)) == 1:
            found.append(t_idx)
        elif 5 <= n <= 8 and abs(n - len(word)) <= 1 and OSA.distance(word, term.text, score_cutoff=2) <= 2:
            found.append(t_idx)
        elif n > len(word) >= max(6, 0.7 * n) and min(
            OSA.distance(word, term.text[:len(word)], score_cutoff=2),
            OSA.distance(word, term.text[:len(word) + 1], score_cutoff=2),
        ) <= 1:
            found.append(t_idx)
    for t_idx in found:
        hits.append(Hit(index.terms[t_idx], tok.pos, end or tok.pos + 1, "fuzzy", tok.flags, "", "", weak=True))


def reference_find(index: TextIndex, analyzed: Analyzed, weak: bool = False) -> list[Hit]:
    """``TextIndex.find`` before issue 16: every reading of every token recomputed, every pass run."""
    hits: list[Hit] = []
    tokens = analyzed.tokens
    _ref_exact(index, tokens, hits, glued_from=analyzed.glued_from)
    if analyzed.variants:
        _ref_exact(index, analyzed.variants, hits, separate=True)
    alt = analyzed.alternative()
    if alt is not None:
        _ref_exact(index, alt, hits)
    covered = {p for h in hits for p in range(h.start, h.end)}
    for tok in list(tokens) + list(analyzed.variants):
        if tok.pos not in covered:
            _ref_fuzzy(index, tok, hits)
    for a, b in itertools.pairwise(tokens):
        if (
            a.pos not in covered and b.pos not in covered and a.text.isalpha() and b.text.isalpha()
            and len(a.text) + len(b.text) <= index._max_fuzzy_len
            and (a.text not in index.ordinary_words or b.text not in index.ordinary_words)
        ):
            _ref_fuzzy(index, Token(a.text + b.text, a.pos, a.flags | b.flags), hits, end=b.pos + 1)
    for tok in analyzed.masked:
        index._masked(tok, hits, tokens)
    if index._codenames:
        index._codename(tokens, hits, analyzed.glued_from)
    if index._sounds:
        for tok in tokens:
            if tok.text and is_cjk(tok.text[0]) and len(tok.text) >= 2:
                _ref_homophones(index, tok, hits)
    if weak:
        covered = {p for h in hits for p in range(h.start, h.end)}
        for tok in tokens:
            if tok.pos not in covered:
                _ref_weak_typo(index, tok, hits)
        for a, b in itertools.pairwise(tokens):
            if a.pos not in covered and b.pos not in covered and a.text.isalpha() and b.text.isalpha() and (
                    a.text.isascii() and b.text.isascii()):
                _ref_weak_typo(index, Token(a.text + b.text, a.pos, a.flags | b.flags), hits, end=b.pos + 1)
    return hits


def reference_split(tokens: tuple[Token, ...]) -> list[Token]:
    """``Normalizer._split_variants`` before issue 16."""
    out: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        j = i
        while j < n and len(tokens[j].text) == 1 and tokens[j].text.isalnum() and not is_cjk(tokens[j].text):
            j += 1
        if j - i >= 3:
            text = "".join(t.text for t in tokens[i:j])
            flags = frozenset().union(*(t.flags for t in tokens[i:j])) | {"split"}
            out.append(Token(text, tokens[i].pos, flags))
            i = j
        else:
            i += 1
    for a, b in itertools.pairwise(tokens):
        if (
            a.text.isalpha() and b.text.isalpha() and a.text.isascii() and b.text.isascii()
            and min(len(a.text), len(b.text)) in (2, 3) and max(len(a.text), len(b.text)) <= 8
        ):
            out.append(Token(a.text + b.text, a.pos, a.flags | b.flags | {"split"}))
    return out


def reference_compat_marker(hit: Hit, tokens: tuple[Token, ...], covered: set[int]) -> str | None:
    """``context.compat_marker`` before issue 16: every Latin phrase tried, longest first, for every hit."""
    latin, cjk = title_compat(tokens)
    if hit.term.cjk or (hit.before and is_cjk(hit.before[-1:])):
        for m in COMPAT_CJK_BEFORE:
            if m in hit.before[-8:]:
                return m
        for m in COMPAT_CJK_AFTER:
            if m in hit.after[:6]:
                return m
        if cjk:
            return cjk
        if hit.before:
            return None
    if latin and hit.start > 0:
        return latin
    if cjk:
        return cjk
    words = [t.text for t in tokens]
    j = hit.start - 1
    while j >= 0 and (words[j] in FILLERS or j in covered):
        j -= 1
    for phrase in sorted(COMPAT_BEFORE, key=len, reverse=True):
        n = len(phrase)
        if j - n + 1 >= 0 and tuple(words[j - n + 1:j + 1]) == phrase:
            return " ".join(phrase)
    return None


# ------------------------------------------------------------------ generated catalog and titles
def _han_by_sound(rng: random.Random) -> dict[str, list[str]]:
    """Common Han characters grouped by toneless pinyin (sound-alikes for homophone titles)."""
    chars = [chr(c) for c in rng.sample(range(0x4E00, 0x9FA5), 3000)]
    groups: dict[str, list[str]] = {}
    for ch, syl in zip(chars, lazy_pinyin(chars, style=Style.NORMAL), strict=True):
        groups.setdefault(syl, []).append(ch)
    return {k: v for k, v in groups.items() if len(v) >= 2}


def _latin_name(rng: random.Random) -> str:
    vowels, consonants = "aeiou", "bcdfghklmnprstvz"
    n = rng.randint(2, 4)
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(n)).capitalize()


def _catalog(rng: random.Random, sounds: dict[str, list[str]]) -> list[Brand]:
    keys = sorted(sounds)
    brands: list[Brand] = [
        Brand("nike", "Nike", "Nike Inc", ("耐克",), (Mark("N-1", "NIKE"),)),
        Brand("gucci", "Gucci", "Kering", ("古驰",), (Mark("G-1", "GUCCI"),)),
        Brand("chanel", "Chanel", "Chanel SA", ("香奈儿",)),
        Brand("lv", "Louis Vuitton", "LVMH", ("路易威登", "LV"), (Mark("L-1", "LOUIS VUITTON"),)),
        Brand("patek", "Patek Philippe", "Patek", ("百达翡丽",)),
        Brand("fab", "FabHomeDecor", "Fab"),
        Brand("apple", "Apple", "Apple Inc", ("苹果",)),
    ]
    for i in range(300):
        name = _latin_name(rng)
        if rng.random() < 0.2:
            name += " " + _latin_name(rng)
        cjk = "".join(rng.choice(sounds[rng.choice(keys)]) for _ in range(rng.randint(2, 4)))
        brands.append(Brand(f"b{i}", name, "owner", (cjk,), (Mark(f"M-{i}", name.upper()),)))
    return brands


def _typo(rng: random.Random, word: str, edits: int) -> str:
    w = list(word)
    for _ in range(edits):
        if len(w) < 3:
            break
        k = rng.randrange(len(w) - 1)
        op = rng.randrange(4)
        if op == 0:
            del w[k]
        elif op == 1:
            w[k] = rng.choice(string.ascii_lowercase)
        elif op == 2:
            w[k], w[k + 1] = w[k + 1], w[k]
        else:
            w.insert(k, rng.choice(string.ascii_lowercase))
    return "".join(w)


def _disguise(rng: random.Random, brand: Brand, sounds: dict[str, list[str]], by_char: dict[str, str]) -> str:
    name = brand.name
    cjk = next((a for a in brand.aliases if is_cjk(a)), "")
    kind = rng.randrange(13)
    if kind == 0:
        return name
    if kind in (1, 2):
        return " ".join(_typo(rng, w.lower(), kind) for w in name.split())
    if kind == 3:
        return " ".join(name.replace(" ", ""))  # N i k e
    if kind == 4:
        return name.replace("o", "0").replace("i", "1").replace("e", "3")
    if kind == 5 and len(name) > 3:
        k = rng.randrange(1, len(name) - 1)
        return name[:k] + "*" + name[k + 1:]
    if kind == 6:
        return name.replace(" ", "")[:max(4, len(name) - 2)]  # cut short
    if kind == 7:
        return name.replace(" ", rng.choice(["", " ", "-"]))
    if kind == 8 and cjk:  # a sound-alike character in the Chinese name
        k = rng.randrange(len(cjk))
        group = sounds.get(by_char.get(cjk[k], ""), [cjk[k]])
        return cjk[:k] + rng.choice(group) + cjk[k + 1:]
    if kind == 9 and cjk:
        return rng.choice([cjk[:2], cjk[-2:], " ".join(cjk), cjk[0] + "～", cjk[0] + "*" + cjk[2:]])
    if kind == 10:
        return rng.choice([f"{name[0]}家", f"{cjk[:1]}家", f"{name.split()[0]} 家"])
    if kind == 11:
        return name[0].upper() + name[1:].lower() + _latin_name(rng)  # CamelCase run together
    return cjk or name


def _titles(rng: random.Random, brands: list[Brand], sounds: dict[str, list[str]], n: int) -> list[str]:
    ordinary = sorted(load_ordinary_words())
    latin = [w for w in ordinary if w.isascii()][:2000]
    chinese = [w for w in ordinary if is_cjk(w)][:500]
    indicators = ["replica", "1:1", "AAA", "高仿", "复刻", "rep", "batch"]
    by_char = {ch: syl for syl, group in sounds.items() for ch in group}
    out: list[str] = []
    for _ in range(n):
        words: list[str] = [rng.choice(latin) for _ in range(rng.randint(1, 6))]
        for _ in range(rng.randint(0, 2)):
            words.insert(rng.randint(0, len(words)), _disguise(rng, rng.choice(brands), sounds, by_char))
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), rng.choice(chinese))
        if rng.random() < 0.2:
            words.append(rng.choice(indicators))
        if rng.random() < 0.2:
            words.append(str(rng.randint(1, 999)) + rng.choice(["", "ml", "gb"]))
        joiner = "" if rng.random() < 0.15 else " "
        out.append(joiner.join(words))
    return out


@pytest.fixture(scope="module")
def corpus() -> tuple[Matcher, list[str]]:
    rng = random.Random(SEED)
    sounds = _han_by_sound(rng)
    brands = _catalog(rng, sounds)
    return Matcher(brands, [], MatchConfig()), _titles(rng, brands, sounds, 3000)


def _key(hit: Hit) -> tuple[object, ...]:
    return (hit.term, hit.start, hit.end, hit.how, hit.flags, hit.before, hit.after, hit.weak)


@pytest.mark.parametrize("weak", [False, True])
def test_find_equals_the_reference(corpus: tuple[Matcher, list[str]], weak: bool) -> None:
    matcher, titles = corpus
    index = matcher.text
    kinds: set[str] = set()
    for _ in range(2):  # the second pass answers from the memos
        for title in titles:
            analyzed = matcher.normalizer.analyze(title)
            got = [_key(h) for h in index.find(analyzed, weak=weak)]
            want = [_key(h) for h in reference_find(index, analyzed, weak=weak)]
            assert got == want, title
            kinds.update(h[3] for h in got)  # type: ignore[misc]
    # the corpus exercises every kind of reading
    assert kinds >= {"exact", "fuzzy", "masked", "codename", "homophone"}


def test_find_equals_the_reference_with_tiny_memos(corpus: tuple[Matcher, list[str]]) -> None:
    """Memos that drop entries all the time still answer as the reference does."""
    matcher, titles = corpus
    index = matcher.text
    index._fuzzy_memo = Memo(index._fuzzy_terms, size=3)
    index._weak_memo = Memo(index._weak_lookup, size=3)
    index._homophone_memo = Memo(index._homophone_windows, size=3)
    try:
        for title in titles[:800]:
            analyzed = matcher.normalizer.analyze(title)
            assert [_key(h) for h in index.find(analyzed, weak=True)] == [
                _key(h) for h in reference_find(index, analyzed, weak=True)], title
            assert len(index._fuzzy_memo) <= 3 and len(index._weak_memo) <= 3
    finally:
        index._fuzzy_memo = Memo(index._fuzzy_terms)
        index._weak_memo = Memo(index._weak_lookup)
        index._homophone_memo = Memo(index._homophone_windows)


def test_compat_marker_equals_the_reference(corpus: tuple[Matcher, list[str]]) -> None:
    """Latin titles whose brand follows a compatibility phrase, fillers and other brands."""
    matcher, titles = corpus
    rng = random.Random(SEED)
    phrases = [" ".join(p) for p in COMPAT_BEFORE] + ["for the", "works with all", "case for your"]
    marked = 0
    for title in titles[:1500]:
        words = title.split()
        k = rng.randint(0, len(words))
        text = " ".join(words[:k] + rng.choice(phrases).split() + words[k:])
        analyzed = matcher.normalizer.analyze(text)
        hits = matcher.text.find(analyzed)
        covered = {p for h in hits if h.how == "exact" for p in range(h.start, h.end)}
        for hit in hits:
            others = covered - set(range(hit.start, hit.end))
            want = reference_compat_marker(hit, analyzed.tokens, others)
            assert compat_marker(hit, analyzed.tokens, others) == want, text
            marked += want is not None
    assert marked > 50


def test_analyze_split_variants_equal_the_reference(corpus: tuple[Matcher, list[str]]) -> None:
    _, titles = corpus
    norm = Normalizer()
    joined = 0
    for title in titles:
        analyzed = norm.analyze(title)
        want = reference_split(analyzed.tokens)
        assert list(analyzed.variants[len(analyzed.variants) - len(want):]) == want, title
        assert Normalizer._split_variants(list(analyzed.tokens)) == want, title
        joined += bool(want)
    assert joined > 100


def test_memo_computes_once_and_stays_bounded() -> None:
    calls: list[str] = []

    def compute(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo: Memo[str] = Memo(compute, size=4)
    assert memo["a"] == "A" and memo["a"] == "A"
    assert calls == ["a"]
    for word in "bcdefgh":
        assert memo[word] == word.upper()
    assert len(memo) <= 4
    assert memo["h"] == "H" and calls.count("h") == 1  # the newest stay
    assert memo["a"] == "A" and calls.count("a") == 2  # the oldest were dropped and are computed again


def reference_fold_accents(text: str) -> str:
    """``normalize.fold_accents`` before issue 16: a Python loop over the characters."""
    out = []
    for ch in text:
        if ch.isascii() or "\u2e80" <= ch:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base or ch)
    return "".join(out)


def test_fold_accents_equals_the_reference_on_every_character() -> None:
    chars = "".join(chr(c) for c in range(0x80, 0x30000))
    assert fold_accents(chars) == reference_fold_accents(chars)
    assert fold_accents("Roléx Hublöt 耐克") == "Rolex Hublot 耐克"


def reference_analyze(norm: Normalizer, text: str) -> Analyzed:
    """``Normalizer.analyze`` before issue 16: every word read where it stands (no memo), every title glued."""
    invisible: set[str] = set()
    if not text.isascii() and normalize._CF_RE.search(text):
        invisible = {norm.fold(w.replace("\x00", "")) for w in
                     re.findall(r"[\w\x00]*\x00[\w\x00]*", normalize._CF_INSIDE.sub("\x00", text))}
        text = normalize.strip_format(text)
    glued = normalize._CJK_X.sub("*", normalize._CJK_GLUE.sub("", normalize._CJK_DOT.sub("", text)))
    tokens: list[Token] = []
    variants: list[Token] = []
    masked: list[Token] = []
    for raw in normalize._TOKEN.findall(glued):
        if raw.isascii() and raw.isalpha() and not invisible:
            tokens.append(Token(raw.lower(), len(tokens)))
            if not raw.islower() and not raw.isupper() and normalize._CAMEL.search(raw):
                pos = len(tokens) - 1
                variants.extend(Token(piece.lower(), pos, frozenset({"camel"}))
                                for piece in normalize._CAMEL.sub(" ", raw).split())
            continue
        norm._raw_token(raw, invisible, tokens, variants, masked)  # the old loop body, moved as it was
    variants.extend(reference_split(tuple(tokens)))
    folded = norm.fold(text) if len(glued) != len(text) else ""
    return Analyzed(tuple(tokens), tuple(variants), tuple(masked), folded)


def test_analyze_equals_the_reference(corpus: tuple[Matcher, list[str]]) -> None:
    """Words are memoised with positions counted from their first token and shifted into place: the
    same word at other places of other titles, and repeated in one title, reads as without the memo."""
    _, titles = corpus
    norm = Normalizer()
    extra = ["AD1DASSamba 耐-克 Ni ke", "G*cci 香～ 五x液 G*cci", "Ｎｉｋｅ ＡＩＲ Ｎｉｋｅ",
             "N.I.K.E 苹丶果 H*U*A*W*E*I", "Roléx Néw Balance FabHomeDecor Roléx",
             "Ro\u200blex 运动鞋nike123 Ro\u200blex", "__ AbC__ __AbCd"]
    texts = extra + titles + [f"{t} {u}" for t, u in zip(titles[1::2], titles[::2], strict=False)]
    for text in texts:
        assert norm.analyze(text) == reference_analyze(norm, text), text
