"""The atomic writer: whole files only, the umask's permissions, and nothing left by a killed writer
(the kill itself is tested in test_reports_kill.py); the paths for filesystems without O_TMPFILE."""

from __future__ import annotations

import os

import pytest

from brandsweep.core import files
from brandsweep.core.files import write_atomic


def test_writes_whole_file_with_the_umasks_permissions(tmp_path):
    target = tmp_path / "out.csv"
    old = os.umask(0o027)
    try:
        assert write_atomic(target, [b"a,b\r\n", b"1,2\r\n"]) == 10
    finally:
        os.umask(old)
    assert target.read_bytes() == b"a,b\r\n1,2\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failing_writer_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def chunks():
        yield b"new part"
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, chunks())
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_without_o_tmpfile_a_named_part_is_used_and_a_dead_writers_part_removed(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "O_TMPFILE")
    target = tmp_path / "out.csv"
    dead = tmp_path / ".out.csv.999999999.abcd1234.part"  # no such process
    mine = tmp_path / f".out.csv.{os.getpid()}.live0000.part"  # a writer still running
    dead.write_bytes(b"left by a killed writer")
    mine.write_bytes(b"being written")
    write_atomic(target, [b"data"])
    assert target.read_bytes() == b"data"
    assert not dead.exists() and mine.exists()


def test_without_proc_the_nameless_file_is_copied_to_a_named_one(tmp_path, monkeypatch):
    real_link = os.link

    def no_proc_link(src, dst, **kw):
        if str(src).startswith("/proc/"):
            raise FileNotFoundError(src)
        return real_link(src, dst, **kw)

    monkeypatch.setattr(files.os, "link", no_proc_link)
    target = tmp_path / "big.bin"
    data = os.urandom(3 * (1 << 20) + 17)
    write_atomic(target, [data[: 1 << 20], data[1 << 20:]])
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]
