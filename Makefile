# Essor: `make run` starts everything on a fresh machine, `make test` runs the whole suite.
# Only Python 3.11 is needed: SQLite and a filesystem broker stand in for PostgreSQL and Redis
# unless DATABASE_URL and REDIS_URL are set.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Written once the lock is installed; older than the lock means "install again".
INSTALLED := $(VENV)/.installed-dev.lock

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help install run test test-random lint format messages clean

help:
	@echo "make run       start the site on http://$(HOST):$(PORT)/ with a worker (Ctrl-C stops both)"
	@echo "make test      run the whole test suite"
	@echo "make test-random  the suite in a shuffled order (SEED=1234 by default; SEED=N repeats one)"
	@echo "make lint      ruff check, ruff format --check, migrations in step, import contracts"
	@echo "make format    ruff format and the safe ruff fixes"
	@echo "make messages  update the French catalogue (needs gettext) and compile it"
	@echo "make clean     remove the virtual environment and the embedded run's data (var/)"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements/dev.lock | $(PY)
	@echo "Installing requirements/dev.lock into $(VENV) (the first time takes a few minutes)"
	$(PY) -m pip install --disable-pip-version-check -qq -r requirements/dev.lock
	cp requirements/dev.lock $@

install: $(INSTALLED)

# The embedded run: DEBUG on, links in e-mails and the printed logins point at this address.
run: export DEBUG ?= true
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	@$(PY) scripts/run.py --check-port --host $(HOST) --port $(PORT)
	@echo "Preparing the database and the demo data (the first time takes a minute or two)..."
	@$(PY) manage.py migrate --noinput -v 0
	@mkdir -p var
	@# The logins are printed in the banner, once the site and the worker are ready.
	@$(PY) manage.py load_demo --logins-only > var/demo-logins.txt
	@echo "Starting the site and the worker..."
	@$(PY) scripts/run.py --host $(HOST) --port $(PORT) --logins var/demo-logins.txt

# One test process per core (pytest-xdist), a module's tests in the same process so that its
# shared fixtures are built once; TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Modules shuffled, and the tests inside each: a test must pass whatever ran before it (a flushing
# transactional test, a browser test). The seed names the order, so a failure can be replayed.
SEED ?= 1234
test-random: install
	$(PY) -m pytest --random-order-bucket=module --random-order-seed=$(SEED) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(PY) manage.py makemessages --locale fr --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var
