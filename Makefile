# Rombongan — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# DEMO=0: a fresh installation without the demo events and accounts.
DEMO ?= 1
FLASK := $(BIN)/flask --app planner

.PHONY: run test install install-test translations messages db bench load lint format clean browser lock prod-smoke

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rombongan needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions, hashes checked); the package itself
# is installed on top without resolving anything. Reinstall only when they change.
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@

# Refresh the lock files after changing the dependencies in setup.cfg.
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements.lock setup.cfg
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra test --output-file requirements-test.lock setup.cfg

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile --use-fuzzy -d planner/translations

# Extract the Indonesian source strings and merge them into the English catalogue.
# Sorted and without file locations, so branches adding strings rarely touch the same lines.
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --ignore-dirs '.* __pycache__' \
		-o planner/translations/messages.pot .
	$(BIN)/pybabel -q update --ignore-obsolete -i planner/translations/messages.pot \
		-d planner/translations

db: install
	$(FLASK) db upgrade
	$(FLASK) regions load
	@if [ "$(DEMO)" != "0" ]; then $(FLASK) demo load --if-empty; fi

run: db
	@echo "Rombongan: http://$(HOST):$(PORT)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; install it when we are root and it is missing.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "warning: could not install chromium"; \
		else echo "warning: /usr/bin/chromium missing; run: sudo apt-get install -y chromium"; fi; \
	fi
	@# axe-core (accessibility checks injected by the browser tests), from the lock file.
	@if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then \
		npm ci --prefix tests/browser --no-audit --no-fund --silent || echo "warning: npm ci failed; the accessibility test will fail"; \
	fi

# In parallel, one worker per core (pytest-xdist); PYTEST_ARGS=-n0 runs in one process.
# worksteal: an idle worker takes queued tests from a busy one, so a few slow tests at
# the end do not leave a core idle. The 25 slowest tests are listed at the end, to keep
# the suite's time in view.
PYTEST_ARGS ?= -n auto --dist worksteal --durations=25
test: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python -m bench

# Gunicorn under a mixed load for a fixed time (docs/load.md); e.g. LOAD_ARGS='--seconds 60'.
load: install-test
	$(BIN)/python -m bench.load $(LOAD_ARGS)

# The production processes (gunicorn with 4 workers, the job worker) on this machine's
# PostgreSQL and Redis, one journey over HTTP, then stopped (deploy/README.md).
prod-smoke: install
	$(BIN)/python deploy/prod_smoke.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-results
