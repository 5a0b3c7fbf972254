"""Writing files whole or not at all: the one atomic writer of exports, reports and blobs.

The data goes to a file that has no name yet (Linux ``O_TMPFILE``), is flushed to disk, gets a
temporary name beside the target and is renamed over it. A writer killed while writing (``kill
-9``, power loss) therefore leaves nothing behind: the kernel frees a nameless file when its last
descriptor closes. Where the filesystem has no ``O_TMPFILE`` the file is written under the
temporary name ``.NAME.PID.XXXX.part`` from the start, and one whose writer was killed is removed
by the next write of the same file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from brandsweep.core.procs import pid_alive

# O_TMPFILE is refused with one of these where the filesystem (or kernel) does not support it.
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT, errno.ENOSYS}


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
    """Write ``chunks`` to ``path`` atomically (see the module docstring); return the size written.

    ``clean_stale`` removes ``.part`` files killed writers left (only possible without
    ``O_TMPFILE``); content-addressed blobs, written once each on a hot path, skip that folder scan.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if clean_stale:
        remove_stale_parts(folder / path.name)
    fd = _open_nameless(folder)
    tmp: str | None = None
    size = 0
    try:
        if fd is None:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.{os.getpid()}.", suffix=".part")
            os.fchmod(fd, 0o666 & ~_umask())  # exports are for others to pick up; mkstemp makes 0600
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
            if tmp is None:
                tmp = _give_name(fh.fileno(), folder, path.name)
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    return size


def _open_nameless(folder: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o666)  # the umask applies, as for any new file
    except OSError as exc:
        if exc.errno in _NO_TMPFILE:
            return None
        raise


def _give_name(fd: int, folder: Path, name: str) -> str:
    """Link the nameless file into ``folder`` under a fresh temporary name; return that name.

    ``linkat(AT_SYMLINK_FOLLOW)`` on ``/proc/self/fd/N`` works for any user (``os.link`` takes that
    path only when given a directory descriptor). Without ``/proc`` the bytes are copied to a
    named temporary file instead.
    """
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(100):
            tmp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.part"
            try:
                os.link(f"/proc/self/fd/{fd}", tmp, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=True)
                return str(folder / tmp)
            except FileExistsError:
                continue
            except OSError:
                break
    finally:
        os.close(dir_fd)
    out, tmp_path = tempfile.mkstemp(dir=folder, prefix=f".{name}.{os.getpid()}.", suffix=".part")
    try:
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            os.write(out, chunk)
            offset += len(chunk)
        os.fchmod(out, os.fstat(fd).st_mode & 0o777)
        os.fsync(out)
    except BaseException:
        os.close(out)
        Path(tmp_path).unlink(missing_ok=True)
        raise
    os.close(out)
    return tmp_path


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread at once)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022
