"""Headline sentences: known answers, every indicator, the awkward cases."""

import pytest

from indicators import analysis, briefing, queries, reference


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


def test_a_cumulative_target_mid_year_reads_progress_and_pace():
    text = briefing.headline(
        row(
            period="Q3",
            target_value=100.0,
            target_kind="cumulative",
            expected_to_date=75.0,
            rag_status="orange",
            change=20.0,
        ),
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
    assert briefing.headline(row(value=None, rag_status="not_reported"), "en", 2025).endswith(
        "not reported."
    )


def test_any_illustrative_figure_is_flagged():
    assert "示例数据" in briefing.headline(row(target_is_demo=True), "zh", 2025)
    assert "示例数据" in briefing.headline(row(previous_is_demo=True, change=1.0), "zh", 2025)
    assert "示例数据" not in briefing.headline(row(), "zh", 2025)


def test_the_seed_figures_read_in_their_headlines():
    frame = queries.indicator_frame(year=2024)
    ids = ["funded_projects", "budget_growth", "municipal_reviews"]
    cards = {
        c["indicator_id"]: c
        for c in analysis.pick_cards(frame, "district", "Y", ids).to_dict("records")
    }
    assert briefing.headline(cards["funded_projects"], "zh", 2024).startswith(
        "2024年全区专项资金支持项目数63项"
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
