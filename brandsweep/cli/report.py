"""``brandsweep report``: one self-contained HTML report of the leads."""

from __future__ import annotations

from pathlib import Path

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.cli.leads import referral_policy


@cli.command("report")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (replaced atomically).")
@pass_ctx
def report(ctx: Ctx, output: Path) -> None:
    """Write the HTML report: leads by brand with images, reasons, networks, authorities and charts.

    The file is self-contained (images inlined) and runs no script.

    \b
    Example:
      brandsweep report -o out/report.html
    """
    from brandsweep.reports.html_report import write_report

    size = write_report(ctx.db(create=False), output, policy=referral_policy(ctx), network_policy=ctx.config().networks)
    click.echo(f"wrote {output} ({size / 1024:,.0f} KiB)")
