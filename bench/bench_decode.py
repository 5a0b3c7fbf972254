"""Charset decoding of hostile bodies: the old re-slicing loop (baseline, kept here) against
:func:`brandsweep.crawler.pages.encoding.decode_counting`, in the same run, alternating rounds.

    python bench/bench_decode.py            # sizes 100, 200, 400 KB of noise (both), 20 MB (new only)

Noise is ``b"A\\xff"`` repeated: one undecodable byte in two, the worst case for the old loop.
"""

from __future__ import annotations

import argparse
import statistics
import time

from brandsweep.crawler.pages.encoding import decode_counting


def old_decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """The implementation before issue 12: re-decodes the rest of the body after every error."""
    out: list[str] = []
    bad = 0
    pos = 0
    while True:
        try:
            out.append(data[pos:].decode(encoding))
            return "".join(out), bad
        except UnicodeDecodeError as exc:
            out.append(data[pos:pos + exc.start].decode(encoding))
            bad += exc.end - exc.start
            out.append("\ufffd")
            pos += exc.end


def timed(fn, data: bytes, enc: str) -> float:
    start = time.perf_counter()
    fn(data, enc)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    for enc in ("utf-8", "gb18030"):
        for kb in (100, 200, 400):
            data = b"A\xff" * (kb * 512)
            old, new = [], []
            for _ in range(args.rounds):
                old.append(timed(old_decode_counting, data, enc))
                new.append(timed(decode_counting, data, enc))
            mo, mn = statistics.median(old), statistics.median(new)
            print(f"{enc:8} {kb:4} KB  old {mo:7.3f} s (spread {min(old):.3f}-{max(old):.3f})  "
                  f"new {mn:7.4f} s (spread {min(new):.4f}-{max(new):.4f})  old/new {mo / mn:8.0f}x")
        big = b"A\xff" * (10 * 1024 * 1024)
        runs = [timed(decode_counting, big, enc) for _ in range(args.rounds)]
        print(f"{enc:8} 20 MB  new {statistics.median(runs):.3f} s (spread {min(runs):.3f}-{max(runs):.3f})")


if __name__ == "__main__":
    main()
