"""``partnerapi``: a platform cooperation API (JSON only).

Every ``/v1/`` call needs the header ``X-Api-Key`` (default ``fixtures-api-key``; ``serve --api-key``
or env ``MARKETPLACE_FIXTURES_API_KEY``), else 401.  Over ``--api-rate`` requests per second per
key (burst twice that) it answers 429 with ``Retry-After`` (whole seconds).

- ``GET /v1/listings?limit=<=100&cursor=<opaque>`` -> ``{"data": [listing...], "next_cursor": str|null}``
- ``GET /v1/listings/<id>`` -> one listing; ``GET /v1/sellers/<id>`` -> seller with province, city,
  phone, address; ``GET /v1/images/<id>-<n>.jpg`` (no key needed).
- ``/robots.txt`` disallows ``/v1/admin/``.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

from brandsweep.marketplace_fixtures.server import Request, Response, Site, TokenBucket, text


def jsonr(obj: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                    headers or [])


def encode_cursor(k: int) -> str:
    return base64.urlsafe_b64encode(f"o:{k}".encode()).decode().rstrip("=")


def decode_cursor(c: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)).decode()
        return int(raw[2:]) if raw.startswith("o:") else None
    except (ValueError, UnicodeDecodeError):
        return None


class PartnerAPI(Site):
    name = "partnerapi"

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.bucket = TokenBucket(self.options.api_rate, self.options.api_rate * 2)

    def not_found(self) -> Response:
        return jsonr({"error": {"code": "not_found", "message": "no such resource"}}, 404)

    def listing_json(self, i: int) -> dict[str, Any]:
        x = self.gen.listing(i)
        s = self.gen.seller(i)
        return {"listing_id": x["listing_id"], "title": x["title"], "description": x["description"],
                "price": x["price"], "currency": x["currency"], "sales_count": x["sales_count"],
                "seller": {"seller_id": s.seller_id, "name": s.name, "province": s.province, "city": s.city},
                "image_urls": [f"{self.base_url}/v1/images/{x['listing_id']}-{n}.jpg" for n in range(len(x["images"]))],
                "url": f"{self.base_url}/v1/listings/{x['listing_id']}", "category": x["category"]}

    def route(self, req: Request) -> Response:
        p = req.path
        if p == "/robots.txt":
            return text("User-agent: *\nDisallow: /v1/admin/\n")
        if p == "/":
            return jsonr({"name": "Partner listings API", "version": "v1", "auth": "X-Api-Key header",
                          "endpoints": ["/v1/listings", "/v1/listings/{id}", "/v1/sellers/{id}"]})
        if p.startswith("/v1/images/"):
            return self.image(self.name, p[11:])
        if not p.startswith("/v1/"):
            return self.not_found()
        if req.headers.get("x-api-key") != self.options.api_key:
            return jsonr({"error": {"code": "unauthorized", "message": "missing or invalid X-Api-Key"}}, 401)
        wait = self.bucket.take(self.options.api_key)
        if wait > 0:
            return jsonr({"error": {"code": "rate_limited", "message": "too many requests"}}, 429,
                         [("Retry-After", str(max(1, math.ceil(wait))))])
        if p == "/v1/listings":
            idx = self.gen.by_platform[self.name]
            start = decode_cursor(req.arg("cursor")) if req.arg("cursor") else 0
            if start is None:
                return jsonr({"error": {"code": "bad_cursor", "message": "invalid cursor"}}, 400)
            lim = min(100, max(1, req.int_arg("limit", 50)))
            data = [self.listing_json(idx[k]) for k in range(start, min(start + lim, len(idx)))
                    if not self.gen.listing(idx[k]).get("removed")]
            nxt = encode_cursor(start + lim) if start + lim < len(idx) else None
            return jsonr({"data": data, "next_cursor": nxt})
        if p.startswith("/v1/listings/"):
            i = self.gen.index_of(self.name, p[13:])
            if i is None or self.gen.listing(i).get("removed"):
                return self.not_found()
            return jsonr(self.listing_json(i))
        if p.startswith("/v1/sellers/"):
            found = self.gen.find_seller(self.name, p[12:])
            if found is None:
                return self.not_found()
            _, s = found
            return jsonr({"seller_id": s.seller_id, "name": s.name, "province": s.province, "city": s.city,
                          "phone": s.phone, "address": s.address, "opened": s.opened})
        return self.not_found()
