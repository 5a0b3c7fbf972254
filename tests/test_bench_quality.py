"""bench/quality.py: per-family figures from labels and match results, and a real run on a small marketplace."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from brandsweep.matchers.types import ListingView, MatchResult, Reason

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_quality"] = module
    spec.loader.exec_module(module)
    return module


def _label(lid: str, family: str, lead: bool, brand: str | None) -> dict:
    kind = "counterfeit_disguised" if lead else "lookalike"
    return {"platform": "p", "listing_id": lid, "case_kind": kind, "family": family, "expected_lead": lead,
            "expected_brand": brand}


def test_recall_per_lead_family_and_false_leads_per_lawful_family(quality: ModuleType) -> None:
    labels = [_label("1", "accented", True, "gucci"), _label("2", "accented", True, "nike"),
              _label("3", "zh_partial", True, "chanel"), _label("4", "art_title", False, None),
              _label("5", "art_title", False, None), {**_label("6", "", False, None), "family": None,
                                                      "case_kind": "unrelated"}]
    views = [ListingView("p", lb["listing_id"], "t") for lb in labels]
    results = [MatchResult("gucci", is_lead=True), MatchResult(None), MatchResult("nike", is_lead=True),
               MatchResult("dove", is_lead=True), MatchResult(None), MatchResult(None)]
    per_family, _ = quality.tally(labels, views, results)
    s = quality.summarize(per_family)
    fam = s["families"]
    assert fam["accented"]["lead_recall"] == 0.5 and fam["zh_partial"]["lead_recall"] == 1.0  # lead, wrong brand
    assert fam["art_title"]["lead_recall"] is None and fam["art_title"]["false_leads"] == 1
    assert fam["unrelated"]["n"] == 1 and fam["unrelated"]["false_leads"] == 0  # no family: the case kind
    # leads: tp 2 (gucci; the chanel listing, found under the wrong brand), fp 1 (dove), fn 1
    assert s["lead_precision"] == pytest.approx(2 / 3) and s["lead_recall"] == pytest.approx(2 / 3)
    # brands: right 1 (gucci), wrong 2 (nike for chanel, dove for nothing), missed 2 (nike, chanel)
    assert s["brand_precision"] == pytest.approx(1 / 3) and s["brand_recall"] == pytest.approx(1 / 3)


def test_false_logo_matches_count_lawful_listings_with_a_logo_reason(quality: ModuleType) -> None:
    labels = [_label("1", "photo_logo", True, "nike"), _label("2", "photo_shapes", False, None),
              _label("3", "photo_shapes", False, None), _label("4", "art_title", False, None)]
    views = [ListingView("p", lb["listing_id"], "t") for lb in labels]
    logo = (Reason("logo", "nike@30", 40.0),)
    results = [MatchResult("nike", is_lead=True, reasons=logo), MatchResult("nike", reasons=logo),
               MatchResult(None), MatchResult("dove", reasons=(Reason("image_text", "dove", 30.0),))]
    s = quality.summarize(quality.tally(labels, views, results)[0])
    assert s["lawful_listings"] == 3 and s["false_logo_matches"] == 1  # the lead's logo is no false match
    assert s["false_logo_rate"] == pytest.approx(1 / 3)


def test_generated_run_writes_every_family_to_json(quality: ModuleType, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "q.json"
    assert quality.main(["--generated", "--size", "150", "--seed", "3", "--json", str(out)]) == 0
    doc = json.loads(out.read_text("utf-8"))["generated"]
    labels_families = {f for f in doc["families"]}
    assert {"counterfeit_text", "lookalike"} - labels_families == {"lookalike"}  # families, not the kind
    assert doc["seeds"] == [3] and doc["size"] == 150 and sum(r["n"] for r in doc["families"].values()) == 150
    assert 0 <= doc["lead_recall"] <= 1 and 0 <= doc["brand_f1"] <= 1
    assert doc["photo_engines"] is True and 0 <= doc["false_logo_rate"] <= 1  # read as a crawl reads them
    printed = capsys.readouterr().out
    assert "lead family" in printed and "lawful family" in printed and "false logo matches" in printed


def test_misses_lists_each_misclassified_listing(quality: ModuleType) -> None:
    labels = [_label("1", "model_number", True, "chanel"), _label("2", "art_title", False, None),
              _label("3", "accented", True, "gucci")]
    views = [ListingView("p", lb["listing_id"], f"title {lb['listing_id']}") for lb in labels]
    results = [MatchResult(None), MatchResult("nike", is_lead=True), MatchResult("gucci", is_lead=True)]
    misses: list[dict] = []
    quality.tally(labels, views, results, 0, 7, misses)
    assert [(m["listing_id"], m["family"], m["seed"]) for m in misses] == [("1", "model_number", 7),
                                                                         ("2", "art_title", 7)]
    assert misses[0]["lead_expected"] and not misses[0]["lead_got"] and misses[0]["title"] == "title 1"
    assert misses[1]["brand_got"] == "nike" and misses[1]["brand_expected"] is None
