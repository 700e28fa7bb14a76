"""专项资金绩效: what the district's special fund bought — each 街镇's funded projects, their
expected and verified savings, the cost per tonne saved, and how much of the 街镇's need
to save energy this year they cover.

- A project's outcome is any of its expected saving (tce a year), verified saving, CO₂
  reduction or PV capacity. Sums run over the projects that have the figure; a sum none of
  whose projects has it is missing (never 0), and the projects without an outcome are
  counted and named.
- CO₂ not reported is derived from the expected saving as electricity saved: the Shanghai
  grid factor over electricity's calorific equivalent (factors.yaml), and said so.
- Cost per tce: the funds of the projects that state both an amount and an expected saving,
  over that saving (万元 per tce saved a year).
- The need: what the 街镇 must save to meet its annual energy target at its current
  trajectory, as the status projects it: the year-end energy use at the current pace, E
  (the figure to date over the share of the year elapsed), against an annual cap C on
  energy use (E − C), else against the annual target fall t of energy per unit of GDP with
  the fall f achieved so far carried to the year end: E × (t − f) / (100 − f). Never below
  0 (no gap); missing where the figures or the target are.

Pure: frames in, frames out; no database, no Streamlit.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from indicators import reference
from indicators.reference import i18n
from indicators.reference.i18n import t

COLUMNS = [
    "street_code",
    "street",
    "category",
    "projects",
    "projects_with_outcome",
    "funded_amount",
    "expected_saving_tce",
    "verified_saving_tce",
    "cost_per_tce",
    "need_tce",
    "share_of_need",
]
ALL = ""  # the category of a 街镇's (or the district's) total row
OUTCOMES = ("saving_tce_per_year", "verified_saving_tce", "co2_t_per_year", "pv_kw")


def tco2_per_tce() -> float:
    """tCO₂ per tce of electricity saved: the grid's emission factor (tCO₂ per 10⁴ kWh)
    over electricity's calorific equivalent (kgce per kWh, so tce per 10⁴ kWh is ×10)."""
    grid = next(f for f in reference.emission_factors() if f["id"] == "electricity_co2_shanghai")
    tce = next(f for f in reference.factors() if f["id"] == "electricity_tce_equivalent")
    return float(grid["factor"]) / (float(tce["factor"]) * 10.0)


def with_outcomes(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects with `has_outcome`, and `co2_t` (reported, else derived from the
    expected saving) with `co2_derived` saying which."""
    out = projects.copy()
    for column in OUTCOMES:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["has_outcome"] = out[list(OUTCOMES)].notna().any(axis=1)
    derived = out["co2_t_per_year"].isna() & out["saving_tce_per_year"].notna()
    out["co2_t"] = out["co2_t_per_year"].where(
        ~derived, out["saving_tce_per_year"] * tco2_per_tce()
    )
    out["co2_derived"] = derived
    return out


def need(inputs: pd.DataFrame, period: str) -> pd.Series:
    """Each scope's energy-saving need (tce) for the year at `period` (see the module's
    text). In: scope_code, energy (energy_total to date), change (energy_per_gdp_change
    to date, %), change_target (%), cap and cap_kind (an annual target on energy_total)."""
    share = reference.period_share(period)
    values = {}
    for r in inputs.itertuples():
        energy = _num(r.energy)
        year_end = energy / share if share else math.nan
        cap = _num(r.cap)
        if not math.isnan(cap) and r.cap_kind in ("cumulative", "level"):
            gap = year_end - cap
        else:
            target, fall = _num(r.change_target), _num(r.change)
            gap = year_end * (target - fall) / (100.0 - fall) if fall != 100 else math.nan
        values[r.scope_code] = max(gap, 0.0) if not math.isnan(gap) else math.nan
    return pd.Series(values, dtype="float64", name="need_tce")


def _sums(part: pd.DataFrame) -> dict[str, Any]:
    both = part["amount_10k_yuan"].notna() & part["saving_tce_per_year"].notna()
    saving_paid = part.loc[both, "saving_tce_per_year"].sum()
    return {
        "projects": len(part),
        "projects_with_outcome": int(part["has_outcome"].sum()),
        "funded_amount": part["amount_10k_yuan"].sum(min_count=1),
        "expected_saving_tce": part["saving_tce_per_year"].sum(min_count=1),
        "verified_saving_tce": part["verified_saving_tce"].sum(min_count=1),
        "cost_per_tce": (
            part.loc[both, "amount_10k_yuan"].sum() / saving_paid if saving_paid > 0 else math.nan
        ),
        "co2_t": part["co2_t"].sum(min_count=1),
        "co2_derived": int(part["co2_derived"].sum()),
        "pv_kw": part["pv_kw"].sum(min_count=1),
    }


def performance(
    projects: pd.DataFrame, needs: pd.Series, scopes: list[str], district: str
) -> pd.DataFrame:
    """One row per scope in `scopes` and category, then the scope's total (category ALL),
    then the district's rows over every project: the COLUMNS' figures (scope codes; names
    are the caller's) plus co2_t, co2_derived (how many derived) and pv_kw.
    share_of_need is the expected saving over the need, in percent; missing where the
    need is (or is 0: no gap to close)."""
    frame = with_outcomes(projects)
    rows = []
    for scope in [*scopes, district]:
        own = frame if scope == district else frame[frame["scope_code"] == scope]
        for category in sorted(own["category"].dropna().unique()):
            part = own[own["category"] == category]
            rows.append({"street_code": scope, "category": category, **_sums(part)})
        if own["category"].isna().any():  # a project with no category still counts
            part = own[own["category"].isna()]
            rows.append({"street_code": scope, "category": None, **_sums(part)})
        rows.append({"street_code": scope, "category": ALL, **_sums(own)})
    out = pd.DataFrame(rows)
    out["need_tce"] = out["street_code"].map(needs).astype("float64")
    gap = out["need_tce"].where(out["need_tce"] > 0)  # no gap (0) or unknown: no share
    out["share_of_need"] = out["expected_saving_tce"] / gap * 100.0
    columns = [c for c in COLUMNS if c != "street"] + ["co2_t", "co2_derived", "pv_kw"]
    return out[columns]


ROUNDING = {
    "funded_amount": 2,
    "expected_saving_tce": 1,
    "verified_saving_tce": 1,
    "cost_per_tce": 3,
    "need_tce": 1,
    "share_of_need": 1,
}


def rows(perf: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The COLUMNS, as `fund performance` prints them and the page downloads them: scope
    names in `lang`, a total row's category in words, figures rounded (missing stays
    missing)."""
    out = perf.assign(
        street=[i18n.scope_name(c, lang) for c in perf["street_code"]],
        category=[
            t("fund.all_categories", lang)
            if c == ALL
            else (t("fund.no_category", lang) if c is None or c != c else c)
            for c in perf["category"]
        ],
    )
    for column, digits in ROUNDING.items():
        out[column] = out[column].round(digits)
    return out[COLUMNS].reset_index(drop=True)


def shown(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`rows` with headers in `lang`, for the page and its downloads."""
    return table.rename(columns={c: t(f"fund.col_{c}", lang) for c in COLUMNS})


NAMED = 10  # projects named in a note; the rest counted


def notes(perf: pd.DataFrame, basis: dict, lang: str) -> list[str]:
    """What the figures rest on, said beside them: the period the need is judged at, the
    projects without an outcome (named), CO₂ derived rather than reported, and whether any
    project is illustrative (示例数据)."""
    projects = basis["projects"]
    out = [t("fund.need_basis", lang, period=i18n.period_label(basis["period"], lang))]
    missing = without_outcome(projects)
    if len(missing):
        demo = missing.get("is_demo", pd.Series(False, index=missing.index)).fillna(False)
        shown = [
            i18n.demo_name(str(n), bool(d), lang)
            for n, d in zip(missing["name"], demo, strict=True)
        ]
        names = t("common.list_sep", lang).join(shown[:NAMED])
        more = t("fund.and_more", lang, n=len(missing) - NAMED) if len(missing) > NAMED else ""
        out.append(t("fund.without_outcome", lang, n=len(missing), names=names + more))
    out += left_out(projects, lang)
    district = perf[perf["category"] == ALL].iloc[-1] if len(perf) else None
    if district is not None and district["co2_derived"]:
        grid = next(
            f for f in reference.emission_factors() if f["id"] == "electricity_co2_shanghai"
        )
        out.append(
            t(
                "fund.co2_derived",
                lang,
                n=int(district["co2_derived"]),
                factor=f"{tco2_per_tce():.3f}",
                source=grid["source"],
            )
        )
    if "is_demo" in projects and projects["is_demo"].fillna(False).astype(bool).any():
        out.append(t("banner.demo", lang))
    return out


# The sums of the table and its totals, and the words for how many projects left each blank.
SUMMED = {
    "amount_10k_yuan": "fund.part_funds",
    "saving_tce_per_year": "fund.part_expected",
    "verified_saving_tce": "fund.part_verified",
    "co2_t": "fund.part_co2",
    "pv_kw": "fund.part_pv",
}


def left_out(projects: pd.DataFrame, lang: str) -> list[str]:
    """A sum with some parts missing says how many: per summed figure, the projects that
    left it blank where others gave it (the sums run over those that gave it). None blank
    or all blank (the sum is then missing, said as 未提供) needs no line."""
    frame = with_outcomes(projects)
    parts = [
        t(key, lang, n=n)
        for column, key in SUMMED.items()
        if 0 < (n := int(frame[column].isna().sum())) < len(frame)
    ]
    return [t("fund.left_out", lang, parts=t("common.list_sep", lang).join(parts))] if parts else []


def without_outcome(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects with no outcome at all, named."""
    frame = with_outcomes(projects)
    return frame[~frame["has_outcome"]]


def overdue(projects: pd.DataFrame, today) -> pd.DataFrame:
    """The projects past their expected acceptance date (due_acceptance_on before `today`)
    and not yet accepted."""
    due = pd.to_datetime(projects["due_acceptance_on"], errors="coerce")
    late = due.notna() & (due < pd.Timestamp(today)) & (projects["stage"] != "accepted")
    return projects[late]


def pv_toward_plan(perf: pd.DataFrame, pv_targets: pd.Series) -> pd.DataFrame:
    """Each scope's funded PV capacity (kW) against its year's PV target (pv_new, kW):
    scope_code, pv_kw, pv_target, share (percent; missing without a target)."""
    totals = perf[perf["category"] == ALL].set_index("street_code")["pv_kw"]
    out = pd.DataFrame({"pv_kw": totals, "pv_target": pv_targets.reindex(totals.index)})
    out["share"] = out["pv_kw"] / out["pv_target"] * 100.0
    return out.rename_axis("scope_code").reset_index()


def _num(x: Any) -> float:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return math.nan
    return value
