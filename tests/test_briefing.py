"""Headline sentences: known answers, every indicator, the awkward cases."""

import pandas as pd
import pytest

from indicators import reference
from indicators.domain import analysis, briefing, queries


def row(**kw):
    base = {
        "indicator_id": "pv_new",
        "scope_code": "district",
        "period": "Y",
        "value": 60.0,
        "change": None,
        "change_kind": "pct",
        "target_value": None,
        "target_kind": None,
        "expected_to_date": None,
        "attainment_pct": None,
        "rag_status": "no_target",
        "is_demo": False,
    }
    return {**base, **kw}


# New PV in Q1–Q3 against a cumulative target, behind the plan to date.
MID_YEAR = row(
    period="Q3",
    target_value=100.0,
    target_kind="cumulative",
    expected_to_date=75.0,
    rag_status="orange",
    change=20.0,
)


def test_a_cumulative_target_mid_year_reads_progress_and_pace():
    text = briefing.headline(
        MID_YEAR,
        "zh",
        2026,
    )
    assert text == (
        "2026年前三季度（1–9月累计）全区光伏新增装机容量60千瓦，同比增长20.0%，"
        "完成年度目标60.0%，慢于序时进度15.0个百分点，状态为橙 · 明显滞后。"
    )


def test_percentage_indicators_change_in_points_and_rates_read_attainment():
    text = briefing.headline(
        row(
            indicator_id="energy_per_gdp_change",
            value=2.5,
            change=-0.5,
            change_kind="pp",
            target_value=3.0,
            target_kind="rate",
            attainment_pct=83.3333,
            rag_status="orange",
        ),
        "zh",
        2025,
    )
    assert "同比降低0.50个百分点" in text and "完成目标83.3%" in text
    english = briefing.headline(
        row(indicator_id="energy_per_gdp_change", value=2.5, change=-0.5, change_kind="pp"),
        "en",
        2025,
    )
    assert "down 0.50 percentage points on last year" in english


def test_first_year_missing_and_not_due():
    assert "同比" not in briefing.headline(row(), "zh", 2019)  # no previous year
    assert (
        briefing.headline(row(value=None, rag_status="not_reported"), "zh", 2025)
        == "2025年全区光伏新增装机容量未报送。"
    )
    assert "年末报送" in briefing.headline(
        row(indicator_id="municipal_reviews", value=None, rag_status="not_due", period="Y"),
        "zh",
        2026,
    )
    assert briefing.headline(row(value=None, rag_status="not_reported"), "en", 2025) == (
        "No figure has been reported for new solar PV capacity in Changning District for 2025."
    )


def test_english_headlines_read_as_a_briefing_would():
    text = briefing.headline(
        MID_YEAR,
        "en",
        2026,
    )
    assert text == (
        "In January–September 2026, new solar PV capacity in Changning District stood at "
        "60 kW, up 20.0% on last year, 60.0% of the annual target, 15.0 points behind the "
        "plan to date, rated Orange · behind."
    )
    assert briefing.headline(
        row(indicator_id="municipal_reviews", value=None, rag_status="not_due"), "en", 2026
    ) == (
        "The 2026 figure for municipal programme projects reviewed by the district in "
        "Changning District is due at year end."
    )


# The seed's official 63 funded projects of 2024, against an illustrative target and an
# illustrative 2023: each label sits on the figure it describes.
MIXED = {
    "indicator_id": "funded_projects",
    "value": 63.0,
    "change": 6.8,
    "target_value": 61.0,
    "target_kind": "cumulative",
    "rag_status": "green",
    "is_demo": False,
    "previous_is_demo": True,
    "target_is_demo": True,
}


def test_a_label_belongs_to_the_figure_it_describes():
    text = briefing.headline(row(**MIXED), "zh", 2024)
    assert text.startswith("2024年全区专项资金支持项目数63项，")  # official: no label
    assert "同比增长6.8%（上年数为示例）" in text
    assert "完成年度目标103.3%（目标为示例）" in text
    english = briefing.headline(row(**MIXED), "en", 2024)
    assert "stood at 63 items, up 6.8% on last year (against an illustrative" in english
    assert "103.3% of the annual target (illustrative target)" in english
    # An illustrative value carries the label itself; its change needs no second one.
    demo = briefing.headline(row(**{**MIXED, "is_demo": True}), "zh", 2024)
    assert "63项（示例），同比增长6.8%，" in demo
    plain = briefing.headline(row(change=1.0), "zh", 2025)
    assert "示例" not in plain and "illustrative" not in briefing.headline(row(), "en", 2025)


def test_a_status_against_an_illustrative_target_says_so():
    from indicators.exports import charts

    assert charts.status_label(row(**MIXED), "zh") == "✔ 绿 · 达到序时进度（按示例目标）"
    assert charts.status_label(row(**{**MIXED, "target_is_demo": False}), "zh").endswith("进度")
    assert "illustrative" not in charts.status_label(row(rag_status="no_target"), "en")


# 虹桥's new PV to Q3 judged on a plan whose year end is not its annual target.
ON_MISFIT_PLAN = row(
    scope_code="hongqiao",
    period="Q3",
    value=90.0,
    target_value=100.0,
    target_kind="cumulative",
    expected_to_date=84.0,
    attainment_pct=107.1,
    rag_status="green",
    plan_misfit="plan_year_end",
    plan_misfit_period="Q4",
    plan_misfit_value=120.0,
    plan_misfit_against=100.0,
    plan_misfit_against_period=None,
)


def test_a_status_judged_on_a_plan_that_does_not_fit_its_target_says_so():
    from indicators.exports import charts

    assert briefing.plan_note(ON_MISFIT_PLAN, "zh") == (
        "序时目标与年度目标不一致（四季度末计划 120千瓦，年度目标 100千瓦），请核对。"
    )
    assert briefing.plan_note(ON_MISFIT_PLAN, "en") == (
        "The plan to date disagrees with the annual target (the plan to the end of Q4 is "
        "120 kW, the annual target 100 kW); please check."
    )
    assert briefing.footer_lines(ON_MISFIT_PLAN, "zh")[0].startswith("序时目标与年度目标不一致")
    assert charts.status_label(ON_MISFIT_PLAN, "zh") == "✔ 绿 · 达到序时进度（序时计划待核对）"
    falls = {
        **ON_MISFIT_PLAN,
        "plan_misfit": "plan_falls",
        "plan_misfit_period": "Q2",
        "plan_misfit_value": 60.0,
        "plan_misfit_against": 50.0,
        "plan_misfit_against_period": "Q3",
    }
    assert "二季度末计划 60千瓦 高于三季度末计划 50千瓦" in briefing.plan_note(falls, "zh")
    # a plan that fits, or a status not judged on anything, says nothing of plans
    fits = {**ON_MISFIT_PLAN, "plan_misfit": None}
    assert briefing.plan_note(fits, "zh") is None
    assert briefing.plan_note({**ON_MISFIT_PLAN, "rag_status": "not_reported"}, "zh") is None
    assert "序时计划" not in " ".join(briefing.footer_lines(fits, "zh"))
    assert charts.status_label(fits, "zh").endswith("进度")


def test_the_status_matrix_names_each_status_judged_on_a_misfit_plan():
    frame = pd.DataFrame(
        [
            {**ON_MISFIT_PLAN, "breakdown": ""},
            {**ON_MISFIT_PLAN, "scope_code": "xinjing", "breakdown": "", "plan_misfit": None},
        ]
    )
    matrix = analysis.status_matrix(frame, ["hongqiao", "xinjing"], "Q3", ["pv_new"])
    assert [r["scope_code"] for r in matrix.attrs["plan_misfits"]] == ["hongqiao"]
    (note,) = briefing.matrix_plan_notes(matrix, "zh")
    assert note.startswith("注：虹桥街道光伏新增装机容量的状态按序时计划判断。序时目标与年度目标")


def test_a_chart_marks_the_status_judged_on_a_misfit_plan_and_names_it_in_its_title():
    from indicators.exports import charts

    rows = pd.DataFrame(
        [
            {**ON_MISFIT_PLAN, "unit": "kw"},
            {**ON_MISFIT_PLAN, "scope_code": "xinjing", "unit": "kw", "plan_misfit": None},
        ]
    )
    figure = charts.ranked_bars(rows, "pv_new", "zh")
    labels = dict(zip(figure.data[0].customdata, figure.data[0].text, strict=True))
    assert labels["hongqiao"].endswith("✔ 绿 ⚠") and labels["xinjing"].endswith("✔ 绿")
    assert "⚠ 虹桥街道：序时计划与年度目标不符" in figure.layout.title.text
    assert "新泾镇" not in figure.layout.title.text
    fits = rows.assign(plan_misfit=None)
    assert "⚠" not in charts.ranked_bars(fits, "pv_new", "en").layout.title.text
    bars = charts.attainment_bars(rows.iloc[:1], "hongqiao", "en")
    assert "⚠ New PV: plan to date does not fit its target" in bars.layout.title.text


def test_the_seed_figures_read_in_their_headlines():
    frame = queries.indicator_frame(year=2024)
    ids = ["funded_projects", "budget_growth", "municipal_reviews"]
    cards = {
        c["indicator_id"]: c
        for c in analysis.pick_cards(frame, "district", "Y", ids).to_dict("records")
    }
    assert briefing.headline(cards["funded_projects"], "zh", 2024).startswith(
        "2024年全区专项资金支持项目数63项，"  # the official figure carries no 示例 label
    )
    assert "1.83%" in briefing.headline(cards["budget_growth"], "zh", 2024)
    assert "7项" in briefing.headline(cards["municipal_reviews"], "zh", 2024)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("year", "period"), [(2019, "Y"), (2024, "Y"), (2026, "Q3")])
def test_every_indicator_has_a_sentence(lang, year, period):
    ids = reference.indicator_ids()
    frame = queries.indicator_frame(year=year)
    for scope in [s["code"] for s in reference.scopes()]:
        for card in analysis.pick_cards(frame, scope, period, ids).to_dict("records"):
            text = briefing.headline(card, lang, year)
            assert text and "{" not in text and "nan" not in text.lower(), text


def test_provenance_says_only_what_is_true_of_the_figure():
    import pandas as pd

    demo = {"is_demo": True, "data_status": "final", "source": "示例数据", "as_of": None}
    assert briefing.provenance(demo, "zh") == "来源：示例数据（演示用，非正式统计）"
    official = {"is_demo": False, "data_status": "final", "source": "长发改〔2025〕17号"}
    assert briefing.provenance({**official, "as_of": None}, "zh") == (
        "来源：长发改〔2025〕17号 · 正式数"
    )
    dated = briefing.provenance({**official, "as_of": pd.Timestamp("2025-04-11")}, "zh")
    assert dated.endswith("数据截至 2025-04-11")


def test_a_chart_marks_each_illustrative_figure_and_no_official_one():
    """2024 low-carbon communities: 北新泾 and 新泾镇 are the seed document's figures, the
    other two illustrative; the slide's big figure carries the label under it."""
    from indicators.exports import charts

    frame = queries.indicator_frame(year=2024)
    rows = analysis.ranking_rows(frame, "lowcarbon_communities", "Y", "focus")
    official = rows["source"].str.contains("长发改", na=False)
    assert official.any() and (~official).any()  # a mixed chart
    figure = charts.ranked_bars(rows, "lowcarbon_communities", "zh")
    labels = dict(zip(figure.data[0].customdata, figure.data[0].text, strict=True))
    for code, is_demo in zip(rows["scope_code"], rows["is_demo"], strict=True):
        assert ("（示例）" in labels[code]) == bool(is_demo), labels[code]
    assert sum("示例" not in text for text in labels.values()) == official.sum()
    budget = row(indicator_id="budget_growth", value=0.62, is_demo=True, rag_status="no_target")
    assert charts.big_words(budget, "zh") == "0.62%" and briefing.figure_mark(budget, "zh")
    assert briefing.figure_mark(row(value=63.0), "en") == ""


def test_a_count_of_one_reads_in_the_singular():
    one = row(indicator_id="lowcarbon_communities", value=1.0, scope_code="xinjing")
    assert "stood at 1 community" in briefing.headline(one, "en", 2024)
    assert "stood at 2 communities" in briefing.headline({**one, "value": 2.0}, "en", 2024)
    assert "1个" in briefing.headline(one, "zh", 2024)
