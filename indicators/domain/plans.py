"""序时计划: whether a target's plan to date still phases its annual target, and how a
plan follows when that target changes.

A plan is a cumulative target's year-to-date values by quarter or month (Q4 and M12 are
the whole year). It fits its target when its year-end value is the target, no value
before the year end is beyond it, and no value is above a later one (a year-to-date plan
never falls back). A plan of a level or rate target, or of no target, is not used.

Pure: frames in, frames out; no database, no Streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.reference import period_share

KEYS = ["indicator_id", "scope_code", "year"]
MISFIT_COLUMNS = [*KEYS, "key", "period", "plan_value", "against", "against_period"]
# The order a target's misfits are named in; the first is the one a status note names.
MISFIT_ORDER = ("plan_year_end", "plan_beyond", "plan_falls", "plan_no_target", "plan_not_used")
TOLERANCE = 1e-9  # relative, as in decomposition: 0.1 + 0.2 is 0.3


def _close(a: pd.Series, b: pd.Series) -> pd.Series:
    slack = TOLERANCE * np.maximum(np.maximum(a.abs(), b.abs()), 1.0)
    return (a - b).abs() <= slack


def _above(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a > b) & ~_close(a, b)


def _shares(periods: pd.Series) -> pd.Series:
    """Each period's share of the year, worked out once per distinct period."""
    return periods.map({p: period_share(p) for p in periods.unique()}).astype(float)


def misfits(targets: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Every plan value that does not fit its annual target.

    Args:
        targets: indicator_id, scope_code, year, target_value, kind.
        plans: indicator_id, scope_code, year, period, plan_value.
    Returns:
        One row per misfit (MISFIT_COLUMNS), a target's in MISFIT_ORDER and then by
        period: `against` is the annual target, or the later plan value a value is above
        (`against_period`); empty when every plan fits.
    """
    p = plans[[*KEYS, "period", "plan_value"]].merge(
        targets[[*KEYS, "target_value", "kind"]], on=KEYS, how="left"
    )
    p["share"] = _shares(p["period"])
    p = p.sort_values([*KEYS, "share", "period"], kind="stable").reset_index(drop=True)
    plan, target = p["plan_value"].astype(float), p["target_value"].astype(float)
    no_target = target.isna()
    cumulative = ~no_target & (p["kind"] == "cumulative")
    year_end = cumulative & (p["share"] == 1.0) & ~_close(plan, target)
    beyond = cumulative & (p["share"] < 1.0) & _above(plan, target)
    # The next value in the year; a quarter and its month (Q1, M03) are one point in time.
    later = p[["share", "plan_value", "period"]].shift(-1)
    same_target = (p[KEYS] == p[KEYS].shift(-1)).all(axis=1)
    later.loc[~same_target, "share"] = np.nan  # the last of a target has no later value
    falls = (
        cumulative
        & ~beyond
        & (later["share"] > p["share"])
        & _above(plan, later["plan_value"].astype(float))
    )
    p["against"], p["against_period"] = target, None
    p.loc[falls, "against"] = later.loc[falls, "plan_value"]
    p.loc[falls, "against_period"] = later.loc[falls, "period"]
    first = ~p.duplicated(KEYS)  # a target without a plan it can use is named once
    unused = first & (no_target | ~cumulative)
    p.loc[unused, ["period", "plan_value", "against"]] = None
    found = pd.concat(
        [
            p[year_end].assign(key="plan_year_end"),
            p[beyond].assign(key="plan_beyond"),
            p[falls].assign(key="plan_falls"),
            p[first & no_target].assign(key="plan_no_target"),
            p[first & ~no_target & ~cumulative].assign(key="plan_not_used"),
        ]
    )
    if found.empty:
        return pd.DataFrame(columns=MISFIT_COLUMNS)
    found["order"] = found["key"].map(MISFIT_ORDER.index)
    found = found.sort_values([*KEYS, "order", "share"], kind="stable")
    return found[MISFIT_COLUMNS].reset_index(drop=True)


def first_misfits(targets: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """The first misfit of each target's plan (see `misfits`): what a status judged on
    that plan says. One row per target with a misfit, MISFIT_COLUMNS."""
    return misfits(targets, plans).drop_duplicates(KEYS).reset_index(drop=True)


def follow_targets(
    incoming: pd.DataFrame,
    incoming_plans: pd.DataFrame,
    stored_targets: pd.DataFrame,
    stored_plans: pd.DataFrame,
) -> pd.DataFrame:
    """The stored plan values that move with a changed annual target.

    A plan set against the old target — its year-end value is that target, or it was
    loaded with it (in the same batch, as a targets file with its 期间 rows or the
    built-in data) — keeps its shape: every value is scaled by new / old (Q3 at 70% of
    3,000 = 2,100 becomes 70% of 3,600 = 2,520). A plan set on its own stays as it was
    set; `misfits` names it when it no longer fits. Plan values written with the new
    target are as written, and a target of 0 gives no ratio to scale by.

    Args:
        incoming: indicator_id, scope_code, year, target_value: the targets being written.
        incoming_plans: indicator_id, scope_code, year, period: the plan values written
            with them.
        stored_targets: indicator_id, scope_code, year, target_value, batch_id.
        stored_plans: indicator_id, scope_code, year, period, plan_value, batch_id.
    Returns:
        indicator_id, scope_code, year, period, plan_value: the plan values to write,
        indexed by the row of `incoming` whose change moves them.
    """
    columns = [*KEYS, "period", "plan_value"]
    old = stored_targets[[*KEYS, "target_value", "batch_id"]].rename(
        columns={"target_value": "old_target", "batch_id": "target_batch"}
    )
    changed = incoming[[*KEYS, "target_value"]].rename_axis("row").reset_index()
    changed = changed.merge(old, on=KEYS)
    new_target, old_target = changed["target_value"].astype(float), changed["old_target"]
    changed = changed[(old_target != 0) & ~_close(new_target, old_target.astype(float))]
    rows = changed.merge(stored_plans[[*KEYS, "period", "plan_value", "batch_id"]], on=KEYS)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    ends_at_old = (_shares(rows["period"]) == 1.0) & _close(
        rows["plan_value"].astype(float), rows["old_target"].astype(float)
    )
    with_old = (rows["batch_id"] == rows["target_batch"]).fillna(False).astype(bool)
    set_against_old = (ends_at_old | with_old).groupby(rows["row"]).transform("any")
    rows = rows[set_against_old]
    given = incoming_plans[[*KEYS, "period"]].assign(given=True)
    rows = rows.merge(given, on=[*KEYS, "period"], how="left")
    rows = rows[rows["given"].isna()]
    rows["plan_value"] = (
        rows["plan_value"].astype(float) * rows["target_value"].astype(float) / rows["old_target"]
    ).round(6)
    return rows.set_index("row").rename_axis(None)[columns]
