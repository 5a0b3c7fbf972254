"""Seller networks: sellers across shops and platforms linked by what they share.

Union-find over sellers; two sellers are joined when they share

- a phone number (digits only, country code 86 dropped, at least 7 digits),
- an address (NFKC, case, spaces and punctuation ignored, at least 6 characters),
- a listing photo, byte for byte (same SHA-256), unless it is a plain copy of a catalog photo.

Those are strong links: one is enough. Weak signals join two sellers only when two different
kinds agree:

- a near-identical shop name (same after normalisation, at least 6 characters),
- a near-duplicate own photo (pHash within ``phash_bits``),
- the same location (never a link on its own; only corroboration).

Catalog photos are the trap: many unrelated counterfeiters show the rightsholder's own product
photo, and a plain resize or a mirror of it comes out byte-identical for everyone who makes it
(measured: without this rule, unrelated counterfeiters merge). So a plain copy of a catalog photo
(within ``verbatim_bits`` of it or of its mirror image) links nobody, and any identifier (photo,
phone, address, name) shared by more than ``max_group`` sellers links nobody. Authorized sellers
(the catalog's) are left out: they are not suspects. Generic shop names
(美美美妆旗舰店) recur among unrelated shops, hence names are weak.
``bench/bench_networks.py`` measures pairwise F1 against the test marketplaces' planted networks.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from brandsweep.store.db import Database, transaction

SellerKey = tuple[str, str]  # (platform, seller_id)


@dataclass(frozen=True, slots=True)
class NetworkPolicy:
    max_group: int = 8  # an identifier shared by more sellers than this links nobody
    phash_bits: int = 4  # near-duplicate own photos: pHash Hamming distance at most this
    catalog_bits: int = 12  # photos this close to a catalog photo link only by exact bytes
    verbatim_bits: int = 2  # a photo this close to a catalog photo is a plain copy: links nobody
    use_names: bool = True
    catalog_guard: bool = True  # False: every shared photo is a strong link (the naive rule, for the benchmark)
    attach_by_photo: bool = True  # sellers sharing a network member's photo join it (see _attach_by_photo)
    attach_max_networks: int = 2  # a photo touching more networks than this joins nothing

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> NetworkPolicy:
        """Parse a ``[networks]`` table; ``ValueError`` names the bad key."""
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            known = ("attach_by_photo", "attach_max_networks", "catalog_bits", "catalog_guard", "max_group",
                     "phash_bits", "use_names", "verbatim_bits")
            if key not in known:
                raise ValueError(f"{key}: unknown key (known: {', '.join(known)})")
            if key in ("use_names", "catalog_guard", "attach_by_photo"):
                if not isinstance(value, bool):
                    raise ValueError(f"{key}: expected true or false")
            elif isinstance(value, bool) or not isinstance(value, int) or value < (2 if key == "max_group" else 0):
                least = 2 if key == "max_group" else 0
                raise ValueError(f"{key}: expected a whole number ≥ {least}")
            kwargs[key] = value
        return cls(**kwargs)


@dataclass(slots=True)
class Network:
    network_id: str
    members: list[SellerKey]
    links: dict[SellerKey, set[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.members)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[SellerKey, SellerKey] = {}

    def find(self, x: SellerKey) -> SellerKey:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: SellerKey, b: SellerKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def norm_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits if len(digits) >= 7 else None


def norm_text(text: str | None, min_len: int = 6) -> str | None:
    if not text:
        return None
    s = unicodedata.normalize("NFKC", text).casefold()
    s = "".join(ch for ch in s if unicodedata.category(ch)[0] in "LN")
    return s if len(s) >= min_len else None


def find_networks(
    sellers: Iterable[Mapping[str, Any]],
    images: Iterable[tuple[SellerKey, str, str | None, bool]],
    catalog_phashes: Iterable[str],
    policy: NetworkPolicy | None = None,
) -> list[Network]:
    """Group sellers into networks (only groups of two or more), largest first.

    ``sellers``: rows with platform, seller_id, name, phone, address, location. ``images``:
    (seller, sha256, phash, matched a catalog photo) of every listing photo. ``catalog_phashes``: hex pHashes of the
    catalog's photos.
    """
    pol = policy or NetworkPolicy()
    strong: dict[tuple[str, str], set[SellerKey]] = defaultdict(set)
    weak: dict[tuple[str, str], set[SellerKey]] = defaultdict(set)
    for s in sellers:
        key = (s["platform"], s["seller_id"])
        for kind, value in (("phone", norm_phone(s.get("phone"))), ("address", norm_text(s.get("address")))):
            if value:
                strong[(kind, value)].add(key)
        name = norm_text(s.get("name")) if pol.use_names else None
        if name:
            weak[("name", name)].add(key)
        place = norm_text(s.get("location"), min_len=2)
        if place:
            weak[("place", place)].add(key)
    photo_sellers: dict[str, set[SellerKey]] = defaultdict(set)
    photo_hash: dict[str, str] = {}
    derived: set[str] = set()
    for seller, sha, phash, matched in images:
        photo_sellers[sha].add(seller)
        if phash:
            photo_hash[sha] = phash
        if matched:
            derived.add(sha)
    catalog = _as_ints(catalog_phashes)
    distance = {sha: _min_distance(int(ph, 16), catalog) for sha, ph in photo_hash.items()}
    derived |= {sha for sha, d in distance.items() if d <= pol.catalog_bits}
    for sha, owners in photo_sellers.items():
        if sha not in derived or not pol.catalog_guard:
            strong[("image", sha)] |= owners  # the seller's own photo (or the naive rule)
        elif distance.get(sha, 0) > pol.verbatim_bits:
            weak[("photo", sha)] |= owners  # an edited catalog photo: others may have made the same edit
    own = [sha for sha in photo_hash if sha not in derived and len(photo_sellers[sha]) <= pol.max_group]
    if pol.phash_bits and own:
        values = _as_ints(photo_hash[sha] for sha in own)
        for i, sha in enumerate(own):
            for j in np.nonzero(_popcount(values ^ values[i]) <= pol.phash_bits)[0]:
                if j > i:
                    weak[("photo~", f"{sha}:{own[j]}")] |= photo_sellers[sha] | photo_sellers[own[j]]
    uf = _UnionFind()
    links: dict[SellerKey, set[str]] = defaultdict(set)
    for (kind, _), members in strong.items():
        if 2 <= len(members) <= pol.max_group:
            first, *rest = sorted(members)
            for other in rest:
                uf.union(first, other)
            for m in members:
                links[m].add(kind)
    agree: dict[tuple[SellerKey, SellerKey], set[str]] = defaultdict(set)
    for (kind, _), members in weak.items():
        if 2 <= len(members) <= pol.max_group:
            for a, b in itertools.combinations(sorted(members), 2):
                agree[(a, b)].add(kind.rstrip("~"))
    for (a, b), kinds in agree.items():
        if len(kinds) >= 2:
            uf.union(a, b)
            links[a] |= kinds
            links[b] |= kinds
    if pol.attach_by_photo:
        _attach_by_photo(uf, weak, links, pol.max_group, pol.attach_max_networks)
    clusters: dict[SellerKey, list[SellerKey]] = defaultdict(list)
    for key in list(uf.parent):
        clusters[uf.find(key)].append(key)
    out = []
    for members in clusters.values():
        if len(members) < 2:
            continue
        members.sort()
        nid = "N-" + hashlib.sha256("\x1f".join(members[0]).encode()).hexdigest()[:8]
        out.append(Network(nid, members, {m: links[m] for m in members}))
    out.sort(key=lambda n: (-n.size, n.network_id))
    return out


def _attach_by_photo(uf: _UnionFind, weak: Mapping[tuple[str, str], set[SellerKey]],
                     links: dict[SellerKey, set[str]], max_group: int, max_networks: int) -> None:
    """Sellers showing the very photo that a member of a network shows join that network.

    An edited catalog photo alone links nobody (others make the same edit), but when a seller
    already linked to others by phone or address shows it, the other sellers showing the same
    bytes are taken as further shops of that network. A photo touching more than
    ``max_networks`` networks links nothing.
    """
    sizes: dict[SellerKey, int] = defaultdict(int)
    for key in list(uf.parent):
        sizes[uf.find(key)] += 1
    for (kind, _), owners in weak.items():
        if kind != "photo" or not 2 <= len(owners) <= max_group:
            continue
        roots = {uf.find(o) for o in owners}
        networks = [r for r in roots if sizes.get(r, 1) >= 2]
        if not 1 <= len(networks) <= max_networks or len(roots) < 2:
            continue
        first, *rest = sorted(owners)
        for other in rest:
            uf.union(first, other)
        for o in owners:
            links[o].add("photo")


def _as_ints(hexes: Iterable[str]) -> np.ndarray:
    vals = []
    for h in hexes:
        try:
            vals.append(int(h, 16) & 0xFFFFFFFFFFFFFFFF)
        except (TypeError, ValueError):
            continue
    return np.array(vals, dtype=np.uint64)


def _popcount(x: np.ndarray) -> np.ndarray:
    return np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)


def _min_distance(value: int, others: np.ndarray) -> int:
    if not len(others):
        return 64
    return int(_popcount(others ^ np.uint64(value & 0xFFFFFFFFFFFFFFFF)).min())


def compute_networks(db: Database, policy: NetworkPolicy | None = None) -> list[Network]:
    """Find networks among every seller in the store."""
    sellers = list(db.query(
        """
        SELECT s.platform, s.seller_id, s.name, s.phone, s.address, s.location FROM sellers s
        WHERE NOT EXISTS (SELECT 1 FROM authorized_sellers a
                          WHERE a.platform = s.platform AND a.seller_id = s.seller_id)
        """))
    images = [
        ((r[0], r[1]), r[2], r[3], bool(r[4]))
        for r in db.execute(
            """
            SELECT DISTINCT l.platform, l.seller_id, li.sha256, i.phash, m.image_ref IS NOT NULL
            FROM listing_images li
            JOIN listings l ON l.platform = li.platform AND l.listing_id = li.listing_id
            JOIN images i ON i.sha256 = li.sha256
            LEFT JOIN matches m ON m.platform = l.platform AND m.listing_id = l.listing_id
            WHERE l.seller_id IS NOT NULL AND li.sha256 IS NOT NULL AND i.refused IS NULL
            """
        )
    ]
    catalog = catalog_phashes(db)
    catalog_sha = {r[0] for r in db.execute("SELECT sha256 FROM catalog_images")}
    images = [im for im in images if im[1] not in catalog_sha]  # the catalog's own bytes link nobody
    return find_networks(sellers, images, catalog, policy)


def catalog_phashes(db: Database) -> list[str]:
    """pHashes of the catalog's photos and of their mirror images (a mirror is as plain a copy)."""
    from brandsweep.store.ingest import hash_image_bytes

    out = []
    for sha, phash in db.execute(
        "SELECT i.sha256, i.phash FROM catalog_images c JOIN images i ON i.sha256 = c.sha256 WHERE i.phash IS NOT NULL"
    ):
        out.append(phash)
        data = db.blobs.read(sha)
        if data is None:
            continue
        try:
            with Image.open(io.BytesIO(data)) as im:
                buf = io.BytesIO()
                ImageOps.mirror(im.convert("RGB")).save(buf, "PNG")
        except (OSError, ValueError):
            continue
        mirrored, _ = hash_image_bytes(buf.getvalue())
        if mirrored:
            out.append(mirrored)
    return out


def refresh_networks(db: Database, *, now: str, policy: NetworkPolicy | None = None) -> list[Network]:
    """Recompute networks and store them in ``seller_networks`` (replacing the last result)."""
    networks = compute_networks(db, policy)
    with transaction(db):
        db.execute("DELETE FROM seller_networks")
        for net in networks:
            for m in net.members:
                db.execute(
                    "INSERT INTO seller_networks (platform, seller_id, network_id, links, computed_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (m[0], m[1], net.network_id, ",".join(sorted(net.links.get(m, ()))), now),
                )
    return networks
