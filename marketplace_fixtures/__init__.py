"""Test marketplaces with ground truth: a generator, four local marketplaces, fault endpoints.

Standalone: imports nothing else of this project (it reads the sample catalog as a data file).

Command line::

    python -m brandsweep.marketplace_fixtures serve --size N --seed S [--faults] [--catalog PATH] [--labels FILE]
        [--epoch K] [--api-key KEY] [--api-rate R] [--canary URL] [--slow-seconds T]
    python -m brandsweep.marketplace_fixtures generate --size N --seed S --out DIR \
        [--catalog PATH] [--epoch K] [--no-images]

``serve`` binds one socket per marketplace on 127.0.0.1 port 0, prints ``NAME URL`` per line
(shopfront, taoshop, jsmall, partnerapi), flushes, and serves until SIGTERM/SIGINT.  ``generate``
writes ``labels.jsonl``, ``feed.jsonl`` (formats.md §2, image paths relative to DIR),
``listings.jsonl``, ``sellers.jsonl`` and ``images/``.

Python API::

    from brandsweep.marketplace_fixtures import generate, ImageMaker
    gen = generate(catalog_path=None, size=1000, seed=7, epoch=0)   # cheap: plans only
    for listing in gen.listings():          # built on demand, deterministic in (seed, index, epoch)
        listing["title"], listing["price"], listing["label"]["expected_lead"]
    gen.listing(i)                          # one listing by index; gen.labels() -> label dicts
    ImageMaker(gen.catalog).render(listing["images"][0])   # JPEG bytes of a listing image
    write_all(gen, Path("out"))             # what `generate --out` writes

A listing dict has: index, platform, listing_id, title, description, price (None = no price),
currency, seller_id, seller_name, seller_location, sales_count (None = not shown), images (refs),
category, keywords (hidden search keywords), jsonld (bool), removed (epoch only), label.
A label has: platform, listing_id, expected_brand, expected_lead, case_kind, family (a disguise
family for counterfeit_disguised and lookalike, else the case kind), transform
(``+``-joined, e.g. ``masked+image:crop10``), network_id, mentioned_brand, product_id,
image_source (``own`` or ``catalog:<product id>``), seller_role, and with --epoch: epoch,
epoch_state.  See README.md in this folder for page structure and the fault table.
"""

from brandsweep.marketplace_fixtures.export import write_all
from brandsweep.marketplace_fixtures.generator import KINDS, PLATFORMS, Generated, generate
from brandsweep.marketplace_fixtures.images import ImageMaker

__all__ = ["KINDS", "PLATFORMS", "Generated", "ImageMaker", "generate", "write_all"]
