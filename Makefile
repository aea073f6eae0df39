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
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

NOTEBOOKS := $(wildcard notebooks/[0-9]*.ipynb)
# one stamp per notebook: a report's file name may carry a date (05_..._2025-12.html)
REPORTS   := $(patsubst notebooks/%.ipynb,$(OUT)/.%.done,$(NOTEBOOKS))
# vendor V02's raw records (not committed): the monthly review (05) reads them
RECORDS   := data/records/V02.parquet
PACKAGE   := $(shell find bpo_analysis -name '*.py' -o -name '*.j2' -o -name '*.json' -o -name '*.po' -o -name '*.html')
SAMPLE    := $(wildcard data/sample/*)

.PHONY: all report test bench lab present lint clean distclean

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

# the out-of-date reports run in parallel, one per core (-O: each run's messages together)
NPROC := $(shell nproc 2>/dev/null || echo 2)

report: $(STAMP)
	@$(MAKE) --no-print-directory -j$(NPROC) -O $(REPORTS)
	@echo "Reports:"; cat $(REPORTS) | sed "s|^|  |"

# Debian's Chromium for the real-browser tests and the chart images (never a browser
# download by playwright), and the Noto CJK fonts it draws zh-Hant charts with.
$(CHROMIUM) $(CJK_FONT) &:
	@command -v apt-get >/dev/null || { echo "Install Chromium at $(CHROMIUM) and a CJK font ($(CJK_FONT)) for the browser tests"; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null

test: $(STAMP) $(CHROMIUM) $(CJK_FONT) $(RECORDS)
	$(BIN)/python -m ruff check bpo_analysis tests benchmarks
	BPO_REQUIRE_BROWSER=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=notebooks $(if $(SUDO),,--allow-root)

# the notebooks as a Voila app on 127.0.0.1:8866 (no code on screen); Ctrl-C stops it
present: $(STAMP) $(RECORDS)
	$(BIN)/bpo-analysis present

lint: $(STAMP)
	$(BIN)/python -m ruff check bpo_analysis tests benchmarks

clean:
	rm -rf $(OUT) .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info
