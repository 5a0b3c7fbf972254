"""``brandsweep worker``: one worker of a distributed crawl (``brandsweep crawl --distributed``)."""

from __future__ import annotations

import click

from brandsweep.cli.base import Ctx, cli, pass_ctx


@cli.command()
@click.option("--redis", "redis_url", envvar="BRANDSWEEP_REDIS", metavar="URL", required=True,
              help="The Redis server the crawl was seeded into, e.g. redis://10.0.0.5:6379/0 (env BRANDSWEEP_REDIS).")
@click.option("--crawl", "crawl_name", metavar="NAME",
              help="Which seeded crawl to work on (default: the one seeded first).")
@click.option("--lease", type=click.FloatRange(min=1, min_open=False), default=30.0, show_default=True,
              metavar="SECONDS", help="A worker silent this long counts as dead and its unfinished requests "
                                      "are crawled again by the others; each worker renews its own every "
                                      "SECONDS/3.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
@pass_ctx
def worker(ctx: Ctx, redis_url: str, crawl_name: str | None, lease: float, verbose: bool) -> None:
    """Crawl from a shared Redis frontier into the store until nothing is left anywhere.

    Start any number, on any hosts, all with the same --db (PostgreSQL for many hosts; one SQLite
    file only when they share one host). Each fetches, matches and stores what it takes from the
    frontier. It ends when nothing is queued or in flight on any worker, or when stopped (Ctrl-C
    finishes what it holds, then leaves). The last one out finishes the run.

    \b
    Example:
      brandsweep --db postgresql://db.example/bs crawl shopfront --base-url URL --distributed --redis redis://10.0.0.5/0
      brandsweep --db postgresql://db.example/bs worker --redis redis://10.0.0.5/0   # on each host
    """
    from brandsweep.core.errors import CrawlError
    from brandsweep.distributed import run_worker

    with ctx.progress() as progress, progress.task("worker") as task:
        summary = run_worker(ctx.db_path, redis_url, crawl=crawl_name, lease_s=lease, blobs=ctx.blobs,
                             log_level="INFO" if verbose else "WARNING",
                             progress=lambda c: task.update(c["pages"], total=c["queued"], listings=c["listings"]))
    run = summary.finished_run
    tail = (f"; run {summary.run_id} finished ({run.get('brandsweep/scope')} run): "
            f"{run.get('brandsweep/listings_stored', 0)} listings stored by all workers, "
            f"{run.get('brandsweep/listings/new', 0)} new, {run.get('brandsweep/distributed/workers_lost', 0)} "
            "worker(s) lost" if run else "")
    ctx.result(
        f"worker {summary.worker} on {summary.name} (run {summary.run_id}): {summary.reason}; "
        f"{summary.stat('downloader/response_count')} responses, "
        f"{summary.stat('brandsweep/listings_stored')} listings stored, "
        f"{summary.stat('brandsweep/leads_matched')} leads" + tail,
        worker=summary.worker, marketplace=summary.name, run_id=summary.run_id, status=summary.reason,
        responses=summary.stat("downloader/response_count"), listings=summary.stat("brandsweep/listings_stored"),
        leads=summary.stat("brandsweep/leads_matched"), finished_run=run is not None,
    )
    if summary.reason not in ("finished", "shutdown"):
        raise CrawlError(f"worker on {summary.name} ended with status {summary.reason}")
