"""目标分解: the 街镇's and departments' shares against the targets they split — known
answers on a few inline rows, then `targets check` on a database."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import reference
from indicators.domain import decomposition, plans
from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_load import cli

STREETS = reference.leaves()
FOCUS = reference.leaves_of("focus")


def _targets(indicator: str, shares: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [(indicator, scope, value) for scope, value in shares.items()],
        columns=["indicator_id", "scope_code", "target_value"],
    )


NO_DEPARTMENTS = pd.DataFrame(columns=["indicator_id", "department", "target_value"])
NO_WEIGHTS = pd.DataFrame(columns=["scope_code", "weight"])


def _check(targets, departments=NO_DEPARTMENTS, weights=NO_WEIGHTS, year_plans=None):
    return decomposition.check(targets, departments, weights, year_plans)


def test_additive_shares_must_reach_a_higher_is_better_target():
    even = dict.fromkeys(STREETS, 100.0)
    assert _check(_targets("pv_new", {**even, "district": 1000.0})).empty
    short = _check(_targets("pv_new", {**even, "district": 1000.5}))
    assert short[["scope_code", "key", "target", "result"]].values.tolist() == [
        ["district", "sum_short", 1000.5, 1000.0]
    ]
    # more than the whole is fine where more is better
    assert _check(_targets("pv_new", {**even, "district": 900.0})).empty


def test_caps_on_a_lower_is_better_indicator_must_not_add_up_to_more():
    caps = dict.fromkeys(STREETS, 100.0)
    over = _check(_targets("energy_total", {**caps, "district": 999.0}))
    assert over["key"].tolist() == ["sum_over"]
    assert _check(_targets("energy_total", {**caps, "district": 1000.0})).empty


def test_a_group_is_checked_against_its_own_members():
    four = dict.fromkeys(FOCUS, 50.0)
    found = _check(_targets("pv_new", {**four, "focus": 250.0}))
    assert found[["scope_code", "key", "result"]].values.tolist() == [["focus", "sum_short", 200.0]]


def test_a_split_that_leaves_streets_out_names_them():
    shares = dict.fromkeys(STREETS[:-2], 100.0)
    found = _check(_targets("pv_new", {**shares, "district": 800.0}))
    assert found["key"].tolist() == ["parts_missing"]
    assert found["names"].iloc[0] == tuple(STREETS[-2:])
    assert _check(_targets("pv_new", {"district": 800.0})).empty  # not split: nothing to add


def test_intensity_targets_are_weighted_by_gdp():
    # two big 街镇 at 4% and eight small at 2%: GDP-weighted 3.33%, not the plain mean 2.4%
    rates = {s: (4.0 if i < 2 else 2.0) for i, s in enumerate(STREETS)}
    weights = pd.DataFrame(
        {"scope_code": STREETS, "weight": [400.0, 400.0] + [50.0] * 8}
    )  # fmt: skip
    ok = _check(_targets("energy_per_gdp_change", {**rates, "district": 3.3}), weights=weights)
    assert ok.empty
    short = _check(_targets("energy_per_gdp_change", {**rates, "district": 3.4}), weights=weights)
    assert short["key"].tolist() == ["weighted_short"]
    assert short["result"].iloc[0] == pytest.approx((800 * 4 + 400 * 2) / 1200)
    # lower is better: energy per GDP weighted above the district's is over
    levels = dict.fromkeys(STREETS, 0.2)
    over = _check(_targets("energy_per_gdp", {**levels, "district": 0.19}), weights=weights)
    assert over["key"].tolist() == ["weighted_over"]
    missing = _check(
        _targets("energy_per_gdp", {**levels, "district": 0.3}), weights=weights.iloc[1:]
    )
    assert missing["key"].tolist() == ["no_weight"] and missing["names"].iloc[0] == (STREETS[0],)


def test_departments_shares_add_up_to_the_district_target():
    parts = pd.DataFrame(
        [("pv_new", "fgw", 600.0), ("pv_new", "swj", 300.0)],
        columns=["indicator_id", "department", "target_value"],
    )
    assert _check(_targets("pv_new", {"district": 900.0}), parts).empty
    short = _check(_targets("pv_new", {"district": 1000.0}), parts)
    assert short[["key", "result"]].values.tolist() == [["departments_short", 900.0]]
    lonely = _check(_targets("gdp", {"district": 1.0}), parts)
    assert lonely["key"].tolist() == ["departments_no_target"]


def test_lines_say_what_does_not_add_up_in_either_language():
    even = dict.fromkeys(STREETS, 100.0)
    found = _check(_targets("pv_new", {**even, "district": 1500.0}))
    (zh,) = decomposition.lines(found, 2026, "zh")
    assert "光伏新增装机容量" in zh and "1,000" in zh and "1,500" in zh and "全区" in zh
    (en,) = decomposition.lines(found, 2026, "en")
    assert "short" in en and "1,500" in en


def test_targets_check_exits_0_when_consistent_and_1_with_a_line_per_problem(work_db, tmp_path):
    (year,) = query(work_db, "select max(year) from targets")[0]
    done = cli("targets", "check", "--year", str(year))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "一致" in done.stdout
    # one 街镇's PV share cut: the ten no longer reach the district's target
    (value,) = query(
        work_db,
        f"select target_value from targets where indicator_id = 'pv_new' and year = {year} "
        "and scope_code = 'hongqiao'",
    )[0]
    path = tmp_path / "cut.csv"
    rows = [["指标", "街镇", "年份", "目标值"], ["pv_new", "虹桥", year, value - 10]]
    path.write_bytes(csv_bytes(rows))
    assert cli("load", str(path), "--replace").returncode == 0
    departments = tmp_path / "departments.csv"
    departments.write_bytes(
        csv_bytes([["责任部门", "指标", "年份", "目标值"], ["区发改委", "pv_new", year, 1]])
    )
    assert cli("load", str(departments)).returncode == 0
    found = cli("targets", "check", "--year", str(year), "--lang", "en")
    assert found.returncode == 1
    *lines, plan = found.stdout.strip().splitlines()  # the plan's targets: their own line
    assert "15th Five-Year Plan targets are consistent" in plan
    # 虹桥 is one of the four: their group's target and the district's are both short
    assert len(lines) == 4 and "3 problems" in lines[0]
    assert sum("subdistricts' targets add up" in line for line in lines[1:]) == 2
    assert any("departments' shares" in line for line in lines[1:])


def test_only_district_editors_set_district_and_department_targets(editors, tmp_path):
    (year,) = query(editors, "select max(year) from targets")[0]
    district = tmp_path / "district.csv"
    district.write_bytes(
        csv_bytes([["指标", "街镇", "年份", "目标值"], ["pv_new", "全区", year, 1]])
    )
    departments = tmp_path / "departments.csv"
    departments.write_bytes(
        csv_bytes([["责任部门", "指标", "年份", "目标值"], ["区发改委", "pv_new", year, 1]])
    )
    for path in (district, departments):
        refused = cli("load", str(path), "--editor", "hq", "--replace")
        assert refused.returncode == 2, refused.stdout
    assert query(editors, "select count(*) from department_targets") == [(0,)]
    assert cli("load", str(departments), "--editor", "boss").returncode == 0


# -- 序时计划: plans to date against the annual targets they phase ------------------------

TARGET_COLUMNS = ["indicator_id", "scope_code", "year", "target_value", "kind"]
PLAN_COLUMNS = ["indicator_id", "scope_code", "year", "period", "plan_value"]


def _plan(values: dict[str, float], indicator="pv_new", scope="hongqiao") -> pd.DataFrame:
    return pd.DataFrame(
        [(indicator, scope, 2026, p, v) for p, v in values.items()], columns=PLAN_COLUMNS
    )


def _annual(value: float, kind="cumulative", indicator="pv_new", scope="hongqiao"):
    return pd.DataFrame([(indicator, scope, 2026, value, kind)], columns=TARGET_COLUMNS)


def _misfits(target, plan):
    found = plans.misfits(target, plan)
    return found[["key", "period", "plan_value", "against", "against_period"]].values.tolist()


def test_a_plan_that_phases_its_target_fits():
    quarters = {"Q1": 15.0, "Q2": 40.0, "Q3": 70.0, "Q4": 100.0}
    assert plans.misfits(_annual(100.0), _plan(quarters)).empty
    # a plan without its year end, and months beside quarters (M03 is Q1's point in time)
    assert plans.misfits(_annual(100.0), _plan({"M03": 16.0, "Q1": 15.0, "M05": 30.0})).empty
    # 0.1 + 0.2 is 0.3: a year end within rounding is the target
    assert plans.misfits(_annual(0.3), _plan({"Q4": 0.1 + 0.2})).empty


def test_a_year_end_plan_that_is_not_the_annual_target_is_named():
    assert _misfits(_annual(100.0), _plan({"Q3": 70.0, "Q4": 120.0})) == [
        ["plan_year_end", "Q4", 120.0, 100.0, None]
    ]
    # short of the target is as wrong as beyond it: the year end is the target
    assert _misfits(_annual(100.0), _plan({"M12": 90.0})) == [
        ["plan_year_end", "M12", 90.0, 100.0, None]
    ]


def test_a_plan_beyond_its_target_before_the_year_end_is_named_once():
    # Q3 beyond the target is also above Q4: one problem, said once
    assert _misfits(_annual(100.0), _plan({"Q3": 110.0, "Q4": 100.0})) == [
        ["plan_beyond", "Q3", 110.0, 100.0, None]
    ]
    # a cap where lower is better: a year-to-date plan above the year's cap is beyond it too
    cap = _annual(1000.0, indicator="energy_total")
    found = _misfits(cap, _plan({"Q2": 1200.0}, indicator="energy_total"))
    assert found == [["plan_beyond", "Q2", 1200.0, 1000.0, None]]


def test_a_year_to_date_plan_that_falls_back_names_both_periods():
    found = _misfits(_annual(100.0), _plan({"Q1": 15.0, "Q2": 60.0, "Q3": 50.0, "Q4": 100.0}))
    assert found == [["plan_falls", "Q2", 60.0, 50.0, "Q3"]]
    # the year end first, then the fall, in period order
    found = _misfits(_annual(100.0), _plan({"Q1": 30.0, "Q2": 20.0, "Q4": 90.0}))
    assert [f[0] for f in found] == ["plan_year_end", "plan_falls"]


def test_a_plan_with_no_target_or_of_a_level_target_is_not_used():
    two_years = pd.concat([_plan({"Q1": 5.0, "Q2": 9.0}), _plan({"Q1": 1.0}, scope="xinjing")])
    found = plans.misfits(_annual(100.0), two_years)
    assert found[["scope_code", "key"]].values.tolist() == [["xinjing", "plan_no_target"]]
    rate = _annual(3.0, kind="rate", indicator="energy_per_gdp_change")
    found = plans.misfits(rate, _plan({"Q1": 9.0, "Q2": 1.0}, indicator="energy_per_gdp_change"))
    assert found["key"].tolist() == ["plan_not_used"]  # once, not per period


def test_targets_check_names_each_plan_misfit_in_either_language():
    target = _annual(100.0)
    found = _check(
        target[["indicator_id", "scope_code", "target_value", "year", "kind"]],
        year_plans=_plan({"Q2": 60.0, "Q3": 50.0, "Q4": 120.0}),
    )
    assert found["key"].tolist() == ["plan_year_end", "plan_falls"]
    zh = decomposition.lines(found, 2026, "zh")
    assert zh == [
        "光伏新增装机容量（2026年，虹桥街道）：序时计划与年度目标不符，"
        "四季度末计划 120千瓦，年度目标 100千瓦。",
        "光伏新增装机容量（2026年，虹桥街道）：序时计划与年度目标不符，"
        "二季度末计划 60千瓦 高于三季度末计划 50千瓦。",
    ]
    en = decomposition.lines(found, 2026, "en")
    assert "the plan to the end of Q4 is 120 kW, the annual target 100 kW" in en[0]
    assert "the plan to the end of Q2, 60 kW, is above the plan to the end of Q3, 50 kW" in en[1]
    month = decomposition.plan_detail("plan_beyond", "M09", 110.0, 100.0, None, "kw", "zh")
    assert month == "9月末计划 110千瓦 超过年度目标 100千瓦"


FOLLOW_TARGETS = ["indicator_id", "scope_code", "year", "target_value", "batch_id"]


def _stored(target: float, batch: int, plan: dict[str, float], plan_batch: int):
    stored = pd.DataFrame([("pv_new", "hongqiao", 2026, target, batch)], columns=FOLLOW_TARGETS)
    return stored, _plan(plan).assign(batch_id=plan_batch)


def _incoming(target: float, row: int = 7) -> pd.DataFrame:
    return _annual(target).drop(columns=["kind"]).set_axis([row])


NO_PLANS = pd.DataFrame(columns=["indicator_id", "scope_code", "year", "period"])


def _moved(incoming, stored, given=NO_PLANS) -> dict[str, float]:
    out = plans.follow_targets(incoming, given, *stored)
    return dict(zip(out["period"], out["plan_value"], strict=True))


def test_a_plan_set_against_the_old_target_keeps_its_shape():
    # loaded on its own, but ending at the old target: it phases that target
    stored = _stored(3000.0, 1, {"Q1": 450.0, "Q3": 2100.0, "Q4": 3000.0}, plan_batch=2)
    out = plans.follow_targets(_incoming(3600.0), NO_PLANS, *stored)
    assert dict(zip(out["period"], out["plan_value"], strict=True)) == {
        "Q1": 540.0,
        "Q3": 2520.0,
        "Q4": 3600.0,
    }
    assert set(out.index) == {7}  # each moved value belongs to the target row that moved it
    # loaded with the old target, with no year end: it was set against it
    with_it = _stored(3000.0, 4, {"Q2": 1200.0}, plan_batch=4)
    assert _moved(_incoming(2400.0), with_it) == {"Q2": 960.0}


def test_a_plan_set_on_its_own_stays_and_values_written_with_the_target_are_as_written():
    own = _stored(3000.0, 1, {"Q2": 1200.0, "Q3": 2000.0}, plan_batch=2)
    assert _moved(_incoming(3600.0), own) == {}
    # the upload sets Q3 itself: the rest of the plan follows the target, Q3 is as written
    stored = _stored(3000.0, 1, {"Q2": 1200.0, "Q3": 2100.0, "Q4": 3000.0}, plan_batch=1)
    given = pd.DataFrame([("pv_new", "hongqiao", 2026, "Q3")], columns=NO_PLANS.columns)
    assert _moved(_incoming(3600.0), stored, given) == {"Q2": 1440.0, "Q4": 3600.0}


def test_an_unchanged_or_zero_target_moves_nothing():
    stored = _stored(3000.0, 1, {"Q4": 3000.0}, plan_batch=1)
    assert _moved(_incoming(3000.0), stored) == {}
    assert _moved(_incoming(3000.0 * (1 + 1e-12)), stored) == {}  # within rounding
    zero = _stored(0.0, 1, {"Q4": 0.0}, plan_batch=1)
    assert _moved(_incoming(500.0), zero) == {}  # no ratio to scale by
    # a new target (none stored) has no plan to move
    assert _moved(_incoming(500.0).assign(scope_code="xinjing"), stored) == {}


def _plan_of(path, scope: str, year: int) -> dict[str, float]:
    rows = query(
        path,
        "select period, plan_value from target_plans where indicator_id = 'pv_new' "
        f"and scope_code = '{scope}' and year = {year}",
    )
    return dict(rows)


def test_a_changed_target_moves_its_plan_and_a_rollback_moves_it_back(work_db, tmp_path):
    (year,) = query(work_db, "select max(year) from target_plans")[0]
    before = _plan_of(work_db, "hongqiao", year)
    (target,) = query(
        work_db,
        f"select target_value from targets where indicator_id = 'pv_new' and year = {year} "
        "and scope_code = 'hongqiao'",
    )[0]
    assert before and before["Q4"] == target  # the built-in plan phases its target
    path = tmp_path / "raise.csv"
    path.write_bytes(
        csv_bytes([["指标", "街镇", "年份", "目标值"], ["pv_new", "虹桥", year, 2 * target]])
    )
    assert cli("load", str(path)).returncode == 0, "an illustrative target is replaced at once"
    after = _plan_of(work_db, "hongqiao", year)
    assert after == pytest.approx({p: 2 * v for p, v in before.items()})
    assert cli("targets", "check", "--year", str(year)).returncode == 0
    # a figure of the district's own: changing it is a conflict, and nothing moves until replaced
    path.write_bytes(
        csv_bytes([["指标", "街镇", "年份", "目标值"], ["pv_new", "虹桥", year, target]])
    )
    conflict = cli("load", str(path))
    assert conflict.returncode == 3 and _plan_of(work_db, "hongqiao", year) == after
    (batch,) = query(work_db, "select max(batch_id) from load_batches")[0]
    assert cli("load", str(path), "--replace").returncode == 0
    assert _plan_of(work_db, "hongqiao", year) == pytest.approx(before)
    assert cli("rollback", str(batch + 1)).returncode == 0
    assert _plan_of(work_db, "hongqiao", year) == pytest.approx(after)


def test_targets_check_exits_1_with_a_line_per_plan_that_no_longer_fits(work_db, tmp_path):
    (year,) = query(work_db, "select max(year) from target_plans")[0]
    (target,) = query(
        work_db,
        f"select target_value from targets where indicator_id = 'pv_new' and year = {year} "
        "and scope_code = 'beixinjing'",
    )[0]
    # a plan set by hand, on its own: its year end above the target, Q2 above Q3
    path = tmp_path / "plan.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["指标", "街镇", "年份", "期间", "目标值"],
                ["pv_new", "北新泾", year, "Q2", target * 0.8],
                ["pv_new", "北新泾", year, "Q3", target * 0.7],
                ["pv_new", "北新泾", year, "Q4", target + 100],
            ]
        )
    )
    assert cli("load", str(path), "--replace").returncode == 0
    found = cli("targets", "check", "--year", str(year))
    assert found.returncode == 1, found.stdout + found.stderr
    *lines, plan = found.stdout.strip().splitlines()  # the plan's targets: their own line
    assert "十五五规划目标分解一致" in plan
    assert len(lines) == 3 and "2 处问题" in lines[0]
    assert all("北新泾街道" in line and "序时计划与年度目标不符" in line for line in lines[1:])
    assert "四季度末计划" in lines[1] and "二季度末计划" in lines[2] and "三季度末计划" in lines[2]
    english = cli("targets", "check", "--year", str(year), "--lang", "en")
    assert english.returncode == 1 and "the plan to the end of Q4" in english.stdout
