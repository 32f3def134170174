# Two commands for a fresh machine:
#   make lab    install the package in .venv and open the notebooks in JupyterLab
#   make test   install the package with its test tools in .venv and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test bench chromium binder-check kernel-check lite lite-serve lite-site clean

# Debian's own python3 needs the python3-venv package for this; install it when it is missing.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv \
	  && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# JupyterLab refuses to run as root unless told to (a fresh container often is root).
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Browser tests drive Debian's chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check backprop_widgets tests benchmarks notebooks lite
	$(BIN)/lint-imports
	$(MAKE) binder-check
	$(MAKE) kernel-check
	@# The JupyterLite site for tests/browser/test_lite_site.py; a failed build is reported by
	@# that test (which skips only when PyPI or npm cannot be reached).
	-$(MAKE) lite-site
	$(BIN)/python -m pytest

# What Binder does, without Docker: a clean virtualenv, `pip install -r binder/requirements.txt`
# from the repository root (as repo2docker runs it), then every notebook executed in it.
BINDER_VENV := .binder-venv
binder-check:
	rm -rf $(BINDER_VENV)
	$(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BINDER_VENV)/bin/python -m pip install --quiet -r binder/requirements.txt
	cd $(BINDER_VENV) && for nb in ../notebooks/*.ipynb; do \
	  echo "binder-check: executing $$nb"; \
	  bin/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
	    --output-dir executed "$$nb" || exit 1; \
	done
	@echo "binder-check: every notebook ran in a Binder-like environment"

# Play trains in an asyncio task between cells: .venv proves it under the newest ipykernel
# (tests/kernel runs in `pytest` above), this clean virtualenv under ipykernel 6.
KERNEL6_VENV := .kernel6-venv
kernel-check:
	rm -rf $(KERNEL6_VENV)
	$(PYTHON) -m venv $(KERNEL6_VENV)
	$(KERNEL6_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(KERNEL6_VENV)/bin/python -m pip install --quiet -e . "ipykernel>=6.25,<7" "pytest>=7"
	$(KERNEL6_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/kernel

# The JupyterLite site (lite/build.py): the notebooks in the browser, no server, no internet.
#   make lite                 build it into build/lite/ with a self-hosted Pyodide
#   make lite PYODIDE=cdn     the same against the official CDN's Pyodide (smaller; needs internet)
#   make lite-serve           serve build/lite/ on http://127.0.0.1:$(LITE_PORT)/
LITE_VENV := .lite-venv
LITE_PORT ?= 8765
PYODIDE   ?= self
$(LITE_VENV)/.installed: lite/requirements.txt
	rm -rf $(LITE_VENV)
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LITE_VENV)/bin/python -m pip install --quiet -r lite/requirements.txt
	touch $@

lite: $(LITE_VENV)/.installed
	$(LITE_VENV)/bin/python lite/build.py --pyodide $(PYODIDE)

# What the site's browser test (tests/lite) needs: build/lite/ rebuilt when its sources changed.
LITE_SOURCES := $(wildcard notebooks/*.ipynb lite/*) pyproject.toml \
	$(shell find backprop_widgets -name '*.py' -o -name '*.js' -o -name '*.css')
build/lite/.built: $(LITE_SOURCES) | $(LITE_VENV)/.installed
	$(LITE_VENV)/bin/python lite/build.py
	touch $@
lite-site: build/lite/.built

lite-serve:
	@test -f build/lite/jupyter-lite.json || { echo "no site yet: run make lite"; exit 1; }
	@echo "serving build/lite/ on http://127.0.0.1:$(LITE_PORT)/lab/index.html"
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory build/lite $(LITE_PORT)

bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(BINDER_VENV) $(KERNEL6_VENV) $(LITE_VENV) build .pytest_cache .hypothesis test-artifacts
