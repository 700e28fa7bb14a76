"""Known answers for progress against target: expected to date, attainment, bands."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.domain import status


@pytest.mark.parametrize(
    ("target", "kind", "period", "plan", "expected"),
    [
        (100, "cumulative", "Q3", None, 75),
        (100, "cumulative", "M06", None, 50),
        (100, "cumulative", "Y", None, 100),
        (100, "cumulative", "Q3", 70, 70),  # the plan's Q3 value wins over 75%
        (3.0, "rate", "Q3", None, 3.0),
        (0.07, "level", "Q1", 0.05, 0.07),  # plans apply to cumulative targets only
    ],
)
def test_expected_to_date(target, kind, period, plan, expected):
    assert status.expected_to_date(target, kind, period, plan) == pytest.approx(expected)


def test_attainment_higher_and_lower_is_better():
    assert status.attainment_pct(90, 100, "higher") == pytest.approx(90)
    assert status.attainment_pct(0.08, 0.1, "lower") == pytest.approx(125)
    assert status.attainment_pct(0.125, 0.1, "lower") == pytest.approx(80)


def test_attainment_missing_or_zero_base_is_none():
    assert status.attainment_pct(None, 100, "higher") is None
    assert status.attainment_pct(float("nan"), 100, "higher") is None
    assert status.attainment_pct(5, 0, "higher") is None
    assert status.attainment_pct(0, 0.1, "lower") is None


@pytest.mark.parametrize(
    ("actual", "band"),
    [
        (100, "green"),
        (120, "green"),
        (99.999, "yellow"),
        (90, "yellow"),
        (89.999, "orange"),
        (50, "orange"),
        (49.999, "red"),
        (0, "red"),
        (-5, "red"),
    ],
)
def test_band_edges_are_half_open(actual, band):
    assert status.rag_status(actual, 100, "higher") == band


def test_band_edges_lower_is_better():
    assert status.rag_status(0.1, 0.1, "lower") == "green"
    assert status.rag_status(0.1 / 0.9, 0.1, "lower") == "yellow"  # attainment exactly 90
    assert status.rag_status(0.2, 0.1, "lower") == "orange"  # exactly 50
    assert status.rag_status(0.21, 0.1, "lower") == "red"


def test_missing_value_is_not_reported_never_zero():
    assert status.rag_status(None, 100, "higher") == "not_reported"
    assert status.rag_status(float("nan"), 100, "higher") == "not_reported"
    assert status.rag_status(0, 100, "higher") == "red"


def test_no_target_and_zero_denominator():
    assert status.rag_status(5, None, "higher") == "no_target"
    assert status.rag_status(5, 0, "higher") == "green"  # met a zero target
    assert status.rag_status(0, 0.1, "lower") == "green"  # zero intensity beats any cap
    assert status.rag_status(-1, 0, "higher") == "red"


def test_custom_thresholds():
    t = {"green": 100, "yellow": 95, "orange": 80}
    assert status.rag_status(94, 100, "higher", t) == "orange"


def _values(rows):
    return pd.DataFrame(
        rows, columns=["scope_code", "indicator_id", "breakdown", "year", "period", "value", "unit"]
    )


def test_add_status_uses_plan_and_ignores_breakdown_rows():
    values = _values(
        [
            ("a", "pv_new", "", 2026, "Q3", 70.0, "kw"),
            ("b", "pv_new", "", 2026, "Q3", 30.0, "kw"),
            ("a", "municipal_reviews", "emc", 2026, "Y", 1.0, "item"),
        ]
    )
    targets = pd.DataFrame(
        [
            ("pv_new", "a", 2026, 100.0, "cumulative"),
            ("pv_new", "b", 2026, 100.0, "cumulative"),
            ("municipal_reviews", "a", 2026, 10.0, "cumulative"),
        ],
        columns=["indicator_id", "scope_code", "year", "target_value", "kind"],
    )
    plans = pd.DataFrame(
        [("pv_new", "a", 2026, "Q3", 70.0)],
        columns=["indicator_id", "scope_code", "year", "period", "plan_value"],
    )
    cat = {"pv_new": {"direction": "higher"}, "municipal_reviews": {"direction": "higher"}}
    out = status.add_status(values, targets, plans, cat).set_index("scope_code")
    assert out.loc["a"].iloc[0]["expected_to_date"] == 70  # the plan
    assert out.loc["a"].iloc[0]["rag_status"] == "green"
    assert out.loc["b", "expected_to_date"] == 75  # 100 × Q3 share
    assert out.loc["b", "attainment_pct"] == pytest.approx(40)
    assert out.loc["b", "rag_status"] == "red"
    assert out.loc["a"].iloc[1]["rag_status"] == "no_target"


def test_a_status_judged_on_a_plan_that_does_not_fit_its_target_says_which():
    values = _values(
        [
            ("a", "pv_new", "", 2026, "Q3", 80.0, "kw"),  # judged on a's Q3 plan
            ("a", "pv_new", "", 2026, "Y", 100.0, "kw"),  # judged on the target itself
            ("b", "pv_new", "", 2026, "Q3", 80.0, "kw"),  # b's plan fits
            ("c", "pv_new", "", 2026, "Q3", 80.0, "kw"),  # no plan: target × share
            ("a", "pv_new", "x", 2026, "Q3", 8.0, "kw"),  # a part: no target, no note
        ]
    )
    targets = pd.DataFrame(
        [("pv_new", s, 2026, 100.0, "cumulative") for s in "abc"],
        columns=["indicator_id", "scope_code", "year", "target_value", "kind"],
    )
    plans = pd.DataFrame(
        [
            ("pv_new", "a", 2026, "Q3", 84.0),
            ("pv_new", "a", 2026, "Q4", 120.0),  # set for a target of 120
            ("pv_new", "b", 2026, "Q3", 70.0),
            ("pv_new", "b", 2026, "Q4", 100.0),
        ],
        columns=["indicator_id", "scope_code", "year", "period", "plan_value"],
    )
    out = status.add_status(values, targets, plans, {"pv_new": {"direction": "higher"}})
    fields = [
        "plan_misfit",
        "plan_misfit_period",
        "plan_misfit_value",
        "plan_misfit_against",
        "plan_misfit_against_period",
    ]
    a = out.iloc[0]
    assert a[fields[:4]].tolist() == ["plan_year_end", "Q4", 120.0, 100.0]
    assert pd.isna(a["plan_misfit_against_period"])
    assert a["expected_to_date"] == 84  # still judged on the plan, and says so
    assert status.on_misfit_plan(a.to_dict())
    for n in (1, 2, 3, 4):
        assert out.iloc[n][fields].isna().all(), out.iloc[n]
        assert not status.on_misfit_plan(out.iloc[n].to_dict())
    # a status that is no band (未报送) is not judged on anything
    assert not status.on_misfit_plan({**a.to_dict(), "rag_status": "not_reported"})


def test_add_change_first_year_zero_base_and_points():
    values = _values(
        [
            ("a", "x", "", 2023, "Y", 10.0, "kw"),
            ("a", "x", "", 2024, "Y", 12.0, "kw"),
            ("a", "z", "", 2023, "Y", 0.0, "kw"),
            ("a", "z", "", 2024, "Y", 5.0, "kw"),
            ("a", "p", "", 2023, "Y", 1.5, "pct"),
            ("a", "p", "", 2024, "Y", 1.83, "pct"),
        ]
    )
    out = status.add_change(values, {"pct"}).set_index(["indicator_id", "year"])
    assert pd.isna(out.loc[("x", 2023), "change"])  # first year: no previous year
    assert out.loc[("x", 2024), "change"] == pytest.approx(20)
    assert pd.isna(out.loc[("z", 2024), "change"])  # zero base
    assert out.loc[("p", 2024), "change"] == pytest.approx(0.33)  # percentage points
    assert out.loc[("p", 2024), "change_kind"] == "pp"


def test_project_year_end():
    assert status.project_year_end(60, "Q3", "cumulative") == pytest.approx(80)
    assert status.project_year_end(2.5, "Q3", "rate") == 2.5
    assert math.isclose(status.project_year_end(10, "M06", "cumulative"), 20)
    assert status.project_year_end(63, "Q3", "cumulative", 0.7) == pytest.approx(90)


def test_worst_first_keeps_ties_in_order():
    m = pd.DataFrame(
        {
            "i1": ["green", "red", "green", "not_reported"],
            "i2": ["green", "green", "green", "green"],
        },
        index=["a", "b", "c", "d"],
    )
    assert list(status.worst_first(m).index) == ["b", "d", "a", "c"]


def test_negative_targets_and_values_follow_whether_the_target_is_met():
    # A rate target of -2 (may rise by 2%): a 1% fall meets it, a 3% rise does not.
    assert status.attainment_pct(1.0, -2.0, "higher") is None
    assert status.rag_status(1.0, -2.0, "higher") == "green"
    assert status.rag_status(-3.0, -2.0, "higher") == "red"
    # A positive target and a negative value: a rise where a fall was wanted is red.
    assert status.attainment_pct(-1.0, 3.0, "higher") == pytest.approx(-100 / 3)
    assert status.rag_status(-1.0, 3.0, "higher") == "red"
    # Lower is better with a negative value or target: met or not, no ratio.
    assert status.rag_status(-0.5, 0.1, "lower") == "green"
    assert status.rag_status(0.5, -0.1, "lower") == "red"
    assert status.rag_status(-0.5, -0.1, "lower") == "green"


# Values around a target of 100 fall in every band; a few odd ones besides.
number = st.one_of(
    st.none(),
    st.sampled_from([0.0, 45.0, 50.0, 89.0, 90.0, 94.0, 95.0, 99.9, 100.0, 105.0, 180.0, -5.0]),
    st.floats(-1e6, 1e6, allow_nan=False),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["up", "down"]),
            st.sampled_from(["Y", "Q1", "Q3", "M05"]),
            number,  # value
            number,  # target
            st.sampled_from(["cumulative", "rate", "level"]),
            number,  # plan
        ),
        min_size=1,
        max_size=25,
    )
)
def test_add_status_on_columns_follows_the_rules_for_one_value(rows):
    """add_status works on whole columns; each row must come out as the scalar rules say."""
    indicators = {
        "up": {"direction": "higher", "thresholds": {"green": 100, "yellow": 95, "orange": 60}},
        "down": {"direction": "lower"},
    }
    values = pd.DataFrame(
        [("a", i, "", 2025, p, v) for i, p, v, *_ in rows],
        columns=["scope_code", "indicator_id", "breakdown", "year", "period", "value"],
    ).drop_duplicates(["indicator_id", "period"])
    first = {(i, p): (t, k, pl) for i, p, _, t, k, pl in reversed(rows)}
    targets = pd.DataFrame(
        [("a", i, 2025, t, k) for (i, _), (t, k, _) in first.items() if t is not None],
        columns=["scope_code", "indicator_id", "year", "target_value", "kind"],
    ).drop_duplicates(["indicator_id"])
    plans = pd.DataFrame(
        [("a", i, 2025, p, pl) for (i, p), (_, _, pl) in first.items() if pl is not None],
        columns=["scope_code", "indicator_id", "year", "period", "plan_value"],
    )
    out = status.add_status(values, targets, plans, indicators)
    by_id = targets.set_index("indicator_id")
    plan_of = plans.set_index(["indicator_id", "period"])["plan_value"].to_dict()
    for row in out.itertuples():
        ind = indicators[row.indicator_id]
        expected = None
        if row.indicator_id in by_id.index:
            t = by_id.loc[row.indicator_id]
            plan = plan_of.get((row.indicator_id, row.period))
            expected = status.expected_to_date(t["target_value"], t["kind"], row.period, plan)
        value = None if pd.isna(row.value) else row.value
        want_pct = status.attainment_pct(value, expected, ind["direction"])
        assert row.rag_status == status.rag_status(
            value, expected, ind["direction"], ind.get("thresholds")
        )
        if want_pct is None:
            assert pd.isna(row.attainment_pct)
        else:
            assert row.attainment_pct == pytest.approx(want_pct)
        if expected is None:
            assert pd.isna(row.expected_to_date)
        else:
            assert row.expected_to_date == pytest.approx(expected)
