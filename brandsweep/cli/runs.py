"""``brandsweep runs``: the history of crawls, feed imports and scheduled runs."""

from __future__ import annotations

import json

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.core.errors import RunNotFound


def _duration(s: float | None) -> str:
    if s is None:
        return "running"
    return f"{s:.0f}s" if s < 120 else f"{s / 60:.1f}m"


@cli.group(invoke_without_command=True)
@click.option("-n", "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Runs to show.")
@click.option("-m", "--marketplace", help="Only runs of this marketplace.")
@click.option("--kind", help="Only runs of this kind (crawl, feed, ...).")
@click.pass_context
def runs(cctx: click.Context, limit: int, marketplace: str | None, kind: str | None) -> None:
    """List recent runs: pages, listings new/changed/gone, new leads, errors by reason, duration.

    \b
    Example:
      brandsweep runs
      brandsweep runs -m shopfront -n 5
      brandsweep runs show 12
    """
    if cctx.invoked_subcommand is not None:
        return
    from brandsweep.runs import list_runs

    ctx: Ctx = cctx.obj
    db = ctx.db(create=False)
    try:
        found = list_runs(db, limit=limit, marketplace=marketplace, kind=kind)
    finally:
        db.close()
    if ctx.as_json:
        for r in found:
            click.echo(json.dumps(r.as_dict(), ensure_ascii=False))
        return
    if not found:
        click.echo("no runs yet")
        return
    from brandsweep.cli.table import print_table

    headers = ("id", "kind", "marketplace", "started (UTC)", "status", "pages", "new", "changed", "gone",
               "new leads", "errors", "duration")
    rows = [(str(r.id), r.kind, r.marketplace or "", r.started_at, r.status, str(r.pages), str(r.listings_new),
             str(r.listings_changed), str(r.listings_gone), str(r.leads_new),
             ", ".join(f"{k} {v}" for k, v in r.errors.most_common(3)) or "-", _duration(r.duration_s))
            for r in found]
    print_table(headers, rows, right=("id", "pages", "new", "changed", "gone", "new leads"))


@runs.command("show")
@click.argument("run_id", type=int)
@pass_ctx
def runs_show(ctx: Ctx, run_id: int) -> None:
    """Details of one run: counts, every error reason, the new leads, and the raw stats.

    \b
    Example:
      brandsweep runs show 12
    """
    from brandsweep.runs import get_run, run_leads

    db = ctx.db(create=False)
    try:
        run = get_run(db, run_id)
        if run is None:
            raise RunNotFound(f"no run with id {run_id} (see 'brandsweep runs')")
        leads = run_leads(db, run_id)
    finally:
        db.close()
    if ctx.as_json:
        click.echo(json.dumps({**run.as_dict(), "new_leads": leads, "stats": run.stats}, ensure_ascii=False,
                              default=str))
        return
    d = run.as_dict()
    for key in ("id", "kind", "marketplace", "source", "status", "started_at", "finished_at"):
        click.echo(f"{key:18} {d[key] if d[key] is not None else '-'}")
    click.echo(f"{'duration':18} {_duration(run.duration_s)}")
    click.echo(f"{'pages':18} {run.pages}")
    click.echo(f"{'listings':18} {run.listings_new} new, {run.listings_changed} changed, {run.listings_gone} gone, "
               f"{run.listings_unchanged} unchanged")
    click.echo(f"{'new leads':18} {run.leads_new}")
    click.echo(f"{'photos':18} {run.photos_read} read, {run.photos_text} with text, {run.photos_logos} with a logo, "
               f"{run.photos_timeout} timed out")
    click.echo("errors by reason:" + ("" if run.errors else " none"))
    for reason, n in run.errors.most_common():
        click.echo(f"  {n:6}  {reason}")
    if leads:
        click.echo(f"new leads (best {len(leads)}):")
        for lead in leads:
            click.echo(f"  {lead['score']:5.1f}  {lead['lead_id']}  {lead['brand'] or '-'}  {lead['title'] or ''}")
    click.echo("stats:")
    for key in sorted(run.stats):
        click.echo(f"  {key}: {run.stats[key]}")
