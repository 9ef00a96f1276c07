# Two entry points: `make run` (set up, build, publish) and `make test` (set up, run all tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run build test lint bench clean example

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --group dev -e .
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/kg build

run: build
	$(BIN)/kg serve --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),5000)

# The FICTIONAL worked example (examples/fictional-plan): its 2026 round collected (one of the
# three returns is refused, as it should be: see build/example/reports), built under an
# example.org base, its report written, the browser served.
EXAMPLE      := build/example
EXAMPLE_BASE := https://example.org/lvpolicy-example/
EXAMPLE_PLAN := izdomats-plans-2025-2026

example: $(STAMP)
	rm -rf $(EXAMPLE) && mkdir -p $(EXAMPLE)
	cp -r examples/fictional-plan/data $(EXAMPLE)/data
	$(BIN)/kg round open $(EXAMPLE_PLAN) 2026 --data $(EXAMPLE)/data --out $(EXAMPLE)/issued-2026
	$(BIN)/kg round collect examples/fictional-plan/returns-2026 --data $(EXAMPLE)/data \
		--on 2027-01-20 --reports $(EXAMPLE)/reports; test $$? -le 1
	$(BIN)/kg build --data $(EXAMPLE)/data --base $(EXAMPLE_BASE) --out $(EXAMPLE)/out
	$(BIN)/kg report $(EXAMPLE_PLAN) --period 2026 --build $(EXAMPLE)/out --out $(EXAMPLE)/report-2026.lv.html
	KG_BASE=$(EXAMPLE_BASE) $(BIN)/kg serve --out $(EXAMPLE)/out --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),5000)

AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/browser --silent --no-audit --no-fund  # pa11y runs Debian's Chromium
	touch $(AXE)

test: $(STAMP)
	bash tests/system-packages.sh
	$(MAKE) --no-print-directory $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# (was $(or $(SIZES),real,100k,1M), which make splits at its commas: "real" alone)
SIZES ?= real,100k,1M

bench: $(STAMP)  # every benchmark, one report: build/bench-report.md (SIZES=real,100k,1M)
	bash tests/system-packages.sh
	$(BIN)/python benchmarks/run_all.py --sizes $(SIZES)

clean:
	rm -rf build $(VENV)
