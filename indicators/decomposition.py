"""目标分解: whether the shares of a year's targets reach the targets they split. For an
additive indicator the 街镇's targets must add up to their group's or the district's (at
least, where higher is better; at most, where lower is better: caps on energy use); so
must the departments' shares of a district target. For an intensity (catalogue
`target_weight: gdp`) the 街镇's targets weighted by their GDP must reach it.

Pure: frames in, one row per problem out; no database, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from indicators import i18n, reference

FINDING_COLUMNS = ["indicator_id", "scope_code", "key", "target", "result", "names"]
TOLERANCE = 1e-9  # relative: 0.1 + 0.2 reaches 0.3


def _reaches(result: float, target: float, higher: bool) -> bool:
    slack = TOLERANCE * max(abs(target), 1.0)
    return result >= target - slack if higher else result <= target + slack


def _finding(ind: str, scope: str, key: str, target=None, result=None, names=()) -> dict:
    return {
        "indicator_id": ind,
        "scope_code": scope,
        "key": key,
        "target": target,
        "result": result,
        "names": tuple(names),
    }


def check(targets: pd.DataFrame, departments: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """The problems of one year's targets.

    Args:
        targets: indicator_id, scope_code, target_value (a year's annual targets).
        departments: indicator_id, department, target_value (departments' shares).
        weights: scope_code, weight (each 街镇's GDP, for intensity targets).
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
            members = reference.leaves_of(scope)
            have = [m for m in members if m in shares]
            if not have:
                continue  # not split over the 街镇: nothing to add up
            if len(have) < len(members):
                missing = [m for m in members if m not in shares]
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
    return pd.DataFrame(found, columns=FINDING_COLUMNS)


def lines(findings: pd.DataFrame, year: int, lang: str) -> list[str]:
    """A line per problem, as the page and `targets check` print them."""
    out = []
    for f in findings.itertuples():
        unit = reference.indicator(f.indicator_id)["unit"]
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


def target_kind(indicator_id: str) -> str:
    """How a new target is judged when the indicator has none yet: a flow that adds up
    over the year pro rata (cumulative), a percentage as a rate, anything else as a level."""
    entry = reference.indicator(indicator_id)
    if entry["year_to_date"] == "sum":
        return "cumulative"
    return "rate" if entry["unit"] == "pct" else "level"
