"""Where each scope stands against a five-year plan at one period of a year: the rows of
`python -m indicators plan status` (and what a 晴雨表 table holds), from the figures
queries.plan_status_inputs reads.

Pure: a frame in, a frame out. The arithmetic is fiveyear's: progress against the plan is
fiveyear.standing; against the year, the same 预警等级 (fiveyear.level) on the year's target:
- a ratio to bring down: the achieved fall on the same period of the year before (the mart's
  indicator_change, in %) against the even-pace share of the year's target fall t,
  1 − (1 − t)^(share of year) (fiveyear.required with k = share, n = 1);
- a total: the share of the year's cap used, value / cap, against the share of the year
  elapsed (a cumulative target, pro rata) or the whole cap (a level target); 一级 beyond the
  whole year's cap. No annual target (or a rate): no level.
Stored targets are in percent (14 is a 14% fall); fiveyear takes fractions.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from indicators.domain import fiveyear
from indicators.domain.fiveyear import missing
from indicators.reference import period_share

COLUMNS = [
    "street_code",
    "street",
    "indicator",
    "base_year",
    "base_value",
    "value",
    "cumulative_change",
    "plan_target",
    "required_to_date",
    "level_year",
    "level_plan",
]


def year_level(row: Any, how: str | None, share: float) -> int | None:
    """The 预警等级 of one row against its year's target to date (see the module's text)."""
    if how == "fall":
        target = _pct(row.year_change_target)
        required = fiveyear.required(target, share, 1, "fall")
        return fiveyear.level(_pct(row.year_change), required, target, "fall")
    if how == "cap":
        cap, kind = row.year_total_target, row.year_total_kind
        if missing(cap) or cap <= 0 or kind not in ("cumulative", "level"):
            return None
        if missing(row.value):
            return None
        allowed = share if kind == "cumulative" else 1.0
        return fiveyear.level(row.value / cap, allowed, 1.0, "cap")
    return None


def status(inputs: pd.DataFrame, p: dict[str, Any], year: int, period: str) -> pd.DataFrame:
    """The figures (queries/plan_status.sql) with each row's standing: cumulative_change,
    plan_target and required_to_date as fractions, level_year and level_plan (Int64, NA
    where a figure is missing)."""
    frame = inputs.assign(plan_target=[_pct(v) for v in inputs["plan_target"]])
    if frame.empty:
        out = frame.assign(cumulative_change=[], required_to_date=[], level_plan=[])
    else:
        out = fiveyear.standing(frame, p, year, period)
    share = period_share(period)
    out["level_year"] = pd.array(
        [year_level(r, fiveyear.measure(r.indicator_id), share) for r in out.itertuples()],
        dtype="Int64",
    )
    out["level_plan"] = out["level_plan"].astype("Int64")
    return out


def _pct(value: Any) -> float:
    """A stored percent as a fraction (NaN where missing)."""
    return math.nan if missing(value) else float(value) / 100.0
