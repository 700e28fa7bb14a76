"""Units are never dropped: a 计量单位 column, a unit in the value column's header, or a
column of units that cannot be read refuses the file. Columns left out are listed, and
numbers that are not finite, or written in full-width digits, are handled by row."""

import io

import pandas as pd
import pytest

from indicators.intake import checks, files
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli, snapshot

HEAD = ["街镇", "年份", "期间", "指标", "数值"]


def _show(indicator: str, street: str, year: int) -> float:
    res = cli("show", indicator, "--street", street, "--year", str(year), "--format", "csv")
    assert res.returncode == 0, res.stderr
    return float(pd.read_csv(io.StringIO(res.stdout))["value"].iloc[0])


@pytest.mark.parametrize("make", ["gbk_csv", "xlsx"])
def test_a_measurement_unit_column_converts_every_row(work_db, tmp_path, make):
    rows = [
        ["2025年长宁区能耗与GDP（测算）"],
        [*HEAD, "计量单位"],
        ["虹桥街道", 2025, "全年", "能源消费总量", 12.5, "万吨标准煤"],
        ["新泾镇", 2025, "全年", "地区生产总值", 3.2, "亿元"],
    ]
    path = tmp_path / ("f.csv" if make == "gbk_csv" else "f.xlsx")
    path.write_bytes(csv_bytes(rows, "gbk") if make == "gbk_csv" else xlsx_bytes(rows))
    res = cli("load", str(path), "--accept", "--replace")
    assert res.returncode == 0, res.stderr
    assert _show("energy_total", "虹桥", 2025) == 125_000  # tce, not 12.5
    assert _show("gdp", "新泾镇", 2025) == 32_000  # 万元, not 3.2


def test_a_unit_in_the_value_header_converts_and_a_different_row_unit_is_refused(work_db, tmp_path):
    path = tmp_path / "h.csv"
    path.write_bytes(
        csv_bytes([[*HEAD[:4], "数值（万吨标准煤）"], ["程家桥", 2024, "Y", "能源消费总量", 1.5]])
    )
    assert cli("load", str(path), "--accept", "--replace").returncode == 0
    assert _show("energy_total", "程家桥", 2024) == 15_000
    both = tmp_path / "both.csv"
    both.write_bytes(
        csv_bytes(
            [
                [*HEAD[:4], "数值（万吨标准煤）", "单位"],
                ["程家桥", 2024, "Y", "能源消费总量", 2, "吨标准煤"],
            ]
        )
    )
    before = snapshot(work_db)
    res = cli("load", str(both), "--replace")
    assert res.returncode == 2 and "第2行" in res.stderr and "吨标准煤" in res.stderr
    assert snapshot(work_db) == before


@pytest.mark.parametrize(
    ("rows", "column"),
    [
        # a second unit column beside the one read
        ([[*HEAD, "单位", "计量单位"], ["虹桥", 2025, "Y", "gdp", 3, "亿元", "亿元"]], "计量单位"),
        # a register has no unit column: its 单位 would be dropped
        (
            [["项目名称", "街镇", "年份", "金额", "单位"], ["某项目", "虹桥", 2025, 35, "万元"]],
            "单位",
        ),
        # a column of units under a header we do not know
        (
            [
                [*HEAD, "口径"],
                ["虹桥", 2025, "Y", "gdp", 3, "亿元"],
                ["新泾", 2025, "Y", "gdp", 3, "亿元"],
            ],
            "口径",
        ),
    ],
)
def test_a_column_of_units_that_is_not_read_refuses_the_file(work_db, tmp_path, rows, column):
    path = tmp_path / "u.csv"
    path.write_bytes(csv_bytes(rows, "gbk"))
    before = snapshot(work_db)
    res = cli("load", str(path), "--replace")
    assert res.returncode == 2, res.stdout
    assert f"“{column}”列是计量单位" in res.stderr
    assert snapshot(work_db) == before


def test_every_column_left_out_is_listed_with_why(work_db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(
        csv_bytes([[*HEAD, "联系人", "值"], ["虹桥", 2025, "Y", "gdp", 3, "张三", 4]], "gbk")
    )
    res = cli("load", str(path), "--accept", "--dry-run")
    assert res.returncode == 0, res.stderr
    assert "“联系人”（表头未识别）" in res.stdout
    assert "“值”（与已读取的“数值”列同义" in res.stdout
    en = cli("load", str(path), "--accept", "--dry-run", "--lang", "en")
    assert "'联系人' (header not recognised)" in en.stdout


@pytest.mark.parametrize("bulk", [False, True])
def test_numbers_that_are_not_finite_are_refused_and_full_width_digits_read(monkeypatch, bulk):
    if bulk:  # the Arrow reader of large system exports
        monkeypatch.setitem(files.declaration()["limits"], "bulk_csv_bytes", 0)
    rows = [
        HEAD,
        ["虹桥", 2025, "Y", "gdp", "1e309"],
        ["新泾", 2025, "Y", "gdp", "-1e400"],
        ["北新泾", 2025, "Y", "gdp", "１２３４.５"],
        ["程家桥", 2025, "Y", "gdp", "１，２３４"],
    ]
    checked = checks.check(files.read_upload(csv_bytes(rows), "n.csv"))
    assert [(p.row, p.key) for p in checked.problems] == [(2, "not_finite"), (3, "not_finite")]
    assert "不是有限数" in checks.describe(checked.problems[0], "zh")
    fine = checks.check(files.read_upload(csv_bytes([HEAD, *rows[3:]]), "n.csv"))
    assert fine.ok and fine.frame["value"].tolist() == [1234.5, 1234.0]


@pytest.mark.parametrize(
    ("header", "written", "amount"),
    [
        ("支持金额（元）", "350000", 35.0),
        ("金额(亿元)", "0.5", 5000.0),
        ("amount (10k yuan)", "35", 35.0),
    ],
)
def test_a_unit_in_a_register_header_converts(header, written, amount):
    rows = [["项目名称", "街镇", "年份", header], ["某大厦节能改造", "虹桥", 2025, written]]
    checked = checks.check(files.read_upload(csv_bytes(rows, "gbk"), "p.csv"))
    assert checked.ok, checked.problems
    assert checked.frame["amount_10k_yuan"].tolist() == [amount]


STRAY_QUOTE = (
    "街镇,年份,期间,指标,数值,备注\r\n"
    '虹桥街道,2025,Y,能源消费总量,1234,"据区统计局\r\n'
    "新泾镇,2025,Y,地区生产总值,56,\r\n"
    "程家桥,2025,Y,地区生产总值,57,\r\n"
    '北新泾,2025,Y,地区生产总值,58,"多行备注\r\n第二行"\r\n'
)


def test_a_stray_quote_that_swallows_the_rest_refuses_the_file(work_db, tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(STRAY_QUOTE.encode("gbk"))
    before = snapshot(work_db)
    res = cli("load", str(path), "--replace")
    assert res.returncode == 2 and "第2行" in res.stderr and "引号" in res.stderr
    assert snapshot(work_db) == before
    # A quoted cell over several lines, closed, is fine.
    closed = STRAY_QUOTE.replace('"据区统计局', '"据区统计局"')
    checked = checks.check(files.read_upload(closed.encode("gbk"), "q.csv"))
    assert checked.ok and len(checked.frame) == 4
    assert checked.frame["note"].iloc[3].splitlines() == ["多行备注", "第二行"]


def test_a_stray_quote_in_a_large_export_is_refused_too(monkeypatch):
    monkeypatch.setitem(files.declaration()["limits"], "bulk_csv_bytes", 0)
    checked = checks.check(files.read_upload(STRAY_QUOTE.encode("gbk"), "q.csv"))
    assert not checked.ok and checked.frame.empty


def test_a_unit_written_in_the_cell_converts_and_a_bare_multiplier_is_refused(work_db, tmp_path):
    rows = [
        HEAD,
        ["虹桥", 2015, "Y", "能源消费总量", "12.5万吨标准煤"],
        ["新泾镇", 2015, "Y", "地区生产总值", "3.2亿元"],
        ["程家桥", 2015, "Y", "能源消费总量", "1,234.5 tce"],
    ]
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes(rows, "gbk"))
    assert cli("load", str(path)).returncode == 0
    assert _show("energy_total", "虹桥", 2015) == 125_000
    assert _show("gdp", "新泾镇", 2015) == 32_000
    assert _show("energy_total", "程家桥", 2015) == 1234.5
    for bad, key in [
        (["北新泾", 2015, "Y", "能源消费总量", "12.5万"], "bare_multiplier"),
        (["北新泾", 2015, "Y", "能源消费总量", "12.5 apples"], "unit_no_convert"),
    ]:
        checked = checks.check(files.read_upload(csv_bytes([HEAD, bad]), "b.csv"))
        assert [(p.row, p.key) for p in checked.problems] == [(2, key)]


@pytest.mark.parametrize(
    ("header", "cell", "expected"),
    [
        ("金额", "35万元", 35.0),
        ("金额", "350000元", 35.0),
        ("金额", "0.5亿元", 5000.0),
        ("金额（万元）", "3亿元", "unit_twice"),  # the cell and the header disagree
        ("金额", "3万", "bare_multiplier"),
    ],
)
def test_a_unit_in_a_register_cell_converts_unless_it_contradicts_the_header(
    header, cell, expected
):
    rows = [["项目名称", "街镇", "年份", header], ["某项目", "虹桥", 2025, cell]]
    checked = checks.check(files.read_upload(csv_bytes(rows, "gbk"), "p.csv"))
    if isinstance(expected, str):
        assert [p.key for p in checked.problems] == [expected]
    else:
        assert checked.ok and checked.frame["amount_10k_yuan"].tolist() == [expected]


def test_a_cell_unit_that_contradicts_the_unit_column_is_refused():
    rows = [[*HEAD, "单位"], ["虹桥", 2015, "Y", "gdp", "3.2亿元", "万元"]]
    checked = checks.check(files.read_upload(csv_bytes(rows, "gbk"), "c.csv"))
    assert [(p.row, p.key) for p in checked.problems] == [(2, "unit_cell_twice")]
    year = checks.check(
        files.read_upload(csv_bytes([HEAD, ["虹桥", "2015abc", "Y", "gdp", 1]]), "y.csv")
    )
    assert [p.key for p in year.problems] == ["not_an_integer"]


def test_an_xlsx_that_unpacks_past_the_cap_is_refused_before_it_is_opened(monkeypatch):
    data = xlsx_bytes([HEAD, ["虹桥", 2025, "Y", "gdp", 1]] + [["x" * 50] * 5] * 2000)
    monkeypatch.setitem(files.declaration()["limits"], "xlsx_max_unpacked_bytes", 100_000)
    raw = files.read_upload(data, "big.xlsx")
    assert [p.key for p in raw.problems] == ["too_big_unpacked"] and not raw.rows
    assert "MB" in checks.describe(raw.problems[0], "zh")


def test_a_csv_over_the_row_limit_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setitem(files.declaration()["limits"], "csv_max_rows", 100)
    rows = [HEAD] + [["虹桥", 2025, "Y", "gdp", i] for i in range(200)]
    raw = files.read_upload(csv_bytes(rows), "many.csv")
    assert [p.key for p in raw.problems] == ["too_many_rows"]
    assert raw.cells is None and not raw.rows  # nothing was parsed


def test_control_characters_are_stripped_and_dates_and_years_must_be_sane():
    rows = [
        [*HEAD, "备注", "截至日期"],
        ["虹桥", 2025, "Y", "gdp", 5, "\x1b[31m红色\x1b[0m说明\u202e", "2025-10-20"],
    ]
    checked = checks.check(files.read_upload(csv_bytes(rows), "c.csv"))  # UTF-8
    assert checked.ok, checked.problems
    assert checked.frame.at[0, "note"] == "红色说明"
    bad = [
        rows[0],
        ["虹桥", 2025, "Y", "gdp", 5, "", "1900-01-01"],  # as_of long before any data
        ["新泾", 2099, "Y", "gdp", 5, "", ""],  # a year to come
    ]
    refused = checks.check(files.read_upload(csv_bytes(bad, "gbk"), "c.csv"))
    assert [(p.row, p.key) for p in refused.problems] == [
        (2, "date_out_of_range"),
        (3, "year_range"),
    ]
