# minerpivot — every set-up step lives here; `make demo` and `make test` work from nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# The venv's programs first: dagster-dbt runs `dbt` by name when it prepares the project.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
STAMP := $(VENV)/.installed
MANIFEST := dbt/target/manifest.json

.PHONY: help demo test lint dev manifest run summary eval-extraction report bench docs clean up down status postgres-up

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
	@$(BIN)/python -m dagster_project.instance local $(DAGSTER_HOME) >/dev/null

# dagster-dbt's documented preparation (dbt parse with the profile the runs use).
$(MANIFEST): $(STAMP) $(shell find dbt/models dbt/macros dbt/seeds dbt/tests -type f 2>/dev/null) dbt/dbt_project.yml
	@$(BIN)/dagster-dbt project prepare-and-package --file dagster_project/dbt_project.py >/dev/null

manifest: $(MANIFEST) ## parse the dbt project (manifest for Dagster)

run: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml ## run the build_warehouse job (offline default) and publish; ARGS=--allow-shrink
	@$(BIN)/python -m dagster_project.run $(ARGS)

summary: $(STAMP) ## print each mart's row count and the warehouse path
	@$(BIN)/python -m dagster_project.summary

demo: run summary ## set up, run the whole pipeline offline, publish, print the marts

test: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml ## set up (incl. the service's PostgreSQL) and run the test suite
	@$(BIN)/python -m dagster_project.service postgres-up >/dev/null
	MINERPIVOT_REQUIRE_PG=1 $(BIN)/pytest -q

lint: $(STAMP) ## ruff (Python) and sqlfluff (dbt SQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt/models

dev: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml ## Dagster UI on http://localhost:3000 (Ctrl-C stops it)
	$(BIN)/python -m dagster_project.devserver

up: $(STAMP) $(MANIFEST) ## service: PostgreSQL instance + one code server + dagster-daemon + dagster-webserver (.service/)
	@$(BIN)/python -m dagster_project.service up
	@echo "runs: DAGSTER_HOME=$(CURDIR)/.service/dagster_home MINERPIVOT_CODE_SERVER=127.0.0.1:$${MINERPIVOT_CODE_SERVER_PORT:-4266} make run   (queued for the daemon)"

down: ## stop what `make up` started (by PID) and PostgreSQL
	@$(BIN)/python -m dagster_project.service down

status: ## is the service up?
	@$(BIN)/python -m dagster_project.service status

postgres-up: $(STAMP) ## only the service's PostgreSQL (what the tests need)
	@$(BIN)/python -m dagster_project.service postgres-up

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

clean: ## remove the venv, dbt target and warehouse files (run `make down` first)
	rm -rf $(VENV) dbt/target dbt/logs data/warehouse .dagster_home .service
