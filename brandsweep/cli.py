"""The ``brandsweep`` command: a thin layer over the library.

Each command calls one library function, has ``--help`` with an example, and maps expected
errors to a one-line message on stderr with exit status 1 (usage errors exit 2).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from brandsweep import __version__
from brandsweep.errors import BrandsweepError
from brandsweep.store import DEFAULT_DB, open_db

F = TypeVar("F", bound=Callable[..., Any])


def fail_cleanly(func: F) -> F:
    """Turn expected errors into ``brandsweep: error: ...`` and exit status 1, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrandsweepError as exc:
            click.echo(f"brandsweep: error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class Ctx:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path

    def db(self, *, create: bool = True) -> Any:
        return open_db(self.db_path, create=create)


pass_ctx = click.make_pass_decorator(Ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db_path", envvar="BRANDSWEEP_DB", default=DEFAULT_DB, show_default=True,
              help="SQLite store to use (env BRANDSWEEP_DB).")
@click.version_option(__version__, prog_name="brandsweep")
@click.pass_context
def cli(ctx: click.Context, db_path: str) -> None:
    """Find trademark-infringing and counterfeit listings on online marketplaces.

    \b
    Example:
      brandsweep catalog import rightsholder_catalog/sample/catalog.json
      brandsweep crawl shopfront --base-url http://127.0.0.1:8000
      brandsweep leads export -o out/leads.csv
    """
    ctx.obj = Ctx(db_path)


# --- catalog -------------------------------------------------------------------------------


@cli.group()
def catalog() -> None:
    """The rightsholder catalog: registered marks, brands, products, authorized sellers."""


@catalog.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
@fail_cleanly
def catalog_import(ctx: Ctx, file: Path) -> None:
    """Validate and import a catalog document (all of it, or nothing).

    \b
    Example:
      brandsweep catalog import rightsholder_catalog/sample/catalog.json
    """
    from rightsholder_catalog import import_catalog

    db = ctx.db()
    summary = import_catalog(db, file)
    for warning in summary.warnings:
        click.echo(f"warning: {file}: {warning}", err=True)
    click.echo(
        f"imported {file}: {summary.rightsholders} rightsholders, {summary.brands} brands, "
        f"{summary.marks} marks, {summary.products} products, {summary.images} images "
        f"({summary.inserted} rows added, {summary.updated} changed, {summary.unchanged} unchanged)"
    )
    if summary.retired_brands:
        click.echo(f"brands no longer in the catalog (history kept): {', '.join(summary.retired_brands)}")


# --- listings ------------------------------------------------------------------------------


@cli.group()
def listings() -> None:
    """Stored listings: import platform feeds, export everything with its best match."""


@listings.command("import")
@click.argument("feed", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
@fail_cleanly
def listings_import(ctx: Ctx, feed: Path) -> None:
    """Import a platform listing feed (JSON Lines), store and score every good line.

    Bad lines are reported with their line number and skipped; the exit status is then 1.

    \b
    Example:
      brandsweep listings import partner-feed-2026-11-28.jsonl
    """
    from brandsweep.feed import import_feed
    from brandsweep.matching import build_matcher

    db = ctx.db()
    result = import_feed(db, feed, build_matcher(db))
    for lineno, why in result.errors:
        click.echo(f"{feed}:{lineno}: refused: {why}", err=True)
    c = result.counts
    click.echo(
        f"imported {result.imported} of {result.lines} lines from {feed} (run {result.run_id}): "
        f"{c.get('listings/new', 0)} new, {c.get('listings/changed', 0)} changed, "
        f"{c.get('listings/unchanged', 0)} unchanged; {c.get('leads/new', 0)} new leads"
    )
    if result.errors:
        click.echo(f"brandsweep: error: {len(result.errors)} line(s) of {feed} refused", err=True)
        sys.exit(1)


FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
                             show_default=True, help="CSV (UTF-8 with BOM) or JSON Lines.")
OUTPUT_OPTION = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
                             help="File to write (replaced atomically).")


@listings.command("export")
@OUTPUT_OPTION
@FORMAT_OPTION
@pass_ctx
@fail_cleanly
def listings_export(ctx: Ctx, output: Path, fmt: str) -> None:
    """Export every stored listing with its best match.

    \b
    Example:
      brandsweep listings export -o out/listings.csv
    """
    from reports.export import export

    n = export(ctx.db(create=False), output, leads_only=False, fmt=fmt)  # type: ignore[arg-type]
    click.echo(f"wrote {n} listings to {output}")


# --- leads ---------------------------------------------------------------------------------


@cli.group()
def leads() -> None:
    """Leads: suspicious listings with a score and the reasons behind it."""


@leads.command("export")
@OUTPUT_OPTION
@FORMAT_OPTION
@pass_ctx
@fail_cleanly
def leads_export(ctx: Ctx, output: Path, fmt: str) -> None:
    """Export the leads for a case system.

    \b
    Example:
      brandsweep leads export -o out/leads.csv
      brandsweep leads export -o out/leads.jsonl --format jsonl
    """
    from reports.export import export

    n = export(ctx.db(create=False), output, leads_only=True, fmt=fmt)  # type: ignore[arg-type]
    click.echo(f"wrote {n} leads to {output}")


# --- crawling and matching -----------------------------------------------------------------


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


@cli.command()
@click.option("--size", default=300, show_default=True, type=click.IntRange(min=10), help="Listings to generate.")
@click.option("--seed", default=7, show_default=True, help="Seed of the test marketplace.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the lead file.")
@pass_ctx
@fail_cleanly
def demo(ctx: Ctx, size: int, seed: int, out_dir: Path) -> None:
    """Run the whole job on the bundled test marketplace and sample catalog.

    Starts the test marketplace on a free loopback port, imports the sample catalog, crawls,
    matches, writes OUT/leads.csv and prints a summary with precision and recall against the
    marketplace's ground truth; stops the server it started.

    \b
    Example:
      brandsweep --db out/demo.db demo --size 300 --seed 7
    """
    from brandsweep.demo import run_demo

    run_demo(ctx.db_path, size=size, seed=seed, out_dir=out_dir, echo=click.echo)


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="brandsweep")


if __name__ == "__main__":
    main()
