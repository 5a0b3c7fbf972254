"""Progress for long commands: one mechanism, four ways to show it.

* ``rich``  — a live progress bar on a terminal (stderr is a TTY);
* ``plain`` — plain log lines on stderr, no control characters (output piped to a file or another
  program): a task that runs longer than the interval (5 s, env ``BRANDSWEEP_PROGRESS_INTERVAL``)
  gets a line every interval and one when it ends; a quick one stays silent, so a failing
  command's stderr is still its one-line error;
* ``json``  — one JSON object per line on stdout (``{"event": "progress", ...}``), for scripts;
* ``quiet`` — nothing but errors and the command's result.

Commands create one :class:`Progress` (from the global ``--quiet`` / ``--json`` options via
:func:`choose_mode`), open :meth:`Progress.task` for each long step and report with
:meth:`Task.update`. Library code takes a plain callback and never imports this module.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, Literal

Mode = Literal["rich", "plain", "json", "quiet"]
MODES: tuple[Mode, ...] = ("rich", "plain", "json", "quiet")
PLAIN_INTERVAL_S = 5.0
JSON_INTERVAL_S = 0.5


def choose_mode(*, quiet: bool = False, as_json: bool = False, stream: IO[str] | None = None) -> Mode:
    """``json`` and ``quiet`` when asked for; else a bar on a terminal and log lines elsewhere."""
    if as_json:
        return "json"
    if quiet:
        return "quiet"
    forced = os.environ.get("BRANDSWEEP_PROGRESS", "")
    if forced in ("rich", "plain"):
        return forced  # type: ignore[return-value]
    stream = stream or sys.stderr
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    return "rich" if is_tty and os.environ.get("TERM", "") != "dumb" else "plain"


def _fmt_fields(fields: dict[str, Any]) -> str:
    return ", ".join(f"{v} {k}" for k, v in fields.items())


class Task:
    """One step with an optional total; ``fields`` are counters shown beside the bar."""

    def __init__(self, owner: Progress, description: str, total: float | None) -> None:
        self.owner = owner
        self.description = description
        self.total = total
        self.completed = 0.0
        self.fields: dict[str, Any] = {}
        self._last_emit = time.monotonic()
        self._shown = False
        self._rich_id: Any = None

    def update(self, completed: float | None = None, total: float | None = None, **fields: Any) -> None:
        if completed is not None:
            self.completed = completed
        if total is not None:
            self.total = total
        self.fields.update(fields)
        self.owner._emit(self, final=False)

    def done(self, status: str = "done") -> None:
        self.owner._emit(self, final=True, status=status)


class Progress:
    """Live progress on stderr (``rich``/``plain``) or stdout (``json``); see the module docstring."""

    def __init__(self, mode: Mode, *, stderr: IO[str] | None = None, stdout: IO[str] | None = None,
                 plain_interval_s: float | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown progress mode {mode!r}")
        self.mode = mode
        self.stderr = stderr or sys.stderr
        self.stdout = stdout or sys.stdout
        if plain_interval_s is None:
            try:
                plain_interval_s = float(os.environ.get("BRANDSWEEP_PROGRESS_INTERVAL", PLAIN_INTERVAL_S))
            except ValueError:
                plain_interval_s = PLAIN_INTERVAL_S
        self.plain_interval_s = plain_interval_s
        self._lock = threading.Lock()
        self._rich: Any = None
        self._console: Any = None
        if mode == "rich":
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._console = Console(file=self.stderr, highlight=False)
            self._rich = RichProgress(
                SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"), TimeElapsedColumn(),
                console=self._console, transient=False, refresh_per_second=8,
            )

    def __enter__(self) -> Progress:
        if self._rich is not None:
            self._rich.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None

    @contextmanager
    def task(self, description: str, total: float | None = None) -> Iterator[Task]:
        """A task shown while the block runs; marked done (or failed) when it ends."""
        t = self.add_task(description, total)
        try:
            yield t
        except BaseException:
            t.done("failed")
            raise
        t.done()

    def add_task(self, description: str, total: float | None = None) -> Task:
        t = Task(self, description, total)
        with self._lock:
            if self._rich is not None:
                t._rich_id = self._rich.add_task(description, total=total, info="")
            elif self.mode == "json":
                self._json({"event": "start", "task": description, "total": total})
        return t

    def log(self, message: str) -> None:
        """An informational line (not shown with ``--quiet``; a ``log`` event with ``--json``)."""
        with self._lock:
            if self._rich is not None:
                self._rich.console.print(message, markup=False, highlight=False)
            elif self.mode == "plain":
                self._line(message)
            elif self.mode == "json":
                self._json({"event": "log", "message": message})

    def _emit(self, t: Task, *, final: bool, status: str = "") -> None:
        with self._lock:
            if self._rich is not None:
                total = t.total if t.total is not None else (t.completed if final else None)
                self._rich.update(t._rich_id, completed=t.completed, total=total, info=_fmt_fields(t.fields))
                return
            now = time.monotonic()
            interval = JSON_INTERVAL_S if self.mode == "json" else self.plain_interval_s
            if not final and now - t._last_emit < interval:
                return
            if final and self.mode == "plain" and not t._shown:
                return  # a quick task: its result line says enough
            t._last_emit = now
            t._shown = True
            if self.mode == "plain":
                of = f"/{t.total:g}" if t.total is not None else ""
                extra = f" ({_fmt_fields(t.fields)})" if t.fields else ""
                self._line(f"{t.description}: {status + ' ' if final else ''}{t.completed:g}{of}{extra}")
            elif self.mode == "json":
                self._json({"event": "done" if final else "progress", "task": t.description,
                            "completed": t.completed, "total": t.total, "status": status or None, **t.fields})

    def _line(self, text: str) -> None:
        self.stderr.write(text + "\n")
        self.stderr.flush()

    def _json(self, obj: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        self.stdout.flush()
