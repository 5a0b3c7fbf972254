"""The domain errors the CLI turns into a one-line message and exit status 1.

::

    BrandsweepError
    ├── StoreError            the database cannot be opened or is of a newer schema
    ├── CatalogError          a catalog document was refused (file, JSON path, reason)
    ├── FeedError             a feed file cannot be read at all
    ├── ExportError           an export could not be written
    └── CrawlError            a crawl could not start or failed as a whole
"""

from __future__ import annotations


class BrandsweepError(Exception):
    """Base of every expected error; its message is shown to the user as is."""


class StoreError(BrandsweepError):
    pass


class CatalogError(BrandsweepError):
    """A catalog document was refused. ``problems`` lists every problem found."""

    def __init__(self, path: str, problems: list[tuple[str, str]]) -> None:
        self.path = path
        self.problems = problems
        first = "; ".join(f"{where}: {why}" for where, why in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{path}: catalog refused: {first}{more}")


class FeedError(BrandsweepError):
    pass


class ExportError(BrandsweepError):
    pass


class CrawlError(BrandsweepError):
    pass
