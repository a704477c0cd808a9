# Two commands matter: `make demo` (set up .venv and run the product offline) and `make test` (run the suite).
# .venv gets the exact versions of requirements-dev.lock (hash-checked); `make lock` regenerates both lock files
# from pyproject.toml's ranges with pip-compile.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links

.PHONY: install demo test lint typecheck migrate check lock bench

$(BIN)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/reseller-bot demo

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

typecheck: install
	$(BIN)/mypy

migrate: install
	$(BIN)/reseller-bot migrate

check: install
	$(BIN)/reseller-bot check

lock: install
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements.lock --output-file requirements-dev.lock pyproject.toml

bench: install
	bench/run_all $(BENCH_ARGS)
