# The two commands of the quick start: `make demo` and `make test`.
# Both set up everything they need on a fresh Debian machine and are safe to run again.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= out/demo.db

.PHONY: demo test lint browser install clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

browser:
	@sh scripts/install-system-deps.sh

demo: $(STAMP) browser
	@mkdir -p out
	$(VENV)/bin/brandsweep --db $(DEMO_DB) demo --out out

test: $(STAMP) browser
	$(PY) -m pytest

# Every measure of issues 14/16 against its baseline (bench/run.py), about 15 minutes on 2 cores;
# results in bench/results/latest.json. Installs the bench extra (faiss-cpu) first.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) -m bench.run

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf out .pytest_cache .ruff_cache
