"""``brandsweep demo``: the whole job on the bundled test marketplace."""

from __future__ import annotations

from pathlib import Path

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx


@cli.command()
@click.option("--size", default=300, show_default=True, type=click.IntRange(min=10), help="Listings to generate.")
@click.option("--seed", default=7, show_default=True, help="Seed of the test marketplace.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the lead file.")
@pass_ctx
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

    run_demo(ctx.db_path, size=size, seed=seed, out_dir=out_dir, echo=click.echo, config_path=ctx.config().path)


