"""``brandsweep sweep``: search every marketplace for one brand, now.

For each brand: its name, aliases and mark words, plus the disguised spellings sellers use that a
marketplace's own search still finds (:func:`disguised_spellings`: accents dropped, words run
together, doubled letters single, digits for letters, pinyin of Chinese names). Each marketplace
is crawled in a child process (``brandsweep --json crawl NAME --no-browse -q TERM ...``: Scrapy's
reactor cannot restart, and several marketplaces run in parallel), only through search results.
The leads of those brands among the listings the sweep saw are printed and written to a file.

Without configured marketplace addresses the bundled test marketplaces are started on loopback
ports for the sweep (and the sample catalog imported if the store has none).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brandsweep.core.errors import CrawlError, SweepError
from brandsweep.core.marketplaces import BUILTIN, MarketplaceConfig
from brandsweep.fixtures_server import bundled_marketplaces
from brandsweep.progress import Progress
from brandsweep.store.db import Database

SAMPLE_CATALOG = Path(__file__).resolve().parent.parent / "rightsholder_catalog" / "sample" / "catalog.json"
_LEET = str.maketrans({"o": "0", "i": "1", "e": "3", "a": "4", "s": "5"})
_LATIN = re.compile(r"^[A-Za-z0-9 .&'\-]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    spider: str
    base_url: str
    max_pages: int | None = None
    env: tuple[tuple[str, str], ...] = ()  # extra environment for the crawl (the bundled API's key)


@dataclass(slots=True)
class CrawlOutcome:
    marketplace: str
    run_id: int | None = None
    status: str = "failed"
    listings: int = 0
    leads: int = 0
    error: str = ""


@dataclass(slots=True)
class SweepResult:
    brands: list[str]
    terms: list[str]
    crawls: list[CrawlOutcome]
    leads: list[dict[str, Any]] = field(default_factory=list)
    output: Path | None = None

    @property
    def ok(self) -> bool:
        return all(c.status == "ok" for c in self.crawls)


# --- search terms -------------------------------------------------------------------------------

def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def disguised_spellings(term: str) -> list[str]:
    """Spellings of ``term`` that sellers use and a whole-word marketplace search still finds.

    Latin names: without accents, words run together or hyphenated, doubled letters single
    (``guci``), digits for letters (``gucc1``-style leet: ``6ucc1`` is not generated, only
    o→0, i→1, e→3, a→4, s→5 all at once). Chinese names: their pinyin run together. Variants
    shorter than 3 characters are left out (too many unrelated hits).
    """
    out: list[str] = []
    base = _strip_accents(term).strip()
    if _CJK.search(term):
        from pypinyin import Style, lazy_pinyin

        syllables = [s for s in lazy_pinyin(term, style=Style.NORMAL) if s.strip() and s.isascii()]
        if syllables:
            out.append("".join(syllables))
    elif _LATIN.match(base):
        low = base.lower()
        out.append(low)
        words = low.split()
        if len(words) > 1:
            out.append("".join(words))
            out.append("-".join(words))
        out.append(re.sub(r"(.)\1", r"\1", low))
        out.append(low.translate(_LEET))
    seen = {term.casefold()}
    result = []
    for v in out:
        if len(v) >= 3 and v.casefold() not in seen:
            seen.add(v.casefold())
            result.append(v)
    return result


def resolve_brands(db: Database, names: Sequence[str]) -> list[dict[str, Any]]:
    """Catalog brands named by id, name or alias (case-insensitive); unknown names are an error."""
    rows = list(db.query("SELECT id, name, aliases FROM brands WHERE in_catalog = 1 ORDER BY id"))
    found: list[dict[str, Any]] = []
    for wanted in names:
        key = _strip_accents(wanted).casefold()
        hit = next((r for r in rows if key in {
            r["id"].casefold(), _strip_accents(r["name"]).casefold(),
            *(_strip_accents(a).casefold() for a in json.loads(r["aliases"] or "[]"))}), None)
        if hit is None:
            known = ", ".join(r["id"] for r in rows) or "none: import a catalog first"
            raise SweepError(f"no catalog brand named {wanted!r} (known brands: {known})")
        if hit not in found:
            found.append(hit)
    return found


def brand_terms(db: Database, brand_ids: Sequence[str], *, spellings: bool = True) -> list[str]:
    """Search terms for ``brand_ids``: names, aliases, mark words and (optionally) disguised spellings."""
    terms: list[str] = []
    for bid in brand_ids:
        row = db.execute("SELECT name, aliases FROM brands WHERE id = ?", [bid]).fetchone()
        if row is None:
            continue
        own = [row[0], *json.loads(row[1] or "[]")]
        own += [r[0] for r in db.execute("SELECT word FROM marks WHERE brand_id = ? AND word IS NOT NULL", [bid])]
        terms += own
        if spellings:
            for t in own:
                terms += disguised_spellings(t)
    seen: set[str] = set()
    return [t for t in terms if not (t.casefold() in seen or seen.add(t.casefold()))]  # type: ignore[func-returns-value]


# --- marketplaces --------------------------------------------------------------------------------

@contextmanager
def targets_for(marketplaces: dict[str, MarketplaceConfig], names: Sequence[str] | None,
                workdir: Path) -> Iterator[list[Target]]:
    """The marketplaces to crawl: configured ones with an address, else the bundled test ones.

    ``names`` (from ``--marketplace``) narrows the choice; a bundled marketplace without a
    configured address makes the bundled server start.
    """
    from brandsweep.crawl import spider_names

    spiders = set(spider_names())
    configured = {n: m for n, m in marketplaces.items() if m.base_url}
    wanted = list(names) if names else (list(configured) or list(BUILTIN))
    unknown = [n for n in wanted if n not in configured and n not in BUILTIN]
    if unknown:
        known = sorted(set(configured) | set(BUILTIN))
        raise SweepError(f"no marketplace named {unknown[0]!r} with an address (known: {', '.join(known)})")
    with ExitStack() as stack:
        bundled: dict[str, str] = {}
        api_key = secrets.token_hex(16)  # a fresh key for the bundled partner API, given to its crawl only
        if any(n not in configured for n in wanted):
            bundled = stack.enter_context(bundled_marketplaces(workdir / "marketplaces.log", api_key=api_key))
        targets = []
        for n in wanted:
            cfg = configured.get(n) or BUILTIN[n]
            url = cfg.base_url or bundled.get(n)
            if cfg.spider not in spiders or not url:
                continue
            if n in configured:
                targets.append(Target(n, cfg.spider, url, cfg.max_pages))
            else:
                env = ((cfg.api_key_env, api_key),) if cfg.api_key_env else ()
                targets.append(Target(n, cfg.spider, url, None, env))
        if not targets:
            raise SweepError(f"no spider available for {', '.join(wanted)}")
        yield targets


# --- crawling in child processes --------------------------------------------------------------

def crawl_in_children(db_path: str, targets: Sequence[Target], queries: Sequence[str] | None, *,
                      max_pages: int | None, progress: Progress, parallel: int = 4,
                      browse: bool = False, workdir: Path, config_path: str | None = None) -> list[CrawlOutcome]:
    """Crawl each target in its own ``brandsweep crawl`` process, ``parallel`` at a time."""
    outcomes: list[CrawlOutcome] = []
    pending = list(targets)
    running: list[tuple[subprocess.Popen[str], CrawlOutcome, threading.Thread]] = []
    try:
        while pending or running:
            while pending and len(running) < max(1, parallel):
                t = pending.pop(0)
                running.append(_start_child(db_path, t, queries, max_pages, progress, browse, workdir, config_path))
            for item in list(running):
                proc, outcome, reader = item
                if proc.poll() is None:
                    continue
                reader.join(timeout=5)
                if proc.returncode != 0 and not outcome.error:
                    log = (workdir / f"crawl-{outcome.marketplace}.log").read_text(encoding="utf-8", errors="replace")
                    outcome.error = (log.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
                if proc.returncode != 0 and outcome.status == "ok":
                    outcome.status = "failed"
                outcomes.append(outcome)
                running.remove(item)
            time.sleep(0.05)
    finally:
        for proc, _, _ in running:
            proc.terminate()
            proc.wait(timeout=30)
    return outcomes


def _start_child(db_path: str, t: Target, queries: Sequence[str] | None, max_pages: int | None,
                 progress: Progress, browse: bool, workdir: Path,
                 config_path: str | None) -> tuple[subprocess.Popen[str], CrawlOutcome, threading.Thread]:
    conf = ["--config", os.path.abspath(config_path)] if config_path else []
    cmd = [sys.executable, "-m", "brandsweep.cli", "--db", db_path, *conf, "--json", "crawl", t.name,
           "--spider", t.spider, "--base-url", t.base_url, "--browse" if browse else "--no-browse"]
    for q in queries or ():
        cmd += ["-q", q]
    pages = max_pages or t.max_pages
    if pages:
        cmd += ["--max-pages", str(pages)]
    log = (workdir / f"crawl-{t.name}.log").open("wb")
    env = {**os.environ, **dict(t.env)} if t.env else None
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8", env=env)
    log.close()
    outcome = CrawlOutcome(t.name)
    task = progress.add_task(f"crawl {t.name}")

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            kind = event.get("event")
            if kind == "progress":
                task.update(event.get("completed"), total=event.get("total"), listings=event.get("listings", 0))
            elif kind == "result":
                outcome.run_id = event.get("run_id")
                outcome.status = str(event.get("status", "failed"))
                outcome.listings = int(event.get("listings", 0))
                outcome.leads = int(event.get("leads", 0))
        task.done(outcome.status)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return proc, outcome, reader


# --- the leads of a sweep -----------------------------------------------------------------------

def leads_of(db: Database, *, brand_ids: Sequence[str] | None = None,
             platforms: Sequence[str] | None = None, run_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Active leads (export rows, formats §3) narrowed to brands, platforms and listings seen in runs."""
    from brandsweep.reports.export import export_rows

    rows = list(export_rows(db, leads_only=True))
    if brand_ids is not None:
        rows = [r for r in rows if r["brand_id"] in set(brand_ids)]
    if platforms is not None:
        rows = [r for r in rows if r["platform"] in set(platforms)]
    if run_ids is not None:
        seen = {(r["platform"], r["listing_id"]) for r in db.query(
            f"SELECT platform, listing_id FROM listings WHERE last_run_id IN ({','.join('?' * len(run_ids))})",
            list(run_ids))} if run_ids else set()
        rows = [r for r in rows if (r["platform"], r["listing_id"]) in seen]
    return rows


def write_rows(path: Path, rows: Sequence[dict[str, Any]], fmt: str = "csv", profile: Any = None) -> None:
    """Write export rows atomically with an export profile (reports.profiles; default: formats §3 columns)."""
    from brandsweep.reports import export as ex
    from brandsweep.reports.profiles import builtin_profiles

    prof = profile or builtin_profiles()["default"]
    ex.write_rows(path, list(ex.enrich(rows)), prof, fmt)  # the same writer as 'brandsweep leads export'


def run_sweep(db_path: str, brands: Sequence[str], *, marketplaces: dict[str, MarketplaceConfig],
              only: Sequence[str] | None, max_pages: int, spellings: bool, parallel: int, output: Path,
              progress: Progress, config_path: str | None = None) -> SweepResult:
    from brandsweep.store import open_db

    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="brandsweep-sweep-") as tmp:
        workdir = Path(tmp)
        with targets_for(marketplaces, only, workdir) as targets:
            db = open_db(db_path)
            try:
                if db.execute("SELECT COUNT(*) FROM brands").fetchone()[0] == 0 and all(
                        t.name in BUILTIN and not marketplaces.get(t.name) for t in targets):
                    from brandsweep.rightsholder_catalog import import_catalog

                    import_catalog(db, SAMPLE_CATALOG)
                    progress.log(f"the store had no catalog: imported the sample catalog ({SAMPLE_CATALOG.name}) "
                                 "that the bundled test marketplaces are built from")
                found = resolve_brands(db, brands)
                ids = [b["id"] for b in found]
                terms = brand_terms(db, ids, spellings=spellings)
            finally:
                db.close()
            progress.log(f"sweep {', '.join(ids)} on {', '.join(t.name for t in targets)}: "
                         f"{len(terms)} search terms ({', '.join(terms)})")
            crawls = crawl_in_children(db_path, targets, terms, max_pages=max_pages, progress=progress,
                                       parallel=parallel, workdir=workdir, config_path=config_path)
            failed = [c for c in crawls if c.run_id is None]
            if failed and len(failed) == len(crawls):
                raise CrawlError("every crawl failed: " + "; ".join(f"{c.marketplace}: {c.error}" for c in failed))
    db = open_db(db_path)
    try:
        rows = leads_of(db, brand_ids=ids, platforms=[c.marketplace for c in crawls],
                        run_ids=[c.run_id for c in crawls if c.run_id is not None])
    finally:
        db.close()
    write_rows(output, rows)
    return SweepResult(brands=ids, terms=terms, crawls=crawls, leads=rows, output=output)
