"""Years and periods in a wide table's headers, period notes, and target tables (issue 24):
2023年 | 2024年 columns are whole years; a merged year header over 数值 | 增速% gives its
value column that year (the growth is checked); 2025年1-9月 is the year to date. Notes in
brackets (当季, 季度值，非累计, 累计) say what a quarter word means: single quarters are summed
into the year to date only with every earlier quarter in the file, else asked. A lone
三季度 is asked and can be answered (--period-word, kept in a recipe). A 指标分解表 loads as
targets, by district editors only. Every file is built here and loaded through the CLI."""

from __future__ import annotations

import pytest

from indicators.intake import checks, files, layout
from tests.conftest import query
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_intake_wide import _shown
from tests.test_load import cli, snapshot

YEARS = [
    ["长宁区分街镇能源消费量（吨标准煤）", None, None],
    ["街镇", "2023年", "2024年"],
    ["虹桥街道", 1100, 1210],
    ["新泾镇", 2000, 2100],
]

MERGED_YEARS = [
    ["长宁区分街镇能源消费量（吨标准煤）", None, None, None, None],
    ["街镇", "2024年", None, "2025年1-9月", None],
    [None, "数值", "增速%", "数值", "增速%"],
    ["虹桥街道", 1210, 10, 900, 3],
    ["新泾镇", 2100, 5, 1600, 2],
]
MERGES = ["A1:E1", "B2:C2", "D2:E2", "A2:A3"]


def _quarters(note: str, quarters=("一季度", "二季度", "三季度"), below: bool = False):
    """Single quarters: the note after each quarter word (一季度（当季）), or `below` it in a
    header row of its own (as a merged 街镇 cell over two header rows leaves it)."""
    n = len(quarters)
    head = (
        [["街镇", *quarters], ["街镇", *[note] * n]]
        if below
        else [["街镇", *[q + note for q in quarters]]]
    )
    return [
        ["2025年长宁区分街镇能源消费量（吨标准煤）", *[""] * n],
        *head,
        ["虹桥街道", *[100 * (i + 1) for i in range(n)]],
        ["新泾镇", *[10 * (i + 1) for i in range(n)]],
    ]


def _file(rows, name):
    if name.endswith(".csv"):
        return csv_bytes(rows, "gbk")
    return xlsx_bytes(rows, merges=["A2:A3"] if rows[2][0] == "街镇" else [])


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _load(*args):
    done = cli("load", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_year_columns_load_as_whole_years(work_db, tmp_path):
    path = _write(tmp_path, "years.xlsx", xlsx_bytes(YEARS, merges=["A1:C1"]))
    assert cli("load", path).returncode == 4  # the reading is shown for confirmation
    _load(path, "--accept")
    assert _shown("energy_total", "虹桥", 2023, "Y") == pytest.approx(1100)
    assert _shown("energy_total", "新泾镇", 2024, "Y") == pytest.approx(2100)


def test_a_title_period_still_applies_to_year_columns():
    """2025年1-9月 in the title: 2024年 | 2025年 are that period of each year, not whole years."""
    rows = [["2025年1-9月长宁区分街镇能源消费量（吨标准煤）", None, None], *YEARS[1:]]
    raw = files.read_upload(xlsx_bytes(rows), "t.xlsx")
    checked = checks.check(raw)
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert set(checked.frame["period"]) == {"Q3"}


def test_a_merged_year_over_value_and_growth_and_a_year_to_date(work_db, tmp_path):
    path = _write(tmp_path, "merged.xlsx", xlsx_bytes(MERGED_YEARS, merges=MERGES))
    raw = files.read_upload((tmp_path / "merged.xlsx").read_bytes(), "merged.xlsx")
    reading = {c.letter: (c.role, c.year, c.period) for c in raw.reading.columns}
    assert reading == {
        "B": ("value", 2024, "Y"),
        "C": ("growth", 2024, "Y"),
        "D": ("value", 2025, "Q3"),
        "E": ("growth", 2025, "Q3"),
    }
    _load(path, "--accept")
    assert _shown("energy_total", "虹桥", 2024, "Y") == pytest.approx(1210)
    assert _shown("energy_total", "新泾镇", 2025, "Q3") == pytest.approx(1600)


@pytest.mark.parametrize(
    ("name", "note", "below"),
    [
        ("q.xlsx", "数值（季度值，非累计）", True),
        ("q.csv", "（当季）", False),
        ("n.csv", "(非累计)", False),
    ],
)
def test_single_quarters_add_up_to_the_year_to_date(work_db, tmp_path, name, note, below):
    rows = _quarters(note, below=below)
    if below:
        rows[2][0] = None  # the merged 街镇 cell's second row
    path = _write(
        tmp_path, name, _file(rows, name) if not below else xlsx_bytes(rows, merges=["A2:A3"])
    )
    _load(path, "--accept")
    assert _shown("energy_total", "新泾镇", 2025, "Q3") == pytest.approx(60)  # 10 + 20 + 30
    loaded = query(
        work_db,
        "select period, value from observations where scope_code = 'hongqiao'"
        " and indicator_id = 'energy_total' and year = 2025 and batch_id is not null"
        " and period in ('Q1', 'Q2', 'Q3') order by 1",
    )
    assert loaded == [("Q1", 100.0), ("Q2", 300.0), ("Q3", 600.0)]  # 100, +200, +300


def test_single_quarters_with_the_second_missing_are_asked_not_loaded(work_db, tmp_path):
    rows = _quarters("（季度值，非累计）", ("一季度", "三季度"))
    path = _write(tmp_path, "q13.csv", csv_bytes(rows, "gbk"))
    before = snapshot(work_db)
    done = cli("load", path, "--accept")
    assert done.returncode == 2
    assert "缺少：二季度" in done.stderr and "C: skip" in done.stderr
    assert snapshot(work_db) == before  # not even 一季度: the file is asked as a whole


def test_a_blank_earlier_quarter_on_a_row_is_refused(work_db, tmp_path):
    rows = _quarters("（当季）")
    rows[2][2] = ""  # 虹桥's 二季度 blank, its 三季度 given
    path = _write(tmp_path, "blank.csv", csv_bytes(rows, "gbk"))
    done = cli("load", path, "--accept")
    assert done.returncode == 2 and "第3行" in done.stderr and "缺少：二季度" in done.stderr


def test_a_cumulative_note_reads_the_quarter_as_the_year_to_date(work_db, tmp_path):
    rows = _quarters("（累计）", ("三季度",))
    path = _write(tmp_path, "cum.csv", csv_bytes(rows, "gbk"))
    _load(path, "--accept")
    assert _shown("energy_total", "虹桥", 2025, "Q3") == pytest.approx(100)  # not summed


def test_a_bracket_that_is_a_unit_stays_a_unit():
    col = layout._read_column(1, ["三季度（万吨标准煤）"], "observations", "energy_total")
    assert (col.unit, col.quarter, col.reason) == ("万吨标准煤", None, "ambiguous_quarter")


LONE = [
    ["2025年长宁区分街镇能源消费量（吨标准煤）", None],
    ["街镇", "三季度"],
    ["虹桥街道", 700],
    ["新泾镇", 70],
]


def test_a_lone_quarter_is_asked_then_answered_on_the_command_line_and_kept(work_db, tmp_path):
    path = _write(tmp_path, "lone.xlsx", xlsx_bytes(LONE))
    before = snapshot(work_db)
    done = cli("load", path, "--accept")
    assert done.returncode == 2 and "--period-word 三季度=" in done.stderr
    assert snapshot(work_db) == before
    bad = cli("load", path, "--period-word", "三季度=第五季")
    assert bad.returncode == 2 and "--period-word" in bad.stderr
    _load(path, "--period-word", "三季度=前三季度", "--save-recipe", "季度表", "--accept")
    assert _shown("energy_total", "虹桥", 2025, "Q3") == pytest.approx(700)
    # next year's file of the same shape: the recipe's answer applies, the word is not asked
    # (--accept only confirms the figures against the demo data's: without the recipe the
    # same call is refused, as above)
    rows = [["2026年长宁区分街镇能源消费量（吨标准煤）", None], *LONE[1:]]
    rows[2] = ["虹桥街道", 750]
    nxt = _write(tmp_path, "lone2026.xlsx", xlsx_bytes(rows))
    assert "季度表" in _load(nxt, "--accept").stdout
    assert _shown("energy_total", "虹桥", 2026, "Q3") == pytest.approx(750)


def test_an_answer_survives_the_reading_kept_as_data():
    raw = files.read_upload(xlsx_bytes(LONE), "lone.xlsx")
    answered = layout.with_words(raw.reading, {"三季度": "Q3"})
    again = layout.Reading.from_dict(answered.to_dict())
    assert again.period_words == {"三季度": "Q3"}
    assert [(c.role, c.period) for c in again.columns] == [("value", "Q3")]
    assert not again.missing()


def test_an_answer_never_overrides_a_note_in_the_file():
    raw = files.read_upload(csv_bytes(_quarters("（当季）"), "gbk"), "q.csv")
    assert [c.quarter for c in raw.reading.columns] == [1, 2, 3]
    answered = layout.with_words(raw.reading, {"三季度": "Q3"})
    assert [c.quarter for c in answered.columns] == [1, 2, 3]
    assert all(c.period is None for c in answered.columns)


def test_a_unit_that_cannot_convert_is_refused_not_converted(work_db, tmp_path):
    rows = [["长宁区分街镇能源消费量（千瓦时）", None, None], *YEARS[1:]]
    path = _write(tmp_path, "kwh.xlsx", xlsx_bytes(rows))
    before = snapshot(work_db)
    done = cli("load", path, "--accept")
    assert done.returncode == 2 and "千瓦时" in done.stderr and "单位无法换算" in done.stderr
    assert "期间" not in done.stderr  # the only problem is the unit: the years were read
    assert snapshot(work_db) == before


TARGETS = [
    ["2031年长宁区低碳发展指标目标分解表", None, None],
    ["街镇", "单位GDP能耗下降率目标（%）", "光伏新增装机（千瓦）"],
    ["虹桥街道", 3.5, 500],
    ["新泾镇", 3.0, 800],
    ["全区", 3.2, 3000],
]


def _targets(path):
    return query(
        path,
        "select indicator_id, scope_code, target_value, kind from targets where year = 2031"
        " order by 1, 2",
    )


def test_a_target_table_loads_as_targets_by_a_district_editor(editors, tmp_path):
    path = _write(tmp_path, "targets.xlsx", xlsx_bytes(TARGETS, merges=["A1:C1"]))
    observations = query(editors, "select count(*) from observations")
    _load(path, "--editor", "boss", "--accept")
    assert _targets(editors) == [
        ("energy_per_gdp_change", "district", 3.2, "rate"),
        ("energy_per_gdp_change", "hongqiao", 3.5, "rate"),
        ("energy_per_gdp_change", "xinjing", 3.0, "rate"),
        ("pv_new", "district", 3000.0, "cumulative"),
        ("pv_new", "hongqiao", 500.0, "cumulative"),
        ("pv_new", "xinjing", 800.0, "cumulative"),
    ]
    assert query(editors, "select count(*) from observations") == observations


def test_a_target_table_is_refused_to_a_street_editor(editors, tmp_path):
    own = [*TARGETS[:3], TARGETS[4]]  # 虹桥's own row and 全区's: targets are the district's
    path = _write(tmp_path, "own.xlsx", xlsx_bytes(own))
    before = snapshot(editors)
    done = cli("load", path, "--editor", "hq", "--accept")
    assert done.returncode == 2 and "街镇编辑账号不能载入或修改任何目标" in done.stderr
    assert "（虹桥街道）" in done.stderr  # its own 街镇's row too
    assert snapshot(editors) == before


def test_kind_targets_never_loads_as_observations(work_db, tmp_path):
    rows = [["2031年长宁区低碳发展指标", None, None], *TARGETS[1:]]  # no 目标 in the title
    path = _write(tmp_path, "unsure.xlsx", xlsx_bytes(rows))
    before = snapshot(work_db)
    asked = cli("load", path, "--accept")  # one column says 目标, one not: asked
    assert asked.returncode == 2 and "--kind targets" in asked.stderr
    assert snapshot(work_db) == before
    _load(path, "--kind", "targets", "--accept", "--year", "2031")
    assert len(_targets(work_db)) == 6
    loaded = query(work_db, "select count(*) from observations where year = 2031")
    assert loaded == [(0,)]


def test_a_target_tables_year_comes_from_year_when_the_title_has_none(work_db, tmp_path):
    rows = [["长宁区低碳发展指标目标分解表", None, None], *TARGETS[1:]]
    path = _write(tmp_path, "noyear.xlsx", xlsx_bytes(rows))
    assert cli("load", path, "--accept").returncode == 2  # the year is asked
    _load(path, "--accept", "--year", "2031")
    assert len(_targets(work_db)) == 6


def _preview_page(path: str) -> None:
    from pathlib import Path

    import streamlit as st

    from indicators.intake import files
    from indicators.views import data

    reading = files.read_upload(Path(path).read_bytes(), "f.xlsx").reading
    out, _ = data.reading_editor(reading, "zh", "k", "test")
    st.session_state["answered"] = out.to_dict()


def test_the_preview_answers_a_lone_quarter(work_db, tmp_path):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "lone.xlsx"
    path.write_bytes(xlsx_bytes(LONE))
    at = AppTest.from_function(_preview_page, args=(str(path),))
    at.run(timeout=60)
    assert not at.exception
    asked = layout.Reading.from_dict(at.session_state["answered"])
    assert [p.key for p in asked.missing()] == ["layout_ambiguous_quarter", "layout_nothing"]
    word = at.selectbox(key="k_word_0")
    assert "三季度" in word.label
    word.set_value("Q3").run(timeout=60)
    answered = layout.Reading.from_dict(at.session_state["answered"])
    assert [(c.role, c.period) for c in answered.columns] == [("value", "Q3")]
    assert answered.period_words == {"三季度": "Q3"} and not answered.missing()


def test_an_answer_reads_an_ambiguous_title_too():
    rows = [
        ["2025年三季度长宁区分街镇主要指标", None],
        ["街镇", "能源消费量（吨标准煤）"],
        *LONE[2:],
    ]
    raw = files.read_upload(xlsx_bytes(rows), "t.xlsx")
    assert "layout_no_period" in {p.key for p in raw.reading.missing()}
    answered = layout.with_words(raw.reading, {"三季度": "1-9月"})
    assert (answered.year, answered.period) == (2025, "Q3") and not answered.missing()


def test_a_footnote_mark_on_a_single_quarter_is_said_and_summed_without_it():
    # 20① is 20 with a note, never 201: the mark comes off and is said, as on a long row
    rows = _quarters("（当季）")
    rows[3][2] = "20①"  # 新泾镇's 二季度
    raw = files.read_upload(csv_bytes(rows), "q.csv")
    ytd = {
        (cells["scope_code"], cells["period"]): cells["value"]
        for _, cells in raw.rows
        if cells["scope_code"] == "新泾镇"
    }
    assert ytd[("新泾镇", "Q3")] == pytest.approx(60)
    assert [(p.key, p.row) for p in raw.notes if p.key == "footnote_removed"] == [
        ("footnote_removed", 4)
    ]


@pytest.mark.parametrize(
    ("title", "header"),
    [
        ("2031年1-9月各街镇序时进度计划", "单位GDP能耗下降率计划值（%）"),
        ("2031年1-9月分街镇能源消费量", "能源消费量（计划）"),  # said in the brackets
        ("2031年1-9月分街镇能源消费量", "能源消费量（序时计划）"),
    ],
)
def test_a_table_of_plan_values_is_never_read_as_figures(title, header):
    """The probe's 序时计划 sheet was proposed as 指标数据: a plan value loaded with --accept
    as the 街镇's actual figure. A plan (计划值) is a target's kind, or asked."""
    rows = [[title, None], ["街镇", header], ["虹桥街道", 1.0], ["新泾镇", 1.2]]
    reading = files.read_upload(xlsx_bytes(rows), "plan.xlsx").reading
    assert reading.kind == "targets" or reading.kind_unsure, reading.kind
