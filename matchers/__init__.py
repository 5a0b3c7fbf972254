"""brandsweep matchers: pure functions and indexes that link listings to catalog brands.

    from brandsweep.matchers import Matcher, MatchConfig, hash_image, ImageRefused

See ``matchers/README.md`` for reason codes, the scoring formula and configuration keys.
"""

from brandsweep.matchers.config import MatchConfig
from brandsweep.matchers.image import ImageRefused, hash_image
from brandsweep.matchers.score import Matcher

__all__ = ["ImageRefused", "MatchConfig", "Matcher", "hash_image"]
