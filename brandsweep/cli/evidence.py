"""``brandsweep evidence``: capture and verify evidence bundles of leads."""

from __future__ import annotations

from collections.abc import Iterator

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx
from brandsweep.cli.leads import configured
from brandsweep.core.errors import PartlyDone


def _policy(ctx: Ctx) -> object:
    from brandsweep.reports.evidence import EvidencePolicy

    policy = configured(ctx, "evidence")
    return policy if isinstance(policy, EvidencePolicy) else EvidencePolicy()


@cli.group()
def evidence() -> None:
    """Evidence bundles: page (WARC), screenshot, images, fields, chained SHA-256 manifests."""


@evidence.command("capture")
@click.argument("lead_ids", nargs=-1)
@click.option("--all", "all_leads", is_flag=True, help="Every active lead that is not dismissed.")
@click.option("--min-score", type=click.FloatRange(0, 100), help="Every active lead scoring at least this.")
@click.option("--auto", is_flag=True,
              help="Leads at or above the configured auto-capture score ([evidence] auto_capture_score, default 90) "
                   "that have no bundle yet.")
@pass_ctx
def evidence_capture(ctx: Ctx, lead_ids: tuple[str, ...], all_leads: bool, min_score: float | None,
                     auto: bool) -> None:
    """Fetch each lead's listing page live in Chromium and fix it as an evidence bundle.

    Bundles go to the folder beside the database (``<db>.evidence/``). Only the listing's own host
    is contacted; private addresses are refused except for the bundled test marketplaces.

    \b
    Example:
      brandsweep evidence capture L-3f2a9c0d1e2b L-77aa01bc23de
      brandsweep evidence capture --min-score 90
      brandsweep evidence capture --auto
    """
    from brandsweep.reports.evidence import capture, leads_to_capture

    policy = _policy(ctx)
    db = ctx.db(create=False)
    if auto:
        score = getattr(policy, "auto_capture_score", None)
        if score is None:
            raise click.UsageError("automatic capture is off ([evidence] auto_capture_score is not set)")
        ids = leads_to_capture(db, min_score=score, only_missing=True)
    else:
        ids = leads_to_capture(db, lead_ids=lead_ids, all_leads=all_leads, min_score=min_score)
    failed: list[str] = []

    def on_error(lead_id: str, message: str) -> None:
        failed.append(lead_id)
        click.echo(f"brandsweep: error: {message}", err=True)

    with ctx.progress() as progress, progress.task("evidence capture", total=len(ids)) as task:
        def counted() -> Iterator[str]:
            for n, lead_id in enumerate(ids):
                task.update(n, captured=n - len(failed), failed=len(failed))
                yield lead_id
            task.update(len(ids), captured=len(ids) - len(failed), failed=len(failed))

        bundles = capture(db, counted(), policy=policy, on_error=on_error)  # type: ignore[arg-type]
    for b in bundles:
        click.echo(f"{b.lead_id}  {b.manifest_sha256}  {b.folder}")
    click.echo(f"captured {len(bundles)} of {len(ids)} lead(s)" + (f"; {len(failed)} failed" if failed else ""))
    if failed:
        raise PartlyDone(f"{len(failed)} of {len(ids)} capture(s) failed")


@evidence.command("verify")
@pass_ctx
def evidence_verify(ctx: Ctx) -> None:
    """Check every bundle: files against their manifest, manifests against the store and the chain.

    Prints OK, or each altered, added or deleted file and each missing bundle; exit status 1 then.

    \b
    Example:
      brandsweep evidence verify
    """
    from brandsweep.reports.evidence import verify

    n, problems = verify(ctx.db(create=False), _policy(ctx))  # type: ignore[arg-type]
    for p in problems:
        click.echo(p)
    if problems:
        raise PartlyDone(f"evidence verification FAILED: {len(problems)} problem(s) in {n} bundle(s)")
    click.echo(f"OK: {n} bundle(s) verified")
