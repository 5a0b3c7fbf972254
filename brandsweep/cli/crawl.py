"""``brandsweep crawl`` and ``brandsweep rematch``."""

from __future__ import annotations

import click

from brandsweep.cli.base import Ctx, cli, fail_cleanly, pass_ctx
from brandsweep.errors import BrandsweepError


@cli.command()
@click.argument("name")
@click.option("--base-url", help="Where the marketplace is, e.g. http://127.0.0.1:8000.")
@click.option("--spider", help="Spider to use (default: the one named NAME).")
@click.option("-q", "--query", "queries", multiple=True,
              help="Search for this term (repeatable; default: every catalog brand name and alias).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Result pages to follow per search.")
@click.option("--browse/--no-browse", default=True, show_default=True,
              help="Also walk the category pages (--no-browse: only the search results).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
@pass_ctx
@fail_cleanly
def crawl(ctx: Ctx, name: str, base_url: str | None, spider: str | None, queries: tuple[str, ...],
          max_pages: int | None, browse: bool, verbose: bool) -> None:
    """Crawl the marketplace NAME, store its listings and score them.

    \b
    Example:
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000 -q gucci --max-pages 3
    """
    from brandsweep.crawl import run_crawl

    if not base_url:
        raise click.UsageError(f"no address for marketplace {name!r}: pass --base-url URL")
    with ctx.progress() as progress, progress.task(f"crawl {name}") as task:
        summary = run_crawl(ctx.db_path, spider or name, base_url=base_url, marketplace=name,
                            queries=list(queries) or None, max_pages=max_pages, browse=browse,
                            log_level="INFO" if verbose else "WARNING",
                            progress=lambda c: task.update(c["pages"], total=c["queued"], listings=c["listings"]))
    ctx.result(
        f"run {summary.run_id} {summary.marketplace}: {summary.status}; "
        f"{summary.stat('downloader/response_count')} responses, "
        f"{summary.stat('brandsweep/listings_stored')} listings stored, "
        f"{summary.stat('brandsweep/leads_matched')} leads",
        run_id=summary.run_id, marketplace=summary.marketplace, status=summary.status,
        responses=summary.stat("downloader/response_count"),
        listings=summary.stat("brandsweep/listings_stored"), leads=summary.stat("brandsweep/leads_matched"),
    )
    if summary.status != "ok":
        raise BrandsweepError(f"crawl of {name} ended with status {summary.status}")


@cli.command()
@pass_ctx
@fail_cleanly
def rematch(ctx: Ctx) -> None:
    """Re-score every stored listing against the current catalog, without recrawling.

    \b
    Example:
      brandsweep catalog import catalog-v2.json && brandsweep rematch
    """
    from brandsweep.matching import build_matcher
    from brandsweep.matching import rematch as do_rematch

    db = ctx.db(create=False)
    with ctx.progress() as progress, progress.task("rematch") as task:
        counts = do_rematch(db, build_matcher(db), progress=lambda done, total: task.update(done, total=total))
    ctx.result(
        f"re-scored {counts['listings']} listings: {counts['leads']} leads "
        f"({counts['leads/new']} new, {counts['leads/dropped']} no longer leads)",
        **counts,
    )


