# bpo-analysis: two commands set everything up on a fresh Debian machine with python3.
#   make report   create .venv, install, run every notebook on data/sample into reports/
#                 (writing vendor V02's sample records to data/records/ first)
#   make test     create/update .venv and run the whole test suite
# Re-running is cheap: the venv is rebuilt only when pyproject.toml changes, and a
# report only when its notebook, the package or the sample data changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := reports
PYTEST_ARGS ?=
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

NOTEBOOKS := $(wildcard notebooks/[0-9]*.ipynb)
# one stamp per notebook: a report's file name may carry a date (05_..._2025-12.html)
REPORTS   := $(patsubst notebooks/%.ipynb,$(OUT)/.%.done,$(NOTEBOOKS))
# vendor V02's raw records (not committed): the monthly review (05) reads them
RECORDS   := data/records/V02.parquet
PACKAGE   := $(shell find bpo_analysis -name '*.py' -o -name '*.j2' -o -name '*.json')
SAMPLE    := $(wildcard data/sample/*)

.PHONY: all report test bench lab lint clean distclean

all: report

$(STAMP): pyproject.toml
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  echo "python3 lacks venv/ensurepip (Debian's python3-venv); installing it"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[notebooks,test,bench]"
	@touch $(STAMP)

$(RECORDS): bpo_analysis/sample.py $(SAMPLE) $(STAMP)
	$(BIN)/bpo-analysis sample --vendor-records $@ >/dev/null

$(OUT)/.%.done: notebooks/%.ipynb $(PACKAGE) $(SAMPLE) $(STAMP)
	@mkdir -p $(OUT)
	$(BIN)/bpo-analysis report $* -o $(OUT) > $@.tmp && mv $@.tmp $@

$(OUT)/.05_performance_review.done: $(RECORDS)

report: $(REPORTS)
	@echo "Reports:"; cat $(REPORTS) | sed "s|^|  |"

# Debian's Chromium for the real-browser tests (never a browser download by playwright).
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "Install Chromium at $(CHROMIUM) for the browser tests"; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

test: $(STAMP) $(CHROMIUM) $(RECORDS)
	$(BIN)/python -m ruff check bpo_analysis tests benchmarks
	BPO_REQUIRE_BROWSER=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=notebooks $(if $(SUDO),,--allow-root)

lint: $(STAMP)
	$(BIN)/python -m ruff check bpo_analysis tests benchmarks

clean:
	rm -rf $(OUT) .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info
