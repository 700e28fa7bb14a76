"""Run the benchmarks and write bench/results/<size>.json.

    .venv/bin/python bench/run.py --size small|full [--only cold_start,rerun,load,write,…]

Generates the dataset first when bench/data/<size>/ is missing or older than the generator
(generate.current). Every figure is the median (or p50/p95) of several runs, with the runs
kept. Not a pytest test; never run in CI.

  cold_start  `streamlit run app.py` until the overview's first chart shows in Chromium,
              interleaved with the floor (bench/floor_app.py: one plotly chart, nothing else)
  rerun       script time of one rerun per filter change on every dashboard page (bench hook)
  load        read_upload -> check -> load of the observations CSV vs DuckDB's read_csv
  write       one row loaded into the city-scale database (the mart recomputes what it touched)
  readings    街镇-month tce totals from the hourly readings: our path, plain DuckDB, pandas
  memory      VmHWM and RSS of the streamlit process after 100 and 1,000 reruns
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from indicators.reference.i18n import t  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# Synthetic figures are far from any plausible bound: the loads confirm them, so the
# plausibility check runs and is timed, and nothing is held.
SYNTHETIC = "基准测试合成数据 / synthetic benchmark data"
MEASUREMENTS = ("cold_start", "rerun", "load", "write", "readings", "memory")
DASHBOARD_PAGES = ("overview", "streets", "trends", "projects", "map", "briefing", "barometer")
# What one filter change is on a page that does not take the default (the k-th sidebar select
# box in turn), in turn. The 晴雨表 (barometer): its year box would mostly land on a year with
# no five-year plan (before 2021: a warning, and the page stops) or on 十四五, which neither
# the bench data nor the built-in data gives targets, so it changes the indicator (one of the
# four a plan targets) and the group switch (双桥双新泾 ⇄ 全部街镇) and stays in 2026 (十五五).
PAGE_CHANGES = {"barometer": ("indicator", "group")}
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FLOOR_APP = "bench/floor_app.py"  # a bare Streamlit app with one plotly chart
STREAMLIT = [
    "-m",
    "streamlit",
    "run",
    "app.py",  # or FLOOR_APP
    "--server.address",
    "127.0.0.1",
    "--server.headless",
    "true",
    "--browser.gatherUsageStats",
    "false",
    # No file watcher: an edit elsewhere in the tree would otherwise show "Source file
    # changed" in the status widget and stall the wait for the run to finish.
    "--server.fileWatcherType",
    "none",
    "--server.port",
]
# Runs per figure: fast things 5, slow things 3 (the full-size load once: it takes long).
# Memory: 1,000 reruns at full size; 200 at small size so `make bench` stays short
# (about 1 s a rerun in the browser): the small figure compares RSS after 100 and 200.
RUNS = {
    "small": {"cold_start": 5, "changes": 20, "load": 3, "write": 5, "readings": 5, "reruns": 200},
    "full": {"cold_start": 3, "changes": 20, "load": 1, "write": 3, "readings": 3, "reruns": 1000},
}

COMMANDS: list[str] = []  # every command this run started, for the results


def figure(unit: str, runs: list[float], **extra) -> dict:
    """A figure with its unit, every run and the median."""
    return {"unit": unit, "runs": [round(r, 4) for r in runs], "median": _median(runs), **extra}


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 4) if values else None


def percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 2) if values else None


# -- the app under test ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """`streamlit run app.py` on a free localhost port with a copy of a database."""

    def __init__(
        self,
        db: Path,
        scopes: Path | None,
        workdir: Path,
        log: Path | None = None,
        script: str = "app.py",
    ):
        self.script = script
        self.db = workdir / "app.duckdb"
        shutil.copy(db, self.db)
        self.env = {**os.environ, "LOWCARBON_DB": str(self.db)}
        self.env.pop("LOWCARBON_SCOPES", None)
        self.env.pop("LOWCARBON_BENCH_LOG", None)
        if scopes:
            self.env["LOWCARBON_SCOPES"] = str(scopes)
        if log:
            self.env["LOWCARBON_BENCH_LOG"] = str(log)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [sys.executable, *STREAMLIT, str(self.port)]
        cmd[cmd.index("app.py")] = self.script
        _note(cmd, self.env)
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("streamlit did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextmanager
def running(db: Path, scopes: Path | None, log: Path | None = None):
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        app = App(db, scopes, Path(tmp), log)
        app.start()
        try:
            app.wait_healthy()
            yield app
        finally:
            app.stop()


def _note(cmd: list[str], env: dict | None = None) -> None:
    prefix = ""
    if env:
        keys = ("LOWCARBON_DB", "LOWCARBON_SCOPES", "LOWCARBON_BENCH_LOG")
        prefix = " ".join(f"{k}=…/{Path(env[k]).name}" for k in keys if k in env) + " "
    if cmd[-2:-1] == ["--server.port"]:
        cmd = [*cmd[:-1], "<free port>"]
    line = prefix + " ".join(str(c) for c in cmd).replace(sys.executable, ".venv/bin/python")
    if line not in COMMANDS:
        COMMANDS.append(line)


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_page(browser):
    return browser.new_page(viewport={"width": 1400, "height": 1800}, locale="zh-CN")


def _running(page) -> bool:
    """Whether the browser shows a script run going on."""
    return page.get_by_test_id("stStatusWidget").is_visible()


def _idle(page, timeout: float = 120_000) -> None:
    """Wait for the script run the browser shows to finish."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    widget = page.get_by_test_id("stStatusWidget")
    try:
        widget.wait_for(state="hidden", timeout=timeout)
    except PlaywrightTimeout as err:
        shot = Path(tempfile.gettempdir()) / "bench-stalled.png"
        page.screenshot(path=str(shot))
        raise RuntimeError(
            f"{page.url}: still running ({widget.inner_text()!r}); see {shot}"
        ) from err


# -- datasets --------------------------------------------------------------------------------


def datasets(size: str, workdir: Path) -> dict[str, tuple[Path, Path | None]]:
    """name -> (database, scopes file): the built-in data and the city-scale data."""
    builtin = workdir / "builtin.duckdb"
    env = {**os.environ, "LOWCARBON_DB": str(builtin)}
    env.pop("LOWCARBON_SCOPES", None)
    cmd = [sys.executable, "-m", "indicators", "init"]
    _note(cmd, env)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    data = generate.out_dir_for(size)
    return {"builtin": (builtin, None), "city": (data / "city.duckdb", data / "scopes.yaml")}


# -- a. cold start ---------------------------------------------------------------------------


def _first_chart(browser, db: Path, scopes: Path | None, script: str, path: str) -> tuple:
    """Seconds from starting `streamlit run` to the first plotly chart in Chromium, and to
    the end of that first run."""
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        app = App(db, scopes, Path(tmp), script=script)
        page = _new_page(browser)
        started = time.perf_counter()
        app.start()
        try:
            app.wait_healthy()
            page.goto(app.url + path)
            page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=120_000)
            first = time.perf_counter() - started
            _idle(page)
            return first, time.perf_counter() - started
        finally:
            page.close()
            app.stop()


def bench_cold_start(browser, db: Path, scopes: Path | None, runs: int) -> dict:
    """From starting the process (`streamlit run`) to the overview's first chart visible in
    Chromium, and to the end of that first run; interleaved run by run with the floor (a
    bare Streamlit app drawing one plotly chart) in the same browser, so the ratio holds on
    a shared machine where absolute seconds do not."""
    first, complete, floor = [], [], []
    for _ in range(runs):
        floor.append(_first_chart(browser, db, scopes, FLOOR_APP, "/")[0])
        ours = _first_chart(browser, db, scopes, "app.py", "/overview?lang=zh")
        first.append(ours[0])
        complete.append(ours[1])
    return {
        "first_chart": figure("s", first),
        "run_complete": figure("s", complete),
        "floor_first_chart": figure("s", floor),
        "ratio": round(_median(first) / _median(floor), 2),
    }


# -- b. reruns after a filter change ---------------------------------------------------------


class HookLog:
    """The bench hook's JSON lines (indicators/views/ui.py `_bench_record`)."""

    def __init__(self, path: Path):
        self.path = path
        path.write_text("")

    def records(self) -> list[dict]:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def wait_new(self, before: int, page, timeout: float = 120) -> list[dict]:
        """Records after the first `before`, once the browser shows the run finished and
        no further run follows within a short settle time. A run still going when `timeout`
        is up is waited for (the 晴雨表 at city scale takes longer than 15 s): only a
        change that started no run times out."""
        deadline = time.monotonic() + timeout
        while len(self.records()) <= before:
            if time.monotonic() > deadline and not _running(page):
                shot = Path(tempfile.gettempdir()) / "bench-no-rerun.png"
                page.screenshot(path=str(shot))
                raise TimeoutError(f"{page.url}: no rerun recorded; see {shot}")
            time.sleep(0.01)
        _idle(page)
        while True:  # a run may trigger another (st.rerun): count them all
            n = len(self.records())
            time.sleep(0.05)
            _idle(page)
            if len(self.records()) == n:
                return self.records()[before:]


def change_and_wait(page, log: HookLog, k: int, rng: random.Random, name: str = "") -> list[dict]:
    """Change a filter and return the runs it caused; a change the page did not take (a
    click that landed while it was still drawing) is made once more."""
    before = len(log.records())
    change_filter(page, k, rng, name)
    try:
        return log.wait_new(before, page, timeout=15)
    except TimeoutError:
        page.keyboard.press("Escape")  # close a select box left open
        change_filter(page, k + 1, rng, name)
        return log.wait_new(before, page)


def change_filter(page, k: int, rng: random.Random, name: str = "") -> None:
    """One filter change as a user makes it: the k-th sidebar select box (in turn) set to
    another of its first options; on the briefing, which has no sidebar, the next slide; on
    a page in PAGE_CHANGES, the filters it names, in turn."""
    sidebar = page.get_by_test_id("stSidebar")
    if name in PAGE_CHANGES:
        which = PAGE_CHANGES[name][k % len(PAGE_CHANGES[name])]
        if which == "group":  # the view not shown now (a radio group): always a change
            switch = sidebar.get_by_role("radiogroup", name=t("filters.group", "zh"))
            switch.get_by_role("radio", checked=False).click()
            return
        boxes = sidebar.get_by_role("combobox", name=t(f"filters.{which}", "zh"))
    else:
        boxes = sidebar.get_by_role("combobox")
    n = boxes.count()
    if n == 0 or not boxes.first.is_visible():
        page.keyboard.press("ArrowRight" if k % 4 < 2 else "ArrowLeft")
        return
    boxes.nth(k % n).click()
    options = page.locator("[role='option'][aria-selected='false']")
    options.first.wait_for(timeout=10_000)
    options.nth(rng.randrange(min(options.count(), 8))).click()


def open_page(page, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("stMain").get_by_role("heading").first.wait_for(timeout=120_000)
    _idle(page)


def bench_rerun(browser, db: Path, scopes: Path | None, changes: int) -> dict:
    out = {}
    rng = random.Random(generate.SEED)
    with tempfile.TemporaryDirectory(prefix="bench-rerun-") as tmp:
        log = HookLog(Path(tmp) / "hook.jsonl")
        with running(db, scopes, log.path) as app:
            page = _new_page(browser)
            for name in DASHBOARD_PAGES:
                open_page(page, f"{app.url}/{name}?lang=zh")
                ms, runs_per_change = [], []
                for k in range(changes):
                    new = change_and_wait(page, log, k, rng, name)
                    mine = [r for r in new if r["page"] == name]
                    ms.append(sum(r["ms"] for r in mine))
                    runs_per_change.append(len(new))
                out[name] = {
                    "unit": "ms",
                    "runs": [round(m, 1) for m in ms],
                    "median": _median(ms),
                    "p50": percentile(ms, 50),
                    "p95": percentile(ms, 95),
                    "script_runs_per_change": max(runs_per_change),
                }
            page.close()
    every = [m for p in out.values() for m in p["runs"]]
    out["all_pages"] = {
        "unit": "ms",
        "p50": percentile(every, 50),
        "p95": percentile(every, 95),
        "median": _median(every),
        "runs": len(every),
    }
    return out


# -- c. validate and load --------------------------------------------------------------------


def _empty_db(path: Path, scopes: Path) -> None:
    env = {**os.environ, "LOWCARBON_DB": str(path), "LOWCARBON_SCOPES": str(scopes)}
    cmd = [sys.executable, "-m", "indicators", "init", "--empty"]
    _note(cmd, env)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def bench_load(csv: Path, scopes: Path, runs: int) -> dict:
    """Our path (read_upload -> check -> load into a fresh `init --empty` database) next to
    DuckDB's own read_csv into a table of a fresh database file, on the same file."""
    import duckdb

    os.environ["LOWCARBON_SCOPES"] = str(scopes)
    from indicators.intake import checks, files, loading

    data = csv.read_bytes()
    limits = {k: v for k, v in files.declaration()["limits"].items() if "csv" in k}
    phases: dict[str, list[float]] = {"read": [], "check": [], "load": [], "total": []}
    duck: list[float] = []
    rows = None
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            db_file = Path(tmp) / "load.duckdb"
            _empty_db(db_file, scopes)
            os.environ["LOWCARBON_DB"] = str(db_file)
            t0 = time.perf_counter()
            raw = files.read_upload(data, csv.name)
            t1 = time.perf_counter()
            checked = checks.check(raw)
            t2 = time.perf_counter()
            if not checked.ok:
                raise RuntimeError(f"the load file has problems: {checked.problems[:5]}")
            result = loading.load(
                checked, editor="bench", file_name=csv.name, data=data, confirm_note=SYNTHETIC
            )
            t3 = time.perf_counter()
            rows = len(checked.frame)
            if result.counts.get("inserted") != rows:
                raise RuntimeError(f"not every row was inserted: {result.counts}")
            for key, value in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
                phases[key].append(value)
            t0 = time.perf_counter()
            con = duckdb.connect(str(Path(tmp) / "raw.duckdb"))
            con.execute(f"create table t as select * from read_csv('{csv}')")
            con.close()
            duck.append(time.perf_counter() - t0)
    ours, raw_s = _median(phases["total"]), _median(duck)
    return {
        "file": {"name": csv.name, "rows": rows, "bytes": len(data), "encoding": "utf-8"},
        "limits": limits,  # the product's own: a CSV this size is accepted as it is
        "ours_s": figure("s", phases["total"]),
        "ours_phases_s": {k: figure("s", v) for k, v in phases.items() if k != "total"},
        "duckdb_read_csv_s": figure("s", duck),
        "ours_rows_per_s": round(rows / ours) if rows else None,
        "duckdb_rows_per_s": round(rows / raw_s) if rows else None,
        "ratio": round(ours / raw_s, 2),
    }


# -- c2. a write at city scale ----------------------------------------------------------------


def bench_write(db: Path, scopes: Path, runs: int) -> dict:
    """A one-row load (a 街镇's GDP for a year, its value changed each run) through the
    app's own path into a copy of the city-scale database, commit included: the mart
    recomputes only what the row touched. Beside it a one-row project and PV site (whose
    registers recompute every year of what comes from them) and the full rebuild a write
    paid before."""
    os.environ["LOWCARBON_SCOPES"] = str(scopes)
    from indicators.intake import checks, files, loading
    from indicators.store import db as database

    headers = {
        "observation": "街镇,年份,指标,数值",
        "project": "项目编号,项目名称,所属街镇,年份,支持金额（万元）",
        "pv_site": "站点编号,站点名称,所在街镇,装机容量（千瓦）,并网日期",
    }
    rows = {
        "observation": lambda k: f"虹桥,2025,gdp,{1000 + k}",
        "project": lambda k: f"BENCH-{k},基准项目,虹桥,2025,{10 + k}",
        "pv_site": lambda k: f"BENCH-{k},基准站点,虹桥,{5 + k},2025-03-01",
    }
    times: dict[str, list[float]] = {name: [] for name in rows}
    rebuild: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-write-") as tmp:
        copy = Path(tmp) / "city.duckdb"
        shutil.copy(db, copy)
        os.environ["LOWCARBON_DB"] = str(copy)
        database.migrate()  # the views of this commit
        for k in range(runs):
            for name, make in rows.items():
                data = f"{headers[name]}\n{make(k)}\n".encode()
                checked = checks.check(files.read_upload(data, f"{name}.csv"))
                t0 = time.perf_counter()
                loading.load(
                    checked,
                    editor="bench",
                    file_name=f"{name}.csv",
                    data=data,
                    replace=True,
                    confirm_note=SYNTHETIC,
                )
                times[name].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            database.write(lambda con: None)  # no batch: the whole mart, as every write did
            rebuild.append(time.perf_counter() - t0)
    return {
        **{f"{name}_s": figure("s", v) for name, v in times.items()},
        "full_rebuild_s": figure("s", rebuild),
    }


# -- d. readings -----------------------------------------------------------------------------


def _energy_factors() -> dict[str, float]:
    """tce per unit of each energy type, from the catalogue's factor table (factors.yaml)."""
    from indicators import reference

    return {code: k["kgce_per_unit"] / 1000 for code, k in reference.energy_types().items()}


def readings_parquet(files: list[Path]):
    """Plain DuckDB straight from the Parquet files: 街镇-month tce totals."""
    import duckdb

    tce = _energy_factors()
    listing = ", ".join(f"'{f}'" for f in files)
    return duckdb.sql(
        f"""
        select scope, date_trunc('month', hour) as month,
               sum(quantity * case energy_type when 'electricity' then {tce["electricity"]}
                                              when 'natural_gas' then {tce["natural_gas"]}
                              end) as tce
        from read_parquet([{listing}])
        group by all
        """
    ).df()


def readings_table(db_file: Path):
    """Plain DuckDB on the readings as our database holds them: one hand-written aggregate
    over energy_readings joined to buildings, nothing kept."""
    import duckdb

    tce = _energy_factors()
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return con.execute(
            f"""
            select b.scope_code as scope, date_trunc('month', r.hour) as month,
                   sum(r.quantity * case r.energy_type
                                    when 'electricity' then {tce["electricity"]}
                                    when 'natural_gas' then {tce["natural_gas"]} end) as tce
            from energy_readings r join buildings b using (building_id)
            group by all
            """
        ).df()
    finally:
        con.close()


def readings_ours(db_file: Path):
    """Our path: readings.rebuild_monthly() recomputes every 街镇-month total from the
    readings with the factor table and keeps them (one write transaction), then the
    totals are read back."""
    import duckdb

    from indicators.intake import readings

    os.environ["LOWCARBON_DB"] = str(db_file)
    readings.rebuild_monthly()
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return con.execute(
            "select scope_code as scope, make_date(year, month, 1) as month, sum(tce) as tce "
            "from building_energy_monthly group by all"
        ).df()
    finally:
        con.close()


def readings_pandas(files: list[Path]):
    """A fair pandas baseline: pyarrow reads only the needed columns, text as categoricals,
    and one groupby(observed=True, sort=False)."""
    import pyarrow.parquet as pq

    table = pq.read_table(
        files,
        columns=["scope", "hour", "energy_type", "quantity"],
        read_dictionary=["scope", "energy_type"],
    )
    frame = table.to_pandas()
    factor = frame["energy_type"].map(_energy_factors()).astype("float64")
    frame["tce"] = frame["quantity"] * factor
    frame["month"] = frame["hour"].to_numpy().astype("datetime64[M]")
    return frame.groupby(["scope", "month"], observed=True, sort=False)["tce"].sum().reset_index()


def load_readings(files: list[Path], db_file: Path, scopes: Path) -> dict:
    """A database holding the readings, loaded through our path (read_upload -> check ->
    load, one batch per monthly file) as an editor would; each file's time."""
    _empty_db(db_file, scopes)
    env = {**os.environ, "LOWCARBON_DB": str(db_file), "LOWCARBON_SCOPES": str(scopes)}
    seconds, rows = [], 0
    for f in files:
        cmd = [sys.executable, "-m", "indicators", "load", str(f), "--editor", "bench"]
        _note(cmd, env)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise RuntimeError(f"loading {f.name} failed: {done.stderr[-2000:]}")
    import duckdb

    con = duckdb.connect(str(db_file), read_only=True)
    rows = con.execute("select count(*) from energy_readings").fetchone()[0]
    con.close()
    return {
        "files": len(files),
        "rows": rows,
        "seconds": round(sum(seconds), 2),
        "rows_per_s": round(rows / sum(seconds)),
        "per_file_s": [round(s, 2) for s in seconds],
        "file_mb": round(db_file.stat().st_size / 2**20, 1),  # the database after the loads
    }


def _agree(name: str, a, b) -> None:
    """Two results must hold the same 街镇-months and the same total."""
    if len(a) != len(b) or not np.isclose(a["tce"].sum(), b["tce"].sum(), rtol=1e-9):
        raise RuntimeError(f"{name} disagree: {len(a)} vs {len(b)} groups")


def _timed(fn, arg, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn(arg)
        times.append(time.perf_counter() - t0)
    return times, result


def bench_readings(data_dir: Path, runs: int) -> dict:
    """Readings to 街镇-month tce totals. On every reading (about 100 million at full size):
    our path and a plain DuckDB aggregate on the same database. On the subset (about 20
    million): both, plus plain DuckDB on the Parquet files and the pandas baseline."""
    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    folder = data_dir / "readings"
    scopes = data_dir / "scopes.yaml"
    os.environ["LOWCARBON_SCOPES"] = str(scopes)
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-readings-", dir=data_dir) as tmp:
        for label, names in (
            ("subset", manifest["readings"]["subset_files"]),
            ("all", manifest["readings"]["files"]),
        ):
            files = [folder / f for f in names]
            db_file = Path(tmp) / f"{label}.duckdb"
            part = {"load": load_readings(files, db_file, scopes)}
            ours_t, ours = _timed(readings_ours, db_file, runs)
            table_t, table = _timed(readings_table, db_file, runs)
            _agree("our path and plain DuckDB", ours, table)
            part |= {
                "ours_s": figure("s", ours_t),
                "duckdb_table_s": figure("s", table_t),
                "ours_over_duckdb": round(_median(ours_t) / _median(table_t), 2),
                "groups": len(ours),
            }
            if label == "subset":
                parquet_t, parquet = _timed(readings_parquet, files, runs)
                pandas_t, frame = _timed(readings_pandas, files, runs)
                _agree("DuckDB on Parquet and pandas", parquet, frame)
                _agree("our path and pandas", ours, frame)
                part |= {
                    "duckdb_parquet_s": figure("s", parquet_t),
                    "pandas_s": figure("s", pandas_t),
                    "pandas_over_ours": round(_median(pandas_t) / _median(ours_t), 2),
                    "pandas_over_duckdb": round(_median(pandas_t) / _median(table_t), 2),
                }
            out[label] = part
            if label == "subset" and part["load"]["rows"] == manifest["readings"]["rows"]:
                out["all"] = part  # the small size: the subset is every reading
                break
    return out


# -- e. memory -------------------------------------------------------------------------------


def bench_memory(browser, db: Path, scopes: Path | None, reruns: int) -> dict:
    """The streets page (ranked, over time, shares: the heaviest charts) rerun as fast as
    the browser drives it by alternating the year between two values; RSS and VmHWM of the
    streamlit process from the hook's records."""
    with tempfile.TemporaryDirectory(prefix="bench-mem-") as tmp:
        log = HookLog(Path(tmp) / "hook.jsonl")
        with running(db, scopes, log.path) as app:
            page = _new_page(browser)
            open_page(page, f"{app.url}/streets?lang=zh")
            opened = len(log.records())
            year = page.get_by_test_id("stSidebar").get_by_role("combobox", name="年份")
            changes = 0
            started = time.perf_counter()
            while len(log.records()) - opened < reruns:
                before = len(log.records())
                year.click()
                page.locator("[role='option'][aria-selected='false']").first.click()
                log.wait_new(before, page)
                changes += 1
            elapsed = time.perf_counter() - started
            records = log.records()
            page.close()
    after = records[opened:]

    def rss_after(n: int) -> int:
        return after[min(n, len(after)) - 1]["vmrss_kb"]

    rss_100, rss_last = rss_after(100), rss_after(reruns)
    return {
        "page": "streets",
        "filter": "year, alternating between two values",
        "reruns": len(after),
        "filter_changes": changes,
        "seconds": round(elapsed, 1),
        "unit": "kB",
        "rss_after_open_kb": records[opened - 1]["vmrss_kb"],
        "rss_after_100_kb": rss_100,
        "rss_after_last_kb": rss_last,
        "vmhwm_kb": max(r["vmhwm_kb"] for r in records),
        "rss_every_100_kb": [r["vmrss_kb"] for r in after[99::100]],
        "script_ms_p50": percentile([r["ms"] for r in after], 50),
        "growth_pct": round((rss_last / rss_100 - 1) * 100, 2),
    }


# -- the results -----------------------------------------------------------------------------


def _dirty() -> bool:
    """Uncommitted changes to the code measured (the results being written don't count)."""
    changed = _run(["git", "status", "--porcelain", "--untracked-files=no"]).splitlines()
    return any(not line[3:].startswith(("bench/results/", "bench/RESULTS.md")) for line in changed)


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def environment(browser_version: str | None) -> dict:
    import duckdb
    import pandas
    import pyarrow
    import streamlit

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "git": {
            "sha": _run(["git", "rev-parse", "HEAD"]),
            "dirty": _dirty(),
        },
        "versions": {
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "pandas": pandas.__version__,
            "streamlit": streamlit.__version__,
            "pyarrow": pyarrow.__version__,
            "chromium": browser_version or _run([CHROMIUM, "--version"]),
        },
        "machine": {
            "cpu": cpu,
            "cores": os.cpu_count(),
            "ram_gb": round(mem_kb / 2**20, 1),
            "os": platform.platform(),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(generate.SIZES), default="small")
    parser.add_argument("--only", help="comma-separated: " + ",".join(MEASUREMENTS))
    parser.add_argument("--reruns", type=int, help="reruns for the memory figure (1000)")
    args = parser.parse_args()
    only = args.only.split(",") if args.only else list(MEASUREMENTS)
    unknown = set(only) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    COMMANDS.append(" ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]]))
    data_dir = generate.out_dir_for(args.size)
    if not generate.current(data_dir / "manifest.json"):
        _note([sys.executable, "bench/generate.py", "--size", args.size])
        generate.generate(args.size, data_dir)
    runs = dict(RUNS[args.size])
    if args.reruns:
        runs["reruns"] = args.reruns
    RESULTS.mkdir(parents=True, exist_ok=True)
    out_file = RESULTS / f"{args.size}.json"
    previous = json.loads(out_file.read_text(encoding="utf-8")) if out_file.exists() else {}
    measured: dict = dict(previous.get("measurements", {})) if args.only else {}
    started = datetime.now(UTC)

    browser_version = None

    def done(name: str, value: dict) -> None:
        """Keep a figure and write the results so far (a later failure loses nothing)."""
        # Each figure keeps the commit it was measured at: `--only` reruns a part later.
        measured[name] = {
            **value,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "git_sha": _run(["git", "rev-parse", "HEAD"]),
            "git_dirty": _dirty(),
        }
        print(f"{name}: {json.dumps(value, ensure_ascii=False)[:600]}", flush=True)
        result = {
            "size": args.size,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            **environment(browser_version),
            "dataset": json.loads((data_dir / "manifest.json").read_text(encoding="utf-8")),
            "runs_per_figure": runs,
            "commands": COMMANDS,
            "measurements": measured,
        }
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
        out_file.write_text(text, encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        sets = datasets(args.size, Path(tmp))
        if {"cold_start", "rerun", "memory"} & set(only):
            with chromium() as browser:
                browser_version = browser.version
                if "cold_start" in only:
                    done(
                        "cold_start",
                        {
                            n: bench_cold_start(browser, *s, runs["cold_start"])
                            for n, s in sets.items()
                        },
                    )
                if "rerun" in only:
                    done(
                        "rerun",
                        {n: bench_rerun(browser, *s, runs["changes"]) for n, s in sets.items()},
                    )
                if "memory" in only:
                    done("memory", {"city": bench_memory(browser, *sets["city"], runs["reruns"])})
        if "load" in only:
            done(
                "load",
                bench_load(
                    data_dir / "observations.csv", data_dir / "load_scopes.yaml", runs["load"]
                ),
            )
        if "write" in only:
            done("write", bench_write(*sets["city"], runs["write"]))
        if "readings" in only:
            done("readings", bench_readings(data_dir, runs["readings"]))
    print(f"wrote {out_file.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
