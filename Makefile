# Two commands matter: `make demo` (set up .venv and run the product offline) and `make test` (run the suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint migrate check bench

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/reseller-bot demo

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrate: install
	$(BIN)/reseller-bot migrate

check: install
	$(BIN)/reseller-bot check

bench: install
	bench/run_all $(BENCH_ARGS)
