"""``brandsweep stats``: lead statistics by brand, platform, region, network, week and run."""

from __future__ import annotations

from pathlib import Path

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.cli.leads import referral_policy


@cli.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--charts", "charts_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write PNG bar charts (leads_by_<dimension>.png) into this folder.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (replaced atomically) instead of standard output.")
@pass_ctx
def stats(ctx: Ctx, fmt: str, charts_dir: Path | None, output: Path | None) -> None:
    """Leads by brand, platform, region, seller network and week, and new leads per run (trend).

    \b
    Example:
      brandsweep stats
      brandsweep stats --format json -o out/stats.json --charts out/charts
    """
    from brandsweep.reports.export import write_atomic
    from brandsweep.reports.networks import refresh_networks
    from brandsweep.reports.stats import charts, lead_stats, render
    from brandsweep.store.db import utcnow

    db = ctx.db(create=False)
    refresh_networks(db, now=utcnow(), policy=ctx.config().networks)  # [networks] applies
    tables = lead_stats(db, referral_policy(ctx))
    text = render(tables, fmt)
    if output:
        write_atomic(output, [text.encode("utf-8")])
        click.echo(f"wrote statistics to {output}")
    else:
        click.echo(text, nl=False)
    if charts_dir:
        made = charts(tables, charts_dir)
        click.echo(f"wrote {len(made)} chart(s) to {charts_dir}", err=True)
