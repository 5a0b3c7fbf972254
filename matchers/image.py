"""Perceptual image hashes (the catalog image index is in :mod:`brandsweep.matchers.image_index`,
re-exported here).

Hash text format (30 chunks, 480 hex digits; ``HASH_CHUNKS``)
    Each chunk is 16 hex digits, a 64-bit hash that ``imagehash.hex_to_hash`` reads
    (``str(hex_to_hash(chunk)) == chunk``). Of the trimmed picture: chunk 0 the whole, 1 its centre
    (5% off each side), 2-9 cut by 10% at each side and each corner, 10-13 rotated by +3° and -3°
    (whole; inner part, 8% off each side), 14 the inner part unrotated, 15-16 the centre with 10%
    and 12.5% off every side. Then cuts that trim differently: 17-18 the untrimmed picture cut by
    10% and 12.5% on every side and *then* trimmed (what a listing cut from the catalog photo
    becomes), 19-20 the picture brightened by 1.3 and 1.6 and then trimmed (brightening clips a
    light backdrop to flat white, which trimming cuts), 21 trimmed with a looser flatness rule
    (when the frame was almost flat), 22 untrimmed (when trimming cut something), 23-26 the
    untrimmed picture cut by 10% at each corner and then trimmed, 27-28 the untrimmed picture
    rotated by +3° and -3° (filled with the frame colour) and then trimmed (23-28 only when the
    photo has a frame to trim; else they repeat 6-9 and 10, 12), 29 the core box (the rows and
    columns rich in the 30% of pixels farthest from the frame colour, which brightening keeps). A
    chunk that would equal chunk 0 repeats it. A listing photo cropped, brightened or slightly
    rotated from a catalog photo lands near one of them. Queries compare the listing's chunk 0 with
    every catalog chunk, and (``PAIRED``) its chunk 14 (rotation corners cut away, whatever their
    fill) with the catalog's inner chunks, its untrimmed chunk 22 with the catalog's 22 and its
    core chunk 29 with the catalog's 29; :meth:`ImageIndex.agreement` counts the query's chunks 0-14.

    A photo with rotation wedges (black or white fill in all four corners, falling linearly along
    each edge) is turned back upright by the angle the wedges' slope gives before anything else.

    Stores written before this format hold 15-chunk or 23-chunk hashes (a prefix of this layout,
    computed a little differently): they still query (pairings whose catalog chunk they lack are
    skipped), and ``hash_is_current`` tells them apart so the store re-hashes them from the kept
    bytes (``brandsweep.store.listings.rehash_stale_images``).

The hash (a DCT-sign pHash)
    decode (JPEG: ``Image.draft`` straight to grey at >= 128 px on the short side, a DCT-domain
    downscale far cheaper than a full decode; alpha flattened on white) -> trim uniform borders
    (repeatedly: an added frame, then a white studio background; a picture without a flat frame is
    left exactly as decoded) -> halve to 48-95 px -> every cut resampled to 32x32 and transformed
    by one matrix product per side (triangle-filter resampling folded into the 2-D DCT) -> the signs
    of the 64 lowest-frequency coefficients after the DC term. Using the *sign* (not the median)
    makes a mirror image exactly computable from the hash: a horizontal flip negates every
    coefficient of odd horizontal frequency, so ``hash(mirror(img)) == hash(img) ^ MIRROR_MASK``;
    the index queries both orientations.

Refusals (``ImageRefused.reason``)
    ``not_an_image``, ``broken`` (truncated or corrupt), ``too_many_pixels`` (decompression bomb:
    checked from the header, before decoding), ``blank`` (solid or near-solid colour),
    ``placeholder`` (a tiny mark on an empty canvas, e.g. "no image" icons).

Exceptions::

    ValueError
     └── ImageRefused   (reason: str)
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_PIXELS = 40_000_000
_BORDER_TOL = 24  # grey levels a pixel may differ from the border colour and still be border
_FLAT_TOL = 10  # a frame is flat (a border or a studio background) when this share of it is within
_FLAT_SHARE = 0.65  # _FLAT_TOL grey levels of its median colour
_LOOSE_FLAT_SHARE = 0.45  # the catalog also keeps the cut at this share (chunk 21)
_WORK = 128  # decode to at least this many pixels on the short side (and less than twice that)
_WEDGE = 0.08  # depth (share of the side) searched for rotation fill wedges along each edge
_CONTENT_SHARE = 0.03  # a row/column with fewer differing pixels is border (lets small watermarks go)
_BLANK_STD = 4.0
_PLACEHOLDER_AREA = 0.02
Box = tuple[float, float, float, float]  # fractions x0, y0, x1, y1 of a picture
_WHOLE = (0.0, 0.0, 1.0, 1.0)
_CENTRE = (0.05, 0.05, 0.95, 0.95)
_INNER = (0.08, 0.08, 0.92, 0.92)  # cuts away the corners a 3-4° rotation fills in
_ROTATIONS = (3.0, -3.0)
INNER_QUERY = 14  # the listing chunk compared with the catalog's inner chunks
HASH_CHUNKS = 30  # chunks in a hash of the current format (older stores hold 15-chunk hashes)
AGREEMENT_CHUNKS = 15  # agreement counts the query's chunks 0-14 (the later ones repeat them for most photos)
INNER_CHUNKS = (11, 13, 14)
UNTRIMMED_CHUNK = 22  # the photo untrimmed (chunk 0 when there was no frame to trim)
CORE_CHUNK = 29  # the box of the pixels least like the backdrop (see _core)
# (query chunk, catalog chunks it is compared with), besides chunk 0 against every catalog chunk: a
# brightened copy of a photo on white loses its light parts into the backdrop, so its trim box
# shrinks; its untrimmed picture and its core box do not move
PAIRED: tuple[tuple[int, tuple[int, ...]], ...] = (
    (INNER_QUERY, INNER_CHUNKS), (UNTRIMMED_CHUNK, (UNTRIMMED_CHUNK,)), (CORE_CHUNK, (CORE_CHUNK,)),
)
_CENTRE_CROPS = ((0.10, 0.10, 0.90, 0.90), (0.125, 0.125, 0.875, 0.875))  # chunks 15-16, 17-18 untrimmed
_GAINS = (1.3, 1.6)  # chunks 19-20: brightened by these factors, then trimmed
_HASH_MIN = 48  # variants are cut from a copy at least this many pixels on the short side
_CROPS: tuple[tuple[float, float, float, float], ...] = (
    _CENTRE,
    (0.10, 0.0, 1.0, 1.0), (0.0, 0.0, 0.90, 1.0), (0.0, 0.10, 1.0, 1.0), (0.0, 0.0, 1.0, 0.90),  # sides
    (0.10, 0.10, 1.0, 1.0), (0.0, 0.10, 0.90, 1.0), (0.10, 0.0, 1.0, 0.90), (0.0, 0.0, 0.90, 0.90),  # corners
)


class ImageRefused(ValueError):
    """The bytes are not an image we can fingerprint; ``reason`` is a short code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * x + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


_DCT32 = _dct_matrix(32)
_DCT32.setflags(write=False)
# (row = vertical frequency v, column = horizontal frequency u): 8x8 low block without DC, plus (0, 8)
_POSITIONS: tuple[tuple[int, int], ...] = tuple(
    [(v, u) for v in range(8) for u in range(8) if (v, u) != (0, 0)] + [(0, 8)]
)
_ROWS = np.array([p[0] for p in _POSITIONS])
_COLS = np.array([p[1] for p in _POSITIONS])
_WEIGHTS = np.array([1 << (63 - i) for i in range(64)], dtype=np.uint64)
MIRROR_MASK: int = int(sum(int(w) for w, u in zip(_WEIGHTS, _COLS, strict=True) if u % 2 == 1))


def open_picture(data: bytes, max_pixels: int, mode: str, size: int) -> tuple[Image.Image, tuple[int, int]]:
    """Decode image bytes the one way every photo reader does: pixel count bounded before decoding,
    JPEGs decoded by ``draft`` at >= ``size`` px (the DCT-domain downscale), EXIF orientation applied,
    transparency flattened on white, converted to ``mode`` ("L" or "RGB"). Returns the picture and
    the size it was stored at (before the draft). Raises ImageRefused."""
    if not data:
        raise ImageRefused("not_an_image", "empty body")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            w, h = img.size
            if w * h > max_pixels or w <= 0 or h <= 0:
                raise ImageRefused("too_many_pixels", f"{w}x{h} exceeds {max_pixels} pixels")
            if img.format == "JPEG" and img.mode in ("RGB", "L", "YCbCr"):
                img.draft(mode, (size, size))
            img.load()
            exif = img.format != "JPEG" or "exif" in img.info  # a JPEG without an EXIF block is upright
            if exif and img.getexif().get(0x0112, 1) != 1:  # EXIF orientation other than "upright"
                img = ImageOps.exif_transpose(img)
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                img = Image.alpha_composite(canvas, rgba)
            return (img if img.mode == mode else img.convert(mode)), (w, h)
    except ImageRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageRefused("too_many_pixels", str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise ImageRefused("not_an_image", str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRefused("broken", str(exc)) from exc


def _decode(data: bytes, max_pixels: int) -> np.ndarray:
    """Grey pixels at working size: JPEGs decoded by ``draft`` straight to grey at >= _WORK px (far
    less work than a full decode), other formats reduced the same way."""
    grey, _ = open_picture(data, max_pixels, "L", _WORK)
    factor = min(grey.size) // _WORK  # every format ends between _WORK and 2 * _WORK on its short side
    if factor >= 2:
        grey = grey.reduce(factor)
    return np.asarray(grey, dtype=np.float32)


def _wedge_fill(a: np.ndarray) -> tuple[float, float] | None:
    """``(fill level, border colour)`` when ``a`` has the fill wedges a rotation leaves (else None).

    Wedges are recognised by their shape: all four corners are fill-coloured (<= 8 or >= 247, the
    same extreme) and along each edge the fill is one run from a corner covering 10-90% of it (a
    rotation by a few degrees covers about half). The border colour is the median of the frame's
    other pixels (the fill itself would pull the median of the whole frame to a grey neither is)."""
    corners = np.array([a[0, 0], a[0, -1], a[-1, 0], a[-1, -1]])
    if (corners <= 8).all():
        fill_level = 0.0
    elif (corners >= 247).all():
        fill_level = 255.0
    else:
        return None  # rotation leaves every corner filled
    edges = (a[0], a[-1], a[:, 0], a[:, -1])
    masks = [np.abs(e - fill_level) <= 3 * _BORDER_TOL for e in edges]
    for m in masks:
        if m.all():
            return None
        run = max(int(np.argmin(m)), int(np.argmin(m[::-1])))  # run from the first or the last corner
        if not 0.10 * m.size <= run <= 0.90 * m.size or run < 0.8 * np.count_nonzero(m):
            return None
    bg = _median(np.concatenate(edges)[~np.concatenate(masks)])
    return None if abs(bg - fill_level) <= _BORDER_TOL else (fill_level, bg)


def _clear_wedges(a: np.ndarray) -> np.ndarray:
    """Paint over the thin fill wedges (black or white) that rotating a photo leaves along its
    edges with the border colour, so that trimming sees through them: in a strip along each edge,
    every run of fill-coloured pixels that starts at the edge, plus its anti-aliased fringe."""
    return _wedges(a)[0]


def _wedges(a: np.ndarray) -> tuple[np.ndarray, float]:
    """:func:`_clear_wedges`, and the rotation (degrees, counter-clockwise) the wedges' slope tells
    (0.0 without wedges): along an edge a wedge's depth falls linearly, by tan(angle) a pixel."""
    found = _wedge_fill(a)
    if found is None:
        return a, 0.0
    fill_level, bg = found
    out = a.copy()
    slopes: list[float] = []
    for _ in range(4):  # each edge in turn at the top, by rotating the array a quarter turn
        depth = max(2, int(out.shape[0] * _WEDGE))
        strip = out[:depth]
        starts = np.abs(strip[0] - fill_level) <= 3 * _BORDER_TOL
        fill = np.abs(strip - fill_level) <= 3 * _BORDER_TOL
        run = np.cumprod(fill & starts[None, :], axis=0).sum(axis=0)
        on = run > 0  # the wedge is the longer block of filled columns from a corner (the other
        lead = int(np.argmin(on)) if not on.all() else on.size  # corner's block is the next edge's wedge)
        tail = int(np.argmin(on[::-1])) if not on.all() else on.size
        span = np.arange(lead) if lead >= tail else np.arange(on.size - tail, on.size)
        wedge = span[run[span] < depth]
        if wedge.size >= 8:
            slope = float(np.polyfit(wedge.astype(np.float64), run[wedge].astype(np.float64), 1)[0])
            slopes.append(slope)  # falling from the left corner (< 0): turned counter-clockwise
        rows = np.arange(depth)[:, None]
        strip[(rows < run[None, :] + 2) & (run[None, :] > 0)] = bg
        out = np.rot90(out)
    angle = float(np.degrees(np.arctan(-np.median(slopes)))) if slopes else 0.0
    return np.ascontiguousarray(out), angle


def _straighten(a: np.ndarray) -> np.ndarray:
    """``a`` turned back upright when it has rotation wedges (see :func:`_wedges`), the corners the
    turn exposes filled with the border colour; else ``a`` itself."""
    cleared, angle = _wedges(a)
    if abs(angle) < 0.5 or abs(angle) > 10:
        return a
    bg = _median(np.concatenate([cleared[0], cleared[-1], cleared[:, 0], cleared[:, -1]]))
    picture = Image.fromarray(np.clip(cleared, 0, 255).astype(np.uint8))
    return np.asarray(picture.rotate(-angle, Image.Resampling.BILINEAR, fillcolor=int(bg)), np.float32)


def _median(v: np.ndarray) -> float:
    k = v.size // 2
    return float(np.partition(v, k)[k])


def _trim(original: np.ndarray, flat_share: float = _FLAT_SHARE) -> np.ndarray:
    """``original`` without its flat frame; unchanged when there is none. For pictures derived here
    (cuts, brightened or rotated copies of the decoded photo): no wedge clearing, the photo was
    straightened before they were cut, and a rotation of ours is filled with the frame colour."""
    return _trim_borderline(original, flat_share, clear=False)[0]


def _trim_borderline(original: np.ndarray, flat_share: float = _FLAT_SHARE,
                     clear: bool = True) -> tuple[np.ndarray, bool]:
    """``original`` without its flat frame (seen through rotation wedges when ``clear``; unchanged
    when there is none, not even the wedge clearing, which would paint over dark or bright content
    at the edges), and whether it stopped at a frame almost flat enough (share at least
    _LOOSE_FLAT_SHARE): a copy of the picture at another size or quality may decide otherwise."""
    a = _clear_wedges(original) if clear else original
    borderline = False
    for _ in range(3):
        frame = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
        bg = _median(frame)
        flat = np.count_nonzero(np.abs(frame - bg) <= _FLAT_TOL)
        if flat < flat_share * frame.size:
            borderline = flat >= _LOOSE_FLAT_SHARE * frame.size
            break  # no flat frame (a textured or graded backdrop): nothing to trim reliably
        diff = np.abs(a - bg) > _BORDER_TOL
        rows = np.flatnonzero(np.count_nonzero(diff, axis=1) > _CONTENT_SHARE * a.shape[1])
        cols = np.flatnonzero(np.count_nonzero(diff, axis=0) > _CONTENT_SHARE * a.shape[0])
        if rows.size == 0 or cols.size == 0:
            return a[:0, :0], False
        r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        if (r0, r1, c0, c1) == (0, a.shape[0], 0, a.shape[1]):
            break
        a = a[r0:r1, c0:c1]
    return (original if a.shape == original.shape else a), borderline


@functools.lru_cache(maxsize=1024)
def _resampler(n_out: int, n_in: int) -> np.ndarray:
    """``n_out x n_in`` matrix resampling a line of ``n_in`` pixels to ``n_out``: a triangle filter
    widened to the scale when shrinking (antialiased), linear interpolation when growing. Symmetric
    under reversal, so a mirrored picture resamples to the mirrored result."""
    scale = n_in / n_out
    support = max(scale, 1.0)
    centres = (np.arange(n_out) + 0.5) * scale - 0.5
    w = np.maximum(0.0, 1.0 - np.abs(np.arange(n_in)[None, :] - centres[:, None]) / support)
    w /= w.sum(axis=1, keepdims=True)
    w.setflags(write=False)
    return w


@functools.lru_cache(maxsize=256)
def _projector(n: int, rows: int) -> np.ndarray:
    """``rows x n``: resample ``n`` pixels to 32 then take the first ``rows`` DCT-II frequencies."""
    p = _DCT32[:rows] @ _resampler(32, n)
    p.setflags(write=False)
    return p


def _bits(coeffs: np.ndarray) -> list[int]:
    """The hashes of a stack of ``k x 8 x 9`` low-frequency DCT blocks: the signs at _POSITIONS."""
    packed = np.packbits(coeffs[:, _ROWS, _COLS] > 0, axis=1)
    return [int(v) for v in np.ascontiguousarray(packed).view(">u8")[:, 0]]


def _hash_boxes(a: np.ndarray, boxes: Sequence[Box]) -> list[int]:
    """DCT-sign hashes of ``boxes`` (fractions x0, y0, x1, y1) of ``a``, each resampled to 32x32:
    resampling and the 8 or 9 lowest DCT frequencies are folded into one matrix per side. One
    small product per box and side: stacking the boxes into one product would pass OpenBLAS's
    size threshold for threading, and on a busy 2-core machine its threads cost 10x the product."""
    blocks = np.empty((len(boxes), 8, 9))
    for k, box in enumerate(boxes):
        sub = _crop(a, box)
        np.matmul(_projector(sub.shape[0], 8) @ sub, _projector(sub.shape[1], 9).T, out=blocks[k])
    return _bits(blocks)


def _hash32(a: np.ndarray) -> int:
    """Hash of the whole of ``a``, halved first to at most 2 * _HASH_MIN - 1 px on the short side
    (see :func:`_hash_boxes` for why the product stays small)."""
    return _hash_boxes(_reduce(a), (_WHOLE,))[0]


def _reduce(a: np.ndarray) -> np.ndarray:
    """Halve (2x2 means) while the short side stays at least _HASH_MIN: every variant is resampled
    to 32x32, so more pixels only cost time."""
    while min(a.shape) >= 2 * _HASH_MIN:
        a = _halve(a)
    return a


def _halve(a: np.ndarray) -> np.ndarray:
    h, w = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
    return (a[0:h:2, 0:w:2] + a[1:h:2, 0:w:2] + a[0:h:2, 1:w:2] + a[1:h:2, 1:w:2]) * 0.25


def hash_image(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> str:
    """Perceptual hash text of an image body (see module doc); raises :class:`ImageRefused`."""
    whole = _straighten(_decode(data, max_pixels))
    if whole.size == 0 or float(whole[::2, ::2].std()) < _BLANK_STD:  # every other pixel tells
        raise ImageRefused("blank", "solid or near-solid image")
    full_area = whole.shape[0] * whole.shape[1]
    trimmed, borderline = _trim_borderline(whole)
    if trimmed.size == 0 or float(trimmed.std()) < _BLANK_STD:
        raise ImageRefused("blank", "nothing but border")
    if trimmed.shape[0] * trimmed.shape[1] < _PLACEHOLDER_AREA * full_area or min(trimmed.shape) < 8:
        raise ImageRefused("placeholder", "a tiny mark on an empty canvas")
    a = _reduce(trimmed)
    plain = _hash_boxes(a, (_WHOLE, *_CROPS, _INNER, *_CENTRE_CROPS))
    chunks = plain[:1 + len(_CROPS)]
    background = _median(np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]]))
    picture = Image.fromarray(np.clip(_halve(a) if min(a.shape) >= 64 else a, 0, 255).astype(np.uint8))
    for angle in _ROTATIONS:
        rotated = np.asarray(picture.rotate(angle, Image.Resampling.BILINEAR, fillcolor=int(background)), np.float32)
        chunks += _hash_boxes(rotated, (_WHOLE, _INNER))
    chunks += plain[1 + len(_CROPS):]
    # the same centre crops cut from the untrimmed picture, then trimmed, as a listing cut from the
    # catalog photo is: cutting can expose or remove a flat frame (trimmed at half size, enough to hash)
    half = _halve(whole) if min(whole.shape) >= 2 * _HASH_MIN else whole
    for box in _CENTRE_CROPS:
        cut = _trim(_crop(half, box))
        chunks.append(_hash32(cut) if min(cut.shape) >= 8 else chunks[0])
    # brightened copies: brightening clips a light backdrop to a flat white that trimming then cuts
    # (only when the frame is light enough to clip)
    frame_level = _median(np.concatenate([whole[0], whole[-1], whole[:, 0], whole[:, -1]]))
    for gain in _GAINS:
        bright = _trim(np.minimum(half * gain, 255.0)) if frame_level * gain >= 255 - _FLAT_TOL else half
        chunks.append(chunks[0] if _same_size(bright, trimmed, half, whole) or min(bright.shape) < 8
                      else _hash32(bright))
    # the other decision where the frame is almost flat or barely flat (the listing's copy, at another
    # size or quality, may decide otherwise): trimmed more loosely, and not trimmed at all
    loose = _trim(half, _LOOSE_FLAT_SHARE) if borderline else trimmed
    chunks.append(chunks[0] if _same_size(loose, trimmed, half, whole) or min(loose.shape) < 8 else _hash32(loose))
    chunks.append(chunks[0] if trimmed.shape == whole.shape else _hash32(half))
    # the listing's own edits done to the untrimmed photo, then trimmed (when the photo has a frame to
    # trim, the trim box moves with the edit): a 10% cut at each corner, a rotation by +-3 degrees
    framed = trimmed.shape != whole.shape
    for k, box in enumerate(_CROPS[5:9]):
        cut = _trim(_crop(half, box)) if framed else half[:0, :0]
        chunks.append(_hash32(cut) if min(cut.shape) >= 8 else chunks[5 + k])
    half_picture = Image.fromarray(np.clip(half, 0, 255).astype(np.uint8))
    for k, angle in enumerate(_ROTATIONS):
        if framed:
            turned = half_picture.rotate(angle, Image.Resampling.BILINEAR, fillcolor=int(frame_level))
            cut = _trim(np.asarray(turned, np.float32))
        else:
            cut = half[:0, :0]
        chunks.append(_hash32(cut) if min(cut.shape) >= 8 else chunks[9 + 2 * k])
    chunks.append(_hash32(_core(half)))
    return "".join(f"{c:016x}" for c in chunks)


_CORE_SHARE = 0.3  # share of the pixels, those least like the backdrop, that the core box bounds


def _core(a: np.ndarray) -> np.ndarray:
    """The box bounding the rows and columns rich in the 30% of pixels farthest from the frame's
    colour. Brightening or darkening (clipped or not) keeps which pixels those are, as long as they
    are not clipped themselves, where the trim box (everything unlike the backdrop) shrinks."""
    frame = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    far = np.abs(a - _median(frame))
    k = int(far.size * (1 - _CORE_SHARE))
    level = max(float(np.partition(far, k, axis=None)[k]), 1e-3)  # a selection, not quantile's sort
    mask = far >= level
    rows = np.flatnonzero(np.count_nonzero(mask, axis=1) > _CONTENT_SHARE * a.shape[1])
    cols = np.flatnonzero(np.count_nonzero(mask, axis=0) > _CONTENT_SHARE * a.shape[0])
    if rows.size == 0 or cols.size == 0 or min(rows[-1] - rows[0], cols[-1] - cols[0]) < 8:
        return a
    return a[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _same_size(a: np.ndarray, b: np.ndarray, a_whole: np.ndarray, b_whole: np.ndarray) -> bool:
    """Whether ``a`` (cut from ``a_whole``) and ``b`` (from ``b_whole``, another size) are the same cut."""
    scale = a_whole.shape[0] / b_whole.shape[0]
    return abs(a.shape[0] - b.shape[0] * scale) <= 1 and abs(a.shape[1] - b.shape[1] * scale) <= 1


def _span(n: int, start: float, end: float) -> tuple[int, int]:
    """Pixel range of the fractions ``start``-``end`` of ``n`` pixels (at least one pixel)."""
    first = int(start * n)
    return first, max(first + 1, round(end * n))


def _crop(a: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    r0, r1 = _span(a.shape[0], box[1], box[3])
    c0, c1 = _span(a.shape[1], box[0], box[2])
    return a[r0:r1, c0:c1]


def hash_is_current(text: str) -> bool:
    """Whether a stored hash text has the current format (else re-hash the image from its bytes)."""
    return len(text.strip()) == 16 * HASH_CHUNKS


def split_hash(text: str) -> list[int]:
    """The 64-bit chunks of a hash text; ValueError for text that is not whole hex chunks."""
    text = text.strip().lower()
    if not text or len(text) % 16:
        raise ValueError(f"hash text must be 16-hex-digit chunks, got {text!r}")
    return [int(text[i:i + 16], 16) for i in range(0, len(text), 16)]


# The index lives in its own module (this one would pass 600 lines); imported here so that
# ``from brandsweep.matchers.image import ImageIndex`` keeps working.
from brandsweep.matchers.image_index import ImageHit, ImageIndex  # noqa: E402

__all__ = ["HASH_CHUNKS", "MIRROR_MASK", "ImageHit", "ImageIndex", "ImageRefused", "hash_image", "hash_is_current",
           "open_picture", "split_hash"]
