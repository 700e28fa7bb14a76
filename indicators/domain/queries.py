"""What the pages and the command line ask of the data: named queries plus the pure
status functions, so both show the same numbers."""

from __future__ import annotations

from datetime import date

import pandas as pd

from indicators import reference
from indicators.domain import barometer, decomposition, fund, plan_status, reporting, status
from indicators.domain import commitments as promises
from indicators.store import db

PERIOD_ORDER = {p: i for i, p in enumerate(reference.PERIODS)}


def _catalogue_by_id() -> dict[str, dict]:
    return {ind["id"]: ind for ind in reference.catalogue()}


def indicator_frame(
    indicator_id: str | None = None,
    scope_code: str | None = None,
    year: int | None = None,
    period: str | None = None,
    year_from: int | None = None,
    periods: tuple[str, ...] | None = None,
    with_pending: bool = False,
) -> pd.DataFrame:
    """Indicator values with change on the previous year, target and status.

    Args:
        indicator_id, scope_code, period: filters (None for all).
        periods: several periods at once (a page that shows one period and the yearly
            figures needs only those rows: at city scale that is a fraction of a year's).
        year: the last year wanted; with no `year_from`, the only one.
        year_from: the first year wanted.
        with_pending: the picture with the submissions awaiting review (含待审核), each
            figure they change marked `pending`; public figures only by default.
    Returns:
        One row per scope, indicator, breakdown, year and period.
    """
    first = year_from if year_from is not None else year
    params = {
        "indicator_id": indicator_id,
        "scope_code": scope_code,
        # One year more than asked for, so the first year still has its change.
        "year_from": None if first is None else first - 1,
        "year_to": year,
        "period": period,
        "periods": None if periods is None else list(periods),
        "with_pending": with_pending,
    }
    target_params = {"indicator_id": indicator_id, "scope_code": scope_code}
    values, targets, plans = db.read_many(
        [
            ("queries/indicator_values", params),
            ("queries/targets", target_params),
            ("queries/target_plans", target_params),
        ]
    )
    out = status.add_change(values, pct_units={"pct"})
    out = status.add_status(out, targets, plans, _catalogue_by_id())
    if first is not None:
        out = out[out["year"] >= first]
    order = {
        (i["id"], b["code"]): n
        for i in reference.catalogue()
        for n, b in enumerate(i["breakdowns"])
    }
    out["breakdown_order"] = [
        order.get(k, -1) for k in zip(out["indicator_id"], out["breakdown"], strict=True)
    ]
    out = out.sort_values(
        ["indicator_id", "scope_order", "year", "period", "breakdown_order"], kind="stable"
    )
    return out.reset_index(drop=True)


def targets(indicator_id: str | None = None, scope_code: str | None = None) -> pd.DataFrame:
    return db.read("queries/targets", {"indicator_id": indicator_id, "scope_code": scope_code})


def available_periods() -> pd.DataFrame:
    """Years and periods with data, newest year first, Y before quarters before months."""
    df = db.read("queries/available_periods")
    df["period_order"] = df["period"].map(PERIOD_ORDER)
    return df.sort_values(["year", "period_order"], ascending=[False, True]).reset_index(drop=True)


COVERED = 0.8


def pick_default_period(periods: pd.DataFrame) -> tuple[int, str]:
    """The newest year, and of its periods holding about as many values as the fullest
    (COVERED of it: a round with a 街镇 late is still the round to show, a stray row is
    not) the whole year, else the latest quarter, else the latest month, as it is chosen
    (reference.PERIOD_CHOICES): 2026 with Q1-Q3 reported gives Q3, and M09 gives Q3 too."""
    if periods.empty:
        return 2024, "Y"
    # The newest year up to this one: a lone row of a year to come does not move the default.
    now = periods[periods["year"] <= date.today().year]
    year = int(now["year"].max()) if len(now) else int(periods["year"].min())
    in_year = periods[periods["year"] == year]

    covered = in_year[in_year["n_values"] >= COVERED * in_year["n_values"].max()]

    def rank(row: pd.Series) -> tuple[int, float]:
        kind = {"Y": 0, "Q": 1, "M": 2}[row["period"][0]]
        return (kind, -reference.period_share(row["period"]))

    best = min(covered.to_dict("records"), key=rank)
    return year, reference.choice_period(str(best["period"]))


def funded_projects(
    scope_code: str | None = None,
    year: int | None = None,
    category: str | None = None,
    fund: str | None = None,
) -> pd.DataFrame:
    params = {"scope_code": scope_code, "year": year, "category": category, "fund": fund}
    return db.read("queries/funded_projects", params)


def boundaries() -> tuple:
    """The 街镇 shapes to draw, and whether they are the schematic ones (no official
    boundaries loaded)."""
    from indicators.domain import geo  # geopandas is slow to import: only the map pays for it

    rows = db.read("queries/boundaries")
    if rows.empty:
        return geo.schematic(), True
    return geo.from_rows(rows), False


def reporting_status(year: int, period: str, as_of: date) -> pd.DataFrame:
    """Every 街镇's due items for a year and period with their state on `as_of`, worst
    first (reporting.item_states); the period is taken by its one code (M09 is Q3)."""
    code = reference.choice_period(period)
    streets = reference.leaves()
    items = reporting.due_items(year, code, streets)
    loaded = db.read("queries/reporting_items", {"year": year, "period": code})
    return reporting.item_states(items, loaded, as_of)


def target_findings(year: int) -> pd.DataFrame:
    """Whether a year's targets and their shares add up, and their plans to date still
    phase them (decomposition.check)."""
    targets, departments, weights, plans = db.read_many(
        [
            ("queries/target_check", {"year": year}),
            ("queries/department_targets", {"year": year}),
            ("queries/target_weights", {"year": year}),
            ("queries/year_plans", {"year": year}),
        ]
    )
    return decomposition.check(targets, departments, weights, plans)


def plan_targets(plan_id: str) -> pd.DataFrame:
    """A five-year plan's cumulative targets by indicator and scope (percent of the base)."""
    return db.read("queries/plan_targets", {"plan_id": plan_id})


def plan_target_findings(p: dict) -> pd.DataFrame:
    """Whether five-year plan `p`'s targets of the 街镇 reach their group's and the
    district's, on the base year's totals (decomposition.check_plan)."""
    targets, bases = db.read_many(
        [
            ("queries/plan_targets", {"plan_id": p["id"]}),
            ("queries/plan_bases", {"base_year": p["base"]}),
        ]
    )
    return decomposition.check_plan(targets, bases)


def year_plans(year: int) -> pd.DataFrame:
    """A year's plans to date (序时计划), by target and period."""
    return db.read("queries/year_plans", {"year": year})


def department_targets(year: int) -> pd.DataFrame:
    return db.read("queries/department_targets", {"year": year})


def commitments(today: date) -> pd.DataFrame:
    """The commitments by owner, with which are late on `today` (commitments.with_late)."""
    return promises.with_late(db.read("queries/commitments"), today)


def plan_status_inputs(plan_id: str, base_year: int, year: int, period: str) -> pd.DataFrame:
    """Each scope's base and current figures, plan target and year's targets for
    `plan status` (queries/plan_status.sql; plan_status.status takes it on)."""
    params = {"plan_id": plan_id, "base_year": base_year, "year": year, "period": period}
    return db.read("queries/plan_status", params)


def plan_rounds(p: dict, year: int) -> dict[tuple[int, str], pd.DataFrame]:
    """Where each scope stood against plan `p` (plan_status.status) at every round of
    `year` and at the end of each earlier year of the plan: the 晴雨表's cells and its
    five-year paths (barometer.py keeps the rounds so far)."""
    wanted = [(year, r) for r in barometer.ROUNDS]
    wanted += [(earlier, "Y") for earlier in range(p["first"], year)]
    return {
        (y, r): plan_status.status(plan_status_inputs(p["id"], p["base"], y, r), p, y, r)
        for y, r in wanted
    }


def fund_performance(year: int, period: str | None = None) -> tuple[pd.DataFrame, dict]:
    """专项资金绩效 for `year` (fund.performance over every 街镇 and the district) and what
    it rests on: the period the need is judged at (the year's latest by default: the
    status's own choice), the projects without an outcome and the PV plan."""
    if period is None:
        periods = available_periods()
        in_year = periods[periods["year"] == year]
        period = pick_default_period(in_year)[1] if len(in_year) else "Y"
    projects = funded_projects(year=year)
    inputs = db.read("queries/fund_need", {"year": year, "period": period})
    needs = fund.need(inputs, period)
    district = reference.district_code()
    perf = fund.performance(projects, needs, reference.leaves(), district)
    pv = fund.pv_toward_plan(perf, inputs.set_index("scope_code")["pv_target"])
    return perf, {"period": period, "projects": projects, "pv": pv}
