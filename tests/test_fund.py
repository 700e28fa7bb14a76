"""What the special fund bought (issue 26): known answers for the sums, cost per tce, the
need and the share of it, projects without outcomes, a PV project's kW, and the command
line's pinned columns."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.domain import fund

NAN = math.nan


def _projects(rows: list[dict]) -> pd.DataFrame:
    default = {
        "project_id": "P",
        "name": "某项目",
        "scope_code": "hongqiao",
        "category": "建筑节能",
        "amount_10k_yuan": NAN,
        "year": 2026,
        "saving_tce_per_year": NAN,
        "verified_saving_tce": NAN,
        "co2_t_per_year": NAN,
        "pv_kw": NAN,
        "stage": None,
        "due_acceptance_on": None,
    }
    return pd.DataFrame([default | {"project_id": f"P{i}"} | r for i, r in enumerate(rows)])


PROJECTS = _projects(
    [
        {"amount_10k_yuan": 30.0, "saving_tce_per_year": 100.0, "verified_saving_tce": 90.0},
        {"amount_10k_yuan": 50.0, "saving_tce_per_year": 150.0, "co2_t_per_year": 400.0},
        {"amount_10k_yuan": 20.0},  # no outcome: counted, never a saving of 0
        {
            "category": "光伏",
            "amount_10k_yuan": 40.0,
            "pv_kw": 500.0,
        },  # a PV project: its kW, no tce
        {"scope_code": "xinjing", "amount_10k_yuan": 10.0, "saving_tce_per_year": 25.0},
    ]
)
NEEDS = pd.Series({"hongqiao": 1000.0, "xinjing": 0.0, "district": 2000.0})


def _row(perf, scope, category):
    rows = perf[(perf["street_code"] == scope) & (perf["category"] == category)]
    assert len(rows) == 1, (scope, category)
    return rows.iloc[0]


def test_sums_cost_per_tce_and_share_of_need_by_street_and_category():
    perf = fund.performance(PROJECTS, NEEDS, ["hongqiao", "xinjing"], "district")
    build = _row(perf, "hongqiao", "建筑节能")
    assert build["projects"] == 3 and build["projects_with_outcome"] == 2
    assert build["funded_amount"] == 100.0  # 30 + 50 + 20: every project's funds
    assert build["expected_saving_tce"] == 250.0
    assert build["verified_saving_tce"] == 90.0
    # 万元 per tce a year, over the projects that state both: (30 + 50) / (100 + 150)
    assert build["cost_per_tce"] == pytest.approx(0.32)
    assert build["need_tce"] == 1000.0 and build["share_of_need"] == pytest.approx(25.0)
    total = _row(perf, "hongqiao", fund.ALL)
    assert (total["projects"], total["projects_with_outcome"]) == (4, 3)
    assert total["funded_amount"] == 140.0 and total["expected_saving_tce"] == 250.0
    assert total["pv_kw"] == 500.0
    # the district: every project, its own need
    district = _row(perf, "district", fund.ALL)
    assert (district["projects"], district["expected_saving_tce"]) == (5, 275.0)
    assert district["share_of_need"] == pytest.approx(13.75)


def test_a_sum_none_of_whose_projects_has_the_figure_is_missing_never_zero():
    perf = fund.performance(PROJECTS, NEEDS, ["hongqiao", "xinjing"], "district")
    pv = _row(perf, "hongqiao", "光伏")
    assert math.isnan(pv["expected_saving_tce"]) and math.isnan(pv["verified_saving_tce"])
    assert math.isnan(pv["cost_per_tce"]) and math.isnan(pv["share_of_need"])
    assert pv["projects_with_outcome"] == 1  # its kW is an outcome
    # no gap to close (need 0): the share is not a division by zero, it is missing
    xinjing = _row(perf, "xinjing", fund.ALL)
    assert xinjing["need_tce"] == 0.0 and math.isnan(xinjing["share_of_need"])
    nobody = fund.performance(
        _projects([{"amount_10k_yuan": 5.0}]), NEEDS, ["hongqiao"], "district"
    )
    row = _row(nobody, "hongqiao", fund.ALL)
    assert row["projects"] == 1 and row["projects_with_outcome"] == 0
    assert math.isnan(row["expected_saving_tce"]) and math.isnan(row["cost_per_tce"])
    named = fund.without_outcome(PROJECTS)
    assert named["project_id"].tolist() == ["P2"]


def test_co2_not_reported_is_derived_from_the_saving_as_electricity_and_says_so():
    factor = fund.tco2_per_tce()
    assert factor == pytest.approx(4.2 / 1.229)  # tCO₂ per 10⁴ kWh over tce per 10⁴ kWh
    frame = fund.with_outcomes(PROJECTS).set_index("project_id")
    assert frame.loc["P0", "co2_t"] == pytest.approx(100 * factor)
    assert bool(frame.loc["P0", "co2_derived"]) is True
    assert frame.loc["P1", "co2_t"] == 400.0 and bool(frame.loc["P1", "co2_derived"]) is False
    assert math.isnan(frame.loc["P2", "co2_t"])


def test_the_need_at_the_current_trajectory():
    inputs = pd.DataFrame(
        [
            # Q3: 750 tce to date is 1,000 at the year end; a cap of 900 leaves 100 to save
            {"scope_code": "a", "energy": 750.0, "change": 1.0, "change_target": 3.0,
             "cap": 900.0, "cap_kind": "cumulative"},
            # no cap: a 1% fall carried to the year end against a 3% target:
            # 1,000 × (3 − 1) / (100 − 1)
            {"scope_code": "b", "energy": 750.0, "change": 1.0, "change_target": 3.0,
             "cap": NAN, "cap_kind": None},
            # on track (4% ≥ 3%): no gap
            {"scope_code": "c", "energy": 750.0, "change": 4.0, "change_target": 3.0,
             "cap": NAN, "cap_kind": None},
            # no target, or no figure: missing, never 0
            {"scope_code": "d", "energy": 750.0, "change": 1.0, "change_target": NAN,
             "cap": NAN, "cap_kind": None},
            {"scope_code": "e", "energy": NAN, "change": 1.0, "change_target": 3.0,
             "cap": NAN, "cap_kind": None},
        ]
    )  # fmt: skip
    need = fund.need(inputs, "Q3")
    assert need["a"] == pytest.approx(100.0)
    assert need["b"] == pytest.approx(1000 * 2 / 99)
    assert need["c"] == 0.0
    assert math.isnan(need["d"]) and math.isnan(need["e"])


def test_a_projects_pv_capacity_counts_toward_the_pv_plan():
    perf = fund.performance(PROJECTS, NEEDS, ["hongqiao", "xinjing"], "district")
    plan = fund.pv_toward_plan(perf, pd.Series({"hongqiao": 2000.0, "district": 10000.0}))
    plan = plan.set_index("scope_code")
    assert plan.loc["hongqiao", "pv_kw"] == 500.0
    assert plan.loc["hongqiao", "share"] == pytest.approx(25.0)
    assert plan.loc["district", "share"] == pytest.approx(5.0)
    assert math.isnan(plan.loc["xinjing", "pv_kw"])  # no PV project: no kW, not 0


def test_overdue_projects_are_those_past_their_expected_acceptance_not_yet_accepted():
    projects = _projects(
        [
            {"due_acceptance_on": "2026-03-31", "stage": "building"},
            {"due_acceptance_on": "2026-03-31", "stage": "accepted"},
            {"due_acceptance_on": "2027-03-31", "stage": "building"},
            {"due_acceptance_on": None, "stage": "building"},
        ]
    )
    late = fund.overdue(projects, pd.Timestamp("2026-12-06").date())
    assert late["project_id"].tolist() == ["P0"]


# -- through the database and the command line ------------------------------------------

import csv  # noqa: E402
import io  # noqa: E402

from indicators.domain import fund as _fund  # noqa: E402
from tests.test_load import cli  # noqa: E402


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_fund_performance_prints_its_pinned_columns_with_totals_and_refuses_bad_years():
    done = cli("fund", "performance", "--year", "2024", "--format", "csv")
    assert done.returncode == 0, done.stderr
    header = done.stdout.lstrip("\ufeff").splitlines()[0]
    assert header.split(",") == _fund.COLUMNS
    rows = _csv(done.stdout)
    district = [r for r in rows if r["street_code"] == "district" and r["category"] == "合计"]
    assert len(district) == 1 and district[0]["projects"] == "63"  # the seed's count
    streets = {r["street_code"] for r in rows}
    assert {"hongqiao", "xinjing", "district"} <= streets
    assert "节能缺口按" in done.stderr  # the period the need is judged at, said
    for bad in (["--year", "1800"], ["--year", "二〇二四"], []):
        refused = cli("fund", "performance", *bad)
        assert refused.returncode == 2, (bad, refused.stderr)
        assert "Traceback" not in refused.stderr


def test_a_project_moved_to_another_street_counts_there_only(editors, tmp_path):
    head = "项目编号,项目名称,所在街镇,项目类别,支持金额（万元）,年份,预计年节能量\n"
    path = tmp_path / "projects.csv"
    path.write_text(head + "MOVE-1,某楼宇节能改造,虹桥街道,建筑节能,40,2027,200\n", "utf-8")
    assert cli("load", str(path), "--editor", "boss").returncode == 0

    def hongqiao_and_xinjing() -> dict:
        done = cli("fund", "performance", "--year", "2027", "--format", "csv")
        assert done.returncode == 0, done.stderr
        return {
            r["street_code"]: (r["projects"], r["expected_saving_tce"], r["cost_per_tce"])
            for r in _csv(done.stdout)
            if r["category"] == "合计" and r["street_code"] in ("hongqiao", "xinjing")
        }

    # every 街镇 has its total row: no project is a count of 0 and no saving, never 0 tce
    assert hongqiao_and_xinjing() == {"hongqiao": ("1", "200", "0.2"), "xinjing": ("0", "", "")}
    path.write_text(head + "MOVE-1,某楼宇节能改造,新泾镇,建筑节能,40,2027,200\n", "utf-8")
    moved = cli("load", str(path), "--editor", "boss", "--replace")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert hongqiao_and_xinjing() == {"hongqiao": ("0", "", ""), "xinjing": ("1", "200", "0.2")}


def test_an_office_register_with_outcomes_comes_out_through_fund_performance(editors, tmp_path):
    from tests.intake_files import xlsx_bytes
    from tests.test_project_outcomes import REGISTER

    year_at = REGISTER[1].index("年度")
    rows = [REGISTER[0], REGISTER[1]] + [
        [*row[:year_at], 2029, *row[year_at + 1 :]] if isinstance(row[0], int) else row
        for row in REGISTER[2:]
    ]
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    loaded = cli("load", str(path), "--editor", "boss")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    done = cli("fund", "performance", "--year", "2029", "--format", "csv")
    assert done.returncode == 0, done.stderr
    total = {r["street_code"]: r for r in _csv(done.stdout) if r["category"] == "合计"}
    hq = total["hongqiao"]
    assert (hq["projects"], hq["expected_saving_tce"], hq["verified_saving_tce"]) == (
        "1",
        "120",
        "108.2",
    )
    assert hq["cost_per_tce"] == "0.296"  # 35.5 万元 / 120 tce a year
    # 余热回收 has no outcome yet: a project, no saving (not 0), and named on stderr
    bx = total["beixinjing"]
    assert (bx["projects"], bx["projects_with_outcome"], bx["expected_saving_tce"]) == (
        "1",
        "0",
        "",
    )
    assert "某厂房余热回收" in done.stderr
    district = total["district"]
    assert (district["projects"], district["funded_amount"]) == ("4", "179.5")
    assert district["expected_saving_tce"] == "261.3"  # 120 + 96.3 + 45
    # no figures for 2029: the need is unknown, never 0, and so is its share
    assert district["need_tce"] == "" and district["share_of_need"] == ""


def test_a_sum_with_some_projects_blank_says_how_many_were_left_out():
    """Issue 23, rule 1: 支持金额 10 over four projects, three with no amount, said so."""
    projects = _projects(
        [{"amount_10k_yuan": 10.0, "saving_tce_per_year": 100.0}, {}, {}, {"pv_kw": 5.0}]
    )
    perf = fund.performance(projects, NEEDS, ["hongqiao"], "district")
    assert _row(perf, "district", fund.ALL)["funded_amount"] == 10.0
    lines = fund.notes(perf, {"projects": projects, "period": "Y"}, "zh")
    said = [line for line in lines if "未计入" in line or "不计入" in line]
    assert said == [
        "合计只含填写了该项的项目，未填的不计入（不按 0 计）：支持金额 3 个项目未填、"
        "预计年节能量 3 个项目未填、预计年减排二氧化碳 3 个项目未填、"
        "资助光伏装机容量 3 个项目未填。"
    ]  # CO₂ derived from the saving counts as given; the verified saving, blank everywhere,
    # is 未提供 and needs no line
    en = fund.notes(perf, {"projects": projects, "period": "Y"}, "en")
    assert any("funds: 3 projects blank" in line for line in en)
    whole = _projects([{"amount_10k_yuan": 1.0, "saving_tce_per_year": 2.0}])
    assert fund.left_out(whole, "zh") == []
