"""目标分解: the 街镇's and departments' shares against the targets they split — known
answers on a few inline rows, then `targets check` on a database."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import decomposition, reference
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


def _check(targets, departments=NO_DEPARTMENTS, weights=NO_WEIGHTS):
    return decomposition.check(targets, departments, weights)


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
    lines = found.stdout.strip().splitlines()
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
