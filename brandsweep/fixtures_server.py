"""Starting the bundled test marketplaces as a child process, for the demo and for sweeps.

Runs ``python -m brandsweep.marketplace_fixtures serve`` (a real HTTP server per marketplace on a free
loopback port), reads the ``NAME URL`` lines it prints, and stops it however the caller ends.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from brandsweep.core.errors import CrawlError

BUNDLED = ("shopfront", "taoshop", "jsmall", "partnerapi")
START_TIMEOUT_S = 60.0


@contextmanager
def bundled_marketplaces(log: Path, *, size: int = 300, seed: int = 7, labels: Path | None = None,
                         api_key: str | None = None) -> Iterator[dict[str, str]]:
    """Serve the four bundled marketplaces; yield {name: base URL}; write the server's log to ``log``."""
    cmd = [sys.executable, "-m", "brandsweep.marketplace_fixtures", "serve", "--size", str(size), "--seed", str(seed)]
    if labels is not None:
        cmd += ["--labels", str(labels)]
    if api_key:
        cmd += ["--api-key", api_key]
    with log.open("wb") as log_fh:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log_fh, text=True, encoding="utf-8")
        try:
            yield _read_urls(proc, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout:
                proc.stdout.close()


def _read_urls(proc: subprocess.Popen[str], log: Path) -> dict[str, str]:
    urls: dict[str, str] = {}
    done = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            name, _, url = line.strip().partition(" ")
            if url.startswith("http"):
                urls[name] = url
                if all(m in urls for m in BUNDLED):
                    done.set()
        done.set()

    threading.Thread(target=reader, daemon=True).start()
    done.wait(START_TIMEOUT_S)
    if not all(m in urls for m in BUNDLED):
        raise CrawlError(f"the bundled test marketplaces did not start (exit status {proc.poll()}); see {log}")
    return dict(urls)
