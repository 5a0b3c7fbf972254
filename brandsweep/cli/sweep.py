"""``brandsweep sweep``: search every marketplace for one or more brands, now."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.core.errors import PartlyDone

TABLE_ROWS = 50


@cli.command()
@click.argument("brands", nargs=-1, required=True)
@click.option("-m", "--marketplace", "only", multiple=True,
              help="Sweep only this marketplace (repeatable; default: every configured one, else the bundled "
                   "test marketplaces).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Result pages followed per search term "
              "(default: [sweep] max_pages, 5).")
@click.option("--exact", is_flag=True, help="Search only the catalog names and aliases, not disguised spellings.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Lead file to write (CSV; default out/sweep-BRANDS-TIME.csv).")
@pass_ctx
def sweep(ctx: Ctx, brands: tuple[str, ...], only: tuple[str, ...], max_pages: int | None, exact: bool,
          output: Path | None) -> None:
    """Search the marketplaces for BRANDS now: crawl the results, match, list the leads, write the CSV.

    Each BRAND is a catalog brand id, name or alias. Besides the names and aliases, the sweep searches
    the spellings sellers disguise a brand with that a marketplace's search still finds (no accents,
    words run together, doubled letters single, digits for letters, pinyin). Only search results are
    crawled, not the whole site; each marketplace runs in its own process. Exit status 1 if a crawl
    failed (the leads found elsewhere are still written).

    \b
    Example:
      brandsweep sweep gucci
      brandsweep sweep "Louis Vuitton" chanel --marketplace shopfront --max-pages 2 -o out/lv.csv
    """
    from brandsweep.sweep import run_sweep

    config = ctx.config()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    slug = "-".join(b.lower().replace(" ", "_") for b in brands)[:60]
    output = output or Path("out") / f"sweep-{slug}-{stamp}.csv"
    with ctx.progress() as progress:
        result = run_sweep(ctx.db_path, brands,
                           marketplaces=dict(config.marketplaces), only=only or None,
                           max_pages=max_pages or config.sweep.max_pages,
                           spellings=config.sweep.spellings and not exact, parallel=config.sweep.parallel,
                           output=output, progress=progress, config_path=config.path)
    if not ctx.as_json:
        _print_table(result.leads)
    for c in result.crawls:
        if c.status != "ok":
            click.echo(f"brandsweep: warning: crawl of {c.marketplace} {c.status}: {c.error}", err=True)
    ctx.result(
        f"{len(result.leads)} leads for {', '.join(result.brands)} on "
        f"{', '.join(c.marketplace for c in result.crawls)}; lead file: {result.output}",
        brands=result.brands, leads=len(result.leads), output=str(result.output),
        runs={c.marketplace: c.run_id for c in result.crawls},
    )
    if not result.ok:
        failed = [c.marketplace for c in result.crawls if c.status != "ok"]
        raise PartlyDone(f"the crawl of {', '.join(failed)} did not finish; the leads found elsewhere were written")


def _print_table(rows: list[dict[str, Any]]) -> None:
    from brandsweep.cli.table import print_table

    if not rows:
        click.echo("no leads found")
        return
    cells = []
    for r in rows[:TABLE_ROWS]:
        price = f"{r['price']:g} {r['currency'] or ''}".strip() if r["price"] is not None else ""
        cells.append((f"{r['score']:.0f}", r["brand"] or "", r["platform"], r["listing_id"], r["title"], price,
                      r["seller_name"] or r["seller_id"] or ""))
    print_table(("score", "brand", "platform", "listing", "title", "price", "seller"), cells,
                right=("score", "price"), title=f"leads ({len(rows)})")
    if len(rows) > TABLE_ROWS:
        click.echo(f"... and {len(rows) - TABLE_ROWS} more in the lead file")
