"""How the dashboard's costs grow with the number of scopes and of years.

For scopes (the small and the full sets: 37 and 218) × years (5 and 15) a database is
generated as `generate.py` makes one, with the registers held at 10,000 projects and PV
sites so that only scopes and years change, and measured through the app's own code:

  rebuild     the whole mart recomputed (what every write paid before issue 14)
  write       one reported figure loaded (check → compare → change log → commit)
  page_read   what the overview reads for one period (queries.indicator_frame)
  years_read  every year of every indicator (the trends page with no year filter)
  file_mb     the DuckDB file after a checkpoint

Readings grow on their own axis (1M, 20M and 100M readings): run.py measures them.
Writes bench/results/scale/scale.json; report.py puts the table in RESULTS.md.

    python bench/scale.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import generate  # noqa: E402  (bench/ is on the path above)

REGISTER_ROWS = 10_000
SCALE_RESULT = HERE / "results" / "scale" / "scale.json"
YEAR_COUNTS = (5, 15)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def _timed(fn, runs: int) -> float:
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    return _median(seconds)


def measure(size: str, n_years: int, runs: int, tmp: Path) -> dict:
    generate.YEARS = range(generate.CURRENT_YEAR + 1 - n_years, generate.CURRENT_YEAR + 1)
    generate.SIZES[size] |= {"projects": REGISTER_ROWS, "pv": REGISTER_ROWS}
    folder = tmp / f"{size}_{n_years}"
    folder.mkdir()
    scopes = generate.make_scopes(size)
    scopes_file = folder / "scopes.yaml"
    generate.write_scopes(scopes_file, scopes)
    os.environ["LOWCARBON_SCOPES"] = str(scopes_file)
    tables = generate.make_database(folder, scopes_file, size, np.random.default_rng(1))
    db_file = folder / "city.duckdb"
    os.environ["LOWCARBON_DB"] = str(db_file)

    from indicators.domain import analysis, queries
    from indicators.intake import checks, files, loading
    from indicators.store import db

    row = iter(range(10**6))

    def write_one() -> None:
        data = f"街镇,年份,指标,数值\n虹桥,{generate.CURRENT_YEAR - 1},gdp,{1000 + next(row)}\n"
        checked = checks.check(files.read_upload(data.encode(), "one.csv"))
        loading.load(
            checked,
            editor="bench",
            file_name="one.csv",
            data=data.encode(),
            replace=True,
            confirm_note="synthetic benchmark data",
        )

    year = generate.CURRENT_YEAR
    figures = {
        "scopes": len(scopes),
        "years": n_years,
        "observations": tables["observations"],
        "rebuild_s": _timed(lambda: db.write(lambda con: None), runs),
        "write_s": _timed(write_one, runs),
        "page_read_s": _timed(
            lambda: queries.indicator_frame(year=year, periods=analysis.periods_shown("Q3")), runs
        ),
        "years_read_s": _timed(lambda: queries.indicator_frame(year=year, year_from=0), runs),
    }
    figures["file_mb"] = round(db_file.stat().st_size / 2**20, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "YEARS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # one database in its own process: the app's caches hold one scope set
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            print(json.dumps(measure(args.one[0], int(args.one[1]), args.runs, Path(tmp))))
        return
    started = datetime.now(UTC).isoformat(timespec="seconds")
    rows = []
    for size in ("small", "full"):
        for n_years in YEAR_COUNTS:
            cmd = [sys.executable, __file__, "--runs", str(args.runs), "--one", size, str(n_years)]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(rows[-1], flush=True)
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    out = {
        "started": started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_sha": sha,
        "register_rows": REGISTER_ROWS,
        "runs": args.runs,
        "rows": rows,
    }
    SCALE_RESULT.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
