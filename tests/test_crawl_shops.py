"""``brandsweep crawl --url`` over real-shop pages served locally: the corpus (tests/pages/shop_*),
sitemaps before links, bounded link following, and the configuration file applied to a URL crawl."""

from __future__ import annotations

import json
from pathlib import Path

from brandsweep.store import open_db
from tests.conftest import run_cli
from tests.shop_site import serve, write_corpus_site
from tests.test_crawl_support import ImageMaker, generate


def _run(db_path: Path) -> tuple[dict, dict[str, dict]]:
    db = open_db(db_path)
    stats = json.loads(db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC").fetchone()[0])
    rows = {r["listing_id"]: r for r in db.query("SELECT * FROM listings")}
    db.close()
    return stats, rows


def test_corpus_main_products_right_nothing_overwritten_misses_counted(tmp_path):
    site = tmp_path / "site"
    cases = write_corpus_site(site)
    assert len([c for c in cases if c["expect"] is not None]) >= 30
    db_path = tmp_path / "shops.db"
    with serve(site) as (url, _):
        first = run_cli("crawl", "--url", url + "/", db_path=db_path)
        assert first.returncode == 0, first.stderr
        stats, rows = _run(db_path)
        second = run_cli("crawl", "--url", url + "/", db_path=db_path)
        assert second.returncode == 0, second.stderr
        again, _ = _run(db_path)
    goldens = {c["case"].name: json.loads((c["case"] / "output.json").read_text(encoding="utf-8")) for c in cases}
    right, with_main = 0, 0
    for c in cases:
        if not c["expect"]:
            continue
        with_main += 1
        stored = [rows.get(lid) for lid in goldens[c["case"].name]["main"]]
        got = [{"title": r["title"], "price": r["price"], "currency": r["currency"]} if r else None for r in stored]
        right += got == c["expect"]
    assert right >= 0.98 * with_main, f"main product right on {right} of {with_main} pages"
    # Every product a listing of its own: as many stored as the pages hold, none changed by another.
    want = {x["listing_id"] for g in goldens.values() for x in g["listings"]}
    assert set(rows) == want
    assert stats["brandsweep/listings/new"] == len(want) and stats["brandsweep/listings/changed"] == 0
    assert (again["brandsweep/listings/unchanged"], again["brandsweep/listings/new"]) == (len(want), 0), \
        "the ids are stable: a second crawl finds every listing unchanged"
    # Every miss counted by reason.
    misses: dict[str, int] = {}
    for g in goldens.values():
        for reason, n in g["misses"].items():
            misses[reason] = misses.get(reason, 0) + n
    assert misses and {k.rsplit("/", 1)[-1]: v for k, v in stats.items()
                       if k.startswith("brandsweep/products/missed/")} == misses
    assert stats["brandsweep/encoding/cp1252"] >= 1 and stats["brandsweep/encoding/sniffed"] >= 1
    assert "brandsweep/encoding/decoded_on_reactor_thread" not in stats


def _page(title: str, sku: str, links: list[str], images: list[str] = ()) -> str:  # type: ignore[assignment]
    ld = {"@context": "https://schema.org", "@type": "Product", "name": title, "sku": sku, "image": list(images),
          "offers": {"@type": "Offer", "price": "10.00", "priceCurrency": "EUR"}}
    anchors = "".join(f'<a href="{h}">{h}</a>' for h in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><script type="application/ld+json">{json.dumps(ld)}'
            f"</script></head><body><h1>{title}</h1>{anchors}</body></html>")


def test_sitemap_pages_are_crawled_before_links_found_on_pages(tmp_path):
    site = tmp_path / "site"
    (site / "s").mkdir(parents=True)
    (site / "l").mkdir()
    for n in range(6):
        (site / "s" / f"{n}.html").write_text(_page(f"Sitemap product {n}", f"S{n}", ["/l/0.html"]))
        (site / "l" / f"{n}.html").write_text(_page(f"Linked product {n}", f"L{n}", [f"/l/{n + 1}.html"]))
    (site / "index.html").write_text(_page("Home deal", "H0", [f"/l/{n}.html" for n in range(6)]))
    urls = "".join(f"<url><loc>/s/{n}.html</loc></url>" for n in range(6))
    (site / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    with serve(site) as (url, log):
        res = run_cli("crawl", "--url", url + "/", db_path=tmp_path / "o.db")
        order = log.read_text().split()
    assert res.returncode == 0, res.stderr
    sitemap_pages = [i for i, p in enumerate(order) if p.startswith("/s/")]
    link_pages = [i for i, p in enumerate(order) if p.startswith("/l/") or p == "/"]
    assert len(sitemap_pages) == 6 and len(link_pages) >= 7, order
    assert max(sitemap_pages) < min(link_pages), f"a link was fetched before a sitemap page: {order}"


def _plain_site(site: Path, n: int) -> None:
    (site / "x").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>" + "".join(f'<a href="/x/{k}.html">{k}</a>' for k in range(n))
                                     + "</body></html>")
    for k in range(n):
        (site / "x" / f"{k}.html").write_text(f'<html><body><a href="/x/{k + n}.html">more</a></body></html>')
        (site / "x" / f"{k + n}.html").write_text("<html><body>nothing to sell</body></html>")


def _config(tmp_path: Path, url: str, **keys: object) -> Path:
    lines = ["[marketplaces.myshop]", 'spider = "schemaorg"', f'base_url = "{url}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in keys.items()]
    path = tmp_path / "brandsweep.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_link_following_is_bounded_by_the_configured_max_pages_and_counted(tmp_path):
    site = tmp_path / "site"
    _plain_site(site, 20)
    with serve(site) as (url, log):
        free = run_cli("crawl", "--url", url + "/", db_path=tmp_path / "a.db")
        free_pages = len([p for p in log.read_text().split() if p.startswith("/x/")])
        log.write_text("")
        config = _config(tmp_path, url, max_pages=5)
        capped = run_cli("--config", str(config), "crawl", "--url", url + "/", db_path=tmp_path / "b.db")
        capped_pages = len([p for p in log.read_text().split() if p.startswith("/x/")])
    assert free.returncode == 0 and capped.returncode == 0, capped.stderr
    assert free_pages == 40, "without a bound every page is followed"
    stats, _ = _run(tmp_path / "b.db")
    assert stats["brandsweep/links/plain_pages"] >= 5 and stats["brandsweep/links/capped"] > 0
    assert capped_pages < 20, f"{capped_pages} plain pages fetched with max_pages 5"
    assert stats["brandsweep/scope"] == "partial"
    db = open_db(tmp_path / "b.db")
    assert db.execute("SELECT marketplace FROM crawl_runs").fetchone()[0] == "myshop", "the entry's name is used"
    db.close()


def test_url_crawl_applies_the_configured_depth_and_image_hosts(tmp_path):
    """A chain of product pages whose images live on a CDN host (another loopback address)."""
    site, cdn = tmp_path / "site", tmp_path / "cdn"
    (site / "p").mkdir(parents=True)
    (cdn / "img").mkdir(parents=True)
    images = ImageMaker(generate(None, 20, 3).catalog)
    refs = [x["images"][0] for x in generate(None, 20, 3).listings() if x["images"]][:4]
    with serve(cdn, host="127.0.0.3") as (cdn_url, _), serve(site) as (url, _):
        for n in range(4):
            (cdn / "img" / f"{n}.jpg").write_bytes(images.render(refs[n]))
            (site / "p" / f"{n}.html").write_text(_page(f"Chain product {n}", f"C{n}", [f"/p/{n + 1}.html"],
                                                        [f"  {cdn_url}/img/{n}.jpg "]))
        plain = run_cli("crawl", "--url", url + "/p/0.html", db_path=tmp_path / "a.db")
        config = _config(tmp_path, url, max_depth=1, image_hosts=["127.0.0.3"])
        configured = run_cli("--config", str(config), "crawl", "--url", url + "/p/0.html", db_path=tmp_path / "b.db")
    assert plain.returncode == 0 and configured.returncode == 0, configured.stderr
    stats, rows = _run(tmp_path / "a.db")
    assert set(rows) == {"C0", "C1", "C2", "C3"}
    assert stats["brandsweep/refused/private_address"] >= 4, "a markup-named host on loopback is refused"
    assert not stats.get("brandsweep/images/hashed")
    stats, rows = _run(tmp_path / "b.db")
    assert set(rows) == {"C0", "C1"}, "max_depth 1 from the configuration"
    assert stats["brandsweep/images/hashed"] == 2, "the configured CDN host serves the images"


def test_products_a_page_only_lists_are_stored_from_their_own_page(tmp_path):
    """A category page lists three products (partial data) that have pages of their own on the site:
    stored from both, their versions would alternate and every run would report them changed."""
    site = tmp_path / "site"
    (site / "p").mkdir(parents=True)
    entries = [{"@type": "ListItem", "position": n, "item": {"@type": "Product", "name": f"Listed {n}",
                "sku": f"P{n}", "url": f"/p/{n}.html", "offers": {"price": "9.00", "priceCurrency": "EUR"}}}
               for n in range(3)]
    (site / "c.html").write_text('<html><head><script type="application/ld+json">'
                                 + json.dumps({"@type": "ItemList", "itemListElement": entries})
                                 + "</script></head><body></body></html>")
    for n in range(3):
        (site / "p" / f"{n}.html").write_text(_page(f"Product {n} full title", f"P{n}", []))
    urls = "<url><loc>/c.html</loc></url>" + "".join(f"<url><loc>/p/{n}.html</loc></url>" for n in range(3))
    (site / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    db_path = tmp_path / "c.db"
    with serve(site) as (url, _):
        for _ in range(2):
            assert run_cli("crawl", "--url", url + "/", db_path=db_path).returncode == 0
    stats, rows = _run(db_path)
    assert {lid: r["title"] for lid, r in rows.items()} == {f"P{n}": f"Product {n} full title" for n in range(3)}
    assert stats["brandsweep/products/listed_elsewhere"] == 3
    assert (stats["brandsweep/listings/unchanged"], stats["brandsweep/listings/changed"]) == (3, 0)
