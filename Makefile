# Two commands matter: `make serve` and `make test`. Each installs what is
# missing first, and is quick when everything is already there.

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
PORT     ?= 8000
BASE_URL ?=
SITE_DIR := _site

.PHONY: test unit serve site bench check-content check-prose deps node browser clean

# --- installs (stamp files make them no-ops when nothing changed)

$(PY):
	$(PYTHON) -m venv $(VENV) || { scripts/apt-install python3-venv && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[site,test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || scripts/apt-install npm
	npm ci --no-audit --no-fund
	touch $@

deps: $(VENV)/.installed
node: node_modules/.installed
browser: deps
	@$(PY) -m scripts.find_browser --install

# --- the two commands

# a live preview: rebuilds on every saved change and reloads the open page
serve: deps node
	$(PY) -m scripts.preview --port $(PORT)

test: deps node browser
	$(PY) -m pytest

# every test that needs neither Node nor a browser (calc, the build's steps, the
# docs): Python alone, on a fresh clone, in under a minute. `make test` runs these too.
unit: deps
	$(PY) -m pytest -m "not browser and not node"

# --- the rest

site: deps node
	$(PY) build.py --out $(SITE_DIR) $(if $(BASE_URL),--base-url "$(BASE_URL)")

# an editor's check, not part of the tests: is every article finished writing?
check-content: deps
	$(PY) -m scripts.check_content

bench: deps node browser
	$(PY) -m bench.bench_calc
	$(PY) -m bench.bench_site --runs 5
	$(PY) -m bench.bench_visit

# Reading grade, word count and longest sentences of each page: a writing aid, not a test.
check-prose:
	$(PYTHON) -m scripts.check_prose

clean:
	rm -rf $(SITE_DIR) _preview _build dist .pytest_cache .hypothesis
