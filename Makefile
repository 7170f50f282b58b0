# Ponti: two commands for a newcomer.
#   make run   - set up and run Ponti on SQLite with demo data at http://127.0.0.1:$(PONTI_PORT)
#   make test  - set up and run the whole test suite (unit, API, browser)

PONTI_PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.11 on the PATH.
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: run test install install-test lint typecheck format bench messages clean

$(BIN)/activate:
	@test -n "$(PYTHON)" || { echo "Ponti needs Python >= 3.11: install it first."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test,dev]'

run: install
	@mkdir -p var
	PONTI_DEBUG=1 $(BIN)/ponti migrate --noinput
	@PONTI_DEBUG=1 $(BIN)/ponti has-data || PONTI_DEBUG=1 PONTI_DEMO_PASSWORD="$(PONTI_DEMO_PASSWORD)" $(BIN)/ponti demo
	@PONTI_DEBUG=1 $(BIN)/ponti demo --logins
	@echo "Starting the background worker (log: var/worker.log)"
	@PONTI_DEBUG=1 $(BIN)/ponti db_worker > var/worker.log 2>&1 & echo $$! > var/worker.pid
	@echo "Scheduling the daily due-items job, ponti scadenze (log: var/scadenze.log)"
	@( while true; do PONTI_DEBUG=1 $(BIN)/ponti scadenze; sleep 86400; done ) > var/scadenze.log 2>&1 & echo $$! > var/scheduler.pid
	@echo ""
	@echo "  Ponti is running at http://127.0.0.1:$(PONTI_PORT)/  (Ctrl+C to stop)"
	@echo ""
	@trap 'kill $$(cat var/worker.pid) $$(cat var/scheduler.pid) 2>/dev/null' EXIT INT TERM; \
	PONTI_DEBUG=1 $(BIN)/ponti runserver 127.0.0.1:$(PONTI_PORT)

test: install-test
	$(BIN)/pytest -p no:cacheprovider -rfEs -n $${PONTI_TEST_WORKERS:-auto}

lint: install-test
	$(BIN)/ruff check ponti tests bench
	$(BIN)/ruff format --check ponti tests bench
	$(BIN)/djhtml --check $$(git ls-files 'ponti/**/*.html')

format: install-test
	$(BIN)/ruff format ponti tests bench
	$(BIN)/ruff check --fix ponti tests bench

typecheck: install-test
	PONTI_DEBUG=1 $(BIN)/mypy ponti

bench: install-test
	$(BIN)/python bench/registry.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/exports.py

messages: install
	PONTI_DEBUG=1 $(BIN)/ponti makemessages -l en --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'
	PONTI_DEBUG=1 $(BIN)/ponti compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var build *.egg-info
