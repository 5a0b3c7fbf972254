"""brandsweep: find trademark-infringing and counterfeit listings on online marketplaces.

Package map (data flows one way: fetch → extract → store → match → score → report):

- ``brandsweep.store``: the SQLite store (schema migrations, listings, matches, leads).
- ``brandsweep.cli``: the ``brandsweep`` command, a thin layer over the library.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("brandsweep")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"
