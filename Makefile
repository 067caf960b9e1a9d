# One target per task a person runs. `make serve` and `make test` set everything up on a
# fresh machine with Python 3.11+ and make: they create .venv and install what they need.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build members check test test-fast lint format bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with its test tools

# mkdocs serve builds the public site into a temporary folder; it never serves site-members/
# (the plugin refuses a members' audience under serve).
serve: $(STAMP) ## serve the demo council at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP) ## build the public site into site/ (atomically, with every check)
	$(BIN)/papers build

members: $(STAMP) ## build the members' site, exempt papers included, into site-members/
	$(BIN)/papers build --members

check: $(STAMP) ## validate data/ without building
	$(BIN)/papers check

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test: $(STAMP) lint ## run the whole suite (browser tests skip, with a message, without Chromium)
	$(BIN)/pytest -n 2

test-fast: $(STAMP) ## the suite without the browser tests
	$(BIN)/pytest -n 2 -m "not browser"

# The full default archive (3,200 meetings) takes hours on a shared machine: MEETINGS=400 is
# a quicker run. Each script prints its figures last (see bench/RESULTS.md).
MEETINGS ?= 3200
# ROUNDS=3 builds the larger archive three times with each tool, in turn: the ratio printed
# last is their median (a single pair moves by 10% with this shared machine's pace).
ROUNDS ?= 1
bench: $(STAMP) ## packs, the guard, and a synthetic archive against plain material
	$(BIN)/python bench/pack.py
	$(BIN)/python bench/guard.py --meetings 500
	$(BIN)/python bench/build.py --meetings $(MEETINGS) --rounds $(ROUNDS)

clean:
	rm -rf site site-members .site.* .site-members.* build test-artifacts .pytest_cache
