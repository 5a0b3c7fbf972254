"""brandsweep: find trademark-infringing and counterfeit listings on online marketplaces.

Data flows one way: fetch → extract → store → match → score → report. The rooms, bottom up
(each imports only the rooms below it; ``tests/test_layout.py`` checks):

- ``brandsweep.core``: the error tree, record types, atomic files, host policy, marketplace config.
- ``brandsweep.matchers``: pure matching (text, price, images, seller, score); imports nothing of ours.
- ``brandsweep.store``: the SQLite store (migrations, listings, matches, leads) and ingestion.
- ``brandsweep.rightsholder_catalog``: catalog validation, import and the matcher built from it.
- ``brandsweep.crawler``: the Scrapy project; ``brandsweep.reports``: exports, evidence, reports.
- ``brandsweep.marketplace_fixtures``: the test marketplaces; stands apart.
- ``brandsweep`` itself (``cli``, ``config``, ``sweep``, ``schedule``, ...): the top floor.
"""

from brandsweep.core import __version__

__all__ = ["__version__"]
