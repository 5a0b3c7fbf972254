"""The leads CSV opened by a real spreadsheet program (LibreOffice, headless), read back from xlsx.

Hostile titles must arrive as text (never formulas), Chinese intact, prices as numbers. A control
file without our defusing shows that LibreOffice does turn such cells into formulas, so the check
can fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from brandsweep.feed import import_feed
from brandsweep.reports.export import export
from brandsweep.rightsholder_catalog import build_matcher, import_catalog
from tests.conftest import SAMPLE_CATALOG

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install "
                                                        "libreoffice-calc-nogui (CI installs it)")
HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1)", "\tTab start",
           "\rCR start", "-2+3"]


def to_xlsx(tmp_path, *csv_files):
    # 44 = comma, 34 = double quote, 76 = UTF-8, 1 = first line. LibreOffice's import dialog picks UTF-8
    # from the BOM; headless conversion needs it said.
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path),
                    *map(str, csv_files)], check=True, capture_output=True, timeout=180)
    import openpyxl

    out = []
    for f in csv_files:
        wb = openpyxl.load_workbook(tmp_path / (f.stem + ".xlsx"))
        out.append([list(r) for r in wb.active.iter_rows()])
    return out


def test_libreoffice_reads_hostile_titles_as_text(db, tmp_path):
    import_catalog(db, SAMPLE_CATALOG)
    lines = [{"platform": "shopfront", "listing_id": str(i), "url": f"http://shop.example/item/{i}",
              "title": f"{t} Gucci 古驰 高仿 1:1 包包", "price": 99.5 + i, "currency": "CNY",
              "seller_name": "莆田 工厂店", "seller_location": "福建 莆田", "sales_count": 10 + i}
             for i, t in enumerate(HOSTILE)]
    feed = tmp_path / "f.jsonl"
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    import_feed(db, feed, build_matcher(db))
    out = tmp_path / "leads.csv"
    assert export(db, out, leads_only=True).rows == len(HOSTILE)
    control = tmp_path / "control.csv"
    control.write_text("title,price\r\n=SUM(1;2),5\r\n", encoding="utf-8")
    sheet, ctrl = to_xlsx(tmp_path, out, control)
    assert ctrl[1][0].data_type == "f", "control: LibreOffice should make an undefused cell a formula"
    header = [c.value for c in sheet[0]]
    col = {name: header.index(name) for name in ("title", "price", "seller_name", "sales_count", "score")}
    assert len(sheet) == 1 + len(HOSTILE)
    seen = set()
    for row in sheet[1:]:
        title = row[col["title"]]
        assert title.data_type == "s", (title.value, title.data_type)
        assert "古驰" in title.value and "高仿" in title.value
        seen.update(h for h in HOSTILE if h.strip("\t\r") in title.value)
        assert row[col["seller_name"]].value == "莆田 工厂店"
        for name in ("price", "sales_count", "score"):
            assert row[col[name]].data_type == "n" and isinstance(row[col[name]].value, int | float), name
    assert seen == set(HOSTILE)
    print("LibreOffice read back", len(sheet) - 1, "rows; titles:", [r[col["title"]].value for r in sheet[1:]])
