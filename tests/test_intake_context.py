"""Where each row's 街镇 comes from when a long file has no 街镇 column (issue 24): one 街镇
for the whole file (--scope), the title, an address column, the sheet a row is on; and
registers from other offices (a grid company's PV list, a project register). Every shape
is loaded through the command line and checked with `show` or a query; every reading
that is not certain is refused, saying what to set."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from tests.conftest import query
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli

ACCEPT = ("--accept", "--note", "test figures")
NO_SCOPE = [
    ["年份", "期间", "指标", "数值", "单位"],
    [2025, "Q3", "能源消费总量", "12,345.6", "吨标准煤"],
]


def _values(year: int = 2025, period: str = "Q3") -> dict[str, float]:
    """Each 街镇's energy_total as `show` prints it (one command for every 街镇)."""
    done = cli("show", "energy_total", "--year", str(year), "--period", period)
    found = re.findall(
        r"^\s*(\w+)\s+\S+\s+\d{4}\s+\w+\s+energy_total\s+([\d.]+)", done.stdout, re.M
    )
    return {code: float(value) for code, value in found}


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_scope_option_gives_every_row_its_scope(work_db, tmp_path):
    path = _write(tmp_path, "hq.csv", csv_bytes(NO_SCOPE, "gbk"))
    refused = cli("load", path, *ACCEPT)
    assert refused.returncode == 2 and "--scope" in refused.stderr, refused.stderr
    done = cli("load", path, "--scope", "虹桥", *ACCEPT)
    assert done.returncode == 0, done.stdout + done.stderr
    shown = _values()
    assert shown["hongqiao"] == 12345.6 and shown["xinjing"] != 12345.6


def test_an_unknown_scope_option_is_refused(work_db, tmp_path):
    path = _write(tmp_path, "hq.csv", csv_bytes(NO_SCOPE, "gbk"))
    done = cli("load", path, "--scope", "虹桥路", *ACCEPT)
    assert done.returncode == 2 and "虹桥路" in done.stderr and "虹桥街道" in done.stderr


def test_a_scope_option_the_files_scope_column_contradicts_is_refused_naming_rows(
    work_db, tmp_path
):
    rows = [["街镇", *NO_SCOPE[0]], ["虹桥街道", *NO_SCOPE[1]], ["新泾镇", *NO_SCOPE[1]]]
    path = _write(tmp_path, "two.csv", csv_bytes(rows, "gbk"))
    done = cli("load", path, "--scope", "虹桥街道", *ACCEPT)
    assert done.returncode == 2, done.stdout
    assert "第3行" in done.stderr and "新泾镇" in done.stderr and "--scope" in done.stderr
    assert "第2行" not in done.stderr


def test_a_street_editors_scope_option_for_another_street_is_refused(editors, tmp_path):
    path = _write(tmp_path, "xj.csv", csv_bytes(NO_SCOPE, "gbk"))
    done = cli("load", path, "--scope", "新泾镇", "--editor", "hq", *ACCEPT)
    assert done.returncode == 2, done.stdout
    assert "无权修改" in done.stderr and "新泾镇" in done.stderr
    own = cli("load", path, "--scope", "虹桥街道", "--editor", "hq", *ACCEPT)
    assert own.returncode == 0, own.stdout + own.stderr


TITLED = [["指标", "数值", "单位"], ["能源消费总量", "12,345.6", "吨标准煤"]]


def test_a_title_naming_one_street_gives_the_street_year_and_period(work_db, tmp_path):
    rows = [["长宁区虹桥街道2025年1-9月能耗情况", None, None], *TITLED]
    path = _write(tmp_path, "t.xlsx", xlsx_bytes(rows, merges=["A1:C1"]))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "标题" in done.stdout and "虹桥街道" in done.stdout
    assert _values()["hongqiao"] == 12345.6


@pytest.mark.parametrize(
    "title",
    ["虹桥街道、新泾镇2025年1-9月能耗情况", "虹桥2025年1-9月能耗情况", "虹桥路沿线2025年1-9月"],
)
def test_a_title_with_two_streets_or_a_short_name_is_not_taken(work_db, tmp_path, title):
    path = _write(tmp_path, "t.xlsx", xlsx_bytes([[title, None, None], *TITLED]))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 2, done.stdout
    assert "--scope" in done.stderr and "街镇" in done.stderr


def test_a_long_file_without_year_or_period_asks_for_them(work_db, tmp_path):
    rows = [["虹桥街道能耗情况", None, None], *TITLED]
    path = _write(tmp_path, "t.xlsx", xlsx_bytes(rows))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 2 and "--year" in done.stderr, done.stderr
    done = cli("load", path, "--year", "2025", *ACCEPT)
    assert done.returncode == 2 and "--period" in done.stderr, done.stderr
    done = cli("load", path, "--year", "2025", "--period", "1-9月", *ACCEPT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _values()["hongqiao"] == 12345.6


PV = [
    ["户号", "户名", "用电地址", "装机容量", "并网日期"],
    ["3100001", "某园区屋顶", "上海市长宁区虹桥街道虹桥路1号", "500kWp", "2025.03.15"],
    ["3100002", "某厂房", "长宁区新泾镇天山西路2号", "1.2MW", "2025/3/5"],
    ["3100003", "某商务楼", "长宁区程家桥街道 哈密路3号", "350 千瓦", datetime(2025, 6, 30)],
]


def test_a_grid_companys_pv_list_loads_with_the_street_from_the_address(work_db, tmp_path):
    path = _write(tmp_path, "pv.xlsx", xlsx_bytes(PV))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "各行的街镇取自“用电地址”列地址" in done.stdout  # said, not silently taken
    got = query(
        work_db,
        "select site_id, site, scope_code, capacity_kw, cast(grid_connected_on as varchar) "
        "from pv_installations where site_id like '31000%' order by 1",
    )
    assert got == [
        ("3100001", "某园区屋顶", "hongqiao", 500.0, "2025-03-15"),
        ("3100002", "某厂房", "xinjing", 1200.0, "2025-03-05"),
        ("3100003", "某商务楼", "chengjiaqiao", 350.0, "2025-06-30"),
    ]


@pytest.mark.parametrize(
    "address", ["长宁区虹桥路88号", "长宁区虹桥街道与新泾镇交界处", "虹桥 天山路1号"]
)
def test_an_address_naming_no_street_or_two_is_refused_naming_the_cell(work_db, tmp_path, address):
    rows = [PV[0], PV[1], [PV[2][0], PV[2][1], address, *PV[2][3:]]]
    path = _write(tmp_path, "pv.csv", csv_bytes(rows, "gbk"))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 2, done.stdout
    assert f"第3行，“用电地址”列，值“{address}”" in done.stderr, done.stderr
    assert "--scope" in done.stderr and "第2行" not in done.stderr
    assert query(work_db, "select count(*) from pv_installations where site_id like '31000%'") == [
        (0,)
    ]


def _projects(scopes: list[str | None], addresses: list[str]) -> list[list[object]]:
    rows = [["项目名称", "街镇", "项目地址", "支持金额（元）", "年度"]]
    for n, (scope, address) in enumerate(zip(scopes, addresses, strict=True)):
        rows.append([f"改造项目{n}", scope, address, "350000", "2024年"])
    return rows


def test_a_blank_street_is_taken_from_the_address_and_said_never_from_the_row_above(
    work_db, tmp_path
):
    rows = _projects(["虹桥街道", None], ["长宁区虹桥街道A路1号", "长宁区新泾镇B路2号"])
    path = _write(tmp_path, "p.csv", csv_bytes(rows, "gbk"))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "第 3 行" in done.stdout and "项目地址" in done.stdout
    got = query(work_db, "select name, scope_code from funded_projects where name like '改造%'")
    assert sorted(got) == [("改造项目0", "hongqiao"), ("改造项目1", "xinjing")]
    # an address naming no 街镇 leaves the blank empty: asked, not the row above's
    rows = _projects(["虹桥街道", None], ["长宁区虹桥街道A路1号", "长宁区虹桥路2号"])
    path = _write(tmp_path, "q.csv", csv_bytes(rows, "gbk"))
    done = cli("load", path, "--dry-run", *ACCEPT)
    assert done.returncode == 2 and "第3行" in done.stderr, done.stdout + done.stderr


def test_a_street_cell_the_address_contradicts_is_refused_naming_both(work_db, tmp_path):
    rows = _projects(["虹桥街道", "虹桥街道"], ["长宁区虹桥街道A路1号", "长宁区新泾镇B路2号"])
    path = _write(tmp_path, "p.csv", csv_bytes(rows, "gbk"))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 2, done.stdout
    assert "第3行" in done.stderr and "长宁区新泾镇B路2号" in done.stderr
    assert "虹桥街道" in done.stderr and "第2行" not in done.stderr


FORM = [["指标", "单位", "数值"], ["能源消费总量", "吨标准煤", "12,345.6"]]


def test_a_workbook_with_one_sheet_per_street_reads_every_sheet(work_db, tmp_path):
    sheets = {"虹桥街道": FORM, "新泾": [FORM[0], ["能源消费总量", "万吨标准煤", "2.5"]]}
    data = xlsx_bytes([["请按表填写，每个街镇一张表"]], sheet="填报说明", extra_sheets=sheets)
    path = _write(tmp_path, "s.xlsx", data)
    asked = cli("load", path, *ACCEPT)
    assert asked.returncode == 2 and "--year" in asked.stderr, asked.stderr
    done = cli("load", path, "--year", "2025", "--period", "Q3", *ACCEPT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "填报说明" in done.stdout
    shown = _values()
    assert shown["hongqiao"] == 12345.6 and shown["xinjing"] == 25000


def test_a_bad_cell_on_a_sheet_is_said_on_its_sheet(work_db, tmp_path):
    titled = [["2025年1-9月能耗情况"], *FORM]
    bad = [["2025年1-9月能耗情况"], FORM[0], ["能源消费总量", "吨标准煤", "一万"]]
    data = xlsx_bytes(titled, sheet="虹桥街道", extra_sheets={"新泾镇": bad})
    path = _write(tmp_path, "s.xlsx", data)
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 2, done.stdout
    assert "工作表 新泾镇 第3行" in done.stderr, done.stderr


def test_sheets_whose_titles_name_other_years_are_asked(work_db, tmp_path):
    data = xlsx_bytes(
        [["2025年1-9月能耗情况"], *FORM],
        sheet="虹桥街道",
        extra_sheets={"新泾镇": [["2024年1-9月能耗情况"], *FORM]},
    )
    done = cli("load", _write(tmp_path, "s.xlsx", data), *ACCEPT)
    assert done.returncode == 2 and "--year" in done.stderr, done.stderr


def test_a_project_register_in_yuan_with_batches_and_contact_columns(work_db, tmp_path):
    rows = [
        [
            "序号",
            "项目名称",
            "项目单位",
            "街镇",
            "支持金额（元）",
            "年度",
            "批次",
            "联系人",
            "联系电话",
            "备注",
        ],
        [
            1,
            "某大厦空调节能改造",
            "某公司",
            "虹桥街道",
            "350,000",
            "2024年",
            "2024年第一批",
            "张三",
            "13800000000",
            "",
        ],
        [
            2,
            "某园区光伏",
            "某园区",
            "新泾镇",
            "1200000",
            "2024年",
            "2024年第二批",
            "李四",
            "021-12345678",
            "续建",
        ],
    ]
    path = _write(tmp_path, "reg.csv", csv_bytes(rows, "gbk"))
    done = cli("load", path, *ACCEPT)
    assert done.returncode == 0, done.stdout + done.stderr
    for column in ("序号", "联系人", "联系电话", "备注"):
        assert column in done.stdout
    got = query(
        work_db,
        "select name, scope_code, amount_10k_yuan, year, batch from funded_projects "
        "where name in ('某大厦空调节能改造', '某园区光伏') order by 1",
    )
    assert got == [
        ("某园区光伏", "xinjing", 120.0, 2024, "2024年第二批"),
        ("某大厦空调节能改造", "hongqiao", 35.0, 2024, "2024年第一批"),
    ]
