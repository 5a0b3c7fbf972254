"""Configuration file: every problem named by line and key; good files load; credentials from env."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brandsweep.config import ConfigError, check_config, load_config
from brandsweep.config_check import key_lines
from tests.conftest import ROOT, run_cli

BAD = """\
# brandsweep configuration with one problem of each kind
[output]
exports = "out/exports"
colour = "blue"

[marketplaces.partner]
spider = "partnerapi"
base_url = "http://127.0.0.1:9"
api_key_env = "BRANDSWEEP_TEST_SURELY_UNSET_KEY"

[marketplaces.shop]
spider = "shopfront"
base_url = "http://127.0.0.1:9"
concurency = 3

[matchers]
lead_threshold = 65
bogus_weight = 1

[schedules.nightly]
cron = "0 25 * * *"
marketplaces = ["shop"]

[schedules.typo]
cron = "*/5 * * * *"
marketplace = ["shop"]

[unknown_section]
x = 1
"""


def _line(text: str, needle: str, after: str = "") -> int:
    """1-based line of the first line containing ``needle`` after the line containing ``after``."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if after in ln) if after else 0
    return next(i for i, ln in enumerate(lines) if i >= start and needle in ln) + 1


def test_config_check_names_line_and_key_of_every_problem(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(BAD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "BRANDSWEEP_TEST_SURELY_UNSET_KEY"}
    r = run_cli("config", "check", str(cfg), env=env)
    assert r.returncode == 1, r.stderr
    expected = [
        (_line(BAD, "colour"), "output.colour", "unknown key"),
        (_line(BAD, "api_key_env"), "marketplaces.partner.api_key_env", "BRANDSWEEP_TEST_SURELY_UNSET_KEY"),
        (_line(BAD, "concurency"), "marketplaces.shop.concurency", "unknown key"),
        (_line(BAD, "bogus_weight"), "matchers.bogus_weight", "unknown key"),
        (_line(BAD, "0 25 * * *"), "schedules.nightly.cron", "not a valid cron expression"),
        (_line(BAD, "marketplace = "), "schedules.typo.marketplace", "unknown key"),
        (_line(BAD, "[unknown_section]"), "unknown_section", "unknown key"),
    ]
    for line, key, why in expected:
        hits = [ln for ln in r.stderr.splitlines() if ln.startswith(f"{cfg}:{line}: {key}: ")]
        assert hits and why in hits[0], f"{key} at line {line} not reported:\n{r.stderr}"
    assert f"{len(expected)} problem(s)" in r.stderr


def test_missing_credential_is_the_only_problem_of_an_otherwise_good_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[marketplaces.p]\nspider = "partnerapi"\nbase_url = "http://127.0.0.1:9"\n'
                   'api_key_env = "BRANDSWEEP_TEST_KEY_X"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "BRANDSWEEP_TEST_KEY_X"}
    r = run_cli("config", "check", str(cfg), env=env)
    assert r.returncode == 1
    assert f"{cfg}:4: marketplaces.p.api_key_env: credential environment variable BRANDSWEEP_TEST_KEY_X" in r.stderr
    r = run_cli("config", "check", str(cfg), env={**env, "BRANDSWEEP_TEST_KEY_X": "s3cret"})
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stdout


def test_a_key_stored_in_the_file_is_refused(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[marketplaces.p]\nspider = "partnerapi"\napi_key = "s3cret"\n', encoding="utf-8")
    _, problems = check_config(cfg, environ={})
    assert [(p.line, p.key) for p in problems] == [(3, "marketplaces.p.api_key")]
    assert "environment variable" in problems[0].message


def test_invalid_toml_names_the_line(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[output]\nexports = "a"\nevidence = \n', encoding="utf-8")
    r = run_cli("config", "check", str(cfg))
    assert r.returncode == 1
    assert f"{cfg}:3: not valid TOML" in r.stderr


def test_example_config_is_valid_and_loads(tmp_path):
    example = ROOT / "brandsweep.example.toml"
    text = example.read_text(encoding="utf-8")
    env_vars = {line.split('"')[1] for line in text.splitlines() if line.strip().startswith("api_key_env")}
    config = load_config(example, environ={v: "x" for v in env_vars})
    assert config.schedules and config.marketplaces
    for name, sched in config.schedules.items():
        assert sched.cron, name
    with pytest.raises(ConfigError):
        load_config(example, environ={})  # the credential variables it names are required


def test_config_found_through_env_and_cwd(tmp_path):
    (tmp_path / "brandsweep.toml").write_text('[schedules.a]\ncron = "0 2 * * *"\n', encoding="utf-8")
    r = run_cli("config", "check", cwd=tmp_path, env={"BRANDSWEEP_CONFIG": ""})
    assert r.returncode == 0 and "1 schedules" in r.stdout, r.stderr
    other = tmp_path / "other.toml"
    other.write_text('[schedules.a]\ncron = "0 2 * * *"\n[schedules.b]\ncron = "0 3 * * *"\n', encoding="utf-8")
    r = run_cli("config", "check", cwd=tmp_path, env={"BRANDSWEEP_CONFIG": str(other)})
    assert r.returncode == 0 and "2 schedules" in r.stdout, r.stderr
    r = run_cli("--config", str(tmp_path / "missing.toml"), "config", "check", cwd=tmp_path)
    assert r.returncode == 1 and "no such file" in r.stderr


def test_key_lines_finds_headers_dotted_and_quoted_keys():
    text = ('top = 1\n[a.b]\nx = 1\n"quoted key" = 2\nc.d = 3\n  [ "e" . f ]  # comment\ny = """\n'
            'z = not a key\n"""\nw = [\n  1,\n]\n')
    lines = key_lines(text)
    assert lines["top"] == 1
    assert lines["a.b"] == 2 and lines["a.b.x"] == 3 and lines["a.b.quoted key"] == 4 and lines["a.b.c.d"] == 5
    assert lines["e.f"] == 6 and lines["e.f.y"] == 7 and "e.f.z" not in lines and lines["e.f.w"] == 10


def test_cli_db_option_precedes_nothing_from_config(tmp_path: Path):
    """A top-level ``db`` key is unknown: the store is --db / BRANDSWEEP_DB, else ``[store] url``."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('db = "x.db"\n', encoding="utf-8")
    _, problems = check_config(cfg, environ={})
    assert [(p.line, p.key) for p in problems] == [(1, "db")]


def test_reports_sections_are_parsed_by_their_owners(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[referral]\nthreshold_cny = "lots"\n\n[export_profiles.caseA]\nfields = ["lead_id", "nonsense"]\n'
                   '\n[schedules.x]\ncron = "0 2 * * *"\nprofile = "caseB"\n', encoding="utf-8")
    _, problems = check_config(cfg, environ={})
    assert sorted((p.line, p.key) for p in problems) == [
        (2, "referral.threshold_cny"), (5, "export_profiles.caseA.fields[1]"), (9, "schedules.x.profile")]
    cfg.write_text('[referral]\nthreshold_cny = 50000\n\n[export_profiles.caseA]\nfields = ["lead_id", "title"]\n'
                   '\n[schedules.x]\ncron = "0 2 * * *"\nprofile = "caseA"\n', encoding="utf-8")
    config = load_config(cfg, environ={})
    assert config.referral.threshold_cny == 50000
    assert config.export_profiles["caseA"].fields == ("lead_id", "title")
