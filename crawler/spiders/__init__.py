"""Spiders: navigation only. Extraction lives in :mod:`crawler.pages`."""
