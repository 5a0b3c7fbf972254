"""``brandsweep crawl`` and ``brandsweep rematch``."""

from __future__ import annotations

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.core.errors import CrawlError


@cli.command()
@click.argument("name", required=False)
@click.option("--base-url", help="Where the marketplace is, e.g. http://127.0.0.1:8000.")
@click.option("--url", "site_url", help="Crawl any site publishing schema.org Products from this URL "
              "(its sitemaps when it is the site's root); only this host is fetched, unless a "
              "[marketplaces.NAME] entry for it (by NAME or by its base_url's host) allows more.")
@click.option("--render-js", is_flag=True, help="With --url: render pages in Chromium (sites that need script).")
@click.option("--spider", help="Spider to use (default: the one named NAME).")
@click.option("-q", "--query", "queries", multiple=True,
              help="Search for this term (repeatable; default: every catalog brand name and alias).")
@click.option("--max-pages", type=click.IntRange(min=1),
              help="Pages to follow per list, in the spider's unit (result pages, 'Load more' presses, API pages); "
                   "default: the marketplace's max_pages, else the spider's own.")
@click.option("--browse/--no-browse", default=True, show_default=True,
              help="Also walk the category pages (--no-browse: only the search results).")
@click.option("--no-search", is_flag=True, help="Do not search: only walk the category pages.")
@click.option("--distributed", is_flag=True,
              help="Do not crawl here: seed the crawl into Redis (--redis) for `brandsweep worker` processes "
                   "on any number of hosts, and return.")
@click.option("--redis", "redis_url", envvar="BRANDSWEEP_REDIS", metavar="URL",
              help="With --distributed: the Redis server, e.g. redis://10.0.0.5:6379/0 (env BRANDSWEEP_REDIS).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
@pass_ctx
def crawl(ctx: Ctx, name: str | None, base_url: str | None, site_url: str | None, render_js: bool,
          spider: str | None, queries: tuple[str, ...], max_pages: int | None, browse: bool, no_search: bool,
          distributed: bool, redis_url: str | None, verbose: bool) -> None:
    """Crawl the marketplace NAME, store its listings and score them.

    \b
    Example:
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000 -q gucci --max-pages 3
      brandsweep crawl --url https://shop.example/
      brandsweep crawl shopfront --base-url URL --distributed --redis redis://10.0.0.5:6379/0

    --distributed seeds the crawl for `brandsweep worker` processes and returns (README "Scaling").
    The summary line counts failures by reason; `brandsweep runs` lists past runs.
    """
    from brandsweep.crawl import run_crawl, site_config

    config = None
    if site_url:
        config = site_config(site_url, name=name, render_js=render_js, configured=ctx.config().marketplaces)
        name, spider, base_url = config.name, "schemaorg", site_url
    if not name:
        raise click.UsageError("name a marketplace (brandsweep crawl NAME --base-url URL) or pass --url URL")
    configured = None if config else ctx.config().marketplaces.get(name)  # [marketplaces.NAME] in the config file
    if configured is not None:
        base_url = base_url or configured.base_url
        spider = spider or configured.spider
        config = configured.with_base_url(base_url) if base_url else configured
    if not base_url:
        raise click.UsageError(f"no address for marketplace {name!r}: pass --base-url URL")
    if distributed:
        if not redis_url:
            raise click.UsageError("--distributed needs --redis URL (or env BRANDSWEEP_REDIS)")
        from brandsweep.distributed import seed_crawl

        seeded = seed_crawl(ctx.db_path, redis_url, spider or name, base_url=base_url, marketplace=name,
                            queries=[] if no_search else (list(queries) or None), max_pages=max_pages,
                            browse=browse, config=config, matchers=ctx.config().matchers)
        ctx.result(f"run {seeded.run_id} {seeded.name}: seeded {seeded.queued} start request(s) into {redis_url}; "
                   f"start workers: brandsweep --db {ctx.db_path} worker --redis {redis_url}",
                   run_id=seeded.run_id, marketplace=seeded.name, status="seeded", queued=seeded.queued)
        return
    if redis_url:
        raise click.UsageError("--redis is for --distributed crawls")
    with ctx.progress() as progress, progress.task(f"crawl {name}") as task:
        summary = run_crawl(ctx.db_path, spider or name, base_url=base_url, marketplace=name, blobs=ctx.blobs,
                            queries=[] if no_search else (list(queries) or None), max_pages=max_pages,
                            browse=browse, config=config, matchers=ctx.config().matchers,
                            log_level="INFO" if verbose else "WARNING",
                            progress=lambda c: task.update(c["pages"], total=c["queued"], listings=c["listings"]))
    ctx.result(
        f"run {summary.run_id} {summary.marketplace}: {summary.status}; "
        f"{summary.stat('downloader/response_count')} responses, "
        f"{summary.stat('brandsweep/listings_stored')} listings stored, "
        f"{summary.stat('brandsweep/leads_matched')} leads; listings {summary.stat('brandsweep/listings/new')} new, "
        f"{summary.stat('brandsweep/listings/changed')} changed, {summary.stat('brandsweep/listings/gone')} gone "
        f"({summary.stats.get('brandsweep/scope', 'partial')} run); "
        f"photos {summary.stat('brandsweep/photos/read')} read, "
        f"{summary.stat('brandsweep/photos/text_found')} with text, {summary.stat('brandsweep/photos/logos_found')} "
        f"with a logo, {summary.stat('brandsweep/photos/timeout')} timed out"
        + summary.capped_text() + summary.failures_text(),
        run_id=summary.run_id, marketplace=summary.marketplace, status=summary.status,
        responses=summary.stat("downloader/response_count"),
        listings=summary.stat("brandsweep/listings_stored"), leads=summary.stat("brandsweep/leads_matched"),
        failures=summary.failures(), photos_read=summary.stat("brandsweep/photos/read"),
        photos_text=summary.stat("brandsweep/photos/text_found"),
        photos_logos=summary.stat("brandsweep/photos/logos_found"),
        photos_timeout=summary.stat("brandsweep/photos/timeout"),
    )
    if summary.status != "ok":
        raise CrawlError(f"crawl of {name} ended with status {summary.status}")


@cli.command()
@click.option("--read-photos", is_flag=True,
              help="Also read, with the [matchers] photo engines, the photos never read (crawled with the "
                   "engines off) or whose reading failed, from their kept bytes.")
@pass_ctx
def rematch(ctx: Ctx, read_photos: bool) -> None:
    """Re-score every stored listing against the current catalog, without recrawling.

    The configuration's [matchers] weights and thresholds apply. Images hashed by an older
    brandsweep (another hash format) are re-hashed first, from their kept bytes. What the photo
    engines read during crawls (text, logos) is reused, not read again; only photos matched
    against an older set of catalog logos are matched for logos again. Photos never read are
    read only with --read-photos (about half a second of a core each).

    \b
    Example:
      brandsweep catalog import catalog-v2.json && brandsweep rematch
      brandsweep rematch --read-photos   # after crawls with photo_ocr/photo_logos off
    """
    from brandsweep.matchers.photo_reader import settings_from
    from brandsweep.rightsholder_catalog import build_matcher
    from brandsweep.store.ingest import rematch as do_rematch
    from brandsweep.store.listings import rehash_stale_images
    from brandsweep.store.photos import read_unread, refresh_logos

    db = ctx.db(create=False)
    with ctx.progress() as progress, progress.task("rematch") as task:
        rehashed, left = rehash_stale_images(db)  # images hashed by an older brandsweep
        cfg = ctx.config().matchers
        if read_photos and not cfg.photos_on:
            raise click.UsageError("--read-photos: the photo engines are off ([matchers] photo_ocr and photo_logos)")
        # stored photo readings are reused; only logos matched against an older logo index are matched again
        relogo = refresh_logos(db, settings_from(cfg)) if cfg.photos_on else 0
        read = read_unread(db, settings_from(cfg), cfg.photo_max_images) if read_photos and cfg.photos_on else 0
        matcher = build_matcher(db, cfg)
        counts = do_rematch(db, matcher, progress=lambda done, total: task.update(done, total=total))
    ctx.result(
        f"re-scored {counts['listings']} listings: {counts['leads']} leads "
        f"({counts['leads/new']} new, {counts['leads/dropped']} no longer leads)"
        + (f"; re-hashed {rehashed} images stored in an older hash format" if rehashed else "")
        + (f"; {left} images in an older hash format have no kept bytes (re-import or recrawl them)" if left else "")
        + (f"; logos matched again in {relogo} photos (the catalog's logos changed)" if relogo else "")
        + (f"; read {read} photos never read before" if read else ""),
        **counts, images_rehashed=rehashed, images_stale=left, photos_relogo=relogo, photos_read=read,
    )


