# Two set-up commands: `make run` (demo) and `make test` (everything CI checks).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test install install-dev lint bench clean browser report-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'

# The demo database, then the web pages and the REST API serving it (Ctrl-C stops it). The
# demo prints its accounts once: log in with one at http://127.0.0.1:8000/;
# `coalition --as NAME user token NAME` issues an API token for one.
run: install
	$(BIN)/coalition demo
	@echo "Serving the web pages at http://127.0.0.1:8000/ (log in with a demo account above)"
	@echo "and the API at http://127.0.0.1:8000/api/v1 (schema: /api/v1/openapi.json)."
	$(BIN)/coalition serve --host 127.0.0.1 --port 8000

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Debian's Chromium for the browser tests (Playwright's own download cannot reach the internet
# here); skipped when it is already installed.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-liberation)


# pdftoppm and pdftotext check the rendered reports (Debian's poppler-utils), once per machine.
report-tools:
	@command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)

test: install-dev lint browser report-tools
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('host=127.0.0.1 port=5432 dbname=test user=postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "PostgreSQL answers at 127.0.0.1:5432: storage tests run on SQLite and PostgreSQL."; \
		COALITION_TEST_DATABASE_URL=$${COALITION_TEST_DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -n 2; \
	else \
		echo "PostgreSQL does NOT answer at 127.0.0.1:5432: PostgreSQL storage tests will be SKIPPED."; \
		$(BIN)/pytest -n 2; \
	fi

# The logistics bench runs M, L and L under 30 s (about 10 minutes on 2 cores); the training
# bench its issue's default size under a 30 s limit.
bench: install-dev
	$(BIN)/python bench/import.py
	$(BIN)/python bench/allocation.py
	$(BIN)/python bench/logistics.py --sizes M,L,L30
	$(BIN)/python bench/training.py

clean:
	rm -rf $(VENV) coalition.db coalition.db-wal coalition.db-shm test-artifacts
