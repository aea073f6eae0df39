# bpo-analysis: two commands set everything up on a fresh Debian machine with python3.
#   make report   create .venv, install, run every notebook on data/sample into reports/
#                 as HTML, PDF, PowerPoint and Excel (FORMATS=html for the pages alone)
#                 (writing vendor V02's sample records to data/sample/records/ first)
#                 The second bundled client, data/hk_health, has its incumbent's records
#                 written to data/hk_health/records/ by the same rule (make test needs both)
#   make test     create/update .venv and run the whole test suite
# Both install exactly the versions of requirements.lock. Re-running is cheap: the venv is
# synced again only when the lock or pyproject.toml changes, and a report is run again only
# when its notebook, the package or the sample data changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV     := $(BIN)/uv
UV_VERSION := $(shell sed -n 's/^uv==\([^ ;]*\).*/\1/p' $(LOCK))
SHELL  := /bin/bash
OUT    := reports
PYTEST_ARGS ?=
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
SOFFICE  := /usr/bin/soffice
FORMATS  ?= html,pdf,pptx,xlsx
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

NOTEBOOKS := $(wildcard notebooks/[0-9]*.ipynb)
# one stamp per notebook: a report's file name may carry a date (05_..._2025-12.html)
REPORTS   := $(patsubst notebooks/%.ipynb,$(OUT)/.%.done,$(NOTEBOOKS))
# each bundled client's incumbent's raw records (generated, not committed): the monthly
# review (05) reads the client folder's records/ (data/sample: vendor V02; data/hk_health:
# vendor H03)
SAMPLE_RECORDS := data/sample/records/V02.parquet
HK_RECORDS     := data/hk_health/records/H03.parquet
RECORDS   := $(SAMPLE_RECORDS) $(HK_RECORDS)
PACKAGE   := $(shell find bpo_analysis -name '*.py' -o -name '*.j2' -o -name '*.json' -o -name '*.po' -o -name '*.html')
SAMPLE    := $(filter-out data/sample/records,$(wildcard data/sample/*))
HK_HEALTH := $(filter-out data/hk_health/records,$(wildcard data/hk_health/*))
GENERATOR := $(wildcard bpo_analysis/data/sample*.py)

.PHONY: all report test test-fast bench lab present lint lock upgrade clean distclean

all: report

# The venv holds exactly the versions in $(LOCK) (resolved by uv from pyproject.toml's ranges):
# pip installs the locked uv into a bare venv, uv syncs the venv to the lock, then the project
# itself goes in editable without dependencies.
$(UV):
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  echo "python3 lacks venv/ensurepip (Debian's python3-venv); installing it"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): $(LOCK) pyproject.toml | $(UV)
	@[ "$$($(UV) --version | cut -d' ' -f2)" = "$(UV_VERSION)" ] || \
	  $(BIN)/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) pip sync -q --compile-bytecode --python $(BIN)/python $(LOCK)
	$(UV) pip install -q --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

# Bytecode compiled once (the locked packages at install, the project before each run) saves
# every kernel, report and test process from compiling its imports again: where
# PYTHONDONTWRITEBYTECODE is set, nothing else would ever write it.
COMPILE = $(BIN)/python -m compileall -q -j0 bpo_analysis >/dev/null

# make lock: resolve pyproject.toml's ranges again, keeping every locked version that still fits
# make upgrade: move every package to its newest allowed version and list what moved
LOCK_CMD = $(UV) pip compile pyproject.toml --all-extras --universal --python-version 3.11 -q
# the lock records the pyproject.toml it was resolved from (a test says when it is stale)
LOCK_STAMP = echo "\# resolved from pyproject.toml sha256 $$(sha256sum pyproject.toml | cut -d' ' -f1)" >> $(LOCK)

lock: | $(UV)
	$(LOCK_CMD) -o $(LOCK)
	@$(LOCK_STAMP)
	@$(MAKE) --no-print-directory $(STAMP)

upgrade: | $(UV)
	@cp $(LOCK) $(VENV)/lock.before
	$(LOCK_CMD) --upgrade -o $(LOCK)
	@$(LOCK_STAMP)
	@echo "Versions that moved (before -> after):"
	@diff <(grep -E '^[A-Za-z0-9]' $(VENV)/lock.before) <(grep -E '^[A-Za-z0-9]' $(LOCK)) \
	  | sed -n 's/^[<>] //p' | sort -t= -k1,1 -s \
	  | awk -F'==' '{split($$2, v, " "); if ($$1 in old) { printf "  %-28s %s -> %s\n", $$1, old[$$1], v[1]; delete old[$$1] } else old[$$1] = v[1]} \
	    END { for (p in old) printf "  %-28s %s (added or removed)\n", p, old[p] }'
	@$(MAKE) --no-print-directory $(STAMP)

# a client's records: from its folder (data/<client>/records/<vendor>.parquet)
$(RECORDS): $(GENERATOR) $(STAMP)
	$(BIN)/bpo-analysis sample --folder $(patsubst %/records/,%,$(dir $@)) --vendor-records $@ >/dev/null
$(SAMPLE_RECORDS): $(SAMPLE)
$(HK_RECORDS): $(HK_HEALTH)

$(OUT)/.%.done: notebooks/%.ipynb $(PACKAGE) $(SAMPLE) $(STAMP) | $(CHROMIUM) $(CJK_FONT)
	@mkdir -p $(OUT)
	$(BIN)/bpo-analysis report $* -o $(OUT) --format $(FORMATS) > $@.tmp && mv $@.tmp $@

$(OUT)/.05_performance_review.done: $(SAMPLE_RECORDS)

# the out-of-date reports run in parallel, one per core (-O: each run's messages together)
NPROC := $(shell nproc 2>/dev/null || echo 2)

report: $(STAMP)
	@$(COMPILE)
	@$(MAKE) --no-print-directory -j$(NPROC) -O $(REPORTS)
	@echo "Reports:"; cat $(REPORTS) | sed "s|^|  |"

# Debian's Chromium for the real-browser tests and the chart images (never a browser
# download by playwright), and the Noto CJK fonts it draws zh-Hant charts with.
$(CHROMIUM) $(CJK_FONT) &:
	@command -v apt-get >/dev/null || { echo "Install Chromium at $(CHROMIUM) and a CJK font ($(CJK_FONT)) for the browser tests"; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null

# LibreOffice draws the decks and workbooks the tests screenshot (and opens them as a client's
# office suite would): Impress and Calc only, without the recommended extras.
$(SOFFICE):
	@command -v apt-get >/dev/null || { echo "Install LibreOffice (soffice) for the deck and workbook screenshots"; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-impress libreoffice-calc >/dev/null

test: $(STAMP) $(CHROMIUM) $(CJK_FONT) $(SOFFICE) $(RECORDS)
	@$(COMPILE)
	$(LINT)
	BPO_REQUIRE_BROWSER=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# the inner loop: no notebook, kernel, server or browser (a test that starts one fails here:
# it must be marked slow)
test-fast: $(STAMP)
	@$(COMPILE)
	$(LINT)
	BPO_TEST_FAST=1 $(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	@$(COMPILE)
	$(BIN)/python benchmarks/run.py

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=notebooks $(if $(SUDO),,--allow-root)

# the notebooks as a Voila app on 127.0.0.1:8866 (no code on screen); Ctrl-C stops it
present: $(STAMP) $(RECORDS)
	$(BIN)/bpo-analysis present

# ruff (numpydoc docstrings included), and the package's layers (import-linter's contracts in
# pyproject.toml)
LINT = $(BIN)/python -m ruff check bpo_analysis tests benchmarks && $(BIN)/lint-imports --no-cache

lint: $(STAMP)
	$(LINT)

clean:
	rm -rf $(OUT) .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info
