# Two entry points (see README): `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test index serve lint bench browser-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

## Build the index from archive/ and serve the app on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	$(BIN)/python -m indexer archive --index index
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - 'search_app:create_app()'

## Install everything (and Debian's chromium for the browser test) and run the test suite
test: $(VENV)/.installed browser-deps
	$(BIN)/python -m pytest

# Debian's chromium and chromium-driver for tests/test_browser.py; apt-get runs only when one
# is missing (CI runs as root; elsewhere through sudo).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser-deps:
	@command -v chromium >/dev/null && test -x /usr/bin/chromedriver || { \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }

## Benchmarks on the shared corpus (takes about two and a half hours); results go to docs/benchmarks.md
CORPUS ?= ../shared/corpus
bench: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,bench]'
	$(BIN)/python bench/build.py $(CORPUS)/vntc_train.jsonl.gz
	$(BIN)/python bench/queries.py $(CORPUS)/vntc_train.jsonl.gz $(CORPUS)/dantri_unc.jsonl.gz archive
	$(BIN)/python bench/http.py $(CORPUS)/vntc_train.jsonl.gz $(CORPUS)/dantri_unc.jsonl.gz archive
	$(BIN)/python bench/questions.py $(CORPUS)/vntc_train.jsonl.gz $(CORPUS)/dantri_unc.jsonl.gz archive
	$(BIN)/python bench/reliability.py $(CORPUS)/vntc_train.jsonl.gz
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/bad_inputs.py
	$(BIN)/python bench/crash.py $(CORPUS)/vntc_train.jsonl.gz
	$(BIN)/python bench/concurrent.py $(CORPUS)/vntc_train.jsonl.gz
	$(BIN)/python bench/scale.py $(CORPUS)/vntc_train.jsonl.gz $(CORPUS)/dantri_unc.jsonl.gz

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) index/*MAIN* index/_*.toc index/*.seg index/*.lock
