"""What every measure of ``bench/run.py`` shares: alternating rounds, medians and spreads, profiles, results.

A measure compares ours with a baseline doing the same work in the same run. Each round runs both,
alternating which goes first (so load on the shared machine hits both alike); the ratio of the round
is ours/baseline (rates: higher is better). The row keeps every round, the median of each side, the
median ratio and its spread (lowest and highest round ratio).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import platform
import pstats
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"


@dataclass
class Row:
    """One line of the results table."""

    section: str
    name: str
    unit: str = ""  # what ours/base count, e.g. "titles/s"
    ours: float | None = None  # median
    base: float | None = None  # median
    baseline: str = ""  # what the baseline is
    ratio: float | None = None  # median of the round ratios
    spread: tuple[float, float] | None = None  # lowest and highest round ratio
    rounds: list[dict[str, float]] = field(default_factory=list)
    target: str = ""  # e.g. ">= 0.9"
    met: bool | None = None
    skipped: str = ""  # reason, when the row did not run
    notes: dict[str, Any] = field(default_factory=dict)
    profile: list[str] = field(default_factory=list)  # top cumulative functions when the target is missed

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def alternate(rounds: int, ours: Callable[[], float], base: Callable[[], float]) -> list[dict[str, float]]:
    """Run ``ours()`` and ``base()`` (each returns a rate, higher is better) ``rounds`` times,
    alternating which goes first; one dict per round."""
    out = []
    for r in range(rounds):
        got: dict[str, float] = {}
        for side in (("base", "ours") if r % 2 == 0 else ("ours", "base")):
            got[side] = (ours if side == "ours" else base)()
        got["ratio"] = got["ours"] / got["base"] if got["base"] else float("nan")
        out.append(got)
    return out


def fill(row: Row, rounds: list[dict[str, float]], target: float | None = None, *, at_most: bool = False) -> Row:
    """Medians, ratio and spread of ``rounds`` into ``row``; ``met`` against ``target`` when given."""
    row.rounds = [{k: round(v, 4) for k, v in r.items()} for r in rounds]
    row.ours = statistics.median(r["ours"] for r in rounds)
    row.base = statistics.median(r["base"] for r in rounds)
    ratios = [r["ratio"] for r in rounds]
    row.ratio = statistics.median(ratios)
    row.spread = (min(ratios), max(ratios))
    if target is not None:
        row.target = f"{'<=' if at_most else '>='} {target:g}"
        row.met = row.ratio <= target if at_most else row.ratio >= target
    return row


def profiled(fn: Callable[[], Any]) -> tuple[list[tuple[float, str, int, str]], float]:
    """Run ``fn()`` under cProfile: ``(cumulative seconds, file, line, function)`` per function, and
    the total profiled time."""
    prof = cProfile.Profile()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    entries = [(ct, file, line, func)
               for (file, line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()]  # type: ignore[attr-defined]
    return entries, total


def profile_top(fn: Callable[[], Any], n: int = 8, *, root: Path = ROOT) -> list[str]:
    """The ``n`` functions with the largest cumulative time while ``fn()`` runs (ours only, then any)."""
    entries, total = profiled(fn)
    entries.sort(reverse=True)
    out = []
    for ct, file, line, func in entries:
        if func in ("<module>", "<lambda>") or "cProfile" in file or "harness.py" in file or "/bench/" in file:
            continue
        where = file.replace(str(root) + "/", "").split("site-packages/")[-1]
        out.append(f"{100 * ct / total:5.1f}% {ct:7.3f}s {func} ({where}:{line})")
        if len(out) >= n:
            break
    return out


def peak_rss_mib(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in load]}


def fmt(v: float | None) -> str:
    if v is None:
        return "-"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table (also what the README shows)."""
    lines = ["| section | measure | ours | baseline | ratio (spread) | target | met |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.skipped:
            lines.append(f"| {r.section} | {r.name} | skipped: {r.skipped} | | | {r.target} | |")
            continue
        ours = f"{fmt(r.ours)} {r.unit}".strip()
        base = f"{r.baseline}: {fmt(r.base)}" if r.base is not None else r.baseline
        ratio = "-" if r.ratio is None else (f"{r.ratio:.4f}" if not r.unit else f"{r.ratio:.3g}")  # recall: 4
        if r.spread:
            ratio += f" ({r.spread[0]:.3g}-{r.spread[1]:.3g})"
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.section} | {r.name} | {ours} | {base} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)


def write_results(path: Path, rows: list[Row], meta: dict[str, Any]) -> None:
    """Write whole or not at all (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"meta": meta, "rows": [r.as_dict() for r in rows]}, indent=1, ensure_ascii=False)
                   + "\n", encoding="utf-8")
    tmp.replace(path)
