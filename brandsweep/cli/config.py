"""``brandsweep config``: check and show the configuration file."""

from __future__ import annotations

from pathlib import Path

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.core.errors import PartlyDone


@cli.group()
def config() -> None:
    """The configuration file (TOML): marketplaces, schedules, thresholds, export profiles, folders."""


@config.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def config_check(ctx: Ctx, file: Path | None) -> None:
    """Validate a configuration file; name the line and key of every problem.

    FILE defaults to --config, env BRANDSWEEP_CONFIG, or ./brandsweep.toml. Checks unknown keys,
    values (through each section's own parser), cron expressions, and that every credential
    environment variable the file names is set. Exit status 1 if there is any problem.

    \b
    Example:
      brandsweep config check brandsweep.toml
      BRANDSWEEP_CONFIG=/etc/brandsweep.toml brandsweep config check
    """
    from brandsweep.config import check_config, find_config

    path = file or find_config(ctx.config_path)
    if path is None:
        raise click.UsageError("no configuration file: pass FILE or --config, or create ./brandsweep.toml "
                               "(see brandsweep.example.toml)")
    cfg, problems = check_config(path)
    for p in problems:
        click.echo(p.format(str(path)), err=True)
    if problems:
        raise PartlyDone(f"{path}: {len(problems)} problem(s)")
    assert cfg is not None
    ctx.result(f"{path}: ok ({len(cfg.marketplaces)} marketplaces, {len(cfg.schedules)} schedules, "
               f"{len(cfg.export_profiles)} export profiles)",
               path=str(path), marketplaces=sorted(cfg.marketplaces), schedules=sorted(cfg.schedules),
               export_profiles=sorted(cfg.export_profiles))
