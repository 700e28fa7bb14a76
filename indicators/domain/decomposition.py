"""目标分解: whether the shares of a year's targets reach the targets they split. For an
additive indicator the 街镇's targets must add up to their group's or the district's (at
least, where higher is better; at most, where lower is better: caps on energy use); so
must the departments' shares of a district target. For an intensity (catalogue
`target_weight: gdp`) the 街镇's targets weighted by their GDP must reach it. And each
target's 序时计划 must still phase it (plans.misfits).

A five-year plan's cumulative targets are checked the same way (check_plan): the 街镇's must
reach their group's and the district's. For a cumulative fall of an intensity (fiveyear
measure `fall`: 单位GDP能耗), the 街镇's falls weighted by their base-year totals (energy for
energy per GDP, CO2 for CO2 per GDP) must reach the district's, Σ w_i (1 − T_i) ≤ (1 − T_d):
this assumes each 街镇 keeps its share of GDP over the plan. For a cap on a total (measure
`cap`, an allowed growth G), Σ E_i,base (1 + G_i) ≤ E_d,base (1 + G_d). Without the base-year
figures the check cannot be made, and says so.

Pure: frames in, one row per problem out; no database, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from indicators import reference
from indicators.domain import fiveyear, plans
from indicators.reference import i18n

# period and other_period: a plan's misfit (the plan value's period, the later one it is above)
FINDING_COLUMNS = [
    "indicator_id",
    "scope_code",
    "key",
    "target",
    "result",
    "names",
    "period",
    "other_period",
]
TOLERANCE = 1e-9  # relative: 0.1 + 0.2 reaches 0.3


def _split_over(shares: dict, scope: str) -> tuple[list[str], list[str]]:
    """The 街镇 of `scope` that have a target in `shares`, and those that lack one (none
    when no 街镇 has one: the scope's target is not split over them)."""
    members = reference.leaves_of(scope)
    have = [m for m in members if m in shares]
    return have, [m for m in members if m not in shares] if have else []


def _reaches(result: float, target: float, higher: bool) -> bool:
    slack = TOLERANCE * max(abs(target), 1.0)
    return result >= target - slack if higher else result <= target + slack


def _finding(
    ind: str,
    scope: str,
    key: str,
    target=None,
    result=None,
    names=(),
    period=None,
    other_period=None,
) -> dict:
    return {
        "indicator_id": ind,
        "scope_code": scope,
        "key": key,
        "target": target,
        "result": result,
        "names": tuple(names),
        "period": period,
        "other_period": other_period,
    }


def check(
    targets: pd.DataFrame,
    departments: pd.DataFrame,
    weights: pd.DataFrame,
    year_plans: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The problems of one year's targets.

    Args:
        targets: indicator_id, scope_code, target_value (a year's annual targets); with
            `year_plans`, also year and kind.
        departments: indicator_id, department, target_value (departments' shares).
        weights: scope_code, weight (each 街镇's GDP, for intensity targets).
        year_plans: indicator_id, scope_code, year, period, plan_value (the year's plans
            to date), checked against the targets they phase.
    Returns:
        One row per problem (FINDING_COLUMNS); empty when the targets are consistent.
    """
    weight = weights.set_index("scope_code")["weight"].to_dict()
    found: list[dict] = []
    by_scope = {
        ind: part.set_index("scope_code")["target_value"].to_dict()
        for ind, part in targets.groupby("indicator_id")
    }
    for ind, shares in by_scope.items():
        entry = reference.indicator(ind)
        higher = entry["direction"] == "higher"
        for scope in shares:
            if reference.scope(scope)["kind"] in reference.LEAF_KINDS:
                continue
            have, missing = _split_over(shares, scope)
            if not have:
                continue  # not split over the 街镇: nothing to add up
            if missing:
                found.append(_finding(ind, scope, "parts_missing", names=missing))
                continue
            if entry.get("target_weight"):
                unweighted = [m for m in have if not weight.get(m)]
                if unweighted:
                    found.append(_finding(ind, scope, "no_weight", names=unweighted))
                    continue
                total = sum(weight[m] for m in have)
                result = sum(shares[m] * weight[m] for m in have) / total
                key = "weighted_short" if higher else "weighted_over"
            elif entry["additive"]:
                result, key = sum(shares[m] for m in have), ("sum_short" if higher else "sum_over")
            else:
                continue  # neither adds up nor is weighted: not checked
            if not _reaches(result, shares[scope], higher):
                found.append(_finding(ind, scope, key, shares[scope], result))
    district = reference.district_code()
    for ind, part in departments.groupby("indicator_id"):
        entry = reference.indicator(ind)
        higher = entry["direction"] == "higher"
        target = by_scope.get(ind, {}).get(district)
        if target is None:
            found.append(_finding(ind, district, "departments_no_target"))
        elif entry["additive"] and not _reaches(part["target_value"].sum(), target, higher):
            key = "departments_short" if higher else "departments_over"
            found.append(_finding(ind, district, key, target, float(part["target_value"].sum())))
    if year_plans is not None:
        found += plan_findings(targets, year_plans)
    return pd.DataFrame(found, columns=FINDING_COLUMNS)


def plan_findings(targets: pd.DataFrame, year_plans: pd.DataFrame) -> list[dict]:
    """A finding per plan value that does not fit its target (plans.misfits): `result`
    the plan value, `target` the annual target or the later plan value it is above."""
    return [
        _finding(
            m.indicator_id,
            m.scope_code,
            m.key,
            _number(m.against),
            _number(m.plan_value),
            period=m.period,
            other_period=m.against_period,
        )
        for m in plans.misfits(targets, year_plans).itertuples()
    ]


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def lines(findings: pd.DataFrame, year: int, lang: str) -> list[str]:
    """A line per problem, as the page and `targets check` print them."""
    out = []
    for f in findings.itertuples():
        unit = reference.indicator(f.indicator_id)["unit"]
        if f.key in plans.MISFIT_ORDER:
            detail = plan_detail(f.key, f.period, f.result, f.target, f.other_period, unit, lang)
            out.append(plan_line(f.key, f.indicator_id, f.scope_code, year, detail, lang))
            continue
        out.append(
            i18n.t(
                f"targets.{f.key}",
                lang,
                indicator=i18n.indicator_name(f.indicator_id, lang),
                year=year,
                scope=i18n.scope_name(f.scope_code, lang),
                target=i18n.value_text(f.target, unit, lang) if f.target is not None else "",
                result=i18n.value_text(f.result, unit, lang) if f.result is not None else "",
                names=i18n.t("reporting.list_joiner", lang).join(
                    i18n.scope_name(n, lang) for n in f.names
                ),
            )
        )
    return out


def plan_period(period: str, lang: str) -> str:
    """A plan's period as a point in the year: 三季度末 / Q3, 9月末 / September."""
    if period.startswith("Q"):
        return i18n.t(f"plan.at_{period}", lang)
    return i18n.t("plan.at_month", lang, month=i18n.t(f"month.{int(period[1:])}", lang))


def plan_detail(
    key: str,
    period: str | None,
    plan: float | None,
    against: float | None,
    later: str | None,
    unit: str,
    lang: str,
) -> str:
    """What does not fit in a plan: 四季度末计划 120 kW，年度目标 100 kW (`against` is the
    annual target, or the plan value of the `later` period the plan is above)."""

    def value(v) -> str:
        return i18n.value_text(v, unit, lang) if v is not None and not pd.isna(v) else ""

    return i18n.t(
        f"plan.{key}",
        lang,
        period=plan_period(period, lang) if isinstance(period, str) else "",
        later=plan_period(later, lang) if isinstance(later, str) else "",
        plan=value(plan),
        target=value(against),
        against=value(against),
    )


# A plan that is not used has nothing to fit: its line says only that.
UNUSED = ("plan_no_target", "plan_not_used")


def plan_line(
    key: str, indicator_id: str, scope_code: str, year: int, detail: str, lang: str
) -> str:
    """The line of one plan misfit on 目标分解 and from `targets check`."""
    return i18n.t(
        "plan.line_unused" if key in UNUSED else "plan.line",
        lang,
        indicator=i18n.indicator_name(indicator_id, lang),
        year=year,
        scope=i18n.scope_name(scope_code, lang),
        detail=detail,
    )


def target_kind(indicator_id: str) -> str:
    """How a new target is judged when the indicator has none yet: a flow that adds up
    over the year pro rata (cumulative), a percentage as a rate, anything else as a level."""
    entry = reference.indicator(indicator_id)
    if entry["year_to_date"] == "sum":
        return "cumulative"
    return "rate" if entry["unit"] == "pct" else "level"


# -- five-year plan targets -----------------------------------------------------------------

# A plan check's findings, by key: 街镇 without a plan target while others have one; base-year
# figures missing (the check cannot be made); the 街镇's falls short of the larger scope's; the
# 街镇's allowances beyond the larger scope's cap. target and result in percent of the base.
PLAN_KEYS = ("plan_parts_missing", "plan_no_base", "plan_fall_short", "plan_cap_over")


def base_total(indicator_id: str) -> str:
    """The total a plan target is weighted or capped by: an intensity's numerator (energy
    for energy per GDP), a total itself."""
    entry = reference.indicator(indicator_id)
    return entry["derived_from"][0] if fiveyear.measure(indicator_id) == "fall" else entry["id"]


def check_plan(targets: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """The problems of one five-year plan's targets, checked as the annual ones are.

    A cumulative fall T of an intensity: the 街镇's falls weighted by their base-year totals
    w_i (energy for energy per GDP, CO2 for CO2 per GDP) must reach the group's or the
    district's, Σ w_i (1 − T_i) ≤ 1 − T_d. The weights are the base year's shares of the
    total, so this holds when each 街镇 keeps its share of GDP over the plan (the intensity of
    the whole is Σ E_i / Σ GDP_i). An allowed growth G of a total (a cap):
    Σ E_i,base (1 + G_i) ≤ E_d,base (1 + G_d). A 街镇 or scope without its base-year figure:
    the check cannot be made (`plan_no_base`), never taken as consistent.

    Args:
        targets: indicator_id, scope_code, target_value (one plan's, percent of the base:
            14 is a 14% fall, or 14% growth allowed).
        bases: indicator_id, scope_code, value (the plan's base-year whole-year totals).
    Returns:
        One row per problem (FINDING_COLUMNS); `target` the larger scope's target and
        `result` what its 街镇's targets add up to (the fall or growth, percent of the base).
    """
    base = {
        (r.indicator_id, r.scope_code): float(r.value)
        for r in bases.itertuples()
        if not pd.isna(r.value)
    }
    found: list[dict] = []
    for ind, part in targets.groupby("indicator_id", sort=False):
        how = fiveyear.measure(ind)
        if how is None:
            continue  # not a plan indicator: nothing to weigh
        total = base_total(ind)
        shares = part.set_index("scope_code")["target_value"].to_dict()
        for scope in (s["code"] for s in reference.scopes()):
            if scope not in shares or reference.scope(scope)["kind"] in reference.LEAF_KINDS:
                continue
            members, missing = _split_over(shares, scope)
            if not members:
                continue  # not split over the 街镇: nothing to add up
            if missing:
                found.append(_finding(ind, scope, "plan_parts_missing", names=missing))
                continue
            needed = members if how == "fall" else [*members, scope]
            unknown = [m for m in needed if base.get((total, m), 0.0) <= 0]
            if unknown:
                found.append(_finding(ind, scope, "plan_no_base", names=unknown))
                continue
            weight = {m: base[(total, m)] for m in members}
            if how == "fall":
                kept = sum(weight[m] * (1 - shares[m] / 100) for m in members) / sum(
                    weight.values()
                )
                result, higher, key = (1 - kept) * 100, True, "plan_fall_short"
            else:
                allowed = sum(weight[m] * (1 + shares[m] / 100) for m in members)
                result = (allowed / base[(total, scope)] - 1) * 100
                higher, key = False, "plan_cap_over"
            if not _reaches(result, shares[scope], higher):
                found.append(_finding(ind, scope, key, float(shares[scope]), result))
    return pd.DataFrame(found, columns=FINDING_COLUMNS)


def plan_lines(findings: pd.DataFrame, p: dict, lang: str) -> list[str]:
    """A line per problem of plan `p`'s targets, as the page and `targets check` print them."""
    name = p["name_zh"] if lang == "zh" else p["name_en"]

    def pct(v) -> str:
        return i18n.value_text(round(v, 2), "pct", lang) if v is not None else ""

    return [
        i18n.t(
            f"plan_targets.{f.key}",
            lang,
            indicator=i18n.indicator_name(f.indicator_id, lang),
            total=i18n.indicator_name(base_total(f.indicator_id), lang),
            plan=name,
            base_year=p["base"],
            scope=i18n.scope_name(f.scope_code, lang),
            target=pct(_number(f.target)),
            result=pct(_number(f.result)),
            names=i18n.t("reporting.list_joiner", lang).join(
                i18n.scope_name(n, lang) for n in f.names
            ),
        )
        for f in findings.itertuples()
    ]
