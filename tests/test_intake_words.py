"""Officials' own words: headers, periods and indicator names as offices write them."""

import io

import pandas as pd
import pytest

from indicators import reference
from indicators.intake import checks, files, periods
from tests.conftest import query
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli, snapshot


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1-9月", "Q3"),
        ("1—9月", "Q3"),
        ("1至9月", "Q3"),
        ("一至九月", "Q3"),
        ("1~6月", "Q2"),
        ("1-3月", "Q1"),
        ("1-5月", "M05"),
        ("1-12月", "Y"),
        ("前三季度", "Q3"),
        ("上半年", "Q2"),
        ("第一季度", "Q1"),
        ("全年", "Y"),
        ("年度", "Y"),
        ("Q3", "Q3"),
        ("m06", "M06"),
        ("1月", "M01"),
        ("2025年1-9月", "Q3"),
        ("１－９月", "Q3"),
    ],
)
def test_period_words_mean_the_year_to_date_they_say(text, code):
    assert periods.parse_period(text)[0] == code


@pytest.mark.parametrize(
    ("text", "key", "suggest"),
    [
        ("三季度", "ambiguous_quarter", "1-9月 / Q3"),
        ("第二季度", "ambiguous_quarter", "1-6月 / Q2"),
        ("9月", "ambiguous_month", "1-9月 / Q3"),
        ("5月份", "ambiguous_month", "1-5月 / M05"),
        ("13月", "bad_period", ""),
        ("下半年", "bad_period", ""),
    ],
)
def test_a_period_that_could_mean_two_things_is_refused_with_what_to_write(text, key, suggest):
    with pytest.raises(periods.PeriodError) as err:
        periods.parse_period(text)
    assert (err.value.key, err.value.suggest) == (key, suggest)


def test_a_table_in_an_offices_words_loads_to_the_right_figures(work_db, tmp_path):
    rows = [
        ["所属街镇", "统计年度", "报告期", "统计指标", "本期数", "计量单位"],
        ["天山路街道", 2025, "1至9月", "综合能源消费量", 3.5, "万吨标准煤"],
        ["仙霞新村街道", 2025, "2025年1-9月", "CO₂ emissions", 8.25, "万吨二氧化碳"],
        ["虹桥", 2025, "前三季度", "地区生产总值", 1.25, "亿元"],
    ]
    path = tmp_path / "街道报表.xlsx"  # CO₂ has no GBK form: offices send it as .xlsx
    path.write_bytes(xlsx_bytes(rows))
    res = cli("load", str(path), "--accept", "--replace")
    assert res.returncode == 0, res.stderr
    for indicator, street, value in [
        ("energy_total", "天山路", 35_000),
        ("co2_total", "仙霞", 82_500),
        ("gdp", "虹桥", 12_500),
    ]:
        args = ["--street", street, "--year", "2025", "--period", "Q3", "--format", "csv"]
        res = cli("show", indicator, *args)
        assert res.returncode == 0, res.stderr
        assert pd.read_csv(io.StringIO(res.stdout))["value"].tolist() == [value], indicator


def test_an_ambiguous_period_and_a_period_of_another_year_refuse_the_file(work_db, tmp_path):
    rows = [
        ["街镇", "年份", "期间", "指标", "数值"],
        ["虹桥", 2025, "三季度", "gdp", 1],
        ["新泾镇", 2024, "2025年1-9月", "gdp", 2],
    ]
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    before = snapshot(work_db)
    res = cli("load", str(path))
    assert res.returncode == 2
    assert "第2行" in res.stderr and "1-9月 / Q3" in res.stderr
    assert "第3行" in res.stderr and "与“年份”列（2024）不同" in res.stderr
    assert snapshot(work_db) == before


@pytest.mark.parametrize(
    ("header", "kw"), [("装机容量（kWp）", 480.0), ("装机容量(MWp)", 480_000.0)]
)
def test_pv_capacity_in_kwp_counts_as_kw(header, kw):
    rows = [
        ["站点名称", "所在街镇", header, "并网时间"],
        ["某园区屋顶", "程家桥街道", 480, "2025-06-30"],
    ]
    checked = checks.check(files.read_upload(csv_bytes(rows, "gbk"), "pv.csv"))
    assert checked.ok, checked.problems
    assert checked.frame["capacity_kw"].tolist() == [kw]
    assert checked.frame["scope_code"].tolist() == ["chengjiaqiao"]


@pytest.mark.parametrize(
    ("cell", "name"), [(45838, "pv.xlsx"), ("45838", "pv.csv"), ("2025年6月30日", "pv.csv")]
)
def test_a_grid_date_as_an_excel_serial_or_as_text(cell, name):
    rows = [["站点名称", "所在街镇", "装机容量（千瓦）", "并网日期"], ["屋顶", "新泾镇", 50, cell]]
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, "gbk")
    checked = checks.check(files.read_upload(data, name))
    assert checked.ok, checked.problems
    assert str(checked.frame["grid_connected_on"].iloc[0])[:10] == "2025-06-30"
    bad = [rows[0], ["屋顶", "新泾镇", 50, 123]]  # a small number is no date
    refused = checks.check(files.read_upload(csv_bytes(bad, "gbk"), "pv.csv"))
    assert [p.key for p in refused.problems] == ["not_a_date"]


def test_the_catalogues_own_names_resolve_as_written():
    for ind in reference.catalogue():
        for name in (ind["name_zh"], ind["name_en"], ind["id"]):
            assert reference.resolve_indicator(name) == ind["id"], name


def test_no_indicator_name_or_alias_names_two_indicators():
    seen = {}
    for ind in reference.catalogue():
        for name in (ind["id"], ind["name_zh"], ind["name_en"], *ind.get("aliases", [])):
            key = "".join(name.split()).casefold()
            assert seen.setdefault(key, ind["id"]) == ind["id"], name
            assert reference.resolve_indicator(name) == ind["id"], name


def test_the_data_sheet_is_found_behind_a_cover_sheet_and_the_others_are_named(work_db, tmp_path):
    path = tmp_path / "报表.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [["填报说明"], ["请按要求填写，单位：吨标准煤"]],
            sheet="填报说明",
            extra_sheets={
                "数据": [["街镇", "年份", "期间", "指标", "数值"], ["虹桥", 2014, "Y", "gdp", 5]],
                "附表": [["联系人", "电话"]],
            },
        )
    )
    res = cli("load", str(path), "--accept")
    assert res.returncode == 0, res.stderr
    assert "已读取工作表“数据”；未读取：填报说明、附表" in res.stdout
    assert cli("show", "gdp", "--street", "虹桥", "--year", "2014").returncode == 0
    named = cli("load", str(path), "--sheet", "填报说明")  # the sheet asked for is read
    assert named.returncode == 2


def test_a_street_named_inside_an_address_is_that_street_and_a_road_name_is_not():
    rows = [
        ["项目名称", "街镇", "年份", "金额"],
        ["甲项目", "上海市长宁区天山路街道仙霞路99号", 2025, 10],
        ["乙项目", "长宁区新泾镇天山西路", 2025, 10],
        ["丙项目", "长宁区虹桥路1号", 2025, 10],  # 虹桥路 runs through several 街镇
        ["丁项目", "天山路街道与仙霞新村街道交界处", 2025, 10],  # two: not guessed
    ]
    checked = checks.check(files.read_upload(csv_bytes(rows, "gbk"), "p.csv"))
    assert [(p.row, p.key) for p in checked.problems] == [
        (4, "unknown_scope"),
        (5, "unknown_scope"),
    ]
    ok = checks.check(files.read_upload(csv_bytes(rows[:3], "gbk"), "p.csv"))
    assert ok.frame["scope_code"].tolist() == ["tianshanlu", "xinjing"]


def test_a_year_with_its_batch_gives_both_and_the_batch_is_kept(work_db, tmp_path):
    rows = [
        ["项目名称", "所属街镇", "年度", "支持金额（万元）"],
        ["甲楼空调改造", "虹桥", "2024年第一批", 30],
        ["乙楼照明改造", "新泾镇", "2024年度第2批次", 20],
        ["丙楼光伏", "新泾镇", 2024, 10],
    ]
    path = tmp_path / "专项资金项目.csv"
    path.write_bytes(csv_bytes(rows, "gbk"))
    done = cli("load", str(path))
    assert done.returncode == 0, done.stderr
    got = query(
        work_db, "select name, year, batch from funded_projects where not is_demo order by name"
    )
    assert got == [
        ("丙楼光伏", 2024, None),
        ("乙楼照明改造", 2024, "第2批次"),
        ("甲楼空调改造", 2024, "第一批"),
    ]
