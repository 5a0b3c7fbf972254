"""Write docs/cli.md, the command-line reference, from every command's ``--help``.

    python scripts/gen_cli_docs.py           # regenerate docs/cli.md
    python scripts/gen_cli_docs.py --check   # exit 1 if docs/cli.md is missing a command or stale

tests/test_cli_docs.py runs the check, so a new or changed command fails the tests until the
reference is regenerated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
WIDTH = 100

HEADER = """# brandsweep command-line reference

Generated from each command's `--help` by `python scripts/gen_cli_docs.py`; do not edit by hand
(`tests/test_cli_docs.py` fails when this file is stale). Global options (`--db`, `--config`,
`--quiet`, `--json`) go before the command: `brandsweep --db out/demo.db --json runs`.

Exit status: 0 success; 1 failure, with a one-line reason on stderr; 2 usage error.
"""


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``group``, depth first, in name order."""
    out: list[tuple[tuple[str, ...], click.Command]] = []
    ctx = click.Context(group, info_name="brandsweep")
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        path = (*prefix, name)
        out.append((path, cmd))
        if isinstance(cmd, click.Group):
            out.extend(commands(cmd, path))
    return out


def help_text(root: click.Group, path: tuple[str, ...]) -> str:
    ctx = click.Context(root, info_name="brandsweep", terminal_width=WIDTH, max_content_width=WIDTH)
    cmd: click.Command = root
    for name in path:
        assert isinstance(cmd, click.Group)
        sub = cmd.get_command(ctx, name)
        assert sub is not None
        ctx = click.Context(sub, info_name=name, parent=ctx, terminal_width=WIDTH, max_content_width=WIDTH)
        cmd = sub
    return cmd.get_help(ctx)


def render() -> str:
    from brandsweep.cli import cli

    found = commands(cli)
    parts = [HEADER, "## Commands\n"]
    for path, cmd in found:
        anchor = "brandsweep-" + "-".join(path)
        parts.append(f"{'  ' * (len(path) - 1)}- [`brandsweep {' '.join(path)}`](#{anchor}): "
                     f"{cmd.get_short_help_str(limit=90)}")
    parts.append("\n## brandsweep\n\n```text\n" + help_text(cli, ()).rstrip() + "\n```\n")
    for path, _ in found:
        parts.append(f"## brandsweep {' '.join(path)}\n\n```text\n{help_text(cli, path).rstrip()}\n```\n")
    return "\n".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 if docs/cli.md differs")
    args = ap.parse_args()
    text = render()
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run python scripts/gen_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
