# Govem: `make run` to try it, `make test` to check it. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export GOVEM_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint types pytest install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# DEBUG is off unless a developer sets it (DEBUG=1 make run): error pages as users see them,
# static files collected once and served compressed by whitenoise.
run: install
	$(BIN)/govem migrate --noinput
	$(BIN)/govem collectstatic --noinput --verbosity 0
	$(BIN)/govem demo
	DEBUG=$${DEBUG:-0} $(BIN)/govem serve --bind $(HOST):$(PORT) --with-worker

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: install-test
	$(BIN)/mypy

pytest: install-test
	GOVEM_DATA_DIR=$$(mktemp -d) $(BIN)/pytest $(PYTEST_ARGS)

test: lint types pytest

bench: install-test
	$(BIN)/python benchmarks/morning_rush.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
