# OCOP Hub — the README's commands. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_NO_PROGRESS := 1
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: help install run test test-sqlite test-postgres lint e2e bench bench-tools browsers messages format clean

help:
	@echo "make run    - install, migrate, load places and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install (Chromium included), ruff, then every test on SQLite (and PostgreSQL if TEST_DATABASE_URL is set)"
	@echo "make lint   - ruff and mypy"
	@echo "make e2e    - browser tests only"
	@echo "make bench  - benchmarks (ratios against a baseline measured in the same run)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { \
	  echo "OCOP Hub needs Python 3.12 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install Python 3.12+ (or run with PYTHON=/path/to/python3.12)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --python $(BIN)/python --quiet
	@touch $@

install: $(VENV)/.synced messages

# Compiled catalogues are build output (git-ignored): Babel compiles them, no system gettext needed.
messages: $(VENV)/.synced
	@$(BIN)/pybabel compile --domain=django --directory=locale --statistics 2>&1 | grep -v "^$$" | sed 's/^/  /' || true

run: install
	@export OCOP_DEV=1; \
	$(BIN)/python manage.py migrate --noinput -v0 && \
	$(BIN)/python manage.py load_places && \
	$(BIN)/python manage.py load_categories && \
	$(BIN)/python manage.py load_criteria && \
	$(BIN)/python manage.py load_label_templates && \
	$(BIN)/python manage.py load_demo && \
	$(BIN)/python manage.py commune_positions && \
	$(BIN)/python manage.py send_monthly_reports --schedule && \
	$(BIN)/python manage.py search_index --rebuild && \
	$(BIN)/python manage.py build_open_data && \
	echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop); background worker for imports started." && \
	{ $(BIN)/python manage.py db_worker --queue-name '*' --interval 1 -v0 & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn ocop_hub.wsgi -b $(HOST):$(PORT) --workers 2 --threads 4 --worker-class gthread --access-logfile -; }

# Debian's chromium and its driver for the Playwright browser tests, and pdftoppm to look at PDFs.
browsers:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
	  && [ -d /usr/share/fonts/opentype/noto ]; then :; else \
	  echo "Installing Debian's chromium, chromium-driver, poppler-utils (PDF pages to PNG) and Noto CJK fonts (Japanese, Chinese, Korean stories in screenshots) for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver poppler-utils fonts-noto-cjk >/dev/null \
	  || { echo "Could not install them: run 'apt-get install -y chromium chromium-driver poppler-utils fonts-noto-cjk' as root."; exit 1; }; fi

test: install browsers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	 else echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped."; fi

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL OCOP_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider || [ $$? -eq 5 ]

test-postgres:
	@echo "== tests on PostgreSQL =="
	DATABASE_URL="$$TEST_DATABASE_URL" OCOP_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider || [ $$? -eq 5 ]

e2e: install browsers
	env -u DATABASE_URL OCOP_TESTING=1 $(BIN)/pytest e2e -m browser -p no:cacheprovider

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	OCOP_TESTING=1 $(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# wrk (load generator) and nginx (the static-file baseline) for the resolver bench.
bench-tools:
	@if command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1; then :; else \
	  echo "Installing Debian's wrk and nginx-light for the resolver bench..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk nginx-light >/dev/null \
	  || { echo "Could not install them: run 'apt-get install -y wrk nginx-light' as root."; exit 1; }; fi

bench: install bench-tools
	OCOP_DEV=1 $(BIN)/python -m bench

clean:
	rm -rf $(VENV) var e2e/artifacts
