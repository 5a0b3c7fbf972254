"""Scheduled crawls: cron parsing, a real scheduler loop firing every 2 s, new-leads-only exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from brandsweep.schedule import ScheduleConfig, next_fire
from brandsweep.store import open_db
from tests.conftest import SAMPLE_CATALOG, run_cli


def _lead_ids(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [row["lead_id"] for row in csv.DictReader(io.StringIO(text))]


def _ts(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def test_cron_with_and_without_seconds():
    t0 = datetime(2026, 11, 28, 10, 0, 1, tzinfo=UTC)
    assert next_fire("*/2 * * * * *", t0) == datetime(2026, 11, 28, 10, 0, 2, tzinfo=UTC)
    assert next_fire("0 2 * * *", t0) == datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    assert ScheduleConfig.from_mapping("n", {"cron": "0  2 * * *"}).cron == "0 2 * * *"
    for bad, why in (("0 25 * * *", "not a valid cron"), ("* * *", "3 fields"), ("", "required"),
                     ("61 * * * * *", "not a valid cron")):
        with pytest.raises(ValueError, match=why):
            ScheduleConfig.from_mapping("n", {"cron": bad})
    with pytest.raises(ValueError, match=r"^brand: unknown key"):
        ScheduleConfig.from_mapping("n", {"cron": "0 2 * * *", "brand": ["x"]})


def _config(tmp_path: Path, urls: dict[str, str], body: str) -> Path:
    cfg = tmp_path / "brandsweep.toml"
    tables = "".join(f'[marketplaces.{n}]\nspider = "{n}"\nbase_url = "{urls[n]}"\nallow_private_addresses = true\n\n'
                     for n in ("shopfront", "taoshop"))
    cfg.write_text(tables + body, encoding="utf-8")
    return cfg


def test_scheduler_runs_twice_without_overlap_and_exports_only_new_leads(tmp_path, marketplaces):
    db_path = tmp_path / "s.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    exports = tmp_path / "exports"
    cfg = _config(tmp_path, marketplaces.urls,
                  f'[schedules.fast]\ncron = "*/2 * * * * *"\nmarketplaces = ["shopfront", "taoshop"]\n'
                  f'brands = ["gucci", "nike", "adidas"]\nmax_pages = 2\nexport_folder = "{exports}"\n')
    r = run_cli("--config", str(cfg), "schedule", "list", db_path=db_path)
    assert r.returncode == 0 and "fast: cron '*/2 * * * * *'; next run" in r.stdout, r.stderr
    r = run_cli("--config", str(cfg), "schedule", "run", "--max-runs", "2", db_path=db_path)
    assert r.returncode == 0, r.stderr
    db = open_db(db_path)
    runs = list(db.query("SELECT * FROM schedule_runs ORDER BY id"))
    assert [x["status"] for x in runs] == ["ok", "ok"], runs
    assert _ts(runs[1]["started_at"]) >= _ts(runs[0]["finished_at"])  # never overlapping
    files = sorted(exports.iterdir())
    assert [f.name for f in files] == sorted(Path(x["export_path"]).name for x in runs)
    first, second = _lead_ids(files[0]), _lead_ids(files[1])
    in_scope = {row["lead_id"] for row in db.query(
        "SELECT lead_id FROM leads WHERE active = 1 AND brand_id IN ('gucci', 'nike', 'adidas') "
        "AND platform IN ('shopfront', 'taoshop')")}
    db.close()
    assert first and set(first) == in_scope
    assert second == []  # nothing new appeared between the runs, so the second file has only the header
    assert files[1].read_text(encoding="utf-8-sig").startswith("lead_id,platform,listing_id")
    assert not list(exports.glob(".*.part"))


def test_second_run_exports_exactly_the_leads_that_are_new(tmp_path, marketplaces, catalog_copy):
    """First run with a catalog lacking Gucci; Gucci joins the catalog; the second run's file holds the new leads."""
    doc = json.loads(catalog_copy.read_text(encoding="utf-8"))
    for rh in doc["rightsholders"]:
        rh["brands"] = [b for b in rh["brands"] if b["id"] != "gucci"]
    without = catalog_copy.with_name("without-gucci.json")
    without.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db_path = tmp_path / "s.db"
    assert run_cli("catalog", "import", str(without), db_path=db_path).returncode == 0
    exports = tmp_path / "exports"
    cfg = _config(tmp_path, marketplaces.urls,
                  f'[schedules.daily]\ncron = "0 2 * * *"\nmarketplaces = ["taoshop"]\nmax_pages = 1\n'
                  f'export_folder = "{exports}"\n')
    r1 = run_cli("--config", str(cfg), "schedule", "run-once", "daily", db_path=db_path)
    assert r1.returncode == 0, r1.stderr
    assert run_cli("catalog", "import", str(catalog_copy), db_path=db_path).returncode == 0
    r2 = run_cli("--config", str(cfg), "schedule", "run-once", "daily", db_path=db_path)
    assert r2.returncode == 0, r2.stderr
    f1, f2 = sorted(exports.iterdir())
    first, second = set(_lead_ids(f1)), set(_lead_ids(f2))
    db = open_db(db_path)
    active = {r["lead_id"]: r["brand_id"] for r in db.query(
        "SELECT lead_id, brand_id FROM leads WHERE active = 1 AND platform = 'taoshop'")}
    db.close()
    assert first and second and not first & second
    assert second == set(active) - first  # exactly the leads the first run had not exported
    assert "gucci" in {active[x] for x in second}
    assert "gucci" not in {active[x] for x in first if x in active}
    assert f"{len(second)} new leads" in r2.stdout


def test_a_running_job_is_not_started_again(tmp_path):
    import fcntl

    from brandsweep.schedule import JobBusy, job_lock

    db_path = str(tmp_path / "s.db")
    with job_lock(db_path, "j"):
        with pytest.raises(JobBusy, match="already running"), job_lock(db_path, "j"):
            pass
        # a separate open of the lock file (as another process makes) finds it held
        with open(f"{db_path}.schedule-j.lock") as fh, pytest.raises(BlockingIOError):
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with job_lock(db_path, "j"):
        pass
