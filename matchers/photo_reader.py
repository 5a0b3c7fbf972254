"""Read listing photos (OCR text and catalog logos) in worker processes, each image bounded in time.

::

    settings = PhotoSettings(ocr=True, logos=True, workers=2, timeout=20.0)
    with PhotoReader(settings, logo_index) as reader:     # workers start here (spawn)
        reading = reader.read(jpeg_bytes)                 # blocks the caller, runs in a worker
        future = reader.submit(jpeg_bytes)                # concurrent.futures.Future[PhotoReading]
        readings = reader.read_many([a, b, c])            # spread over the workers

Never in the caller's thread: every image goes to one of ``workers`` processes (started with
``spawn``: no inherited reactor, threads or open database handles), each holding its own OCR
engine and the logo index (sent once, as bytes, at start). A dispatcher thread hands out images
and collects results; an image still running after ``timeout`` seconds has its worker killed and
replaced, and yields status ``timeout``. A worker that dies yields ``error`` and is replaced too.

With ``ocr`` and ``logos`` both off (or no logo index) no process is started and every reading has
status ``off``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from brandsweep.matchers import logos as logo_mod
from brandsweep.matchers import photo_text
from brandsweep.matchers.config import MatchConfig
from brandsweep.matchers.image import DEFAULT_MAX_PIXELS, ImageRefused


@dataclass(frozen=True, slots=True)
class PhotoSettings:
    """Switches and bounds of the photo engines (the future ``[matchers]`` photo keys)."""

    ocr: bool = True
    logos: bool = True
    workers: int = 1
    timeout: float = 20.0  # seconds per image, wall clock, OCR and logos together
    max_pixels: int = DEFAULT_MAX_PIXELS
    ocr_max_side: int = photo_text.DEFAULT_MAX_SIDE
    ocr_min_confidence: float = photo_text.DEFAULT_MIN_CONFIDENCE
    ocr_max_boxes: int = photo_text.DEFAULT_MAX_BOXES
    logo_max_side: int = logo_mod.DEFAULT_MAX_SIDE
    logo_min_inliers: int = logo_mod.DEFAULT_MIN_INLIERS

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, got {self.timeout}")
        if self.logo_min_inliers < 4:
            raise ValueError(f"logo_min_inliers must be at least 4, got {self.logo_min_inliers}")


@dataclass(frozen=True, slots=True)
class PhotoReading:
    """What one photo showed. ``status``: ok, off, timeout, refused (``detail`` = reason), error."""

    status: str
    lines: tuple[photo_text.OcrLine, ...] = ()
    logos: tuple[logo_mod.LogoHit, ...] = ()
    detail: str = ""
    seconds: float = 0.0
    ocr_seconds: float = 0.0
    logo_seconds: float = 0.0
    worker: int = 0  # process id of the worker that read it (0: none)

    @property
    def text(self) -> str:
        return photo_text.joined_text(self.lines)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able form to store with the image, so rematching needs no second pass."""
        return {
            "status": self.status,
            "detail": self.detail,
            "lines": [ln.to_json() for ln in self.lines],
            "logos": [h.to_json() for h in self.logos],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> PhotoReading:
        return cls(
            status=str(obj["status"]),
            detail=str(obj.get("detail", "")),
            lines=tuple(photo_text.OcrLine.from_json(x) for x in obj.get("lines", ())),
            logos=tuple(logo_mod.LogoHit.from_json(x) for x in obj.get("logos", ())),
        )


def settings_from(config: MatchConfig) -> PhotoSettings:
    """The ``[matchers]`` photo keys as the pool's settings."""
    return PhotoSettings(
        ocr=config.photo_ocr, logos=config.photo_logos, workers=config.photo_workers, timeout=config.photo_timeout,
        ocr_max_side=config.ocr_max_side, ocr_min_confidence=config.ocr_min_confidence,
        logo_min_inliers=config.logo_min_inliers,
    )


def photo_fields(readings: Sequence[PhotoReading]) -> tuple[str, tuple[logo_mod.LogoHit, ...]]:
    """A listing's ``(photo_text, photo_logos)`` for :class:`~brandsweep.matchers.types.ListingView`
    from the readings of its photos, in order (only ``ok`` readings say anything)."""
    ok = [r for r in readings if r.status == "ok"]
    text = "\n".join(t for t in (r.text for r in ok) if t)
    return text, tuple(h for r in ok for h in r.logos)


def read_photo(data: bytes, settings: PhotoSettings, index: logo_mod.LogoIndex | None) -> PhotoReading:
    """Both engines on one image, in this process (the workers' body; tests and benchmarks)."""
    start = time.perf_counter()
    lines: list[photo_text.OcrLine] = []
    hits: list[logo_mod.LogoHit] = []
    t_ocr = t_logo = 0.0
    try:
        if settings.ocr:
            lines = photo_text.read_text(
                data,
                max_side=settings.ocr_max_side,
                min_confidence=settings.ocr_min_confidence,
                max_boxes=settings.ocr_max_boxes,
                max_pixels=settings.max_pixels,
            )
            t_ocr = time.perf_counter() - start
        if settings.logos and index is not None and len(index):
            t0 = time.perf_counter()
            hits = index.match(
                data,
                min_inliers=settings.logo_min_inliers,
                max_side=settings.logo_max_side,
                max_pixels=settings.max_pixels,
            )
            t_logo = time.perf_counter() - t0
    except ImageRefused as exc:
        return PhotoReading("refused", detail=exc.reason, seconds=time.perf_counter() - start)
    return PhotoReading(
        "ok", tuple(lines), tuple(hits), seconds=time.perf_counter() - start, ocr_seconds=t_ocr, logo_seconds=t_logo
    )


READY = "ready"


def _worker(conn: Connection, settings: PhotoSettings, index_bytes: bytes | None) -> None:
    index = logo_mod.LogoIndex.from_bytes(index_bytes) if index_bytes else None
    if settings.ocr:  # load the model before the first image, so its time is not the image's
        photo_text.text_reader(
            settings.ocr_max_side, settings.ocr_min_confidence, settings.ocr_max_boxes, settings.max_pixels
        )
    conn.send(READY)  # images are handed out, and timed, only from now on
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            reading = read_photo(data, settings, index)
        except Exception as exc:  # anything else in an engine: report it, keep the worker
            reading = PhotoReading("error", detail=f"{type(exc).__name__}: {exc}")
        conn.send(dataclasses.replace(reading, worker=os.getpid()))


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    task: tuple[Future[PhotoReading], float, float] | None = None  # future, deadline, time limit
    ready: bool = False  # the worker has loaded its engines (it says so once): its clock starts then


class PhotoReader:
    """A pool of worker processes reading photos; see the module doc."""

    def __init__(self, settings: PhotoSettings | None = None, index: logo_mod.LogoIndex | None = None) -> None:
        self.settings = settings or PhotoSettings()
        self._index_bytes = index.to_bytes() if index is not None and len(index) else None
        self.enabled = self.settings.ocr or (self.settings.logos and self._index_bytes is not None)
        self._ctx = mp.get_context("spawn")
        self._tasks: queue.SimpleQueue[tuple[bytes, Future[PhotoReading], float] | None] = queue.SimpleQueue()
        self._slots: list[_Slot] = []
        self._closed = False
        self._lock = threading.Lock()
        self.restarts = 0  # workers replaced after a timeout or a crash
        self.submitted = 0  # images handed to the workers (a rematch that reuses readings hands none)
        self._thread: threading.Thread | None = None
        if self.enabled:
            self._slots = [self._spawn() for _ in range(self.settings.workers)]
            self._thread = threading.Thread(target=self._dispatch, name="photo-reader", daemon=True)
            self._thread.start()

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker, args=(child, self.settings, self._index_bytes), name="brandsweep-photo", daemon=True
        )
        proc.start()
        child.close()
        return _Slot(proc, parent)

    # -- public ------------------------------------------------------------------------------------

    def submit(self, data: bytes, timeout: float | None = None) -> Future[PhotoReading]:
        """Queue one image; ``timeout`` (seconds) overrides the settings' for this image."""
        fut: Future[PhotoReading] = Future()
        if not self.enabled:
            fut.set_result(PhotoReading("off"))
            return fut
        with self._lock:
            if self._closed:
                raise RuntimeError("PhotoReader is closed")
            self._tasks.put((bytes(data), fut, self.settings.timeout if timeout is None else timeout))
            self.submitted += 1
        return fut

    def read(self, data: bytes, timeout: float | None = None) -> PhotoReading:
        return self.submit(data, timeout).result()

    def read_many(self, images: Sequence[bytes]) -> list[PhotoReading]:
        futures = [self.submit(d) for d in images]
        return [f.result() for f in futures]

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._thread is not None:
            self._tasks.put(None)
            self._thread.join()
        for slot in self._slots:
            with contextlib.suppress(OSError):
                slot.conn.close()
            slot.proc.join(timeout=5)
            if slot.proc.is_alive():
                slot.proc.kill()
                slot.proc.join()

    def __enter__(self) -> PhotoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- dispatcher thread ---------------------------------------------------------------------------

    def _dispatch(self) -> None:
        pending: list[tuple[bytes, Future[PhotoReading], float]] = []
        stopping = False
        while True:
            # take new tasks (block only when nothing is running)
            busy = any(s.task for s in self._slots)
            try:
                item = self._tasks.get(timeout=None if not busy and not pending else 0) if not stopping else None
            except queue.Empty:
                item = None
            else:
                if item is None:
                    stopping = True
                else:
                    pending.append(item)
                while not stopping:
                    try:
                        more = self._tasks.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stopping = True
                    else:
                        pending.append(more)
            for i, slot in enumerate(self._slots):
                if slot.task is None and slot.ready and pending:
                    data, fut, limit = pending.pop(0)
                    if not fut.set_running_or_notify_cancel():
                        continue
                    try:
                        slot.conn.send_bytes(data)
                    except OSError:
                        pending.insert(0, (data, fut, limit))
                        self._replace(i)
                        continue
                    slot.task = (fut, time.monotonic() + limit, limit)
            running = [s for s in self._slots if s.task]
            if not running and stopping and not pending:
                return
            # watch busy workers (results, deadlines) and starting ones (their "ready"); a worker's
            # start (loading the OCR model, slow on a loaded machine) is not counted in any image's time
            watch = [s for s in self._slots if s.task or (not s.ready and pending)]
            if not watch:
                continue
            now = time.monotonic()
            deadlines = [s.task[1] for s in running if s.task]
            wait_for = max(0.0, min(deadlines) - now) if deadlines else 0.05
            ready = wait([s.conn for s in watch], timeout=min(wait_for, 0.05))
            now = time.monotonic()
            for i, slot in enumerate(self._slots):
                if not slot.ready:
                    if slot.conn in ready:
                        try:
                            slot.conn.recv()
                        except (EOFError, OSError):
                            self._replace(i)
                            continue
                        slot.ready = True
                    continue
                if slot.task is None:
                    continue
                fut, deadline, limit = slot.task
                if slot.conn in ready:
                    try:
                        reading = slot.conn.recv()
                    except (EOFError, OSError):
                        fut.set_result(PhotoReading("error", detail="worker died"))
                        self._replace(i)
                        continue
                    slot.task = None
                    fut.set_result(reading)
                elif now >= deadline:
                    fut.set_result(PhotoReading("timeout", detail=f"over {limit:g} s"))
                    self._replace(i)

    def _replace(self, i: int) -> None:
        old = self._slots[i]
        old.proc.kill()
        old.proc.join()
        with contextlib.suppress(OSError):
            old.conn.close()
        self._slots[i] = self._spawn()
        self.restarts += 1
