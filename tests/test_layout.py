"""The house rules: one installed package, and each room imports only the rooms below it.

::

    brandsweep (CLI, config, sweeps, schedules, demo)   imports anything; nothing imports it
      ├── crawler                 core, store, matchers, rightsholder_catalog
      ├── reports                 core, store, matchers, rightsholder_catalog   (never crawler)
      └── rightsholder_catalog    core, store, matchers
            └── store             core, matchers
                  └── core        nothing of ours
    matchers                      nothing of ours (pure)
    marketplace_fixtures          nothing of ours (stands apart)

Every import, lazy ones inside functions included, is read from the source with ``ast``.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# folder -> installed package
ROOMS = {
    "brandsweep": "brandsweep",
    "core": "brandsweep.core",
    "store": "brandsweep.store",
    "matchers": "brandsweep.matchers",
    "rightsholder_catalog": "brandsweep.rightsholder_catalog",
    "crawler": "brandsweep.crawler",
    "reports": "brandsweep.reports",
    "marketplace_fixtures": "brandsweep.marketplace_fixtures",
}
APP = "brandsweep"  # the top floor: modules of the brandsweep/ folder itself
MAY_IMPORT = {
    "core": {"core"},
    "matchers": {"matchers"},
    "marketplace_fixtures": {"marketplace_fixtures"},
    "store": {"store", "core", "matchers"},
    "rightsholder_catalog": {"rightsholder_catalog", "store", "core", "matchers"},
    "crawler": {"crawler", "rightsholder_catalog", "store", "core", "matchers"},
    "reports": {"reports", "rightsholder_catalog", "store", "core", "matchers"},
    "brandsweep": set(ROOMS),
}
BARE = {folder for folder in ROOMS if folder != "brandsweep"}


def room_of(module: str) -> str | None:
    """The room (folder) an imported module belongs to, or None when it is not ours."""
    parts = module.split(".")
    if parts[0] in BARE:
        return parts[0]  # a bare import; reported separately
    if parts[0] != "brandsweep":
        return None
    if len(parts) > 1:
        for folder, package in ROOMS.items():
            if folder != APP and (module == package or module.startswith(package + ".")):
                return folder
    return APP


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            # "from brandsweep import cli" imports brandsweep.cli
            out.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in
              {"import_module", "files", "find_spec"} and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):  # importlib.import_module("x"), resources.files("x")
            out.append((node.lineno, node.args[0].value))
    return out


def python_files(*folders: str) -> list[Path]:
    return [p for f in folders for p in sorted((ROOT / f).rglob("*.py")) if "__pycache__" not in p.parts]


def test_rooms_import_only_what_they_may() -> None:
    wrong: list[str] = []
    for folder, allowed in MAY_IMPORT.items():
        for path in python_files(folder):
            for line, module in imports_of(path):
                room = room_of(module)
                if room is None or room in allowed:
                    continue
                if module.split(".")[0] in BARE:
                    continue  # reported by test_no_bare_top_level_imports
                if room == APP and module in {"brandsweep", "brandsweep.__version__"} and folder == APP:
                    continue
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {folder} imports {module} ({room})")
    assert not wrong, "imports across the house rules:\n" + "\n".join(wrong)


def test_nothing_imports_the_top_floor() -> None:
    """Only the CLI package itself (and tests, benchmarks) may import the brandsweep/ modules."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for folder in set(ROOMS) - {APP}
        for path in python_files(folder)
        for line, module in imports_of(path)
        if room_of(module) == APP and module.split(".")[0] == "brandsweep"
    ]
    assert not wrong, "\n".join(wrong)


def test_no_bare_top_level_imports() -> None:
    """``import crawler`` works only from the repository root; installed, only ``brandsweep.*`` exists."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: import {module}"
        for path in python_files(*ROOMS, "tests", "bench", "scripts")
        for line, module in imports_of(path)
        if module.split(".")[0] in BARE
    ]
    assert not wrong, "use the brandsweep.* name:\n" + "\n".join(wrong)


def test_the_rules_catch_a_wrong_import(tmp_path: Path) -> None:
    """The checker itself: a reports module importing the crawler, lazily, is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from brandsweep.crawler.items import ListingGone\n    import reports.export\n"
                   "    resources.files('reports').joinpath('data')\n")
    found = imports_of(bad)
    assert {(2, "brandsweep.crawler.items"), (3, "reports.export"), (4, "reports")} <= set(found)
    assert room_of("brandsweep.crawler.items") == "crawler" not in MAY_IMPORT["reports"]
    assert room_of("brandsweep.cli.base") == APP
    assert room_of("brandsweep.store.db") == "store"
    assert room_of("scrapy") is None


@pytest.mark.slow
def test_wheel_installs_one_top_level_package(tmp_path: Path) -> None:
    """The wheel holds ``brandsweep`` only, with every module of every room; ``import crawler`` fails."""
    src = tmp_path / "src"  # a copy, so the build leaves no build/ or egg-info in the repository
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(src)], check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("brandsweep-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {n.split("/")[0] for n in names} == {"brandsweep", wheel.name.split("-py3")[0] + ".dist-info"}
    expected = {
        f"{package.replace('.', '/')}/{p.relative_to(ROOT / folder).as_posix()}"
        for folder, package in ROOMS.items() for p in python_files(folder)
    }
    missing = sorted(expected - names)
    assert not missing, f"modules missing from the wheel (add their package to pyproject.toml): {missing[:10]}"
    assert "brandsweep/store/migrations/0001_initial.sql" in names
    assert "brandsweep/rightsholder_catalog/sample/catalog.json" in names
    # Installed alone (no repository on the path), only the brandsweep name exists.
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, cwd=tmp_path)
    probe = ("import importlib.util, sys; sys.path.insert(0, sys.argv[1]); "
             "import brandsweep; assert brandsweep.__file__.startswith(sys.argv[1]), brandsweep.__file__; "
             "print(*[importlib.util.find_spec(n) is not None for n in sys.argv[2:]])")
    out = subprocess.run([sys.executable, "-c", probe, str(target), "crawler", "matchers", "reports",
                          "rightsholder_catalog", "marketplace_fixtures", "store", "core", "brandsweep.crawler"],
                         capture_output=True, text=True, cwd=tmp_path, check=True).stdout.split()
    assert out == ["False"] * 7 + ["True"]


def test_one_error_tree() -> None:
    """Errors users see are defined in core/errors.py only (internal signals like BadLine may live elsewhere)."""
    elsewhere = []
    for path in python_files(*ROOMS):
        if path == ROOT / "core" / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if node.name.endswith("Error") or bases & {"BrandsweepError", "NotFound"}:
                    elsewhere.append(f"{path.relative_to(ROOT)}:{node.lineno}: class {node.name}")
    assert not elsewhere, "define user-facing errors in core/errors.py:\n" + "\n".join(elsewhere)


def test_cli_maps_every_error_in_one_place() -> None:
    """No command catches the tree or exits on its own: the group does it (brandsweep.cli.base)."""
    offenders = []
    for path in python_files("brandsweep"):
        if path.name == "base.py" and path.parent.name == "cli":
            continue
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if ("except BrandsweepError" in line and path.parent.name == "cli") or "sys.exit(1)" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
