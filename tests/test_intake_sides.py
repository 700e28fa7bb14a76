"""Each table keeps its own rows (issue 23, rule 3): tables side by side on one sheet (an
empty column between, each with its own 街镇 column, in its own order) are read as tables
of their own, each figure under the 街镇 on its own table's row; a table beside with no
街镇 column is not read and is said; a table stacked under another, with a header of its
own, and long tables side by side are refused rather than mixed."""

from __future__ import annotations

import pytest

from indicators.intake import checks, files, layout, recipes
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_intake_wide import _shown
from tests.test_load import cli, snapshot

# Left: 街镇 | 能源消费量 | 地区生产总值; an empty column D; right: 街道 | 碳排放量, in
# another order and one row longer. Row 4 holds 虹桥 on the left and 新泾镇 on the right.
BESIDE = [
    ["2025年1-9月长宁区分街镇主要指标", None, None, None, None, None],
    [
        "街镇",
        "能源消费量（吨标准煤）",
        "地区生产总值（万元）",
        None,
        "街道",
        "碳排放量（吨二氧化碳）",
    ],
    ["虹桥街道", 12000, 800000, None, "新泾镇", 31000],
    ["北新泾街道", 9000, 400000, None, "程家桥街道", 7000],
    ["新泾镇", 15000, 600000, None, "虹桥街道", 24000],
    ["合计", 36000, 1800000, None, "北新泾街道", 18000],
]
SHOWN = {  # (indicator, street): the figure on that street's own row of its own table
    ("energy_total", "虹桥"): 12000,
    ("gdp", "新泾镇"): 600000,
    ("co2_total", "虹桥"): 24000,
    ("co2_total", "新泾镇"): 31000,
    ("co2_total", "程家桥"): 7000,
    ("co2_total", "北新泾"): 18000,
}


def _frame(rows, name="s.xlsx", **kw):
    data = xlsx_bytes(rows, **kw) if name.endswith(".xlsx") else csv_bytes(rows, "gbk")
    raw = files.read_upload(data, name)
    return raw, checks.check(raw)


def test_two_tables_side_by_side_each_figure_under_its_own_tables_street():
    raw, checked = _frame(BESIDE, merges=["A1:F1"])
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    reading = raw.reading
    (block,) = reading.blocks
    assert (block.label, block.label_header, block.first, block.last) == (4, "街道", 4, 5)
    assert {c.letter: c.label for c in reading.columns} == {"B": None, "C": None, "F": 4}
    frame = checked.frame.set_index(["scope_code", "indicator_id"])["value"]
    assert frame[("xinjing", "co2_total")] == pytest.approx(31000)  # not 虹桥's row 3
    assert frame[("hongqiao", "co2_total")] == pytest.approx(24000)
    assert frame[("beixinjing", "co2_total")] == pytest.approx(18000)  # beside the 合计 row
    assert frame[("hongqiao", "energy_total")] == pytest.approx(12000)
    assert len(frame) == 10  # 3 × 2 on the left, 4 on the right; 合计 skipped
    assert checked.summary_rows == [6]
    lines = "\n".join(checks.reading_lines(reading, "zh"))
    assert "并排的另一张表（E–F 列）" in lines and "标签列 E“街道”" in lines


@pytest.mark.parametrize("name", ["s.xlsx", "s.csv"])
def test_tables_side_by_side_load_through_the_command_line_and_show_right(work_db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(BESIDE) if name.endswith(".xlsx") else csv_bytes(BESIDE, "gbk"))
    assert cli("load", str(path)).returncode == 4  # asked first
    done = cli("load", str(path), "--accept")
    assert done.returncode == 0, done.stderr
    for (indicator, street), value in SHOWN.items():
        assert _shown(indicator, street, 2025, "Q3") == pytest.approx(value), (indicator, street)


NO_LABEL_BESIDE = [
    ["2025年1-9月长宁区分街镇主要指标", None, None, None, None],
    ["街镇", "能源消费量（吨标准煤）", "地区生产总值（万元）", None, "碳排放量（吨二氧化碳）"],
    ["虹桥街道", 12000, 800000, None, 31000],
    ["北新泾街道", 9000, 400000, None, 7000],
    ["新泾镇", 15000, 600000, None, 24000],
]


def test_a_table_beside_with_no_street_column_of_its_own_is_not_read_and_said(work_db, tmp_path):
    raw, checked = _frame(NO_LABEL_BESIDE)
    (col,) = [c for c in raw.reading.columns if c.letter == "E"]
    assert (col.role, col.reason, col.label) == ("unused", "no_label", layout.NO_LABEL)
    assert col not in raw.reading.loaded()
    assert set(checked.frame["indicator_id"]) == {"energy_total", "gdp"}
    (note,) = [n for n in checked.notes if n.key == "layout_beside_no_label"]
    said = checks.describe(note, "zh")
    assert "E 列（碳排放量(吨二氧化碳)）" in said and "未读取" in said
    # an editor choosing to read it cannot borrow the left table's 街镇
    col.role, col.indicator = "value", "co2_total"
    again = files.read_upload(xlsx_bytes(NO_LABEL_BESIDE), "s.xlsx", reading=raw.reading)
    assert {c["indicator_id"] for _, c in again.rows} == {"energy_total", "gdp"}

    path = tmp_path / "n.xlsx"
    path.write_bytes(xlsx_bytes(NO_LABEL_BESIDE))
    done = cli("load", str(path), "--accept")
    assert done.returncode == 0, done.stderr
    assert "E 列" in done.stdout + done.stderr  # said in the load report
    assert _shown("energy_total", "新泾镇", 2025, "Q3") == pytest.approx(15000)
    out = cli("show", "co2_total", "--street", "虹桥", "--year", "2025", "--period", "Q3")
    assert "31000" not in out.stdout.replace(",", "")


STACKED = [
    ["2025年1-9月长宁区分街镇主要指标", None, None],
    ["街镇", "能源消费量（吨标准煤）", "地区生产总值（万元）"],
    ["虹桥街道", 12000, 800000],
    ["新泾镇", 15000, 600000],
    [None, None, None],
    ["街镇", "碳排放量（吨二氧化碳）", "能源消费量（万吨标准煤）"],
    ["新泾镇", 31000, 1.5],
    ["虹桥街道", 24000, 1.2],
]


@pytest.mark.parametrize("second_label", ["街镇", "地区"])
def test_a_table_stacked_under_another_is_refused_not_read_as_its_rows(
    work_db, tmp_path, second_label
):
    rows = [r[:] for r in STACKED]
    rows[5][0] = second_label  # its header repeats the label, or names indicators
    raw, checked = _frame(rows)
    assert not checked.ok
    (problem,) = [p for p in checked.problems if p.key == "layout_stacked_table"]
    assert problem.row == 6
    assert "另一张表" in checks.describe(problem, "zh")
    path = tmp_path / "v.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    before = snapshot(work_db)
    assert cli("load", str(path), "--accept").returncode != 0
    assert snapshot(work_db) == before


def test_long_tables_side_by_side_are_refused_not_half_read():
    head = ["街镇", "年份", "期间", "指标", "数值"]
    rows = [
        [*head, None, *head],
        [
            "虹桥街道",
            2025,
            "Q3",
            "能源消费总量",
            12000,
            None,
            "新泾镇",
            2025,
            "Q3",
            "能源消费总量",
            15000,
        ],
    ]
    for name in ("l.csv", "l.xlsx"):
        raw, checked = _frame(rows, name)
        (problem,) = checked.problems
        assert (problem.key, dict(problem.params)) == (
            "long_side_by_side",
            {"first": "A", "again": "G"},
        )
        assert checked.frame.empty
        assert "两张表并排" in checks.describe(problem, "zh")


def test_a_reading_of_tables_side_by_side_round_trips_and_keeps_its_recipe(work_db):
    raw, _ = _frame(BESIDE)
    reading = raw.reading
    again = layout.Reading.from_dict(reading.to_dict())
    assert again == reading and again.shape == reading.shape
    single, _ = _frame([r[:3] for r in BESIDE])
    assert reading.shape != single.reading.shape  # a recipe for one table is not the other's
    assert "[街道]" in reading.shape
    recipes.save("并排", reading, "test", None)
    nxt = [r[:] for r in BESIDE]
    nxt[0][0] = "2025年1-10月长宁区分街镇主要指标"
    nxt[2][5] = 33000
    raw2 = files.read_upload(xlsx_bytes(nxt), "n.xlsx")
    settled = recipes.settle(raw2.reading)
    assert settled.reading.recipe == "并排"
    table = files.read_upload(xlsx_bytes(nxt), "n.xlsx", reading=settled.reading)
    figures = {(c["scope_code"], c["indicator_id"]): c["value"] for _, c in table.rows}
    assert figures[("新泾镇", "co2_total")] == 33000 and figures[("虹桥街道", "co2_total")] == 24000


def _editor_page(path: str) -> None:
    from pathlib import Path

    from indicators.intake import files
    from indicators.views import data

    reading = files.read_upload(Path(path).read_bytes(), "f.xlsx").reading
    data.reading_editor(reading, "zh", "k", "test")


def test_the_upload_pages_reading_editor_shows_the_table_beside_and_offers_no_borrowing(
    work_db, tmp_path
):
    from streamlit.testing.v1 import AppTest

    # H: a table beside (G empty) with no 街镇 column of its own
    rows = [
        [*r, None, h] for r, h in zip(BESIDE, [None, "建筑能耗", 500, 600, 700, 1800], strict=True)
    ]
    path = tmp_path / "b.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    at = AppTest.from_function(_editor_page, args=(str(path),))
    at.run(timeout=60)
    assert not at.exception
    shown = "\n".join(t.value for t in at.text)
    assert "并排的另一张表（E–F 列）" in shown and "H 列" in shown
    offered = [s.label for s in at.selectbox if s.key.startswith("k_col_")]
    assert any("F" in label for label in offered)
    assert not any("建筑能耗" in label for label in offered)  # H is not offered


def test_a_table_beside_whose_total_row_comes_first_never_lends_its_rows_to_the_other():
    """The probe's sheet: the right table's 合计 row stands right under its header, where
    the left table has a blank row. Neither table read alone, and the sheet read whole took
    合计 for a second header row and the right's 街道 column for a 合计 column: every GDP
    loaded under the left table's 街镇 of that row (虹桥 got 仙霞新村's figure)."""
    left = ["虹桥街道", "北新泾街道", "新泾镇"]
    right = ["新泾镇", "北新泾街道", "虹桥街道"]
    gdp = {"新泾镇": 600000, "北新泾街道": 400000, "虹桥街道": 800000}
    rows = [
        ["2025年1-9月分街镇能耗与GDP", None, None, None, None],
        ["街镇", "能源消费量（吨标准煤）", None, "街道", "地区生产总值（万元）"],
        [None, None, None, "合计", sum(gdp.values())],
    ]
    rows += [
        [a, 1000 + i, None, b, gdp[b]] for i, (a, b) in enumerate(zip(left, right, strict=True))
    ]
    raw, checked = _frame(rows)
    frame = checked.frame.set_index(["scope_code", "indicator_id"])["value"]
    read = {s: frame.get((s, "gdp")) for s in ("hongqiao", "xinjing", "beixinjing")}
    wrong = {s: v for s, v in read.items() if v is not None}
    assert wrong in ({}, {"hongqiao": 800000, "xinjing": 600000, "beixinjing": 400000}), wrong
    assert frame[("hongqiao", "energy_total")] == pytest.approx(1000)
    if not wrong:  # not read: said as what it is, a table beside that does not read alone
        (note,) = [n for n in checked.notes if n.key == "layout_beside_unread"]
        assert dict(note.params)["letters"] == "E"  # the figures; D is its 街道 column
        assert not [n for n in checked.notes if n.key == "layout_beside_no_label"]
        said = checks.describe(note, "zh")
        assert "无法单独读取" in said and "没有自己的街镇列" not in said
