"""Known answers for shaping indicator frames for the pages."""

import pandas as pd
import pytest

from indicators import reference
from indicators.domain import analysis, queries


def _frame(rows):
    cols = [
        "scope_code",
        "indicator_id",
        "breakdown",
        "year",
        "period",
        "value",
        "previous_value",
        "rag_status",
        "target_value",
        "target_kind",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    # Expected to date as add_status makes it without a plan: target × share of the year.
    share = frame["period"].map({"Q3": 0.75, "Y": 1.0})
    frame["expected_to_date"] = [
        t * s if k == "cumulative" else t
        for t, s, k in zip(frame["target_value"], share, frame["target_kind"], strict=True)
    ]
    return frame


def test_cards_total_a_breakdown_and_mark_missing_as_not_reported():
    frame = _frame(
        [
            ("district", "municipal_reviews", "emc", 2024, "Y", 1.0, 2.0, "no_target", None, None),
            (
                "district",
                "municipal_reviews",
                "carbon_pilot",
                2024,
                "Y",
                5.0,
                2.0,
                "no_target",
                None,
                None,
            ),
        ]
    )
    cards = analysis.pick_cards(
        frame, "district", "Q3", ["municipal_reviews", "funded_projects"]
    ).set_index("indicator_id")
    assert cards.loc["municipal_reviews", "value"] == 6  # yearly: Q3 reads the year
    assert cards.loc["municipal_reviews", "change"] == pytest.approx(50)
    assert cards.loc["municipal_reviews", "parts"] == [("emc", 1.0), ("carbon_pilot", 5.0)]
    assert cards.loc["funded_projects", "rag_status"] == "not_reported"


def test_a_breakdown_with_a_part_missing_totals_to_no_figure_never_the_rest():
    frame = _frame(
        [
            ("district", "municipal_reviews", "emc", 2024, "Y", 1.0, 2.0, "no_target", None, None),
            (
                "district",
                "municipal_reviews",
                "green",
                2024,
                "Y",
                None,
                1.0,
                "no_target",
                None,
                None,
            ),
        ]
    )
    (card,) = analysis.pick_cards(frame, "district", "Y", ["municipal_reviews"]).to_dict("records")
    assert pd.isna(card["value"])  # not 1: one part is not known
    assert card["rag_status"] == "not_reported"


def test_district_only_indicators_do_not_apply_to_a_street():
    cards = analysis.pick_cards(_frame([]), "hongqiao", "Y", ["budget_growth", "pv_new"])
    assert list(cards["indicator_id"]) == ["pv_new"]


def test_status_matrix_worst_first_with_not_applicable():
    frame = _frame(
        [
            ("hongqiao", "pv_new", "", 2026, "Q3", 1.0, None, "green", 1, "cumulative"),
            ("xinjing", "pv_new", "", 2026, "Q3", 1.0, None, "red", 9, "cumulative"),
            ("district", "budget_growth", "", 2026, "Y", 1.0, None, "no_target", None, None),
        ]
    )
    m = analysis.status_matrix(
        frame, ["hongqiao", "xinjing", "district"], "Q3", ["pv_new", "budget_growth"]
    )
    assert list(m.index) == ["xinjing", "hongqiao", "district"]  # the 街镇 worst first, then 全区
    assert m.loc["hongqiao", "budget_growth"] == "not_applicable"
    assert m.loc["district", "pv_new"] == "not_reported"


def test_shares_of_district_and_zero_district():
    frame = pd.DataFrame({"scope_code": ["a", "b", "district"], "value": [25.0, 75.0, 100.0]})
    shares = analysis.shares_of_district(frame).set_index("scope_code")
    assert shares.loc["a", "share_pct"] == pytest.approx(25)
    zero = frame.assign(value=[0.0, 0.0, 0.0])
    assert analysis.shares_of_district(zero).empty


def test_projection_cumulative_and_lower_is_better():
    frame = _frame(
        [
            ("a", "pv_new", "", 2026, "Q3", 60.0, None, "green", 100.0, "cumulative"),
            ("b", "pv_new", "", 2026, "Q3", 90.0, None, "green", 100.0, "cumulative"),
            ("c", "pv_new", "", 2026, "Q3", 10.0, None, "no_target", None, None),
        ]
    )
    out = analysis.project_to_year_end(frame, "higher").set_index("scope_code")
    assert out.loc["a", "projected"] == pytest.approx(80)
    assert not out.loc["a", "will_meet"]
    assert out.loc["a", "shortfall"] == pytest.approx(20)
    assert out.loc["b", "will_meet"] and out.loc["b", "shortfall"] == 0
    assert out.loc["c", "will_meet"] is None
    planned = _frame(
        [("a", "pv_new", "", 2026, "Q3", 63.0, None, "green", 100.0, "cumulative")]
    ).assign(expected_to_date=70.0)  # plan: 70% by Q3
    out = analysis.project_to_year_end(planned, "higher").iloc[0]
    assert out["projected"] == pytest.approx(90) and out["shortfall"] == pytest.approx(10)
    # With no target, a flow scales up by the year covered; a stock or ratio carries on.
    untargeted = _frame(
        [
            ("a", "building_energy", "", 2026, "M09", 600.0, None, "no_target", None, None),
            ("a", "pv_capacity", "", 2026, "M09", 600.0, None, "no_target", None, None),
        ]
    )
    out = analysis.project_to_year_end(untargeted, "lower")
    assert out["projected"].tolist() == pytest.approx([800.0, 600.0])
    lower = _frame([("a", "energy_per_gdp", "", 2026, "Q3", 0.08, None, "red", 0.07, "level")])
    out = analysis.project_to_year_end(lower, "lower").iloc[0]
    assert out["projected"] == pytest.approx(0.08)
    assert out["shortfall"] == pytest.approx(0.01)


def test_headline_period_prefers_year_then_latest_quarter():
    frame = pd.DataFrame(
        {
            "year": [2025, 2025, 2026, 2026, 2026, 2026],
            "period": ["Q3", "Y", "Q1", "Q3", "M09", "Q2"],
        }
    )
    out = analysis.headline_period_rows(frame)
    assert list(zip(out["year"], out["period"], strict=True)) == [(2025, "Y"), (2026, "Q3")]


def test_filter_and_summarise_projects():
    projects = pd.DataFrame(
        {
            "project_id": ["p1", "p2", "p3"],
            "scope_code": ["a", "a", "b"],
            "scope_order": [0, 0, 1],
            "category": ["x", "y", "x"],
            "fund": ["f", "f", "g"],
            "amount_10k_yuan": [10.0, 20.0, 5.0],
            "saving_tce_per_year": [1.0, 2.0, 3.0],
        }
    )
    chosen = analysis.filter_projects(projects, category="x")
    summary = analysis.summarise_projects(chosen).set_index("scope_code")
    assert summary.loc["a", "n_projects"] == 1 and summary.loc["b", "amount_10k_yuan"] == 5
    assert len(analysis.filter_projects(projects, category="x", fund="g")) == 1
    assert analysis.summarise_projects(projects.iloc[0:0]).empty


def test_a_project_sum_of_unknowns_is_unknown_and_says_how_many_were_left_out():
    projects = pd.DataFrame(
        {
            "project_id": ["p1", "p2", "p3", "p4"],
            "scope_code": ["a", "a", "b", "c"],
            "scope_order": [0, 0, 1, 2],
            "amount_10k_yuan": [10.0, None, None, 0.0],
            "saving_tce_per_year": [None, None, 3.0, None],
        }
    )
    summary = analysis.summarise_projects(projects).set_index("scope_code")
    assert (
        summary.loc["a", "amount_10k_yuan"] == 10
        and summary.loc["a", "amount_10k_yuan_missing"] == 1
    )
    assert pd.isna(summary.loc["b", "amount_10k_yuan"])  # its one project has none: not 0
    assert summary.loc["c", "amount_10k_yuan"] == 0  # a 0 written is a 0
    assert pd.isna(summary.loc["a", "saving_tce_per_year"])
    assert summary["saving_tce_per_year_missing"].tolist() == [2, 0, 1]
    assert pd.isna(analysis.known_sum(summary["saving_tce_per_year"].iloc[[0, 2]]))


@pytest.mark.parametrize(("year", "period"), [(2024, "Y"), (2026, "Q3"), (2026, "M09")])
def test_status_matrix_says_what_each_card_says(year, period):
    """The matrix applies the card rules as lookups; every cell must match the card."""
    frame = queries.indicator_frame(year=year)
    ids = [i["id"] for i in reference.catalogue()]
    scopes = [s["code"] for s in reference.scopes()]
    matrix = analysis.status_matrix(frame, scopes, period, ids)
    for code in scopes:
        cards = analysis.pick_cards(frame, code, period, ids).set_index("indicator_id")
        for i in ids:
            want = cards.loc[i, "rag_status"] if i in cards.index else "not_applicable"
            assert matrix.loc[code, i] == want, (code, i)


def test_a_city_of_streets_charts_the_ends_and_the_focus_streets():
    codes = [f"s{i:02d}" for i in range(40)] + ["hongqiao", "xinjing"]
    frame = pd.DataFrame({"scope_code": codes, "value": [float(v) for v in range(len(codes))]})
    shown, n = analysis.charted_scopes(frame, "pv_new", chosen="s20")  # higher is better
    assert n == 42
    expected = set(codes[:8]) | set(codes[-8:]) | {"hongqiao", "xinjing", "s20"}
    assert set(shown["scope_code"]) == expected
    few, n_few = analysis.charted_scopes(frame.head(20), "pv_new")
    assert len(few) == n_few == 20
    history = pd.DataFrame({"scope_code": [*codes, "district"], "value": 1.0})
    assert set(analysis.panel_scopes(history, "s03")["scope_code"]) == {
        "hongqiao",
        "beixinjing",
        "chengjiaqiao",
        "xinjing",
        "s03",
        "district",
    } & set(history["scope_code"])


def test_a_city_share_chart_keeps_the_largest_and_the_focus_streets_and_adds_up():
    codes = [f"s{i:02d}" for i in range(40)] + ["hongqiao"]
    values = [float(v + 1) for v in range(len(codes))]
    total = sum(values)
    shares = pd.DataFrame(
        {"scope_code": codes, "value": values, "share_pct": [v / total * 100 for v in values]}
    )
    charted = analysis.charted_shares(shares, chosen="s00")
    rest = charted[charted["scope_code"] == analysis.REST].iloc[0]
    # hongqiao holds the largest value: it is one of the 8 largest and a focus 街镇.
    assert set(charted["scope_code"]) - {analysis.REST} == set(codes[33:]) | {"s00"}
    assert rest["rest_n"] == len(codes) - 9
    assert charted["share_pct"].sum() == pytest.approx(100)
    assert len(analysis.charted_shares(shares.head(20))) == 20  # few 街镇: all of them


def test_the_chosen_street_filters_a_table_to_itself_and_the_groups_above_it():
    frame = pd.DataFrame({"scope_code": ["district", "focus", "hongqiao", "xinjing", "others"]})
    assert list(analysis.chosen_rows(frame, "hongqiao", "focus")["scope_code"]) == [
        "hongqiao",
        "focus",
        "district",
    ]
    assert "xinjing" in list(analysis.chosen_rows(frame, "district", "focus")["scope_code"])


def test_small_multiples_share_one_scale_and_keep_the_title_clear_of_the_panels():
    from indicators.exports import charts

    frame = pd.DataFrame(
        {
            "scope_code": ["hongqiao"] * 2 + ["xinjing"] * 2,
            "scope_order": [1, 1, 4, 4],
            "year": [2024, 2025] * 2,
            "value": [1.0, 2.0, 30.0, 40.0],
            "unit": ["pct"] * 4,
        }
    )
    fig = charts.small_multiples(frame, "energy_per_gdp_change", "en")
    assert fig.layout.yaxis2.matches == "y"  # 2 against 40 on one scale, not two
    title_lines = fig.layout.title.text.count("<br>") + 1
    assert fig.layout.margin.t > 30 + 27 * title_lines  # the panels' names below the title
