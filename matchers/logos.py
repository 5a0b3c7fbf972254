"""Catalog logos in listing photos: local features with geometric verification.

Index (built once from the catalog's logo images)
    Each logo is flattened on white, padded by a white margin (so the outline of the mark yields
    features too) and brought to ``LOGO_SIDE`` px on its longer side; its keypoints (positions)
    and descriptors are kept, detected at that size and at half of it (``LOGO_SCALES``).
    The same again for the logo in negative (``LOGO_NEGATIVE``, for light marks on dark products),
    as an entry of its own. SIFT (scale- and rotation-invariant, in OpenCV since 4.4) is used;
    ORB (binary, Hamming distance) only where SIFT is missing. ``LogoIndex.to_bytes()`` /
    ``from_bytes()`` store the index as a NumPy ``.npz`` without pickles (so it can live in a
    database column and be reloaded without re-detecting).

Match (one listing photo)
    1. decode, reduce to ``max_side`` px on the longer side, or enlarge (bicubic) a smaller photo to
       ``upscale_to`` px: a print 20-30 % of a 640 px photo's width has letters 5-8 px high, which
       give SIFT too few keypoints at their own size; at most ``max_features`` keypoints.
    2. every logo descriptor is paired with its two nearest photo descriptors in one brute-force
       call (all logos stacked), and kept when the nearest is clearly nearer than the second
       (Lowe's ratio test, ``ratio``).
    3. per logo with enough pairs: a homography by RANSAC (OpenCV ``findHomography``); the pairs
       that agree with it are the inliers, counted once per photo keypoint.
    4. the homography must be a plausible view of a flat mark: the logo's corners land as a convex
       quadrilateral, not mirrored, not degenerate (area at least ``MIN_AREA_SHARE`` of the photo,
       side lengths within ``MAX_SIDE_RATIO`` of each other).
    5. appearance: the photo is warped back into the logo's frame and compared tile by tile
       (8 x 2 tiles; high-passed grey, correlation over the ink and a band around it, the logo
       blurred to the size it has in the photo). At least ``min_agreement`` of the tiles holding
       ink must correlate at ``min_correlation`` or more. This is what tells apart brands sharing
       a mark shape (a roundel, a square) and lawful goods with the same kinds of shapes: the
       brand word must be there too, where the homography puts it.
    6. a brand is reported when one of its logos passes with at least ``min_inliers`` inliers.

Robust to scale (SIFT's pyramid), rotation (oriented keypoints), crop (any part of the logo with
enough inliers suffices) and perspective (a homography). Not to mirroring (a mirrored brand name is
not the mark).

Bounds: pixels (``max_side``), keypoints (``max_features``), and one brute-force match of
``logo keypoints x photo keypoints`` per photo; the wall time is bounded by the caller
(``photo_reader``).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from brandsweep.matchers.image import DEFAULT_MAX_PIXELS
from brandsweep.matchers.photo_text import decode_rgb

FORMAT_VERSION = 2  # 2: negative entries too (LOGO_NEGATIVE); part of the stored index's digest
LOGO_SIDE = 400  # longer side of an indexed logo, px
LOGO_MARGIN = 0.12  # white margin added around each logo (share of its longer side)
LOGO_FEATURES = 1000
LOGO_SCALES = (1.0, 0.5)  # the logo is described at these sizes (shares of LOGO_SIDE)
LOGO_NEGATIVE = True  # ... and in negative (an entry of its own), for light marks on dark products
DEFAULT_MAX_SIDE = 1024
DEFAULT_MAX_FEATURES = 3000
DEFAULT_UPSCALE_TO = 1024  # a photo with a shorter longer side is enlarged to it (at most max_side)
DEFAULT_RATIO = 0.8  # 0.75 lost small prints; the appearance check rejects what the looser test lets in
DEFAULT_MIN_INLIERS = 10
SIFT_CONTRAST = 0.01  # OpenCV's default is 0.04; lower keeps keypoints on faint, small marks
RANSAC_REPROJ = 5.0  # px at the working size
MIN_AREA_SHARE = 0.002  # the logo's projected area, share of the photo
MAX_SIDE_RATIO = 8.0  # longest / shortest side of the projected quadrilateral (perspective limit)
INK_LEVEL = 40  # a logo pixel this much darker than white is ink (the mark); the rest is background
TILES = (8, 2)  # columns, rows of the appearance check over the logo
TILE_MIN_INK = 0.02  # a tile is checked when this share of it is ink ...
TILE_MIN_VISIBLE = 0.6  # ... and this share of its ink falls inside the photo
HIGHPASS_SIGMA = 6.0  # px at the logo's indexed size
DEFAULT_MIN_CORRELATION = 0.5  # a tile agrees when photo and logo correlate at least this much
DEFAULT_MIN_AGREEMENT = 0.7  # share of checked tiles that must agree
_KNN_BLOCK = 4096  # logo keypoints per matrix product (4,096 x 3,000 distances: 48 MiB)


@dataclass(frozen=True, slots=True)
class LogoHit:
    """A catalog logo found in a photo."""

    brand: str
    logo: str  # the logo's name within the brand (file name, or the brand when it has one)
    inliers: int
    corners: tuple[tuple[int, int], ...]  # the logo's corners projected into the photo (original px)

    def to_json(self) -> dict[str, Any]:
        corners = [list(c) for c in self.corners]
        return {"brand": self.brand, "logo": self.logo, "inliers": self.inliers, "corners": corners}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> LogoHit:
        return cls(
            str(obj["brand"]), str(obj["logo"]), int(obj["inliers"]), tuple((int(x), int(y)) for x, y in obj["corners"])
        )


def has_sift() -> bool:
    return hasattr(cv2, "SIFT_create")


def _detector(algorithm: str, n: int) -> Any:
    if algorithm == "sift":
        return cv2.SIFT_create(nfeatures=n, contrastThreshold=SIFT_CONTRAST)
    if algorithm == "orb":
        return cv2.ORB_create(nfeatures=n)
    raise ValueError(f"unknown feature algorithm {algorithm!r} (sift or orb)")


def _grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _features(grey: np.ndarray, algorithm: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Keypoint positions (k x 2 float32) and descriptors (k x d; float32 SIFT, uint8 ORB)."""
    kps, desc = _detector(algorithm, n).detectAndCompute(grey, None)
    if desc is None or not kps:
        width = 128 if algorithm == "sift" else 32
        return np.zeros((0, 2), np.float32), np.zeros((0, width), np.float32 if algorithm == "sift" else np.uint8)
    pts = np.array([kp.pt for kp in kps], dtype=np.float32)
    return pts, desc


@dataclass(frozen=True, slots=True)
class _Logo:
    brand: str
    name: str
    size: tuple[int, int]  # (width, height) of the indexed logo, margin included
    points: np.ndarray
    descriptors: np.ndarray
    grey: np.ndarray  # the indexed logo (uint8, on white), for the appearance check
    ink: np.ndarray  # 1 where the mark is
    # features of the logo in negative: a mark printed light on a dark product (a white logo on a
    # black shoe) has every gradient reversed, which turns a SIFT keypoint's orientation by 180
    # degrees and reads its patch point-mirrored: another descriptor. Kept as an entry of its own,
    # so that its pairs are not outliers in the positive's RANSAC (which lost small prints)
    negative: bool = False


def _prepare_logo(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The logo in grey on white with a white margin, and its ink mask (1 where the mark is)."""
    rgb, _scale = decode_rgb(data, max_side=4 * LOGO_SIDE)
    grey = _grey(rgb)
    h, w = grey.shape
    f = LOGO_SIDE / max(h, w)
    grey = cv2.resize(grey, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    m = round(LOGO_MARGIN * LOGO_SIDE)
    grey = cv2.copyMakeBorder(grey, m, m, m, m, cv2.BORDER_CONSTANT, value=255)
    ink = (grey < 255 - INK_LEVEL).astype(np.uint8)
    return grey, ink


def _logo_features(grey: np.ndarray, algorithm: str) -> tuple[np.ndarray, np.ndarray]:
    """Keypoints of the logo at its indexed size and at the smaller ``LOGO_SCALES``, all in the
    indexed logo's coordinates: a mark printed small in a photo keeps only its coarse structure,
    which the full-size logo's fine keypoints do not describe."""
    all_pts, all_desc = [], []
    for f in LOGO_SCALES:
        img = grey if f == 1.0 else cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        pts, desc = _features(img, algorithm, LOGO_FEATURES)
        all_pts.append(pts / f)
        all_desc.append(desc)
    return np.concatenate(all_pts).astype(np.float32), np.concatenate(all_desc)


class LogoIndex:
    """Features of catalog logos, built once; ``match(photo)`` finds them in a listing photo."""

    def __init__(self, logos: list[_Logo], algorithm: str) -> None:
        self.algorithm = algorithm
        self._logos = logos
        self._offsets = np.cumsum([0] + [len(lg.points) for lg in logos])
        if logos:
            self._stacked = np.concatenate([lg.descriptors for lg in logos])
        else:
            self._stacked = np.zeros((0, 128 if algorithm == "sift" else 32), np.float32)
        if algorithm == "sift":
            self._stacked = self._stacked.astype(np.float32, copy=False)
        self._stacked_sq = (self._stacked.astype(np.float32) ** 2).sum(axis=1)

    # -- building and storing ---------------------------------------------------------------------

    @classmethod
    def build(cls, logos: Iterable[tuple[str, str, bytes]], algorithm: str = "auto") -> LogoIndex:
        """Index ``(brand, name, image bytes)`` triples. ``algorithm``: auto (SIFT when available),
        sift or orb. Raises ValueError naming the logo that cannot be read or has no features."""
        algo = ("sift" if has_sift() else "orb") if algorithm == "auto" else algorithm
        _detector(algo, 1)  # validates the name
        entries: list[_Logo] = []
        for brand, name, data in logos:
            try:
                grey, ink = _prepare_logo(data)
            except ValueError as exc:
                raise ValueError(f"logo {brand}/{name}: {exc}") from exc
            pts, desc = _logo_features(grey, algo)
            if len(pts) < 4:
                raise ValueError(f"logo {brand}/{name}: only {len(pts)} features (a plain or tiny picture)")
            size = (grey.shape[1], grey.shape[0])
            entries.append(_Logo(brand, name, size, pts, desc, grey, ink))
            if LOGO_NEGATIVE:
                pts, desc = _logo_features(255 - grey, algo)
                entries.append(_Logo(brand, name, size, pts, desc, grey, ink, negative=True))
        return cls(entries, algo)

    def __len__(self) -> int:
        return sum(not lg.negative for lg in self._logos)

    @property
    def brands(self) -> list[str]:
        return sorted({lg.brand for lg in self._logos})

    def to_bytes(self) -> bytes:
        meta = {
            "format": FORMAT_VERSION,
            "algorithm": self.algorithm,
            "logos": [{"brand": lg.brand, "name": lg.name, "size": list(lg.size), "negative": lg.negative}
                      for lg in self._logos],
        }
        arrays: dict[str, np.ndarray] = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
        for i, lg in enumerate(self._logos):
            arrays[f"p{i}"] = lg.points
            arrays[f"d{i}"] = lg.descriptors
            arrays[f"g{i}"] = lg.grey
            arrays[f"k{i}"] = lg.ink
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LogoIndex:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode())
                if meta.get("format") != FORMAT_VERSION:
                    raise ValueError(f"logo index format {meta.get('format')!r}, expected {FORMAT_VERSION}")
                algo = meta["algorithm"]
                logos = [
                    _Logo(
                        m["brand"],
                        m["name"],
                        (int(m["size"][0]), int(m["size"][1])),
                        z[f"p{i}"],
                        z[f"d{i}"],
                        z[f"g{i}"],
                        z[f"k{i}"],
                        bool(m.get("negative", False)),
                    )
                    for i, m in enumerate(meta["logos"])
                ]
        except (OSError, KeyError, EOFError, ValueError, zipfile.BadZipFile) as exc:  # JSON errors are ValueErrors
            raise ValueError(f"not a logo index: {exc}") from exc
        if algo == "sift" and not has_sift():
            raise ValueError("logo index was built with SIFT, which this OpenCV lacks")
        return cls(logos, algo)

    # -- matching ----------------------------------------------------------------------------------

    def match(
        self,
        photo: bytes,
        *,
        min_inliers: int = DEFAULT_MIN_INLIERS,
        ratio: float = DEFAULT_RATIO,
        min_correlation: float = DEFAULT_MIN_CORRELATION,
        min_agreement: float = DEFAULT_MIN_AGREEMENT,
        max_side: int = DEFAULT_MAX_SIDE,
        max_features: int = DEFAULT_MAX_FEATURES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        upscale_to: int = DEFAULT_UPSCALE_TO,
    ) -> list[LogoHit]:
        """Brands whose logo is in the photo, best first (one hit per brand). Raises ImageRefused."""
        if min_inliers < 4:
            raise ValueError(f"min_inliers must be at least 4 (a homography), got {min_inliers}")
        if not self._logos:
            return []
        rgb, scale = decode_rgb(photo, max_side, max_pixels)
        grey = _grey(rgb)
        f = min(upscale_to, max_side) / max(grey.shape)
        if f > 1.0:  # small photos: enlarged, so that small prints keep enough keypoints
            grey = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
            scale /= f
        pts, desc = _features(grey, self.algorithm, max_features)
        if len(pts) < min_inliers:
            return []
        pairs = self._ratio_pairs(desc, ratio)
        area = float(grey.shape[0] * grey.shape[1])
        best: dict[str, LogoHit] = {}
        for i, lg in enumerate(self._logos):
            mine = pairs[(pairs[:, 0] >= self._offsets[i]) & (pairs[:, 0] < self._offsets[i + 1])]
            if len(np.unique(mine[:, 1])) < min_inliers:
                continue
            src = lg.points[mine[:, 0] - self._offsets[i]]
            dst = pts[mine[:, 1]]
            hom, mask = cv2.findHomography(src, dst, cv2.RANSAC, RANSAC_REPROJ, maxIters=2000, confidence=0.995)
            if hom is None or mask is None:
                continue
            inliers = len(np.unique(mine[mask.ravel().astype(bool), 1]))
            if inliers < min_inliers:
                continue
            quad = _project(hom, lg.size)
            if quad is None or not _plausible(quad, area):
                continue
            if _agreement(lg, grey, hom, min_correlation) < min_agreement:
                continue
            hit = LogoHit(lg.brand, lg.name, inliers, tuple((round(x * scale), round(y * scale)) for x, y in quad))
            if lg.brand not in best or hit.inliers > best[lg.brand].inliers:
                best[lg.brand] = hit
        return sorted(best.values(), key=lambda h: (-h.inliers, h.brand))

    def _ratio_pairs(self, desc: np.ndarray, ratio: float) -> np.ndarray:
        """(logo keypoint, photo keypoint) index pairs that pass the ratio test."""
        if len(desc) < 2 or len(self._stacked) == 0:
            return np.zeros((0, 2), np.int64)
        if self.algorithm != "sift":
            knn = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(self._stacked, desc, k=2)
            keep = [(m[0].queryIdx, m[0].trainIdx) for m in knn
                    if len(m) == 2 and m[0].distance < ratio * m[1].distance]
            return np.array(keep, dtype=np.int64).reshape(-1, 2)
        return _ratio_pairs_l2(self._stacked, self._stacked_sq, desc.astype(np.float32, copy=False), ratio)


def _ratio_pairs_l2(
    logo: np.ndarray, logo_sq: np.ndarray, photo: np.ndarray, ratio: float, block: int = _KNN_BLOCK
) -> np.ndarray:
    """Lowe's ratio test for float descriptors, exactly as ``BFMatcher(NORM_L2).knnMatch(k=2)`` but as
    one matrix product per block of logo keypoints (squared distances |a|^2 + |b|^2 - 2ab; BLAS
    does in ~30 ms what the brute-force matcher did in ~200 ms at 2,500 x 3,000 keypoints)."""
    photo_sq = (photo**2).sum(axis=1)
    r2 = ratio * ratio
    out = []
    for start in range(0, len(logo), block):
        a = logo[start : start + block]
        d2 = a @ photo.T
        d2 *= -2.0
        d2 += logo_sq[start : start + block, None]
        d2 += photo_sq[None, :]
        np.maximum(d2, 0.0, out=d2)
        every = np.arange(len(a))
        nearest = d2.argmin(axis=1)  # the first of equals, as the matcher
        first = d2[every, nearest]
        d2[every, nearest] = np.inf
        second = d2.min(axis=1)
        # squared distances: d0 < ratio * d1 as the matcher's; a tie fails as there
        rows = np.nonzero(first < r2 * second)[0]
        out.append(np.stack([rows + start, nearest[rows]], axis=1))
    return np.concatenate(out).astype(np.int64) if out else np.zeros((0, 2), np.int64)


def _project(hom: np.ndarray, size: tuple[int, int]) -> list[tuple[float, float]] | None:
    w, h = size
    corners = np.array([[[0, 0]], [[w, 0]], [[w, h]], [[0, h]]], dtype=np.float32)
    out = cv2.perspectiveTransform(corners, hom)
    if not np.isfinite(out).all():
        return None
    return [(float(p[0][0]), float(p[0][1])) for p in out]


def _plausible(quad: list[tuple[float, float]], photo_area: float) -> bool:
    """A flat logo seen by a camera: a convex, unmirrored quadrilateral of some size and sane shape."""
    q = np.array(quad, dtype=np.float64)
    edges = np.roll(q, -1, axis=0) - q
    nxt = np.roll(edges, -1, axis=0)
    cross = edges[:, 0] * nxt[:, 1] - edges[:, 1] * nxt[:, 0]
    if not (cross > 0).all():  # image y points down: clockwise corners give positive cross products
        return False  # concave, twisted or mirrored
    area = 0.5 * abs(float(np.sum(q[:, 0] * np.roll(q[:, 1], -1) - np.roll(q[:, 0], -1) * q[:, 1])))
    if area < MIN_AREA_SHARE * photo_area:
        return False
    sides = np.hypot(edges[:, 0], edges[:, 1])
    return float(sides.max()) <= MAX_SIDE_RATIO * max(float(sides.min()), 1e-9)


def _agreement(lg: _Logo, photo: np.ndarray, hom: np.ndarray, min_correlation: float) -> float:
    """Share of the logo's tiles whose look the photo repeats where the homography puts them.

    The photo is warped back into the logo's frame; in each tile that holds ink and lies mostly
    inside the photo, the logo and the photo are compared by correlation over the ink and a thin
    band around it (the letters' and the mark's outline), sign ignored (a light logo on a dark
    product). Marks shared by several brands (a roundel, a square) agree only in their own tiles:
    the brand word must agree too.
    """
    w, h = lg.size
    back = cv2.warpPerspective(photo, hom, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    seen = cv2.warpPerspective(
        np.ones(photo.shape, np.uint8), hom, (w, h), flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP
    ).astype(bool)
    band = cv2.dilate(lg.ink, np.ones((9, 9), np.uint8)).astype(bool)
    # the photo shows the logo at ``scale`` photo px per logo px; warped back, it is that much
    # blurrier than the indexed logo: blur the logo alike before comparing
    scale = _scale_at_centre(hom, lg.size)
    logo_grey = lg.grey
    if scale < 0.9:
        logo_grey = cv2.GaussianBlur(logo_grey, (0, 0), 0.5 * np.sqrt(1.0 / scale**2 - 1.0))
    logo_f = _highpass(logo_grey)
    back_f = _highpass(back)
    cols, rows = TILES
    checked = agreed = 0
    for r in range(rows):
        for c in range(cols):
            ys = slice(r * h // rows, (r + 1) * h // rows)
            xs = slice(c * w // cols, (c + 1) * w // cols)
            ink = lg.ink[ys, xs].astype(bool)
            if ink.mean() < TILE_MIN_INK or (ink & seen[ys, xs]).sum() < TILE_MIN_VISIBLE * ink.sum():
                continue
            sel = band[ys, xs] & seen[ys, xs]
            a = logo_f[ys, xs][sel]
            b = back_f[ys, xs][sel]
            checked += 1
            if a.std() < 1.0 or b.std() < 1.0:
                continue
            corr = float(np.corrcoef(a, b)[0, 1])
            agreed += abs(corr) >= min_correlation
    return agreed / checked if checked else 0.0


def _highpass(grey: np.ndarray) -> np.ndarray:
    """The picture less its blurred self: strokes and outlines stay, shading and backdrop go."""
    f = grey.astype(np.float32)
    return f - cv2.GaussianBlur(f, (0, 0), HIGHPASS_SIGMA)


def _scale_at_centre(hom: np.ndarray, size: tuple[int, int]) -> float:
    """Photo pixels per logo pixel around the logo's centre (square root of the local area ratio)."""
    w, h = size
    pts = np.array([[[w / 2, h / 2]], [[w / 2 + 1, h / 2]], [[w / 2, h / 2 + 1]]], dtype=np.float64)
    out = cv2.perspectiveTransform(pts, hom)[:, 0, :]
    dx, dy = out[1] - out[0], out[2] - out[0]
    return float(np.sqrt(abs(dx[0] * dy[1] - dx[1] * dy[0])))
