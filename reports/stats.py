"""Statistics of the leads (pandas): by brand, platform, region, network and week; trend by run.

:func:`lead_stats` returns one table per dimension; :func:`charts` draws them as PNG (matplotlib,
no display needed); :func:`render` writes them as text, CSV or JSON.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from brandsweep.reports.export import enrich, export_rows
from brandsweep.reports.referral import ReferralPolicy
from brandsweep.store.db import Database

DIMENSIONS = ("brand", "platform", "region", "network", "week")


def leads_frame(db: Database, policy: ReferralPolicy | None = None) -> pd.DataFrame:
    rows = list(enrich(export_rows(db, leads_only=True), policy=policy))
    cols = ["lead_id", "brand", "platform", "region", "network_id", "first_flagged_at", "score", "sales_value_cny",
            "referral", "status"]
    df = pd.DataFrame(rows, columns=cols)
    df["brand"] = df["brand"].fillna("(none)")
    df["region"] = df["region"].replace("", "unknown").fillna("unknown")
    df["network"] = df["network_id"].fillna("(none)")
    flagged = pd.to_datetime(df["first_flagged_at"], utc=True, errors="coerce")
    df["week"] = flagged.dt.strftime("%G-W%V").fillna("unknown")
    return df


def lead_stats(db: Database, policy: ReferralPolicy | None = None) -> dict[str, pd.DataFrame]:
    """One table per dimension (leads, mean score, estimated sales in CNY, referrals), plus ``runs``."""
    df = leads_frame(db, policy)
    out: dict[str, pd.DataFrame] = {}
    for dim in DIMENSIONS:
        if df.empty:
            out[dim] = pd.DataFrame(columns=[dim, "leads", "mean_score", "sales_value_cny", "referrals"])
            continue
        g = df.groupby(dim, dropna=False).agg(
            leads=("lead_id", "count"), mean_score=("score", "mean"),
            sales_value_cny=("sales_value_cny", "sum"), referrals=("referral", "sum"))
        g["mean_score"] = g["mean_score"].round(1)
        g["sales_value_cny"] = g["sales_value_cny"].round(2)
        sort = [dim] if dim == "week" else ["leads", dim]
        out[dim] = g.reset_index().sort_values(sort, ascending=dim == "week" or [False, True]).reset_index(drop=True)
    out["runs"] = run_trend(db)
    return out


def run_trend(db: Database) -> pd.DataFrame:
    """Per run (oldest first): listings seen, new leads, leads active at its end, and change from the run before."""
    runs = pd.DataFrame(list(db.query(
        """
        SELECT r.id AS run_id, r.kind, COALESCE(r.marketplace, r.source) AS source, r.started_at, r.status,
               (SELECT COUNT(*) FROM listings l WHERE l.last_run_id = r.id OR l.first_run_id = r.id) AS listings,
               (SELECT COUNT(*) FROM leads ld WHERE ld.run_id = r.id) AS new_leads
        FROM crawl_runs r ORDER BY r.id
        """)), columns=["run_id", "kind", "source", "started_at", "status", "listings", "new_leads"])
    if runs.empty:
        return runs.assign(leads_total=[], change=[])
    runs["leads_total"] = runs["new_leads"].cumsum()
    runs["change"] = runs["new_leads"].diff().fillna(0).astype(int)
    return runs


def render(tables: Mapping[str, pd.DataFrame], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({k: json.loads(v.to_json(orient="records", force_ascii=False)) for k, v in tables.items()},
                          ensure_ascii=False, indent=1) + "\n"
    parts = []
    for name, table in tables.items():
        if fmt == "csv":
            buf = io.StringIO()
            table.assign(table=name)[["table", *table.columns]].to_csv(buf, index=False, lineterminator="\n")
            parts.append(buf.getvalue())
        else:
            parts.append(f"== leads by {name} ==\n" + (table.to_string(index=False) if not table.empty else "(none)"))
    return ("\n".join(parts) if fmt == "csv" else "\n\n".join(parts)) + "\n"


def charts(tables: Mapping[str, pd.DataFrame], folder: Path | None = None, *, top: int = 15) -> dict[str, bytes]:
    """PNG bar charts of leads per dimension (and per run); written to ``folder`` if given."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    cjk = [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name]
    out: dict[str, bytes] = {}
    for name, table in tables.items():
        if table.empty:
            continue
        x, y = ("run_id", "new_leads") if name == "runs" else (name, "leads")
        data = table.head(top) if name not in ("week", "runs") else table.tail(top)
        with plt.rc_context({"font.family": [*cjk[:1], "DejaVu Sans"]}):
            fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100)
            ax.bar([str(v) for v in data[x]], data[y], color="#4a6fa5")
            ax.set_title(f"{'new leads per run' if name == 'runs' else 'leads by ' + name}")
            ax.tick_params(axis="x", labelrotation=45, labelsize=8)
            fig.tight_layout()
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
            plt.close(fig)
        out[name] = buf.getvalue()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"leads_by_{name}.png").write_bytes(out[name])
    return out


def summary(tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    brand = tables.get("brand")
    return {"leads": int(brand["leads"].sum()) if brand is not None and not brand.empty else 0}
