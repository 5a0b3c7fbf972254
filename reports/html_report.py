"""The HTML report: one self-contained file for analysts (``brandsweep report -o FILE.html``).

Leads grouped by brand, each with the listing's image beside the catalog image it matched, the
reasons in words, score, seller, seller network, competent authority, referral flag and links;
seller networks by size; charts from the statistics. Images and charts are inlined as ``data:``
URIs, so the file opens anywhere without the store.

Safety: every piece of listing data is escaped with :func:`html.escape` (quotes too) before it
reaches the page, links are emitted only for http(s) URLs, and the page carries a Content
Security Policy that allows no script at all, so a hostile title can neither run nor load
anything. The page template is ``reports/templates/report.html`` (``string.Template``).
"""

from __future__ import annotations

import base64
import html
from collections import defaultdict
from importlib import resources
from pathlib import Path
from string import Template
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from brandsweep.core import __version__
from brandsweep.reports.export import enrich, export_rows, write_atomic
from brandsweep.reports.networks import NetworkPolicy, refresh_networks
from brandsweep.reports.referral import ReferralPolicy
from brandsweep.reports.stats import charts, lead_stats
from brandsweep.store.db import Database, utcnow

_REASONS = MappingProxyType({
    "brand_exact": "the brand name {v} appears in the text",
    "brand_alias": "another name of the brand ({v}) appears in the text",
    "brand_fuzzy": "a misspelling of the brand {v}",
    "brand_obfuscated": "the brand {v} written with look-alike or styled characters",
    "brand_masked": "the brand {v} partly masked (e.g. G*cci)",
    "brand_pinyin": "the brand {v} written in pinyin",
    "brand_codename": "a seller code name for the brand {v}",
    "obfuscation": "disguised spelling ({v})",
    "indicator": "counterfeit wording: “{v}”",
    "price_ratio": "price is {pct} of the genuine product's price",
    "image_phash": "photo matches the catalog photo ({v} bits apart)",
    "image_reuse": "the rightsholder's photo is re-used",
    "seller_unauthorized_official": "an unauthorized shop calls itself official ({v})",
    "seller_authorized": "seller is authorized by the rightsholder",
    "compatibility": "names the brand only for compatibility ({v})",
    "ordinary_word": "the brand name is used as an ordinary word ({v})",
})


def reasons_in_words(reasons: str) -> list[str]:
    out = []
    for part in filter(None, (reasons or "").split(";")):
        code, _, value = part.partition(":")
        template = _REASONS.get(code)
        if template is None:
            out.append(part)
            continue
        pct = ""
        if code == "price_ratio":
            try:
                pct = f"{float(value) * 100:.0f} %"
            except ValueError:
                pct = value
        out.append(template.format(v=value, pct=pct))
    return out


# A listing's images that passed the image checks, first first. Refused bodies (decompression bombs,
# pages posing as images) are never shown, even where an older store kept their blobs.
USABLE_IMAGES = ("SELECT li.sha256 FROM listing_images li JOIN images i ON i.sha256 = li.sha256 "
                 "WHERE li.platform = ? AND li.listing_id = ? AND i.refused IS NULL ORDER BY li.position")


def _data_uri(data: bytes | None, mime: str = "image/png") -> str | None:
    if not data:
        return None
    if data.startswith(b"\xff\xd8"):
        mime = "image/jpeg"
    elif data[:4] == b"RIFF":
        mime = "image/webp"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _blob(db: Database, sha: str | None) -> bytes | None:
    if not sha:
        return None
    return db.blobs.read(sha)


def e(value: Any) -> str:
    """Escape for HTML text and attribute values (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str | None, text: str) -> str:
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return e(url or "")
    return f'<a href="{e(url)}" rel="noopener noreferrer nofollow">{e(text)}</a>'


def _img(uri: str | None, alt: str, cls: str) -> str:
    if uri is None:
        return f'<div class="{cls} noimg">no image</div>'
    return f'<img class="{cls}" src="{uri}" alt="{e(alt)}">'


def build_report(db: Database, *, policy: ReferralPolicy | None = None, title: str = "brandsweep leads",
                 max_leads: int | None = None, network_policy: NetworkPolicy | None = None) -> str:
    now = utcnow()
    networks = refresh_networks(db, now=now, policy=network_policy)
    rows = list(enrich(export_rows(db, leads_only=True), policy=policy))
    if max_leads is not None:
        rows = rows[:max_leads]
    tables = lead_stats(db, policy)
    pngs = charts({k: v for k, v in tables.items() if k in ("brand", "platform", "region", "week", "runs")})
    chart_html = "\n".join(f'<figure><img class="chart" src="{_data_uri(png)}" alt="{e("leads by " + name)}">'
                           f"</figure>" for name, png in pngs.items())
    by_brand: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_brand[row.get("brand") or "(no brand)"].append(row)
    leads_per_network: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.get("network_id"):
            leads_per_network[row["network_id"]] += 1
    sections = []
    for brand, items in sorted(by_brand.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        cards = "\n".join(_card(db, r) for r in items)
        sections.append(f'<section class="brand"><h2>{e(brand)} <small>{len(items)} lead(s) · '
                        f"{e(items[0].get('rightsholder') or '')}</small></h2>\n{cards}</section>")
    names = {(r["platform"], r["seller_id"]): r["name"]
             for r in db.query("SELECT platform, seller_id, name FROM sellers")}
    net_rows = []
    for net in networks:
        if not leads_per_network.get(net.network_id):
            continue
        members = "<br>".join(f"{e(p)} / {e(names.get((p, s)) or s)} <small>({e(', '.join(sorted(net.links[(p, s)])))})"
                              f"</small>" for p, s in net.members)
        net_rows.append(f'<tr id="{e(net.network_id)}"><td>{e(net.network_id)}</td><td class="num">{net.size}</td>'
                        f'<td class="num">{leads_per_network[net.network_id]}</td><td>{members}</td></tr>')
    referrals = sum(1 for r in rows if r.get("referral"))
    template = Template(resources.files(__package__).joinpath("templates/report.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=e(title), generated=e(now), version=e(__version__), n_leads=len(rows), n_brands=len(by_brand),
        n_networks=len(net_rows), n_referrals=referrals,
        threshold=e(f"{(policy or ReferralPolicy()).threshold_cny:,.0f}"), charts=chart_html,
        networks="\n".join(net_rows) or '<tr><td colspan="4">no seller networks among the leads</td></tr>',
        sections="\n".join(sections) or "<p>No leads.</p>",
    )


def _card(db: Database, r: dict[str, Any]) -> str:
    img_row = db.execute(USABLE_IMAGES + " LIMIT 1", (r["platform"], r["listing_id"])).fetchone()
    listing_img = _data_uri(_blob(db, img_row[0] if img_row else None))
    cat_row = db.execute("SELECT sha256 FROM catalog_images WHERE ref = ?", (r.get("image_ref"),)).fetchone() \
        if r.get("image_ref") else None
    catalog_img = _data_uri(_blob(db, cat_row[0] if cat_row else None))
    reasons = "".join(f"<li>{e(w)}</li>" for w in reasons_in_words(r.get("reasons") or ""))
    price = f"{r['price']:,.2f} {e(r.get('currency') or '')}" if r.get("price") is not None else "no price"
    sales = f"{r['sales_count']:,} sold" if r.get("sales_count") is not None else "sales unknown"
    value = f"≈ {r['sales_value_cny']:,.0f} CNY" if r.get("sales_value_cny") is not None else ""
    authority = (e(r.get("authority")) if r.get("authority")
                 else f'<span class="warn">unrouted: {e(r.get("routing_problem"))}</span>')
    network = (f'<a href="#{e(r["network_id"])}">{e(r["network_id"])}</a> ({r.get("network_size")} shops)'
               if r.get("network_id") else "none found")
    referral = '<span class="referral">refer to police</span>' if r.get("referral") else ""
    evidence = f"<code>{e(r['evidence_sha256'][:16])}…</code>" if r.get("evidence_sha256") else "not captured"
    images = _img(listing_img, "listing image", "listing") + _img(
        catalog_img, "catalog image " + (r.get("image_ref") or ""), "catalog")
    seller = e(r.get("seller_name") or r.get("seller_id") or "unknown")
    where = e(r.get("seller_location") or "location unknown")
    return f"""<article class="lead" id="{e(r.get('lead_id'))}">
<div class="images">{images}</div>
<div class="body">
<h3 class="title">{e(r.get('title'))}</h3>
<p class="meta"><span class="score">score {e(r.get('score'))}</span> {referral} · {e(r.get('lead_id'))}
 · status {e(r.get('status'))} · mark {e(r.get('mark_reg_no') or 'none')}</p>
<p>{price} · {e(sales)} {e(value)}</p>
<p>Seller: {seller} ({e(r.get('platform'))}) · {where}</p>
<p>Network: {network} · Authority: {authority}</p>
<p>Links: {_link(r.get('listing_url'), 'listing')} · Evidence: {evidence}</p>
<ul class="reasons">{reasons}</ul>
</div></article>"""


def write_report(db: Database, path: str | Path, *, policy: ReferralPolicy | None = None,
                 network_policy: NetworkPolicy | None = None) -> int:
    """Write the report to ``path`` atomically; return its size in bytes. ``network_policy`` is the
    ``[networks]`` configuration (None: the defaults)."""
    text = build_report(db, policy=policy, network_policy=network_policy)
    return write_atomic(Path(path), [text.encode("utf-8")])
