"""The foundation every room shares: the error tree, record types, atomic files, hosts, marketplaces.

Imports nothing of brandsweep's own. ``__version__`` is the installed distribution's version.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("brandsweep")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"
