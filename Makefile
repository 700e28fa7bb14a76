# The front door: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= $(or $(LOWCARBON_DB),data/lowcarbon.duckdb)
PORT ?= 8501

.PHONY: install system-deps run db test lint format wheelhouse install-offline clean bench

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

# Debian packages: Chromium for the browser tests, chart images and PDF reports; Noto CJK
# so Chinese renders; Pango for WeasyPrint's PDF reports; poppler-utils to check the PDF's
# fonts in the tests. Installed
# when missing and running as root (as on CI); otherwise say what is needed.
DEBIAN_PACKAGES := chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdffonts ] || \
	   ! ldconfig -p | grep -q libpangoft2 || \
	   ! ls /usr/share/fonts/opentype/noto/NotoSansCJK-* >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	  else \
	    echo "Please install the Debian packages: $(DEBIAN_PACKAGES)"; exit 1; \
	  fi; \
	fi

test: install system-deps
	$(PY) -m pytest -q

# Benchmarks, never in CI (bench/README.md): the small size end to end in a few minutes;
# `make bench FULL=1` the full city-scale size, which takes long (run it in the background).
BENCH_SIZE := $(if $(FULL),full,small)
bench: install system-deps
	$(PY) bench/generate.py --size $(BENCH_SIZE)
	$(PY) bench/run.py --size $(BENCH_SIZE)
	$(if $(FULL),$(PY) bench/scale.py)
	$(PY) bench/report.py

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
