"""Text normalisation: turn what a seller typed into what a brand term looks like.

``Normalizer.fold`` maps one string to a canonical form (NFKC, casefold, look-alike letters,
Traditional to Simplified Chinese, per character from OpenCC's table in ``data/t2s_chars.tsv``).
``Normalizer.analyze`` turns a title into :class:`Analyzed`: the
canonical tokens in order, plus *variants* that undo disguises (leetspeak, letters split by
separators, masked letters), each variant remembering which disguise it undid.

Disguises handled (each one is a flag on a token, reported as ``obfuscation:<kind>``):

- ``styled``: mathematical alphanumerics / enclosed letters (𝐆𝐮𝐜𝐜𝐢, Ⓖ) — undone by NFKC
- ``homoglyph``: Cyrillic / Greek look-alikes (Nіke with a Cyrillic і) — table from UTS #39
- ``leet``: 0→o, 1→i/l, 3→e, 4→a, 5→s, 7→t, @→a, $→s inside letter words
- ``split``: N.I.K.E, "N i k e", "Ni ke", 耐-克
- ``masked``: G*cci, 古*, 香～ — matched as wildcards by the text index, not here
- ``invisible``: a Unicode format character (category Cf: zero-width space and joiners, U+2060,
  U+FEFF, soft hyphen, bidi controls) inside a word — every Cf character is stripped first

Accents are folded for matching (NFKD, combining marks dropped: Roléx, Hublöt, Néw Balance, Lancôme);
that alone is not a disguise (Estée Lauder is written so).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from pypinyin import Style, lazy_pinyin

_DATA = Path(__file__).parent / "data"
FOLD_MEMO_SIZE = 8192  # folded texts remembered (titles, seller and product names)


def _load_confusables() -> MappingProxyType[int, str]:
    table: dict[int, str] = {}
    for line in (_DATA / "confusables_latin.tsv").read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        char, target = line.split("\t")[:2]
        table[ord(char)] = target
    return MappingProxyType(table)


CONFUSABLES: MappingProxyType[int, str] = _load_confusables()
# UTS #39 reads a capital I-shape (Greek Ι, Cyrillic І) as "l", its skeleton; casefolded, a capital I is an i:
# NΙKE is read both ways (nlke, nike), as LV written with a palochka (ӀV) is
CONFUSABLES_I: MappingProxyType[int, str] = MappingProxyType(
    {c: "i" if t == "l" and chr(c).isupper() else t for c, t in CONFUSABLES.items()})


def _load_t2s() -> MappingProxyType[int, str]:
    table: dict[int, str] = {}
    for line in (_DATA / "t2s_chars.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")[:2]
            table[ord(trad)] = simp
    return MappingProxyType(table)


T2S: MappingProxyType[int, str] = _load_t2s()

LEET: MappingProxyType[str, str] = MappingProxyType(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}
)
LEET_ALT: MappingProxyType[str, str] = MappingProxyType({"1": "l", "|": "i", "!": "l"})
MASK_CHARS = frozenset("*?~•●○□■×#")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
# separators between two CJK characters are dropped (耐-克, 耐 克 -> 耐克)
_CJK_GLUE = re.compile(f"(?<=[{_CJK}])[^\\w*?~•●○□■×#＊？～＃]+(?=[{_CJK}])")
# a Latin x between Chinese characters stands for a hidden one (五x液, 古x)
_CJK_X = re.compile(f"(?<=[{_CJK}])[xX×](?=[{_CJK}]|[^a-z]|$)")
# a tilde between every two characters of a Chinese run (路～易～威～登): separators, not masks (香～ is a mask)
_CJK_TILDES = re.compile(f"[{_CJK}](?:[~～][{_CJK}]){{2,}}")
# strokes and dots sellers put between the characters of a Chinese name (苹丶果, 耐·克)
_CJK_DOT = re.compile(f"(?<=[{_CJK}])[丶・·‧•](?=[{_CJK}])")
# letters with a symbol between every two (H*U*A*W*E*I, N-I-K-E): separators, not masks
_INTERLEAVED = re.compile(r"^(?:[^\W_][*?~•#.\-_·])+[^\W_]$")
# a script change starts a new token (nike运动鞋 -> nike 运动鞋)
_SCRIPT_SPLIT = re.compile(f"(?<=[a-z0-9])(?=[{_CJK}])|(?<=[{_CJK}])(?=[a-z0-9])")
# a token: letters, digits, CJK, and the characters that disguises are made of
_TOKEN = re.compile(r"[\w@$!|*?~•●○□■×#＊？～＃]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z0-9])(?=[A-Z][a-z])")
# a word of four or more characters ending in a letter run into a number (Wuliangye8th, Adidas2024, R0lex126610):
# read apart as well
# (a lone digit inside letters is leet, not a number: Vuitt0n)
_WORD_NUMBER = re.compile(r"(?<=[a-z0-9]{3}[a-z])(?=\d(?:\d|(?:st|nd|rd|th)\b|(?![a-z])))")
# a numero sign and its number are one model token: N°5, N° 5, Nº5, No.5, No 5, №5 -> no5 (else "N°5" would
# read as the letter n and a bare 5, and no catalog model word could be derived from it)
_NUMERO = re.compile(r"(?<![a-z0-9])(?:n[°º]|no[.°º#]?|№)\s?(\d{1,4})(?![a-z0-9°%]|[.,]\d)", re.IGNORECASE)
# mathematical alphanumerics, enclosed (circled/squared) letters
_STYLED_RE = re.compile("[\U0001D400-\U0001D7FF\u2460-\u24FF\U0001F130-\U0001F189]")


def _format_chars() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")


# every Unicode format character (zero-width space/joiners, word joiner, BOM, soft hyphen, bidi marks …)
_CF = _format_chars()
_CF_RE = re.compile(f"[{re.escape(_CF)}]")
_CF_DROP = dict.fromkeys(map(ord, _CF))
# a format character between two word characters: put there to break a name apart
_CF_INSIDE = re.compile(f"(?<=\\w)[{re.escape(_CF)}]+(?=\\w)")


def strip_format(text: str) -> str:
    """Drop every Unicode Cf character (invisible in print, used to break up brand names)."""
    return text.translate(_CF_DROP) if not text.isascii() else text


def numero(text: str) -> str:
    """Join a numero sign to its number (N°5, No.5, No 5, Nº5, №5 -> no5): one model token."""
    return _NUMERO.sub(r"no\1", text)


def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base or ch


# every character below U+2E80 that folds to something else (é -> e, Ǆ -> DZ); CJK and beyond are left
# alone (Hangul would decompose): one str.translate instead of a Python loop over the characters
_ACCENTS: MappingProxyType[int, str] = MappingProxyType(
    {c: f for c in range(0x80, 0x2E80) if (f := _fold_char(chr(c))) != chr(c)})


def fold_accents(text: str) -> str:
    """Roléx -> Rolex: NFKD, combining marks dropped, recomposed; Han, kana and Hangul stay as they are."""
    if text.isascii():
        return text
    return text.translate(_ACCENTS)


def is_cjk(text: str) -> bool:
    return not text.isascii() and bool(_CJK_RE.search(text))


def _styled(raw: str) -> bool:
    return not raw.isascii() and bool(_STYLED_RE.search(raw))


def _inside_word(word: str, i: int) -> bool:
    """A leet digit counts only between letters (n1ke, g00gle), not in model numbers (iphone13)."""
    left = i
    while left >= 0 and word[left].isdigit() and word[left] in LEET:
        left -= 1
    right = i
    while right < len(word) and word[right].isdigit() and word[right] in LEET:
        right += 1
    if left >= 0 and right < len(word):
        return word[left].isalpha() and word[right].isalpha()
    # at the edge of a word: one digit next to a letter, in a word of at least three letters (g00cc1) or of
    # four characters with a leet digit inside too (n1k3)
    inner = word[left] if left >= 0 else word[right] if right < len(word) else ""
    letters = sum(c.isalpha() for c in word)
    return right - left == 2 and inner.isalpha() and (letters >= 3 or (letters == 2 and len(word) == 4 and any(
        c in LEET and c.isdigit() for c in word[1:-1])))


@functools.lru_cache(maxsize=FOLD_MEMO_SIZE)
def _fold(text: str) -> str:
    if not text.isascii():
        text = fold_accents(unicodedata.normalize("NFKC", strip_format(text)))
    text = text.casefold().translate(CONFUSABLES)
    if is_cjk(text):
        text = text.translate(T2S)
    return text


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    pos: int  # index of the (first) original token it stands for
    flags: frozenset[str] = frozenset()


CAMEL = frozenset({"camel"})
_NO_FLAGS: frozenset[str] = frozenset()
TOKEN_MEMO_SIZE = 200_000  # distinct (text, position, flags) tokens kept for reuse
_TOKENS: dict[tuple[str, int, frozenset[str]], Token] = {}
# a word's tokens, readings and masked forms, positions counted from its first token (see analyze)
_RAW: dict[str, tuple[tuple[Token, ...], tuple[Token, ...], tuple[Token, ...]]] = {}


def _token(text: str, pos: int, flags: frozenset[str] = _NO_FLAGS) -> Token:
    """A Token, shared: tokens are immutable and titles repeat words at the same places, and building a
    frozen dataclass costs more than looking one up (bounded: emptied when full)."""
    key = (text, pos, flags)
    tok = _TOKENS.get(key)
    if tok is None:
        if len(_TOKENS) >= TOKEN_MEMO_SIZE:
            _TOKENS.clear()
        tok = _TOKENS[key] = Token(text, pos, flags)
    return tok
SPLIT = frozenset({"split"})


@dataclass(frozen=True, slots=True)
class Analyzed:
    """A title after normalisation."""

    tokens: tuple[Token, ...]  # the canonical tokens, in order
    variants: tuple[Token, ...] = ()  # extra readings that undo a disguise
    masked: tuple[Token, ...] = ()  # tokens with wildcard characters
    glued_from: str = ""  # folded original text, set when separators between CJK characters were dropped

    def words(self) -> list[str]:
        return [t.text for t in self.tokens]

    def alternative(self) -> tuple[Token, ...] | None:
        """The token sequence with each token replaced by its reading without disguise (leet undone,
        run-together words split), so multi-word terms can match across them; None if unchanged."""
        if not self.variants:
            return None
        camel: dict[int, list[Token]] = {}
        leet: dict[int, Token] = {}
        for v in self.variants:
            if "camel" in v.flags and "leet" not in v.flags:
                camel.setdefault(v.pos, []).append(v)
            elif "leet" in v.flags and "camel" not in v.flags:
                leet.setdefault(v.pos, v)
        if not camel and not leet:
            return None
        out: list[Token] = []
        for t in self.tokens:
            if t.pos in camel:
                out.extend(camel[t.pos])
            else:
                out.append(leet.get(t.pos, t))
        return tuple(out)


class Normalizer:
    """Normalisation with the module's constant tables (look-alikes, Traditional→Simplified)."""

    def fold(self, text: str) -> str:
        """NFKC, casefold, homoglyphs to ASCII, Traditional to Simplified Chinese (memoised: one listing's
        title is folded by the lexicon, the seller check and the product match)."""
        return _fold(text)

    def term_forms(self, term: str) -> list[str]:
        """Canonical forms under which a catalog term is indexed: its folded words, space-joined."""
        words = [t.text for t in self.analyze(term).tokens]
        return [" ".join(words)] if words else []

    @staticmethod
    def pinyin(term: str) -> list[str]:
        """Toneless pinyin readings of a Chinese term: joined ('naike') and spaced ('nai ke')."""
        if not is_cjk(term) or not all(_CJK_RE.match(c) for c in term if not c.isspace()):
            return []
        syl = [s for s in lazy_pinyin(term, style=Style.NORMAL) if s.strip()]
        if len(syl) < 2:
            return []
        return ["".join(syl), " ".join(syl)]

    def analyze(self, text: str) -> Analyzed:
        invisible: set[str] = set()
        if not text.isascii():
            if _CF_RE.search(text):
                # remember the words a format character broke up (Ro\u200blex), then drop them all
                invisible = {self.fold(w.replace("\x00", "")) for w in
                             re.findall(r"[\w\x00]*\x00[\w\x00]*", _CF_INSIDE.sub("\x00", text))}
                text = strip_format(text)
        if "~" in text or "～" in text:
            text_ = _CJK_TILDES.sub(lambda m: m.group().replace("~", "").replace("～", ""), text)
        else:
            text_ = text
        # the glue rules need a Chinese character on each side: an ASCII title has nothing to glue
        glued = numero(text_ if text_.isascii() else _CJK_X.sub("*", _CJK_GLUE.sub("", _CJK_DOT.sub("", text_))))
        tokens: list[Token] = []
        variants: list[Token] = []
        masked: list[Token] = []
        for raw in _TOKEN.findall(glued):
            if raw.isascii() and raw.isalpha() and not invisible:  # fast path: the common plain word
                tokens.append(_token(raw.lower(), len(tokens)))
                # a case change needs a capital after the first letter (Alisha, Women: none)
                if not raw.islower() and not raw.isupper() and not raw[1:].islower() and _CAMEL.search(raw):
                    pos = len(tokens) - 1
                    variants.extend(_token(piece.lower(), pos, CAMEL) for piece in _CAMEL.sub(" ", raw).split())
                continue
            if invisible:  # which words a format character broke up is the title's own
                self._raw_token(raw, invisible, tokens, variants, masked)
                continue
            # any other word reads the same wherever it stands: its tokens and readings are computed once
            # (positions counted from the word's first token) and shifted into place
            read = _RAW.get(raw)
            if read is None:
                here: tuple[list[Token], list[Token], list[Token]] = ([], [], [])
                if self._raw_token(raw, invisible, *here):
                    self._raw_token(raw, invisible, tokens, variants, masked)  # reads the token before it
                    continue
                if len(_RAW) >= TOKEN_MEMO_SIZE:
                    _RAW.clear()
                read = _RAW[raw] = (tuple(here[0]), tuple(here[1]), tuple(here[2]))
            base = len(tokens)
            for out, got in zip((tokens, variants, masked), read, strict=True):
                if base:
                    out.extend(_token(t.text, t.pos + base, t.flags) for t in got)
                else:
                    out.extend(got)
        variants.extend(self._split_variants(tokens))
        folded = self.fold(text) if len(glued) != len(text) else ""
        return Analyzed(tuple(tokens), tuple(variants), tuple(masked), folded)

    def _raw_token(self, raw: str, invisible: set[str], tokens: list[Token], variants: list[Token],
                   masked: list[Token]) -> bool:
        """Tokens and readings of one word that is not plain ASCII letters, appended to the lists; True if
        its case-split pieces would have been placed at a token before it (the word made no token)."""
        if _INTERLEAVED.match(raw) and len(raw) >= 5:
            sep_flags = frozenset({"split", "styled"} if _styled(raw) else {"split"})
            joined = fold_accents(unicodedata.normalize("NFKC", raw[::2])).translate(CONFUSABLES).casefold()
            self._add_token(joined, sep_flags, tokens, variants, masked)
            return False
        nfkc = fold_accents(unicodedata.normalize("NFKC", raw))
        mapped = nfkc.translate(CONFUSABLES).casefold()
        nfkc = nfkc.casefold()
        flags: set[str] = set()
        if invisible and self.fold(raw) in invisible:
            flags.add("invisible")
        if mapped != nfkc:
            flags.add("homoglyph")
        if _styled(raw):
            flags.add("styled")
        if is_cjk(mapped):
            mapped = mapped.translate(T2S)
        for part in _SCRIPT_SPLIT.sub(" ", mapped).split():
            made = len(tokens)
            self._add_token(part, frozenset(flags), tokens, variants, masked)
            if not part.isalpha() and _WORD_NUMBER.search(part):
                if len(tokens) == made and not tokens:
                    return True  # read at the token before it
                self._number_pieces(part, tokens[-1], variants)
        pieces = _CAMEL.sub(" ", fold_accents(unicodedata.normalize("NFKC", raw))).split()
        if not tokens and ("homoglyph" in flags or len(pieces) > 1):
            return True  # its other readings would be placed at a token before it
        if "homoglyph" in flags and tokens:
            alt = fold_accents(unicodedata.normalize("NFKC", raw)).translate(CONFUSABLES_I).casefold()
            if alt != mapped and not is_cjk(alt):
                read: list[Token] = []
                self._add_token(alt, frozenset(flags), read, variants, [], at=tokens[-1].pos)
                variants.extend(read)
        # words run together but told apart by letter case (AD1DASSamba, FabHomeDecor)
        if len(pieces) > 1:
            pos = tokens[-1].pos
            for piece in pieces:
                extra: list[Token] = []
                # a Chinese title glues its words: 高版本GunciAce小白鞋 -> gunci, ace (not 高版本gunci)
                for part in _SCRIPT_SPLIT.sub(" ", piece.casefold().translate(CONFUSABLES)).split():
                    if not is_cjk(part):
                        self._add_token(part, frozenset(flags), extra, variants, [], at=pos)
                variants.extend(Token(t.text, t.pos, t.flags | CAMEL) for t in extra)
        return False

    @staticmethod
    def _add_token(
        part: str, flags: frozenset[str], tokens: list[Token], variants: list[Token], masked: list[Token],
        at: int | None = None,
    ) -> None:
        pos = len(tokens) if at is None else at
        core = part.strip("_")
        if not core:
            return
        if any(c in MASK_CHARS for c in core) and any(c.isalnum() and c != "_" for c in core):
            masked.append(Token(core, pos, flags | {"masked"}))
            tokens.append(Token(core, pos, flags))
            return
        plain = "".join(c for c in core if c.isalnum())
        if not plain:
            return
        tokens.append(_token(plain, pos, flags))
        if sum(c.isalpha() for c in core) < 2:
            return
        leet_at = [i for i, c in enumerate(core) if c in LEET and (not c.isdigit() or _inside_word(core, i))]
        if not leet_at:
            return
        for table in (LEET, LEET_ALT):
            chars = list(core)
            for i in leet_at:
                chars[i] = table.get(core[i], LEET[core[i]])
            v = "".join(c for c in chars if c.isalnum())
            if v != plain and all(v != t.text or t.pos != pos for t in variants):
                variants.append(Token(v, pos, flags | {"leet"}))

    @classmethod
    def _number_pieces(cls, part: str, tok: Token, variants: list[Token]) -> None:
        """Wuliangye8th -> wuliangye, 8th (and the leet readings of each piece), at the token's place."""
        for piece in _WORD_NUMBER.sub(" ", part).split():
            extra: list[Token] = []
            cls._add_token(piece, tok.flags, extra, variants, [], at=tok.pos)
            variants.extend(Token(t.text, t.pos, t.flags | CAMEL) for t in extra)

    @staticmethod
    def _split_variants(tokens: list[Token]) -> list[Token]:
        """Join letters split by separators: runs of single characters, and pairs of short pieces."""
        out: list[Token] = []
        texts = [t.text for t in tokens]
        lengths = [len(t) for t in texts]
        n = len(tokens)
        if 1 in lengths:
            i = 0
            while i < n:
                j = i
                while j < n and lengths[j] == 1 and texts[j].isalnum() and not is_cjk(texts[j]):
                    j += 1
                if j - i >= 3:
                    text = "".join(texts[i:j])
                    flags = frozenset().union(*(t.flags for t in tokens[i:j])) | SPLIT
                    out.append(Token(text, tokens[i].pos, flags))
                    i = j
                else:
                    i += 1
        for k in range(n - 1):
            la, lb = lengths[k], lengths[k + 1]
            # both of 2-8 letters, one of them of 2 or 3
            if 2 <= la <= 8 and 2 <= lb <= 8 and (la <= 3 or lb <= 3):
                a, b = texts[k], texts[k + 1]
                if a.isalpha() and b.isalpha() and a.isascii() and b.isascii():
                    ta, tb = tokens[k], tokens[k + 1]
                    out.append(_token(a + b, ta.pos, ta.flags | tb.flags | SPLIT))
        return out
