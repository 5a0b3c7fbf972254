"""Platform listing feeds (docs/formats.md §2): JSON Lines, one listing per line.

A bad line is reported with its line number and skipped; every good line is stored and
scored. Listings are keyed by (platform, listing_id), so importing the same feed twice
creates no duplicate listings or leads. Good lines are stored in batches of ``batch`` listings,
one transaction each (on PostgreSQL sent with ``COPY``): a killed import keeps every batch it
committed, and importing the file again completes it. With ``workers`` > 1 the listings are matched
in worker processes (:mod:`brandsweep.store.matchpool`) while this process parses and stores, in
file order, so the store ends exactly as with one process.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from brandsweep.core.errors import FeedError
from brandsweep.core.records import FetchedImage, ListingRecord
from brandsweep.matchers import Matcher
from brandsweep.store.db import Database, retrying, transaction
from brandsweep.store.ingest import Ingestor, Item, hash_image_bytes, record_image, view_of
from brandsweep.store.listings import cached_image, known_image
from brandsweep.store.matchpool import Matching, MatchPool
from brandsweep.store.runs import finish_run, start_run

REQUIRED = ("platform", "listing_id", "url", "title")
_TEXT = ("description", "currency", "seller_id", "seller_name", "seller_location", "captured_at",
         "seller_phone", "seller_address", "seller_url")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
FEED_BATCH = 500  # listings per transaction


@dataclass(slots=True)
class FeedResult:
    path: str
    run_id: int
    lines: int = 0
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class BadLine(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise BadLine(f"{name} is not a number a feed may hold (only finite numbers)")


# One decoder for every line: json.loads with an option builds a new decoder per call (a tenth of a
# feed import's time without matching, measured by bench/run.py's profile).
_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def parse_line(text: str) -> ListingRecord:
    """One feed line to a record; raise :class:`BadLine` saying what is wrong."""
    try:
        obj = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(obj, dict):
        raise BadLine(f"expected a JSON object, got {type(obj).__name__}")
    for key in REQUIRED:
        if key not in obj or obj[key] is None:
            raise BadLine(f"missing required key {key!r}")
        if not isinstance(obj[key], str) or not obj[key].strip():
            raise BadLine(f"{key!r} must be a non-empty string, got {_kind(obj[key])}")
    if not obj["url"].startswith(("http://", "https://")):
        raise BadLine(f"'url' must be an http(s) URL, got {obj['url']!r}")
    for key in _TEXT:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise BadLine(f"{key!r} must be a string, got {_kind(obj[key])}")
    price = obj.get("price")
    if price is not None and (isinstance(price, bool) or not isinstance(price, int | float) or price < 0):
        raise BadLine(f"'price' must be a non-negative number, got {_kind(price)}")
    if price is not None and not math.isfinite(price):  # 1e999 reads as infinity
        raise BadLine(f"'price' must be a finite number, got {price}")
    sales = obj.get("sales_count")
    if sales is not None and (isinstance(sales, bool) or not isinstance(sales, int) or sales < 0):
        raise BadLine(f"'sales_count' must be a non-negative integer, got {_kind(sales)}")
    images = obj.get("image_urls") or []
    if not isinstance(images, list) or not all(isinstance(u, str) and u for u in images):
        raise BadLine("'image_urls' must be a list of URLs or paths")
    captured = obj.get("captured_at")
    if captured is not None:
        try:
            datetime.fromisoformat(captured.replace("Z", "+00:00"))
        except ValueError as exc:
            raise BadLine(f"'captured_at' is not an ISO 8601 time: {captured!r}") from exc
    return ListingRecord(
        platform=obj["platform"].strip(),
        listing_id=obj["listing_id"].strip(),
        url=obj["url"],
        title=obj["title"],
        description=obj.get("description"),
        price=float(price) if price is not None else None,
        currency=obj.get("currency"),
        seller_id=obj.get("seller_id"),
        seller_name=obj.get("seller_name"),
        seller_location=obj.get("seller_location"),
        sales_count=sales,
        image_urls=list(images),
        captured_at=captured,
        seller_phone=obj.get("seller_phone"),
        seller_address=obj.get("seller_address"),
        seller_url=obj.get("seller_url"),
    )


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        fh = path.open("r", encoding="utf-8-sig", errors="strict", newline="")
    except OSError as exc:
        raise FeedError(f"{path}: cannot read feed: {exc.strerror or exc}") from exc
    with fh:
        lineno = 0
        while True:
            lineno += 1
            try:
                line = fh.readline()
            except UnicodeDecodeError as exc:
                raise FeedError(f"{path}: line {lineno}: not UTF-8 ({exc.reason}); nothing after it was read") from exc
            if not line:
                return
            if line.strip():
                yield lineno, line


def _local_image(ref: str, base: Path) -> tuple[str, bytes | None, str | None]:
    """Resolve a feed image reference to (key, bytes, problem)."""
    rel = Path(ref)
    root = base.resolve()
    target = (root / rel).resolve()
    key = target.as_uri()
    if rel.is_absolute() or not target.is_relative_to(root):
        return ref, None, "path outside the feed's folder"
    try:
        if target.stat().st_size > MAX_IMAGE_BYTES:
            return key, None, "too_large"
        return key, target.read_bytes(), None
    except OSError:
        return key, None, "unreadable"


def import_feed(
    db: Database,
    path: str | Path,
    matcher: Matcher,
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = FEED_BATCH,
    workers: int = 1,
) -> FeedResult:
    """Store and score every good line of the feed at ``path``.

    ``workers`` > 1 matches in that many worker processes (:class:`~brandsweep.store.matchpool.MatchPool`,
    started once the feed has a full batch) while this process parses the next lines and stores
    batches already matched, in file order, one transaction each: the store ends as with one
    process. A matcher that is not a :class:`Matcher` (a stand-in) always matches in process.
    """
    p = Path(path)
    if not p.is_file():
        raise FeedError(f"{p}: no such feed file")
    if workers < 1:
        raise FeedError(f"workers must be at least 1, got {workers}")
    run_id = start_run(db, "feed", source=str(p))
    result = FeedResult(path=str(p), run_id=run_id)
    ingestor = Ingestor(db, matcher, run_id)
    status = "failed"
    pending: list[Item] = []
    inflight: deque[tuple[list[Item], Matching]] = deque()
    pool: MatchPool | None = None
    use_pool = workers > 1 and isinstance(matcher, Matcher)

    def store_oldest() -> None:
        items, matching = inflight.popleft()
        results = matching.result()
        retrying(db, lambda: ingestor.store_counted(items, results))
        result.imported += len(items)
        if progress:
            progress(result.lines)

    def flush(*, last: bool) -> None:
        nonlocal pool
        items = list(pending)
        pending.clear()
        if pool is None and use_pool and not (last and not inflight and len(items) < batch):
            pool = MatchPool(matcher, workers)
        if pool is None:
            results = ingestor.match(items)
            retrying(db, lambda: ingestor.store_counted(items, results))
            result.imported += len(items)
            if progress:
                progress(result.lines)
            return
        while len(inflight) >= 2:  # workers match the next batch while this process stores one
            store_oldest()
        inflight.append((items, pool.submit([view_of(rec, images) for rec, images in items])))

    try:
        for lineno, text in iter_lines(p):
            result.lines += 1
            try:
                rec = parse_line(text)
            except BadLine as exc:
                result.errors.append((lineno, str(exc)))
                continue
            pending.append((rec, [_feed_image(db, ref, p.parent) for ref in rec.image_urls]))
            if len(pending) >= batch:
                flush(last=False)
        if pending:
            flush(last=True)
        while inflight:
            store_oldest()
        status = "ok" if not result.errors else "partial"
    finally:
        if pool is not None:
            for _, matching in inflight:
                matching.cancel()
            pool.close(cancel=True)
        result.counts = ingestor.counts.as_dict() | {"lines/refused": len(result.errors),
                                                     "matching/processes": pool.workers if pool else 1}
        finish_run(db, run_id, status=status, stats=result.counts)
    return result


def _feed_image(db: Database, ref: str, base: Path) -> FetchedImage:
    if ref.startswith(("http://", "https://")):
        # Remote images in feeds are recorded, not fetched: a feed import makes no network requests.
        return cached_image(db, ref) or FetchedImage(url=ref, refused="not_fetched")
    key, data, problem = _local_image(ref, base)
    if data is None:
        return FetchedImage(url=key, refused=problem)
    known = known_image(db, data)
    if known is not None:
        return FetchedImage(url=key, sha256=known[0], phash=known[1], refused=known[2])
    phash, refused = hash_image_bytes(data)
    with transaction(db):
        return record_image(db, key, data, phash, refused)
