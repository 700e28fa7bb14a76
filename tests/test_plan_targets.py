"""Five-year plan targets as data (issue 25): the plan_targets upload kind, which only
district editors load, logged and rolled back like annual targets."""

from __future__ import annotations

from indicators.intake import checks, files
from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_load import cli

PLAN_ROWS = [
    ["五年规划", "指标", "街镇", "五年目标", "来源"],
    ["十五五", "单位GDP能耗", "全区", "14%", "区十五五规划纲要"],
    ["2026-2030", "能源消费总量", "虹桥街道", "6", ""],
]


def _checked(rows, **kw):
    return checks.check(files.read_upload(csv_bytes(rows), "plan.csv", **kw))


def test_a_plan_targets_file_is_read_as_such_in_percent_of_the_base():
    result = _checked(PLAN_ROWS)
    assert result.ok, result.problems
    assert result.kind == "plan_targets"
    frame = result.frame.sort_values("indicator_id")
    assert frame["plan_id"].tolist() == ["15th", "15th"]
    assert frame["indicator_id"].tolist() == ["energy_per_gdp", "energy_total"]
    assert frame["scope_code"].tolist() == ["district", "hongqiao"]
    assert frame["target_value"].tolist() == [14.0, 6.0]  # percent, as written


def test_an_unknown_plan_or_an_indicator_no_plan_targets_is_refused_by_its_row():
    rows = [
        PLAN_ROWS[0],
        ["十六七", "单位GDP能耗", "全区", "14", ""],
        ["十五五", "光伏新增装机容量", "全区", "14", ""],
    ]
    result = _checked(rows, kind="plan_targets")
    assert not result.ok
    assert sorted((p.row, p.key) for p in result.problems) == [
        (2, "unknown_plan"),
        (3, "not_planned"),
    ]
    for p in result.problems:
        assert checks.describe(p, "zh") and checks.describe(p, "en")


def test_a_district_editor_loads_plan_targets_and_can_roll_them_back(editors, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes(PLAN_ROWS))
    done = cli("load", str(path), "--editor", "boss")
    assert done.returncode == 0, done.stdout + done.stderr
    stored = query(
        editors,
        "select plan_id, indicator_id, scope_code, target_value, source, is_demo, batch_id "
        "from plan_targets where not is_demo order by indicator_id",
    )
    assert [r[:6] for r in stored] == [
        ("15th", "energy_per_gdp", "district", 14.0, "区十五五规划纲要", False),
        ("15th", "energy_total", "hongqiao", 6.0, "plan.csv", False),
    ]
    batch = stored[0][6]
    logged = query(editors, f"select count(*) from change_log where batch_id = {batch}")
    assert logged == [(2,)]
    refused = cli("rollback", str(batch), "--editor", "hq")  # a 街镇 editor, 虹桥's own row
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert query(editors, "select count(*) from plan_targets where not is_demo") == [(2,)]
    back = cli("rollback", str(batch), "--editor", "boss")
    assert back.returncode == 0, back.stdout + back.stderr
    assert query(editors, "select count(*) from plan_targets where not is_demo") == [(0,)]


def test_a_street_editor_is_refused_every_plan_target_row_its_own_included(editors, tmp_path):
    path = tmp_path / "plan.csv"
    rows = [PLAN_ROWS[0], ["十五五", "单位GDP能耗", "虹桥街道", "14", ""], PLAN_ROWS[1]]
    path.write_bytes(csv_bytes(rows))
    refused = cli("load", str(path), "--editor", "hq")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    said = refused.stdout + refused.stderr
    assert said.count("五年规划目标由区级编辑设定") == 2  # row by row, 虹桥's own too
    assert query(editors, "select count(*) from plan_targets where not is_demo") == [(0,)]


def test_the_built_in_plan_targets_are_illustrative_for_every_scope(builtin_db):
    from indicators import reference
    from indicators.domain import fiveyear

    rows = query(
        builtin_db,
        "select plan_id, indicator_id, scope_code, target_value, source, is_demo "
        "from plan_targets order by all",
    )
    assert {r[0] for r in rows} == {"15th"}
    assert {r[2] for r in rows} == {s["code"] for s in reference.scopes()}  # 街镇, groups, 全区
    assert all(r[4] == "示例数据" and r[5] for r in rows)
    falls = {r[1]: r[3] for r in rows if r[2] == "district"}
    assert falls == {"energy_per_gdp": 14.0, "co2_per_gdp": 17.0, "energy_total": 8.0}
    assert all(fiveyear.measure(i) for i in falls)


def test_removing_the_illustrative_data_removes_the_illustrative_plan_targets(work_db):
    from indicators.builtin import install

    install.remove_demo()
    assert query(work_db, "select count(*) from plan_targets") == [(0,)]


# -- plan status: known answers on a small database the test builds -----------------------

# 2025 Q3 (the base, like for like) and 2026 Q3 of the four focus 街镇: (energy tce, GDP 万元)
FIGURES = {
    "hongqiao": {2025: (1000, 10000), 2026: (1030, 11000), 2027: (1060, 12000)},
    "beixinjing": {2025: (500, 1000), 2026: (450, 1000)},
    "chengjiaqiao": {2025: (500, 9000), 2026: (520, 9000)},
    "xinjing": {2025: (500, 9000), 2026: (520, 9000)},
}


def _small_db(annual_cap_kind="cumulative"):
    from datetime import date

    import pandas as pd

    from indicators.store import db

    db.migrate()
    obs = [
        {
            "scope_code": scope,
            "indicator_id": indicator,
            "breakdown": "",
            "year": year,
            "period": "Q3",
            "value": float(value),
            "unit": unit,
            "data_status": "final",
            "source": "区统计局",
            "as_of": date(year, 10, 20),
            "is_demo": False,
        }
        for scope, years in FIGURES.items()
        for year, (energy, gdp) in years.items()
        for indicator, unit, value in (("energy_total", "tce", energy), ("gdp", "10k_yuan", gdp))
    ]
    plan = [
        ("15th", "energy_per_gdp", scope, 14.0) for scope in ("hongqiao", "focus", "district")
    ] + [("15th", "energy_total", "hongqiao", 8.0)]
    plan_frame = pd.DataFrame(
        plan, columns=["plan_id", "indicator_id", "scope_code", "target_value"]
    ).assign(source="规划纲要", is_demo=False)
    targets = pd.DataFrame(
        [
            ("energy_per_gdp_change", "hongqiao", 2026, 3.0, "rate"),
            ("energy_total", "hongqiao", 2026, 1200.0, annual_cap_kind),
        ],
        columns=["indicator_id", "scope_code", "year", "target_value", "kind"],
    ).assign(source="年度方案", is_demo=False)

    def work(con):
        db.insert_frame(con, "observations", pd.DataFrame(obs))
        db.insert_frame(con, "plan_targets", plan_frame)
        db.insert_frame(con, "targets", targets)

    db.write(work)


def _status(*extra, year: str = "2026"):
    import csv
    import io

    done = cli("plan", "status", "--plan", "十五五", "--year", year, "--period", "Q3", *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"))))
    return done.stdout, {(r["street_code"], r["indicator"]): r for r in rows}


COLUMNS = (
    "street_code,street,indicator,base_year,base_value,value,cumulative_change,"
    "plan_target,required_to_date,level_year,level_plan"
)


def test_plan_status_gives_the_known_answers_in_exactly_its_columns(fresh_db):
    _small_db()
    text, rows = _status("--format", "csv")
    assert text.lstrip("\ufeff").splitlines()[0] == COLUMNS
    hq = rows[("hongqiao", "energy_per_gdp")]
    assert (hq["street"], hq["base_year"], hq["base_value"]) == ("虹桥街道", "2025", "0.1")
    assert hq["value"] == "0.093636"  # 1030 / 11000
    assert hq["cumulative_change"] == "6.36"  # 1 − 0.093636 / 0.1
    assert hq["plan_target"] == "14"
    # Q3 of the plan's first year is 0.75 of its 5 years: 1 − 0.86^(0.75/5)
    assert hq["required_to_date"] == "2.24"
    # the year: 6.36% fall on 2025 Q3 against 3%'s even pace to Q3, 1 − 0.97^0.75 = 2.26%
    assert (hq["level_year"], hq["level_plan"]) == ("3", "3")
    cap = rows[("hongqiao", "energy_total")]
    assert (cap["base_value"], cap["value"], cap["cumulative_change"]) == ("1000", "1030", "3")
    assert (cap["plan_target"], cap["required_to_date"]) == ("8", "1.16")  # 1.08^0.15 − 1
    # 3% grown against 1.16% allowed to date, within the whole 8%: 二级; of the year's cap of
    # 1,200 tce to date (cumulative: 900 by Q3), 1,030 used: 二级 too
    assert (cap["level_year"], cap["level_plan"]) == ("2", "2")


def test_a_ratio_group_is_recomputed_from_its_totals_never_averaged(fresh_db):
    _small_db()
    _, rows = _status("--format", "csv")
    focus = rows[("focus", "energy_per_gdp")]
    # 2,500 tce over 29,000 万元, then 2,520 over 30,000: a 2.56% fall (the four 街镇's
    # ratios averaged would give 7.30%, an average of their falls 2.09%)
    assert focus["base_value"] == "0.086207" and focus["value"] == "0.084"
    assert focus["cumulative_change"] == "2.56"
    assert focus["level_plan"] == "3"
    assert focus["level_year"] == ""  # the focus group has no annual target here


def test_a_missing_figure_has_no_level_never_three(fresh_db):
    _small_db()
    _, rows = _status("--format", "csv")
    tianshan = rows[("tianshanlu", "energy_per_gdp")]  # no figures reported
    assert tianshan["value"] == tianshan["base_value"] == ""
    assert tianshan["level_year"] == tianshan["level_plan"] == ""
    district = rows[("district", "energy_per_gdp")]  # its sum lacks six 街镇: unknown
    assert district["plan_target"] == "14"
    # a total the plan caps only for 虹桥: other scopes have the row, without a target
    assert rows[("beixinjing", "energy_total")]["plan_target"] == ""
    assert rows[("beixinjing", "energy_total")]["level_plan"] == ""


def test_a_total_whose_annual_target_is_a_level_cap_is_judged_on_the_whole_cap(fresh_db):
    _small_db(annual_cap_kind="level")
    _, rows = _status("--format", "csv")
    assert rows[("hongqiao", "energy_total")]["level_year"] == "3"  # 1,030 of 1,200


def test_plan_status_as_a_table_and_its_bad_arguments(fresh_db):
    _small_db()
    table = cli("plan", "status", "--plan", "15th", "--year", "2026", "--period", "q3")
    assert table.returncode == 0, table.stderr
    assert table.stdout.split()[:11] == COLUMNS.split(",")
    # the small database's figures are its own: none said to be illustrative; the level
    # thresholds still are, and say so
    assert "示例数据" not in table.stderr and "预警等级阈值为示例设置" in table.stderr
    for args, said in (
        (("--plan", "十六五", "--year", "2026", "--period", "Q3"), "十六五"),
        (("--plan", "十五五", "--year", "2031", "--period", "Q3"), "2031"),
        (("--plan", "十五五", "--year", "2025", "--period", "Q3"), "2025"),
        (("--plan", "十五五", "--year", "2026", "--period", "Q9"), "Q9"),
        (("--plan", "十五五", "--year", "2026", "--period", "Q3", "--format", "xml"), "xml"),
    ):
        bad = cli("plan", "status", *args)
        assert bad.returncode == 2, args
        assert said in bad.stderr and "Traceback" not in bad.stderr, bad.stderr
    none = cli("plan", "status", "--plan", "十四五", "--year", "2025", "--period", "Y")
    assert none.returncode == 0 and none.stdout.split() == COLUMNS.split(",")  # no targets
    en = cli("plan", "status", "--plan", "x", "--year", "2026", "--period", "Q3", "--lang", "en")
    assert en.returncode == 2 and "Unknown five-year plan 'x'" in en.stderr


def test_plan_status_says_which_rows_are_illustrative(work_db):
    # the built-in figures and plan targets are illustrative: said beside the pinned columns
    done = cli("plan", "status", "--plan", "十五五", "--year", "2026", "--period", "Q3")
    assert done.returncode == 0, done.stderr
    rows = len(done.stdout.strip().splitlines()) - 1
    assert f"其中 {rows} 行的数值或规划目标为示例数据" in done.stderr


def test_a_later_year_is_measured_from_the_plans_base_never_the_year_before(fresh_db):
    _small_db()
    _, rows = _status("--format", "csv", year="2027")
    hq = rows[("hongqiao", "energy_per_gdp")]
    assert (hq["base_year"], hq["base_value"]) == ("2025", "0.1")  # not 2026's 0.093636
    assert hq["value"] == "0.088333"  # 1060 / 12000
    assert hq["cumulative_change"] == "11.67"  # 1 − 0.088333 / 0.1, not 5.66 from 2026
    assert hq["required_to_date"] == "5.14"  # 1 − 0.86^(1.75/5)
    assert hq["level_plan"] == "3"
