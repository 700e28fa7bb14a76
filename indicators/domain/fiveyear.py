"""The five-year plan and the 晴雨表: how far each scope has come against a plan's
cumulative target, the even-pace path to date (进度要求), and the NDRC's 预警等级.

A ratio to bring down (单位GDP能耗) is measured by its cumulative fall from the plan's base
year, 1 − value / base: the yearly falls compounded, 1 − Π(1 − fall), never their sum (3% a
year for five years is 14.13%, not 15%). A total kept under control is measured by its
change from the base. The 进度要求 after k of the plan's n years — the current year counted by
the share of it elapsed — is 1 − (1 − T)^(k/n) of a cumulative fall T, and (1 + G)^(k/n) − 1
of an allowed growth G. Plans, measures and level thresholds are data (fiveyear.yaml).

Pure: numbers and frames in, numbers and frames out; no database, no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from indicators.reference import fiveyear_spec, indicator_ids, period_share

LEVELS = (1, 2, 3)  # 一级 (very serious) … 三级 (on track)


def plans() -> list[dict[str, Any]]:
    return fiveyear_spec()["plans"]


def plan(name: str) -> dict[str, Any] | None:
    """A plan by its id (15th), either name (十五五, 15th Five-Year Plan) or years
    (2026-2030), else None."""
    key = "".join(str(name).split()).lower()
    for p in plans():
        names = {p["id"], p["name_zh"], p["name_en"], f"{p['first']}-{p['last']}"}
        if key in {"".join(n.split()).lower() for n in names}:
            return p
    return None


def plan_of_year(year: int) -> dict[str, Any] | None:
    """The plan a year falls in."""
    return next((p for p in plans() if p["first"] <= year <= p["last"]), None)


def measure(indicator: str) -> str | None:
    """fall | cap for an indicator a plan targets, else None."""
    return fiveyear_spec()["measures"].get(indicator)


def indicators() -> list[str]:
    """The indicators a plan may target, in the catalogue's order."""
    return [i for i in indicator_ids() if i in fiveyear_spec()["measures"]]


def illustrative() -> bool:
    """Whether the level thresholds are still the illustrative ones."""
    return bool(fiveyear_spec()["levels"].get("illustrative"))


def colour(level: int | None) -> str | None:
    return None if level is None else fiveyear_spec()["levels"]["colours"][level]


def compound(falls: Iterable[float]) -> float:
    """The cumulative fall of yearly falls (fractions): 1 − Π(1 − fall)."""
    kept = 1.0
    for fall in falls:
        kept *= 1.0 - fall
    return 1.0 - kept


def change(base_value: float, value: float, how: str) -> float:
    """Progress from the base: the fall (1 − value / base) of a ratio, the growth
    (value / base − 1) of a total. NaN where either figure is missing or the base is 0."""
    if missing(base_value) or missing(value) or base_value == 0:
        return math.nan
    ratio = value / base_value
    return 1.0 - ratio if how == "fall" else ratio - 1.0


def elapsed(p: dict[str, Any], year: int, period: str) -> float:
    """The years of plan `p` behind us at the end of `period` of `year`: whole years since
    the base, the current one by the share of it elapsed (Q3 of the plan's second year is
    1.75). Never below 0 nor beyond the plan's length."""
    k = (year - p["first"]) + period_share(period)
    return min(max(k, 0.0), float(length(p)))


def length(p: dict[str, Any]) -> int:
    return int(p["last"] - p["base"])


def required(target: float, k: float, n: float, how: str) -> float:
    """The even-pace 进度要求 after k of n years: 1 − (1 − T)^(k/n) of a cumulative fall T;
    (1 + G)^(k/n) − 1 of an allowed growth G (a cap)."""
    if missing(target) or n <= 0:
        return math.nan
    if how == "fall":
        return 1.0 - (1.0 - target) ** (k / n)
    return (1.0 + target) ** (k / n) - 1.0


def level(achieved: float, required_now: float, target: float, how: str) -> int | None:
    """The 预警等级 (1, 2, 3) of progress `achieved` against the 进度要求 `required_now` of a
    plan (or year) whose whole target is `target`; None (未报送) where a figure is missing.
    A fall: 一级 when the ratio rose instead of falling, 三级 when it has fallen as far as
    the path asks, else 二级. A cap: 一级 beyond the whole allowance, 三级 within the path."""
    if missing(achieved) or missing(required_now):
        return None
    rule = fiveyear_spec()["levels"][how]
    if how == "fall":
        if achieved < rule["red_below"]:
            return 1
        return 3 if achieved >= required_now * rule["green_share"] - 1e-12 else 2
    if not missing(target) and achieved > target * rule["red_share"] + 1e-12:
        return 1
    return 3 if achieved <= required_now + 1e-12 else 2


def level_text(level: int | None, lang: str) -> str:
    """A level in words (未报送 where there is no figure), as the status colours are said."""
    from indicators.reference.i18n import t

    return t("rag.not_reported" if level is None else f"plan.level_{level}", lang)


def moved(before: int | None, now: int | None) -> str:
    """How a level moved since the last round: ↑ worse (toward 一级), ↓ better, else ''."""
    if before is None or now is None or before == now:
        return ""
    return "↑" if now < before else "↓"


def standing(frame: pd.DataFrame, p: dict[str, Any], year: int, period: str) -> pd.DataFrame:
    """Each row's standing against plan `p` at `period` of `year`. In: indicator_id,
    base_value, value, plan_target (a fraction: 0.14 is a 14% fall, or growth allowed).
    Out: the same with cumulative_change, required_to_date and level_plan."""
    k, n = elapsed(p, year, period), length(p)
    out = frame.copy()
    how = out["indicator_id"].map(measure)
    out["cumulative_change"] = [
        change(b, v, h) for b, v, h in zip(out["base_value"], out["value"], how, strict=True)
    ]
    out["required_to_date"] = [
        required(t, k, n, h) for t, h in zip(out["plan_target"], how, strict=True)
    ]
    out["level_plan"] = pd.array(
        [
            level(c, r, t, h)
            for c, r, t, h in zip(
                out["cumulative_change"],
                out["required_to_date"],
                out["plan_target"],
                how,
                strict=True,
            )
        ],
        dtype="Int64",
    )
    return out


def missing(x: Any) -> bool:
    """None, NaN or pd.NA: a figure that is not there."""
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA
