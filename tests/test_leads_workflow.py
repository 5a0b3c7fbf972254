"""Lead status, notes and history; export filters, profiles, --mark-exported; routing; referral; networks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from brandsweep.reports.networks import NetworkPolicy, find_networks
from brandsweep.reports.profiles import COLUMNS, ExportProfile, builtin_profiles
from brandsweep.reports.referral import ReferralPolicy
from brandsweep.reports.routing import Router
from tests.conftest import ROOT, SAMPLE_CATALOG, run_cli

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def store(tmp_path_factory, new_store):
    tmp = tmp_path_factory.mktemp("leads")
    fx = tmp / "fx"
    subprocess.run([sys.executable, "-m", "brandsweep.marketplace_fixtures", "generate", "--size", "200", "--seed", "7",
                    "--out", str(fx), "--no-images"], check=True, cwd=ROOT, capture_output=True)
    feed = fx / "feed.jsonl"
    lines = [json.loads(x) for x in feed.read_text(encoding="utf-8").splitlines()]
    for x in lines:
        x["image_urls"] = []
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    db_path = new_store("store")
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    assert run_cli("listings", "import", str(feed), db_path=db_path).returncode == 0
    return db_path, fx


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_mark_history_and_mark_exported(store, tmp_path):
    db_path, _ = store
    first = tmp_path / "all.csv"
    assert run_cli("leads", "export", "-o", str(first), db_path=db_path).returncode == 0
    rows = read_csv(first)
    assert list(rows[0]) == list(COLUMNS)
    lead = rows[-1]["lead_id"]
    r = run_cli("leads", "mark", lead, "--status", "dismissed", "--note", "authorized reseller", db_path=db_path)
    assert r.returncode == 0 and "dismissed" in r.stdout
    assert run_cli("leads", "mark", "L-nope", "--status", "reviewed", db_path=db_path).returncode == 1
    assert run_cli("leads", "mark", lead, "--status", "bogus", db_path=db_path).returncode == 2
    hist = run_cli("leads", "history", lead, db_path=db_path)
    assert "new -> dismissed" in hist.stdout and "authorized reseller" in hist.stdout
    sent = tmp_path / "sent.csv"
    r = run_cli("leads", "export", "-o", str(sent), "--mark-exported", db_path=db_path)
    assert r.returncode == 0, r.stderr
    sent_ids = {x["lead_id"] for x in read_csv(sent)}
    assert lead not in sent_ids and len(sent_ids) == len(rows) - 1
    again = tmp_path / "again.csv"
    run_cli("leads", "export", "-o", str(again), "--mark-exported", db_path=db_path)
    assert read_csv(again) == [], "the second export must not resend what the first marked exported"
    exported = tmp_path / "exported.csv"
    run_cli("leads", "export", "-o", str(exported), "--status", "exported", "--profile", "full", db_path=db_path)
    assert {x["lead_id"] for x in read_csv(exported)} == sent_ids
    assert {x["status"] for x in read_csv(exported)} == {"exported"}


def test_filters_and_cn_profile(store, tmp_path):
    db_path, _ = store
    out = tmp_path / "f.csv"
    assert run_cli("leads", "export", "-o", str(out), "--brand", "gucci", "--min-score", "90", "--since", "2020-01-01",
                   db_path=db_path).returncode == 0
    rows = read_csv(out)
    assert rows and all(r["brand_id"] == "gucci" and float(r["score"]) >= 90 for r in rows)
    run_cli("leads", "export", "-o", str(out), "--since", "2999-01-01", db_path=db_path)
    assert read_csv(out) == []
    cn = tmp_path / "cn.csv"
    assert run_cli("leads", "export", "-o", str(cn), "--profile", "cn", db_path=db_path).returncode == 0
    header = cn.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["线索编号", "处理状态", "涉嫌侵权品牌"] and "管辖机关" in header
    bad = run_cli("leads", "export", "-o", str(cn), "--profile", "nope", db_path=db_path)
    assert bad.returncode == 1 and "unknown export profile 'nope'" in bad.stderr


def test_every_lead_with_a_known_location_gets_an_authority(store, tmp_path):
    db_path, fx = store
    out = tmp_path / "by"
    r = run_cli("leads", "export", "-o", str(out), "--by-jurisdiction", "--profile", "full", db_path=db_path)
    assert r.returncode == 0, r.stderr
    total = 0
    for f in out.glob("*.csv"):
        rows = read_csv(f)
        total += len(rows)
        for row in rows:
            if f.stem == "unknown":
                assert row["authority"] == "" and row["seller_location"] not in ("福建 莆田",)
            else:
                assert row["authority_id"] == f.stem and row["authority"].endswith(("市场监督管理局", "海关"))
    assert total == len(read_csv(_export(db_path, tmp_path)))
    sellers = [json.loads(x) for x in (fx / "sellers.jsonl").read_text(encoding="utf-8").splitlines()]
    router = Router.default()
    for s in sellers:
        if not s["location"].endswith(("United States", "United Kingdom", "India", "Turkey")):
            assert router.route(s["location"]).known, s["location"]


def _export(db_path, tmp_path):
    out = tmp_path / "plain.csv"
    run_cli("leads", "export", "-o", str(out), db_path=db_path)
    return out


def test_authorities_table_covers_all_34_divisions():
    router = Router.default()
    assert len(router.divisions) == 34
    names = ("北京 天津 河北省 山西 内蒙古自治区 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 "
             "河南 湖北 湖南 广东 广西壮族自治区 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 "
             "青海 宁夏 新疆 台湾 香港 澳门").split()
    assert len(names) == 34
    for name in names:
        assert router.route(name).known, name
    assert router.route("福建省莆田市").authority_zh == "莆田市市场监督管理局"
    assert router.route("Putian, Fujian, China").authority_id == "CN-FJ-putian"
    assert router.route("Xi'an, Shaanxi, China").division == "CN-SN"
    assert not router.route("Los Angeles, CA, United States").known
    assert "outside China" in router.route("London, United Kingdom").problem


def test_referral_and_matchers_use_one_exchange_rate():
    """A price judged against an MSRP and a sales value judged against the threshold use the same rate."""
    from brandsweep.matchers.config import MatchConfig

    usd_per_cny = MatchConfig().rate("CNY")
    assert usd_per_cny is not None
    for code in ("USD", "EUR", "JPY", "HKD"):
        usd = MatchConfig().rate(code)
        assert usd is not None
        assert ReferralPolicy().rates[code] == pytest.approx(usd / usd_per_cny)
    with pytest.raises(TypeError):
        ReferralPolicy().rates["USD"] = 1.0  # type: ignore[index]


def test_referral_threshold_and_config():
    p = ReferralPolicy()
    assert p.threshold_cny == 50_000
    assert p.refer(p.sales_value_cny(500.0, 100, "CNY")) and not p.refer(p.sales_value_cny(499.0, 100, "CNY"))
    assert p.sales_value_cny(None, 3, "CNY") is None
    assert ReferralPolicy.from_mapping({"rates": {"USD": 7.2}}).sales_value_cny(10.0, 1000, "USD") == 72_000.0
    assert ReferralPolicy.from_mapping({"threshold_cny": 100_000, "rates": {"usd": 7.0}}).rates["USD"] == 7.0
    for bad, key in (({"threshold": 1}, "threshold"), ({"threshold_cny": -1}, "threshold_cny"),
                     ({"rates": {"EUR": "x"}}, "rates.EUR")):
        with pytest.raises(ValueError, match=key):
            ReferralPolicy.from_mapping(bad)


def test_profile_from_mapping_names_the_bad_key():
    p = ExportProfile.from_mapping("x", {"fields": ["lead_id", "title"], "headers": {"title": "Titel"}})
    assert p.headers == ("lead_id", "Titel")
    assert builtin_profiles()["default"].fields == COLUMNS
    for bad, key in (({}, "fields"), ({"fields": ["nope"]}, r"fields\[0\]"), ({"fields": ["title"], "x": 1}, "x"),
                     ({"fields": ["title"], "headers": {"price": "P"}}, "headers.price"),
                     ({"fields": ["title"], "format": "xls"}, "format")):
        with pytest.raises(ValueError, match=key):
            ExportProfile.from_mapping("x", bad)


def test_shared_catalog_photo_does_not_merge_unrelated_sellers():
    sellers = [{"platform": "a", "seller_id": str(i), "name": f"shop {i}", "phone": None, "address": None,
                "location": None} for i in range(12)]
    sellers[0]["phone"] = sellers[1]["phone"] = "+86 138-0000-1111"
    sellers[2]["address"] = sellers[3]["address"] = "福建莆田 鞋都大道 12 号"
    catalog_ph = "ffff0000ffff0000"
    images = [(("a", str(i)), "catalogcopy", catalog_ph, True) for i in range(4, 9)]  # plain copy, 5 sellers
    images += [(("a", "9"), "own1", "0123456789abcdef", False), (("a", "10"), "own1", "0123456789abcdef", False)]
    images += [(("a", str(i)), "popular", "0f0f0f0f0f0f0f0f", False) for i in range(12)]  # shared by 12 > max_group
    nets = find_networks(sellers, images, [catalog_ph], NetworkPolicy(max_group=8))
    groups = sorted(sorted(s for _, s in n.members) for n in nets)
    assert groups == [["0", "1"], ["10", "9"], ["2", "3"]]
    with pytest.raises(ValueError, match="max_group"):
        NetworkPolicy.from_mapping({"max_group": 1})
