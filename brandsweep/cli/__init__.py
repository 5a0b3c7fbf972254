"""The ``brandsweep`` command: a thin layer over the library.

Each command calls one library function, has ``--help`` with an example, and maps expected
errors to a one-line message on stderr with exit status 1 (usage errors exit 2). Command
groups live in their own modules and register themselves on :data:`cli` when imported.
"""

from __future__ import annotations

import os

import brandsweep.cli.config
import brandsweep.cli.evidence
import brandsweep.cli.report
import brandsweep.cli.runs
import brandsweep.cli.schedule
import brandsweep.cli.stats
import brandsweep.cli.sweep
import brandsweep.cli.worker  # noqa: F401
from brandsweep.cli import catalog, crawl, demo, leads, listings  # noqa: F401  (register commands)
from brandsweep.cli.base import cli


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="brandsweep")


__all__ = ["cli", "main"]
