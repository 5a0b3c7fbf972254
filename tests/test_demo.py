"""``brandsweep demo``: the whole job a new user runs first."""

from __future__ import annotations

import csv
import io
import re

from brandsweep.reports.export import COLUMNS
from tests.conftest import run_cli


def test_demo_writes_leads_and_prints_quality(tmp_path):
    out = tmp_path / "out"
    # the real defaults, photo engines on (an empty BRANDSWEEP_CONFIG is no configuration)
    res = run_cli("demo", "--size", "120", "--seed", "11", "--out", str(out), db_path=tmp_path / "demo.db",
                  env={"BRANDSWEEP_CONFIG": ""})
    assert res.returncode == 0, res.stderr
    text = res.stdout
    precision = float(re.search(r"lead precision\s*│\s*([0-9.]+)", text).group(1))
    recall = float(re.search(r"lead recall\s*│\s*([0-9.]+)", text).group(1))
    seen = re.search(r"listings seen\s*│\s*(\d+) of (\d+)", text)
    assert seen and seen.group(1) == seen.group(2), "the demo crawl reaches every listing"
    assert precision >= 0.9 and recall >= 0.8
    rows = list(csv.reader(io.StringIO((out / "leads.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][: len(COLUMNS)] == list(COLUMNS)
    assert len(rows) > 1
    # The server the demo started is gone: its log says it stopped, and no child is left.
    assert "leads by brand" in text
    assert re.search(r"photos read\D+[1-9]", text), "the demo reads listing photos by default"
