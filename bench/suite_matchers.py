"""Matcher measures (issue 14 part 3, issue 16): text titles/s and recall, image hashing, image index query.

text:  ``Matcher.match`` over real Flipkart titles against catalogs of 100 / 1k / 10k / 100k brand terms
       (every Flipkart brand, topped up with brand-like names made of title words), against a rapidfuzz
       ``process.extractOne`` loop over the brand names (measured on a sample of titles: it is slow) and
       a bare Aho-Corasick scan (pyahocorasick, lower-cased names, every title). Recall: on a sample of
       titles, the truth is each title's own labelled brand (Flipkart's brand column) when an exhaustive
       ``rapidfuzz.process.cdist`` of every word n-gram of the title against every brand name
       (``fuzz.ratio`` after ``utils.default_process``, score 100) finds it written there as whole
       words; a title counts as found when the matcher's best brand is that brand.
image: ``hash_image(bytes)`` (our 30-chunk hash: crops, trims, rotations, brightened and core boxes)
       against ``imagehash.phash(Image.open(f))`` over the real photos; at 1e5 / 1e6 / 1e7 random
       64-bit hashes, ``ImageIndex.query`` one photo at a time (both orientations) against a plain
       numpy XOR + popcount scan, and ``ImageIndex.query_many`` (the round's photos at once; faiss
       from ``FAISS_MIN`` chunks when installed) against faiss ``IndexBinaryFlat`` (all the round's
       queries and their mirrors in one batched search).
"""

from __future__ import annotations

import csv
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.harness import REAL, Row, alternate, fill, profile_top
from brandsweep.matchers import MatchConfig, Matcher
from brandsweep.matchers.normalize import Analyzed
from brandsweep.matchers.types import Brand, ListingView

TEXT_TARGET = 20.0
PER_CORE_TARGET = 20_000.0  # issue 16: titles/s/core at 10,000 brands


def catalog(titles: list[str], brands_seen: list[str], n_terms: int, rng: random.Random) -> list[Brand]:
    """``n_terms`` brands: Flipkart's own brands first (most frequent first), then brand-like names made
    of two title words."""
    counts: dict[str, int] = {}
    for b in brands_seen:
        if b:
            counts[b] = counts.get(b, 0) + 1
    names: list[str] = []
    seen: set[str] = set()
    for name in sorted(counts, key=lambda b: (-counts[b], b)):  # one brand per name whatever its case
        if name.casefold() not in seen and len(names) < n_terms:
            seen.add(name.casefold())
            names.append(name)
    out = [Brand(f"b{i}", name, "bench") for i, name in enumerate(names)]
    words = sorted({w for t in titles for w in re.findall(r"[A-Za-z]{4,}", t)})
    while len(out) < n_terms:
        name = rng.choice(words).capitalize() + rng.choice(words).lower()
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(Brand(f"b{len(out)}", name, "bench"))
    return out
RECALL_TARGET = 0.99


def _rate(n: int, fn) -> float:
    t0 = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t0)


def _cpu_rate(n: int, fn: Callable[[], object]) -> float:
    """Items per CPU second of this (single-threaded) process: a rate per core that the other jobs on a
    shared machine do not dilute, unlike wall time."""
    t0 = time.process_time()
    fn()
    return n / max(time.process_time() - t0, 1e-9)


def per_core_row(name: str, rates: list[float], target: float = PER_CORE_TARGET) -> Row:
    """Rates (per CPU second) against the issue's absolute target: the ratio is rate / target."""
    row = Row("text", name, unit="titles/s", baseline=f"target {target:,.0f} titles/s/core")
    return fill(row, [{"ours": r, "base": target, "ratio": r / target} for r in rates], 1.0)


def text_stages(matcher: Matcher, titles: list[str]) -> dict[str, float]:
    """CPU microseconds per title in each stage of ``Matcher.match`` (memos warm); ``scoring`` is the rest:
    the per-hit context rules, seller, price and product checks of matchers/score.py and context.py."""
    views = [ListingView("flipkart", str(i), t) for i, t in enumerate(titles)]

    def per_title(fn: Callable[[], object]) -> float:
        return round(1e6 / _cpu_rate(len(titles), fn), 1)

    analyzed = [matcher.normalizer.analyze(t) for t in titles]
    for a in analyzed:  # the weak readings' memo warm too (match asks for them beside counterfeit wording only)
        matcher.text.find(a, weak=True)
    out = {"match": per_title(lambda: [matcher.match(v) for v in views]),
           "normalise+tokenise": per_title(lambda: [matcher.normalizer.analyze(t) for t in titles]),
           "counterfeit wording": per_title(lambda: [matcher.lexicon.find(f"{t}\n") for t in titles]),
           "text find": per_title(lambda: [matcher.text.find(a) for a in analyzed]),
           "text find, weak readings on": per_title(lambda: [matcher.text.find(a, weak=True) for a in analyzed])}
    out["scoring (the rest)"] = round(
        out["match"] - out["normalise+tokenise"] - out["counterfeit wording"] - out["text find"], 1)
    return out


def _load_titles(real: Path) -> tuple[list[str], list[str]] | None:
    path = real / "flipkart_20k.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["product_name"] for r in rows], [r["brand"].strip() for r in rows]


def _truth(titles: list[str], names: list[str]) -> list[set[int]]:
    """Per title, the brands whose name is written in it as whole words (exhaustive cdist, score 100)."""
    from rapidfuzz import fuzz, process, utils

    longest = max(len(utils.default_process(n).split()) for n in names)
    grams: list[str] = []
    owner: list[int] = []
    for i, t in enumerate(titles):
        words = utils.default_process(t).split()
        for k in range(1, min(longest, 4) + 1):
            for s in range(len(words) - k + 1):
                grams.append(" ".join(words[s:s + k]))
                owner.append(i)
    unique = sorted(set(grams))
    hits: dict[str, set[int]] = {}
    for start in range(0, len(unique), 2000):  # chunks: the score matrix stays small
        chunk = unique[start:start + 2000]
        scores = process.cdist(chunk, names, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=100,
                               dtype=np.uint8, workers=-1)
        for gi, bi in zip(*np.nonzero(scores), strict=True):
            hits.setdefault(chunk[gi], set()).add(int(bi))
    out: list[set[int]] = [set() for _ in titles]
    for g, i in zip(grams, owner, strict=True):
        out[i] |= hits.get(g, set())
    return out


def text_rows(rounds: int, sizes: tuple[int, ...], n_titles: int, naive_budget_s: float,
              recall_titles: int, real: Path = REAL) -> list[Row]:
    loaded = _load_titles(real)
    if loaded is None:
        return [Row("text", f"titles/s at {n:,} terms", skipped=f"{real / 'flipkart_20k.csv'} not found")
                for n in sizes]
    import ahocorasick
    from rapidfuzz import fuzz, process, utils

    all_titles, brands_seen = loaded
    titles = all_titles[:n_titles]
    out: list[Row] = []
    for n_terms in sizes:
        brands = catalog(all_titles, brands_seen, n_terms, random.Random(4))
        t0 = time.perf_counter()
        matcher = Matcher(brands, [], MatchConfig())
        build_s = time.perf_counter() - t0
        views = [ListingView("flipkart", str(i), t) for i, t in enumerate(titles)]
        names = [b.name for b in brands]
        # the first pass fills the per-token memos (typos, homophones): what a fresh process pays
        cold = _cpu_rate(len(views), lambda m=matcher, vs=views: [m.match(v) for v in vs])

        def ours(views: list[ListingView] = views, matcher: Matcher = matcher) -> float:
            return _cpu_rate(len(views), lambda: [matcher.match(v) for v in views])

        analyzed = [matcher.normalizer.analyze(t) for t in titles]

        def find(analyzed: list[Analyzed] = analyzed, matcher: Matcher = matcher) -> float:
            return _cpu_rate(len(analyzed), lambda: [matcher.text.find(a) for a in analyzed])

        # extractOne is slow at many terms: as many titles as fit in the budget (measured per title).
        t0 = time.perf_counter()
        process.extractOne(titles[0], names, scorer=fuzz.WRatio, processor=utils.default_process)
        one = time.perf_counter() - t0
        naive_n = max(3, min(len(titles), int(naive_budget_s / max(one, 1e-6))))

        def naive(names: list[str] = names, k: int = naive_n) -> float:
            return _cpu_rate(k, lambda: [process.extractOne(t, names, scorer=fuzz.WRatio,
                                                            processor=utils.default_process) for t in titles[:k]])

        auto = ahocorasick.Automaton()
        for i, name in enumerate(names):
            auto.add_word(name.lower(), i)
        auto.make_automaton()

        def scan(auto: ahocorasick.Automaton = auto) -> float:
            def go() -> None:
                for t in titles:
                    for _ in auto.iter(t.lower()):
                        pass
            return _cpu_rate(len(titles), go)

        row = Row("text", f"titles/s at {len(brands):,} brands", unit="titles/s",
                  baseline=f"extractOne loop ({naive_n} titles)")
        fill(row, alternate(rounds, ours, naive), TEXT_TARGET if n_terms == 10_000 else None)
        row.notes = {"terms_indexed": len(matcher.text.terms), "matcher_build_s": round(build_s, 2),
                     "titles": len(titles), "first_pass_titles_s": round(cold), "rates": "per CPU second"}
        scan_row = Row("text", f"vs bare Aho-Corasick scan, {len(brands):,} brands", unit="titles/s",
                       baseline="pyahocorasick iter")
        scan_rounds = alternate(rounds, ours, scan)
        fill(scan_row, scan_rounds)
        find_row = Row("text", f"TextIndex.find alone vs bare Aho-Corasick scan, {len(brands):,} brands",
                       unit="titles/s", baseline="pyahocorasick iter")
        find_rounds = alternate(rounds, find, scan)
        fill(find_row, find_rounds)
        out += [row, scan_row, find_row]
        if n_terms == 10_000:
            match_core = per_core_row("Matcher.match per core, 10,000 brands",
                                      [r["ours"] for r in row.rounds + scan_row.rounds])
            find_core = per_core_row("TextIndex.find per core, 10,000 brands", [r["ours"] for r in find_rounds])
            match_core.notes = {"cpu_us_per_title": text_stages(matcher, titles)}
            if not match_core.met:
                match_core.profile = profile_top(lambda m=matcher, vs=views: [m.match(v) for v in vs[:2000]], n=14)
            out += [match_core, find_core]
        if recall_titles and n_terms <= 10_000:  # beyond, the exhaustive truth alone outlasts the budget
            sample = titles[:recall_titles]
            labels = brands_seen[:recall_titles]
            by_name = {n.casefold(): i for i, n in enumerate(names)}
            truth = [t & {by_name[lab.casefold()]} if lab and lab.casefold() in by_name else set()
                     for t, lab in zip(_truth(sample, names), labels, strict=True)]
            ids = {b.brand_id: i for i, b in enumerate(brands)}
            with_truth = [i for i, t in enumerate(truth) if t]
            found = sum(1 for i in with_truth if ids.get(matcher.match(views[i]).brand_id or "") in truth[i])
            recall = found / len(with_truth) if with_truth else float("nan")
            rrow = Row("text", f"recall vs exhaustive cdist, {len(brands):,} brands", unit="",
                       baseline=f"cdist truth: {len(with_truth)} of {len(sample)} titles write their brand")
            rrow.ratio = recall
            if n_terms == 10_000:
                rrow.target = f">= {RECALL_TARGET}"
                rrow.met = recall >= RECALL_TARGET
            missed = [sample[i] for i in with_truth
                      if ids.get(matcher.match(views[i]).brand_id or "") not in truth[i]][:5]
            rrow.notes = {"missed_examples": missed,
                          "missed_brands": [[names[b] for b in truth[i]] for i in with_truth
                                            if ids.get(matcher.match(views[i]).brand_id or "") not in truth[i]][:5]}
            out.append(rrow)
        del matcher
    return out


def hashing_row(rounds: int, real: Path = REAL) -> Row:
    photos = sorted((real / "photos").glob("*.jpg")) if (real / "photos").is_dir() else []
    row = Row("image", f"hashing, {len(photos)} real photos", unit="images/s",
              baseline="imagehash.phash(Image.open(f))")
    if not photos:
        row.skipped = f"{real / 'photos'} not found"
        return row
    import imagehash
    from PIL import Image

    from brandsweep.matchers import ImageRefused, hash_image

    def ours() -> float:
        def go() -> None:
            for f in photos:
                try:
                    hash_image(f.read_bytes())
                except ImageRefused:
                    pass
        return _rate(len(photos), go)

    def base() -> float:
        return _rate(len(photos), lambda: [imagehash.phash(Image.open(f)) for f in photos])

    fill(row, alternate(rounds, ours, base), 1.0)
    if not row.met:
        row.profile = profile_top(lambda: [hash_image(f.read_bytes()) for f in photos[:60]])
    return row


def _index(values: np.ndarray):
    """An ImageIndex over ``values`` (one chunk per catalog image) without parsing millions of hash texts."""
    from brandsweep.matchers.image import ImageIndex

    maker = getattr(ImageIndex, "from_chunks", None)
    if maker is not None:
        return maker(values, np.arange(values.size, dtype=np.int64))
    index = ImageIndex([])
    index._hashes = values
    index._owners = np.arange(values.size, dtype=np.int64)
    return index


def index_rows(rounds: int, sizes: tuple[int, ...], budget_s: float) -> list[Row]:
    from brandsweep.matchers.image import MIRROR_MASK

    try:
        import faiss
    except ImportError:
        faiss = None
    out: list[Row] = []
    rng = np.random.default_rng(7)
    for n in sizes:
        values = rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64, endpoint=True)
        index = _index(values)
        queries = [int(q) for q in rng.integers(0, 2**64 - 1, size=200, dtype=np.uint64, endpoint=True)]
        texts = [f"{q:016x}" for q in queries]
        index.query(texts[0])
        t0 = time.perf_counter()
        index.query(texts[1])
        k = max(3, min(len(texts), int(budget_s / max(time.perf_counter() - t0, 1e-6))))

        def ours(index=index, k: int = k, texts: list[str] = texts) -> float:
            return _rate(k, lambda: [index.query(t) for t in texts[:k]])

        def numpy_scan(values: np.ndarray = values, k: int = k, queries: list[int] = queries) -> float:
            def go() -> None:
                for q in queries[:k]:
                    for v in (q, q ^ MIRROR_MASK):
                        int(np.argmin(np.bitwise_count(np.bitwise_xor(values, np.uint64(v)))))
            return _rate(k, go)

        row = Row("image", f"index query, {n:.0e} hashes", unit="queries/s", baseline="plain numpy XOR+popcount")
        fill(row, alternate(rounds, ours, numpy_scan))
        row.notes = {"queries_per_round": k}
        out.append(row)
        frow = Row("image", f"index query_many, {n:.0e} hashes, vs faiss", unit="queries/s",
                   baseline="faiss IndexBinaryFlat")
        if faiss is None:
            frow.skipped = "faiss-cpu not installed (pip install -e '.[bench]')"
        else:
            faiss.omp_set_num_threads(1)  # per core, like the numpy scan and ours (on a loaded machine
            # OpenMP's spinning threads only slow it down)
            fidx = faiss.IndexBinaryFlat(64)
            fidx.add(values.view(np.uint8).reshape(n, 8))
            qs = np.array([[q, q ^ MIRROR_MASK] for q in queries], dtype=np.uint64)

            def with_faiss(fidx=fidx, k: int = k, qs: np.ndarray = qs) -> float:
                # batched, as faiss is meant to be used: the k queries and their mirrors in one search
                return _rate(k, lambda: fidx.search(qs[:k].reshape(-1).view(np.uint8).reshape(2 * k, 8), 1))

            index.query_many(texts[:8])  # warm-up: builds the faiss index where ours uses one

            def ours_batched(index=index, k: int = k, texts: list[str] = texts) -> float:
                return _rate(k, lambda: index.query_many(texts[:k]))

            fill(frow, alternate(rounds, ours_batched, with_faiss), 1.0)
            if not frow.met:
                frow.profile = profile_top(lambda index=index, k=k, texts=texts: index.query_many(texts[:k]))
            frow.notes = {"faiss_threads": faiss.omp_get_max_threads(), "queries_per_round": k,
                          "ours_uses_faiss": index.uses_faiss}
        out.append(frow)
        del index, values
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs)
