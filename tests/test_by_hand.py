"""No file is a dead end (issue 24): a table the guesser cannot place is read as the
official sets it — its header rows and the column that gives each row's 街镇 — by a
recipe file on the command line (the upload page's choices, tested in test_browser), and
the next file of that shape is read the same way with no question."""

from __future__ import annotations

import pytest

from indicators.intake import files, layout, recipes
from tests.conftest import query
from tests.intake_files import xlsx_bytes
from tests.test_load import cli

# 虹桥 and 新泾镇's 2025 Q3 energy use in 万吨标准煤, near the built-in figures, so that
# nothing is held as implausible
HONGQIAO, XINJING = 21.0, 12.9

RECIPE = """\
kind: observations
header_rows: [3]
label: 地址          # the header as written, or its letter B
columns:
  C: {indicator: 能源消费总量, unit: 万吨标准煤}
"""


def _unreadable(path, months: int = 9, scale: float = 1.0):
    """The 街镇 only inside an address, under headers that name no template column."""
    rows = [
        [f"2025年1-{months}月各街镇办事处用能情况统计", None, None, None],
        [None, None, None, None],
        ["序号", "地址", "本期用能", "联系人"],
        [1, "上海市长宁区虹桥街道办事处（古北路）", round(HONGQIAO * scale, 4), "张三"],
        [2, "长宁区新泾镇人民政府", round(XINJING * scale, 4), "李四"],
    ]
    path.write_bytes(xlsx_bytes(rows))
    return path


def _energy(db, period: str) -> dict[str, float]:
    rows = query(
        db,
        "select scope_code, value from observations where indicator_id = 'energy_total' "
        f"and year = 2025 and period = '{period}' and scope_code in ('hongqiao', 'xinjing')",
    )
    return {code: round(value, 3) for code, value in rows}


def test_by_hand_reads_each_column_from_its_header(tmp_path):
    raw = files.read_upload(_unreadable(tmp_path / "a.xlsx").read_bytes(), "a.xlsx")
    assert raw.reading is None and [p.key for p in raw.problems] == ["no_header"]
    reading = layout.by_hand(raw.head, "observations", [3], 1)
    assert (reading.label, reading.label_header, reading.header_rows) == (1, "地址", [3])
    assert (reading.year, reading.period, reading.by_hand) == (2025, "Q3", True)
    roles = {c.letter: (c.role, c.reason) for c in reading.columns}
    assert roles["A"] == ("unused", "not_figures")  # 序号
    assert roles["C"] == ("value", "unknown_indicator")  # to be chosen
    with pytest.raises(ValueError):
        layout.by_hand(raw.head, "observations", [40], 1)  # no such row
    with pytest.raises(ValueError):
        layout.by_hand(raw.head, "observations", [3], 9)  # no such column


def test_a_table_the_guesser_cannot_read_is_refused_saying_what_to_set(work_db, tmp_path):
    res = cli("load", str(_unreadable(tmp_path / "a.xlsx")))
    assert res.returncode == 2
    assert "header_rows" in res.stderr and "手工设置读取方式" in res.stderr


def test_a_recipe_file_places_the_table_and_the_next_file_needs_no_question(work_db, tmp_path):
    recipe = tmp_path / "办事处.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    first = _unreadable(tmp_path / "9月.xlsx")
    res = cli("load", str(first), "--recipe-file", str(recipe), "--save-recipe", "办事处用能")
    assert res.returncode == 0, res.stderr
    assert "标签列“地址”" in res.stdout and "D 列“联系人” → 不读取" in res.stdout
    assert _energy(work_db, "Q3") == {"hongqiao": 210000.0, "xinjing": 129000.0}
    # next month, same shape, new figures: read by the saved reading, nothing asked
    res = cli("load", str(_unreadable(tmp_path / "10月.xlsx", 10, 1.1)))
    assert res.returncode == 0, res.stderr
    assert "按读取模板“办事处用能”读取" in res.stdout
    assert _energy(work_db, "M10") == {"hongqiao": 231000.0, "xinjing": 141900.0}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("header_rows: [3]", "header_rows: [40]"), "header_rows"),
        (("label: 地址", "label: 街镇"), "街镇"),
        (("kind: observations", "kind: projects"), "projects"),
        (("C: {indicator: 能源消费总量", "C: {indicator: 碳汇量"), "碳汇量"),
    ],
)
def test_a_recipe_file_that_does_not_fit_the_file_is_refused_with_why(
    work_db, tmp_path, change, says
):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(RECIPE.replace(*change), encoding="utf-8")
    before = query(work_db, "select count(*) from load_batches")
    res = cli("load", str(_unreadable(tmp_path / "a.xlsx")), "--recipe-file", str(recipe))
    assert res.returncode == 2
    assert says in res.stderr
    assert query(work_db, "select count(*) from load_batches") == before


def test_a_street_editors_reading_by_hand_is_not_applied_to_the_districts_files(editors, tmp_path):
    raw = files.read_upload(_unreadable(tmp_path / "a.xlsx").read_bytes(), "a.xlsx")
    reading = layout.by_hand(raw.head, "observations", [3], 1)
    reading.columns[1].indicator, reading.columns[1].unit = "energy_total", "万吨标准煤"
    recipes.save("虹桥的", reading, "hq", {"hongqiao"})
    assert recipes.by_hand_for(raw.head, None, None) is None  # the district's load
    applied = recipes.by_hand_for(raw.head, None, {"hongqiao"})
    assert applied is not None and applied.reading.recipe == "虹桥的"
    assert applied.reading.columns[1].unit == "万吨标准煤"


# -- The upload page asks what a long file gives none of: its 街镇, year, period -------


def _page_with(editor: str, name: str, data: bytes):
    from streamlit.testing.v1 import AppTest

    from indicators import auth
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.session_state["_editor"] = auth.account(editor)
    at.switch_page("pages/data_upload.py").run()
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _scope_select(at):
    return next(s for s in at.selectbox if (s.key or "").endswith("_file_scope"))


def test_the_upload_page_asks_one_street_for_a_file_that_names_none(editors):
    from tests.intake_files import csv_bytes

    rows = [
        ["指标", "年份", "期间", "数值", "单位"],
        ["能源消费总量", 2025, "Q3", 12.9, "万吨标准煤"],
    ]
    at = _page_with("boss", "新泾镇.csv", csv_bytes(rows, "gbk"))
    assert "upload_load" not in {b.key for b in at.button}  # nothing loads until it is set
    select = _scope_select(at)
    assert select.value is None  # no default: the official chooses
    select.set_value("xinjing").run()
    at.button(key="upload_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _energy(editors, "Q3")["xinjing"] == 129000.0
    # a 街镇 editor is offered only their own
    at = _page_with("hq", "虹桥.csv", csv_bytes(rows, "gbk"))
    assert _scope_select(at).options == ["虹桥街道"]
