"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temp folder, started on a free port.

The server listens on 127.0.0.1 and on a Unix socket inside its temp folder, trusts local
connections (it holds nothing but test data and lives as long as the test session), and runs with
``fsync=off``: durability across an OS crash is PostgreSQL's business, not what the tests check.
Run as root (CI, this machine), ``initdb`` and ``postgres`` refuse to start, so they run as the
unprivileged ``postgres`` user (Debian's package creates it) through ``runuser``. Each test gets
a database of its own (:meth:`PostgresServer.new_database`).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")
PACKAGE = "postgresql"


def pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (env BRANDSWEEP_PG_BIN, Debian's folders, else PATH)."""
    env = os.environ.get("BRANDSWEEP_PG_BIN")
    candidates = [env] if env else [*PG_BIN_DIRS]
    for d in candidates:
        if d and (Path(d) / "initdb").is_file() and (Path(d) / "pg_ctl").is_file():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="brandsweep-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.user = "postgres"
        self._names = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")  # KeyError: no unprivileged account to run as
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> PostgresServer:
        r = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                      "-E", "UTF8", "--locale=C", "--no-sync")
        if r.returncode:
            raise RuntimeError(f"initdb failed: {r.stderr.strip() or r.stdout.strip()}")
        last = ""
        for _ in range(5):  # another process may take the probed port before the server binds it
            self.port = _free_port()
            options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                       f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            r = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                          "-w", "-t", "60", "start")
            if r.returncode == 0:
                return self
            last = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else r.stderr
        raise RuntimeError(f"PostgreSQL did not start: {last}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, prefix: str = "t") -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
