# minerpivot — every set-up step lives here; `make demo` and `make test` work from nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home
# dbt's profile opens this file; it follows MINERPIVOT_WAREHOUSE_DIR like the pipeline does.
export MINERPIVOT_BUILD_DB ?= $(abspath $(or $(MINERPIVOT_WAREHOUSE_DIR),$(CURDIR)/data/warehouse))/build.duckdb
STAMP := $(VENV)/.installed
MANIFEST := dbt/target/manifest.json

.PHONY: help demo test lint dev manifest run summary eval-extraction report bench docs clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	$(BIN)/python -m pip check
	@touch $@

$(DAGSTER_HOME)/dagster.yaml: $(STAMP) dagster_project/instance.py
	@$(BIN)/python -m dagster_project.instance $(DAGSTER_HOME) >/dev/null

$(MANIFEST): $(STAMP) $(shell find dbt/models dbt/macros dbt/seeds -type f 2>/dev/null) dbt/dbt_project.yml
	cd dbt && ../$(BIN)/dbt parse --quiet --profiles-dir .

manifest: $(MANIFEST) ## parse the dbt project (manifest for Dagster)

run: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml ## materialize every asset (offline default) and publish
	$(BIN)/python -m dagster_project.run

summary: $(STAMP) ## print each mart's row count and the warehouse path
	$(BIN)/python -m dagster_project.summary

demo: run summary ## set up, run the whole pipeline offline, publish, print the marts

test: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml ## set up and run the test suite
	$(BIN)/pytest -q

lint: $(STAMP) ## ruff (Python) and sqlfluff (dbt SQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt/models

dev: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml ## Dagster UI on http://localhost:3000 (Ctrl-C stops it)
	$(BIN)/python -m dagster_project.devserver

eval-extraction: $(STAMP) ## precision/recall of press-release extraction on the labelled set
	$(BIN)/python -m dagster_project.extraction.evaluate

report: $(STAMP) ## charts and an HTML summary in data/reports/ (needs `make run` first)
	$(BIN)/python -m dagster_project.reports

bench: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml ## benchmarks (ratios printed; see docs/performance.md)
	$(BIN)/python benchmarks/bench_pipeline.py --repeat 3
	$(BIN)/python benchmarks/bench_extraction.py

.PHONY: bench-scale
bench-scale: $(STAMP) ## cost vs universe size on SYNTHETIC data in /tmp (1x, 10x, 100x; long)
	$(BIN)/python benchmarks/bench_scale.py --factors $(or $(FACTORS),1,10,100)

docs: $(STAMP) ## dbt docs generate against the build warehouse (after make run)
	cd dbt && ../$(BIN)/dbt docs generate --profiles-dir .

clean: ## remove the venv, dbt target and warehouse files
	rm -rf $(VENV) dbt/target dbt/logs data/warehouse .dagster_home
