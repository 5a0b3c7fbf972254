"""Writing files whole or not at all: the one atomic writer of exports, reports and blobs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from brandsweep.core.procs import pid_alive


def remove_stale_parts(path: Path) -> list[Path]:
    """Delete temporary files a killed writer of ``path`` left behind (their writer's pid is gone)."""
    removed = []
    for part in path.parent.glob(f".{path.name}.*.part"):
        pid_text = part.name[len(path.name) + 2:].split(".", 1)[0]
        if pid_text.isdigit() and not pid_alive(int(pid_text)):
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


def write_atomic(path: Path, chunks: Iterable[bytes], *, clean_stale: bool = True) -> int:
    """Write ``chunks`` to a temporary file beside ``path``, fsync, then rename over it.

    The temporary file is named ``.NAME.PID.XXXX.part``; one whose writer was killed is removed
    by the next write of the same file (``clean_stale``; content-addressed blobs, written once
    each on a hot path, skip that folder scan).
    """
    folder = path.parent if str(path.parent) else Path(".")
    if clean_stale:
        remove_stale_parts(folder / path.name)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.{os.getpid()}.", suffix=".part")
    size = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                size += len(chunk)
            fh.flush()
            os.fchmod(fh.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; exports are for others to pick up
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
