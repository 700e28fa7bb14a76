"""The project register carries outcomes (issue 26): saving, CO2, PV kW, stage and
acceptance, read from registers in the shape offices keep them, through the command line."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from indicators.builtin import datasets
from indicators.exports import templates
from indicators.intake import checks, files
from tests.conftest import query
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli
from tests.test_restore import restored_from_older_schema

OUTCOMES = (
    "project_id, scope_code, category, amount_10k_yuan, year, approved_on, saving_tce_per_year, "
    "co2_t_per_year, pv_kw, stage, due_acceptance_on, accepted_on, verified_saving_tce, status"
)

HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "实施单位",
    "所在街镇",
    "项目类别",
    "年度",
    "支持金额（万元）",
    "年节约标煤（吨）",
    "减排量(tCO2)",
    "装机容量(kW)",
    "项目阶段",
    "计划验收日期",
    "验收日期",
    "验收核定节能量（吨标准煤）",
    "联系人",
]
# As the 区发改委 keeps its register: a title row, units in the headers, dates as typed,
# stages in offices' words, a 合计 row; 序号 and 联系人 are not read (and said so).
REGISTER = [
    ["长宁区2024年度节能减排降碳专项资金项目台账", *[None] * 15],
    HEADER,
    [
        1,
        "T24-001",
        "某大厦空调系统节能改造",
        "某物业公司",
        "虹桥街道",
        "建筑节能",
        "2024年第一批",
        "35.5",
        "120",
        "310.5",
        None,
        "已验收",
        "2025-06-30",
        "2025年5月20日",
        "108.2",
        "张三",
    ],
    [
        2,
        "T24-002",
        "某园区屋顶分布式光伏",
        "某园区公司",
        "新泾镇",
        "光伏发电",
        2024,
        "80",
        "96.3",
        None,
        "1,200",
        "实施中",
        "2026/6/30",
        None,
        None,
        "李四",
    ],
    [
        3,
        "T24-003",
        "某厂房余热回收",
        "某制造公司",
        "北新泾街道",
        "工业节能",
        2024,
        "52",
        "",
        "",
        None,
        "已立项",
        None,
        None,
        None,
        "王五",
    ],
    [
        4,
        "T24-004",
        "某商场照明改造",
        "某商场",
        "天山路街道",
        "建筑节能",
        2024,
        "12",
        "45",
        "118",
        None,
        "已完工",
        "2025-12-31",
        None,
        None,
        "赵六",
    ],
    [
        "合计",
        None,
        None,
        None,
        None,
        None,
        None,
        "179.5",
        "261.3",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ],
]


# The same register with its units in a row under the header (单位 | | … | 万元 | 吨 …).
UNIT_ROW = [
    REGISTER[0],
    [h.split("（")[0].split("(")[0] for h in HEADER],
    ["单位", *[None] * 6, "万元", "吨标准煤", "tCO2", "kW", None, None, None, "吨标准煤", None],
    *REGISTER[2:],
]


def _stored(path, ids: str) -> dict[str, dict]:
    names = [c.strip() for c in OUTCOMES.split(",")]
    rows = query(path, f"select {OUTCOMES} from funded_projects where project_id in ({ids})")
    return {r[0]: dict(zip(names, r, strict=True)) for r in rows}


def _load(path, *extra):
    return cli("load", str(path), "--editor", "王科长", *extra)


@pytest.mark.parametrize("fmt", ["xlsx", "gbk_csv", "unit_row"])
def test_an_office_register_loads_with_its_outcomes_converted_and_staged(work_db, tmp_path, fmt):
    if fmt == "xlsx":
        path = tmp_path / "项目台账.xlsx"
        path.write_bytes(xlsx_bytes(REGISTER))
    elif fmt == "unit_row":
        path = tmp_path / "项目台账.xlsx"
        path.write_bytes(xlsx_bytes(UNIT_ROW))
    else:
        path = tmp_path / "项目台账.csv"
        path.write_bytes(csv_bytes(REGISTER, "gbk"))
    res = _load(path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "序号" in res.stdout and "联系人" in res.stdout  # columns not read are said
    total_row = 8 if fmt == "unit_row" else 7
    assert f"汇总行（合计/总计/小计）：第 {total_row} 行" in res.stdout  # 合计 under 序号: said
    if fmt == "unit_row":
        assert "第 3 行是单位行" in res.stdout and "节能量(吨标准煤)" in res.stdout
    got = _stored(work_db, "'T24-001', 'T24-002', 'T24-003', 'T24-004'")
    one, two, three, four = (got[f"T24-00{i}"] for i in range(1, 5))
    assert one["scope_code"] == "hongqiao" and one["year"] == 2024
    assert one["saving_tce_per_year"] == pytest.approx(120)  # 吨 under 年节约标煤: tce
    assert one["co2_t_per_year"] == pytest.approx(310.5)
    assert one["stage"] == "accepted" and one["accepted_on"] == dt.date(2025, 5, 20)
    assert one["due_acceptance_on"] == dt.date(2025, 6, 30)
    assert one["approved_on"] is None  # 验收日期 is no approval date
    assert one["verified_saving_tce"] == pytest.approx(108.2)
    assert two["pv_kw"] == pytest.approx(1200) and two["stage"] == "building"
    assert two["due_acceptance_on"] == dt.date(2026, 6, 30) and two["co2_t_per_year"] is None
    # no outcome written: empty, never a zero
    assert three["saving_tce_per_year"] is None and three["stage"] == "approved"
    assert four["stage"] == "completed"


def test_units_in_headers_and_cells_convert(work_db, tmp_path):
    rows = [
        [
            "项目编号",
            "项目名称",
            "街镇",
            "年度",
            "节能量（万吨标准煤）",
            "减排量",
            "光伏装机容量",
            "核定节能量",
        ],
        ["U-1", "甲", "虹桥街道", 2024, "1.5", "0.2万吨", "1.2MW", "500千克标准煤"],
        ["U-2", "乙", "虹桥街道", 2024, "0.01", "300吨", "350kWp", "8吨"],
    ]
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(rows))
    res = _load(path)
    assert res.returncode == 0, res.stdout + res.stderr
    got = _stored(work_db, "'U-1', 'U-2'")
    assert got["U-1"]["saving_tce_per_year"] == pytest.approx(15000)
    assert got["U-1"]["co2_t_per_year"] == pytest.approx(2000)
    assert got["U-1"]["pv_kw"] == pytest.approx(1200)
    assert got["U-1"]["verified_saving_tce"] == pytest.approx(0.5)
    assert got["U-2"]["saving_tce_per_year"] == pytest.approx(100)
    assert got["U-2"]["co2_t_per_year"] == pytest.approx(300)
    assert got["U-2"]["pv_kw"] == pytest.approx(350)
    assert got["U-2"]["verified_saving_tce"] == pytest.approx(8)


def test_an_unknown_stage_is_refused_with_row_column_and_value(work_db, tmp_path):
    rows = [
        ["项目编号", "项目名称", "街镇", "年度", "项目阶段"],
        ["S-1", "甲", "虹桥街道", 2024, "在建"],
        ["S-2", "乙", "虹桥街道", 2024, "已终止"],
    ]
    path = tmp_path / "stage.csv"
    path.write_bytes(csv_bytes(rows))
    before = query(work_db, "select count(*) from funded_projects")
    res = _load(path)
    assert res.returncode != 0
    assert "第3行" in res.stderr and "项目阶段" in res.stderr and "已终止" in res.stderr
    assert "立项、在建、竣工 或 验收" in res.stderr  # the values allowed
    assert query(work_db, "select count(*) from funded_projects") == before
    en = _load(path, "--lang", "en")
    assert "已终止" in en.stderr and "accepted" in en.stderr


def test_an_acceptance_date_never_fills_the_approval_date():
    rows = [
        ["项目编号", "项目名称", "街镇", "年度", "验收日期", "日期"],
        ["D-1", "甲", "虹桥街道", 2024, "2025-05-20", "2024-03-01"],
    ]
    for order in (rows, [[r[0], r[1], r[2], r[3], r[5], r[4]] for r in rows]):
        checked = checks.check(files.read_upload(csv_bytes(order), "d.csv"))
        assert checked.problems == []
        row = checked.frame.iloc[0]
        assert row["accepted_on"] == dt.date(2025, 5, 20)
        assert row["approved_on"] == dt.date(2024, 3, 1)
    alone = [[r[0], r[1], r[2], r[3], r[4]] for r in rows]
    checked = checks.check(files.read_upload(csv_bytes(alone), "d.csv"))
    assert checked.frame.iloc[0]["approved_on"] is None
    assert checked.frame.iloc[0]["accepted_on"] == dt.date(2025, 5, 20)


def test_a_status_alone_gives_the_stage_with_a_note(work_db, tmp_path):
    rows = [
        ["项目编号", "项目名称", "街镇", "年度", "节能量", "项目状态"],
        ["Q-1", "甲", "虹桥街道", 2024, "80", "已验收"],
        ["Q-2", "乙", "虹桥街道", 2024, "60", "资料补充中"],
    ]
    path = tmp_path / "status.csv"
    path.write_bytes(csv_bytes(rows))
    res = _load(path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "取自“项目状态”列" in res.stdout  # said, not silent
    got = _stored(work_db, "'Q-1', 'Q-2'")
    assert got["Q-1"]["stage"] == "accepted" and got["Q-1"]["status"] == "已验收"
    assert got["Q-2"]["stage"] is None and got["Q-2"]["status"] == "资料补充中"
    # a stage column of its own wins over the status, and nothing is said
    staged = [[*r, s] for r, s in zip(rows, ["项目阶段", "在建", "在建"], strict=True)]
    checked = checks.check(files.read_upload(csv_bytes(staged), "s.csv"))
    assert checked.frame["stage"].tolist() == ["building", "building"]
    assert not [n for n in checked.notes if n.key == "stage_from_status"]


def test_reloading_a_project_with_another_street_moves_it(work_db, tmp_path):
    rows = [
        ["项目编号", "项目名称", "街镇", "年度", "支持金额", "节能量", "项目阶段"],
        ["M-1", "甲", "虹桥街道", 2024, "30", "80", "在建"],
    ]
    path = tmp_path / "move.csv"
    path.write_bytes(csv_bytes(rows))
    assert _load(path).returncode == 0
    rows[1][2] = "新泾镇"
    rows[1][6] = "已验收"
    path.write_bytes(csv_bytes(rows))
    asked = _load(path)
    assert asked.returncode == 3  # another 街镇 is a conflict: asked first
    assert _stored(work_db, "'M-1'")["M-1"]["scope_code"] == "hongqiao"
    moved = _load(path, "--replace")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    got = query(work_db, "select scope_code, stage from funded_projects where project_id = 'M-1'")
    assert got == [("xinjing", "accepted")]  # one row, under its key, moved
    ((batch,),) = query(work_db, "select max(batch_id) from load_batches")
    assert cli("rollback", str(batch), "--editor", "王科长").returncode == 0
    back = query(work_db, "select scope_code, stage from funded_projects where project_id = 'M-1'")
    assert back == [("hongqiao", "building")]  # the outcomes roll back with the row


def test_a_backup_from_before_the_outcomes_restores_with_them_empty(tmp_path, monkeypatch):
    target = restored_from_older_schema(  # 15: before the outcomes
        tmp_path,
        monkeypatch,
        15,
        "insert into funded_projects (project_id, name, scope_code, year, saving_tce_per_year, "
        "status, source, batch) "
        "values ('O-1', '甲', 'hongqiao', 2023, 12.5, '已验收', 'f', '第一批')",
    )
    rows = query(
        target,
        "select saving_tce_per_year, status, batch, stage, pv_kw, verified_saving_tce "
        "from funded_projects",
    )
    assert rows == [(12.5, "已验收", "第一批", None, None, None)]
    with pytest.raises(duckdb.ConstraintException):  # the checks came with the new columns
        con = duckdb.connect(str(target))
        try:
            con.execute("update funded_projects set pv_kw = -1")
        finally:
            con.close()


def test_the_template_lists_the_outcome_columns():
    example = templates.example_frame("projects")
    for header in ("预计年减排量", "光伏装机容量", "项目阶段", "计划验收日期", "验收日期"):
        assert header in example.columns
    help_zh = templates.explanation_frame("projects", "zh").set_index("列名")
    assert help_zh.loc["项目阶段", "类型"] == "项目阶段"
    assert "年节约标煤" in help_zh.loc["预计年节能量", "也可写作"]
    help_en = templates.explanation_frame("projects", "en")
    assert "project stage" in help_en.iloc[:, 3].tolist()


def test_a_pv_list_is_not_taken_for_a_register_without_its_year():
    pv = [
        ["编号", "项目名称", "街镇", "装机容量", "日期"],
        ["A1", "甲", "虹桥街道", "300", "2025-03-01"],
    ]
    assert files.read_upload(csv_bytes(pv), "pv.csv").kind == "pv"
    projects = [
        ["编号", "项目名称", "街镇", "装机容量", "年度"],
        ["A1", "甲", "虹桥街道", "300", "2025"],
    ]
    assert files.read_upload(csv_bytes(projects), "p.csv").kind == "projects"


def test_the_built_in_projects_carry_illustrative_outcomes():
    p = datasets.demo_tables()["funded_projects"]
    assert p["is_demo"].all() and (p["year"] == 2024).sum() == 63
    assert set(p["stage"]) == {"approved", "building", "completed", "accepted"}
    accepted = p[p["stage"] == "accepted"]
    assert accepted["accepted_on"].notna().all()
    assert p.loc[p["stage"] != "accepted", "accepted_on"].isna().all()
    assert p.loc[p["stage"] != "accepted", "verified_saving_tce"].isna().all()
    has = accepted.dropna(subset=["saving_tce_per_year"])
    ratio = has["verified_saving_tce"] / has["saving_tce_per_year"]
    assert ratio.between(0.79, 1.11).all()
    assert (p["due_acceptance_on"] > p["approved_on"]).all()
    assert (accepted["accepted_on"] >= accepted["approved_on"]).all()
    assert 0.3 < p["co2_t_per_year"].notna().mean() < 0.6  # about half: the rest derived
    pv = p[p["pv_kw"].notna()]
    assert len(pv) and (pv["category"] == "光伏发电").all()
    without = p[p["saving_tce_per_year"].isna()]
    assert len(without) and (without["year"] == 2024).any()
    assert without[["co2_t_per_year", "pv_kw", "verified_saving_tce"]].isna().all().all()
    by_year = p.groupby("year")["stage"]
    assert (by_year.get_group(2020) == "accepted").all()
    assert not by_year.get_group(2026).isin(["completed", "accepted"]).any()


def test_the_built_in_database_holds_the_outcomes(builtin_db):
    ((n, n_2024, staged, demo),) = query(
        builtin_db,
        "select count(*), count(*) filter (year = 2024), count(stage), bool_and(is_demo) "
        "from funded_projects",
    )
    assert n == staged and n_2024 == 63 and demo
