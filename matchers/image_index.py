"""The catalog image index: every chunk of every catalog hash (:mod:`brandsweep.matchers.image`),
searched for the nearest chunk by Hamming distance, in both orientations of the query.

Small catalogs are a numpy XOR + popcount scan. From ``FAISS_MIN`` chunks on, when ``faiss-cpu``
is installed (the ``bench`` extra; it is not a runtime dependency: 66 MB installed, and the numpy
scan is as fast below the threshold), a batch of queries (:meth:`ImageIndex.query_many`) is
searched by faiss ``IndexBinaryFlat`` instead; a single photo's query stays a numpy scan.
Both give the same hits: the nearest chunk, ties going to the lowest position (faiss is asked for
the ``_TIE_K`` nearest; when all of them tie the numpy scan decides).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from brandsweep.matchers.image import AGREEMENT_CHUNKS, MIRROR_MASK, PAIRED, split_hash

# Chunks from which a table is searched by faiss (when installed): batches of 5-100 photos on
# random chunks, faiss (1 thread) against the numpy scan in alternating rounds, load 14-18 on
# 2 cores: 0.5-0.7x up to 3e5 chunks, 0.75-1.05x at 1e6, 1.6x at 3e6 (see matchers/README.md).
FAISS_MIN = 1_000_000
_TIE_K = 8
_BLOCK = 1 << 15  # chunks per block of the numpy scan (256 KiB: with its XOR and count buffers in L2)
_FAISS_BATCH = 8  # query values from which a search goes to faiss: for one photo (two values, its two
# orientations) faiss measured 0.7-1.1x the numpy scan here; its gain is in searching many at once


@functools.cache
def _faiss() -> ModuleType | None:
    try:
        import faiss  # type: ignore[import-not-found]
    except ImportError:
        return None
    return faiss


@dataclass(frozen=True, slots=True)
class ImageHit:
    index: int  # position of the catalog image in the list given to ImageIndex
    distance: int
    mirrored: bool


class _Table:
    """64-bit chunks and the catalog image each came from, searched for the nearest chunk."""

    def __init__(self, values: np.ndarray, owners: np.ndarray, faiss_min: int) -> None:
        self.values = np.ascontiguousarray(values, dtype=np.uint64)
        self.owners = owners
        self.uses_faiss = self.values.size >= faiss_min and _faiss() is not None
        self._faiss_index: Any = None  # built at the first batch (a copy of the table: 8 bytes a chunk)

    def nearest(self, queries: Sequence[int]) -> list[tuple[int, int]]:
        """``(position, distance)`` of the nearest chunk to each query (lowest position on ties)."""
        if not self.uses_faiss or len(queries) < _FAISS_BATCH:
            return self._scan(queries)
        if self._faiss_index is None:
            faiss = _faiss()
            assert faiss is not None  # uses_faiss
            self._faiss_index = faiss.IndexBinaryFlat(64)
            self._faiss_index.add(self.values.view(np.uint8).reshape(-1, 8))
        codes = np.array(queries, dtype=np.uint64).view(np.uint8).reshape(-1, 8)
        dist, labels = self._faiss_index.search(codes, min(_TIE_K, self.values.size))
        out: list[tuple[int, int]] = []
        for q, d, lab in zip(queries, dist, labels, strict=True):
            tied = lab[d == d[0]]
            # fewer ties than asked for: every chunk at the nearest distance is among them
            out.append((int(tied.min()), int(d[0])) if tied.size < lab.size else self._scan([q])[0])
        return out

    def _scan(self, queries: Sequence[int]) -> list[tuple[int, int]]:
        """XOR + popcount scan, block by block (_BLOCK chunks, which stay in the CPU cache while
        every query is compared with them, instead of streaming the whole table once per query).
        Ties go to the lowest position: argmin's first within a block, the earlier block across."""
        qs = [np.uint64(q) for q in queries]
        best = [(0, 65)] * len(qs)
        size = min(_BLOCK, self.values.size)
        xor = np.empty(size, np.uint64)
        count = np.empty(size, np.uint8)
        for start in range(0, self.values.size, _BLOCK):
            block = self.values[start:start + _BLOCK]
            x, c = xor[:block.size], count[:block.size]
            for i, q in enumerate(qs):
                np.bitwise_xor(block, q, out=x)
                np.bitwise_count(x, out=c)
                k = int(c.argmin())
                if int(c[k]) < best[i][1]:
                    best[i] = (start + k, int(c[k]))
        return best


class ImageIndex:
    """Every chunk of every catalog hash; :meth:`query` finds the nearest catalog image."""

    def __init__(self, hashes: Sequence[str], *, faiss_min: int | None = None) -> None:
        values: list[int] = []
        owners: list[int] = []
        paired: list[tuple[list[int], list[int]]] = [([], []) for _ in PAIRED]
        for i, text in enumerate(hashes):
            try:
                chunks = split_hash(text)
            except ValueError:
                continue
            values.extend(chunks)
            owners.extend([i] * len(chunks))
            for (_, targets), (pv, po) in zip(PAIRED, paired, strict=True):
                for k in targets:
                    if k < len(chunks):
                        pv.append(chunks[k])
                        po.append(i)
        self._build(np.array(values, dtype=np.uint64), np.array(owners, dtype=np.int64),
                    [(np.array(pv, dtype=np.uint64), np.array(po, dtype=np.int64)) for pv, po in paired], faiss_min)

    @classmethod
    def from_chunks(cls, values: np.ndarray, owners: np.ndarray, *, faiss_min: int | None = None) -> ImageIndex:
        """An index over bare chunks (``owners[i]`` the catalog image of ``values[i]``, ascending),
        without paired tables: for measuring the scan at sizes no catalog has yet."""
        index = cls.__new__(cls)
        index._build(values, owners, [], faiss_min)
        return index

    def _build(self, values: np.ndarray, owners: np.ndarray, paired: list[tuple[np.ndarray, np.ndarray]],
               faiss_min: int | None) -> None:
        limit = FAISS_MIN if faiss_min is None else faiss_min
        self._all = _Table(values, owners, limit)
        self._paired = [_Table(v, o, limit) for v, o in paired]
        while len(self._paired) < len(PAIRED):
            self._paired.append(_Table(np.zeros(0, np.uint64), np.zeros(0, np.int64), limit))

    @property
    def uses_faiss(self) -> bool:
        return self._all.uses_faiss

    def __len__(self) -> int:
        return int(self._all.values.size)

    def agreement(self, hash_text: str, index: int, within: int = 12) -> int:
        """How many of the query's chunks lie within ``within`` bits of some chunk of catalog image
        ``index`` (either orientation). A transformed copy agrees on most of its crops; two different
        pictures that happen to meet in one variant agree on few."""
        owners = self._all.owners
        lo, hi = np.searchsorted(owners, index, "left"), np.searchsorted(owners, index, "right")
        table = self._all.values[lo:hi]
        if table.size == 0:
            return 0
        n = 0
        for q in split_hash(hash_text)[:AGREEMENT_CHUNKS]:
            for value in (q, q ^ MIRROR_MASK):
                if int(np.bitwise_count(np.bitwise_xor(table, np.uint64(value))).min()) <= within:
                    n += 1
                    break
        return n

    def query(self, hash_text: str) -> ImageHit | None:
        """Nearest catalog image to the query's chunk 0 (among every catalog chunk) and to its
        paired chunks (``PAIRED``), in either orientation."""
        return self.query_many([hash_text])[0]

    def query_many(self, hash_texts: Sequence[str]) -> list[ImageHit | None]:
        """:meth:`query` for many listing photos at once: one search per table for all of them (what
        makes faiss pay; the numpy scan runs query by query either way). Same hits as :meth:`query`."""
        if self._all.values.size == 0:
            return [None] * len(hash_texts)
        plans: list[list[tuple[_Table, int]]] = []  # per text: (table, slot of its query value)
        values: dict[int, list[int]] = {}  # table number -> query values (each followed by its mirror)
        tables = [self._all, *self._paired]
        for text in hash_texts:
            chunks = split_hash(text)
            plan = [(0, chunks[0])]
            for t, ((k, _), table) in enumerate(zip(PAIRED, self._paired, strict=True), start=1):
                if k < len(chunks) and table.values.size:
                    plan.append((t, chunks[k]))
            steps: list[tuple[_Table, int]] = []
            for t, q in plan:
                slot = values.setdefault(t, [])
                steps.append((tables[t], t * 10**9 + len(slot)))
                slot.extend((q, q ^ MIRROR_MASK))
            plans.append(steps)
        found = {t: tables[t].nearest(qs) for t, qs in values.items()}
        out: list[ImageHit | None] = []
        for steps in plans:
            best: ImageHit | None = None
            for table, key in steps:
                t, at = divmod(key, 10**9)
                for mirrored in (False, True):
                    pos, d = found[t][at + mirrored]
                    if best is None or d < best.distance:
                        best = ImageHit(int(table.owners[pos]), d, mirrored)
            out.append(best)
        return out
