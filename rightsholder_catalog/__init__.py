"""The rightsholder catalog: registered marks, brands, products and authorized sellers.

``import_catalog`` validates a catalog document (docs/formats.md §1) and stores it all or
nothing; ``matcher_catalog`` reads it back for the matchers.
"""

from rightsholder_catalog.importer import ImportSummary, import_catalog
from rightsholder_catalog.queries import brand_search_terms, matcher_catalog

__all__ = ["ImportSummary", "brand_search_terms", "import_catalog", "matcher_catalog"]
