"""Evidence bundles: what a listing looked like, fixed so that any later change is detected.

One folder per capture under the evidence root (``<db>.evidence/`` beside the database)::

    000003-L-3f2a9c0d1e2b/
        page.warc.gz        the listing page's request and raw response (status, headers, body) as WARC
        screenshot.png      full-page screenshot from real Chromium
        images/00-<sha256>.jpg   the listing's images, from the store's blobs
        fields.json         the extracted fields: listing, seller, match, lead
        manifest.json       lead, URL, capture time (UTC), tool and browser version, SHA-256 and size
                            of every other file, and the SHA-256 of the previous bundle's manifest

Manifests are chained (each holds the previous manifest's digest, in capture order) and every
manifest's digest is recorded in the store (``evidence_bundles``), so altering any file, a
manifest, or deleting a bundle is found by :func:`verify`. The export's ``evidence_sha256`` is
the digest of the lead's latest manifest.

Host safety, the crawler's own (``core/browser.py`` and ``core/marketplaces.py``): the page and
everything it loads pass :class:`~brandsweep.core.browser.BrowserGuard`, which fetches each request
itself with redirects off and checks every hop before it is sent. Where a listing may be fetched
from is decided by :func:`~brandsweep.core.marketplaces.listing_policy` from what the operator set
up, never from the platform name in the data: the ``[marketplaces.NAME]`` configuration, the
addresses a bundled test marketplace was crawled at, else the listing URL's own host on public
addresses only. A refused request the page makes is aborted and listed in the manifest
(``refused_requests``); a refused redirect of the page itself fails the capture.

Errors: :class:`~brandsweep.core.errors.EvidenceError` (a capture could not be made: lead unknown,
host refused, page failed), from the one error tree in ``core/errors.py``.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from brandsweep.core import __version__
from brandsweep.core.browser import ISOLATION_ARGS, BrowserGuard, Fetched
from brandsweep.core.errors import EvidenceError
from brandsweep.core.hosts import HostPolicy
from brandsweep.core.marketplaces import MarketplaceConfig, listing_policy
from brandsweep.store.db import Database, transaction, utcnow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run")
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class EvidencePolicy:
    auto_capture_score: float | None = 90.0  # leads at or above this get a bundle by ``capture --auto``
    timeout_s: float = 30.0
    root: str | None = None  # evidence folder; default ``<db>.evidence``

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> EvidencePolicy:
        """Parse an ``[evidence]`` table; ``ValueError`` names the bad key."""
        known = ("auto_capture_score", "root", "timeout_s")
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise ValueError(f"{key}: unknown key (known: {', '.join(known)})")
            if key == "root":
                if not isinstance(value, str) or not value:
                    raise ValueError("root: expected a folder path")
            elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{key}: expected a number")
            elif key == "auto_capture_score" and not 0 <= value <= 100:
                raise ValueError("auto_capture_score: expected a score from 0 to 100")
            elif key == "timeout_s" and value <= 0:
                raise ValueError("timeout_s: expected a positive number of seconds")
            kwargs[key] = float(value) if key != "root" else value
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class Bundle:
    seq: int
    lead_id: str
    folder: Path
    manifest_sha256: str


def evidence_root(db: Database, policy: EvidencePolicy | None = None) -> Path:
    if policy and policy.root:
        return Path(policy.root)
    return db.sidecar("evidence")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- choosing leads --------------------------------------------------------------------------

def leads_to_capture(db: Database, *, lead_ids: Iterable[str] = (), all_leads: bool = False,
                     min_score: float | None = None, only_missing: bool = False) -> list[str]:
    ids = list(lead_ids)
    if ids:
        known = {r[0] for r in db.execute(
            f"SELECT lead_id FROM leads WHERE lead_id IN ({', '.join('?' * len(ids))})", ids)}
        missing = [i for i in ids if i not in known]
        if missing:
            raise EvidenceError(f"no such lead: {', '.join(missing)}")
        return ids
    if not all_leads and min_score is None:
        raise EvidenceError("name lead ids, or give --all or --min-score")
    sql = "SELECT lead_id FROM leads WHERE active = 1 AND status != 'dismissed' AND score >= ?"
    if only_missing:
        sql += " AND lead_id NOT IN (SELECT lead_id FROM evidence_bundles)"
    return [r[0] for r in db.execute(sql + " ORDER BY score DESC, lead_id", (min_score or 0,))]


# --- capture ---------------------------------------------------------------------------------

def capture(db: Database, lead_ids: Iterable[str], *, policy: EvidencePolicy | None = None,
            marketplaces: Mapping[str, MarketplaceConfig] | None = None, on_error: Any = None) -> list[Bundle]:
    """Capture a bundle for each lead (live page fetch in real Chromium); return the bundles made.

    ``marketplaces`` are the configured ``[marketplaces.NAME]`` tables (where each platform's pages
    may be fetched from, see :func:`~brandsweep.core.marketplaces.listing_policy`). A lead whose
    capture fails is reported through ``on_error(lead_id, message)`` (or raises if no callback is
    given); the others go on.
    """
    return asyncio.run(_capture_all(db, lead_ids, policy or EvidencePolicy(), marketplaces or {}, on_error))


async def _capture_all(db: Database, lead_ids: Iterable[str], pol: EvidencePolicy,
                       marketplaces: Mapping[str, MarketplaceConfig], on_error: Any) -> list[Bundle]:
    from playwright.async_api import async_playwright

    root = evidence_root(db, pol)
    root.mkdir(parents=True, exist_ok=True)
    made: list[Bundle] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
                                           args=[*CHROMIUM_ARGS, *ISOLATION_ARGS], headless=True)
        try:
            for lead_id in lead_ids:
                try:
                    made.append(await _capture_one(db, lead_id, browser, root, pol, marketplaces))
                except (EvidenceError, OSError) as exc:
                    if on_error is None:
                        raise
                    on_error(lead_id, str(exc))
        finally:
            await browser.close()
    return made


def host_policy(db: Database, platform: str, url: str,
                marketplaces: Mapping[str, MarketplaceConfig]) -> HostPolicy:
    """Where a capture of ``url`` (a listing of ``platform``) may go; see ``listing_policy``."""
    crawled_at = [r[0] for r in db.execute(
        "SELECT DISTINCT source FROM crawl_runs WHERE kind = 'crawl' AND marketplace = ? AND source IS NOT NULL",
        (platform,))]
    return listing_policy(platform, url, configured=marketplaces, crawled_at=crawled_at)


async def _load(lead_id: str, url: str, browser: Any, pol: EvidencePolicy, hosts: HostPolicy,
                max_bytes: int) -> tuple[Fetched, bytes, list[dict[str, str]]]:
    """Open the listing page behind the guard; return the document as fetched, a screenshot and
    what the page tried to load that the policy refused."""
    from playwright.async_api import Error as PlaywrightError

    refused: list[dict[str, str]] = []

    def note(event: str, where: str) -> None:
        if event.startswith("refused/"):
            refused.append({"url": where, "reason": event.removeprefix("refused/")})

    guard = BrowserGuard(hosts, note=note, max_bytes=max_bytes, timeout_s=pol.timeout_s, keep_document=True)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = await context.new_page()
        page.set_default_timeout(pol.timeout_s * 1000)
        await guard.install(page)
        try:
            response = await page.goto(url, wait_until="load")
        except PlaywrightError as exc:
            if guard.document_refusal is not None:
                where, reason = guard.document_refusal
                raise EvidenceError(f"{lead_id}: {url}: refused ({reason}) at {where}; nothing was captured") from exc
            raise EvidenceError(f"{lead_id}: {url}: page could not be loaded: {exc.message.splitlines()[0]}") from exc
        if response is None or guard.document is None:
            raise EvidenceError(f"{lead_id}: {url}: no response")
        screenshot = await page.screenshot(full_page=True, type="png")
    finally:
        await context.close()
    return guard.document, screenshot, refused


async def _capture_one(db: Database, lead_id: str, browser: Any, root: Path, pol: EvidencePolicy,
                       marketplaces: Mapping[str, MarketplaceConfig]) -> Bundle:
    lead = _one(db, "SELECT * FROM leads WHERE lead_id = ?", lead_id)
    if lead is None:
        raise EvidenceError(f"no such lead: {lead_id}")
    key = [lead["platform"], lead["listing_id"]]
    listing = _one(db, "SELECT * FROM listings WHERE platform = ? AND listing_id = ?", *key)
    if listing is None:
        raise EvidenceError(f"{lead_id}: its listing is not in the store")
    url = listing["url"]
    hosts = host_policy(db, lead["platform"], url, marketplaces)
    reason = await asyncio.to_thread(hosts.refusal, url)
    if reason is not None:
        raise EvidenceError(f"{lead_id}: {url}: refused ({reason}): configure [marketplaces.{lead['platform']}] "
                            "with its base_url (and allow_private_addresses for a private one) to capture it")
    max_bytes = (marketplaces.get(lead["platform"]) or MarketplaceConfig(lead["platform"], "")).max_response_bytes
    captured_at = utcnow()
    doc, screenshot, refused = await _load(lead_id, url, browser, pol, hosts, max_bytes)  # the page, live
    files: dict[str, bytes] = {"page.warc.gz": _warc(doc), "screenshot.png": screenshot}
    for pos, sha in db.execute(  # usable images only: a refused body (a bomb, a page) is never copied
            "SELECT li.position, li.sha256 FROM listing_images li JOIN images i ON i.sha256 = li.sha256 "
            "WHERE li.platform = ? AND li.listing_id = ? AND i.refused IS NULL ORDER BY li.position", key):
        data = db.blobs.read(sha)
        if data is not None:
            files[f"images/{pos:02d}-{sha[:16]}{_image_ext(data)}"] = data
    fields = {
        "listing": listing,
        "seller": _one(db, "SELECT * FROM sellers WHERE platform = ? AND seller_id = ?", lead["platform"],
                       listing["seller_id"] or ""),
        "match": _one(db, "SELECT * FROM matches WHERE platform = ? AND listing_id = ?", *key),
        "lead": lead,
        "images": [dict(r) for r in db.query(
            "SELECT position, url, sha256, refused FROM listing_images WHERE platform = ? AND listing_id = ? "
            "ORDER BY position", key)],
    }
    files["fields.json"] = json.dumps(fields, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    with transaction(db):
        db.lock_keys(["evidence-chain"])  # one link at a time, from any process or host
        prev_row = db.execute("SELECT seq, manifest_sha256 FROM evidence_bundles ORDER BY seq DESC LIMIT 1").fetchone()
        seq = (prev_row[0] + 1) if prev_row else 1
        manifest = {
            "format": "brandsweep-evidence/1", "seq": seq, "lead_id": lead_id, "platform": lead["platform"],
            "listing_id": lead["listing_id"], "url": url, "final_url": doc.url, "http_status": doc.status,
            "captured_at": captured_at, "tool": {"name": "brandsweep", "version": __version__},
            "browser": {"name": "chromium", "version": browser.version}, "redirects": [u for u, _ in doc.hops[:-1]],
            "refused_requests": refused[:50],
            "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                      for name, data in sorted(files.items())},
            "previous_manifest_sha256": prev_row[1] if prev_row else None,
        }
        raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        files[MANIFEST] = raw
        digest = hashlib.sha256(raw).hexdigest()
        folder = root / f"{seq:06d}-{lead_id}"
        _write_folder(folder, files)
        db.execute(
            "INSERT INTO evidence_bundles (seq, lead_id, platform, listing_id, folder, captured_at, manifest_sha256, "
            "prev_manifest_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, lead_id, lead["platform"], lead["listing_id"], folder.name, captured_at, digest, manifest[
                "previous_manifest_sha256"]),
        )
    return Bundle(seq, lead_id, folder, digest)


def _one(db: Database, sql: str, *params: Any) -> dict[str, Any] | None:
    rows = list(db.query(sql, list(params)))
    return dict(rows[0]) if rows else None


def _image_ext(data: bytes) -> str:
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return ".bin"


def _warc(doc: Fetched) -> bytes:
    """Request and response records (gzipped WARC/1.1) of the page as fetched (its last hop).
    Playwright hands over the decoded body, so a ``Content-Encoding`` header is kept as
    ``X-Original-Content-Encoding``. HTTP/2 has no reason phrase; the standard one is written."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.1")
    parts = urlsplit(doc.url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    req_headers = [(k, v) for k, v in doc.request_headers if not k.startswith(":")]
    req = writer.create_warc_record(doc.url, "request", http_headers=StatusAndHeaders(
        f"{doc.method} {path} HTTP/1.1", req_headers, is_http_request=True))
    headers = []
    for name, value in doc.headers:
        if name.lower() in ("content-encoding", "transfer-encoding"):
            name = "X-Original-" + name
        elif name.lower() == "content-length":
            continue
        headers.append((name, value))
    headers.append(("Content-Length", str(len(doc.body))))
    resp = writer.create_warc_record(
        doc.url, "response", payload=io.BytesIO(doc.body), length=len(doc.body),
        http_headers=StatusAndHeaders(f"{doc.status} {doc.status_text.strip() or reason_phrase(doc.status)}", headers,
                                      protocol="HTTP/1.1"))
    writer.write_record(req)
    writer.write_record(resp)
    return buf.getvalue()


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _write_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write the bundle into a temporary folder beside it, fsync, then rename: whole or not at all."""
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        tmp.chmod(0o755)
        for name, data in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# --- verify ----------------------------------------------------------------------------------

def verify(db: Database, policy: EvidencePolicy | None = None) -> tuple[int, list[str]]:
    """Check every bundle against the store and the chain; return (bundles checked, problems)."""
    root = evidence_root(db, policy)
    problems: list[str] = []
    rows = list(db.query("SELECT * FROM evidence_bundles ORDER BY seq"))
    prev: str | None = None
    for row in rows:
        label = f"bundle {row['seq']} ({row['lead_id']}, {root / row['folder']})"
        if row["prev_manifest_sha256"] != prev:
            problems.append(f"{label}: chain broken: the store's record does not follow bundle {row['seq'] - 1}")
        prev = row["manifest_sha256"]
        folder = root / row["folder"]
        if not folder.is_dir():
            problems.append(f"{label}: deleted (folder missing)")
            continue
        mpath = folder / MANIFEST
        if not mpath.is_file():
            problems.append(f"{label}: {MANIFEST} deleted")
            continue
        if sha256_file(mpath) != row["manifest_sha256"]:
            problems.append(f"{label}: {MANIFEST} altered (digest differs from the one recorded at capture)")
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
            listed = manifest["files"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            problems.append(f"{label}: {MANIFEST} unreadable")
            continue
        if manifest.get("previous_manifest_sha256") != row["prev_manifest_sha256"]:
            problems.append(f"{label}: {MANIFEST} chain link altered")
        for name, meta in sorted(listed.items()):
            f = folder / name
            if not f.is_file():
                problems.append(f"{label}: file deleted: {name}")
            elif sha256_file(f) != meta.get("sha256"):
                problems.append(f"{label}: file altered: {name}")
        present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
        for extra in sorted(present - set(listed) - {MANIFEST}):
            problems.append(f"{label}: file added: {extra}")
    recorded = {r["folder"] for r in rows}
    if root.is_dir():
        for d in sorted(root.iterdir()):
            if d.is_dir() and not d.name.startswith(".") and d.name not in recorded:
                problems.append(f"{d}: bundle folder not recorded in the store")
    return len(rows), problems
