"""Export profiles: which of our fields a case system gets, in which order, under which names.

A profile maps our field names to a case system's column names, order and language. The
``default`` profile is exactly formats.md §3. Profiles come from configuration
(``[export_profiles.NAME]`` in the config file) through :meth:`ExportProfile.from_mapping`::

    [export_profiles.mycase]
    fields = ["lead_id", "listing_url", "title", "brand", "mark_reg_no", "score"]
    headers = { lead_id = "Case ref", listing_url = "URL" }   # optional; default: the field name
    format = "csv"                                            # optional: csv or jsonl
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

# formats.md §3, in this order: the default profile.
COLUMNS: tuple[str, ...] = (
    "lead_id", "platform", "listing_id", "listing_url", "title", "price", "currency",
    "seller_id", "seller_name", "seller_location", "sales_count", "brand_id", "brand",
    "rightsholder", "mark_reg_no", "score", "is_lead", "reasons", "image_ref", "image_distance",
    "first_seen", "last_seen", "evidence_sha256",
)
# Fields beyond §3 that profiles may use.
EXTRA_FIELDS: tuple[str, ...] = (
    "status", "note", "first_flagged_at", "exported_at", "network_id", "network_size", "authority_id",
    "authority", "authority_en", "region", "sales_value_cny", "referral", "image_urls",
)
FIELDS: frozenset[str] = frozenset(COLUMNS + EXTRA_FIELDS)
NUMERIC = frozenset({"price", "sales_count", "score", "is_lead", "image_distance", "network_size",
                     "sales_value_cny", "referral"})
FORMATS = ("csv", "jsonl")

_ZH = MappingProxyType({
    "lead_id": "线索编号", "platform": "平台", "listing_id": "商品编号", "listing_url": "商品链接", "title": "商品标题",
    "price": "价格", "currency": "币种", "seller_id": "店铺编号", "seller_name": "店铺名称",
    "seller_location": "所在地",
    "sales_count": "销量", "brand": "涉嫌侵权品牌", "rightsholder": "权利人", "mark_reg_no": "商标注册号",
    "score": "风险评分", "reasons": "判定依据", "sales_value_cny": "估算销售金额（元）", "referral": "建议移送公安",
    "network_id": "关联团伙编号", "authority": "管辖机关", "region": "省级行政区", "status": "处理状态",
    "first_seen": "首次发现时间", "last_seen": "最近发现时间", "evidence_sha256": "证据包摘要（SHA-256）",
})


@dataclass(frozen=True, slots=True)
class ExportProfile:
    name: str
    fields: tuple[str, ...]
    headers: tuple[str, ...]
    format: str | None = None  # None: the caller's --format decides

    @classmethod
    def from_mapping(cls, name: str, data: Mapping[str, Any]) -> ExportProfile:
        """Parse one ``[export_profiles.NAME]`` table; ``ValueError`` names the bad key."""
        known = {"fields", "headers", "format"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown key (known: {', '.join(sorted(known))})")
        fields = data.get("fields")
        if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
            raise ValueError("fields: expected a non-empty list of field names")
        for n, f in enumerate(fields):
            if f not in FIELDS:
                raise ValueError(f"fields[{n}]: unknown field {f!r} (known: {', '.join(sorted(FIELDS))})")
        if len(set(fields)) != len(fields):
            raise ValueError("fields: a field is listed twice")
        headers = data.get("headers", {})
        if not isinstance(headers, Mapping):
            raise ValueError("headers: expected a table of field = column name")
        for f, h in headers.items():
            if f not in fields:
                raise ValueError(f"headers.{f}: not one of this profile's fields")
            if not isinstance(h, str) or not h.strip():
                raise ValueError(f"headers.{f}: expected a non-empty column name")
        fmt = data.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
        names = tuple(str(headers.get(f, f)) for f in fields)
        if len(set(names)) != len(names):
            raise ValueError("headers: two fields get the same column name")
        return cls(name=name, fields=tuple(fields), headers=names, format=fmt)


def builtin_profiles() -> dict[str, ExportProfile]:
    """The profiles shipped with brandsweep: ``default`` (formats.md §3), ``listings`` (§3 plus ``image_urls``),
    ``full``, ``cn`` (Chinese headers)."""
    cn_fields = ["lead_id", "status", "brand", "rightsholder", "mark_reg_no", "platform", "listing_url", "title",
                 "price", "currency", "sales_count", "sales_value_cny", "referral", "seller_name", "seller_location",
                 "region", "authority", "network_id", "score", "reasons", "first_seen", "last_seen",
                 "evidence_sha256"]
    return {
        "default": ExportProfile("default", COLUMNS, COLUMNS),
        # `listings export`: §3's columns, then the listing's image URLs (space-separated in CSV, a list in JSONL).
        "listings": ExportProfile("listings", (*COLUMNS, "image_urls"), (*COLUMNS, "image_urls")),
        "full": ExportProfile("full", COLUMNS + EXTRA_FIELDS, COLUMNS + EXTRA_FIELDS),
        "cn": ExportProfile.from_mapping("cn", {"fields": cn_fields, "headers": {f: _ZH[f] for f in cn_fields}}),
    }


def get_profile(name: str, extra: Mapping[str, ExportProfile] | None = None) -> ExportProfile:
    profiles = {**builtin_profiles(), **(extra or {})}
    if name not in profiles:
        raise ValueError(f"unknown export profile {name!r} (known: {', '.join(sorted(profiles))})")
    return profiles[name]
