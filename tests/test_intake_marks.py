"""A footnote mark is never a digit (issue 23, rule 2). Offices write 49,321①, 131,998.2*,
12.5注1, superscripts and daggers after figures; NFKC reads ① as 1 and ² as 2, so a mark
read after normalising would make 49,321① 493,211. Marks come off the cell as written,
are said in a note, and a mark inside a figure is refused."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.intake import cells, checks, files
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli

HEADER = ["街镇", "年份", "指标", "数值", "单位"]
STREETS = ["虹桥街道", "新泾镇", "天山路街道", "华阳路街道", "江苏路街道", "北新泾街道"]
STREETS += ["仙霞新村街道", "周家桥街道", "程家桥街道", "虹桥"]

# (cell as written, the figure, the marks as written)
KNOWN = [
    ("49,321①", 49321, "①"),
    ("131,998.2*", 131998.2, "*"),
    ("12.5注1", 12.5, "注1"),
    ("12.5 注（1）", 12.5, "注（1）"),
    ("7注①", 7, "注①"),
    ("8注", 8, "注"),
    ("2,024²", 2024, "²"),
    ("1¹²³", 1, "¹²³"),
    ("5ᵃ", 5, "ᵃ"),
    ("3.5†", 3.5, "†"),
    ("3.5‡§", 3.5, "‡§"),
    ("6⑩", 6, "⑩"),
    ("6⑴", 6, "⑴"),
    ("6⒈", 6, "⒈"),
    ("6❶", 6, "❶"),
    ("9※", 9, "※"),
    ("9#", 9, "#"),
    ("1,234[1]", 1234, "[1]"),
    ("1,234【2】", 1234, "【2】"),
    ("1,234(1)", 1234, "(1)"),
    ("1,234（12）", 1234, "（12）"),
    ("１２,３４５①", 12345, "①"),
    ("49,321 ① *", 49321, "① *"),
]


@pytest.mark.parametrize(("written", "figure", "marks"), KNOWN)
def test_a_mark_after_a_figure_comes_off_before_normalising(written, figure, marks):
    assert cells.footnote(written) == (written[: -len(marks)].rstrip(), marks)
    assert cells.number(written) == (pytest.approx(figure), None)
    assert cells.parse_cell({"type": "number"}, written) == (pytest.approx(figure), None)


@pytest.mark.parametrize(
    ("written", "figure", "after"),
    [
        ("3.2亿元†", 3.2, "亿元"),
        ("12.5%①", 12.5, "%"),
        ("1234m³", 1234, "m3"),
        ("20m³①", 20, "m3"),
        ("12.5tCO₂", 12.5, "tCO2"),  # a subscript after a letter is the unit's, as m³
    ],
)
def test_a_unit_or_percent_before_the_mark_stays_and_a_units_power_is_no_mark(
    written, figure, after
):
    assert cells.number(written) == (pytest.approx(figure), after)


@pytest.mark.parametrize("plain", ["49321", "49,321", "131998.2", "-3.5", "1e3", "2024", 7, 7.5])
def test_a_plain_figure_has_no_mark_and_is_unchanged(plain):
    assert cells.footnote(plain) == (plain, None)
    assert cells.number(plain)[0] == float(str(plain).replace(",", ""))


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("49①321", "footnote_inside"),
        ("①49321", "footnote_inside"),
        ("4²9", "footnote_inside"),
        ("49注1321", "footnote_inside"),
        ("12.5①万吨标准煤", "footnote_inside"),
        ("①", "not_a_number"),  # NFKC would read it as 1
        ("²", "not_a_number"),
        ("(12)", "not_a_number"),  # wholly bracketed: no footnote, and not read either
        ("(1,234)", "not_a_number"),
        # no mark we know, but NFKC reads it as a digit: never a digit of the figure
        ("49,321₁", "digit_lookalike"),  # a subscript one: 493,211 once normalised
        ("4,932₁₂", "digit_lookalike"),
        ("49321🄂", "digit_lookalike"),  # DIGIT ONE COMMA: "1,"
        ("49,321𝟏", "digit_lookalike"),  # a mathematical bold one
        ("2024₁", "digit_lookalike"),
    ],
)
def test_a_mark_inside_a_figure_or_alone_is_refused(written, key):
    with pytest.raises(cells.CellError) as err:
        cells.number(written)
    assert err.value.key == key


def _long(marked: list[str]) -> list[list[object]]:
    rows = [HEADER]
    for street, value in zip(STREETS, marked, strict=False):
        rows.append([street, 2024, "能源消费总量", value, "吨标准煤"])
    return rows


def _check(data: bytes, name: str):
    return checks.check(files.read_upload(data, name))


def _notes(checked) -> list[tuple[int, str, str, str]]:
    return [
        (n.row, n.column, n.value, dict(n.params)["mark"])
        for n in checked.notes
        if n.key.startswith("footnote_removed")
    ]


# Marks a GBK CSV can hold (GBK has no † or superscripts: offices send those as .xlsx).
GBK_MARKED = ["49,321①", "131,998.2*", "12.5注1", "8⑩", "9※", "1,234(1)", "77", "6⑴", "5＊"]
XLSX_MARKED = ["49,321¹", "131,998.2²", "12.5³", "3.5†", "3.5‡", "1,234[1]", "77", "7注①"]


@pytest.mark.parametrize(
    ("marked", "encoding", "name"),
    [(GBK_MARKED, "gbk", "街道报表.csv"), (XLSX_MARKED, None, "街道报表.xlsx")],
)
def test_a_long_file_loads_each_figure_without_its_mark_and_says_so(marked, encoding, name):
    rows = _long(marked)
    data = csv_bytes(rows, encoding) if encoding else xlsx_bytes(rows)
    checked = _check(data, name)
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    got = dict(zip(checked.frame["excel_row"], checked.frame["value"], strict=True))
    for i, written in enumerate(marked):
        figure, _ = cells.number(cells.footnote(written)[0])
        assert got[i + 2] == pytest.approx(figure), written
    assert got[8] == 77  # a plain figure beside them is unchanged
    assert _notes(checked) == [
        (i + 2, "数值", w, cells.footnote(w)[1])
        for i, w in enumerate(marked)
        if cells.footnote(w)[1]
    ]
    zh, en = (checks.reading_notes(checked, lang) for lang in ("zh", "en"))
    assert f"第2行，“数值”列，值“{marked[0]}”" in zh[0] and "脚注标记" in zh[0]
    assert "footnote mark" in en[0] and "never read as a digit" in en[0]


def test_a_mark_in_a_files_year_and_header_is_no_digit():
    rows = [
        ["街镇", "年份①", "指标", "数值*", "单位"],
        ["虹桥街道", "2024²", "能源消费总量", "100", "吨标准煤"],
    ]
    checked = _check(xlsx_bytes(rows), "x.xlsx")
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert checked.frame.loc[0, "year"] == 2024 and checked.frame.loc[0, "value"] == 100
    assert _notes(checked) == [(2, "年份", "2024²", "²")]


def test_a_mark_after_a_name_in_a_long_file_is_no_part_of_it():
    rows = [HEADER, ["虹桥街道①", 2024, "能源消费总量*", "100", "吨标准煤"]]
    checked = _check(xlsx_bytes(rows), "x.xlsx")
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert checked.frame.loc[0, ["scope_code", "indicator_id"]].tolist() == [
        "hongqiao",
        "energy_total",
    ]


def test_a_mark_inside_a_figure_or_alone_refuses_the_cell_naming_it_as_written():
    checked = _check(csv_bytes(_long(["49①321", "100", "①", "１２．３．４"]), "gbk"), "x.csv")
    assert [(p.key, p.row, p.column, p.value) for p in checked.problems] == [
        ("footnote_inside", 2, "数值", "49①321"),
        ("not_a_number", 4, "数值", "①"),  # not 1, as a cleaned ① would read
        ("not_a_number", 5, "数值", "12.3.4"),  # no mark: shown cleaned, as before
    ]
    assert "数字中间有脚注标记" in checks.describe(checked.problems[0], "zh")
    assert set(checked.frame["excel_row"]) == {3}


WIDE = [
    ["2025年1-9月长宁区分街镇能耗情况表", None, None],
    ["单位：万吨标准煤、亿元", None, None],
    ["街道", "能源消费量①", "地区生产总值²"],
    ["虹桥街道①", "1.2①", "80.5†"],
    ["北新泾街道", "0.9", "40¹"],
    ["新泾镇", 1.5, "60"],
    ["程家桥街道", "0.3", "—①"],  # no figure, with a note's mark
    ["注：①为初步数；②不含新建楼宇。", None, None],
]


def test_a_wide_table_reads_marks_off_its_figures_headers_and_labels():
    raw, checked = _check_wide(xlsx_bytes(WIDE))
    roles = {c.header: c.indicator for c in raw.reading.columns}
    assert roles == {"能源消费量": "energy_total", "地区生产总值": "gdp"}
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    frame = checked.frame.set_index(["scope_code", "indicator_id"])["value"]
    assert frame[("hongqiao", "energy_total")] == pytest.approx(12000)
    assert frame[("hongqiao", "gdp")] == pytest.approx(805000)
    assert frame[("beixinjing", "gdp")] == pytest.approx(400000)
    assert frame[("xinjing", "energy_total")] == pytest.approx(15000)
    assert ("chengjiaqiao", "gdp") not in frame.index and raw.reading.no_value == 1
    # each note names the figure's own column, as the table has it
    assert _notes(checked) == [
        (4, "能源消费量", "1.2①", "①"),
        (4, "地区生产总值", "80.5†", "†"),
        (5, "地区生产总值", "40¹", "¹"),
    ]


def _check_wide(data: bytes):
    raw = files.read_upload(data, "w.xlsx")
    return raw, checks.check(raw)


def test_a_month_header_with_a_mark_is_still_its_month():
    """2月² cleaned alone is 2月2, no month: the grid would lose its months."""
    rows = [
        ["2025年长宁区分街镇月度能源消费量（吨标准煤）", None, None, None],
        ["街镇", "1月", "2月²", "3月①"],
        ["虹桥街道", 100, 200, "300*"],
        ["新泾镇", 10, 20, 30],
    ]
    raw, checked = _check_wide(xlsx_bytes(rows))
    assert [c.month for c in raw.reading.columns] == [1, 2, 3]
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    frame = checked.frame.set_index(["scope_code", "period"])["value"]
    assert frame[("hongqiao", "Q1")] == 600 and frame[("xinjing", "M02")] == 30
    assert _notes(checked) == [(3, "3月", "300*", "*")]


def test_a_meter_reading_with_a_mark_loads_without_it_and_says_so():
    header = ["楼宇编号", "楼宇名称", "街镇", "时间", "能源品种", "读数", "单位"]
    rows = [
        ["T-1", "甲楼", "虹桥", "2025-01-01 00:00", "电力", "100*", "kWh"],
        ["T-1", "甲楼", "虹桥", "2025-01-01 01:00", "电力", "1,000①", "kWh"],
        ["T-1", "甲楼", "虹桥", "2025-01-01 02:00", "电力", "1,000①", "kWh"],
        ["T-1", "甲楼", "虹桥", "2025-01-01 03:00", "电力", "1²", "MWh"],
    ]
    checked = _check(csv_bytes([header, *rows]), "r.csv")
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert sorted(checked.frame["quantity"]) == [100, 1000, 1000, 1000]
    assert _notes(checked) == [
        (2, "读数", "100*", "*"),
        (3, "读数", "1,000①", "①"),
        (5, "读数", "1²", "²"),
    ]
    counts = [dict(n.params)["n"] for n in checked.notes if n.key.startswith("footnote")]
    assert counts == [1, 2, 1]
    assert any("共2行写作“1,000①”" in n for n in checks.reading_notes(checked, "zh"))
    refused = _check(csv_bytes([header, *rows[:1], [*rows[1][:5], "1①000", "kWh"]]), "r.csv")
    assert [p.key for p in refused.problems] == ["not_a_number"]


def test_the_command_line_prints_the_note(work_db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(_long(["49,321①"]), "gbk"))
    done = cli("load", str(path), "--accept", "--note", "test figures")
    out = done.stdout + done.stderr
    assert "49,321①" in out and "脚注标记" in out, out
    shown = cli("show", "energy_total", "--street", "虹桥", "--year", "2024")
    assert re.search(r"\b49321\b", shown.stdout.replace(",", "")), shown.stdout


MARKS = st.sampled_from(
    ["①", "⑳", "⑴", "⒛", "❿", "¹", "²³", "⁹", "ᵇ", "*", "**", "†", "‡", "§", "#", "※", "＊"]
    + ["注1", "注12", "注①", "注（3）", "注:2", "[1]", "［2］", "【3】", "(4)", "（15）", "① †"]
)


@settings(max_examples=300, deadline=None)
@given(
    figure=st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False),
    grouped=st.booleans(),
    space=st.sampled_from(["", " "]),
    mark=MARKS,
)
def test_any_figure_with_any_mark_after_it_reads_as_the_figure(figure, grouped, space, mark):
    text = f"{figure:,}" if grouped else f"{figure}"
    written = f"{text}{space}{mark}"
    value, after = cells.number(written)
    assert after is None
    assert value == float(figure), written
    assert cells.footnote(written)[1] == mark


def test_a_digit_only_normalising_makes_refuses_the_cell_in_a_file_and_a_wide_table():
    """Issue 23, rule 2, by the command line's path: `49,321₁` in an .xlsx loaded as
    493,211 (NFKC reads the subscript as 1); it is refused, naming the cell as written."""
    checked = _check(xlsx_bytes(_long(["49,321₁", "100", "2,024𝟐"])), "x.xlsx")
    assert [(p.key, p.row, p.value) for p in checked.problems] == [
        ("digit_lookalike", 2, "49,321₁"),
        ("digit_lookalike", 4, "2,024𝟐"),
    ]
    assert "“₁”" in checks.describe(checked.problems[0], "zh")
    wide = [["2025年长宁区分街镇月度能源消费量（吨标准煤）", None, None, None]]
    wide += [["街镇", "1月", "2月", "3月"], ["虹桥街道", 100, 200, "300₁"], ["新泾镇", 10, 20, 30]]
    _, checked = _check_wide(xlsx_bytes(wide))
    assert [(p.key, p.value) for p in checked.problems] == [("digit_lookalike", "300₁")]
