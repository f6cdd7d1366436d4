# MediaSuite: `make run` starts everything, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_DEBS := ffmpeg
TEST_DEBS := ffmpeg chromium rtorrent openssh-server openssh-client git postgresql-client xmltv-util

.PHONY: run test lint check clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	bin/ensure-debian-packages $(RUN_DEBS)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py bootstrap
	exec $(BIN)/python manage.py runall

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .

# The whole suite on the configured database (DATABASE_URL/REDIS_URL, as CI
# sets them), then the core again on the embedded SQLite default when another
# database was configured (the tests of make run and of the self-update run
# their installation on the embedded default anyway, so they run once).
# Tests run in parallel (pytest-xdist), each worker on its own data directory,
# test database and queue (tests/settings.py); the suite mostly waits on real
# processes, so more workers than cores pay. Tests marked xdist_group run one
# after another on one worker.
TEST_WORKERS ?= 4
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadgroup
test: $(VENV)/.test-deps
	bin/ensure-debian-packages $(TEST_DEBS)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest $(PYTEST_PARALLEL) --durations=20
	if [ -n "$$DATABASE_URL$$REDIS_URL" ]; then \
		env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest $(PYTEST_PARALLEL) tests/mediasuite -m "not browser" \
			--ignore tests/mediasuite/test_make_run.py --ignore tests/mediasuite/test_update.py; \
	fi
