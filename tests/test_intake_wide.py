"""Wide tables as offices send them: 街镇 × indicator, 街镇 × month with 合计, budget lines ×
years, two-row merged headers (本期 | 上年同期 | 增速%), title-row year and period, unit rows,
注 rows. Each is read into long rows, confirmed (CLI exit 4, --accept), kept as a recipe,
and checked through `show`."""

from __future__ import annotations

import pytest

from indicators.intake import checks, files, layout, periods, recipes
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli, snapshot

BY_INDICATOR = [
    ["2025年1-9月长宁区分街镇能耗情况表", None, None, None],
    ["单位：万吨标准煤、亿元", None, None, None],
    ["序号", "街道", "能源消费量", "地区生产总值"],
    [1, "虹桥街道", 1.2, 80.5],
    [2, "北新泾街道", "0.9", 40],
    [3, "程家桥街道", 0.3, "—"],
    [4, "新泾镇", 1.5, 60],
    [None, "双桥双新泾合计", 4.0, 181],
    ["注：本表为初步统计数。", None, None, None],
    ["数据来源：区统计局", None, None, None],
]

TWO_ROW = [
    ["2025年1-9月长宁区分街镇主要指标", None, None, None, None],
    ["街道", "能源消费量（吨标准煤）", None, None, "备注"],
    [None, "本期", "上年同期", "增速%", None],
    ["虹桥街道", 12000, 12500, -4.0, ""],
    ["北新泾街道", 9000, 8000, 9.9, "含新建楼宇"],
]
TWO_ROW_MERGES = ["A1:E1", "A2:A3", "B2:D2", "E2:E3"]


def _months(through: int) -> list[list[object]]:
    head = ["街镇", *[f"{m}月" for m in range(1, through + 1)], "合计"]
    rows = [["2025年长宁区分街镇月度能源消费量（吨标准煤）", *[""] * (len(head) - 1)], head]
    rows.append(["虹桥街道", *[100] * through, 100 * through])
    rows.append(["新泾镇", *[200] * through, 999])  # a total that is not the months' sum
    return rows


BUDGET = [
    ["长宁区低碳经费预算表", None, None, None],
    ["项目", "2023年预算（万元）", "2024年预算（万元）", "增长%"],
    ["节能减排降碳专项资金", 800, 815, 1.88],
    ["低碳社区建设", 200, 203, 1.5],
    ["合计", 1000, 1018, 1.83],
]


def _read(data: bytes, name: str, **kw):
    raw = files.read_upload(data, name, **kw)
    return raw, checks.check(raw)


def _values(checked, *keys):
    frame = checked.frame.set_index(list(keys))
    return frame


def test_indicator_columns_with_title_unit_row_notes_and_a_group_total():
    raw, checked = _read(xlsx_bytes(BY_INDICATOR, merges=["A1:D1"]), "w.xlsx")
    assert raw.confirm and checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    reading = raw.reading
    assert (reading.year, reading.period) == (2025, "Q3")
    assert reading.header_rows == [3] and reading.source == "区统计局"
    assert reading.footnotes == [9, 10] and reading.no_value == 1
    roles = {c.header: (c.role, c.indicator, c.unit) for c in reading.columns}
    assert roles["序号"][0] == "unused"
    assert roles["能源消费量"] == ("value", "energy_total", "万吨标准煤")
    assert roles["地区生产总值"] == ("value", "gdp", "亿元")
    frame = checked.frame.set_index(["scope_code", "indicator_id"])
    assert frame.loc[("beixinjing", "energy_total"), "value"] == pytest.approx(9000)
    assert frame.loc[("hongqiao", "gdp"), "value"] == pytest.approx(805000)
    assert frame.loc[("focus", "energy_total"), "value"] == pytest.approx(40000)
    assert ("chengjiaqiao", "gdp") not in frame.index  # — : no figure, said in the notes
    assert set(frame["source"]) == {"区统计局"} and set(frame["period"]) == {"Q3"}
    # 双桥双新泾合计 against its four 街镇: energy 4.0 against 3.9 万吨 is said; GDP is not
    # compared, as 程家桥 has no figure (—).
    assert checked.total_mismatches == [(8, "focus", 40000.0, 39000.0)]
    notes = "\n".join(checks.reading_notes(checked, "zh"))
    assert "第 9、10 行为表注" in notes and "1 个单元格标为无数据" in notes
    english = "\n".join(checks.reading_notes(checked, "en"))
    assert "Rows 9, 10 are notes" in english


def test_two_row_header_current_previous_and_growth_checked_not_loaded():
    raw, checked = _read(xlsx_bytes(TWO_ROW, merges=TWO_ROW_MERGES), "t.xlsx")
    assert checked.ok
    by_header = {c.header: c for c in raw.reading.columns}
    assert by_header["能源消费量(吨标准煤) / 上年同期"].previous
    assert by_header["能源消费量(吨标准煤) / 增速%"].role == "growth"
    assert by_header["备注"].role == "note"
    assert checked.frame.set_index("scope_code")["note"].to_dict() == {
        "hongqiao": None,
        "beixinjing": "含新建楼宇",
    }
    frame = checked.frame.set_index(["scope_code", "year"])
    assert frame.loc[("hongqiao", 2025), "value"] == 12000
    assert frame.loc[("hongqiao", 2024), "value"] == 12500
    assert set(checked.frame["indicator_id"]) == {"energy_total"}
    # 北新泾: 9000 on 8000 is +12.5%, the file says 9.9: a warning, and it still loads
    (note,) = checked.notes
    assert (note.key, note.row, note.value) == ("layout_growth_differs", 5, "9.9")
    assert "12.50%" in checks.describe(note, "zh")


def test_month_grid_sums_months_to_year_to_date_and_checks_the_total():
    raw, checked = _read(csv_bytes(_months(9), "gbk"), "m.csv")
    assert (
        checked.ok
        and raw.reading.shape
        == files.read_upload(csv_bytes(_months(10), "gbk"), "m10.csv").reading.shape
    )  # next month's file, one column more, is the same shape
    frame = checked.frame.set_index(["scope_code", "period"])["value"]
    assert frame[("hongqiao", "M01")] == 100
    assert frame[("hongqiao", "Q1")] == 300
    assert frame[("xinjing", "Q3")] == 1800
    assert len(frame) == 18
    (note,) = checked.notes  # 新泾镇's 合计 999 is not its months' 1800
    assert (note.key, note.row) == ("layout_total_differs", 4)


def test_budget_lines_by_year_columns():
    raw, checked = _read(xlsx_bytes(BUDGET), "b.xlsx")
    assert raw.reading.kind == "budget" and checked.ok
    frame = checked.frame.set_index(["item", "year"])["amount_10k_yuan"]
    assert frame[("节能减排降碳专项资金", 2024)] == 815
    assert frame[("低碳社区建设", 2023)] == 200
    assert checked.summary_rows == [5]
    assert checked.notes == []  # 815/800 is +1.875%, written 1.88: within rounding


def test_what_cannot_be_known_is_asked_never_guessed():
    # No year in the title, a lone 9月 column (the month, or January to September?), a
    # column no indicator matches.
    rows = [
        ["分街镇情况表", None, None],
        ["街道", "9月", "绿化面积"],
        ["虹桥街道", 5, 6],
        ["新泾镇", 7, 8],
    ]
    raw, checked = _read(xlsx_bytes(rows), "q.xlsx")
    keys = {p.key for p in checked.problems}
    assert {"layout_no_year", "layout_ambiguous", "layout_no_indicator"} <= keys
    assert checked.frame.empty
    lines = [checks.describe(p, "zh") for p in checked.problems]
    assert any("1-9月 / Q3" in line for line in lines)
    # The title's 三季度 is asked too, with the forms to write
    assert layout.title_period("2025年三季度分街镇能耗") == (2025, None, "1-9月 / Q3")
    assert layout.title_period("2025年1至9月分街镇能耗")[:2] == (2025, "Q3")
    assert layout.title_period("2024年度低碳经费")[:2] == (2024, "Y")
    assert layout.title_period("2025年上半年")[:2] == (2025, "Q2")
    assert periods.ambiguous_suggestion(13) == ""


def test_a_bad_cell_is_named_by_its_own_column_and_nothing_loads():
    rows = [r[:] for r in BY_INDICATOR]
    rows[4][3] = "四十"
    raw, checked = _read(xlsx_bytes(rows), "w.xlsx")
    (problem,) = checked.problems
    assert (problem.row, problem.column, problem.value) == (5, "地区生产总值", "四十")
    assert checked.frame.empty or 5 not in set(checked.frame["excel_row"])


def test_the_cli_asks_then_accepts_keeps_a_recipe_and_reads_next_month_by_itself(work_db, tmp_path):
    first = tmp_path / "能耗9月.xlsx"
    first.write_bytes(xlsx_bytes(TWO_ROW, merges=TWO_ROW_MERGES))
    before = snapshot(work_db)
    asked = cli("load", str(first))
    assert asked.returncode == 4, asked.stderr
    assert "本期" in asked.stdout and "--accept" in asked.stderr
    assert snapshot(work_db) == before  # asking wrote nothing
    done = cli("load", str(first), "--accept", "--save-recipe", "街镇主要指标")
    assert done.returncode == 0, done.stderr
    assert "街镇主要指标" in cli("recipe", "list").stdout
    shown = cli("recipe", "show", "街镇主要指标")
    assert shown.returncode == 0 and "上年同期" in shown.stdout

    nxt = [r[:] for r in TWO_ROW]
    nxt[0][0] = "2025年1-10月长宁区分街镇主要指标"
    nxt[3][1] = 13300
    second = tmp_path / "能耗10月.xlsx"
    second.write_bytes(xlsx_bytes(nxt, merges=TWO_ROW_MERGES))
    again = cli("load", str(second))
    assert again.returncode == 0, again.stderr
    assert "街镇主要指标" in again.stdout
    out = cli("show", "energy_total", "--street", "虹桥", "--year", "2025", "--period", "M10")
    assert "13300" in out.stdout.replace(",", "")

    assert cli("load", str(second), "--recipe", "无此模板").returncode == 2
    assert cli("recipe", "remove", "街镇主要指标").returncode == 0
    assert cli("recipe", "show", "街镇主要指标").returncode == 1


def test_a_year_and_period_given_on_the_command_line(work_db, tmp_path):
    rows = [
        ["分街镇能耗情况表", None],
        ["街道", "能源消费量（吨标准煤）"],
        ["虹桥街道", 5000],
        ["新泾镇", 7000],
    ]
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    assert cli("load", str(path), "--accept").returncode == 2  # no year: nothing loads
    done = cli("load", str(path), "--year", "2023", "--period", "1-6月", "--accept")
    assert done.returncode == 0, done.stderr
    out = cli("show", "energy_total", "--street", "新泾镇", "--year", "2023", "--period", "Q2")
    assert "7000" in out.stdout.replace(",", "")


def test_a_recipe_keeps_choices_not_dates(work_db):
    raw, _ = _read(xlsx_bytes(TWO_ROW, merges=TWO_ROW_MERGES), "t.xlsx")
    reading = raw.reading
    for col in reading.columns:
        if col.header == "备注":
            col.role, col.reason = "unused", "chosen"
    recipes.save("r", reading, "test", None)
    kept = recipes.named("r")["body"]
    assert all(set(choice) == set(recipes.CHOICES) for choice in kept["columns"].values())
    nxt = [r[:] for r in TWO_ROW]
    nxt[0][0] = "2026年1-3月长宁区分街镇主要指标"
    raw2 = files.read_upload(xlsx_bytes(nxt, merges=TWO_ROW_MERGES), "n.xlsx")
    settled = recipes.settle(raw2.reading).reading
    assert settled.recipe == "r" and settled.recipe_by == "test"
    assert (settled.year, settled.period) == (2026, "Q1")  # from the new title
    assert {c.header: c.role for c in settled.columns}["备注"] == "unused"


def test_a_transposed_table_indicators_as_rows_and_streets_as_columns():
    rows = [
        ["2025年1-9月长宁区西部四街镇主要指标", None, None, None, None, None],
        ["序号", "指标名称", "虹桥街道", "北新泾街道", "双桥双新泾", "合计"],
        [1, "综合能源消费量（万吨标准煤）", 1.2, 0.9, 2.1, 2.1],
        [2, "地区生产总值（亿元）", 80, 40, 120, 120],
        [3, "常住人口（万人）", 8, 6, 14, 14],
    ]
    raw, checked = _read(csv_bytes(rows, "gbk"), "t.csv")
    assert raw.reading.transposed and checked.ok, checked.problems
    roles = {c.header: (c.role, c.scope, c.reason) for c in raw.reading.columns}
    assert roles["双桥双新泾"] == ("value", "focus", "")
    assert roles["合计"][0] == "unused"
    frame = checked.frame.set_index(["scope_code", "indicator_id"])["value"]
    assert frame[("beixinjing", "energy_total")] == pytest.approx(9000)
    assert frame[("focus", "gdp")] == pytest.approx(1_200_000)
    assert len(frame) == 6  # 常住人口 is no indicator here: said, not loaded
    (note,) = checked.notes
    assert (note.key, note.row, note.value) == ("layout_row_unknown", 5, "常住人口(万人)")


def test_figures_with_no_unit_anywhere_must_be_plausible_for_a_street():
    # No unit row, none in the headers or cells: read in the catalogue's units. 1.2 (万吨)
    # and 80 (亿元) as tce and 万元 would be off by 10,000: refused, naming the cells.
    rows = [
        ["2025年度长宁区分街镇主要指标", None, None],
        ["街道", "能源消费量", "地区生产总值"],
        ["虹桥街道", 1.2, 80],
        ["新泾镇", 15000, 600000],
    ]
    _, checked = _read(xlsx_bytes(rows), "n.xlsx")
    assert sorted((p.key, p.row, p.column, p.value) for p in checked.problems) == [
        ("implausible_value", 3, "地区生产总值", "80"),
        ("implausible_value", 3, "能源消费量", "1.2"),
    ]
    assert "单位（万、亿）是否有误" in checks.describe(checked.problems[0], "zh")
    rows[2][1:] = [12000, 800000]
    _, fine = _read(xlsx_bytes(rows), "n.xlsx")
    assert fine.ok and len(fine.frame) == 4


def test_a_register_missing_a_column_is_told_so_not_read_as_a_wide_table():
    rows = [["项目名称", "所属街镇", "支持金额（万元）"], ["A楼改造", "虹桥", 30]]
    raw, checked = _read(csv_bytes(rows, "gbk"), "p.csv")
    assert raw.reading is None and checked.kind == "projects"
    assert checked.problems[0].key == "missing_column"
    assert checks.describe(checked.problems[0], "zh") == "缺少必填列“年份”"


def _shown(indicator: str, street: str, year: int, period: str) -> float:
    args = ["--street", street, "--year", str(year), "--period", period, "--format", "csv"]
    out = cli("show", indicator, *args)
    assert out.returncode == 0, out.stderr
    header, *rows = [line.split(",") for line in out.stdout.strip().splitlines()]
    return float(rows[0][header.index("value")])


SHAPES = {  # file, then (indicator, street, year, period, value) as `show` gives it
    "indicators.xlsx": (
        lambda: xlsx_bytes(BY_INDICATOR, merges=["A1:D1"]),
        ("gdp", "新泾镇", 2025, "Q3", 600_000),
    ),
    "months.csv": (lambda: csv_bytes(_months(9), "gbk"), ("energy_total", "虹桥", 2025, "Q2", 600)),
    "budget.xlsx": (
        lambda: xlsx_bytes(
            [
                [
                    c.replace("2023", "2031").replace("2024", "2032") if isinstance(c, str) else c
                    for c in r
                ]
                for r in BUDGET
            ]
        ),
        ("lowcarbon_budget", "全区", 2032, "Y", 1018),
    ),
    "transposed.csv": (
        lambda: csv_bytes(
            [
                ["2025年1-9月西部街镇主要指标", None, None],
                ["指标名称", "程家桥街道", "新泾镇"],
                ["地区生产总值（亿元）", 20, 60],
            ],
            "gbk",
        ),
        ("gdp", "程家桥", 2025, "Q3", 200_000),
    ),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_each_shape_loads_through_the_command_line_and_shows_right(work_db, tmp_path, name):
    make, (indicator, street, year, period, value) = SHAPES[name]
    path = tmp_path / name
    path.write_bytes(make())
    assert cli("load", str(path)).returncode == 4
    done = cli("load", str(path), "--accept")
    assert done.returncode == 0, done.stderr
    assert _shown(indicator, street, year, period) == pytest.approx(value)


def test_a_wide_sheet_is_found_behind_a_cover_sheet_and_named_for_its_recipe():
    cover = [["填报说明"], ["1. 请按街镇填写"], ["2. 单位见表头"]]
    data = xlsx_bytes(cover, sheet="填报说明", extra_sheets={"分街镇": BY_INDICATOR})
    raw, checked = _read(data, "w.xlsx")
    assert raw.sheet == "分街镇" and checked.ok
    assert "已读取工作表“分街镇”；未读取：填报说明" in checks.reading_notes(checked, "zh")
    assert layout.name_of(raw.reading) == "长宁区分街镇能耗情况表"


def test_a_transposed_tables_street_is_named_by_its_column_when_refused():
    rows = [
        ["2025年1-9月西部街镇主要指标", None, None],
        ["指标名称", "虹桥街道", "新泾镇"],
        ["地区生产总值（亿元）", 20, 60],
    ]
    raw = files.read_upload(csv_bytes(rows, "gbk"), "t.csv")
    (problem,) = checks.check(raw, allowed_scopes={"hongqiao"}).problems
    assert (problem.key, problem.row, problem.column) == ("scope_not_allowed", 3, "新泾镇")


def test_a_source_line_under_the_table_is_stored_as_written():
    written = "区统计局（快报），２０２５年１０月"
    rows = [*BY_INDICATOR[:-1], [f"数据来源：{written}", None, None, None]]
    raw, checked = _read(xlsx_bytes(rows, merges=["A1:D1"]), "w.xlsx")
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert raw.reading.source == written and set(checked.frame["source"]) == {written}
