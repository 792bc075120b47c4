# meetcoord — the command index.
#
#   make run      set up a fresh machine (venv, install, catalogs, database, demo) and serve
#   make test     dev install (+ Debian's chromium when root), ruff, the whole pytest suite
#                 (SQLite; and beside it on PostgreSQL, browser tests apart, when MEETCOORD_TEST_DATABASE_URL
#                 is set: tests/suites/run_both.sh; `make test-sqlite` / `make test-postgres` run one)
#   make lint     ruff check + ruff format --check       make fmt   fix what ruff can fix
#   make e2e      browser tests only (Playwright driving /usr/bin/chromium)
#   make bench    every benchmark in bench/; `make bench ONLY=<name>` runs one
#   make screenshots  retake the README's screenshots from the demo data (docs/screenshots/)
#   make i18n     extract, update and compile the translation catalogs
#   make migrate  apply the migrations to the configured database
#   make migration m="what changed"   autogenerate a new Alembic revision (review it!)
#   make clean    remove the virtualenv, caches and build output (keeps instance/, your data)

SHELL := /bin/bash
.NOTPARALLEL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CATALOGS := meetcoord/translations
# Stamp files: a second `make run`/`make test` reinstalls only when pyproject.toml changed.
STAMP_RUN := $(VENV)/.stamp-install
STAMP_DEV := $(VENV)/.stamp-install-dev

# `make run` is for a person at a laptop: development mode (plain-HTTP session cookies,
# request log), eventlet, 127.0.0.1:5000 — each overridable from the environment.
# The signing CA's passphrase for `make run` only: set your own (MEETCOORD_CA_PASSPHRASE) for
# anything beyond a laptop demo — see deploy/README.md.
RUN_ENV := MEETCOORD_ENV=$${MEETCOORD_ENV:-development} \
	MEETCOORD_CA_PASSPHRASE="$${MEETCOORD_CA_PASSPHRASE:-make-run-demo-only-passphrase}" \
	MEETCOORD_ASYNC_MODE=$${MEETCOORD_ASYNC_MODE:-eventlet} \
	MEETCOORD_HOST=$${MEETCOORD_HOST:-127.0.0.1} \
	MEETCOORD_PORT=$${MEETCOORD_PORT:-5000}

PYTEST_ARGS ?=

.PHONY: help run install install-dev catalogs assets i18n migrate migration test test-sqlite \
	test-postgres lint fmt e2e bench screenshots chromium clean

help:
	@sed -n '1,/^$$/p' $(MAKEFILE_LIST) | sed 's/^# \{0,1\}//'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(STAMP_DEV): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)

install-dev: $(STAMP_DEV)

# Compiled catalogs (*.mo) are build output, not committed; compile at every install.
catalogs: | $(PY)
	@if ls $(CATALOGS)/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d $(CATALOGS) || exit 1; \
	else \
		echo "i18n: no catalogs in $(CATALOGS) yet; nothing to compile"; \
	fi

# Static files minified, content-hashed and pre-compressed into build/assets (gitignored);
# without it the app builds the same in memory at start, once.
assets: install
	$(BIN)/meetcoord assets build

i18n: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -N -i $(CATALOGS)/messages.pot -d $(CATALOGS)  # -N: no fuzzy guesses
	$(BIN)/pybabel compile -d $(CATALOGS)

run: install catalogs assets
	@mkdir -p instance
	$(RUN_ENV) $(BIN)/meetcoord db upgrade
	@$(RUN_ENV) $(BIN)/meetcoord init
	$(RUN_ENV) $(BIN)/meetcoord demo load --if-empty
	@$(RUN_ENV) $(BIN)/meetcoord demo logins
	$(RUN_ENV) exec $(BIN)/meetcoord serve

migrate: install
	@mkdir -p instance
	$(RUN_ENV) $(BIN)/meetcoord db upgrade

migration: install
	@test -n "$(m)" || { echo 'usage: make migration m="what changed"'; exit 2; }
	@mkdir -p instance
	$(RUN_ENV) $(BIN)/meetcoord db upgrade
	$(RUN_ENV) $(BIN)/meetcoord db migrate -m "$(m)"

# Debian's chromium for the browser tests: installed only when missing and we are root
# (CI); otherwise say how, and the browser tests skip (or fail under
# MEETCOORD_TEST_REQUIRE_SERVICES=1).
chromium:
	@if [ -x /usr/bin/chromium ]; then \
		:; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "note: /usr/bin/chromium is missing; browser tests will not run."; \
		echo "      install it with: sudo apt-get install chromium"; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev catalogs assets chromium lint
	BIN=$(BIN) bash tests/suites/run_both.sh $(PYTEST_ARGS)

test-sqlite: install-dev catalogs
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-dev catalogs
	@if [ -n "$$MEETCOORD_TEST_DATABASE_URL" ]; then \
		echo "== the whole suite again on PostgreSQL ($$MEETCOORD_TEST_DATABASE_URL)"; \
		echo "   but the browser tests: each starts its own server on SQLite, so a second"; \
		echo "   run would repeat the first (tests/browser/conftest.py: live_server)"; \
		MEETCOORD_TEST_BACKEND=postgres $(BIN)/pytest -m "not browser" $(PYTEST_ARGS); \
	else \
		echo "MEETCOORD_TEST_DATABASE_URL is not set: PostgreSQL run skipped"; \
	fi

e2e: install-dev catalogs chromium
	$(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

bench: install-dev catalogs assets
	$(PY) bench/run.py $(if $(ONLY),--only $(ONLY))

# The README's screenshots (bench/screenshots.py): a demo server, Chromium, docs/screenshots/.
screenshots: install-dev catalogs assets chromium
	$(PY) bench/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache test-artifacts bench/out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find $(CATALOGS) -name '*.mo' -delete 2>/dev/null || true
