# The front door: `make help` lists every task. Each task installs what it needs into .venv first.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve build offline deploy notebooks test bench coverage audit vendor chromium clean

help: ## List the tasks
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.site: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.notebooks: requirements-notebooks.txt $(VENV)/.site
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-notebooks.txt
	@touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.notebooks
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-test.txt
	@touch $@

serve: $(VENV)/.site ## Serve the site at http://127.0.0.1:8000, reloading on page and notebook edits
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

build: $(VENV)/.site ## Build the offline HTML site into site/ (open site/index.html; no notebook runs)
	$(BIN)/mkdocs build --strict

offline: build ## Build, then point at the offline bundle: a zip of site/ that opens with no install
	@ls -l site/downloads/cnn-interview-questions-offline.zip
	@echo "Unzip it and open cnn-interview-questions/index.html"

deploy: $(VENV)/.site ## Publish site/ to the gh-pages branch (mkdocs gh-deploy; CI uses .github/workflows/pages.yml)
	$(BIN)/mkdocs gh-deploy --strict --force

notebooks: $(VENV)/.notebooks ## Re-execute the notebooks whose code changed and stamp them
	$(BIN)/python scripts/run_notebooks.py

test: $(VENV)/.test chromium ## Install everything the tests need (Chromium included) and run the whole suite
	$(BIN)/python -m pytest

bench: $(VENV)/.test ## Measure build times, page weights, search index and notebook runtimes (.cache/bench.md)
	$(BIN)/python scripts/bench.py

coverage: $(VENV)/.site ## List the catalogue questions that still lack a page
	$(BIN)/python scripts/coverage_report.py

audit: ## Run the shared content audit over every question page and notebook
	$(PYTHON) ../shared/tools/page_audit.py

vendor: ## Refresh the vendored KaTeX and iframe-worker from npm (versions in the script)
	scripts/vendor_assets.sh

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

clean: ## Remove site/, the conversion cache and test leftovers (keeps .venv)
	rm -rf site .cache .pytest_cache
