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
    from indicators import fiveyear, reference

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
    from indicators import store

    store.remove_demo()
    assert query(work_db, "select count(*) from plan_targets") == [(0,)]
