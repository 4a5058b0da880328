# Broadsheet: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app

.PHONY: run serve test lint format install install-test bench translations catalogs

# Compiled catalogs (.mo) are built from the .po files, never committed.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
# Directories that hold no reader-facing text (pybabel skips dot-directories already).
NOT_EXTRACTED := .* ._ node_modules tests migrations bench build instance translations docs

# `run` also starts a background thread that sends queued mail while the site is up.
run: $(VENV)/.installed catalogs
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	BROADSHEET_MAIL_BACKGROUND_SENDER=true $(BIN)/flask run --host 127.0.0.1 --port 5000

# Production-style: gunicorn with gunicorn.conf.py (see docs/deploy.md).
serve: $(VENV)/.installed catalogs
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py

test: $(VENV)/.installed-test node_modules/.installed catalogs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
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
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract every marked string into messages.pot, merge it into each catalog, compile.
# A new language: $(BIN)/pybabel init -i translations/messages.pot -d translations -l xx
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs "$(NOT_EXTRACTED)" \
		--sort-by-file --no-wrap --project Broadsheet --copyright-holder "Broadsheet contributors" \
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete \
		--no-fuzzy-matching
	$(BIN)/pybabel compile -d translations --statistics

catalogs: $(CATALOGS)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@ -l $*

install: $(VENV)/.installed catalogs
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
