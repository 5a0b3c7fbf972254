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




@catalog.command("variants")
@click.argument("brand")
@pass_ctx
def catalog_variants(ctx: Ctx, brand: str) -> None:
    """Every spelling of BRAND (its id or name) the text matcher accepts, and why.

    \b
    Kinds: name, alias, mark (as written, folded, camel split, joined, without 'the'), pinyin
    (of a Chinese name), partial (first/last two characters of a longer Chinese name), truncated
    (a Latin name without two letters at either end), homophone (same or near pinyin, one
    character in common), typo (one edit; two edits or cut short beside counterfeit wording),
    codename (X家). "needs" says which forms count only with brand context (an ordinary word)
    or only with strong context (counterfeit wording, a model word, a low price).

    \b
    Example:
      brandsweep catalog variants patek-philippe
    """
    from brandsweep.cli.table import print_table
    from brandsweep.rightsholder_catalog.variants import UnknownBrand, brand_variants

    try:
        brand_id, spellings = brand_variants(ctx.db(create=False), brand, ctx.config().matchers)
    except UnknownBrand as e:
        raise click.BadParameter(str(e), param_hint="BRAND") from None
    if ctx.as_json:
        import json

        for s in spellings:
            click.echo(json.dumps({"brand": brand_id, "spelling": s.text, "kind": s.kind, "why": s.why,
                                   "needs": s.needs_context or None}, ensure_ascii=False))
        return
    print_table(["spelling", "kind", "needs", "why"],
                [[s.text, s.kind, s.needs_context or "-", s.why] for s in spellings],
                title=f"{brand_id}: {len(spellings)} spellings")
