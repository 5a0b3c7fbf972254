"""``brandsweep schedule``: scheduled crawls from ``[schedules.NAME]`` tables."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.core.errors import PartlyDone


@cli.group()
def schedule() -> None:
    """Scheduled crawls: cron expressions in [schedules.NAME], new leads exported per run."""


@schedule.command("list")
@pass_ctx
def schedule_list(ctx: Ctx) -> None:
    """Show each schedule, its cron expression, next run time (UTC) and last run.

    \b
    Example:
      brandsweep --config brandsweep.toml schedule list
    """
    from brandsweep.runs import schedule_runs
    from brandsweep.schedule import next_fire

    cfg = ctx.config()
    if not cfg.schedules:
        ctx.result("no schedules configured ([schedules.NAME] tables in the configuration file)", schedules=[])
        return
    now = datetime.now(UTC)
    db = ctx.db()
    try:
        rows = []
        for name, job in sorted(cfg.schedules.items()):
            last = schedule_runs(db, schedule=name, limit=1)
            rows.append({
                "name": name, "cron": job.cron, "next_run": next_fire(job.cron, now).isoformat(),
                "marketplaces": list(job.marketplaces) or ["(all)"], "brands": list(job.brands) or ["(catalog)"],
                "export_folder": str(job.folder(cfg.output.exports)),
                "last_run": (f"{last[0]['started_at']} {last[0]['status']}, {last[0]['new_leads'] or 0} new leads"
                             if last else "never"),
            })
    finally:
        db.close()
    if ctx.as_json:
        ctx.result("", schedules=rows)
        return
    for r in rows:
        click.echo(f"{r['name']}: cron {r['cron']!r}; next run {r['next_run']}; last run {r['last_run']}\n"
                   f"    marketplaces {', '.join(r['marketplaces'])}; brands {', '.join(r['brands'])}; "
                   f"exports to {r['export_folder']}")


@schedule.command("run")
@click.option("--job", "only", multiple=True, help="Run only this schedule (repeatable; default: all).")
@click.option("--max-runs", type=click.IntRange(min=1),
              help="Stop once every job has run this many times (default: run until stopped).")
@pass_ctx
def schedule_run(ctx: Ctx, only: tuple[str, ...], max_runs: int | None) -> None:
    """Run the scheduler in the foreground: start each job when its cron fires.

    Each run is a fresh process (brandsweep schedule run-once NAME); a job still running when it is
    due again is skipped, never started twice. SIGTERM or Ctrl-C stops the scheduler after the
    running jobs finish. Run it under systemd or a terminal multiplexer; see docs/analyst-guide.md.

    \b
    Example:
      brandsweep --config brandsweep.toml schedule run
      brandsweep --config brandsweep.toml schedule run --job nightly --max-runs 1
    """
    from brandsweep.schedule import run_scheduler, scheduler_command

    cfg = ctx.config()
    log = (lambda m: None) if ctx.quiet else (lambda m: click.echo(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {m}",
                                                                   err=True))
    done = run_scheduler(cfg.schedules, scheduler_command(ctx.db_path, cfg.path), log=log,
                         max_runs=max_runs, only=only or None)
    ctx.result("scheduler stopped: " + ", ".join(f"{n} {k} run(s)" for n, k in done.items()), runs=done)


@schedule.command("run-once")
@click.argument("name")
@pass_ctx
def schedule_run_once(ctx: Ctx, name: str) -> None:
    """Run the schedule NAME once now and export its new leads (what the scheduler, cron or systemd call).

    Exit status 1 if the job is already running (it never overlaps itself) or a crawl failed.

    \b
    Example:
      brandsweep --config /etc/brandsweep.toml schedule run-once nightly
    """

    from brandsweep.schedule import run_job

    cfg = ctx.config()
    with ctx.progress() as progress:
        result = run_job(ctx.db_path, cfg, name, progress=progress)
    ctx.result(f"schedule {name} run {result.run_id}: {result.status}; {result.new_leads} new leads "
               f"written to {result.export_path}",
               schedule=name, run_id=result.run_id, status=result.status, new_leads=result.new_leads,
               export_path=str(result.export_path))
    if result.status != "ok":
        raise PartlyDone(f"schedule {name} run {result.run_id} ended {result.status}")
