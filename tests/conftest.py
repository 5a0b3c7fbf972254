"""Shared test fixtures: a fresh store, the sample catalog, a running test marketplace.

Store tests run on both backends: a module marked ``pytestmark = pytest.mark.store`` has its
``backend`` parametrized as ``sqlite`` and ``postgresql`` (a real server, :mod:`tests.pgserver`,
started once per session), and ``db_path`` / ``db`` / :func:`new_store` give a store of that
backend: a file path for SQLite, a URL of a fresh database for PostgreSQL. Other modules get
SQLite. Without PostgreSQL's binaries the ``postgresql`` variants skip, naming the package.

The photo engines (OCR and logos, issue 15) are on by default and cost about 0.3 s of a core per
photo: every ``brandsweep`` command a test starts reads ``BRANDSWEEP_CONFIG`` = a file that switches
them off, unless the test names its own configuration (``--config``) or clears the variable. The
tests about photos (``test_photo_pipeline.py``) and the demo test run them for real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CATALOG = ROOT / "rightsholder_catalog" / "sample" / "catalog.json"
REAL_DATA = ROOT.parent / "shared" / "data" / "real"


BACKENDS = ("sqlite", "postgresql")
PHOTOS_OFF = "[matchers]\nphoto_ocr = false\nphoto_logos = false\n"


@pytest.fixture(scope="session", autouse=True)
def photo_engines_off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | None]:
    """Commands the tests start run without the photo engines (see the module's docstring)."""
    if os.environ.get("BRANDSWEEP_CONFIG"):
        yield None  # the caller chose a configuration: leave it
        return
    path = tmp_path_factory.mktemp("config") / "photos-off.toml"
    path.write_text(PHOTOS_OFF, encoding="utf-8")
    os.environ["BRANDSWEEP_CONFIG"] = str(path)
    try:
        yield path
    finally:
        os.environ.pop("BRANDSWEEP_CONFIG", None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("store"):
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="module")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    from tests.pgserver import PACKAGE, PostgresServer, pg_bin

    bindir = pg_bin()
    if bindir is None:
        pytest.skip(f"PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package {PACKAGE}")
    server = PostgresServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        request.getfixturevalue("pg_server")
    return name


@pytest.fixture(scope="module")
def new_store(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """``new_store(name)``: the target of a fresh, empty store of this module's backend (path or URL)."""

    def make(name: str = "store") -> Path | str:
        if backend == "postgresql":
            return request.getfixturevalue("pg_server").new_database(name.replace("-", "_"))
        return tmp_path_factory.mktemp(name) / f"{name}.db"

    return make


@pytest.fixture
def db_path(new_store) -> Path | str:
    return new_store("store")


@pytest.fixture
def db(db_path: Path | str):
    from brandsweep.store import open_db

    conn = open_db(db_path)
    yield conn
    conn.close()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample catalog folder, for tests that break it."""
    dest = tmp_path / "catalog"
    shutil.copytree(SAMPLE_CATALOG.parent, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest / "catalog.json"


def dump(db) -> list[str]:
    """Every row of every table, for comparing a database before and after."""
    return db.dump()


def run_cli(*args: str, db_path: Path | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``brandsweep`` command in a child process."""
    cmd = [sys.executable, "-m", "brandsweep.cli"]
    if db_path is not None:
        cmd += ["--db", str(db_path)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd or ROOT,
                          env=full_env, timeout=600)


class Marketplaces:
    def __init__(self, urls: dict[str, str], labels: Path) -> None:
        self.urls = urls
        self.labels = labels


def start_marketplaces(tmp: Path, *args: str) -> tuple[subprocess.Popen[str], Marketplaces]:
    labels = tmp / "labels.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "brandsweep.marketplace_fixtures", "serve", *args, "--labels", str(labels)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8", cwd=ROOT,
    )
    urls: dict[str, str] = {}
    assert proc.stdout is not None
    while len(urls) < 4:
        line = proc.stdout.readline()
        if not line:
            proc.kill()
            raise RuntimeError(f"marketplace server exited early: {proc.wait()}")
        name, _, url = line.strip().partition(" ")
        urls[name] = url
    return proc, Marketplaces(urls, labels)


@pytest.fixture(scope="session")
def marketplaces(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Marketplaces]:
    """The four test marketplaces, size 200, seed 7, served by a real child process."""
    proc, m = start_marketplaces(tmp_path_factory.mktemp("market"), "--size", "200", "--seed", "7")
    try:
        yield m
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
