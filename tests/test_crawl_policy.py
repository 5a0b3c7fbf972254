"""The per-marketplace configuration and the host policy every request passes."""

from __future__ import annotations

import pytest

from brandsweep.core.hosts import HostPolicy
from brandsweep.core.marketplaces import BUILTIN, MarketplaceConfig
from brandsweep.crawler.middlewares import retry_after_seconds


@pytest.mark.parametrize("key,value", [("retry_after_max_s", "soon"), ("browser_max_pages", 0),
                                       ("timeout_s", 0), ("user_agent", ""), ("allowed_hosts", "a.example"),
                                       ("max_response_bytes", 10)])
def test_bad_value_names_its_key(key, value):
    with pytest.raises(ValueError, match=f"^{key}:"):
        MarketplaceConfig.from_mapping("m", {"spider": "shopfront", key: value})


def test_config_becomes_scrapy_settings():
    cfg = MarketplaceConfig.from_mapping("m", {"spider": "shopfront", "base_url": "http://shop.example:8080/",
                                               "concurrency": 3, "timeout_s": 7, "retry_after_max_s": 60})
    assert cfg.hosts == ("shop.example:8080",)
    got = cfg.scrapy_settings()
    assert got["CONCURRENT_REQUESTS_PER_DOMAIN"] == 3 and got["DOWNLOAD_TIMEOUT"] == 7.0
    assert got["BRANDSWEEP_ALLOWED_HOSTS"] == ["shop.example:8080"] and got["BRANDSWEEP_RETRY_AFTER_MAX"] == 60.0
    assert set(BUILTIN) == {"shopfront", "taoshop", "jsmall", "partnerapi"}
    assert BUILTIN["jsmall"].render_js and BUILTIN["partnerapi"].api_key_env


def test_policy_refuses_other_hosts_ports_and_private_addresses():
    shop = HostPolicy(["shop.example", "127.0.0.1:8000"], allow_private=False)
    assert shop.refusal("http://evil.example/x") == "host_not_allowed"
    assert shop.refusal("http://127.0.0.1:8001/") == "host_not_allowed"  # another service, same machine
    assert shop.refusal("http://127.0.0.1:8000/") == "private_address"  # allowed host, loopback refused
    assert shop.refusal("file:///etc/passwd") == "scheme"
    local = HostPolicy(["127.0.0.1:8000"], allow_private=True)
    assert local.refusal("http://127.0.0.1:8000/item/1") is None
    assert local.refusal("http://127.0.0.2:8000/") == "host_not_allowed"
    for addr in ("169.254.169.254", "10.0.0.5", "192.168.1.1", "[::1]", "[fe80::1]", "0.0.0.0", "[::ffff:127.0.0.1]"):
        assert HostPolicy([addr.strip("[]")]).refusal(f"http://{addr}/") == "private_address", addr
    assert HostPolicy(["localhost"]).refusal("http://localhost/") == "private_address"  # resolved, then checked
    assert HostPolicy(["8.8.8.8"]).refusal("http://8.8.8.8/") is None


def test_retry_after_forms():
    assert retry_after_seconds(b"30") == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_image_hosts_configured_or_named_by_the_markup_when_public():
    from brandsweep.core.hosts import ImageHostPolicy

    pages = HostPolicy(["127.0.0.1:8000"], allow_private=True)
    images = ImageHostPolicy(pages, ["127.0.0.3", "*.cdn.example"], from_markup=True)
    assert images.refusal("http://127.0.0.1:8000/img/1.jpg") is None  # the marketplace's own host
    assert images.refusal("http://127.0.0.3:9000/img/1.jpg") is None  # configured (the marketplace allows private)
    # Named by the markup: allowed only on public addresses, whatever the marketplace allows.
    assert images.refusal("http://93.184.216.34/i.jpg", "http://93.184.216.34/i.jpg") is None
    assert images.refusal("http://127.0.0.4/i.jpg", "http://127.0.0.4/i.jpg") == "private_address"
    assert images.refusal("http://169.254.169.254/latest", "http://169.254.169.254/latest") == "private_address"
    # A redirect hop to a host nobody named, and the same URL when markup hosts are switched off.
    assert images.refusal("http://93.184.216.35/i.jpg", "http://93.184.216.34/i.jpg") == "host_not_allowed"
    off = ImageHostPolicy(pages, (), from_markup=False)
    assert off.refusal("http://93.184.216.34/i.jpg", "http://93.184.216.34/i.jpg") == "host_not_allowed"
    assert off.refusal("ftp://127.0.0.1:8000/x", "ftp://127.0.0.1:8000/x") == "scheme"
    public_only = ImageHostPolicy(HostPolicy(["shop.example"]), ["*.cdn.example"])
    assert public_only.refusal("http://a.cdn.example/i.jpg") == "unresolvable"  # subdomain rule, then resolved


def test_image_and_depth_settings_reach_scrapy():
    cfg = MarketplaceConfig.from_mapping("m", {"spider": "schemaorg", "base_url": "https://shop.example/",
                                               "image_hosts": ["Images.CDN.example", "*.akamai.example"],
                                               "image_hosts_from_markup": False, "max_depth": 3})
    got = cfg.scrapy_settings()
    assert got["BRANDSWEEP_IMAGE_HOSTS"] == ["images.cdn.example", "*.akamai.example"]
    assert got["BRANDSWEEP_IMAGE_HOSTS_FROM_MARKUP"] is False and got["DEPTH_LIMIT"] == 3
    assert "DEPTH_LIMIT" not in MarketplaceConfig(name="m", spider="schemaorg").scrapy_settings()
    with pytest.raises(ValueError, match=r"^max_depth:"):
        MarketplaceConfig.from_mapping("m", {"spider": "schemaorg", "max_depth": -1})
