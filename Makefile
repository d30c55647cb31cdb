# Two commands do all the set-up: `make demo` and `make test`. Both reuse what is there.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo runs in development mode unless the caller says otherwise.
DEBUG ?= 1
export PORT DEBUG

.PHONY: demo test lint install serve clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.runtime-installed

# Development mode for manage.py in any shell, not only under make: config/settings.py
# reads .env when it is there (the environment wins). Written once, never overwritten;
# a production machine has no .env, so there a missing SECRET_KEY still stops the start.
.env:
	printf '%s\n' '# Written by `make demo`: development settings for this checkout (settings.py' \
	  '# reads them; the environment wins). Never put this file on a production server.' \
	  'DEBUG=$(DEBUG)' > $@

demo: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (facilitator: see README)"
	@# The mail worker runs beside Daphne and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/daphne -b 127.0.0.1 -p $(PORT) config.asgi:application

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.test-installed lint
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
