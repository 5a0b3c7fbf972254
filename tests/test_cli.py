"""The command line: every command documented with an example; exit statuses as promised."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from brandsweep.cli import cli
from tests.conftest import ROOT, run_cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, (*prefix, name))
    return out


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    res = run_cli(*path, "--help")
    assert res.returncode == 0, res.stderr
    cmd = cli
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    if not isinstance(cmd, click.Group):
        assert "Example:" in res.stdout and "brandsweep " in res.stdout.split("Example:")[1]


def test_usage_error_exits_2():
    res = run_cli("leads", "export")  # -o is required
    assert res.returncode == 2
    assert "Missing option" in res.stderr


def test_missing_database_is_a_one_line_error(tmp_path):
    res = run_cli("leads", "export", "-o", str(tmp_path / "x.csv"), db_path=tmp_path / "absent.db")
    assert res.returncode == 1
    assert res.stderr.startswith("brandsweep: error:") and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_scrapy_list_names_the_spiders():
    res = subprocess.run([sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert "shopfront" in res.stdout.split()


def test_records_not_found_are_one_line_errors(tmp_path, db_path, db):
    """NotFound errors from the store and the run history come out through the one error mapping."""
    db.close()
    for args, said in ((("leads", "mark", "L-nope", "--status", "reviewed"), "no lead 'L-nope'"),
                       (("leads", "history", "L-nope"), "no lead 'L-nope'"),
                       (("runs", "show", "999"), "no run with id 999")):
        res = run_cli(*args, db_path=db_path)
        assert res.returncode == 1, args
        assert res.stderr.startswith(f"brandsweep: error: {said}"), res.stderr
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
