# Two commands matter: `make serve` and `make test`. Each installs what is
# missing first (quickly, when it is already there).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: test serve site bench deps clean

# --- installs (stamp files make them no-ops when nothing changed)

$(PY):
	$(PYTHON) -m venv $(VENV) || { scripts/apt-install python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[site,test]"
	touch $@

deps: $(VENV)/.installed

# --- the two commands

test: deps
	$(PY) -m pytest

serve: deps
	@echo "The site arrives with the next issue; for now: $(PY) -m calc --help"

site: deps

bench: deps
	$(PY) bench/bench_calc.py

clean:
	rm -rf _site _build dist .pytest_cache .hypothesis
