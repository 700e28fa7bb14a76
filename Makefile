# The front door: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= $(or $(LOWCARBON_DB),data/lowcarbon.duckdb)
PORT ?= 8501

.PHONY: install system-deps run db test lint format wheelhouse install-offline clean bench

# pip stays quiet; each step says what it is doing, so a first run is not a minute of silence.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@echo "正在安装依赖（首次约 1 分钟）… / Installing dependencies (first run, about a minute)…"
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@
	@echo "依赖已安装。/ Dependencies installed."

install: $(VENV)/.installed

# A first look: a new database gets the built-in data (seed figures + illustrative data).
$(DB): | install
	@echo "正在创建数据库 $(DB)（内置数据，几秒钟）… / Creating the database $(DB) with the built-in data (a few seconds)…"
	@LOWCARBON_DB=$(DB) $(PY) -m indicators init

db: $(DB)

# LOWCARBON_AUTH is read when the dashboard starts: set it before `make run` to turn editing on.
run: install db
	@if [ -n "$$LOWCARBON_AUTH" ] && [ -f "$$LOWCARBON_AUTH" ]; then \
	  echo "编辑账号文件 / Accounts file (LOWCARBON_AUTH): $$LOWCARBON_AUTH"; \
	elif [ -n "$$LOWCARBON_AUTH" ]; then \
	  echo "账号文件 $$LOWCARBON_AUTH 尚不存在：先用 python -m indicators user add 添加账号 / The accounts file $$LOWCARBON_AUTH does not exist yet: add an account with python -m indicators user add"; \
	else \
	  echo "未设置 LOWCARBON_AUTH：只读，数据编辑未开启（见 README“Who may change data”）/ LOWCARBON_AUTH is not set: read-only, editing is off (README, Who may change data)"; \
	fi
	@echo "正在启动看板 http://localhost:$(PORT) （Ctrl+C 停止）… / Starting the dashboard on http://localhost:$(PORT) (Ctrl+C stops it)…"
	@LOWCARBON_DB=$(DB) $(PY) -m streamlit run app.py --server.port $(PORT)

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
