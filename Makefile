# dotterel: two commands on a fresh machine with Python 3.11 and make.
#   make demo   install into .venv and code the bundled example story
#   make test   install into .venv and run lint, type checks and every test
#   make quick  the same without the slow tests (the VOA development stories, big data files)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test quick lint typecheck pytest pytest-quick bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,store,web,serve,dask]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dotterel code examples/tokayev-interview.txt --pub-date 2025-01-03 --format table

test: $(STAMP) lint typecheck pytest

quick: $(STAMP) lint typecheck pytest-quick

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

pytest-quick: $(STAMP)
	$(BIN)/pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
