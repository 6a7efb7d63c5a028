# Govem: `make run` to try it, `make test` to check it. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export GOVEM_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint types deploy-check pytest install install-test bench clean

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

# All of src/ with django-stubs (pyproject's [tool.mypy]), then rules/ once more under --strict.
types: install-test
	$(BIN)/mypy
	$(BIN)/mypy --strict src/govem/rules

# Django's deployment checks under production settings (docs/deployment.md's values, a
# throwaway secret): any warning fails except the ones settings.SILENCED_SYSTEM_CHECKS justifies.
# And no model change without its migration.
DEPLOY_ENV = GOVEM_PRODUCTION=1 DEBUG=0 GOVEM_SITE_URL=https://presensi.tapinkab.go.id \
	ALLOWED_HOSTS=presensi.tapinkab.go.id CSRF_TRUSTED_ORIGINS=https://presensi.tapinkab.go.id \
	GOVEM_TRUSTED_PROXY_COUNT=1 GOVEM_HSTS_SECONDS=3600
deploy-check: install
	GOVEM_DATA_DIR=$$(mktemp -d) $(DEPLOY_ENV) \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(BIN)/govem check --deploy --fail-level WARNING
	GOVEM_DATA_DIR=$$(mktemp -d) $(BIN)/govem makemigrations --check --dry-run

# One pytest process per core (pytest-xdist; each has its own test database); PYTEST_WORKERS=0
# runs in one process.
PYTEST_WORKERS ?= auto

pytest: install-test
	GOVEM_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint types deploy-check pytest

bench: install-test
	$(BIN)/python benchmarks/morning_rush.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
