"""A write recomputes only the mart rows it touched, and the mart it leaves is the one a
full rebuild would make, after any loads and rollbacks."""

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from indicators import reference
from indicators.intake import loading
from indicators.store import mart
from tests.conftest import query
from tests.intake_files import load_rows


def _inputs(*rows):
    return pd.DataFrame(rows, columns=["input", "year"]).astype({"year": "Int64"})


def _pairs(frame):
    return {(i, None if pd.isna(y) else int(y)) for i, y in frame.itertuples(index=False)}


def test_a_reported_figure_touches_its_year_and_what_is_derived_from_it():
    touched = _pairs(mart.affected(_inputs(("gdp", 2024)), reference.catalogue()))
    assert ("gdp", 2024) in touched and ("gdp", 2025) not in touched
    # energy and CO2 per GDP that year; their falls that year and the next (on the year before)
    assert {("energy_per_gdp", 2024), ("co2_per_gdp", 2024)} <= touched
    assert {("energy_per_gdp_change", 2025), ("co2_per_gdp_change", 2025)} <= touched
    assert not any(i.startswith(("pv_", "funded_", "building")) for i, _ in touched)


def test_a_register_touches_every_year_of_what_comes_from_it_and_unknowns_rebuild_all():
    cat = reference.catalogue()
    touched = _pairs(mart.affected(_inputs(("pv_installations", None)), cat))
    assert touched == {("pv_new", None), ("pv_capacity", None)}
    budget = _pairs(mart.affected(_inputs(("budget_lines", None)), cat))
    assert budget == {("lowcarbon_budget", None), ("budget_growth", None)}
    assert mart.affected(_inputs(("gdp", 2024), ("*", None)), cat) is None
    assert mart.affected(_inputs(), cat).empty  # targets, boundaries: nothing to recompute


STREETS = ["虹桥", "新泾镇", "北新泾", "天山路"]
OBSERVED = ["gdp", "energy_total", "co2_total", "lowcarbon_communities", "funded_projects"]

operation = hs.one_of(
    hs.tuples(
        hs.just("obs"),
        hs.sampled_from(STREETS + ["全区"]),
        hs.integers(2019, 2026),
        hs.sampled_from(OBSERVED),
        hs.integers(1, 5000),
    ),
    hs.tuples(
        hs.just("project"),
        hs.integers(1, 4),
        hs.sampled_from(STREETS),
        hs.integers(2020, 2026),
        hs.integers(1, 900),
    ),
    hs.tuples(
        hs.just("pv"),
        hs.integers(1, 4),
        hs.sampled_from(STREETS),
        hs.integers(1, 800),
        hs.integers(1, 12),
    ),
    hs.tuples(hs.just("budget"), hs.integers(2022, 2026), hs.integers(100, 9000)),
    hs.tuples(hs.just("rollback"), hs.integers(0, 20)),
)


def _apply(op, loaded: list[int]) -> None:
    kind, *args = op
    if kind == "obs":
        street, year, indicator, value = args
        rows = [["街镇", "年份", "指标", "数值"], [street, year, indicator, value]]
    elif kind == "project":
        n, street, year, amount = args
        rows = [
            ["项目编号", "项目名称", "所属街镇", "年份", "支持金额（万元）"],
            [f"T-{n}", f"测试项目{n}", street, year, amount],
        ]
    elif kind == "pv":
        n, street, kw, month = args
        rows = [
            ["站点编号", "站点名称", "所在街镇", "装机容量（千瓦）", "并网日期"],
            [f"S-{n}", f"测试站点{n}", street, kw, f"2025-{month:02d}-15"],
        ]
    elif kind == "budget":
        year, amount = args
        rows = [["年份", "项目", "金额"], [year, "节能专项", amount]]
    else:
        if loaded:
            try:
                loading.rollback(loaded[args[0] % len(loaded)], "test")
            except loading.RollbackRefused:
                pass
        return
    loaded.append(load_rows(rows, "test", replace=True))


KEY = ["scope_code", "indicator_id", "breakdown", "year", "period"]


def _mart_differs(path: Path) -> list:
    """How the kept mart differs from a rebuild from the views: rows only in one of them,
    or a column that differs (sums to within float rounding, which a parallel sum varies)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        kept = con.execute("select * from indicator_mart").df().set_index(KEY).sort_index()
        rebuilt = con.execute("select * from indicator_values").df().set_index(KEY).sort_index()
    finally:
        con.close()
    if not kept.index.equals(rebuilt.index):
        return [("rows", kept.index.symmetric_difference(rebuilt.index)[:5].tolist())]
    problems = []
    for column in kept.columns:
        a, b = kept[column], rebuilt[column]
        if column in ("value", "derived_value"):
            same = (a - b).abs().le(1e-9 * b.abs().clip(lower=1)) | (a.isna() & b.isna())
        else:
            same = (a == b).fillna(False) | (a.isna() & b.isna())
        if not same.all():
            problems.append((column, a[~same].head(3).to_dict(), b[~same].head(3).to_dict()))
    return problems


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=hs.lists(operation, min_size=1, max_size=6))
def test_the_kept_mart_equals_a_full_rebuild_after_random_loads_and_rollbacks(builtin_db, ops):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "work.duckdb"
        shutil.copy(builtin_db, path)
        old = os.environ["LOWCARBON_DB"]
        os.environ["LOWCARBON_DB"] = str(path)
        try:
            loaded: list[int] = []
            for op in ops:
                _apply(op, loaded)
                assert _mart_differs(path) == [], op
        finally:
            os.environ["LOWCARBON_DB"] = old


def test_a_load_recomputes_only_what_it_touched(work_db, monkeypatch):
    """The proof that the mart is not rebuilt whole: a row of another indicator, changed
    behind the app's back, stays as it was after a GDP load."""
    from indicators.store import db

    db.write(
        lambda con: con.execute(
            "update indicator_mart set value = -1 where indicator_id = 'pv_new'"
        ),
        mart=False,
    )
    load_rows([["街镇", "年份", "指标", "数值"], ["虹桥", 2025, "gdp", 123]])
    assert query(work_db, "select count(*) from indicator_mart where value = -1")[0][0] > 0
    (value,) = query(
        work_db,
        "select value from indicator_mart where scope_code = 'hongqiao' "
        "and indicator_id = 'gdp' and year = 2025 and period = 'Y'",
    )[0]
    assert value == pytest.approx(123)
