"""Reading and checking uploads: every format quirk, every kind of mistake."""

from datetime import date

import pandas as pd
import pytest

from indicators.exports import templates
from indicators.intake import checks, files
from tests.intake_files import GBK_ROWS, csv_bytes, xlsx_bytes


def checked(data: bytes, name: str, kind=None, sheet=None, allowed=None):
    raw = files.read_upload(data, name, kind=kind, sheet=sheet)
    return checks.check(raw, allowed_scopes=allowed)


def values(result):
    return {(r.scope_code, r.indicator_id, r.period): r.value for r in result.frame.itertuples()}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_every_encoding_with_title_blank_and_summary_rows(encoding):
    result = checked(csv_bytes(GBK_ROWS, encoding), "能耗.csv")
    assert result.ok, result.problems
    assert result.kind == "observations"
    assert values(result) == {
        ("hongqiao", "energy_total", "Q3"): pytest.approx(12345.6),  # full-width digits
        ("xinjing", "energy_total", "Q3"): pytest.approx(15000),  # 万吨标准煤 -> tce
        ("beixinjing", "energy_total", "Q3"): pytest.approx(9876),  # thousands separator
    }
    assert result.summary_rows == [7]  # 合计, recognised and not loaded as a 街镇
    assert set(result.frame["unit"]) == {"tce"}


def test_xlsx_with_merged_title_english_headers_and_merged_street_cells():
    rows = [
        ["Energy by subdistrict, 2025", None, None, None, None, None],
        ["street", "year", "period", "indicator", "value", "unit"],
        ["Hongqiao", 2025, "Y", "Total energy consumption", 1000, "tce"],
        [None, 2025, "Y", "gdp", "1,234,567", "亿元"],
        ["Xinjing Town", 2025, "Y", "pv_new", 2.5, "MW"],
        ["Changning", 2025, "Y", "budget_growth", "1.83%", "%"],
        [None, None, None, None, None, None],
        ["Total", 2025, "Y", "pv_new", 2.5, "MW"],
    ]
    data = xlsx_bytes(rows, merges=["A1:F1", "A3:A4"])
    result = checked(data, "energy.xlsx")
    assert result.ok, result.problems
    assert values(result) == {
        ("hongqiao", "energy_total", "Y"): 1000,
        ("hongqiao", "gdp", "Y"): pytest.approx(1234567 * 10000),  # 亿元 -> 万元
        ("xinjing", "pv_new", "Y"): pytest.approx(2500),  # MW -> kW
        ("district", "budget_growth", "Y"): pytest.approx(1.83),  # percent sign
    }
    assert result.summary_rows == [8]


def test_xlsx_sheet_choice_and_a_missing_sheet():
    other = [["街镇", "年份", "指标", "数值"], ["程家桥", 2024, "pv_new", 10]]
    data = xlsx_bytes([["nothing here"]], extra_sheets={"光伏": other})
    assert checked(data, "x.xlsx", sheet="光伏").ok
    missing = checked(data, "x.xlsx", sheet="没有")
    assert [p.key for p in missing.problems] == ["no_sheet"]
    assert "光伏" in checks.describe(missing.problems[0], "zh")


def test_every_mistake_is_reported_with_row_column_value_and_why():
    rows = [
        ["街镇", "年份", "指标", "数值", "单位"],
        ["火星", "2025", "能源消费总量", "abc", "吨标准煤"],  # row 2: two problems
        ["虹桥", "1800", "gdp", "-5", "万元"],  # row 3: year, negative
        ["虹桥", "2025", "nope", "5", "kW"],  # row 4
        ["北新泾", "2025", "gdp", "5", "光年"],  # row 5
        ["北新泾", "2025", "pv_new", "5%", "kW"],  # row 6: % on a non-% indicator
        ["程家桥", "2025", "gdp", "6", "万元"],
        ["程家桥", "2025", "gdp", "7", "万元"],  # row 8: duplicate of row 7
    ]
    result = checked(csv_bytes(rows), "bad.csv")
    assert not result.ok  # (the good rows stay previewable; a file with problems never loads)
    found = {(p.row, p.key) for p in result.problems}
    assert found == {
        (2, "unknown_scope"),
        (2, "not_a_number"),
        (3, "year_range"),
        (3, "negative"),
        (4, "unknown_indicator"),
        (5, "unit_no_convert"),
        (6, "percent_not_allowed"),
        (8, "duplicate_row"),
    }
    lines = [checks.describe(p, "zh") for p in result.problems]
    assert "第2行，“街镇”列，值“火星”：未知街镇" in lines
    english = [checks.describe(p, "en") for p in result.problems]
    assert "Row 5, column '单位', value '光年': the unit does not convert to 10k yuan" in english


def test_a_street_limited_editor_cannot_change_another_street():
    rows = [["街镇", "年份", "指标", "数值"], ["虹桥", 2025, "gdp", 1], ["新泾镇", 2025, "gdp", 2]]
    result = checked(csv_bytes(rows), "x.csv", allowed={"hongqiao"})
    assert [(p.row, p.key) for p in result.problems] == [(3, "scope_not_allowed")]


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (b"", "empty.csv", "empty_file"),
        (b"   \r\n", "blank.csv", "empty_file"),
        (b"PK\x03\x04\x00\x00garbage", "fake.xlsx", "bad_xlsx"),
        (b"\x00\x01\x02binary", "bin.csv", "binary_file"),
        (b"a,b\n1,2\n", "data.doc", "bad_extension"),
        (b"x" * (10 * 2**20 + 1), "huge.xlsx", "too_big"),
        (b"\xff\xfe\xfa\xfb\xfc", "odd.csv", "bad_encoding"),
        ("名称,数量\n甲,1\n".encode(), "other.csv", "no_header"),
    ],
)
def test_bad_files_get_a_clear_message(data, name, key):
    result = checked(data, name)
    assert [p.key for p in result.problems] == [key]
    assert checks.describe(result.problems[0], "zh")
    assert checks.describe(result.problems[0], "en")


def test_a_missing_required_column_and_missing_values():
    rows = [["街镇", "年份", "指标"], ["虹桥", 2025, "gdp"]]
    result = checked(csv_bytes(rows), "x.csv", kind="observations")
    assert ("missing_column", "数值") in {(p.key, p.column) for p in result.problems}
    rows = [["街镇", "年份", "指标", "数值"], ["虹桥", "", "gdp", "1"]]
    result = checked(csv_bytes(rows), "x.csv")
    assert [(p.row, p.key) for p in result.problems] == [(2, "required")]


@pytest.mark.parametrize("kind", files.kinds())
def test_templates_round_trip_and_explain_every_column(kind):
    for data, name in (
        (templates.template_xlsx(kind), "t.xlsx"),
        (templates.template_csv(kind), "t.csv"),
    ):
        result = checked(data, name, kind=kind)
        assert result.ok, result.problems
        assert len(result.frame) == 1
    assert templates.template_csv(kind).startswith(b"\xef\xbb\xbf")  # BOM for Excel
    help_sheet = templates.explanation_frame(kind, "zh")
    declared = files.declaration()["kinds"][kind]["columns"]
    assert len(help_sheet) == len(declared)


def test_registers_take_dates_and_header_units():
    rows = [
        ["项目名称", "街镇", "年份", "批复日期", "金额（元）", "预计年节能量"],
        ["A楼节能改造", "程家桥", 2025, "2025年6月30日", "355,000", 120],
        ["B楼光伏", "程家桥", 2025, "2025/07/01", "10000", ""],
    ]
    result = checked(csv_bytes(rows, "gbk"), "projects.csv")
    assert result.ok, result.problems and result.kind == "projects"
    first = result.frame.iloc[0]
    assert first["approved_on"] == date(2025, 6, 30)
    assert first["amount_10k_yuan"] == pytest.approx(35.5)  # 元 in the header -> 万元
    assert first["project_id"].startswith("P-") and result.frame["project_id"].is_unique


def test_a_large_csv_is_read_by_arrow_with_the_same_result(monkeypatch):
    """Over bulk_csv_bytes a CSV is parsed by Arrow: blank and summary rows, row numbers,
    problems and values come out as the row-by-row reader gives them."""
    rows = [  # GBK_ROWS (title and blank rows, a 合计 row) and two mistakes
        *GBK_ROWS,
        ["北新泾", "2025", "Q9", "能源消费总量", "9,876", "tce"],
        ["程家桥", "2025", "Q3", "能源消费总量", "12%", "吨标准煤"],
    ]
    data = csv_bytes(rows, "gbk")
    by_rows = checks.check(files.read_upload(data, "a.csv"))
    limits = files.declaration()["limits"]
    monkeypatch.setitem(limits, "bulk_csv_bytes", 0)
    raw = files.read_upload(data, "a.csv")
    assert raw.cells is not None and not raw.rows  # the Arrow reader was used
    by_arrow = checks.check(raw)
    assert by_arrow.summary_rows == by_rows.summary_rows == [7]
    assert by_arrow.problems == by_rows.problems
    assert [(p.row, p.key) for p in by_arrow.problems] == [
        (8, "bad_period"),
        (9, "percent_not_allowed"),
    ]
    pd.testing.assert_frame_equal(by_arrow.frame, by_rows.frame, check_dtype=False)
    assert by_arrow.frame["value"].tolist() == [12345.6, 15000.0, 9876.0]
    monkeypatch.setitem(limits, "csv_max_bytes", len(data) - 1)
    (problem,) = files.read_upload(data, "a.csv").problems
    assert problem.key == "too_big"


# Free text: words an official writes, stored as written. Everything else of type text is
# a name, code or label that is matched, and is read with full-width forms as ASCII.
FREE_TEXT = {
    ("observations", "source"), ("observations", "note"), ("projects", "source"),
    ("pv", "source"), ("targets", "source"), ("department_targets", "source"),
    ("plan_targets", "source"),
    ("commitments", "promise"), ("commitments", "promise_en"), ("commitments", "evidence"),
    ("commitments", "source"), ("budget", "source"),
    # an address gives the 街镇 (reference.scope_in_text reads it as it is); never stored
    ("observations", "address"), ("projects", "address"), ("pv", "address"),
}  # fmt: skip


def test_free_text_columns_are_declared_as_such_and_nothing_that_is_matched_is():
    from indicators.intake.model import declaration

    declared = {
        (kind, c["id"])
        for kind, decl in declaration()["kinds"].items()
        for c in decl["columns"]
        if c["type"] == "free_text"
    }
    assert declared == FREE_TEXT
    keys = {(k, c) for k, d in declaration()["kinds"].items() for c in d["key"]}
    assert not declared & keys


def test_an_upload_keeps_its_sources_and_notes_as_written_and_reads_its_names():
    written = ("区统计局（快报），２０２５年", "说明：含“虹桥”楼宇，另见〔2025〕１７号")
    rows = [
        ["街镇", "年份", "期间", "指标", "数值", "来源", "备注"],
        ["虹桥街道", "２０２５", "Ｑ３", "能源消费总量", "１２,３４５.６", *written],
    ]
    result = checked(csv_bytes(rows), "x.csv")
    assert result.ok, result.problems
    (row,) = result.frame.itertuples()
    assert (row.scope_code, row.year, row.period, row.value) == ("hongqiao", 2025, "Q3", 12345.6)
    assert (row.source, row.note) == written
