"""Progress against target: expected to date, attainment and the 绿黄橙红 bands.

Pure functions on plain values and DataFrames; no database, no Streamlit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from indicators.domain import plans as plan_fit
from indicators.reference import period_share

# Bands from worst to best; not_reported (未报送) is its own state, never a zero.
# not_due: a yearly figure asked for before the year is over.
RAG_ORDER = [
    "red",
    "orange",
    "yellow",
    "not_reported",
    "green",
    "not_due",
    "no_target",
    "not_applicable",
]
# The statuses judged against a target.
BANDS = ("green", "yellow", "orange", "red")


def flagged(row: dict, key: str) -> bool:
    """Whether a row's flag (is_demo, target_is_demo …) is set: missing and NA are not."""
    value = row.get(key)
    return value is not None and not pd.isna(value) and bool(value)


def on_misfit_plan(row: dict) -> bool:
    """Whether a row's status (a band) was judged on a plan to date that does not fit its
    annual target (add_status's plan_misfit): every status shown then says so."""
    return row.get("rag_status") in BANDS and isinstance(row.get("plan_misfit"), str)


DEFAULT_THRESHOLDS = {"green": 100.0, "yellow": 90.0, "orange": 50.0}


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def expected_to_date(
    target_value: float, kind: str, period: str, plan_value: float | None = None
) -> float:
    """What the value should be by the end of `period`.

    Cumulative targets scale with the share of the year the period covers (Q3 -> 75%),
    or follow the plan's year-to-date value where there is one; level and rate targets
    apply as they are. Depends only on the period, never on today's date.
    """
    if kind != "cumulative":
        return target_value
    if not _missing(plan_value):
        return float(plan_value)
    return target_value * period_share(period)


def attainment_pct(actual: float | None, expected: float | None, direction: str) -> float | None:
    """actual / expected × 100 where higher is better, expected / actual × 100 where lower is.

    None when either is missing, or when the ratio means nothing: a denominator that is
    zero or negative, or a negative target where lower is better (a target of -2 for a
    rate means "may fall by 2"). The band then follows whether the target is met; see
    `rag_status`.
    """
    if _missing(actual) or _missing(expected):
        return None
    num, den = (actual, expected) if direction == "higher" else (expected, actual)
    if den <= 0 or (direction == "lower" and expected < 0):
        return None
    return num / den * 100


def meets(actual: float, expected: float, direction: str) -> bool:
    return actual >= expected if direction == "higher" else actual <= expected


def rag_status(
    actual: float | None,
    expected: float | None,
    direction: str,
    thresholds: dict[str, float] | None = None,
) -> str:
    """The band for one value: green ≥ 100, yellow [90, 100), orange [50, 90), red < 50."""
    if _missing(actual):
        return "not_reported"
    if _missing(expected):
        return "no_target"
    t = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    pct = attainment_pct(actual, expected, direction)
    if pct is None:
        # No meaningful ratio: the band says whether the target is met.
        return "green" if meets(actual, expected, direction) else "red"
    if pct >= t["green"]:
        return "green"
    if pct >= t["yellow"]:
        return "yellow"
    if pct >= t["orange"]:
        return "orange"
    return "red"


def add_status(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    plans: pd.DataFrame,
    indicators: dict[str, dict],
) -> pd.DataFrame:
    """Add expected_to_date, attainment_pct and rag_status to indicator values.

    Args:
        values: scope_code, indicator_id, breakdown, year, period, value.
        targets: indicator_id, scope_code, year, target_value, kind.
        plans: indicator_id, scope_code, year, period, plan_value.
        indicators: catalogue entries by id (direction, thresholds).
    Returns:
        `values` with target_value, target_kind, expected_to_date, attainment_pct,
        rag_status, and where expected_to_date is a plan value of a plan that does not fit
        its target (plans.misfits) the first misfit: plan_misfit (its key),
        plan_misfit_period, plan_misfit_value, plan_misfit_against, plan_misfit_against_period.
    """
    keys = ["indicator_id", "scope_code", "year"]
    cols = [*keys, "target_value", "kind"] + (["is_demo"] if "is_demo" in targets else [])
    t = targets[cols].rename(columns={"kind": "target_kind", "is_demo": "target_is_demo"})
    out = values.merge(t, on=keys, how="left")
    out = out.merge(plans[[*keys, "period", "plan_value"]], on=[*keys, "period"], how="left")
    # A target applies to the indicator's total, not to its breakdown rows.
    is_part = out["breakdown"].fillna("") != ""
    out.loc[is_part, ["target_value", "target_kind", "plan_value"]] = None

    # The rules of expected_to_date, attainment_pct and rag_status, on whole columns.
    ind = out["indicator_id"]
    higher = ind.map({i: d["direction"] == "higher" for i, d in indicators.items()})
    higher = higher.fillna(False).to_numpy(dtype=bool)
    bands = {
        band: ind.map(
            {
                i: {**DEFAULT_THRESHOLDS, **(d.get("thresholds") or {})}[band]
                for i, d in indicators.items()
            }
        ).to_numpy(dtype=float)
        for band in ("green", "yellow", "orange")
    }
    value = _floats(out["value"])
    target = _floats(out["target_value"])
    plan = _floats(out["plan_value"])
    share = out["period"].map(period_share).to_numpy(dtype=float)
    cumulative = (out["target_kind"] == "cumulative").fillna(False).to_numpy(dtype=bool)
    expected = np.where(cumulative, np.where(np.isnan(plan), target * share, plan), target)
    num, den = np.where(higher, value, expected), np.where(higher, expected, value)
    with np.errstate(divide="ignore", invalid="ignore"):
        meaningful = ~np.isnan(value) & ~np.isnan(expected) & (den > 0) & (higher | (expected >= 0))
        pct = np.where(meaningful, num / den * 100, np.nan)
    met = np.where(higher, value >= expected, value <= expected)
    rag = np.select(
        [
            np.isnan(value),
            np.isnan(expected),
            ~meaningful & met,
            ~meaningful,
            pct >= bands["green"],
            pct >= bands["yellow"],
            pct >= bands["orange"],
        ],
        ["not_reported", "no_target", "green", "red", "green", "yellow", "orange"],
        default="red",
    )
    out["expected_to_date"] = pd.array(expected, dtype="Float64").fillna(pd.NA)
    out["attainment_pct"] = pd.array(pct, dtype="Float64").fillna(pd.NA)
    out["rag_status"] = rag.astype(object)
    return _with_plan_misfits(out, targets, plans, judged_on_plan=cumulative & ~np.isnan(plan))


MISFIT_FIELDS = {
    "key": "plan_misfit",
    "period": "plan_misfit_period",
    "plan_value": "plan_misfit_value",
    "against": "plan_misfit_against",
    "against_period": "plan_misfit_against_period",
}


def _with_plan_misfits(
    out: pd.DataFrame, targets: pd.DataFrame, plans: pd.DataFrame, judged_on_plan: np.ndarray
) -> pd.DataFrame:
    """The first misfit of the plan a row was judged on, so every status shown says it
    rests on a plan that disagrees with its target; empty where the plan was not used."""
    keys = plan_fit.KEYS
    judged = out.loc[judged_on_plan, keys].drop_duplicates()  # a city's plans, a page's rows
    used = plans.merge(judged, on=keys)
    found = plan_fit.first_misfits(targets.merge(judged, on=keys), used)[[*keys, *MISFIT_FIELDS]]
    out = out.merge(found.rename(columns=MISFIT_FIELDS), on=keys, how="left")
    out.loc[~judged_on_plan, list(MISFIT_FIELDS.values())] = None
    return out.drop(columns=["plan_value"])


def _floats(column: pd.Series) -> np.ndarray:
    """A column of numbers with None/NA as NaN."""
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def add_change(values: pd.DataFrame, pct_units: set[str]) -> pd.DataFrame:
    """Add the change on the same period of the previous year.

    For percentage indicators the change is a difference in percentage points
    (change_kind "pp"); otherwise it is a relative change in % ("pct"). None in the first
    year, and for a relative change on a zero base.
    """
    keys = ["scope_code", "indicator_id", "breakdown", "period"]
    cols = [*keys, "year", "value"] + (["is_demo"] if "is_demo" in values else [])
    prev = values[cols].copy()
    prev["year"] = prev["year"] + 1
    out = values.merge(
        prev.rename(columns={"value": "previous_value", "is_demo": "previous_is_demo"}),
        on=[*keys, "year"],
        how="left",
    )
    # change_between's rules on whole columns.
    points = out["unit"].isin(list(pct_units)).to_numpy(dtype=bool)
    value, previous = _floats(out["value"]), _floats(out["previous_value"])
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(previous == 0, np.nan, (value / previous - 1) * 100)
    out["change"] = pd.array(np.where(points, value - previous, relative), dtype="Float64")
    out["change_kind"] = np.where(points, "pp", "pct").astype(object)
    return out


def change_between(value: float | None, previous: float | None, kind: str) -> float | None:
    """The change from `previous` to `value`: a difference in percentage points ("pp") or
    a relative change in % ("pct"); None when either is missing, or for a relative change
    on a zero base."""
    if _missing(value) or _missing(previous):
        return None
    if kind == "pp":
        return value - previous
    if previous == 0:
        return None
    return (value / previous - 1) * 100


def project_year_end(
    value: float, period: str, target_kind: str | None, plan_share: float | None = None
) -> float:
    """The year-end value at the current pace.

    Cumulative values scale up by the share of the year the plan expects done by now
    (`plan_share`, e.g. 0.70 at Q3), or by the share of the year covered (Q3 -> 0.75);
    rates and levels carry forward as they are.
    """
    if target_kind != "cumulative":
        return value
    share = plan_share if not _missing(plan_share) and plan_share else period_share(period)
    return value / share


def worst_first(matrix: pd.DataFrame) -> pd.DataFrame:
    """Order a scope × indicator matrix of rag_status so the worst rows come first."""

    # Most reds first, then most oranges, and so on; ties keep their order.
    counts = pd.DataFrame({s: (matrix == s).sum(axis=1) for s in RAG_ORDER}, index=matrix.index)
    order = counts.sort_values(RAG_ORDER, ascending=False, kind="stable").index
    return matrix.loc[order]
