"""Scheduled crawls: ``[schedules.NAME]`` jobs on cron expressions, each run in a fresh process.

Why croniter and a small loop rather than APScheduler: every job runs in a child process anyway
(Scrapy's reactor cannot restart), so all a scheduler has to do is compute the next fire time,
start ``brandsweep schedule run-once NAME`` and not start it again while it runs. croniter parses
and validates cron expressions (with an optional leading seconds field); the loop is ~60 lines
that the tests drive directly, with none of APScheduler's executors, job stores and misfire rules.

One run of a job (:func:`run_job`, also what system cron or a systemd timer calls):

1. takes the job's lock file (a second run of the same job, from any process, is refused);
2. records a ``schedule_runs`` row;
3. crawls each marketplace of the job in a child process (searching the job's brands, or every
   catalog brand);
4. writes the job's *new* leads (active leads in its scope that no earlier run of this job has
   exported) to ``EXPORT_FOLDER/NAME-YYYYmmddTHHMMSSZ-runID.csv``, atomically, and remembers them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from croniter import croniter

from brandsweep.core.errors import BrandsweepError, JobBusy, ScheduleError
from brandsweep.store.db import is_url, transaction

SCHEDULE_KEYS = ("cron", "marketplaces", "brands", "export_folder", "format", "profile", "max_pages", "spellings",
                 "timeout_s")


def _cron(expr: str) -> croniter:
    """croniter for a 5-field cron or a 6-field one whose first field is seconds."""
    return croniter(expr, datetime.now(UTC), second_at_beginning=len(expr.split()) == 6)


def next_fire(expr: str, after: datetime) -> datetime:
    it = croniter(expr, after, second_at_beginning=len(expr.split()) == 6)
    return it.get_next(datetime)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    name: str
    cron: str
    marketplaces: tuple[str, ...] = ()  # empty: every configured marketplace (else the bundled ones)
    brands: tuple[str, ...] = ()  # empty: every catalog brand; else a sweep of these brands
    export_folder: str | None = None  # default: [output] exports / NAME
    format: str = "csv"
    profile: str = "default"  # export profile: built-in (default, full, cn) or an [export_profiles.NAME]
    max_pages: int | None = None
    spellings: bool = True
    timeout_s: float = 6 * 3600.0  # a run taking longer is stopped

    @classmethod
    def from_mapping(cls, name: str, data: Mapping[str, Any]) -> ScheduleConfig:
        """Parse one ``[schedules.NAME]`` table; ``ValueError`` names the bad key."""
        for key in data:
            if key not in SCHEDULE_KEYS:
                raise ValueError(f"{key}: unknown key (known: {', '.join(SCHEDULE_KEYS)})")
        cron = data.get("cron")
        if not isinstance(cron, str) or not cron.strip():
            raise ValueError("cron: required, a cron expression like \"0 2 * * *\" (minute hour day month weekday, "
                             "optionally a leading seconds field)")
        fields = cron.split()
        if len(fields) not in (5, 6):
            raise ValueError(f"cron: {cron!r} has {len(fields)} fields; expected 5 (minute hour day month "
                             "weekday) or 6 (seconds first)")
        try:
            _cron(cron)
        except (ValueError, KeyError) as exc:
            raise ValueError(f"cron: {cron!r} is not a valid cron expression ({exc})") from exc
        kwargs: dict[str, Any] = {"name": name, "cron": " ".join(fields)}
        for key in ("marketplaces", "brands"):
            if key in data:
                value = data[key]
                if isinstance(value, str):
                    value = [value]
                if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                    raise ValueError(f"{key}: expected a list of names")
                kwargs[key] = tuple(value)
        if "export_folder" in data:
            if not isinstance(data["export_folder"], str) or not data["export_folder"]:
                raise ValueError("export_folder: expected a folder name")
            kwargs["export_folder"] = data["export_folder"]
        if "format" in data:
            if data["format"] not in ("csv", "jsonl"):
                raise ValueError(f"format: expected \"csv\" or \"jsonl\", got {data['format']!r}")
            kwargs["format"] = data["format"]
        if "profile" in data:
            if not isinstance(data["profile"], str) or not data["profile"]:
                raise ValueError("profile: expected the name of an export profile")
            kwargs["profile"] = data["profile"]
        if "max_pages" in data:
            v = data["max_pages"]
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError("max_pages: expected a positive integer")
            kwargs["max_pages"] = v
        if "spellings" in data:
            if not isinstance(data["spellings"], bool):
                raise ValueError("spellings: expected true or false")
            kwargs["spellings"] = data["spellings"]
        if "timeout_s" in data:
            v = data["timeout_s"]
            if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
                raise ValueError("timeout_s: expected a positive number of seconds")
            kwargs["timeout_s"] = float(v)
        return cls(**kwargs)

    def folder(self, default_exports: str) -> Path:
        return Path(self.export_folder) if self.export_folder else Path(default_exports) / self.name


# --- one run ------------------------------------------------------------------------------------

@contextmanager
def job_lock(db_path: str, name: str) -> Iterator[None]:
    """An exclusive lock per job beside the database (in the temp folder for a PostgreSQL store:
    schedule one store's jobs from one host); :class:`JobBusy` if another run holds it."""
    path = Path(f"{db_path}.schedule-{name}.lock")
    if is_url(db_path):
        digest = hashlib.sha256(db_path.encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"brandsweep-{digest}.schedule-{name}.lock"
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise JobBusy(f"schedule {name} is already running (lock {path})") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass(slots=True)
class JobResult:
    run_id: int
    status: str
    new_leads: int
    export_path: Path | None
    crawls: list[Any] = field(default_factory=list)


def run_job(db_path: str, config: Any, name: str, *, progress: Any) -> JobResult:
    """One run of the job ``name`` (see the module docstring); ``config`` is a brandsweep.config.Config."""

    from brandsweep.reports.profiles import get_profile
    from brandsweep.store import open_db, utcnow
    from brandsweep.sweep import brand_terms, crawl_in_children, leads_of, resolve_brands, targets_for, write_rows

    job: ScheduleConfig | None = config.schedules.get(name)
    if job is None:
        known = ", ".join(sorted(config.schedules)) or "none configured"
        raise ScheduleError(f"no schedule named {name!r} (known: {known})")
    folder = job.folder(config.output.exports)
    with job_lock(db_path, name):
        db = open_db(db_path)
        try:
            run_id = db.insert_id("schedule_runs", {"schedule": name, "started_at": utcnow()})
            brand_ids = [b["id"] for b in resolve_brands(db, job.brands)] if job.brands else None
            queries = brand_terms(db, brand_ids, spellings=job.spellings) if brand_ids else None
        finally:
            db.close()
        status, error, crawls, path, new = "failed", "", [], None, 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(prefix=f"brandsweep-{name}-") as tmp, \
                    targets_for(dict(config.marketplaces), job.marketplaces or None, Path(tmp)) as targets:
                crawls = crawl_in_children(db_path, targets, queries, max_pages=job.max_pages, progress=progress,
                                           parallel=config.sweep.parallel, browse=queries is None,
                                           workdir=Path(tmp), config_path=config.path)
            db = open_db(db_path)
            try:
                profile = get_profile(job.profile, config.export_profiles)
                if {"network_id", "network_size"} & set(profile.fields):  # fresh networks, as configured
                    from brandsweep.reports.networks import refresh_networks

                    refresh_networks(db, now=utcnow(), policy=config.networks)
                exported = {r[0] for r in db.execute(
                    "SELECT lead_id FROM schedule_exported_leads WHERE schedule = ?", [name])}
                rows = [r for r in leads_of(db, brand_ids=brand_ids, platforms=[c.marketplace for c in crawls])
                        if r["lead_id"] not in exported]
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                path = folder / f"{name}-{stamp}-run{run_id}.{job.format}"
                with transaction(db):  # the file is written inside the transaction: both happen, or neither
                    db.upsert("schedule_exported_leads", [
                        {"schedule": name, "lead_id": r["lead_id"], "schedule_run_id": run_id} for r in rows],
                        key=("schedule", "lead_id"), update=None)
                    write_rows(path, rows, job.format, profile)
                new = len(rows)
            finally:
                db.close()
            failed = [c for c in crawls if c.status != "ok"]
            status = "ok" if not failed else "partial"
            error = "; ".join(f"{c.marketplace}: {c.status} {c.error}".strip() for c in failed)
        except BrandsweepError as exc:
            error = str(exc)
            raise
        finally:
            db = open_db(db_path)
            try:
                db.execute(
                    "UPDATE schedule_runs SET finished_at = ?, status = ?, crawl_run_ids = ?, new_leads = ?, "
                    "export_path = ?, error = ? WHERE id = ?",
                    (utcnow(), status, json.dumps([c.run_id for c in crawls]), new,
                     str(path) if path else None, error or None, run_id))
            finally:
                db.close()
    return JobResult(run_id, status, new, path, crawls)


# --- the long-running scheduler ----------------------------------------------------------------

@dataclass(slots=True)
class _Job:
    name: str
    cron: str
    next_at: datetime
    proc: subprocess.Popen[bytes] | None = None
    started: int = 0
    finished: int = 0
    skipped: int = 0
    deadline: float = 0.0
    timeout_s: float = 0.0


def run_scheduler(schedules: Mapping[str, ScheduleConfig], command: Sequence[str], *,
                  log: Callable[[str], None], max_runs: int | None = None, only: Sequence[str] | None = None,
                  poll_s: float = 0.2, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> dict[str, int]:
    """Start ``[*command, NAME]`` for each job when its cron fires, never twice at once.

    ``command`` is e.g. ``[python, -m, brandsweep.cli, --db, DB, --config, CFG, schedule, run-once]``.
    With ``max_runs`` the loop ends once every job has run that many times (for tests and one-off
    catch-ups); otherwise it runs until SIGTERM/SIGINT, then waits for running jobs to finish.
    Returns {job name: runs finished}.
    """
    names = list(only) if only else list(schedules)
    missing = [n for n in names if n not in schedules]
    if missing:
        raise ScheduleError(f"no schedule named {missing[0]!r} (known: {', '.join(sorted(schedules)) or 'none'})")
    if not names:
        raise ScheduleError("no [schedules.NAME] tables in the configuration: nothing to run")
    start = now()
    jobs = [_Job(n, schedules[n].cron, next_fire(schedules[n].cron, start), timeout_s=schedules[n].timeout_s)
            for n in names]
    stopping: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        stopping.append(signum)

    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for j in jobs:
            log(f"schedule {j.name}: cron {j.cron!r}, next run {j.next_at.isoformat()}")
        while True:
            t = now()
            for j in jobs:
                if j.proc is not None and j.proc.poll() is not None:
                    j.finished += 1
                    log(f"schedule {j.name}: run {j.finished} ended with exit status {j.proc.returncode}")
                    j.proc = None
                if j.proc is not None and time.monotonic() > j.deadline:
                    log(f"schedule {j.name}: run exceeded {j.timeout_s:g} s, stopping it")
                    j.proc.terminate()
                if stopping or (max_runs is not None and j.started >= max_runs):
                    continue
                if t >= j.next_at:
                    if j.proc is not None:
                        j.skipped += 1
                        log(f"schedule {j.name}: due at {j.next_at.isoformat()} but the previous run is still "
                            "going; skipped (a job never overlaps itself)")
                    else:
                        j.started += 1
                        log(f"schedule {j.name}: starting run {j.started}")
                        # its own session: a Ctrl-C meant for the scheduler does not kill a run halfway
                        j.proc = subprocess.Popen([*command, j.name], start_new_session=True)
                        j.deadline = time.monotonic() + j.timeout_s
                    j.next_at = next_fire(j.cron, max(t, j.next_at))
            idle = all(j.proc is None for j in jobs)
            if idle and (stopping or (max_runs is not None and all(j.started >= max_runs for j in jobs))):
                break
            time.sleep(poll_s)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        for j in jobs:
            if j.proc is not None:
                j.proc.send_signal(signal.SIGTERM)
                j.proc.wait()
    return {j.name: j.finished for j in jobs}


def scheduler_command(db_path: str, config_path: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "brandsweep.cli", "--db", db_path if is_url(db_path) else os.path.abspath(db_path)]
    if config_path:
        cmd += ["--config", os.path.abspath(config_path)]
    return [*cmd, "--quiet", "schedule", "run-once"]
