"""Listing and lead exports for case systems (docs/formats.md §3).

CSV is UTF-8 with a BOM so spreadsheet programs read Chinese right; JSON Lines carries the
same fields. A text cell that a spreadsheet would run as a formula is written as text
(OWASP CSV injection); numbers stay numbers. The file appears whole or not at all.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from brandsweep.errors import ExportError

COLUMNS: tuple[str, ...] = (
    "lead_id", "platform", "listing_id", "listing_url", "title", "price", "currency",
    "seller_id", "seller_name", "seller_location", "sales_count", "brand_id", "brand",
    "rightsholder", "mark_reg_no", "score", "is_lead", "reasons", "image_ref", "image_distance",
    "first_seen", "last_seen", "evidence_sha256",
)
NUMERIC = frozenset({"price", "sales_count", "score", "is_lead", "image_distance"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")

Format = Literal["csv", "jsonl"]

_SELECT = """
SELECT
    CASE WHEN m.is_lead = 1 THEN ld.lead_id ELSE NULL END AS lead_id,
    l.platform, l.listing_id, l.url AS listing_url, l.title, l.price, l.currency,
    l.seller_id, l.seller_name, l.seller_location, l.sales_count,
    m.brand_id, b.name AS brand, rh.name AS rightsholder, m.mark_reg_no,
    COALESCE(m.score, 0) AS score, COALESCE(m.is_lead, 0) AS is_lead, COALESCE(m.reasons, '') AS reasons,
    m.image_ref, m.image_distance, l.first_seen, l.last_seen, NULL AS evidence_sha256
FROM listings l
LEFT JOIN matches m ON m.platform = l.platform AND m.listing_id = l.listing_id
LEFT JOIN leads ld ON ld.platform = l.platform AND ld.listing_id = l.listing_id
LEFT JOIN brands b ON b.id = m.brand_id
LEFT JOIN rightsholders rh ON rh.id = b.rightsholder_id
"""


def export_rows(db: sqlite_utils.Database, *, leads_only: bool) -> Iterator[dict[str, Any]]:
    where = "WHERE m.is_lead = 1 AND ld.active = 1" if leads_only else ""
    order = "ORDER BY m.score DESC, l.platform, l.listing_id" if leads_only else "ORDER BY l.platform, l.listing_id"
    yield from db.query(f"{_SELECT} {where} {order}")


def safe_cell(value: Any) -> Any:
    """A cell value as written to CSV: formulas defused, numbers left alone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _csv_bytes(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    yield ("\ufeff" + buf.getvalue()).encode("utf-8")
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow([_number_or_safe(c, row.get(c)) for c in columns])
        yield buf.getvalue().encode("utf-8")


def _number_or_safe(column: str, value: Any) -> Any:
    if column in NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def _jsonl_bytes(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[bytes]:
    for row in rows:
        yield (json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n").encode("utf-8")


def write_atomic(path: Path, chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` to a temporary file beside ``path``, fsync, then rename over it."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    size = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size


def export(
    db: sqlite_utils.Database,
    path: str | Path,
    *,
    leads_only: bool,
    fmt: Format = "csv",
) -> int:
    """Write the listings (or only the leads) export to ``path``; return the number of rows."""
    rows = list(export_rows(db, leads_only=leads_only))
    encoder = _csv_bytes if fmt == "csv" else _jsonl_bytes
    try:
        write_atomic(Path(path), encoder(rows, COLUMNS))
    except OSError as exc:
        raise ExportError(f"{path}: cannot write export: {exc.strerror or exc}") from exc
    return len(rows)
