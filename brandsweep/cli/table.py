"""Tables on stdout: a rich table on a terminal, plain aligned columns when piped (no wrapping,
no box characters, one row per line, so ``grep``/``cut`` work)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[str] = (),
                title: str | None = None) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(show_header=True, title=title)
        for h in headers:
            table.add_column(h, justify="right" if h in right else "left", overflow="fold")
        for row in rows:
            table.add_row(*row)
        Console(highlight=False).print(table)
        return
    cells = [[c.replace("\n", " ").replace("\t", " ") for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def fmt(row: Sequence[str]) -> str:
        out = [c.rjust(w) if h in right else c.ljust(w) for c, w, h in zip(row, widths, headers, strict=True)]
        return "  ".join(out).rstrip()

    if title:
        click.echo(title)
    click.echo(fmt(headers))
    for r in cells:
        click.echo(fmt(r))
