# Two commands for a fresh clone (only Python >= 3.11, git and make needed):
#   make run    install, migrate, seed the demo when the database is empty, serve on http://127.0.0.1:8000
#               with a Celery worker (and its beat scheduler) beside it
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-test lint format check clean bench bench-quick

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	mkdir -p var/celery-broker/processed var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "  vcio is starting on http://$(HOST):$(PORT)  (log in with a demo login above; Ctrl-C stops)"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/celery -A vcio worker --beat --loglevel=warning --concurrency=1 --schedule=var/celerybeat-schedule & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
