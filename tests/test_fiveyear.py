"""The five-year plan's arithmetic (issue 25): compounding, the even-pace 进度要求 and the
预警等级, on known answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.domain import fiveyear

PLAN = fiveyear.plan("十五五")


def test_plans_are_found_by_any_name_and_year():
    assert PLAN is not None and (PLAN["base"], PLAN["first"], PLAN["last"]) == (2025, 2026, 2030)
    assert fiveyear.plan("15th") is PLAN and fiveyear.plan("2026-2030") is PLAN
    assert fiveyear.plan("十四五")["base"] == 2020
    assert fiveyear.plan("十六五") is None
    assert fiveyear.plan_of_year(2028) is PLAN and fiveyear.plan_of_year(2019) is None


def test_falls_compound_never_add():
    # 3% a year for five years is 14.13%, not 15%
    assert fiveyear.compound([0.03] * 5) == pytest.approx(0.141266, abs=1e-6)
    # and the fall measured from the levels is the same number
    base = 0.30
    value = base * 0.97**5
    assert fiveyear.change(base, value, "fall") == pytest.approx(fiveyear.compound([0.03] * 5))
    assert fiveyear.change(100, 104, "cap") == pytest.approx(0.04)  # a total grew 4%
    assert math.isnan(fiveyear.change(None, 1.0, "fall"))
    assert math.isnan(fiveyear.change(0.0, 1.0, "fall"))


def test_the_even_pace_path():
    n = fiveyear.length(PLAN)
    assert n == 5
    # Q3 of the plan's first year: 0.75 of a year behind us; the end of 2030: all five
    assert fiveyear.elapsed(PLAN, 2026, "Q3") == 0.75
    assert fiveyear.elapsed(PLAN, 2027, "Y") == 2.0
    assert fiveyear.elapsed(PLAN, 2030, "Y") == 5.0
    assert fiveyear.elapsed(PLAN, 2025, "Y") == 0.0  # the base year: nothing yet
    target = fiveyear.compound([0.03] * 5)
    # two of five years at an even 3% a year: 1 − 0.97²
    assert fiveyear.required(target, 2.0, n, "fall") == pytest.approx(1 - 0.97**2)
    assert fiveyear.required(target, 5.0, n, "fall") == pytest.approx(target)
    assert fiveyear.required(target, 0.0, n, "fall") == 0.0
    # a total allowed 10% growth over the plan: after 2.5 years, 1.1^0.5 − 1
    assert fiveyear.required(0.10, 2.5, n, "cap") == pytest.approx(1.1**0.5 - 1)


@pytest.mark.parametrize(
    ("achieved", "required", "target", "how", "expected"),
    [
        (0.0573, 0.0591, 0.1413, "fall", 2),  # fell, but not as far as the path
        (0.0591, 0.0591, 0.1413, "fall", 3),  # exactly on the path: on track
        (0.07, 0.0591, 0.1413, "fall", 3),
        (-0.001, 0.0591, 0.1413, "fall", 1),  # rose instead of falling
        (0.0, 0.0591, 0.1413, "fall", 2),  # flat: not rising, short of the path
        (0.03, 0.04, 0.10, "cap", 3),  # within the path
        (0.04, 0.04, 0.10, "cap", 3),
        (0.05, 0.04, 0.10, "cap", 2),  # ahead of the path, within the allowance
        (0.101, 0.04, 0.10, "cap", 1),  # beyond the whole plan's allowance
        (math.nan, 0.04, 0.10, "cap", None),  # missing: 未报送, never 三级
        (0.05, math.nan, 0.10, "fall", None),  # no target: no level
    ],
)
def test_levels_at_their_thresholds(achieved, required, target, how, expected):
    assert fiveyear.level(achieved, required, target, how) == expected


def test_a_level_moves_up_when_worse():
    assert fiveyear.moved(3, 2) == "↑" and fiveyear.moved(1, 3) == "↓"
    assert fiveyear.moved(2, 2) == "" and fiveyear.moved(None, 2) == ""


def test_standing_of_each_scope_against_the_plan():
    frame = pd.DataFrame(
        {
            "scope_code": ["hongqiao", "xinjing", "beixinjing", "district"],
            "indicator_id": ["energy_per_gdp", "energy_per_gdp", "energy_per_gdp", "energy_total"],
            "base_value": [0.30, 0.40, 0.20, 1000.0],
            "value": [0.30 * 0.97**2, 0.40 * 1.01, None, 1050.0],
            "plan_target": [*[fiveyear.compound([0.03] * 5)] * 3, 0.10],
        }
    )
    out = fiveyear.standing(frame, PLAN, 2027, "Y")
    assert out["cumulative_change"].round(4).tolist()[:2] == [0.0591, -0.01]
    assert out["cumulative_change"][3] == pytest.approx(0.05)
    assert math.isnan(out["cumulative_change"][2])
    assert out["required_to_date"].round(4).tolist() == [0.0591, 0.0591, 0.0591, 0.0389]
    # on the path; rose; missing; a total above its path but within its allowance
    assert out["level_plan"].tolist() == [3, 1, pd.NA, 2]


def test_the_thresholds_are_marked_illustrative_until_the_district_sets_them():
    assert fiveyear.illustrative()
    assert [fiveyear.colour(n) for n in fiveyear.LEVELS] == ["red", "amber", "green"]
    assert fiveyear.measure("energy_per_gdp") == "fall"
    assert fiveyear.measure("energy_total") == "cap"
    assert fiveyear.measure("pv_new") is None


def test_each_level_is_said_in_both_languages_and_a_missing_figure_is_unreported():
    assert fiveyear.level_text(1, "zh").startswith("一级预警")
    assert fiveyear.level_text(3, "en").startswith("Level 3")
    assert fiveyear.level_text(None, "zh") == "未报送"
