"""Text in listing photos (OCR): brand words, "AAA 1:1" stamps, the name printed on the box.

Engine
    RapidOCR (``rapidocr_onnxruntime``): PaddlePaddle's PP-OCRv4 detection and recognition models
    and the v2 direction classifier, in ONNX, shipped inside the wheel (Chinese + English, digits
    and punctuation; no download at run time), run by onnxruntime on the CPU.

Bounds (per image)
    * pixels: the header is checked before decoding (``max_pixels``, decompression bombs refused),
      then the picture is reduced so that its longer side is at most ``max_side`` (default 960 px);
      detection runs at that size, never upscaled.
    * work: at most ``max_boxes`` text boxes are recognised (the detector's candidates), and
      onnxruntime uses one thread, so that a pool of N workers uses N cores.
    * time: this module cannot stop a running inference; the caller bounds wall time by running it
      in a worker process that is killed past its deadline (``photo_reader.PhotoReader``).

``read_text(data)`` returns :class:`OcrLine` (text, confidence in [0, 1], box corners in the
original image's pixels), top to bottom, lines under ``min_confidence`` left out. The engine is
loaded once per process (about 0.3 s) and kept.

Refusals raise :class:`image.ImageRefused` (``not_an_image``, ``broken``, ``too_many_pixels``),
the same reasons the perceptual hash gives.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from brandsweep.matchers.image import DEFAULT_MAX_PIXELS, open_picture

DEFAULT_MAX_SIDE = 960
DEFAULT_MIN_CONFIDENCE = 0.5
DEFAULT_MAX_BOXES = 60


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of text read from a photo."""

    text: str
    confidence: float
    box: tuple[tuple[int, int], ...]  # four corners (x, y) in the original picture's pixels

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "confidence": self.confidence, "box": [list(p) for p in self.box]}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> OcrLine:
        return cls(str(obj["text"]), float(obj["confidence"]), tuple((int(x), int(y)) for x, y in obj["box"]))


def decode_rgb(data: bytes, max_side: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[np.ndarray, float]:
    """Decode image bytes to an RGB array whose longer side is at most ``max_side``.

    Returns the array and the scale (original pixels per array pixel, >= 1). Transparent pictures
    are flattened on white; EXIF orientation is applied. Raises ImageRefused.
    """
    img, (w, h) = open_picture(data, max_pixels, "RGB", max_side)
    orig_long = max(w, h)
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    scale = orig_long / max(img.size)
    return np.asarray(img, dtype=np.uint8), max(scale, 1.0)


class TextReader:
    """RapidOCR with the bounds above; one per process (see :func:`read_text`)."""

    def __init__(
        self,
        max_side: int = DEFAULT_MAX_SIDE,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        max_boxes: int = DEFAULT_MAX_BOXES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> None:
        if max_side < 64:
            raise ValueError(f"max_side must be at least 64, got {max_side}")
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence}")
        if max_boxes < 1:
            raise ValueError(f"max_boxes must be at least 1, got {max_boxes}")
        from rapidocr_onnxruntime import RapidOCR  # heavy (onnxruntime, cv2): only where OCR runs

        self.max_side = max_side
        self.min_confidence = min_confidence
        self.max_boxes = max_boxes
        self.max_pixels = max_pixels
        self._engine = RapidOCR(
            det_limit_type="max",  # reduce to det_limit_side_len at most; never upscale small photos
            det_limit_side_len=max_side,
            det_max_candidates=max_boxes,
            max_side_len=max_side,
            text_score=min_confidence,
            intra_op_num_threads=1,
            inter_op_num_threads=1,
        )
        self._lock = threading.Lock()  # the engine is not thread-safe

    def read(self, data: bytes) -> list[OcrLine]:
        rgb, scale = decode_rgb(data, self.max_side, self.max_pixels)
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        with self._lock:
            result, _elapsed = self._engine(bgr)
        lines: list[OcrLine] = []
        for box, text, score in result or ():
            text = str(text).strip()
            conf = float(score)
            if not text or conf < self.min_confidence:
                continue
            corners = tuple((round(float(x) * scale), round(float(y) * scale)) for x, y in box)
            lines.append(OcrLine(text, conf, corners))
        return lines


_READERS: dict[tuple[int, float, int, int], TextReader] = {}
_READERS_LOCK = threading.Lock()


def read_text(
    data: bytes,
    *,
    max_side: int = DEFAULT_MAX_SIDE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    max_boxes: int = DEFAULT_MAX_BOXES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> list[OcrLine]:
    """Text lines read from image bytes, with this process's engine for these settings.

    Runs in the calling thread: call it from a worker process (``photo_reader``), not from a
    crawler's reactor.
    """
    return text_reader(max_side, min_confidence, max_boxes, max_pixels).read(data)


def text_reader(
    max_side: int = DEFAULT_MAX_SIDE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    max_boxes: int = DEFAULT_MAX_BOXES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> TextReader:
    """This process's engine for these settings, loaded on first use and kept."""
    key = (max_side, min_confidence, max_boxes, max_pixels)
    with _READERS_LOCK:
        reader = _READERS.get(key)
        if reader is None:
            reader = _READERS[key] = TextReader(max_side, min_confidence, max_boxes, max_pixels)
    return reader


def joined_text(lines: list[OcrLine] | tuple[OcrLine, ...]) -> str:
    """The lines as one text for the title normaliser and text index: one line per text box."""
    return "\n".join(line.text for line in lines)
