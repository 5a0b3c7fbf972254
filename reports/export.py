"""Listing and lead exports for case systems (docs/formats.md §3).

CSV is UTF-8 with a BOM so spreadsheet programs read Chinese right; JSON Lines carries the
same fields. A text cell that a spreadsheet would run as a formula is written as text
(OWASP CSV injection); numbers stay numbers. The file appears whole or not at all.

Beyond §3: an export profile (``brandsweep.reports.profiles``) picks fields, order and column names; a
:class:`LeadFilter` narrows the leads; extra fields (status, network, authority, estimated sales
value, referral flag) are filled in by :func:`enrich`; ``by_jurisdiction`` writes one file per
competent authority plus ``unknown``; ``mark_exported`` records what was sent.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from brandsweep.core import files
from brandsweep.core.errors import ExportError
from brandsweep.reports.profiles import COLUMNS, NUMERIC, ExportProfile, builtin_profiles
from brandsweep.reports.referral import ReferralPolicy
from brandsweep.reports.routing import Router
from brandsweep.store.db import Database

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")

Format = Literal["csv", "jsonl"]
__all__ = ["COLUMNS", "NUMERIC", "ExportResult", "LeadFilter", "export", "export_rows", "safe_cell", "write_atomic"]


@dataclass(frozen=True, slots=True)
class LeadFilter:
    """Which rows an export holds. ``since``: first flagged (leads) or first seen at or after this ISO time."""

    since: str | None = None
    brands: tuple[str, ...] = ()  # brand ids or names, case-insensitive
    min_score: float | None = None
    statuses: tuple[str, ...] = ()  # lead statuses; empty = any

    def where(self) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if self.since:
            parts.append("COALESCE(ld.first_flagged_at, l.first_seen) >= ?")
            params.append(self.since)
        if self.brands:
            marks = ", ".join("?" * len(self.brands))
            parts.append(f"(LOWER(m.brand_id) IN ({marks}) OR LOWER(b.name) IN ({marks}))")
            params += [b.lower() for b in self.brands] * 2
        if self.min_score is not None:
            parts.append("COALESCE(m.score, 0) >= ?")
            params.append(self.min_score)
        if self.statuses:
            parts.append(f"ld.status IN ({', '.join('?' * len(self.statuses))})")
            params += list(self.statuses)
        return " AND ".join(parts), params


@dataclass(slots=True)
class ExportResult:
    rows: int = 0
    files: dict[str, int] = field(default_factory=dict)  # path → rows
    unrouted: dict[str, int] = field(default_factory=dict)  # why → rows (by_jurisdiction)
    marked: int = 0


_SELECT = """
SELECT
    CASE WHEN m.is_lead = 1 THEN ld.lead_id ELSE NULL END AS lead_id,
    l.platform, l.listing_id, l.url AS listing_url, l.title, l.price, l.currency,
    l.seller_id, l.seller_name, l.seller_location, l.sales_count, l.image_urls,
    m.brand_id, b.name AS brand, rh.name AS rightsholder, m.mark_reg_no,
    COALESCE(m.score, 0) AS score, COALESCE(m.is_lead, 0) AS is_lead, COALESCE(m.reasons, '') AS reasons,
    m.image_ref, m.image_distance, l.first_seen, l.last_seen,
    (SELECT e.manifest_sha256 FROM evidence_bundles e WHERE e.lead_id = ld.lead_id
     ORDER BY e.seq DESC LIMIT 1) AS evidence_sha256,
    ld.status, ld.note, ld.first_flagged_at, ld.exported_at, sn.network_id,
    (SELECT COUNT(*) FROM seller_networks n2 WHERE n2.network_id = sn.network_id) AS network_size
FROM listings l
LEFT JOIN matches m ON m.platform = l.platform AND m.listing_id = l.listing_id
LEFT JOIN leads ld ON ld.platform = l.platform AND ld.listing_id = l.listing_id
LEFT JOIN brands b ON b.id = m.brand_id
LEFT JOIN rightsholders rh ON rh.id = b.rightsholder_id
LEFT JOIN seller_networks sn ON sn.platform = l.platform AND sn.seller_id = l.seller_id
"""


def export_rows(
    db: Database, *, leads_only: bool, filters: LeadFilter | None = None
) -> Iterator[dict[str, Any]]:
    conds = ["m.is_lead = 1 AND ld.active = 1"] if leads_only else []
    params: list[Any] = []
    if filters is not None:
        cond, params = filters.where()
        if cond:
            conds.append(cond)
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    order = "ORDER BY m.score DESC, l.platform, l.listing_id" if leads_only else "ORDER BY l.platform, l.listing_id"
    for row in db.query(f"{_SELECT} {where} {order}", params):
        try:
            urls = json.loads(row["image_urls"] or "[]")
        except ValueError:
            urls = []
        yield {**row, "image_urls": [u for u in urls if isinstance(u, str)] if isinstance(urls, list) else []}


def enrich(rows: Iterable[dict[str, Any]], *, router: Router | None = None,
           policy: ReferralPolicy | None = None) -> Iterator[dict[str, Any]]:
    """Add authority, region, estimated sales value (CNY) and the referral flag to export rows."""
    router = router or Router.default()
    policy = policy or ReferralPolicy()
    for row in rows:
        route = router.route(row.get("seller_location"))
        value = policy.sales_value_cny(row.get("price"), row.get("sales_count"), row.get("currency"))
        yield {**row, "authority_id": route.authority_id, "authority": route.authority_zh if route.known else "",
               "authority_en": route.authority_en if route.known else "", "region": route.division or "",
               "routing_problem": route.problem, "sales_value_cny": value, "referral": int(policy.refer(value))}


def safe_cell(value: Any) -> Any:
    """A cell value as written to CSV: formulas defused, numbers left alone, lists space-separated."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _csv_bytes(rows: Iterable[dict[str, Any]], columns: tuple[str, ...],
               headers: tuple[str, ...] | None = None) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in (headers or columns)])
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


def _jsonl_bytes(rows: Iterable[dict[str, Any]], columns: tuple[str, ...],
                 headers: tuple[str, ...] | None = None) -> Iterator[bytes]:
    names = headers or columns
    for row in rows:
        yield (json.dumps({h: row.get(c) for c, h in zip(columns, names, strict=True)}, ensure_ascii=False)
               + "\n").encode("utf-8")


def write_atomic(path: Path, chunks: Iterable[bytes]) -> int:
    """:func:`brandsweep.core.files.write_atomic`, with a missing folder reported as an export error."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{path}: folder {folder} does not exist")
    return files.write_atomic(path, chunks)


def export(
    db: Database,
    path: str | Path,
    *,
    leads_only: bool,
    fmt: Format | None = None,
    profile: ExportProfile | None = None,
    filters: LeadFilter | None = None,
    router: Router | None = None,
    policy: ReferralPolicy | None = None,
    by_jurisdiction: bool = False,
    mark_exported: bool = False,
    now: str | None = None,
) -> ExportResult:
    """Write an export; with ``by_jurisdiction``, ``path`` is a folder and gets one file per authority.

    ``mark_exported`` sets the written leads to status ``exported`` (history kept in
    ``lead_events``) and, unless ``filters`` names statuses, leaves out leads already exported,
    so the next export does not resend them.
    """
    from brandsweep.store.db import utcnow
    from brandsweep.store.leads import mark_exported as mark

    prof = profile or builtin_profiles()["default"]
    fmt = fmt or prof.format or "csv"  # type: ignore[assignment]
    flt = filters or LeadFilter()
    if mark_exported and not flt.statuses:
        flt = LeadFilter(flt.since, flt.brands, flt.min_score, ("new", "reviewed"))
    rows = list(enrich(export_rows(db, leads_only=leads_only, filters=flt), router=router, policy=policy))
    result = ExportResult(rows=len(rows))
    target = Path(path)
    if by_jurisdiction:
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(row["authority_id"], []).append(row)
            if row["routing_problem"]:
                result.unrouted[row["routing_problem"]] = result.unrouted.get(row["routing_problem"], 0) + 1
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"{target}: cannot create folder: {exc.strerror or exc}") from exc
        for authority, group in sorted(groups.items()):
            name = re.sub(r"[^A-Za-z0-9_-]+", "_", authority)
            file = target / f"{name}.{fmt}"
            write_rows(file, group, prof, fmt)
            result.files[str(file)] = len(group)
    else:
        write_rows(target, rows, prof, fmt)
        result.files[str(target)] = len(rows)
    if mark_exported and leads_only:
        result.marked = mark(db, [r["lead_id"] for r in rows if r.get("lead_id")], target=str(target),
                             now=now or utcnow())
    return result


def write_rows(path: Path, rows: list[dict[str, Any]], prof: ExportProfile, fmt: str) -> None:
    """Write enriched export rows to ``path`` atomically in a profile's columns; the one export writer."""
    encoder = _csv_bytes if fmt == "csv" else _jsonl_bytes
    try:
        write_atomic(path, encoder(rows, prof.fields, prof.headers))
    except OSError as exc:
        raise ExportError(f"{path}: cannot write export: {exc.strerror or exc}") from exc
