# Earful: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-sqlite test-postgres lint format bench clean

$(STAMP): pyproject.toml
	PYTHON=$(PYTHON) VENV=$(VENV) sh scripts/bootstrap.sh
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/earful init
	$(BIN)/earful demo
	$(BIN)/earful collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) sh scripts/serve.sh

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

format: install
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

test-sqlite: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-postgres: install
	BIN=$(BIN) sh scripts/with-postgres.sh $(BIN)/python -m pytest -q -p no:cacheprovider

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python bench/ingest.py --mentions 100000
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/topic_matching.py
	$(BIN)/python bench/sentiment_eval.py

clean:
	rm -rf $(VENV) data build src/*.egg-info
