# Two commands for a fresh machine (see README.md):
#   make serve   install into .venv, then serve the site on http://127.0.0.1:8000
#   make test    install into .venv (and Debian chromium if missing), then run every test
# Other targets: make site (strict build into site/, swapped in only on success), make check, make bench.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve site test test-fast lint check bench install chromium clean lighthouse

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	LAWSITE_CACHE=1 $(BIN)/python -m lawsite.build.run --serve

site: $(STAMP)
	LAWSITE_CACHE=1 $(BIN)/python -m lawsite.build.run

check: $(STAMP)
	$(BIN)/lawsite check

chromium:
	@sh tools/ensure-chromium.sh

test: $(STAMP) chromium lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder -q

# ruff (pyproject.toml [tool.ruff]): unused imports, undefined names; a second or two
lint: $(STAMP)
	$(BIN)/ruff check .

# everything that needs neither a site build nor a browser (tests are marked in tests/conftest.py)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder -q -m "not slow and not browser"

# Lighthouse for bench/lighthouse.py only (npm, pinned by tools/lighthouse/package-lock.json; not needed by the tests)
lighthouse:
	cd tools/lighthouse && npm ci --no-audit --no-fund --ignore-scripts

bench: $(STAMP) chromium
	$(BIN)/python bench/run_all.py

clean:
	rm -rf site .site-tmp* .pytest_cache
