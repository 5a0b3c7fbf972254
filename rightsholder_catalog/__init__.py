"""The rightsholder catalog: registered marks, brands, products and authorized sellers.

``import_catalog`` validates a catalog document (docs/formats.md §1) and stores it all or
nothing; ``matcher_catalog`` reads it back for the matchers.
"""

from brandsweep.rightsholder_catalog.importer import ImportSummary, import_catalog
from brandsweep.rightsholder_catalog.queries import brand_search_terms, build_matcher, matcher_catalog

__all__ = ["ImportSummary", "brand_search_terms", "build_matcher", "import_catalog", "matcher_catalog"]
