"""Spiders: navigation only. Extraction lives in :mod:`brandsweep.crawler.pages`."""
