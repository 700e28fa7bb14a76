"""File formats officials send (issue 24): the same small 街镇 table as .xlsx, Excel
97-2003 .xls, CSV in UTF-8 / UTF-8 with a BOM / GBK / GB18030, Excel's "Unicode text"
(UTF-16 with a byte-order mark, tab-separated .txt), .tsv and a plain .txt, each loaded
through the command line and shown with the same figures; a bad .xls is refused with a
clear message, never a traceback. And a CSV saved from a sheet with merged headers: a
parent header spans the blank cells to its right, as the merged cell it was."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd
import pytest
import xlwt
from openpyxl.utils import range_boundaries

from indicators.intake import checks, files, layout
from tests.conftest import query
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli, snapshot


def _shown(expected: dict[tuple, float]) -> dict[tuple, float]:
    """What `show` gives for each (indicator, street code, year, period) of `expected`: one
    command per indicator, every 街镇, year and period at once."""
    out: dict[tuple, float] = {}
    for indicator in sorted({k[0] for k in expected}):
        done = cli("show", indicator, "--period", "all", "--format", "csv")
        assert done.returncode == 0, done.stderr
        for row in csv.DictReader(io.StringIO(done.stdout)):
            key = (indicator, row["street_code"], int(row["year"]), row["period"])
            if key in expected:
                out[key] = float(row["value"])
    return out


def xls_bytes(rows: list[list[object]], merges: list[str] = (), sheet: str = "Sheet1") -> bytes:
    """An Excel 97-2003 workbook as xlwt writes it: dates with a date format, merged ranges
    written once (their top-left value) over the range."""
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("填报说明").write(0, 0, "请按下表填报")  # a workbook opens on its notes
    ws = book.add_sheet(sheet)
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    covered = {}
    for rng in merges:
        c0, r0, c1, r1 = range_boundaries(rng)
        for r in range(r0 - 1, r1):
            for c in range(c0 - 1, c1):
                covered[(r, c)] = (r0 - 1, c0 - 1, r1 - 1, c1 - 1)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered:
                r0, c0, r1, c1 = covered[(r, c)]
                if (r, c) == (r0, c0):
                    style = day if isinstance(value, (date, datetime)) else xlwt.Style.default_style
                    ws.write_merge(r0, r1, c0, c1, value, style)
            elif isinstance(value, (date, datetime)):
                ws.write(r, c, value, day)
            elif value is not None:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text_bytes(rows: list[list[object]], encoding: str, sep: str = "\t") -> bytes:
    """A text table as Excel's "Unicode text" save writes it: tabs, no quoting, CRLF;
    `encoding` "utf-16" puts the byte-order mark (FF FE) first, as Excel does."""
    text = "".join(sep.join("" if c is None else str(c) for c in row) + "\r\n" for row in rows)
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


# A long table in the template's columns: a thousands separator (so a comma is no
# delimiter in a tab file), a unit that converts, a date, and a note.
def _long(note: str = "已核对") -> list[list[object]]:
    return [
        ["街镇", "年份", "期间", "指标", "数值", "单位", "截至日期", "备注"],
        ["虹桥街道", 2025, "Q3", "能源消费总量", "12,345.6", "吨标准煤", AS_OF, note],
        ["新泾镇", 2025, "Q3", "能源消费总量", 1.5, "万吨标准煤", AS_OF, ""],
        ["北新泾街道", 2025, "Q3", "地区生产总值", 400000, "万元", AS_OF, ""],
    ]


AS_OF = datetime(2025, 9, 30)
LONG_SHOWN = {
    ("energy_total", "hongqiao", 2025, "Q3"): 12345.6,
    ("energy_total", "xinjing", 2025, "Q3"): 15000,  # 1.5 万吨标准煤
    ("gdp", "beixinjing", 2025, "Q3"): 400000,
}
WIDE = [  # 1-6月: the first half year, beside the long table's 1-9月
    ["2025年1-6月长宁区分街镇主要指标", None, None],
    ["街镇", "能源消费量（吨标准煤）", "地区生产总值（万元）"],
    ["虹桥街道", 12000, 800000],
    ["北新泾街道", 9000, 400000],
    ["新泾镇", 15000, 600000],
    ["合计", 36000, 1800000],
]
WIDE_SHOWN = {
    ("energy_total", "hongqiao", 2025, "Q2"): 12000,
    ("energy_total", "beixinjing", 2025, "Q2"): 9000,
    ("gdp", "xinjing", 2025, "Q2"): 600000,
}


def _as_text(rows: list[list[object]]) -> list[list[object]]:
    """Dates as a text file holds them."""
    return [[c.date().isoformat() if isinstance(c, datetime) else c for c in row] for row in rows]


FORMATS = {  # file name -> how the rows are written
    "t.xlsx": lambda rows, merges: xlsx_bytes(rows, merges=merges),
    "t.xls": lambda rows, merges: xls_bytes(rows, merges=merges),
    "utf8.csv": lambda rows, _: csv_bytes(_as_text(rows), "utf-8"),
    "bom.csv": lambda rows, _: csv_bytes(_as_text(rows), "utf-8-sig"),
    "gbk.csv": lambda rows, _: csv_bytes(_as_text(rows), "gbk"),
    "gb18030.csv": lambda rows, _: csv_bytes(_as_text(rows), "gb18030"),
    "unicode.txt": lambda rows, _: text_bytes(_as_text(rows), "utf-16"),
    "t.tsv": lambda rows, _: text_bytes(_as_text(rows), "gbk"),
}
MORE_TEXT = {  # read the same way; checked in-process only (the command line is slow)
    "unicode_be.txt": lambda rows, _: text_bytes(_as_text(rows), "utf-16-be-bom"),
    "utf8.tsv": lambda rows, _: text_bytes(_as_text(rows), "utf-8"),
    "tab.txt": lambda rows, _: text_bytes(_as_text(rows), "utf-8"),
    "comma.txt": lambda rows, _: csv_bytes(_as_text(rows), "gbk"),
    "gbk_tab.txt": lambda rows, _: text_bytes(_as_text(rows), "gbk"),
}
# A character outside GBK (𠀀, U+20000) in a note: only GB18030 and Unicode hold it.
OUTSIDE_GBK = "核对𠀀"
HOLDS_ALL = {"t.xlsx", "t.xls", "utf8.csv", "bom.csv", "gb18030.csv", "unicode.txt"}
HOLDS_ALL |= {"unicode_be.txt", "utf8.tsv", "tab.txt"}


def _note(name: str) -> str:
    return OUTSIDE_GBK if name in HOLDS_ALL else "已核对"


@pytest.mark.parametrize("name", list(FORMATS))
def test_a_long_and_a_wide_table_load_from_every_format_and_show_right(work_db, tmp_path, name):
    long, wide = tmp_path / f"long_{name}", tmp_path / f"wide_{name}"
    long.write_bytes(FORMATS[name](_long(_note(name)), []))
    wide.write_bytes(FORMATS[name](WIDE, ["A1:C1"]))
    for path in (long, wide):  # --accept: a wide table's reading, the test figures' bounds
        done = cli("load", str(path), "--accept", "--note", "test figures")
        assert done.returncode == 0, done.stdout + done.stderr
    expected = LONG_SHOWN | WIDE_SHOWN
    assert _shown(expected) == pytest.approx(expected)
    stored = query(
        work_db,
        "select as_of, note from observations where scope_code = 'hongqiao' "
        "and indicator_id = 'energy_total' and year = 2025 and period = 'Q3'",
    )
    assert stored == [(date(2025, 9, 30), _note(name))]  # a date read as a date, 𠀀 kept


def _frame(data: bytes, name: str) -> list[tuple]:
    checked = checks.check(files.read_upload(data, name))
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    columns = ["scope_code", "indicator_id", "year", "period", "value", "as_of", "note"]
    frame = checked.frame.reindex(columns=columns).astype(object)
    return sorted(tuple(None if pd.isna(v) else v for v in row) for row in frame.values)


@pytest.mark.parametrize("name", list(MORE_TEXT))
def test_more_text_files_read_as_the_xlsx_does(name):
    for rows, merges in ((_long(_note(name)), []), (WIDE, ["A1:C1"])):
        assert _frame(MORE_TEXT[name](rows, merges), name) == _frame(
            FORMATS["t.xlsx"](rows, merges), "t.xlsx"
        ), name


def test_an_xls_reads_as_the_same_sheet_as_an_xlsx_merged_cells_and_dates_too():
    rows = [*WIDE, ["截至", AS_OF, None]]
    merges = ["A1:C1", "B7:C7"]
    as_xlsx, as_xls = files.RawTable(), files.RawTable()
    from_xlsx, _ = files._xlsx_rows(as_xlsx, xlsx_bytes(rows, merges=merges), None, None)
    from_xls, _ = files._xls_rows(as_xls, xls_bytes(rows, merges=merges), None, None)
    assert from_xls == from_xlsx
    assert from_xls[0][1] == [WIDE[0][0]] * 3  # the merged title
    assert from_xls[6][1] == ["截至", AS_OF, AS_OF]  # a datetime, as openpyxl gives
    # the data sheet is found past the 填报说明 sheet, and can be named
    assert (as_xls.sheet, as_xls.sheet_names) == ("Sheet1", ["填报说明", "Sheet1"])
    named = files.read_upload(xls_bytes(rows), "t.xls", sheet="填报说明")
    assert named.sheet == "填报说明"
    missing = files.read_upload(xls_bytes(rows), "t.xls", sheet="数据")
    assert [p.key for p in missing.problems] == ["no_sheet"]


def test_an_xls_named_xlsx_and_an_xlsx_named_xls_are_read_by_what_they_are():
    for data, name in ((xls_bytes(WIDE), "t.xlsx"), (xlsx_bytes(WIDE), "t.xls")):
        checked = checks.check(files.read_upload(data, name))
        assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
        assert len(checked.frame) == 6


def _truncated_xls() -> bytes:
    """An .xls cut short (a download that stopped): 8 KiB of a 9.5 KiB workbook."""
    book = xlwt.Workbook()
    ws = book.add_sheet("s")
    for r in range(50):
        for c in range(6):
            ws.write(r, c, r * c if c else "虹桥街道")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()[:8192]


def test_the_truncated_xls_makes_the_reader_panic_not_raise():
    """Why the .xls reader catches more than Exception: this file panics the Rust reader
    (pyo3's PanicException is a BaseException)."""
    import python_calamine

    with pytest.raises(BaseException) as caught:
        python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(_truncated_xls()))
    assert not isinstance(caught.value, Exception)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (_truncated_xls(), "cut.xls"),
        (files.OLE_MAGIC + b"\x00" * 600, "ole.xls"),  # a compound file with nothing in it
        (b"<html><table><tr><td>1</td></tr></table></html>", "web.xls"),  # a web export
        (b"garbage" * 100, "junk.xls"),
    ],
)
def test_a_bad_xls_is_refused_with_a_clear_message_no_traceback(work_db, tmp_path, data, name):
    raw = files.read_upload(data, name)
    assert [p.key for p in raw.problems] == ["bad_xls"]
    assert "另存为 .xlsx" in checks.describe(raw.problems[0], "zh")
    assert "save it as .xlsx" in checks.describe(raw.problems[0], "en")
    if name != "cut.xls":  # the command line once, for the file that panics the reader
        return
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(work_db)
    done = cli("load", str(path))
    assert done.returncode != 0
    assert "无法作为Excel 97-2003（.xls）文件打开" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    assert snapshot(work_db) == before


def test_an_xls_over_the_size_limit_is_refused(work_db, tmp_path):
    limit = files.declaration()["limits"]["max_bytes"]
    data = xls_bytes(WIDE)
    path = tmp_path / "big.xls"
    path.write_bytes(data + b"\x00" * (limit + 1 - len(data)))
    before = snapshot(work_db)
    done = cli("load", str(path), "--accept")
    assert done.returncode != 0
    assert f"文件超过 {limit // 2**20} MB 上限" in done.stdout + done.stderr
    assert snapshot(work_db) == before


def test_an_xls_whose_used_range_is_huge_is_refused_before_it_is_read():
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("s")
    ws.write(0, 0, "街镇")
    ws.write(65535, 40, "x")  # one stray cell: 65536 × 41 cells to read
    data_sheet = book.add_sheet("数据")
    for r, row in enumerate(WIDE):
        for c, value in enumerate(row):
            if value is not None:
                data_sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    raw = files.read_upload(buffer.getvalue(), "far.xls")
    assert [p.key for p in raw.problems] == ["too_many_cells"]
    said = checks.describe(raw.problems[0], "zh")
    assert "工作表“s”" in said and "65536 行 × 41 列" in said and "删除表格外的行列" in said
    # the sheet named (--sheet) is read alone: the huge one is never opened
    named = files.read_upload(buffer.getvalue(), "far.xls", sheet="数据")
    assert checks.check(named).ok


def test_the_byte_order_mark_decides_utf16():
    table = _as_text(_long())
    with_mark = text_bytes(table, "utf-16")
    assert with_mark.startswith(b"\xff\xfe")
    without = with_mark[2:]  # the same UTF-16 text without its mark
    assert files._decode(with_mark) == files._decode(text_bytes(table, "utf-16-be-bom"))
    assert files._decode(with_mark).startswith("街镇\t年份")
    assert checks.check(files.read_upload(with_mark, "u.txt")).ok
    refused = files.read_upload(without, "u.txt")
    assert [p.key for p in refused.problems] == ["binary_file"]
    assert "字节顺序标记" in checks.describe(refused.problems[0], "zh")
    # a mark on text that is no UTF-16 (an odd number of bytes): not read, said
    odd = files.read_upload(b"\xff\xfe\x41", "u.txt")
    assert [p.key for p in odd.problems] == ["bad_encoding"]
    # UTF-8 and GBK text is not taken for UTF-16
    assert files._decode("街镇\t年份".encode("gbk")) == "街镇\t年份"


@pytest.mark.parametrize("name", ["u.txt", "u.tsv"])
def test_a_tab_file_is_split_on_tabs_though_its_cells_hold_commas(name):
    # commas in every line, the header's too: the sniffer alone takes them for the delimiter
    rows = [
        ["街镇", "年份", "期间", "指标", "数值", "单位", "备注(口径,说明)"],
        ["虹桥街道", 2025, "Q3", "能源消费总量", "12,345.6", "吨标准煤", ""],
        ["新泾镇", 2025, "Q3", "能源消费总量", "1,500", "吨标准煤", ""],
        ["北新泾街道", 2025, "Q3", "能源消费总量", "9,876", "吨标准煤", ""],
    ]
    data = text_bytes(rows, "utf-16" if name.endswith(".txt") else "gbk")
    checked = checks.check(files.read_upload(data, name))
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    values = checked.frame.set_index(["scope_code", "indicator_id"])["value"]
    assert values[("hongqiao", "energy_total")] == pytest.approx(12345.6)
    assert values[("xinjing", "energy_total")] == pytest.approx(1500)


def test_an_xls_that_is_a_zip_gets_the_xlsx_unpacked_size_check(monkeypatch):
    monkeypatch.setitem(files.declaration()["limits"], "xlsx_max_unpacked_bytes", 1000)
    raw = files.read_upload(xlsx_bytes(WIDE), "bomb.xls")
    assert [p.key for p in raw.problems] == ["too_big_unpacked"]


# A sheet with merged headers, saved as CSV: a merged cell keeps its text only in its
# first cell. 上年同期 under 地区生产总值 is 地区生产总值's, not 能源消费量's.
MERGED = [
    ["2025年1-9月长宁区分街镇主要指标", None, None, None, None],
    ["街镇", "能源消费量（吨标准煤）", None, "地区生产总值（万元）", None],
    [None, "本期", "上年同期", "本期", "上年同期"],
    ["虹桥街道", 12000, 11000, 800000, 700000],
    ["北新泾街道", 9000, 8500, 400000, 390000],
    ["新泾镇", 15000, 14000, 600000, 550000],
]
MERGED_CELLS = ["A1:E1", "A2:A3", "B2:C2", "D2:E2"]
MERGED_SHOWN = {  # (indicator, street, year, period): 2024 is the 上年同期 column's
    ("energy_total", "hongqiao", 2025, "Q3"): 12000,
    ("energy_total", "hongqiao", 2024, "Q3"): 11000,
    ("energy_total", "beixinjing", 2024, "Q3"): 8500,
    ("gdp", "hongqiao", 2025, "Q3"): 800000,
    ("gdp", "hongqiao", 2024, "Q3"): 700000,
    ("gdp", "xinjing", 2024, "Q3"): 550000,
}


def test_a_parent_header_spans_the_blank_cells_to_its_right_in_a_csv():
    raw = files.read_upload(csv_bytes(MERGED, "gbk"), "m.csv")
    read = {c.letter: (c.indicator, c.previous, c.unit) for c in raw.reading.columns}
    assert read == {
        "B": ("energy_total", False, "吨标准煤"),
        "C": ("energy_total", True, "吨标准煤"),
        "D": ("gdp", False, "万元"),
        "E": ("gdp", True, "万元"),  # not 能源消费量's, nor asked
    }
    checked = checks.check(raw)
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]


@pytest.mark.parametrize("name", ["m.csv", "m.xlsx", "m.xls"])
def test_merged_headers_load_the_same_figures_from_a_csv_as_from_real_merged_cells(
    work_db, tmp_path, name
):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(csv_bytes(MERGED, "gbk"))
    else:
        path.write_bytes(FORMATS[f"t{path.suffix}"](MERGED, MERGED_CELLS))
    done = cli("load", str(path), "--accept", "--note", "test figures")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _shown(MERGED_SHOWN) == pytest.approx(MERGED_SHOWN)


def _columns(rows):
    raw = files.read_upload(csv_bytes(rows, "gbk"), "m.csv")
    return raw, {c.letter: c for c in raw.reading.columns}


def test_a_parent_never_spans_across_an_empty_column_into_the_table_beside():
    rows = [
        ["2025年1-9月长宁区分街镇主要指标", None, None, None, None, None],
        ["街镇", "能源消费量（吨标准煤）", None, None, None, None],
        [None, "本期", "上年同期", None, "街镇", "碳排放量（吨二氧化碳）"],
        ["虹桥街道", 12000, 11000, None, "新泾镇", 31000],
        ["北新泾街道", 9000, 8500, None, "虹桥街道", 24000],
    ]
    _, cols = _columns(rows)
    assert (cols["C"].indicator, cols["C"].previous) == ("energy_total", True)
    assert (cols["F"].indicator, cols["F"].header) == ("co2_total", "碳排放量(吨二氧化碳)")
    # read as one table (no slicing into tables beside), F's blank upper cell still takes
    # nothing across the empty column D
    numbered = list(enumerate(rows, start=1))
    assert layout._header_parts(numbered, [1, 2], 0, 5) == ["碳排放量(吨二氧化碳)"]
    assert layout._header_parts(numbered, [1, 2], 0, 2) == ["能源消费量(吨标准煤)", "上年同期"]
    assert layout._header_parts(numbered, [1, 2], 0, 2, spanned=False) == ["上年同期"]


def test_a_column_with_a_header_of_its_own_is_no_parent_of_the_next():
    # B stands alone (a header merged down two rows, nothing under it): C's blank upper
    # cell is not B's, so C is read by its own header.
    rows = [
        ["2025年1-9月长宁区分街镇主要指标", None, None, None],
        ["街镇", "能源消费量（吨标准煤）", None, "地区生产总值（万元）"],
        [None, None, "碳排放量（吨二氧化碳）", "本期"],
        ["虹桥街道", 12000, 31000, 800000],
        ["新泾镇", 15000, 24000, 600000],
    ]
    _, cols = _columns(rows)
    assert (cols["B"].indicator, cols["C"].indicator) == ("energy_total", "co2_total")
    assert cols["C"].header == "碳排放量(吨二氧化碳)"


def test_a_spanned_column_that_names_another_indicator_is_asked_not_guessed():
    rows = [
        ["2025年1-9月长宁区分街镇主要指标", None, None],
        ["街镇", "能源消费量（吨标准煤）", None],
        [None, "本期", "碳排放量（吨二氧化碳）"],
        ["虹桥街道", 12000, 31000],
        ["新泾镇", 15000, 24000],
    ]
    raw, cols = _columns(rows)
    assert cols["C"].indicator is None  # 能源消费量's, or 碳排放量? the editor says
    checked = checks.check(raw)
    assert "layout_no_indicator" in [p.key for p in checked.problems]
    assert not checked.ok


def test_a_blank_data_cell_is_never_filled_from_its_left():
    rows = [r[:] for r in MERGED]
    rows[4][4] = None  # 北新泾's 上年同期 地区生产总值 left blank
    raw, _ = _columns(rows)
    checked = checks.check(raw)
    frame = checked.frame
    gdp_2024 = frame[(frame["indicator_id"] == "gdp") & (frame["year"] == 2024)]
    assert set(gdp_2024["scope_code"]) == {"hongqiao", "xinjing"}  # not 400000 for 北新泾
