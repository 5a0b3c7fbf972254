"""The configuration's ``[matchers]`` and ``[networks]`` sections reach every entry point that scores
listings or groups sellers: crawl, rematch, feed import, sweep and schedule, networks (stats, lead
export, report). Each test runs the real command twice, with and without the section, and checks
that the configured threshold changes the outcome the way it says.

The threshold of each strict run is derived from the default run's own scores (the highest lead
score), so no result is hard-coded: the strict run must keep exactly the default leads scoring at
least that much.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandsweep.store import open_db
from tests.conftest import PHOTOS_OFF, SAMPLE_CATALOG, run_cli

FEED_TITLES = [
    "Gucci GG Marmont shoulder bag 1:1 replica mirror quality",
    "古驰 高仿 马蒙 链条包 原单 女包",
    "G*cci Ace sneakers AAA top copy",
    "Nike Air Force 1 07 replica 1:1 AAA sneakers",
    "Gucci bag",
    "Nike Air Max 90 sneakers original box",
]


def _feed(tmp_path: Path, phone_sellers: int = 0) -> Path:
    lines = []
    for i, title in enumerate(FEED_TITLES):
        line = {"platform": "shopfront", "listing_id": f"l{i}", "url": f"http://shop.example/item/l{i}",
                "title": title, "price": 60.0 if i % 2 else 199.0, "currency": "CNY",
                "seller_id": f"s{i}", "seller_name": f"Shop number {i}"}
        if i < phone_sellers:  # these sellers share one phone number: a network of phone_sellers
            line["seller_phone"] = "+86 138 0013 8000"
        lines.append(line)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return feed


def _scores(db_path: Path) -> tuple[dict[str, float], set[str]]:
    """Every listing's score, and the listings that are active leads."""
    db = open_db(db_path)
    try:
        scores = {r[0]: float(r[1]) for r in db.execute("SELECT listing_id, score FROM matches")}
        leads = {r[0] for r in db.execute("SELECT listing_id FROM leads WHERE active = 1")}
    finally:
        db.close()
    return scores, leads


def _strict(default: tuple[dict[str, float], set[str]]) -> float:
    """A lead threshold that drops some default leads: the highest lead score (keeping the leads that
    score it) when the leads differ, else just above their one score (dropping them all)."""
    scores, leads = default
    lead_scores = sorted(scores[lid] for lid in leads)
    assert lead_scores and lead_scores[0] < 100, f"the default run needs leads below 100: {lead_scores}"
    return lead_scores[-1] if lead_scores[0] < lead_scores[-1] else lead_scores[-1] + 1


def _config(tmp_path: Path, text: str, name: str = "cfg.toml") -> Path:
    path = tmp_path / name  # not ./brandsweep.toml: only --config finds it
    # the photo engines off, as in the default runs compared with (tests/conftest.py)
    text = text.replace("[matchers]\n", PHOTOS_OFF, 1) if "[matchers]\n" in text else text + PHOTOS_OFF
    path.write_text(text, encoding="utf-8")
    return path


def _store(tmp_path: Path, name: str) -> Path:
    db = tmp_path / f"{name}.db"
    r = run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db)
    assert r.returncode == 0, r.stderr
    return db


def _expect_strict(default: tuple[dict[str, float], set[str]], strict: tuple[dict[str, float], set[str]],
                   threshold: float) -> None:
    scores, leads = default
    assert strict[1] == {lid for lid in leads if scores[lid] >= threshold}
    assert strict[1] < leads  # some default leads are no longer leads


def test_feed_import_applies_the_configured_lead_threshold(tmp_path):
    feed = _feed(tmp_path)
    plain = _store(tmp_path, "plain")
    assert run_cli("listings", "import", str(feed), db_path=plain).returncode == 0
    default = _scores(plain)
    threshold = _strict(default)
    cfg = _config(tmp_path, f"[matchers]\nlead_threshold = {threshold}\n")
    strict = _store(tmp_path, "strict")
    r = run_cli("--config", str(cfg), "listings", "import", str(feed), db_path=strict)
    assert r.returncode == 0, r.stderr
    _expect_strict(default, _scores(strict), threshold)


def _feed_processes(db_path: Path) -> int:
    """How many processes matched the store's feed import (the run's stats)."""
    db = open_db(db_path)
    try:
        return int(json.loads(db.scalar("SELECT stats FROM crawl_runs WHERE kind = 'feed'"))["matching/processes"])
    finally:
        db.close()


def test_feed_import_applies_the_configured_workers_and_the_flag_wins(tmp_path):
    from brandsweep.feed import FEED_BATCH

    # more than one batch, so the import is big enough to start worker processes at all
    lines = [{"platform": "shopfront", "listing_id": f"w{n}", "url": f"http://shop.example/item/w{n}",
              "title": FEED_TITLES[n % len(FEED_TITLES)], "price": 60.0, "currency": "CNY"}
             for n in range(FEED_BATCH + 20)]
    feed = tmp_path / "big.jsonl"
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    two, one = _config(tmp_path, "[feeds]\nworkers = 2\n", "two.toml"), _config(tmp_path, "[feeds]\nworkers = 1\n")
    runs = {"two": ("--config", str(two)), "one": ("--config", str(one)),
            "flag": ("--config", str(two), "listings", "import", "--workers", "1")}
    stores = {}
    for name, args in runs.items():
        stores[name] = _store(tmp_path, name)
        cmd = args if name == "flag" else (*args, "listings", "import")
        r = run_cli(*cmd, str(feed), db_path=stores[name])
        assert r.returncode == 0, r.stderr
    assert _feed_processes(stores["two"]) == 2
    assert _feed_processes(stores["one"]) == 1
    assert _feed_processes(stores["flag"]) == 1, "--workers wins over [feeds] workers"
    assert _scores(stores["two"]) == _scores(stores["one"]), "workers change the speed, not the verdicts"


def test_feeds_workers_below_one_is_a_configuration_problem(tmp_path):
    r = run_cli("config", "check", str(_config(tmp_path, "[feeds]\nworkers = 0\n")))
    assert r.returncode != 0
    assert "feeds.workers" in r.stdout + r.stderr


def test_feed_import_applies_a_configured_weight(tmp_path):
    """Scores move by the configured weight: removing the counterfeit-wording points drops the
    leads that rested on them."""
    feed = _feed(tmp_path)
    plain = _store(tmp_path, "plain")
    assert run_cli("listings", "import", str(feed), db_path=plain).returncode == 0
    cfg = _config(tmp_path, "[matchers]\nindicator_cap = 0\n")
    capped = _store(tmp_path, "capped")
    assert run_cli("--config", str(cfg), "listings", "import", str(feed), db_path=capped).returncode == 0
    (before, leads_before), (after, leads_after) = _scores(plain), _scores(capped)
    assert any(after[lid] < before[lid] for lid in before)
    assert leads_after < leads_before


def test_rematch_applies_the_configured_lead_threshold(tmp_path):
    db = _store(tmp_path, "r")
    assert run_cli("listings", "import", str(_feed(tmp_path)), db_path=db).returncode == 0
    default = _scores(db)
    threshold = _strict(default)
    cfg = _config(tmp_path, f"[matchers]\nlead_threshold = {threshold}\n")
    r = run_cli("--config", str(cfg), "rematch", db_path=db)
    assert r.returncode == 0, r.stderr
    _expect_strict(default, _scores(db), threshold)
    assert f"{len(default[1]) - len(_scores(db)[1])} no longer leads" in r.stdout


def _crawl(db: Path, url: str, *conf: str) -> None:
    r = run_cli(*conf, "crawl", "shopfront", "--base-url", url, "--max-pages", "2", db_path=db)
    assert r.returncode == 0, r.stderr


def test_crawl_applies_the_configured_lead_threshold(tmp_path, marketplaces):
    plain = _store(tmp_path, "plain")
    _crawl(plain, marketplaces.urls["shopfront"])
    default = _scores(plain)
    threshold = _strict(default)
    cfg = _config(tmp_path, f"[matchers]\nlead_threshold = {threshold}\n")
    strict = _store(tmp_path, "strict")
    _crawl(strict, marketplaces.urls["shopfront"], "--config", str(cfg))
    assert set(_scores(strict)[0]) == set(default[0])  # the same listings were crawled
    _expect_strict(default, _scores(strict), threshold)


def _sweep_config(url: str, extra: str = "") -> str:
    return (f'[marketplaces.myshop]\nspider = "shopfront"\nbase_url = "{url}"\nallow_private_addresses = true\n'
            f"max_pages = 1\n{extra}")


def test_sweep_applies_the_configured_lead_threshold(tmp_path, marketplaces):
    url = marketplaces.urls["shopfront"]
    plain = _store(tmp_path, "plain")
    cfg = _config(tmp_path, _sweep_config(url), "plain.toml")
    r = run_cli("--config", str(cfg), "sweep", "gucci", "-o", str(tmp_path / "p.csv"), db_path=plain, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    default = _scores(plain)
    threshold = _strict(default)
    strict = _store(tmp_path, "strict")
    cfg = _config(tmp_path, _sweep_config(url, f"[matchers]\nlead_threshold = {threshold}\n"), "strict.toml")
    r = run_cli("--config", str(cfg), "sweep", "gucci", "-o", str(tmp_path / "s.csv"), db_path=strict, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    _expect_strict(default, _scores(strict), threshold)


def test_schedule_applies_the_configured_lead_threshold(tmp_path, marketplaces):
    url = marketplaces.urls["shopfront"]
    job = '[schedules.nightly]\ncron = "0 3 * * *"\nbrands = ["gucci"]\nmarketplaces = ["myshop"]\n'
    results = []
    threshold = None
    for name in ("plain", "strict"):
        extra = job + (f"[matchers]\nlead_threshold = {threshold}\n" if threshold is not None else "")
        cfg = _config(tmp_path, _sweep_config(url, f'[output]\nexports = "{tmp_path / name}"\n' + extra),
                      f"{name}.toml")
        db = _store(tmp_path, name)
        r = run_cli("--config", str(cfg), "schedule", "run-once", "nightly", db_path=db, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        results.append(_scores(db))
        threshold = _strict(results[0])
    assert threshold is not None
    _expect_strict(results[0], results[1], threshold)


def _network_sizes(tmp_path: Path, db: Path, *conf: str) -> dict[str, int]:
    out = tmp_path / f"leads-{len(conf)}.jsonl"
    r = run_cli(*conf, "leads", "export", "-o", str(out), "--format", "jsonl", "--profile", "full", db_path=db)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["listing_id"]: int(row["network_size"] or 0) for row in rows}


@pytest.mark.parametrize("command", ["leads", "stats", "report"])
def test_networks_apply_the_configured_policy(tmp_path, command):
    """Three sellers share a phone: a network by default; with ``max_group = 2`` a phone shared by
    three links nobody. Each command that recomputes networks uses the configured policy."""
    db = _store(tmp_path, "n")
    assert run_cli("listings", "import", str(_feed(tmp_path, phone_sellers=3)), db_path=db).returncode == 0
    default = _network_sizes(tmp_path, db)
    assert 3 in default.values()
    cfg = _config(tmp_path, "[networks]\nmax_group = 2\n")
    if command == "leads":
        sizes = _network_sizes(tmp_path, db, "--config", str(cfg))
    else:
        args = ["stats"] if command == "stats" else ["report", "-o", str(tmp_path / "r.html")]
        r = run_cli("--config", str(cfg), *args, db_path=db)
        assert r.returncode == 0, r.stderr
        db_conn = open_db(db)
        try:
            assert db_conn.execute("SELECT COUNT(*) FROM seller_networks").fetchone()[0] == 0
        finally:
            db_conn.close()
        return
    assert set(sizes) == set(default) and set(sizes.values()) == {0}
