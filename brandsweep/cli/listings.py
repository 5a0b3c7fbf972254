"""``brandsweep listings``: feeds in, listings out."""

from __future__ import annotations

from pathlib import Path

import click

from brandsweep.cli.base import FORMAT_OPTION, OUTPUT_OPTION, Ctx, cli, pass_ctx
from brandsweep.core.errors import PartlyDone


@cli.group()
def listings() -> None:
    """Stored listings: import platform feeds, export everything with its best match."""


@listings.command("import")
@click.argument("feed", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that match listings (default: [feeds] workers, else one per core; 1: match in "
                   "this process).")
@pass_ctx
def listings_import(ctx: Ctx, feed: Path, workers: int | None) -> None:
    """Import a platform listing feed (JSON Lines), store and score every good line.

    Bad lines are reported with their line number and skipped; the exit status is then 1.
    Listings are matched in worker processes while this one stores them, in file order.

    \b
    Example:
      brandsweep listings import partner-feed-2026-11-28.jsonl
    """
    from brandsweep.feed import import_feed
    from brandsweep.rightsholder_catalog import build_matcher

    db = ctx.db()
    with ctx.progress() as progress, progress.task(f"import {feed.name}") as task:
        config = ctx.config()
        matcher = build_matcher(db, config.matchers)
        result = import_feed(db, feed, matcher, progress=lambda lines: task.update(lines),
                             workers=workers or config.feeds.workers)
    for lineno, why in result.errors:
        click.echo(f"{feed}:{lineno}: refused: {why}", err=True)
    c = result.counts
    click.echo(
        f"imported {result.imported} of {result.lines} lines from {feed} (run {result.run_id}): "
        f"{c.get('listings/new', 0)} new, {c.get('listings/changed', 0)} changed, "
        f"{c.get('listings/unchanged', 0)} unchanged; {c.get('leads/new', 0)} new leads"
    )
    if result.errors:
        raise PartlyDone(f"{len(result.errors)} line(s) of {feed} refused")


@listings.command("export")
@OUTPUT_OPTION
@FORMAT_OPTION
@pass_ctx
def listings_export(ctx: Ctx, output: Path, fmt: str) -> None:
    """Export every stored listing with its best match: the columns of docs/formats.md §3, then
    image_urls (the listing's image URLs, space-separated; a list in JSON Lines).

    \b
    Example:
      brandsweep listings export -o out/listings.csv
    """
    from brandsweep.reports.export import export
    from brandsweep.reports.profiles import builtin_profiles

    with ctx.progress() as progress, progress.task(f"export {output.name}"):
        n = export(ctx.db(create=False), output, leads_only=False, fmt=fmt,  # type: ignore[arg-type]
                   profile=builtin_profiles()["listings"]).rows
    click.echo(f"wrote {n} listings to {output}")


