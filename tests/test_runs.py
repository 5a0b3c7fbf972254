"""Run history: ``brandsweep runs`` and ``runs show`` over real crawls."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from brandsweep.runs import errors_by_reason
from brandsweep.store import open_db
from tests.conftest import SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.store


def test_errors_are_grouped_by_reason():
    stats = {
        "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
        "downloader/exception_type_count/twisted.web._newclient.ResponseNeverReceived": 1,
        "retry/max_reached": 3,
        "httperror/response_ignored_status_count/404": 4,
        "drop_item/no_title": 1,
        "brandsweep/images/refused/too_large": 1,
        "downloader/response_count": 99,
        "brandsweep/listings/new": 10,
    }
    assert errors_by_reason(stats) == Counter({
        "TimeoutError": 2, "ResponseNeverReceived": 1, "retries exhausted": 3, "http 404": 4,
        "dropped: no_title": 1, "image refused: too_large": 1})


def test_runs_lists_and_shows_real_crawls(tmp_path, marketplaces, new_store):
    db_path = new_store("r")
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    url = marketplaces.urls["shopfront"]
    for _ in range(2):
        r = run_cli("--quiet", "crawl", "shopfront", "--base-url", url, "-q", "gucci", "-q", "nike", "--no-browse",
                    db_path=db_path)
        assert r.returncode == 0, r.stderr
    db = open_db(db_path)
    stored = {row["id"]: json.loads(row["stats"]) for row in db.query("SELECT id, stats FROM crawl_runs")}
    flagged = {row["run_id"]: row["n"] for row in db.query("SELECT run_id, COUNT(*) AS n FROM leads GROUP BY run_id")}
    db.close()
    r = run_cli("--json", "runs", db_path=db_path)
    assert r.returncode == 0, r.stderr
    listed = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["id"] for x in listed] == sorted(stored, reverse=True)
    first, second = listed[-1], listed[0]
    assert first["pages"] == stored[first["id"]]["downloader/response_count"] > 0
    assert first["listings_new"] > 0
    assert first["leads_new"] == flagged.get(first["id"], 0) and second["leads_new"] == flagged.get(second["id"], 0)
    assert second["listings_new"] == 0  # the same searches again: nothing new
    assert second["listings_new"] + second["listings_changed"] + second["listings_unchanged"] == \
        first["listings_new"]
    assert first["duration_s"] is not None and first["status"] == "ok"
    r = run_cli("runs", db_path=db_path)
    assert r.returncode == 0 and "shopfront" in r.stdout and "new leads" in r.stdout
    r = run_cli("runs", "show", str(first["id"]), db_path=db_path)
    assert r.returncode == 0, r.stderr
    assert f"listings           {first['listings_new']} new" in r.stdout
    assert f"new leads          {first['leads_new']}" in r.stdout and "downloader/response_count" in r.stdout
    assert "errors by reason:" in r.stdout
    r = run_cli("runs", "show", "999", db_path=db_path)
    assert r.returncode == 1 and "no run with id 999" in r.stderr


def test_crawler_failure_counters_are_errors_by_reason():
    from brandsweep.runs import errors_by_reason

    stats = {
        "brandsweep/failures/page/timeout": 2,
        "brandsweep/failures/image/http_404": 1,
        "brandsweep/refused/private_address": 3,
        "brandsweep/trap/repeated_page": 1,
        "brandsweep/encoding/undecodable_bytes": 7,
        "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
        "brandsweep/listings_stored": 40,  # not a failure
        "brandsweep/encoding/gbk": 12,  # not a failure
    }
    assert errors_by_reason(stats) == {
        "failed: page/timeout": 2, "failed: image/http_404": 1, "refused: private_address": 3,
        "trap: repeated_page": 1, "undecodable bytes": 7, "TimeoutError": 2,
    }
