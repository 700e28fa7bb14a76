"""Generate the city-scale benchmark dataset (synthetic; never real figures).

    .venv/bin/python bench/generate.py --size small|full [--out DIR] [--force]

Writes into DIR (default bench/data/<size>/):
  scopes.yaml          every 街镇 of Shanghai's 16 districts (synthetic names) + 全市
  city.duckdb          `python -m indicators init --empty` with those scopes, then 15 years
                       of reported indicators, targets, funded projects and PV sites, and
                       the 十五五 plan's cumulative targets of every scope
  observations.csv     a valid observations upload (UTF-8, Chinese headers) for the
                       validate-and-load benchmark, loadable into a fresh empty database
  readings/            hourly meter readings as Parquet, one file per month
  manifest.json        what was generated, with row counts and timings

Everything is drawn from a fixed seed, vectorised with numpy/pandas and bulk-inserted
with DuckDB, so a run is repeatable and takes seconds (small) to minutes (full).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCE = "基准测试合成数据 / synthetic benchmark data"
SEED = 20260101
YEARS = range(2012, 2027)  # 15 years; 2026 is the current year, reported to Q3/M09
CURRENT_YEAR = 2026
CURRENT_QUARTERS = 3
LOAD_YEARS = range(2000, CURRENT_YEAR + 2)  # the years an upload may hold: 2000 to next year
QUARTER_SHARE = {"Q1": 0.235, "Q2": 0.485, "Q3": 0.745, "Q4": 1.0}

SIZES = {
    # scopes: how many synthetic 街镇 besides the real ones; registers: rows per register
    "small": {
        "synthetic_scopes": 24,
        "projects": 10_000,
        "pv": 10_000,
        "load_rows": 50_000,
        "buildings": 200,
        "reading_months": 6,
        "subset_rows": 20_000_000,
    },
    "full": {
        "synthetic_scopes": None,  # all of them
        "projects": 500_000,
        "pv": 500_000,
        "load_rows": 1_000_000,
        "buildings": 10_000,
        "reading_months": 12,
        "subset_rows": 20_000_000,
    },
}

# Shanghai's 16 districts with their number of 街道 and 镇/乡 (2023). The district names
# are real; the 街镇 names made from them (浦东新区第1街道 …) are SYNTHETIC. 长宁区 is
# represented by its ten real 街镇 and their groups, as in indicators/reference/scopes.yaml.
LEAF_KINDS = ("street", "town")  # data is generated for these; groups are their sums
DISTRICTS = [
    ("黄浦区", "Huangpu", "hp", 10, 0),
    ("徐汇区", "Xuhui", "xh", 12, 1),
    ("静安区", "Jing'an", "ja", 13, 1),
    ("普陀区", "Putuo", "pt", 8, 2),
    ("虹口区", "Hongkou", "hk", 8, 0),
    ("杨浦区", "Yangpu", "yp", 12, 0),
    ("闵行区", "Minhang", "mh", 4, 9),
    ("宝山区", "Baoshan", "bs", 3, 9),
    ("嘉定区", "Jiading", "jd", 3, 7),
    ("浦东新区", "Pudong", "pd", 12, 24),
    ("金山区", "Jinshan", "js", 1, 9),
    ("松江区", "Songjiang", "sj", 6, 11),
    ("青浦区", "Qingpu", "qp", 3, 8),
    ("奉贤区", "Fengxian", "fx", 3, 8),
    ("崇明区", "Chongming", "cm", 0, 18),
]


def out_dir_for(size: str) -> Path:
    return ROOT / "bench" / "data" / size


# -- scopes ---------------------------------------------------------------------------


def make_scopes(size: str) -> list[dict]:
    """The real Changning scopes (ten 街镇, 双桥双新泾 and 其他街镇) from
    indicators/reference/scopes.yaml, synthetic 街镇 for the other districts, and one
    district-kind scope for the whole city (with no members listed, every scope in no group
    is the city's)."""
    real_file = ROOT / "indicators" / "reference" / "scopes.yaml"
    real = yaml.safe_load(real_file.read_text(encoding="utf-8"))
    kept = [s for s in real["scopes"] if s["kind"] != "district"]
    synthetic = []
    for zh, en, code, streets, towns in DISTRICTS:
        for i in range(1, streets + 1):
            synthetic.append(
                {
                    "code": f"{code}_s{i:02d}",
                    "name_zh": f"{zh}第{i}街道",
                    "name_en": f"{en} Subdistrict {i}",
                    "kind": "street",
                    "focus": False,
                    "aliases": [],
                }
            )
        for i in range(1, towns + 1):
            synthetic.append(
                {
                    "code": f"{code}_t{i:02d}",
                    "name_zh": f"{zh}第{i}镇",
                    "name_en": f"{en} Town {i}",
                    "kind": "town",
                    "focus": False,
                    "aliases": [],
                }
            )
    n = SIZES[size]["synthetic_scopes"]
    if n is not None:  # spread the small set over the districts
        synthetic = synthetic[:: max(len(synthetic) // n, 1)][:n]
    city = {
        "code": "district",
        "name_zh": "全市",
        "name_en": "Whole city",
        "kind": "district",
        "focus": False,
        "aliases": ["上海市", "上海", "Shanghai", "district", "Whole city"],
    }
    return kept + synthetic + [city]


def write_scopes(path: Path, scopes: list[dict]) -> None:
    header = (
        "# Benchmark scopes: SYNTHETIC 街镇 names (e.g. 浦东新区第1街道) for every 街镇 of\n"
        "# Shanghai's districts, plus the real Changning focus 街镇 and 其他街镇, and 全市 as\n"
        "# the district-kind scope. Made by bench/generate.py; not real reference data.\n"
    )
    body = yaml.safe_dump({"scopes": scopes}, allow_unicode=True, sort_keys=False)
    path.write_text(header + body, encoding="utf-8")


# -- observations -----------------------------------------------------------------------


def periods_for(frequency: str, year: int) -> list[str]:
    """Period codes reported for a year: the whole year plus monthly and quarterly
    year-to-date values for every indicator that is not yearly (the city-scale load is
    monthly values for every indicator); the current year only to Q3 (M09) and without a
    whole-year figure. Yearly indicators (counts of reviews, communities) have Y only."""
    if frequency == "yearly":
        return ["Y"]
    months = [f"M{m:02d}" for m in range(1, 13)]
    quarters = list(QUARTER_SHARE)
    if year == CURRENT_YEAR:
        return months[: 3 * CURRENT_QUARTERS] + quarters[:CURRENT_QUARTERS]
    return ["Y", *quarters, *months]


def period_share(period: str) -> float:
    if period == "Y":
        return 1.0
    if period.startswith("Q"):
        return QUARTER_SHARE[period]
    return int(period[1:]) / 12


def observations(scopes: list[dict], rng: np.random.Generator) -> pd.DataFrame:
    """Every `formula: reported` indicator, for every scope it has values for, every year
    and period of its frequency. District figures of additive indicators are the sum of
    the 街镇, so shares add up as in the built-in data."""
    from indicators import reference

    parts = [s["code"] for s in scopes if s["kind"] in LEAF_KINDS]
    n = len(parts)
    years = np.array(list(YEARS))
    growth = np.cumprod(1 + rng.uniform(0.02, 0.07, (n, len(years))), axis=1)
    gdp = rng.lognormal(np.log(2e6), 0.6, n)[:, None] * growth  # 10k yuan
    intensity = rng.uniform(0.05, 0.12, n)[:, None] * np.cumprod(
        1 - rng.uniform(0.0, 0.06, (n, len(years))), axis=1
    )
    yearly = {
        "gdp": gdp,
        "energy_total": gdp * intensity,
        "co2_total": gdp * intensity * (2.2 - 0.02 * (years - years[0])),
    }
    frames = []
    for ind in reference.catalogue():
        if ind["formula"] != "reported":
            continue
        breakdowns = [b["code"] for b in ind["breakdowns"]] or [""]
        district_only = ind["street_values"] == "none"
        codes = ["district"] if district_only else parts
        for breakdown in breakdowns:
            if ind["id"] in yearly:
                values = yearly[ind["id"]]
            elif ind["unit"] in ("count", "item"):
                steps = rng.choice([0, 0, 1], (len(codes), len(years)))
                values = np.cumsum(steps, axis=1) if ind["additive"] else steps * 3
            else:  # an indicator added to the catalogue later: a positive random walk
                values = rng.lognormal(np.log(1e4), 0.5, len(codes))[:, None] * growth[: len(codes)]
            values = values[: len(codes)]
            rows = []
            for j, year in enumerate(years):
                for period in periods_for(ind["frequency"], int(year)):
                    noise = 1.0 if period == "Y" else rng.uniform(0.98, 1.02, len(codes))
                    v = values[:, j] * period_share(period) * noise
                    if ind["unit"] in ("count", "item"):
                        v = np.round(values[:, j])  # counts are cumulative, not pro rata
                    rows.append(
                        pd.DataFrame(
                            {
                                "scope_code": codes,
                                "indicator_id": ind["id"],
                                "breakdown": breakdown,
                                "year": int(year),
                                "period": period,
                                "value": np.round(v, 1),
                            }
                        )
                    )
            frame = pd.concat(rows, ignore_index=True)
            frame["unit"] = ind["unit"]
            if ind["additive"] and not district_only:
                keys = ["indicator_id", "breakdown", "year", "period", "unit"]
                total = frame.groupby(keys, as_index=False)["value"].sum()
                frame = pd.concat([frame, total.assign(scope_code="district")], ignore_index=True)
            frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["data_status"] = np.where(out["year"] <= CURRENT_YEAR - 2, "final", "preliminary")
    out["source"] = SOURCE
    out["as_of"] = pd.to_datetime(out["year"].astype(str) + "-12-31").dt.date
    out["note"] = None
    out["is_demo"] = False
    return out


# -- registers ----------------------------------------------------------------------------


def _dates(rng: np.random.Generator, n: int) -> pd.Series:
    start, end = pd.Timestamp(f"{YEARS.start}-01-01"), pd.Timestamp(f"{CURRENT_YEAR}-09-28")
    days = rng.integers(0, (end - start).days + 1, n)
    return (start + pd.to_timedelta(days, unit="D")).date


def funded_projects(parts: list[str], n: int, rng: np.random.Generator) -> pd.DataFrame:
    from indicators import reference

    vocab = reference.demo_vocabulary()
    approved = pd.Series(_dates(rng, n))
    ids = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(7)
    return pd.DataFrame(
        {
            "project_id": "BENCH-P" + ids,
            "name": "合成项目 " + ids,
            "enterprise": "合成企业 " + pd.Series(rng.integers(1, 20_000, n)).astype(str),
            "scope_code": np.array(parts)[rng.integers(0, len(parts), n)],
            "category": np.array(vocab["project_categories"])[
                rng.integers(0, len(vocab["project_categories"]), n)
            ],
            "fund": vocab["project_fund"],
            "amount_10k_yuan": np.round(rng.uniform(5, 120, n), 1),
            "year": pd.to_datetime(approved).dt.year.to_numpy(),
            "approved_on": approved,
            "saving_tce_per_year": np.round(rng.uniform(10, 800, n), 1),
            "status": "实施中",
            "source": SOURCE,
            "is_demo": False,
        }
    )


def pv_installations(parts: list[str], n: int, rng: np.random.Generator) -> pd.DataFrame:
    from indicators import reference

    types = reference.demo_vocabulary()["pv_types"]
    ids = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(7)
    return pd.DataFrame(
        {
            "site_id": "BENCH-PV" + ids,
            "site": "合成光伏站点 " + ids,
            "scope_code": np.array(parts)[rng.integers(0, len(parts), n)],
            "capacity_kw": np.round(rng.uniform(40, 900, n), 1),
            "pv_type": np.array(types)[rng.integers(0, len(types), n)],
            "grid_connected_on": _dates(rng, n),
            "source": SOURCE,
            "is_demo": False,
        }
    )


def budget_lines(rng: np.random.Generator) -> pd.DataFrame:
    from indicators import reference

    vocab = reference.demo_vocabulary()
    rows = []
    total = 800.0
    for year in YEARS:
        total *= rng.uniform(1.0, 1.06)
        for item, share in zip(vocab["budget_items"], vocab["budget_split"], strict=True):
            rows.append(
                {
                    "year": year,
                    "item": item,
                    "amount_10k_yuan": round(total * share, 2),
                    "source": SOURCE,
                    "is_demo": False,
                }
            )
    return pd.DataFrame(rows)


def targets(
    scopes: list[dict],
    obs: pd.DataFrame,
    projects: pd.DataFrame,
    pv: pd.DataFrame,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A target for every headline indicator, scope and year, set near what the data
    reaches so every status band shows; pv_new gets quarterly plans in the current year."""
    from indicators import reference

    codes = [s["code"] for s in scopes]
    grid = pd.MultiIndex.from_product([codes, list(YEARS)], names=["scope_code", "year"])
    # Yearly actuals per scope of the count-like headline indicators.
    actual = {
        "pv_new": pv.assign(year=pd.to_datetime(pv["grid_connected_on"]).dt.year)
        .groupby(["scope_code", "year"])["capacity_kw"]
        .sum(),
        "funded_projects": projects.groupby(["scope_code", "year"]).size().astype(float),
    }
    for ind_id, series in list(actual.items()):
        district = series.groupby(level="year").sum()
        district.index = pd.MultiIndex.from_product([["district"], district.index])
        actual[ind_id] = pd.concat([series, district])
    yearly_obs = obs[obs["period"] == "Y"].groupby(["indicator_id", "scope_code", "year"])["value"]
    frames = []
    for ind in reference.catalogue():
        if not ind["headline"]:
            continue
        these = grid if ind["street_values"] != "none" else grid[grid.isin(["district"], level=0)]
        if ind["unit"] == "pct":
            value, kind = rng.uniform(2.5, 4.0, len(these)).round(1), "rate"
        elif ind["id"] in actual:
            base = actual[ind["id"]].reindex(these).fillna(0).to_numpy()
            value, kind = np.round(base * rng.uniform(0.85, 1.3, len(these))), "cumulative"
        else:  # a reported count: a level near the yearly value
            sums = (
                yearly_obs.sum().loc[ind["id"]] if ind["id"] in obs["indicator_id"].values else None
            )
            base = sums.reindex(these).fillna(1).to_numpy() if sums is not None else 1
            value, kind = np.ceil(base * rng.uniform(0.9, 1.2, len(these))), "level"
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": ind["id"],
                    "scope_code": these.get_level_values(0),
                    "year": these.get_level_values(1),
                    "target_value": value.astype(float),
                    "kind": kind,
                    "source": SOURCE,
                    "is_demo": False,
                }
            )
        )
    tgt = pd.concat(frames, ignore_index=True)
    pv_now = tgt[(tgt["indicator_id"] == "pv_new") & (tgt["year"] == CURRENT_YEAR)]
    plans = pd.concat(
        [
            pv_now[["indicator_id", "scope_code", "year"]].assign(
                period=p, plan_value=(pv_now["target_value"] * s).round(1), is_demo=False
            )
            for p, s in QUARTER_SHARE.items()
        ],
        ignore_index=True,
    )
    return tgt, plans


PLAN = "15th"  # the five-year plan given targets: 十五五, from the 2025 base


def plan_targets(scopes: list[dict], obs: pd.DataFrame) -> pd.DataFrame:
    """十五五 targets for every scope and indicator the plan measures, as the district would
    decompose them: each 街镇 a cumulative fall (12-20%) of an intensity or an allowed growth
    (4-12%) of a total; each group and the city what its 街镇 reach on the base year's totals
    (decomposition.check_plan's rule), rounded the safe way, so `targets check` finds them
    consistent. A generator of its own: the other tables' draws stay as they were."""
    from indicators import reference
    from indicators.domain import decomposition, fiveyear

    rng = np.random.default_rng(SEED + 15)
    p = fiveyear.plan(PLAN)
    leaves = [s["code"] for s in scopes if s["kind"] in LEAF_KINDS]
    whole_year = obs[(obs["period"] == "Y") & (obs["breakdown"] == "") & (obs["year"] == p["base"])]
    base = whole_year.set_index(["indicator_id", "scope_code"])["value"]
    frames = []
    for ind in reference.indicator_ids():
        how = fiveyear.measure(ind)
        if how is None:
            continue
        low, high = (12.0, 20.0) if how == "fall" else (4.0, 12.0)
        target = dict(zip(leaves, rng.uniform(low, high, len(leaves)).round(1), strict=True))
        weight = base.loc[decomposition.base_total(ind)].reindex(leaves).fillna(0.0)
        for s in scopes:
            if s["kind"] in LEAF_KINDS:
                continue
            members = reference.leaves_of(s["code"])
            w = weight[members].to_numpy()
            t = np.array([target[m] for m in members]) / 100
            if how == "fall":  # rounded down: the 街镇 reach at least this
                reached = 1 - (w * (1 - t)).sum() / w.sum()
                target[s["code"]] = np.floor(reached * 1000) / 10
            else:  # rounded up: the 街镇's allowances stay within this
                reached = (w * (1 + t)).sum() / w.sum() - 1
                target[s["code"]] = np.ceil(reached * 1000) / 10
        frames.append(
            pd.DataFrame(
                {
                    "plan_id": PLAN,
                    "indicator_id": ind,
                    "scope_code": list(target),
                    "target_value": [float(v) for v in target.values()],
                }
            )
        )
    return pd.concat(frames, ignore_index=True).assign(source=SOURCE, is_demo=False)


def make_database(out: Path, scopes_file: Path, size: str, rng: np.random.Generator) -> dict:
    """`init --empty` with the benchmark scopes, then bulk-insert the synthetic tables."""
    db_file = out / "city.duckdb"
    for leftover in (db_file, Path(str(db_file) + ".wal")):
        leftover.unlink(missing_ok=True)
    env = {**os.environ, "LOWCARBON_DB": str(db_file), "LOWCARBON_SCOPES": str(scopes_file)}
    subprocess.run(
        [sys.executable, "-m", "indicators", "init", "--empty"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    scopes = yaml.safe_load(scopes_file.read_text(encoding="utf-8"))["scopes"]
    parts = [s["code"] for s in scopes if s["kind"] in LEAF_KINDS]
    spec = SIZES[size]
    obs = observations(scopes, rng)
    projects = funded_projects(parts, spec["projects"], rng)
    pv = pv_installations(parts, spec["pv"], rng)
    tgt, plans = targets(scopes, obs, projects, pv, rng)
    tables = {
        "observations": obs,
        "funded_projects": projects,
        "pv_installations": pv,
        "budget_lines": budget_lines(rng),
        "targets": tgt,
        "target_plans": plans,
        "plan_targets": plan_targets(scopes, obs),
    }
    keys = {
        "observations": ["scope_code", "indicator_id", "breakdown", "year", "period"],
        "budget_lines": ["year", "item"],
        "targets": ["indicator_id", "scope_code", "year"],
        "target_plans": ["indicator_id", "scope_code", "year", "period"],
        "plan_targets": ["plan_id", "indicator_id", "scope_code"],
    }
    counts = {}
    con = duckdb.connect(str(db_file))
    try:
        con.execute("begin transaction")
        (batch_id,) = con.execute(
            "insert into load_batches (batch_id, kind, editor, row_count, note) "
            "select coalesce(max(batch_id), 0) + 1, 'builtin', 'bench', ?, ? from load_batches "
            "returning batch_id",
            [sum(len(f) for f in tables.values()), SOURCE],
        ).fetchall()[0]
        for table, frame in tables.items():
            con.register("_frame", frame.assign(batch_id=batch_id))
            # The seed figures already loaded by init --empty win over synthetic rows.
            keep = ""
            if table in keys:
                on = " and ".join(f"t.{k} = f.{k}" for k in keys[table])
                keep = f" where not exists (select 1 from {table} t where {on})"
            con.execute(f"insert into {table} by name select * from _frame f{keep}")
            con.unregister("_frame")
            counts[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        con.execute(
            "update meta set value = (value::integer + 1)::varchar where key = 'data_version'"
        )
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()
    # The bulk insert went round the app's writes: `migrate` is one, and recomputes the
    # mart the pages read (indicator_mart) from everything just inserted.
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "indicators", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    counts["mart_refresh_s"] = round(time.perf_counter() - started, 2)
    return counts


# -- the observations upload for the load benchmark -------------------------------------------


def load_csv(
    path: Path, scopes: list[dict], n_rows: int, rng: np.random.Generator
) -> tuple[int, list[dict]]:
    """A valid observations upload of `n_rows` distinct keys. There are not a million
    distinct keys in 15 years, so the file walks the years an upload may hold (2000 to
    next year), with every period code for every reported indicator. Keys the seed
    figures hold are left out so the file loads into a fresh `init --empty` database
    without conflicts. When the city's scopes hold too few keys in those years (a million
    rows need about 530 街镇), synthetic 街镇 (基准第N街道) are added for this file alone;
    the scopes it was made for are returned and written beside it (load_scopes.yaml)."""
    from indicators import reference
    from indicators.builtin import datasets
    from indicators.intake.model import declaration

    decl = declaration()
    periods = ["Y", *QUARTER_SHARE, *[f"M{m:02d}" for m in range(1, 13)]]
    reported = [i for i in reference.catalogue() if i["formula"] == "reported"]
    per_scope = (
        sum(len(i["breakdowns"]) or 1 for i in reported if i["street_values"] != "none")
        * len(periods)
        * (len(LOAD_YEARS) - 1)
    )  # a year's room for the seed keys left out
    scopes = list(scopes)
    for k in range(1, -(-n_rows // per_scope) - len(scopes) + 2):
        scopes.insert(
            -1,
            {
                "code": f"load_s{k:03d}",
                "name_zh": f"基准第{k}街道",
                "name_en": f"Benchmark Subdistrict {k}",
                "kind": "street",
                "focus": False,
                "aliases": [],
            },
        )
    codes = [s["code"] for s in scopes]
    names = {s["code"]: s["name_zh"] for s in scopes}
    combos = []  # (scope, indicator name, breakdown, unit word)
    for ind in reported:
        unit_word = next(iter(decl["units"][ind["unit"]]))
        for b in [b["code"] for b in ind["breakdowns"]] or [""]:
            for code in ["district"] if ind["street_values"] == "none" else codes:
                combos.append((code, ind["id"], ind["name_zh"], b, unit_word))
    per_year = len(combos) * len(periods)
    n_years = -(-n_rows // per_year) + 1  # with a year's room for the seed keys left out
    combo = pd.DataFrame(combos, columns=["scope_code", "indicator_id", "指标", "分项", "单位"])
    grid = combo.merge(pd.DataFrame({"期间": periods}), how="cross").merge(
        pd.DataFrame({"年份": list(LOAD_YEARS)[:n_years]}), how="cross"
    )
    grid = grid.sort_values(["年份"], kind="stable", ignore_index=True)
    seed = datasets.seed_observations()
    seed_keys = set(
        zip(
            seed["scope_code"],
            seed["indicator_id"],
            seed["breakdown"],
            seed["year"],
            seed["period"],
            strict=True,
        )
    )
    is_seed = [
        k in seed_keys
        for k in zip(
            grid["scope_code"],
            grid["indicator_id"],
            grid["分项"],
            grid["年份"],
            grid["期间"],
            strict=True,
        )
    ]
    grid = grid[~np.array(is_seed)].head(n_rows).reset_index(drop=True)
    n = len(grid)
    counts = grid["单位"].isin(["个", "项", "item", "count"])
    value = np.where(counts, rng.integers(0, 20, n), np.round(rng.lognormal(np.log(5e4), 1, n), 2))
    frame = pd.DataFrame(
        {
            "街镇": grid["scope_code"].map(names),
            "年份": grid["年份"],
            "期间": grid["期间"],
            "指标": grid["指标"],
            "分项": grid["分项"],
            "数值": value,
            "单位": grid["单位"],
            "来源": "合成基准数据",
            "状态": np.where(grid["年份"] % 2 == 0, "正式", "初步"),
            "截至日期": (grid["年份"].astype(str) + "-12-31"),
            "备注": "",
        }
    )
    frame.to_csv(path, index=False, encoding="utf-8")
    return n, scopes


# -- hourly meter readings ----------------------------------------------------------------


def generate_readings(out_dir: Path, size: str) -> dict:
    """Hourly meter readings as Parquet, one file per month, under out_dir/readings/.

    Columns: building_id (B000123), building (name), scope (the 街镇's name_zh), hour
    (naive local timestamp on the hour), energy_type ('electricity' for every building,
    plus 'natural_gas' for ~1 in 7 of them), quantity (float64 >= 0), unit ('kWh' / 'm3').
    Full: 10,000 buildings over the 12 months of 2025 (~100M rows: 1.14 meters per
    building); small: 200 buildings over 6 months (~1M rows). Quantities are hash-based
    pseudo-random numbers with a daily and weekly profile, made by DuckDB's SQL and written
    with COPY, so generation is fast and memory-light. Every month of the first buildings,
    about `subset_rows` readings, form the subset for the pandas comparison (see manifest).
    """
    spec = SIZES[size]
    folder = out_dir / "readings"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    scopes = yaml.safe_load((out_dir / "scopes.yaml").read_text(encoding="utf-8"))["scopes"]
    parts = [s["name_zh"] for s in scopes if s["kind"] in LEAF_KINDS]
    con = duckdb.connect()
    con.execute(f"set threads = {os.cpu_count() or 2}")
    con.register("_scopes", pd.DataFrame({"i": range(len(parts)), "scope": parts}))
    con.execute(
        f"""
        create table buildings as
        select
            'B' || lpad(b::varchar, 6, '0') as building_id,
            s.scope || '合成楼宇' || b as building,
            s.scope,
            -- mean electric load in kW: 20-520, fixed per building
            20 + (hash(b, 'kw') % 500) as base_kw,
            hash(b, 'gas') % 7 = 0 as has_gas
        from range(1, {spec["buildings"]} + 1) t(b)
        join _scopes s on s.i = b % {len(parts)}
        """
    )
    files, rows = [], []
    months = pd.date_range("2025-01-01", periods=spec["reading_months"], freq="MS")
    for month in months:
        end = month + pd.offsets.MonthBegin(1)
        target = folder / f"readings_{month:%Y_%m}.parquet"
        con.execute(
            f"""
            copy (
                with hours as (
                    select h as hour from range(
                        timestamp '{month:%Y-%m-%d}', timestamp '{end:%Y-%m-%d}', interval 1 hour
                    ) t(h)
                ),
                meters as (
                    select *, 'electricity' as energy_type, 'kWh' as unit from buildings
                    union all
                    select *, 'natural_gas', 'm3' from buildings where has_gas
                )
                select
                    m.building_id, m.building, m.scope, h.hour, m.energy_type,
                    -- daily profile (working hours higher), weekends lower, +-30% noise
                    round(m.base_kw
                        * (case when m.energy_type = 'natural_gas' then 0.08 else 1 end)
                        * (case when hour(h.hour) between 8 and 19 then 1.0 else 0.45 end)
                        * (case when dayofweek(h.hour) in (0, 6) then 0.7 else 1.0 end)
                        * (0.7 + (hash(m.building_id, m.energy_type, h.hour) % 6000) / 10000.0),
                        3)::double as quantity,
                    m.unit
                from meters m cross join hours h
                order by m.scope, m.building_id, h.hour
            ) to '{target}' (format parquet, compression zstd, row_group_size 1000000)
            """
        )
        files.append(target.name)
        rows.append(con.execute(f"select count(*) from '{target}'").fetchall()[0][0])
    # The subset: every month of the first buildings, about subset_rows readings in all
    # (the whole set when it is smaller), one file a month under readings/subset/.
    total = int(sum(rows))
    share = min(spec["subset_rows"] / total, 1.0)
    n_sub = max(1, round(spec["buildings"] * share))
    last = f"B{n_sub:06d}"
    (folder / "subset").mkdir()
    subset, subset_rows = [], 0
    for name in files:
        target = folder / "subset" / name
        con.execute(
            f"copy (select * from '{folder / name}' where building_id <= '{last}') "
            f"to '{target}' (format parquet, compression zstd, row_group_size 1000000)"
        )
        subset.append(f"subset/{name}")
        subset_rows += con.execute(f"select count(*) from '{target}'").fetchall()[0][0]
    con.close()
    return {
        "buildings": spec["buildings"],
        "files": files,
        "rows_per_file": rows,
        "rows": total,
        "subset_buildings": n_sub,
        "subset_files": subset,
        "subset_rows": int(subset_rows),
    }


# -- main ---------------------------------------------------------------------------------


def generate(size: str, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    scopes = make_scopes(size)
    scopes_file = out / "scopes.yaml"
    write_scopes(scopes_file, scopes)
    os.environ["LOWCARBON_SCOPES"] = str(scopes_file)  # for indicators.reference here
    manifest: dict = {"size": size, "seed": SEED, "scopes": len(scopes), "timings_s": {}}
    started = time.perf_counter()
    manifest["tables"] = make_database(out, scopes_file, size, rng)
    manifest["timings_s"]["database"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    manifest["load_csv_rows"], load_scopes = load_csv(
        out / "observations.csv", scopes, SIZES[size]["load_rows"], rng
    )
    write_scopes(out / "load_scopes.yaml", load_scopes)
    manifest["load_scopes"] = len(load_scopes)
    manifest["timings_s"]["load_csv"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    manifest["readings"] = generate_readings(out, size)
    manifest["timings_s"]["readings"] = round(time.perf_counter() - started, 1)
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def current(manifest: Path) -> bool:
    """Whether a dataset was made by this generator's present shape: one made before the
    load file had its own scopes (load_scopes.yaml) or before the 十五五 plan targets (the
    晴雨表 shows nothing without them) is remade."""
    if not manifest.exists():
        return False
    made = json.loads(manifest.read_text(encoding="utf-8"))
    return "load_scopes" in made and "plan_targets" in made.get("tables", {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--out", type=Path, help="default: bench/data/<size>/")
    parser.add_argument("--force", action="store_true", help="regenerate if present")
    args = parser.parse_args()
    out = args.out or out_dir_for(args.size)
    made = out / "manifest.json"
    if current(made) and not args.force:
        print(f"{out} is already generated (--force to regenerate)")
        return
    manifest = generate(args.size, out)
    print(json.dumps(manifest, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
