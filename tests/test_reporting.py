"""The reporting cycle: due rules, item states and overdue days (known answers on inline
rows), and 街镇 submissions the district approves or returns — a returned figure never
reaches a total; only district editors review."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from indicators import reference
from indicators.domain import queries, reporting
from indicators.intake import checks, files, loading, review
from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_load import cli, snapshot

QUARTERLY = {"months": 1, "day": 15}


@pytest.mark.parametrize(
    ("year", "period", "rule", "due"),
    [
        (2026, "M01", {"months": 1, "day": 10}, date(2026, 2, 10)),
        (2026, "Q1", QUARTERLY, date(2026, 4, 15)),
        (2026, "Q3", QUARTERLY, date(2026, 10, 15)),
        (2026, "Y", QUARTERLY, date(2027, 1, 15)),  # a quarterly figure's Q4 is the year
        (2026, "Y", {"months": 3, "day": 31}, date(2027, 3, 31)),
        (2026, "M01", {"months": 1, "day": 31}, date(2026, 2, 28)),  # clipped to February
        (2028, "M01", {"months": 1, "day": 31}, date(2028, 2, 29)),
        (2026, "M11", {"months": 0, "day": 5}, date(2026, 11, 5)),
    ],
)
def test_due_dates_follow_the_rule(year, period, rule, due):
    assert reporting.due_on(year, period, rule) == due


def test_the_default_rules_are_data_and_marked_illustrative():
    gdp = reference.indicator("gdp")
    assert gdp["due"] == {"illustrative": True, "months": 1, "day": 15}
    assert reference.indicator("lowcarbon_communities")["due"]["months"] == 3


def test_due_items_are_what_the_streets_report_in_that_period():
    q3 = reporting.due_items(2026, "Q3", ["hongqiao", "xinjing"])
    assert sorted(set(q3["indicator_id"])) == ["co2_total", "energy_total", "gdp"]
    assert len(q3) == 6 and set(q3["due_on"]) == {date(2026, 10, 15)}
    # M09 is Q3: the same items; the year adds the yearly ones, due later
    assert reporting.due_items(2026, "M09", ["hongqiao"])["period"].eq("Q3").all()
    year = reporting.due_items(2026, "Y", ["hongqiao"]).set_index("indicator_id")["due_on"]
    assert year["lowcarbon_communities"] == date(2027, 3, 31)
    assert year["gdp"] == date(2027, 1, 15)
    # district-only indicators are nobody's street item
    assert "municipal_reviews" not in set(year.index)
    assert reporting.due_items(2026, "M05", ["hongqiao"]).empty  # no monthly street figure


def _items() -> pd.DataFrame:
    return reporting.due_items(2026, "Q3", ["hongqiao"])[lambda f: f["indicator_id"] != "co2_total"]


def _loaded(**rows) -> pd.DataFrame:
    base = {
        "scope_code": "hongqiao",
        "present": False,
        "final": None,
        "is_demo": None,
        "row_editor": None,
        "row_at": None,
        "last_review": None,
        "last_editor": None,
        "last_at": None,
        "last_reason": None,
    }
    columns = ["indicator_id", *base]
    return pd.DataFrame(
        [{**base, "indicator_id": i, **r} for i, r in rows.items()], columns=columns
    )


def test_item_states_and_overdue_days():
    at = pd.Timestamp("2026-10-20 09:00")
    loaded = _loaded(
        energy_total={
            "last_review": "returned",
            "last_editor": "hq",
            "last_at": at,
            "last_reason": "口径不符",
        },
        gdp={"present": True, "final": False, "row_editor": "hq", "row_at": at},
    )
    out = reporting.item_states(_items(), loaded, date(2026, 10, 25)).set_index("indicator_id")
    assert out.loc["energy_total", "state"] == "returned"
    assert out.loc["energy_total", "reason"] == "口径不符"
    assert out.loc["energy_total", "days_overdue"] == 10  # still owed: 15 → 25 October
    assert out.loc["gdp", "state"] == "submitted"
    assert out.loc["gdp", "days_overdue"] == 0  # submitted: owes nothing
    assert out.loc["gdp", "submitted_by"] == "hq"
    # before the due date nothing is overdue, not even what is missing
    early = reporting.item_states(_items(), _loaded(), date(2026, 10, 1))
    assert early["state"].eq("missing").all() and early["days_overdue"].eq(0).all()
    late = reporting.item_states(_items(), _loaded(), date(2026, 11, 15))
    assert late["days_overdue"].eq(31).all()


def test_a_figure_in_after_its_due_date_shows_the_days_it_was_late():
    due = date(2026, 10, 15)  # Q3, quarterly rule
    items = reporting.due_items(2026, "Q3", ["hongqiao"])
    loaded = _loaded(
        # submitted five days late, in the morning of the 20th
        energy_total={"present": True, "final": False, "row_editor": "hq",
                      "row_at": pd.Timestamp("2026-10-20 09:00")},
        # approved, submitted on the due day itself late in the evening: on time
        gdp={"present": True, "final": True, "row_editor": "hq",
             "row_at": pd.Timestamp("2026-10-15 23:59")},
        # returned after the due date: still owed, overdue, never "late"
        co2_total={"last_review": "returned", "last_editor": "hq",
                   "last_at": pd.Timestamp("2026-10-30 10:00"), "last_reason": "口径不符"},
    )  # fmt: skip
    out = reporting.item_states(items, loaded, date(2026, 11, 1)).set_index("indicator_id")
    assert set(out["due_on"]) == {due}
    assert out.loc["energy_total", ["state", "days_late", "days_overdue"]].tolist() == [
        "submitted", 5, 0,
    ]  # fmt: skip
    assert out.loc["gdp", ["state", "days_late"]].tolist() == ["approved", 0]
    assert out.loc["co2_total", ["state", "days_late", "days_overdue"]].tolist() == [
        "returned", 0, 17,
    ]  # fmt: skip
    # an approved figure counts from its submission, however late the review
    approved_late = _loaded(gdp={"present": True, "final": True, "row_editor": "hq",
                                 "row_at": pd.Timestamp("2026-11-20 08:00")})  # fmt: skip
    out = reporting.item_states(items, approved_late, date(2026, 12, 1)).set_index("indicator_id")
    assert out.loc["gdp", "days_late"] == 36
    assert out.loc["energy_total", ["state", "days_late"]].tolist() == ["missing", 0]
    # built-in illustrative figures were loaded, not submitted: never late
    demo = _loaded(gdp={"present": True, "final": True, "is_demo": True,
                        "row_at": pd.Timestamp("2026-12-06 09:00")})  # fmt: skip
    out = reporting.item_states(items, demo, date(2026, 12, 6)).set_index("indicator_id")
    assert out.loc["gdp", "days_late"] == 0


def test_a_final_figure_is_approved_and_a_later_load_clears_a_return():
    loaded = _loaded(
        energy_total={"present": True, "final": True, "row_editor": "boss"},
        gdp={"present": True, "final": False, "last_review": "pending"},
    )
    out = reporting.item_states(_items(), loaded, date(2026, 12, 1)).set_index("indicator_id")
    assert out["state"].to_dict() == {"energy_total": "approved", "gdp": "submitted"}


def test_worst_first():
    items = reporting.due_items(2026, "Q3", ["hongqiao", "xinjing"])
    loaded = pd.concat(
        [
            _loaded(gdp={"present": True, "final": True}),
            _loaded(energy_total={"last_review": "returned"}).assign(scope_code="xinjing"),
        ]
    )
    out = reporting.item_states(items, loaded, date(2026, 11, 1))
    assert out["state"].tolist()[:1] == ["missing"]
    assert out["state"].tolist()[-1] == "approved"
    owed = out[out["state"].isin(reporting.OWING)]
    assert owed["days_overdue"].eq(17).all() and len(owed) == 5
    # among the equally late, missing before returned, then the 街镇 in their order
    assert out["state"].tolist().index("returned") == 4


# --- the cycle through the database -------------------------------------------------------

SUBMISSION = [["街镇", "年份", "期间", "指标", "数值", "状态"]]


def _checked(rows, allowed=None):
    data = csv_bytes(SUBMISSION + rows)
    raw = files.read_upload(data, "submission.csv")
    return checks.check(raw, allowed_scopes=allowed), data


def _submit(rows, editor="hq", allowed=frozenset({"hongqiao"})):
    checked, data = _checked(rows, set(allowed) if allowed is not None else None)
    assert checked.ok, checked.problems
    result = loading.load(
        checked,
        editor=editor,
        file_name="submission.csv",
        data=data,
        allowed_scopes=set(allowed) if allowed is not None else None,
    )
    return result.batch_id


def _state(year=2026, period="Y", as_of=date(2027, 2, 1)):
    frame = queries.reporting_status(year, period, as_of)
    return frame.set_index(["scope_code", "indicator_id"])


def _values(scope="hongqiao", indicator="energy_total", with_pending=False):
    frame = queries.indicator_frame(indicator, None, 2026, "Y", with_pending=with_pending)
    return frame.set_index("scope_code")["value"].dropna().to_dict().get(scope)


def test_a_submission_is_pending_not_public_returned_figures_never_count_and_approval_is_final(
    work_db,
):
    # the file says 正式; a 街镇's submission waits as 初步 until the district approves
    first = _submit([["虹桥", 2026, "全年", "能源消费总量", 250000, "正式"]])
    assert query(work_db, f"select review from load_batches where batch_id = {first}") == [
        ("pending",)
    ]
    assert _state().loc[("hongqiao", "energy_total"), "state"] == "submitted"
    # not public: in no total, group sum or status until approved; shown only on request
    assert _values() is None
    assert _values(with_pending=True) == 250000
    assert query(work_db, "select count(*) from observations where value = 250000") == [(0,)]
    status = "select data_status from pending_observations where value = 250000"
    assert query(work_db, status) == [("preliminary",)]
    marked = queries.indicator_frame("energy_total", "hongqiao", 2026, "Y", with_pending=True)
    assert marked[["pending", "review"]].values.tolist() == [[True, "pending"]]
    assert first in list(review.queue()["batch_id"])

    with pytest.raises(review.ReviewRefused) as refused:
        review.send_back(first, "hq", "自己退回", allowed_scopes={"hongqiao"})
    assert refused.value.key == "review.review_district_only"
    with pytest.raises(review.ReviewRefused):
        review.send_back(first, "boss", "   ")  # a return says why

    review.send_back(first, "boss", "口径与统计局不一致")
    returned = _state().loc[("hongqiao", "energy_total")]
    assert (returned["state"], returned["reason"]) == ("returned", "口径与统计局不一致")
    assert returned["days_overdue"] == 17
    assert query(work_db, "select count(*) from pending_observations where value = 250000") == [
        (0,)
    ]
    assert _values(with_pending=True) is None  # gone from every picture
    mart = query(work_db, "select count(*) from indicator_mart_pending where value = 250000")
    assert mart == [(0,)]
    assert first not in list(review.queue()["batch_id"])
    with pytest.raises(review.ReviewRefused) as again:
        review.approve(first, "boss")  # a returned submission is not reviewed twice
    assert again.value.key == "review.not_pending"

    second = _submit([["虹桥", 2026, "全年", "能源消费总量", 260000, ""]])
    assert _state().loc[("hongqiao", "energy_total"), "state"] == "submitted"
    assert _values() is None
    review.approve(second, "boss")
    approved = _state().loc[("hongqiao", "energy_total")]
    assert (approved["state"], approved["submitted_by"]) == ("approved", "hq")
    assert query(work_db, "select data_status from observations where value = 260000") == [
        ("final",)
    ]
    assert query(work_db, "select count(*) from pending_observations where value = 260000") == [
        (0,)
    ]
    frame = queries.indicator_frame("energy_total", "hongqiao", 2026, "Y")
    assert frame[["value", "data_status", "review"]].values.tolist() == [
        [260000, "final", "approved"]
    ]
    assert _values(with_pending=True) == 260000  # nothing pending: the public picture
    # the history shows each step: submitted, returned (rolled back), submitted, approved
    steps = query(
        work_db,
        "select kind, editor, review, coalesce(review_reason, '') from load_batches "
        f"where batch_id >= {first} order by batch_id",
    )
    assert steps == [
        ("observations", "hq", "returned", "口径与统计局不一致"),
        ("rollback", "boss", None, ""),
        ("observations", "hq", "approved", ""),
        ("review", "boss", None, ""),
    ]


def _q3(scope, indicator, with_pending=False):
    frame = queries.indicator_frame(indicator, scope, 2026, "Q3", with_pending=with_pending)
    return frame[frame["breakdown"] == ""].iloc[0]


def test_a_pending_figure_moves_no_group_sum_ratio_or_status_until_approved(work_db):
    before = {
        (s, i): _q3(s, i)
        for s in ("hongqiao", "focus", "district")
        for i in ("energy_total", "energy_per_gdp", "energy_per_gdp_change")
    }
    old = before[("hongqiao", "energy_total")]["value"]
    # the picture with what already awaits review (the example's own pending submission)
    focus_pending = _q3("focus", "energy_total", with_pending=True)["value"]
    batch = _submit([["虹桥", 2026, "Q3", "能源消费总量", old + 9000, ""]])
    for (scope, indicator), row in before.items():
        now = _q3(scope, indicator)
        assert (now["value"], now["rag_status"]) == (row["value"], row["rag_status"])
        assert not now["pending"]
        preview = _q3(scope, indicator, with_pending=True)
        assert preview["pending"] and preview["review"] == "pending"
        assert preview["public_value"] == pytest.approx(row["value"])
    focus = _q3("focus", "energy_total", with_pending=True)
    assert focus["value"] == pytest.approx(focus_pending + 9000)
    ratio = _q3("focus", "energy_per_gdp", with_pending=True)["value"]
    assert ratio > before[("focus", "energy_per_gdp")]["value"]
    # a figure the submission does not touch is never marked
    assert not _q3("xinjing", "energy_total", with_pending=True)["pending"]
    review.approve(batch, "boss")
    # public now: 虹桥's figure, not the example's other submission still awaiting review
    public_focus = before[("focus", "energy_total")]["value"] + 9000
    assert _q3("focus", "energy_total")["value"] == pytest.approx(public_focus)
    assert _q3("hongqiao", "energy_total")["review"] == "approved"
    assert not _q3("hongqiao", "energy_total", with_pending=True)["pending"]


def test_the_example_round_shows_a_missing_a_returned_and_a_pending_item_all_illustrative(
    work_db,
):
    from indicators.builtin import install

    spec = reference.demo_vocabulary()["reporting_round"]
    states = _state(spec["year"], spec["period"], date(2026, 12, 1))
    for step, state in (("missing", "missing"), ("returned", "returned"), ("pending", "submitted")):
        item = spec[step]
        assert states.loc[(item["scope"], item["indicator"]), "state"] == state
    returned = states.loc[(spec["returned"]["scope"], spec["returned"]["indicator"])]
    assert "示例" in returned["reason"] and "demo" in returned["submitted_by"]
    assert states.loc[(spec["pending"]["scope"], spec["pending"]["indicator"]), "is_demo"]
    (queued,) = review.queue()["batch_id"]
    assert query(work_db, f"select is_demo from load_batches where batch_id = {queued}") == [
        (True,)
    ]
    assert query(work_db, "select source from pending_observations") == [("示例数据",)]
    install.remove_demo()
    assert review.queue().empty
    after = _state(spec["year"], spec["period"], date(2026, 12, 1))
    assert after["state"].eq("missing").all()  # no illustrative figure, no review left


def test_a_district_load_needs_no_review_and_a_street_editor_submits_only_their_own(work_db):
    batch = _submit([["新泾镇", 2026, "全年", "地区生产总值", 2700000, "正式"]], "boss", None)
    assert query(work_db, f"select review from load_batches where batch_id = {batch}") == [(None,)]
    assert _state().loc[("xinjing", "gdp"), "state"] == "approved"
    checked, _ = _checked([["新泾镇", 2026, "全年", "地区生产总值", 1, ""]], {"hongqiao"})
    assert not checked.ok  # another 街镇's row: refused with the row
    assert any(p.key == "scope_not_allowed" for p in checked.problems)


def test_review_and_reporting_from_the_command_line(editors, tmp_path):
    path = tmp_path / "sub.csv"
    path.write_bytes(csv_bytes(SUBMISSION + [["虹桥", 2026, "Y", "GDP", 4000000, ""]], "gbk"))
    assert cli("load", str(path), "--editor", "hq").returncode == 0
    (batch,) = query(editors, "select max(batch_id) from load_batches")[0]
    before = snapshot(editors)
    refused = cli("review", str(batch), "--approve", "--editor", "hq")
    assert refused.returncode == 2 and "区级" in refused.stderr
    assert snapshot(editors) == before  # nothing written
    assert cli("review", str(batch), "--return", "数字偏大", "--editor", "boss").returncode == 0

    done = cli(
        "reporting", "status", "--year", "2026", "--period", "Y", "--as-of", "2027-01-25",
        "--format", "csv",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)
    assert list(frame.columns) == [
        "street_code", "street", "indicator", "period", "due_on", "state", "submitted_by",
        "submitted_at", "days_overdue", "days_late",
    ]  # fmt: skip
    assert set(frame["state"]) <= {"missing", "submitted", "approved", "returned"}
    row = frame.set_index(["street_code", "indicator"]).loc[("hongqiao", "gdp")]
    assert (row["state"], row["submitted_by"], row["days_overdue"]) == ("returned", "hq", "10")
    assert row["due_on"] == "2027-01-15" and row["street"] == "虹桥街道"
    assert len(frame) == 10 * len(reporting.due_indicators("Y"))
    assert frame["days_overdue"].astype(int).is_monotonic_decreasing
    bad = cli("reporting", "status", "--year", "2026", "--period", "Q9")
    assert bad.returncode == 2 and "Q9" in bad.stderr
