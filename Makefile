# Two commands for a fresh clone (only Python >= 3.11, git and make needed):
#   make run    install, set up the database (migrations; on PostgreSQL also the app role), seed the demo
#               when the database is empty, serve on http://127.0.0.1:8000 with a Celery worker (and
#               its beat scheduler) beside it
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test install install-test lint format check clean bench bench-quick

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# On PostgreSQL, give DATABASE_OWNER_URL (the tables' owner: migrations) and DATABASE_URL (the role the
# app runs as, created by setup_database; it owns nothing, so row-level security applies to it).
run: install
	mkdir -p var/celery-broker/processed var/media
	$(BIN)/python manage.py setup_database $(SETUP_DATABASE_ARGS)
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "  vcio is starting on http://$(HOST):$(PORT)  (log in with a demo login above; Ctrl-C stops)"
	@echo ""
	@$(BIN)/python manage.py devserver --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# Benchmarks on PostgreSQL (benchmarks/README.md): BENCH_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/vcio_bench. The first `make bench` seeds 200 practices (a few minutes).
bench: install
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python -m benchmarks.run --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/staticfiles
