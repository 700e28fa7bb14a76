"""The reporting-cycle pages in AppTest: 报送进度 for everyone, 本街镇待报 and 数据审核 for
editors (a 街镇 editor never reviews), 目标分解 editable by district editors only; and a
grid's rows loaded through the same checks as a file."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from indicators import auth, reference
from indicators.domain import queries, reporting
from indicators.intake import checks, files, loading
from tests.conftest import query
from tests.test_data_pages import open_page
from tests.test_reporting import _submit


def _texts(at) -> str:
    parts = [*at.markdown, *at.caption, *at.success, *at.warning, *at.info, *at.error]
    return " ".join(str(p.value) for p in parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reporting_progress_lists_every_street_and_writes_a_reminder(editors, lang):
    year, period = reporting.latest_due_period(date.today())
    # one 街镇's figures returned: that round has something overdue to remind of
    batch = _submit([["虹桥", year, period, "GDP", 4_000_000, ""]])
    from indicators.intake import review

    review.send_back(batch, "boss", "口径不符")
    at = open_page("pages/reporting.py", lang=lang)
    grid, items = at.dataframe[0].value, at.dataframe[1].value
    assert len(grid) == len(reference.leaves())
    assert len(items) == len(reference.leaves()) * len(reporting.due_indicators(period))
    returned = "↩ 退回" if lang == "zh" else "↩ Returned"
    assert returned in grid.to_string()
    code = [c for c in at.get("code")]
    overdue = reporting.due_on(year, period, reference.indicator("gdp")["due"]) < date.today()
    if overdue:  # a returned figure past its due date is named in the reminder
        assert code and "口径不符" in code[0].value
        assert [b.proto.label for b in at.get("download_button")]


def test_a_street_editor_sees_only_their_items_and_why_one_came_back(editors):
    year, period = reporting.latest_due_period(date.today())
    batch = _submit([["虹桥", year, period, "GDP", 4_000_000, ""]])
    from indicators.intake import review

    review.send_back(batch, "boss", "请按可比价填报")
    at = open_page("pages/my_reports.py", auth.account("hq"))
    items = at.dataframe[0].value
    assert set(items.iloc[:, 0]) == {"虹桥街道"}
    assert "请按可比价填报" in _texts(at)
    assert any(b.key == "entry_submit" for b in at.button)


def test_only_district_editors_review_and_an_approval_is_recorded(editors):
    year, period = reporting.latest_due_period(date.today())
    batch = _submit([["虹桥", year, period, "GDP", 4_000_000, ""]])
    street = open_page("pages/review.py", auth.account("hq"))
    assert not [b for b in street.button if b.key in ("review_approve", "review_return")]
    assert "区级编辑" in _texts(street)

    at = open_page("pages/review.py", auth.account("boss"))
    assert f"#{batch}" in at.dataframe[0].value.iloc[:, 0].tolist()
    at.selectbox(key="review_batch").select(batch).run()  # the example's own waits first
    at.button(key="review_return").click().run()
    assert "必须" in _texts(at) or "原因" in _texts(at)  # no reason, no return
    assert query(editors, f"select review from load_batches where batch_id = {batch}") == [
        ("pending",)
    ]
    at.button(key="review_approve").click().run()
    assert not at.exception
    assert query(editors, f"select review from load_batches where batch_id = {batch}") == [
        ("approved",)
    ]
    assert "审核通过" in _texts(at)
    assert f"#{batch}" not in at.dataframe[0].value.iloc[:, 0].tolist()


def test_targets_are_editable_by_district_editors_only_and_say_what_does_not_add_up(editors):
    year = int(query(editors, "select max(year) from targets")[0][0])
    reader = open_page("pages/targets.py")
    reader.selectbox(key="targets_year").select(year).run()
    assert not [b for b in reader.button if b.key.endswith("_save")]
    assert "一致" in _texts(reader)
    # a department's share above nothing: the line says so
    data = f"责任部门,指标,年份,目标值\n区商务委,pv_new,{year},1\n".encode()
    checked = checks.check(files.read_upload(data, "d.csv"))
    loading.load(checked, editor="boss", file_name="d.csv", data=data)
    at = open_page("pages/targets.py", auth.account("boss"))
    at.selectbox(key="targets_year").select(year).run()
    assert {b.key for b in at.button} >= {"targets_grid_save", "department_grid_save"}
    assert "各部门分解目标合计" in _texts(at)
    street = open_page("pages/targets.py", auth.account("hq"))
    assert not [b for b in street.button if b.key.endswith("_save")]


@pytest.mark.parametrize(
    ("kind", "entries"),
    [
        (
            "observations",
            {
                "scope_code": ["hongqiao", "xinjing"],
                "year": [2025, 2025],
                "period": ["Q3", "Q3"],
                "indicator_id": ["gdp", "energy_total"],
                "value": [1234.5, 99.0],
            },
        ),
        (
            "targets",
            {
                "indicator_id": ["pv_new"],
                "scope_code": ["district"],
                "year": [2027],
                "target_value": [30000.0],
                "kind": ["cumulative"],
            },
        ),
        (
            "department_targets",
            {
                "indicator_id": ["pv_new"],
                "department": ["sthjj"],
                "year": [2027],
                "target_value": [500.0],
            },
        ),
    ],
)
def test_a_grid_is_read_and_checked_as_the_same_file_would_be(kind, entries):
    frame = pd.DataFrame(entries)
    checked = checks.check(files.read_upload(files.form_csv(kind, frame), "grid.csv", kind=kind))
    assert checked.ok, checked.problems
    for column, values in entries.items():
        assert checked.frame[column].tolist() == values
    # a wrong value in the grid is refused with its row and column, as in a file
    bad = frame.assign(year=1800)
    refused = checks.check(files.read_upload(files.form_csv(kind, bad), "grid.csv", kind=kind))
    assert not refused.ok and refused.problems[0].row == 2


def test_reporting_status_of_a_round_with_nothing_due_is_empty():
    assert queries.reporting_status(2026, "M05", date(2026, 12, 1)).empty


def _load_targets(rows: list[list], name: str = "plan.csv") -> None:
    """A targets file (指标, 街镇, 年份, 期间, 目标值) loaded by a district editor."""
    header = "指标,街镇,年份,期间,目标值\n"
    data = (header + "".join(",".join(str(c) for c in r) + "\n" for r in rows)).encode()
    checked = checks.check(files.read_upload(data, name, kind="targets"))
    assert checked.ok, checked.problems
    loading.load(checked, editor="boss", file_name=name, data=data, replace=True)


def _pv_target(path, scope: str, year: int) -> float:
    return query(
        path,
        f"select target_value from targets where indicator_id = 'pv_new' and year = {year} "
        f"and scope_code = '{scope}'",
    )[0][0]


def test_targets_page_flags_a_plan_that_no_longer_fits_its_target(editors):
    year = int(query(editors, "select max(year) from target_plans")[0][0])
    target = _pv_target(editors, "beixinjing", year)
    # a plan set by hand on its own: its year end above the annual target
    _load_targets([["pv_new", "北新泾", year, "Q4", target + 500]])
    at = open_page("pages/targets.py")
    at.selectbox(key="targets_year").select(year).run()
    assert not at.exception
    lines = [str(m.value) for m in at.markdown if "序时计划与年度目标不符" in str(m.value)]
    assert len(lines) == 1 and "北新泾街道" in lines[0] and "四季度末计划" in lines[0]
    table = next(d.value for d in at.dataframe if "核对" in d.value.columns)
    check = dict(zip(table["街镇"], table["核对"], strict=True))
    assert check["北新泾街道"] == "⚠ 不符"
    assert {v for k, v in check.items() if k != "北新泾街道"} == {"✔ 一致"}
    row = table[table["街镇"] == "北新泾街道"].iloc[0]
    assert row["四季度末"] == f"{target + 500:,.0f}千瓦"  # the stored value, with its unit
    assert "None" not in table.to_string() and "nan" not in table.to_string()
    english = open_page("pages/targets.py", lang="en")
    english.selectbox(key="targets_year").select(year).run()
    text = _texts(english)
    assert "Beixinjing" in text and "the plan to the end of Q4" in text


def test_a_target_changed_in_the_grid_moves_the_plan_set_against_it(editors):
    year = int(query(editors, "select max(year) from target_plans")[0][0])
    target = _pv_target(editors, "hongqiao", year)
    before = dict(
        query(
            editors,
            "select period, plan_value from target_plans where indicator_id = 'pv_new' "
            f"and scope_code = 'hongqiao' and year = {year}",
        )
    )
    # the rows the 目标分解 grid saves, read and loaded as the grid does (submit_form)
    entries = pd.DataFrame(
        {
            "indicator_id": ["pv_new"],
            "scope_code": ["hongqiao"],
            "year": [year],
            "target_value": [target * 1.5],
            "kind": ["cumulative"],
        }
    )
    data = files.form_csv("targets", entries)
    checked = checks.check(files.read_upload(data, "grid.csv", kind="targets"))
    loading.load(checked, editor="boss", file_name="grid.csv", data=data, replace=True)
    after = dict(
        query(
            editors,
            "select period, plan_value from target_plans where indicator_id = 'pv_new' "
            f"and scope_code = 'hongqiao' and year = {year}",
        )
    )
    assert after == pytest.approx({p: v * 1.5 for p, v in before.items()})
    assert queries.target_findings(year).empty  # the plan still phases the target


def test_a_card_judged_on_a_plan_that_does_not_fit_says_so(editors):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    year = int(query(editors, "select max(year) from target_plans")[0][0])
    target = _pv_target(editors, "beixinjing", year)
    _load_targets([["pv_new", "北新泾", year, "Q4", target + 500]])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in {"scope": "beixinjing", "year": str(year), "period": "Q3"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    notes = [str(w.value) for w in at.warning if "序时目标与年度目标不一致" in str(w.value)]
    assert notes == [
        f"序时目标与年度目标不一致（四季度末计划 {target + 500:,.0f}千瓦，"
        f"年度目标 {target:,.0f}千瓦），请核对。"
    ]
    captions = " ".join(str(c.value) for c in at.caption)
    assert "北新泾街道光伏新增装机容量的状态按序时计划判断" in captions  # under the matrix


def _overview(editor=None, pending: str | None = None, lang: str = "zh"):
    """The overview of 北新泾街道 in the example's round (its energy figure awaits review)."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": lang, "scope": "beixinjing", "year": "2026", "period": "Q3"})
    at.run()
    if editor is not None:
        at.session_state["_editor"] = editor
    if pending is not None:  # a link opened by whoever is signed in
        at.query_params["pending"] = pending
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _cards(at) -> str:
    return " ".join(str(m.value) for m in at.metric)


def test_pending_is_shown_only_to_district_editors_who_ask_and_then_marked(editors):
    public = _overview()
    assert not [t for t in public.toggle]  # a reader has no switch
    asked = _overview(pending="1")  # a reader's link asking for it: public, and said
    assert _cards(asked) == _cards(public)
    assert "仅供区级编辑使用" in _texts(asked) and "待审核" not in _cards(asked)

    district = _overview(auth.account("boss"))
    assert _cards(district) == _cards(public)  # off by default
    (switch,) = district.toggle
    assert switch.label == "含待审核" and switch.value is False
    assert "待审核的报送" in " ".join(e.label for e in district.expander)
    switch.set_value(True).run()
    assert district.query_params["pending"] == "1"
    assert _cards(district) != _cards(public)  # 北新泾's energy per GDP with its submission
    assert "含待审核：标“待审核”的数字" in _texts(district)
    assert "待审核：尚未审核的报送，将替换" in _texts(district)
    linked = _overview(auth.account("boss"), pending="1")  # the link keeps the switch
    assert linked.toggle[0].value is True and _cards(linked) == _cards(district)


def test_a_street_editor_sees_their_own_pending_figures_but_not_the_switch(editors):
    auth.add_user("bxj", "pass-w0rd", ["beixinjing"])
    own = _overview(auth.account("bxj"))
    assert not [t for t in own.toggle]
    assert "待审核的报送" in " ".join(e.label for e in own.expander)
    other = _overview(auth.account("hq"))  # 虹桥's editor: 北新泾's submission is not theirs
    assert "待审核的报送" not in " ".join(e.label for e in other.expander)
