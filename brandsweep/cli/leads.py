"""``brandsweep leads``: export and manage leads."""

from __future__ import annotations

from pathlib import Path

import click

from brandsweep.cli.base import FORMAT_OPTION, OUTPUT_OPTION, Ctx, cli, fail_cleanly, pass_ctx


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


