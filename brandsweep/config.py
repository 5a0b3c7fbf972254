"""The configuration file (TOML): marketplaces, matcher weights, schedules, exports, folders.

Found through ``--config FILE``, env ``BRANDSWEEP_CONFIG``, or ``./brandsweep.toml`` (optional:
without it every default applies). Sections are parsed by the modules that own them:

==============================  ==================================================
``[marketplaces.NAME]``         :meth:`brandsweep.core.marketplaces.MarketplaceConfig.from_mapping`
``[matchers]``                  :meth:`matchers.MatchConfig.from_mapping`
``[schedules.NAME]``            :meth:`brandsweep.schedule.ScheduleConfig.from_mapping`
``[export_profiles.NAME]``      ``brandsweep.reports.profiles.ExportProfile.from_mapping`` when installed
``[output]``, ``[sweep]``       here
``[store]``                     here (:class:`StoreConfig`)
==============================  ==================================================

Credentials are never in the file: a marketplace names the environment variable that holds its
key (``api_key_env``). :func:`check_config` collects *every* problem with its line and dotted key
(tomllib gives no positions, so :mod:`brandsweep.config_check` finds them in the text);
:func:`load_config` raises :class:`ConfigError` listing them.
"""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from brandsweep.config_check import Problem, key_lines, line_of, split_error
from brandsweep.core.errors import ConfigError
from brandsweep.core.marketplaces import BUILTIN, MarketplaceConfig
from brandsweep.matchers import MatchConfig

DEFAULT_CONFIG = "brandsweep.toml"
# Single-table sections parsed by the reports package: section -> (module, class with from_mapping(table)).
POLICY_SECTIONS: Mapping[str, tuple[str, str]] = {
    "referral": ("brandsweep.reports.referral", "ReferralPolicy"),
    "evidence": ("brandsweep.reports.evidence", "EvidencePolicy"),
    "networks": ("brandsweep.reports.networks", "NetworkPolicy"),
}
TOP_LEVEL = ("store", "output", "sweep", "feeds", "marketplaces", "matchers", "schedules", "export_profiles",
             *POLICY_SECTIONS)
# Keys that hold secrets are refused outright: name the environment variable instead.
SECRET_KEYS = frozenset({"api_key", "apikey", "password", "token", "secret", "cookie", "cookies"})


@dataclass(frozen=True, slots=True)
class OutputConfig:
    exports: str = "out/exports"  # default folder of schedule exports


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """``[store]``: where the store is. ``--db`` / env ``BRANDSWEEP_DB`` win over ``url``."""

    url: str = ""  # a SQLite file path or postgresql://user@host:port/dbname (password: PGPASSWORD or ~/.pgpass)
    blobs: str = ""  # folder for image bytes; empty: <file>.blobs beside SQLite, the blobs table in PostgreSQL

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any]) -> StoreConfig:
        from brandsweep.store.db import is_url

        known = ("url", "blobs")
        for key, value in table.items():
            if key not in known:
                raise ValueError(f"{key}: unknown key (known: {', '.join(known)})")
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{key}: expected a non-empty string")
        url = str(table.get("url", ""))
        if url and "://" in url and not is_url(url):
            raise ValueError(f"url: {url.split('://')[0]}:// is not a store; give a SQLite file path or a "
                             f"postgresql:// URL")
        if is_url(url):
            parts = urlsplit(url)
            if parts.password:
                raise ValueError("url: the password is never stored in the file; leave it out of the URL and "
                                 "set PGPASSWORD or use ~/.pgpass")
            if not parts.path.strip("/"):
                raise ValueError(f"url: no database name in {url!r} (postgresql://user@host:5432/DBNAME)")
            try:
                parts.port  # noqa: B018  (raises on a bad port)
            except ValueError as exc:
                raise ValueError(f"url: {exc}") from exc
        return cls(url=url, blobs=str(table.get("blobs", "")))


@dataclass(frozen=True, slots=True)
class SweepConfig:
    max_pages: int = 5  # result pages followed per search term
    spellings: bool = True  # also search the disguised spellings sellers use
    parallel: int = 4  # marketplaces crawled at once


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    """``[feeds]``: feed imports (``brandsweep listings import``); ``--workers`` wins over it."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # matching processes; 1: in process


@dataclass(frozen=True, slots=True)
class Config:
    path: str | None = None
    store: StoreConfig = field(default_factory=StoreConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    sweep: SweepConfig = field(default_factory=SweepConfig)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    marketplaces: Mapping[str, MarketplaceConfig] = field(default_factory=dict)
    matchers: MatchConfig = field(default_factory=MatchConfig)
    schedules: Mapping[str, Any] = field(default_factory=dict)  # name -> brandsweep.schedule.ScheduleConfig
    export_profiles: Mapping[str, Any] = field(default_factory=dict)
    referral: Any = None  # reports.referral.ReferralPolicy, when configured
    evidence: Any = None  # reports.evidence.EvidencePolicy
    networks: Any = None  # reports.networks.NetworkPolicy

    def marketplace(self, name: str) -> MarketplaceConfig | None:
        return self.marketplaces.get(name) or BUILTIN.get(name)


def find_config(path: str | Path | None) -> Path | None:
    """The file to read: the one named, else env BRANDSWEEP_CONFIG, else ``./brandsweep.toml`` if it exists."""
    path = path or os.environ.get("BRANDSWEEP_CONFIG")
    if path:
        return Path(path)
    default = Path(DEFAULT_CONFIG)
    return default if default.is_file() else None


def load_config(path: str | Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate the configuration; :class:`ConfigError` lists every problem."""
    found = find_config(path)
    if found is None:
        return Config()
    config, problems = check_config(found, environ=environ)
    if problems or config is None:
        raise ConfigError(str(found), problems)
    return config


def check_config(path: str | Path, *, environ: Mapping[str, str] | None = None) -> tuple[Config | None, list[Problem]]:
    """Parse ``path``; return the configuration (None if it has problems) and every problem found."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(None, "", "no such file")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(None, "", f"cannot read: {exc}")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)$", str(exc))  # Python < 3.14 has no exc.lineno
        line = int(m.group(1)) if m else getattr(exc, "lineno", None)
        return None, [Problem(line, "", f"not valid TOML: {str(exc)[:m.start()].strip() if m else exc}")]
    checker = _Checker(key_lines(text), os.environ if environ is None else environ, p.parent)
    config = checker.run(data, str(p))
    return (None if checker.problems else config), checker.problems


class _Checker:
    def __init__(self, lines: dict[str, int], environ: Mapping[str, str], base: Path) -> None:
        self.lines = lines
        self.environ = environ
        self.base = base
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(line_of(self.lines, key), key, message))

    def table(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.problem(key, "expected a table")
            return {}
        return value

    def run(self, data: Mapping[str, Any], path: str) -> Config:
        for key in data:
            if key not in TOP_LEVEL:
                self.problem(key, f"unknown key (known: {', '.join(TOP_LEVEL)})")
        store = self._section("store", lambda: StoreConfig.from_mapping(self.table(data, "store")),
                              strip="store.") or StoreConfig()
        output = self._simple(OutputConfig, "output", self.table(data, "output"))
        sweep = self._simple(SweepConfig, "sweep", self.table(data, "sweep"))
        feeds = self._simple(FeedsConfig, "feeds", self.table(data, "feeds"))
        marketplaces = self._named("marketplaces", self.table(data, "marketplaces"), self._marketplace)
        matchers = self._section("matchers", lambda: MatchConfig.from_mapping(self.table(data, "matchers")),
                                 strip="matchers.") or MatchConfig()
        from brandsweep.schedule import ScheduleConfig

        schedules = self._named("schedules", self.table(data, "schedules"),
                                lambda name, tbl: ScheduleConfig.from_mapping(name, tbl))
        for name, sched in schedules.items():
            for m in sched.marketplaces:
                if m not in marketplaces and m not in BUILTIN:
                    self.problem(f"schedules.{name}.marketplaces", f"no marketplace named {m!r} is configured")
        profiles = self._named("export_profiles", self.table(data, "export_profiles"), _export_profile_parser())
        known_profiles = set(profiles) | _builtin_profile_names()
        for name, sched in schedules.items():
            if known_profiles and sched.profile not in known_profiles:
                self.problem(f"schedules.{name}.profile", f"no export profile named {sched.profile!r} "
                             f"(known: {', '.join(sorted(known_profiles))})")
        policies = {section: self._policy(section, data) for section in POLICY_SECTIONS}
        return Config(path=path, store=store, output=output, sweep=sweep, feeds=feeds, marketplaces=marketplaces,
                      matchers=matchers, schedules=schedules, export_profiles=profiles, **policies)

    def _policy(self, section: str, data: Mapping[str, Any]) -> Any:
        if section not in data:
            return None
        table = self.table(data, section)
        module, cls = POLICY_SECTIONS[section]
        try:
            parse = getattr(importlib.import_module(module), cls).from_mapping
        except (ImportError, AttributeError):
            return dict(table)  # this build has no parser for it: kept as given
        return self._section(section, lambda: parse(table), strip=f"{section}.")

    def _marketplace(self, name: str, table: Mapping[str, Any]) -> MarketplaceConfig:
        prefix = f"marketplaces.{name}"
        for key in table:
            if key.lower() in SECRET_KEYS:
                raise ValueError(f"{key}: credentials are never stored in the file; name the environment "
                                 f"variable that holds it instead (api_key_env = \"VAR\")")
        for key, value in table.items():
            if key.endswith("_env") and isinstance(value, str) and not self.environ.get(value):
                self.problem(f"{prefix}.{key}", f"credential environment variable {value} is not set")
        return MarketplaceConfig.from_mapping(name, table)

    def _section(self, prefix: str, parse: Callable[[], Any], *, strip: str = "") -> Any:
        try:
            return parse()
        except (ValueError, TypeError) as exc:
            sub, message = split_error(str(exc), strip)
            self.problem(f"{prefix}.{sub}" if sub else prefix, message)
            return None

    def _named(self, section: str, tables: Mapping[str, Any],
               parse: Callable[[str, Mapping[str, Any]], Any] | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, table in tables.items():
            key = f"{section}.{name}"
            if not isinstance(table, Mapping):
                self.problem(key, "expected a table")
                continue
            if parse is None:
                out[name] = dict(table)
                continue
            value = self._section(key, lambda n=name, t=table: parse(n, t), strip=f"{key}.")  # type: ignore[misc]
            if value is not None:
                out[name] = value
        return out

    def _simple(self, cls: type, section: str, table: Mapping[str, Any]) -> Any:
        defaults = cls()
        kwargs: dict[str, Any] = {}
        for key, value in table.items():
            if not hasattr(defaults, key):
                known = ", ".join(f for f in cls.__dataclass_fields__)  # type: ignore[attr-defined]
                self.problem(f"{section}.{key}", f"unknown key (known: {known})")
                continue
            default = getattr(defaults, key)
            if isinstance(default, bool) and not isinstance(value, bool):
                self.problem(f"{section}.{key}", "expected true or false")
            elif isinstance(default, int) and not isinstance(default, bool) and (
                    isinstance(value, bool) or not isinstance(value, int) or value < 1):
                self.problem(f"{section}.{key}", "expected a positive integer")
            elif isinstance(default, str) and (not isinstance(value, str) or not value):
                self.problem(f"{section}.{key}", "expected a non-empty string")
            else:
                kwargs[key] = value
        return cls(**kwargs)


def _export_profile_parser() -> Callable[[str, Mapping[str, Any]], Any] | None:
    """``brandsweep.reports.profiles.ExportProfile.from_mapping`` where the reports package has it; else raw."""
    try:
        module = importlib.import_module("brandsweep.reports.profiles")
    except ImportError:
        return None
    profile = getattr(module, "ExportProfile", None)
    parse = getattr(profile, "from_mapping", None)
    return parse if callable(parse) else None


def _builtin_profile_names() -> set[str]:
    try:
        from brandsweep.reports.profiles import builtin_profiles
    except ImportError:
        return set()
    return set(builtin_profiles())
