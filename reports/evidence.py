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

Host safety, as for the crawler (``crawler/marketplaces.py``): the page is fetched from the
listing's own URL only; every request the page makes to another host is aborted, a redirect off
the listing's host fails the capture, and private, loopback and link-local addresses are refused
unless the marketplace's built-in entry allows them (the bundled test marketplaces run on
loopback).

Errors: :class:`~brandsweep.core.errors.EvidenceError` (a capture could not be made: lead unknown,
host refused, page failed), from the one error tree in ``core/errors.py``.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import json
import math
import os
import shutil
import socket
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from brandsweep.core import __version__
from brandsweep.core.errors import EvidenceError
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


# --- host safety -----------------------------------------------------------------------------

def check_host(url: str, platform: str) -> str:
    """Return the listing's host if a capture may fetch ``url``; raise :class:`EvidenceError` if not."""
    from brandsweep.core.marketplaces import BUILTIN

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EvidenceError(f"{url}: not an http(s) URL")
    entry = BUILTIN.get(platform)
    allow_private = bool(entry and entry.allow_private_addresses)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except OSError as exc:
        raise EvidenceError(f"{url}: cannot resolve {parts.hostname}: {exc}") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global and not allow_private:
            raise EvidenceError(f"{url}: {parts.hostname} resolves to non-public address {addr}; refused "
                                f"(only the bundled test marketplaces may be on private addresses)")
    return parts.hostname


# --- capture ---------------------------------------------------------------------------------

def capture(db: Database, lead_ids: Iterable[str], *, policy: EvidencePolicy | None = None,
            on_error: Any = None) -> list[Bundle]:
    """Capture a bundle for each lead (live page fetch in real Chromium); return the bundles made.

    A lead whose capture fails is reported through ``on_error(lead_id, message)`` (or raises if
    no callback is given); the others go on.
    """
    from playwright.sync_api import sync_playwright

    pol = policy or EvidencePolicy()
    root = evidence_root(db, pol)
    root.mkdir(parents=True, exist_ok=True)
    made: list[Bundle] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
                                     args=list(CHROMIUM_ARGS), headless=True)
        try:
            for lead_id in lead_ids:
                try:
                    made.append(_capture_one(db, lead_id, browser, root, pol))
                except (EvidenceError, OSError) as exc:
                    if on_error is None:
                        raise
                    on_error(lead_id, str(exc))
        finally:
            browser.close()
    return made


def _capture_one(db: Database, lead_id: str, browser: Any, root: Path, pol: EvidencePolicy) -> Bundle:
    from playwright.sync_api import Error as PlaywrightError

    lead = _one(db, "SELECT * FROM leads WHERE lead_id = ?", lead_id)
    if lead is None:
        raise EvidenceError(f"no such lead: {lead_id}")
    key = [lead["platform"], lead["listing_id"]]
    listing = _one(db, "SELECT * FROM listings WHERE platform = ? AND listing_id = ?", *key)
    if listing is None:
        raise EvidenceError(f"{lead_id}: its listing is not in the store")
    url = listing["url"]
    host = check_host(url, lead["platform"])
    captured_at = utcnow()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, ignore_https_errors=False)
    try:
        page = context.new_page()
        page.set_default_timeout(pol.timeout_s * 1000)
        refused: list[str] = []

        def gate(route: Any) -> None:
            req_url = route.request.url
            if req_url.startswith("data:") or urlsplit(req_url).hostname == host:
                route.continue_()
            else:
                refused.append(req_url)
                route.abort()

        page.route("**/*", gate)
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as exc:
            raise EvidenceError(f"{lead_id}: {url}: page could not be loaded: {exc.message.splitlines()[0]}") from exc
        if response is None:
            raise EvidenceError(f"{lead_id}: {url}: no response")
        if urlsplit(response.url).hostname != host:
            raise EvidenceError(f"{lead_id}: {url}: redirected off the listing's host to {response.url}; refused")
        body = response.body()
        warc = _warc(response.request, response, body)
        screenshot = page.screenshot(full_page=True, type="png")
        status, final_url = response.status, response.url
        browser_version = browser.version
    finally:
        context.close()
    files: dict[str, bytes] = {"page.warc.gz": warc, "screenshot.png": screenshot}
    for pos, sha in db.execute("SELECT position, sha256 FROM listing_images WHERE platform = ? AND listing_id = ? "
                               "AND sha256 IS NOT NULL ORDER BY position", key):
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
            "listing_id": lead["listing_id"], "url": url, "final_url": final_url, "http_status": status,
            "captured_at": captured_at, "tool": {"name": "brandsweep", "version": __version__},
            "browser": {"name": "chromium", "version": browser_version}, "refused_requests": refused[:50],
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


def _warc(request: Any, response: Any, body: bytes) -> bytes:
    """Request and response records (gzipped WARC/1.1). Playwright hands over the decoded body, so a
    ``Content-Encoding`` header is kept as ``X-Original-Content-Encoding``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.1")
    parts = urlsplit(response.url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    req_headers = [(h["name"], h["value"]) for h in request.headers_array() if not h["name"].startswith(":")]
    req = writer.create_warc_record(response.url, "request", http_headers=StatusAndHeaders(
        f"{request.method} {path} HTTP/1.1", req_headers, is_http_request=True))
    headers = []
    for h in response.headers_array():
        name = h["name"]
        if name.lower() in ("content-encoding", "transfer-encoding"):
            name = "X-Original-" + name
        elif name.lower() == "content-length":
            continue
        headers.append((name, h["value"]))
    headers.append(("Content-Length", str(len(body))))
    resp = writer.create_warc_record(
        response.url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders(f"{response.status} {response.status_text or 'OK'}", headers,
                                      protocol="HTTP/1.1"))
    writer.write_record(req)
    writer.write_record(resp)
    return buf.getvalue()


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
