"""Distributed crawls: `crawl --distributed` seeds Redis, `brandsweep worker` processes crawl.

Real parts only: a real redis-server (Debian package) and, for the ``postgresql`` variants, a
real PostgreSQL server, both started by fixtures; the workers are real ``brandsweep worker``
processes crawling the real test marketplace. The reference is a single-process ``brandsweep
crawl`` of the same marketplace into a store of the same backend.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from brandsweep.store import open_db
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli, start_marketplaces

MARKET = ("--size", "150", "--seed", "5")
LEASE = "3"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Any]:
    from tests.redisserver import PACKAGE, RedisServer, redis_binary

    binary = redis_binary()
    if binary is None:
        pytest.skip(f"redis-server not found: install the Debian package {PACKAGE}")
    server = RedisServer(binary).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: Any) -> str:
    redis_server.flush()
    return str(redis_server.url)


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, m = start_marketplaces(tmp_path_factory.mktemp("dist-market"), *MARKET)
    try:
        yield m.urls["shopfront"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def content(target: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """What a crawl leaves in a store, without ids, times and run numbers."""
    queries = {
        "listings": "SELECT platform, listing_id, url, title, description, price, currency, seller_id, seller_name,"
                    " seller_location, sales_count, image_urls, content_hash, version FROM listings",
        "versions": "SELECT platform, listing_id, version, content_hash, title, price FROM listing_versions",
        "matches": "SELECT platform, listing_id, brand_id, product_id, mark_reg_no, score, is_lead, reasons,"
                   " image_ref, image_distance FROM matches",
        "leads": "SELECT platform, listing_id, brand_id, score, active, status FROM leads",
        "sellers": "SELECT * FROM sellers",
        "run_listings": "SELECT platform, listing_id, change FROM run_listings",
    }
    db = open_db(target)
    try:
        out = {}
        for name, sql in queries.items():
            rows = [tuple(r) for r in db.execute(sql).fetchall()]
            if name == "sellers":  # drop the columns that hold times and run ids
                cols = db.columns("sellers")
                keep = [i for i, c in enumerate(cols) if not c.endswith(("_at", "_seen", "run_id"))]
                rows = [tuple(r[i] for i in keep) for r in rows]
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        db.close()


def differences(got: dict[str, list[tuple[Any, ...]]], want: dict[str, list[tuple[Any, ...]]]) -> dict[str, Any]:
    """Per table, the rows only in ``got`` and only in ``want`` (empty when the stores are equal)."""
    out = {}
    for table in want:
        extra = [r for r in got[table] if r not in want[table]]
        missing = [r for r in want[table] if r not in got[table]]
        if extra or missing or len(got[table]) != len(want[table]):
            out[table] = {"extra": extra[:5], "missing": missing[:5], "rows": (len(got[table]), len(want[table]))}
    return out


def new_catalog_store(new_store: Any, name: str) -> Path | str:
    target = new_store(name)
    res = run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=target)
    assert res.returncode == 0, res.stderr
    return target


@pytest.fixture(scope="module")
def reference(new_store: Any, market: str) -> dict[str, list[tuple[Any, ...]]]:
    """The single-process crawl's store content, once per backend."""
    target = new_catalog_store(new_store, "single")
    res = run_cli("--quiet", "crawl", "shopfront", "--base-url", market, db_path=target)
    assert res.returncode == 0, res.stderr
    found = content(target)
    assert len(found["listings"]) >= 30 and found["leads"], "the reference crawl found too little to compare"
    return found


def seed(target: Path | str, market: str, redis_url: str, *extra: str) -> None:
    res = run_cli(*extra, "--quiet", "crawl", "shopfront", "--base-url", market, "--distributed", "--redis", redis_url,
                  db_path=target)
    assert res.returncode == 0, res.stderr
    assert "seeded" in res.stdout


def start_worker(target: Path | str, redis_url: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "brandsweep.cli", "--db", str(target), "--json", "worker", "--redis", redis_url,
           "--lease", LEASE]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")


def finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def count_listings(target: Path | str) -> int:
    db = open_db(target)
    try:
        return int(db.execute("SELECT COUNT(*) FROM listings").fetchone()[0])
    finally:
        db.close()


def run_row(target: Path | str) -> tuple[str, str, dict[str, Any]]:
    db = open_db(target)
    try:
        rows = db.execute("SELECT status, scope, stats FROM crawl_runs").fetchall()
    finally:
        db.close()
    assert len(rows) == 1
    return rows[0][0], rows[0][1], json.loads(rows[0][2] or "{}")


@pytest.mark.store  # on SQLite and on PostgreSQL
def test_two_workers_store_equals_a_single_process_run(new_store, market, redis_url, reference):
    target = new_catalog_store(new_store, "two")
    seed(target, market, redis_url)
    workers = [start_worker(target, redis_url) for _ in range(2)]
    results = [finish(w) for w in workers]
    assert differences(content(target), reference) == {}
    assert all(r["responses"] > 0 for r in results), "both workers took requests from the shared frontier"
    assert sum(r["listings"] for r in results) == len(reference["listings"]), "no page was stored twice"
    assert sum(r["finished_run"] for r in results) == 1, "exactly one worker finishes the run"
    status, scope, stats = run_row(target)
    assert (status, scope) == ("ok", "full")
    assert stats["brandsweep/listings/new"] == len(reference["listings"])
    assert stats["brandsweep/distributed/workers_lost"] == 0
    assert not stats.get("log_count/ERROR"), "no worker logged an error (an item that failed to store, say)"


@pytest.mark.store
def test_kill_9_of_a_worker_mid_crawl_loses_nothing_and_duplicates_nothing(new_store, market, redis_url, reference):
    import redis

    target = new_catalog_store(new_store, "kill")
    seed(target, market, redis_url)
    server = redis.Redis.from_url(redis_url)
    victim = start_worker(target, redis_url)
    survivor = start_worker(target, redis_url)
    held = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and victim.poll() is None:  # kill it while it holds requests
        workers = [w.decode() for w in server.smembers("brandsweep:crawl:shopfront:workers")]
        mine = [w for w in workers if w.split("-")[-2] == str(victim.pid)]
        held = server.hlen(f"brandsweep:crawl:shopfront:inflight:{mine[0]}") if mine else 0
        stored = count_listings(target)
        if held and stored >= 5:
            break
        time.sleep(0.05)
    assert held and victim.poll() is None, "the victim worker was never caught holding requests"
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate(timeout=30)
    result = finish(survivor)
    assert result["finished_run"]
    # 0 lost, 0 duplicated: the same listings, versions, sellers, matches, leads and run changes
    assert differences(content(target), reference) == {}
    status, scope, stats = run_row(target)
    assert status == "ok"
    assert scope == "partial", "a run that lost a worker marks nothing gone (its failure counts died with it)"
    assert stats["brandsweep/distributed/workers_lost"] == 1
    assert stats["brandsweep/distributed/requests_reclaimed"] >= 1
    assert server.hlen("brandsweep:crawls") == 0, "the finished crawl is cleared from Redis"


def test_workers_score_with_the_seeders_matcher_config(new_store, market, redis_url, reference, tmp_path):
    # The default threshold leaves brand matches without other evidence below the line; a lower
    # threshold (and no minimum evidence) given to the seeder alone must make them leads.
    linked = {(r[0], r[1]): r[5] for r in reference["matches"] if r[5] > 0 and not r[6]}
    assert linked, "the reference needs brand matches that are not leads"
    low = min(linked.values())
    config = tmp_path / "brandsweep.toml"
    config.write_text(f"[matchers]\nlead_threshold = {low}\nmin_evidence_points = 0\n", encoding="utf-8")
    target = new_catalog_store(new_store, "cfg")
    seed(target, market, redis_url, "--config", str(config))
    finish(start_worker(target, redis_url))  # the worker itself is given no configuration
    got = {(r[0], r[1]) for r in content(target)["leads"]}
    default_leads = {(r[0], r[1]) for r in reference["leads"]}
    assert got == default_leads | set(linked)


def test_a_worker_without_a_seeded_crawl_or_with_another_store_says_so(new_store, market, redis_url):
    target = new_catalog_store(new_store, "none")
    res = run_cli("worker", "--redis", redis_url, db_path=target)
    assert res.returncode == 1 and "no distributed crawl is seeded" in res.stderr
    seed(target, market, redis_url)
    other = new_catalog_store(new_store, "other")
    res = run_cli("worker", "--redis", redis_url, db_path=other)
    assert res.returncode == 1 and "pass the seeder's --db" in res.stderr
    res = run_cli("crawl", "shopfront", "--base-url", market, "--distributed", "--redis", redis_url, db_path=target)
    assert res.returncode == 1 and "already seeded" in res.stderr


def test_a_stopped_worker_leaves_cleanly_and_another_finishes_the_crawl(new_store, market, redis_url, reference):
    import redis

    target = new_catalog_store(new_store, "stop")
    seed(target, market, redis_url)
    server = redis.Redis.from_url(redis_url)
    first = start_worker(target, redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and count_listings(target) < 5 and first.poll() is None:
        time.sleep(0.05)
    assert first.poll() is None, "the crawl ended before the worker could be stopped"
    first.send_signal(signal.SIGTERM)
    stopped = finish(first)
    assert stopped["status"] == "shutdown" and not stopped["finished_run"]
    assert not server.smembers("brandsweep:crawl:shopfront:workers"), "the stopped worker deregistered"
    assert not server.keys("brandsweep:crawl:shopfront:inflight:*"), "and holds nothing"
    assert server.zcard("brandsweep:crawl:shopfront:queue") > 0, "the rest of the crawl is still queued"
    assert finish(start_worker(target, redis_url))["finished_run"]
    assert differences(content(target), reference) == {}
    status, scope, stats = run_row(target)
    assert (status, scope) == ("ok", "full") and stats["brandsweep/distributed/workers_lost"] == 0
    assert not stats.get("log_count/ERROR")
