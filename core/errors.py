"""Every error brandsweep expects, in one tree; the CLI turns each into a one-line message.

::

    BrandsweepError           base: its message is shown to the user as is; exit status 1
    ├── StoreError            the store cannot be opened, or is of a newer schema
    ├── CatalogError          a catalog document was refused (file, JSON path, reason per problem)
    ├── ConfigError           a configuration file was refused (file, line, key per problem)
    ├── FeedError             a feed file cannot be read at all (bad lines are reported, not raised)
    ├── ExportError           an export could not be written
    ├── CrawlError            a crawl could not start, or failed as a whole
    ├── SweepError            a sweep names no known brand or marketplace
    ├── ScheduleError         no such schedule, or none configured
    │   └── JobBusy           the job is already running (its lock is held)
    ├── EvidenceError         an evidence capture or verification could not be done
    ├── PartlyDone            the work is done but part of the input was refused or failed;
    │                         each part was already reported, this is the summary
    └── NotFound              a named record does not exist (also a LookupError)
        ├── LeadNotFound
        └── RunNotFound

The command-line layer (``brandsweep.cli.base``) maps the whole tree to messages and exit
statuses in one place; library code raises these and never prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class BrandsweepError(Exception):
    """Base of every expected error; its message is shown to the user as is."""

    exit_code = 1


class StoreError(BrandsweepError):
    pass


class CatalogError(BrandsweepError):
    """A catalog document was refused. ``problems`` lists every ``(json_path, why)`` found."""

    def __init__(self, path: str, problems: list[tuple[str, str]]) -> None:
        self.path = path
        self.problems = problems
        first = "; ".join(f"{where}: {why}" for where, why in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{path}: catalog refused: {first}{more}")


class Problem(Protocol):
    """One configuration problem (``brandsweep.config_check.Problem``)."""

    def format(self, path: str) -> str: ...


class ConfigError(BrandsweepError):
    """A configuration file was refused; ``problems`` holds every problem found."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(p.format(path) for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the configuration:\n{lines}")


class FeedError(BrandsweepError):
    pass


class ExportError(BrandsweepError):
    pass


class CrawlError(BrandsweepError):
    pass


class SweepError(BrandsweepError):
    pass


class ScheduleError(BrandsweepError):
    pass


class JobBusy(ScheduleError):
    """The job is already running (its lock is held)."""


class EvidenceError(BrandsweepError):
    pass


class PartlyDone(BrandsweepError):
    """The command finished, but some lines, captures, bundles or runs failed (already reported)."""


class NotFound(BrandsweepError, LookupError):
    """A record named by the user does not exist."""


class LeadNotFound(NotFound):
    pass


class RunNotFound(NotFound):
    pass
