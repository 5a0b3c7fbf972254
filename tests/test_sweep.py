"""``brandsweep sweep``: disguised spellings, and a real sweep against the bundled marketplaces."""

from __future__ import annotations

import csv
import io
import re

from brandsweep.reports.export import COLUMNS
from brandsweep.sweep import disguised_spellings
from tests.conftest import SAMPLE_CATALOG, run_cli


def test_disguised_spellings_are_the_ones_a_whole_word_search_finds():
    assert {"guci", "gucc1"} <= set(disguised_spellings("Gucci"))
    lv = disguised_spellings("Louis Vuitton")
    assert {"louisvuitton", "louis-vuitton"} <= set(lv)
    assert "guchi" in disguised_spellings("古驰")
    assert "lancome" in disguised_spellings("Lancôme")
    assert disguised_spellings("LV") == []  # too short to vary without flooding the search
    # searches are case-insensitive: no variant differs from the name only in case
    assert all(v.casefold() != "gucci" for v in disguised_spellings("Gucci"))


def test_sweep_gucci_against_the_bundled_marketplaces(tmp_path):
    out = tmp_path / "gucci.csv"
    r = run_cli("sweep", "gucci", "-o", str(out), db_path=tmp_path / "s.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    m = re.search(r"^(\d+) leads for gucci on ([a-z, ]+); lead file: (.+)$", r.stdout, re.MULTILINE)
    assert m, r.stdout
    n, swept = int(m.group(1)), m.group(2).split(", ")
    assert {"shopfront", "taoshop"} <= set(swept)
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys())[: len(COLUMNS)] == list(COLUMNS)
    assert len(rows) == n >= 1
    assert {row["brand_id"] for row in rows} == {"gucci"}
    assert {row["is_lead"] for row in rows} == {"1"}
    assert {row["platform"] for row in rows} <= set(swept)
    for row in rows[:5]:  # the table shows them
        assert row["listing_id"][:8] in r.stdout
    # the sweep searched (not browsed): far fewer listings stored than the marketplaces hold
    assert "search terms (Gucci, 古驰, guchi, GG, guci" in r.stderr


def test_sweep_unknown_brand_is_a_clear_error(tmp_path):
    r = run_cli("sweep", "nosuchbrand", "-m", "shopfront", db_path=tmp_path / "s.db", cwd=tmp_path)
    assert r.returncode == 1
    assert "no catalog brand named 'nosuchbrand'" in r.stderr and "gucci" in r.stderr


def test_sweep_uses_a_configured_marketplace_and_its_settings(tmp_path, marketplaces):
    """A marketplace known only from the config file: the sweep's crawl finds its spider and address there."""
    cfg = tmp_path / "my.toml"  # not ./brandsweep.toml, which would be found without --config
    cfg.write_text(f'[marketplaces.myshop]\nspider = "taoshop"\nbase_url = "{marketplaces.urls["taoshop"]}"\n'
                   'allow_private_addresses = true\nmax_pages = 1\n', encoding="utf-8")
    db = tmp_path / "s.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db).returncode == 0
    r = run_cli("--config", str(cfg), "sweep", "gucci", "-o", str(tmp_path / "g.csv"), db_path=db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "leads for gucci on myshop;" in r.stdout
    rows = list(csv.DictReader(io.StringIO((tmp_path / "g.csv").read_text(encoding="utf-8-sig"))))
    assert rows and {row["platform"] for row in rows} == {"myshop"}
    # without the config the name means nothing
    r = run_cli("sweep", "gucci", "-m", "myshop", db_path=db, cwd=tmp_path)
    assert r.returncode == 1 and "no marketplace named 'myshop'" in r.stderr
