# Broadsheet: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app

.PHONY: run serve test lint format install install-test bench

# `run` also starts a background thread that sends queued mail while the site is up.
run: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	BROADSHEET_MAIL_BACKGROUND_SENDER=true $(BIN)/flask run --host 127.0.0.1 --port 5000

# Production-style: gunicorn with gunicorn.conf.py (see docs/deploy.md).
serve: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py

test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tests/run_suite.py sqlite
	$(BIN)/python tests/run_suite.py postgresql

# Load test against bare Flask and Isso (bench/run.py; ~5 minutes; SCALE=1k|10k|100k).
SCALE ?= 10k
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py --scale $(SCALE)

# The reliability load tests for longer: `make soak DURATION=300` (seconds of load per run).
# Counts sent / acknowledged / stored / errors are printed at the end; see docs/reliability.md.
.PHONY: soak
DURATION ?= 300
soak: $(VENV)/.installed-test
	RELIABILITY_SECONDS=$(DURATION) $(BIN)/pytest -p no:cacheprovider -m reliability tests/reliability

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# Test-time checkers (Nu HTML checker, axe-core); nothing from npm is served.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@
