# Earful: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-sqlite test-postgres test-browser lint format bench clean

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
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser"

test-postgres: install
	BIN=$(BIN) sh scripts/with-postgres.sh $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser"

# Playwright drives Debian's chromium (installed with apt-get if missing, never downloaded);
# EARFUL_REQUIRE_BROWSER turns a missing browser into a failure instead of a skip.
test-browser: install
	sh scripts/install-chromium.sh
	EARFUL_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -p no:cacheprovider -m browser

test: lint test-sqlite test-postgres test-browser

bench: install
	$(BIN)/python bench/ingest.py --mentions 100000
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/topic_matching.py
	$(BIN)/python bench/sentiment_eval.py

clean:
	rm -rf $(VENV) data build src/*.egg-info
