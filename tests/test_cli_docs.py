"""docs/cli.md documents every command, with an example, exactly as its --help says."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

DOC = ROOT / "docs" / "cli.md"


def _commands() -> list:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_cli_docs
    finally:
        sys.path.pop(0)
    from brandsweep.cli import cli

    return [(path, cmd) for path, cmd in gen_cli_docs.commands(cli)]


def test_every_command_has_a_section_with_an_example():
    text = DOC.read_text(encoding="utf-8")
    import click

    found = _commands()
    assert {"sweep", "runs", "schedule", "config"} <= {p[0] for p, _ in found}
    for path, cmd in found:
        heading = f"## brandsweep {' '.join(path)}\n"
        assert heading in text, f"brandsweep {' '.join(path)} is not documented in docs/cli.md"
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        if isinstance(cmd, click.Group) and not cmd.invoke_without_command:
            continue  # a group only lists its commands, which have their own examples
        assert "Example:" in section, f"brandsweep {' '.join(path)}: its --help has no example"


def test_reference_matches_the_help_of_every_command():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
