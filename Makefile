# The front door: `make help` lists every task. Each task installs what it needs into .venv first.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
AS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)   # JupyterLab refuses root without it
export NO_MKDOCS_2_WARNING := 1

.PHONY: help new lab serve build offline deploy notebooks robustness check test bench coverage audit vendor chromium clean

help: ## List the tasks
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.site: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.notebooks: requirements-notebooks.txt $(VENV)/.site
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-notebooks.txt
	@touch $@

# JupyterLab gets a venv of its own, so the notebooks' stack stays exactly requirements-notebooks.txt (its
# hash is in every stamp); its one kernel, "python3", is the project's .venv Python.
LAB := $(VENV)/authoring
$(LAB)/.installed: requirements-authoring.txt $(VENV)/.notebooks
	@test -x $(LAB)/bin/python || $(BIN)/python -m venv $(LAB)
	$(LAB)/bin/pip install -q --disable-pip-version-check -r requirements-authoring.txt
	$(BIN)/python -m ipykernel install --prefix $(LAB) --name python3 --display-name "Python 3" >/dev/null
	@touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.notebooks
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-test.txt
	@touch $@

new: $(VENV)/.site ## Scaffold a question's page and notebook from the catalogue: make new Q=medium/14
	$(BIN)/python scripts/new_question.py $(Q)

lab: $(LAB)/.installed ## Write notebooks (and pages) in JupyterLab at http://127.0.0.1:8888
	$(LAB)/bin/jupyter lab $(AS_ROOT) --ip=127.0.0.1 --port=8888 --no-browser --ServerApp.root_dir=. \
	  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate  # offline: no news

serve: $(VENV)/.site ## Serve the site at http://127.0.0.1:8000, reloading on page and notebook edits
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

# Built beside site/ and moved in only on success: a failed build leaves the last good site/ to open.
SITE_NEXT := .cache/site-next
build: $(VENV)/.site ## Build the offline HTML site into site/ (open site/index.html; no notebook runs)
	@rm -rf $(SITE_NEXT)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_NEXT)
	@rm -rf site && mv $(SITE_NEXT) site

offline: build ## Build, then point at the offline bundle: a zip of site/ that opens with no install
	@ls -l site/downloads/cnn-interview-questions-offline.zip
	@echo "Unzip it and open cnn-interview-questions/index.html"

deploy: $(VENV)/.site ## Publish site/ to the gh-pages branch (mkdocs gh-deploy; CI uses .github/workflows/pages.yml)
	$(BIN)/mkdocs gh-deploy --strict --force

notebooks: $(VENV)/.notebooks ## Tidy and re-execute the notebooks whose code changed, and stamp them [NB=path]
	$(BIN)/python scripts/tidy_notebooks.py $(NB)
	$(BIN)/python scripts/run_notebooks.py $(NB)

SEEDS ?= 1 2 3
robustness: $(VENV)/.notebooks ## Check every notebook's asserts on other seeds, writing nothing: make robustness SEEDS="1 2 3" [NB=path]
	$(BIN)/python scripts/run_notebooks.py $(NB) --seeds $(SEEDS)  # paths first: --seeds takes the rest

check: $(VENV)/.test chromium ## Check one question quickly: build, content lint, its notebook on seeds 0 and 1, its search queries: make check Q=easy/15
	$(BIN)/python scripts/check_question.py $(Q)

test: $(VENV)/.test chromium ## Install everything the tests need (Chromium included) and run the whole suite
	$(BIN)/python -m pytest

bench: $(VENV)/.test ## Measure build times, page weights, search index and notebook runtimes (.cache/bench.md)
	$(BIN)/python scripts/bench.py

coverage: $(VENV)/.site ## List the catalogue questions that still lack a page
	$(BIN)/python scripts/coverage_report.py

audit: $(VENV)/.site ## Check every page, notebook and search query against the content rules (scripts/content_lint.py)
	$(BIN)/python scripts/content_lint.py

vendor: ## Refresh the vendored KaTeX and ts-fsrs from npm (versions in the script)
	scripts/vendor_assets.sh

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

clean: ## Remove site/, the conversion cache and test leftovers (keeps .venv)
	rm -rf site .cache .pytest_cache
