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
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
@pass_ctx
@fail_cleanly
def crawl(ctx: Ctx, name: str, base_url: str | None, spider: str | None, queries: tuple[str, ...],
          max_pages: int | None, verbose: bool) -> None:
    """Crawl the marketplace NAME, store its listings and score them.

    \b
    Example:
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000 -q gucci --max-pages 3
    """
    from brandsweep.crawl import run_crawl

    if not base_url:
        raise click.UsageError(f"no address for marketplace {name!r}: pass --base-url URL")
    summary = run_crawl(ctx.db_path, spider or name, base_url=base_url, marketplace=name,
                        queries=list(queries) or None, max_pages=max_pages,
                        log_level="INFO" if verbose else "WARNING")
    click.echo(
        f"run {summary.run_id} {summary.marketplace}: {summary.status}; "
        f"{summary.stat('downloader/response_count')} responses, "
        f"{summary.stat('brandsweep/listings_stored')} listings stored, "
        f"{summary.stat('brandsweep/leads_matched')} leads"
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
    counts = do_rematch(db, build_matcher(db))
    click.echo(
        f"re-scored {counts['listings']} listings: {counts['leads']} leads "
        f"({counts['leads/new']} new, {counts['leads/dropped']} no longer leads)"
    )


