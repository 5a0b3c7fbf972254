"""Page caps mean what each spider's pages mean, and a run cut by one says so.

The marketplace configuration's ``max_pages`` used to default to 200 for every spider, which for
the partner API (100 listings a page) silently capped a marketplace at 20,000 listings: every such
run ended partial and nothing was ever marked gone.
"""

from __future__ import annotations

import pytest
from scrapy.crawler import Crawler

from brandsweep.core.marketplaces import BUILTIN, MarketplaceConfig
from brandsweep.crawl import crawl_settings, project_settings, spider_names
from tests.conftest import SAMPLE_CATALOG, run_cli


def _spider(name: str, cfg: MarketplaceConfig, **args):
    from scrapy.spiderloader import SpiderLoader

    cls = SpiderLoader.from_settings(project_settings()).load(cfg.spider)
    crawler = Crawler(cls, project_settings(crawl_settings(cfg)))
    return cls.from_crawler(crawler, base_url="http://127.0.0.1:9", **args)


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_default_cap_is_the_spiders_own(name):
    spider = _spider(name, BUILTIN[name])
    assert spider.max_pages == type(spider).default_max_pages
    assert spider.page_cap_unit  # what one page is, for the summary


def test_partner_api_default_covers_millions_of_listings():
    from brandsweep.crawler.spiders.partnerapi import PAGE_SIZE

    spider = _spider("partnerapi", BUILTIN["partnerapi"])
    assert spider.max_pages * PAGE_SIZE >= 10_000_000


def test_configured_cap_and_argument_still_apply():
    cfg = MarketplaceConfig.from_mapping("p", {"spider": "partnerapi", "max_pages": 7})
    assert _spider("p", cfg).max_pages == 7
    assert _spider("p", cfg, max_pages=3).max_pages == 3
    with pytest.raises(ValueError, match=r"^max_pages:"):
        MarketplaceConfig.from_mapping("p", {"spider": "partnerapi", "max_pages": "many"})
    assert set(spider_names()) >= set(BUILTIN)


def test_a_capped_run_says_so_in_its_summary(marketplaces, tmp_path):
    db_path = tmp_path / "c.db"
    assert run_cli("catalog", "import", str(SAMPLE_CATALOG), db_path=db_path).returncode == 0
    r = run_cli("crawl", "shopfront", "--base-url", marketplaces.urls["shopfront"], "--max-pages", "1",
                "--no-search", db_path=db_path)
    assert r.returncode == 0, r.stderr
    assert "capped:" in r.stdout and "max_pages 1" in r.stdout and "nothing is marked gone" in r.stdout, r.stdout
    assert "(partial run)" in r.stdout
