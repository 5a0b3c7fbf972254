"""Matching in worker processes: the :class:`~brandsweep.matchers.Matcher` rebuilt once per worker.

Matching is pure (a listing in, a verdict out) and most of an import's time, so it can run beside
the store on other cores. A :class:`Matcher` itself does not pickle (its module tables are
read-only ``MappingProxyType`` views), and pickling its built indexes would send far more than what
they are built from, so each worker receives a :class:`MatcherSpec` (the catalog's brands and
photos and the ``[matchers]`` configuration as plain values) once, when it starts, and builds its
own matcher from it (``bench`` measured both: see README "Scaling"). Workers are started with
``spawn`` (no state of the parent's threads or connections is inherited).

:meth:`MatchPool.submit` splits a batch of views into chunks, one task each, and returns one
:class:`Matching` whose :meth:`Matching.result` is the batch's verdicts in the batch's order: the
caller stores them exactly as if it had matched in process. A worker that dies makes ``result``
raise (``BrokenProcessPool``); nothing is stored for that batch. A worker whose parent was killed
(``kill -9``) exits at once (it watches a pipe only that process writes to).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from brandsweep.matchers import Matcher
from brandsweep.matchers.config import MatchConfig
from brandsweep.matchers.types import Brand, CatalogImage, ListingView, MatchResult


@dataclass(frozen=True, slots=True)
class MatcherSpec:
    """What a :class:`Matcher` is built from, as picklable values: ``build()`` makes an equal one."""

    brands: tuple[Brand, ...]
    images: tuple[CatalogImage, ...]
    config: dict[str, Any]  # MatchConfig.to_mapping()

    @classmethod
    def of(cls, matcher: Matcher) -> MatcherSpec:
        return cls(tuple(matcher.brands), tuple(matcher.images), matcher.config.to_mapping())

    def build(self) -> Matcher:
        return Matcher(self.brands, self.images, MatchConfig.from_mapping(self.config))


def default_workers() -> int:
    """Worker processes when none are configured: one per core."""
    return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where there is one (the server imports the matchers once, about a second of CPU,
    and forks each worker from that clean state), else ``spawn``."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])  # no effect once a server runs (it then has what it has)
    return ctx


_WORKER_MATCHER: Matcher | None = None  # the matcher of this worker process, built by _start_worker


def _start_worker(spec: bytes, alive: Connection) -> None:
    global _WORKER_MATCHER

    # ``alive`` reads a pipe whose only writing end the importing process holds: it reads EOF once that
    # process is gone, even after a SIGKILL (which runs no cleanup). The worker's own parent is no
    # guide: under forkserver it is the server, which lives as long as its workers do.
    def orphaned() -> None:
        try:
            alive.recv()  # nothing is ever sent
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=orphaned, name="brandsweep-match-orphan-check", daemon=True).start()
    _WORKER_MATCHER = pickle.loads(spec).build()


def _match_chunk(views: Sequence[ListingView]) -> list[MatchResult]:
    assert _WORKER_MATCHER is not None, "worker started without a matcher"
    return [_WORKER_MATCHER.match(v) for v in views]


class Matching:
    """The verdicts of one submitted batch, in order, once every chunk is done."""

    def __init__(self, parts: list[Future[list[MatchResult]]]) -> None:
        self.parts = parts

    def result(self) -> list[MatchResult]:
        out: list[MatchResult] = []
        for part in self.parts:
            out += part.result()
        return out

    def cancel(self) -> None:
        for part in self.parts:
            part.cancel()


class MatchPool:
    """``workers`` processes, each with its own matcher built from ``matcher``'s spec."""

    def __init__(self, matcher: Matcher, workers: int, *, chunk: int = 128) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.chunk = chunk
        spec = pickle.dumps(MatcherSpec.of(matcher), protocol=pickle.HIGHEST_PROTOCOL)
        ctx = _context()
        self._alive_r, self._alive_w = ctx.Pipe(duplex=False)
        self._pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_start_worker,
                                         initargs=(spec, self._alive_r))

    def submit(self, views: Sequence[ListingView]) -> Matching:
        size = max(1, min(self.chunk, -(-len(views) // self.workers)))
        return Matching([self._pool.submit(_match_chunk, list(views[i:i + size]))
                         for i in range(0, len(views), size)])

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers (``cancel``: drop what is queued, e.g. after an error)."""
        try:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
        finally:
            self._alive_w.close()
            self._alive_r.close()

    def __enter__(self) -> MatchPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel=exc[0] is not None)
