"""A throwaway Redis server for the tests: Debian's ``redis-server`` on a free loopback port.

No persistence (``--save ''``, no AOF), its files in a temp folder; stopped at the end of the
session. Each test that uses it starts from an empty database (:meth:`RedisServer.flush`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BINARY = "/usr/bin/redis-server"
PACKAGE = "redis-server"


def redis_binary() -> str | None:
    if Path(BINARY).is_file():
        return BINARY
    return shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.root = Path(tempfile.mkdtemp(prefix="brandsweep-redis-"))
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        import redis

        for _ in range(5):  # another process may take the probed port before the server binds it
            self.port = _free_port()
            log = self.root / "server.log"
            self.proc = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.root), "--logfile", str(log)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                    return self
                except redis.RedisError:
                    time.sleep(0.05)
            self.stop_process()
        log_text = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() else ""
        raise RuntimeError(f"redis-server did not start: {log_text[-2000:]}")

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushdb()

    def stop_process(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def stop(self) -> None:
        self.stop_process()
        shutil.rmtree(self.root, ignore_errors=True)
