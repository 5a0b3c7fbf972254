"""``brandsweep leads``: export and manage leads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.core.errors import ExportError, LeadNotFound
from brandsweep.store.leads import LEAD_STATUSES


@cli.group()
def leads() -> None:
    """Leads: suspicious listings with a score and the reasons behind it."""


def configured(ctx: Ctx, section: str) -> Any:
    """A parsed section of the configuration file (--config, env BRANDSWEEP_CONFIG, ./brandsweep.toml), or None."""
    return getattr(ctx.config(), section, None)


def profile_named(ctx: Ctx, name: str) -> Any:
    from brandsweep.reports.profiles import ExportProfile, get_profile

    extra = {k: v for k, v in (configured(ctx, "export_profiles") or {}).items() if isinstance(v, ExportProfile)}
    try:
        return get_profile(name, extra)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc


def referral_policy(ctx: Ctx) -> Any:
    from brandsweep.reports.referral import ReferralPolicy

    policy = configured(ctx, "referral")
    return policy if isinstance(policy, ReferralPolicy) else ReferralPolicy()


@leads.command("export")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write (replaced atomically); a folder with --by-jurisdiction.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="CSV (UTF-8 with BOM) or JSON Lines [default: the profile's, else csv].")
@click.option("--profile", default="default", show_default=True,
              help="Export profile: default (formats.md §3), full, cn (Chinese headers), or one from the config.")
@click.option("--since", help="Only leads first flagged at or after this ISO date/time (UTC), e.g. 2026-11-01.")
@click.option("--brand", "brands", multiple=True, help="Only this brand (id or name); repeatable.")
@click.option("--min-score", type=click.FloatRange(0, 100), help="Only leads scoring at least this.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(LEAD_STATUSES),
              help="Only leads with this status; repeatable.")
@click.option("--by-jurisdiction", is_flag=True,
              help="Write one file per competent authority into the folder -o, plus unknown.csv for the rest.")
@click.option("--mark-exported", is_flag=True,
              help="Mark what was written as exported; without --status, leave out leads already exported.")
@pass_ctx
def leads_export(ctx: Ctx, output: Path, fmt: str | None, profile: str, since: str | None, brands: tuple[str, ...],
                 min_score: float | None, statuses: tuple[str, ...], by_jurisdiction: bool,
                 mark_exported: bool) -> None:
    """Export the leads for a case system.

    \b
    Example:
      brandsweep leads export -o out/leads.csv
      brandsweep leads export -o out/leads.jsonl --format jsonl
      brandsweep leads export -o out/new.csv --profile cn --min-score 80 --status new --mark-exported
      brandsweep leads export -o out/by-authority --by-jurisdiction
    """
    from brandsweep.reports.export import LeadFilter, export
    from brandsweep.reports.networks import refresh_networks
    from brandsweep.store.db import utcnow

    prof = profile_named(ctx, profile)
    db = ctx.db(create=False)
    if since:
        since = _iso(since)
    if {"network_id", "network_size"} & set(prof.fields):
        refresh_networks(db, now=utcnow(), policy=configured(ctx, "networks"))  # [networks] applies
    with ctx.progress() as progress, progress.task(f"export {output.name}"):
        result = export(db, output, leads_only=True, fmt=fmt, profile=prof,  # type: ignore[arg-type]
                              filters=LeadFilter(since, brands, min_score, statuses), policy=referral_policy(ctx),
                              by_jurisdiction=by_jurisdiction, mark_exported=mark_exported)
    if by_jurisdiction:
        for path, n in result.files.items():
            click.echo(f"{n:6d}  {path}")
        for why, n in sorted(result.unrouted.items(), key=lambda x: -x[1]):
            click.echo(f"unrouted: {n} lead(s): {why}", err=True)
    click.echo(f"wrote {result.rows} leads to {output}" + (f"; marked {result.marked} exported" if mark_exported
                                                            else ""))


def _iso(text: str) -> str:
    """A date stays a date (``2026-11-01``); a time becomes UTC ``YYYY-MM-DDTHH:MM:SSZ``, as stored."""
    from datetime import UTC, date, datetime

    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO date or time: {text!r}", param_hint="--since") from exc
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.replace(microsecond=0).isoformat() + "Z"


@leads.command("mark")
@click.argument("lead_id")
@click.option("--status", type=click.Choice(LEAD_STATUSES), help="New status.")
@click.option("--note", help="A note to keep with the lead (recorded in its history).")
@pass_ctx
def leads_mark(ctx: Ctx, lead_id: str, status: str | None, note: str | None) -> None:
    """Set a lead's status and/or add a note; every change is kept in the lead's history.

    \b
    Example:
      brandsweep leads mark L-3f2a9c0d1e2b --status reviewed --note "seller confirmed in Putian"
      brandsweep leads mark L-3f2a9c0d1e2b --status dismissed --note "authorized reseller"
    """
    from brandsweep.store.db import utcnow
    from brandsweep.store.leads import mark_lead

    if status is None and note is None:
        raise click.UsageError("give --status, --note or both")
    row = mark_lead(ctx.db(create=False), lead_id, status=status, note=note, now=utcnow())
    click.echo(f"{row['lead_id']}: {row['status']}" + (f" ({row['note']})" if row["note"] else ""))


@leads.command("history")
@click.argument("lead_id")
@pass_ctx
def leads_history(ctx: Ctx, lead_id: str) -> None:
    """Show every recorded change of a lead (marks and exports), oldest first.

    \b
    Example:
      brandsweep leads history L-3f2a9c0d1e2b
    """
    from brandsweep.store.leads import lead_history

    events = lead_history(ctx.db(create=False), lead_id)
    if not events:
        raise LeadNotFound(f"no lead {lead_id!r}")
    for e in events:
        change = f"{e['old_status'] or '-'} -> {e['new_status'] or '-'}"
        click.echo(f"{e['at']}  {e['kind']:6s}  {change}  {e['note'] or ''}")
