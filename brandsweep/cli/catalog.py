"""``brandsweep catalog``: the rightsholder catalog."""

from __future__ import annotations

from pathlib import Path

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx


@cli.group()
def catalog() -> None:
    """The rightsholder catalog: registered marks, brands, products, authorized sellers."""


@catalog.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def catalog_import(ctx: Ctx, file: Path) -> None:
    """Validate and import a catalog document (all of it, or nothing).

    \b
    Example:
      brandsweep catalog import rightsholder_catalog/sample/catalog.json
    """
    from brandsweep.rightsholder_catalog import import_catalog

    db = ctx.db()
    with ctx.progress() as progress, progress.task(f"import {file.name}"):
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


