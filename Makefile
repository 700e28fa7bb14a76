# The front door: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= $(or $(LOWCARBON_DB),data/lowcarbon.duckdb)
PORT ?= 8501

.PHONY: install run db test lint format wheelhouse install-offline clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# A first look: a new database gets the built-in data (seed figures + illustrative data).
$(DB): | install
	LOWCARBON_DB=$(DB) $(PY) -m indicators init

db: $(DB)

run: install db
	LOWCARBON_DB=$(DB) $(PY) -m streamlit run app.py --server.port $(PORT)

test: install
	$(PY) -m pytest -q

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# For an intranet machine with no package registry: build the wheels here, copy the
# folder across, then `make install-offline`.
wheelhouse:
	$(PYTHON) -m pip download --dest wheelhouse -r requirements-dev.txt

install-offline:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --no-index --find-links wheelhouse -r requirements-dev.txt
	touch $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
