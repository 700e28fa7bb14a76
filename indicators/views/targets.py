"""What the 目标分解 page draws: a year's targets by 街镇 and by department as grids
(editable by district editors, loaded as a targets upload would be) and whether the
shares add up to the targets they split; the same for a five-year plan's targets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from indicators import auth, reference
from indicators.domain import decomposition, fiveyear, plans
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.store import db
from indicators.views import data
from indicators.views.widgets import edit_table, number_columns, show_table

KEY = "_id"  # the row's indicator id, kept in the grid but not shown


def year_picker(years: list[int], lang: str) -> int:
    """The target year: any with targets, this year and the next (to set them ahead)."""
    today = date.today().year
    options = sorted({*years, today, today + 1}, reverse=True)
    return int(
        st.selectbox(
            t("filters.year", lang),
            options,
            index=options.index(today),
            key="targets_year",
            format_func=lambda y: t("common.year", lang, year=y),
        )
    )


def findings(found: pd.DataFrame, year: int, n_targets: int, lang: str) -> None:
    """A line per share that does not add up, or that the year's targets are consistent."""
    if found.empty:
        st.success(t("targets.consistent", lang, year=year, n=n_targets))
        return
    st.warning(t("targets.inconsistent", lang, year=year, n=len(found)))
    for line in decomposition.lines(found, year, lang):
        st.markdown(f"- {line}")


def _grid(
    values: pd.DataFrame,
    rows: list[str],
    columns: dict[str, str],
    editor: auth.Editor | None,
    key: str,
    lang: str,
    row_label: Callable[[str], str] | None = None,
    notes: dict[str, list[str]] | None = None,
) -> pd.DataFrame | None:
    """Indicators down, owners (街镇 or departments) across; returns the changed cells as
    (indicator_id, owner, target_value) once the editor presses save. `row_label` names a
    row (else the indicator and its unit); `notes` are read-only columns after the owners
    (示例数据)."""
    label = t("targets.col_indicator", lang)
    wide = pd.DataFrame({KEY: rows, label: [(row_label or _row_label(lang))(i) for i in rows]})
    cells = values.set_index(["indicator_id", "owner"])["target_value"].to_dict()
    for code, name in columns.items():
        wide[name] = [cells.get((i, code)) for i in rows]
    wide[list(columns.values())] = wide[list(columns.values())].astype("float64")
    notes = notes or {}
    for name, texts in notes.items():
        wide[name] = texts
    numbers = number_columns(wide)  # each target as stored, with thousands separators
    if editor is None or editor.streets is not None:
        show_table(wide.drop(columns=[KEY]), key=key, column_config=numbers)
        return None
    edited = edit_table(
        wide,
        key=f"{key}_{abs(hash(db.data_version()))}",  # fresh after every write
        column_order=[label, *columns.values(), *notes],
        disabled=[label, *notes],
        column_config=numbers,
    )
    if not st.button(t(f"targets.save_{key}", lang), type="primary", key=f"{key}_save"):
        return None
    changed = []
    for code, name in columns.items():
        before, after = wide[name], edited[name]
        hit = after.notna() & ~(after == before)
        changed += [
            (i, code, float(v)) for i, v in zip(edited.loc[hit, KEY], after[hit], strict=True)
        ]
    if not changed:
        st.warning(t("reporting.nothing_entered", lang))
        return None
    return pd.DataFrame(changed, columns=["indicator_id", "owner", "target_value"])


def _row_label(lang: str) -> Callable[[str], str]:
    """An indicator's row as the annual grids name it: the indicator (its unit)."""
    return lambda i: t(
        "targets.row_label",
        lang,
        indicator=i18n.indicator_name(i, lang),
        unit=i18n.unit_label(reference.indicator(i)["unit"], lang),
    )


def _scope_columns(lang: str) -> dict[str, str]:
    """The district first, then its groups and 街镇 in their order."""
    columns = {s["code"]: i18n.scope_short(s["code"], lang) for s in reference.scopes()}
    return {reference.district_code(): columns.pop(reference.district_code()), **columns}


def scope_grid(targets: pd.DataFrame, year: int, editor: auth.Editor | None, lang: str) -> None:
    """The year's targets of the district, its groups and the ten 街镇."""
    year_targets = targets[targets["year"] == year].rename(columns={"scope_code": "owner"})
    rows = [i for i in reference.indicator_ids() if i in set(targets["indicator_id"])]
    changed = _grid(year_targets, rows, _scope_columns(lang), editor, "targets_grid", lang)
    if changed is None:
        return
    kinds = targets.drop_duplicates("indicator_id").set_index("indicator_id")["kind"].to_dict()
    entries = changed.rename(columns={"owner": "scope_code"}).assign(year=year)
    entries["kind"] = [
        kinds.get(i) or decomposition.target_kind(i) for i in entries["indicator_id"]
    ]
    name = t("targets.form_file", lang, year=year)
    data.submit_form("targets", entries, editor, name, lang)


def department_grid(
    shares: pd.DataFrame, targets: pd.DataFrame, year: int, editor: auth.Editor | None, lang: str
) -> None:
    """Each department's share of the district's additive targets of the year."""
    district = targets[
        (targets["year"] == year) & (targets["scope_code"] == reference.district_code())
    ]
    have = set(district["indicator_id"]) | set(shares["indicator_id"])
    rows = [
        i for i in reference.indicator_ids() if i in have and reference.indicator(i)["additive"]
    ]
    if not rows:
        st.info(t("targets.no_district_targets", lang, year=year))
        return
    columns = {d["code"]: i18n.owner_name(d["code"], lang) for d in reference.departments()}
    values = shares.rename(columns={"department": "owner"})
    changed = _grid(values, rows, columns, editor, "department_grid", lang)
    if changed is None:
        return
    entries = changed.rename(columns={"owner": "department"}).assign(year=year)
    name = t("targets.department_file", lang, year=year)
    data.submit_form("department_targets", entries, editor, name, lang)


# A plan that no longer fits: its row as st.warning, the values named in a misfit stronger.
MISFIT_ROW = "background-color: #fff8e1"
MISFIT_CELL = "background-color: #ffe08a; font-weight: 700"


def plan_table(
    year_plans: pd.DataFrame,
    targets: pd.DataFrame,
    found: pd.DataFrame,
    year: int,
    lang: str,
) -> None:
    """The year's plans to date (序时计划): a row per target with a plan, its annual target
    and its value by the end of each period, and whether it still fits the target (a
    misfit's row marked, the values it names stronger; the lines above say what is wrong)."""
    st.subheader(t("plan.title", lang))
    st.caption(t("plan.help", lang))
    if year_plans.empty:
        st.info(t("plan.none", lang, year=year))
        return
    periods = sorted(set(year_plans["period"]), key=lambda p: (reference.period_share(p), p))
    keys = ["indicator_id", "scope_code"]
    annual = targets[targets["year"] == year].set_index(keys)["target_value"].to_dict()
    cells = year_plans.set_index([*keys, "period"])["plan_value"].to_dict()
    misfit = found[found["key"].isin(plans.MISFIT_ORDER)]
    named = {
        (m.indicator_id, m.scope_code, p)
        for m in misfit.itertuples()
        for p in (m.period, m.other_period)
        if isinstance(p, str)
    }
    misfit_keys = set(zip(misfit["indicator_id"], misfit["scope_code"], strict=True))
    order = {code: n for n, code in enumerate(s["code"] for s in reference.scopes())}
    rows = sorted(
        set(zip(year_plans["indicator_id"], year_plans["scope_code"], strict=True)),
        key=lambda r: (reference.indicator_ids().index(r[0]), order.get(r[1], len(order))),
    )

    def value(v, unit: str) -> str:
        return i18n.value_text(v, unit, lang) if v is not None and not pd.isna(v) else ""

    records, fills = [], []
    for ind, scope in rows:
        unit = reference.indicator(ind)["unit"]
        bad = (ind, scope) in misfit_keys
        row_fill = MISFIT_ROW if bad else ""
        record = {
            t("col.indicator", lang): i18n.indicator_name(ind, lang),
            t("col.scope", lang): i18n.scope_name(scope, lang),
            t("plan.col_check", lang): t("plan.misfit" if bad else "plan.fits", lang),
            t("plan.col_target", lang): value(annual.get((ind, scope)), unit)
            or t("rag.no_target", lang),
        }
        fill = [row_fill] * len(record)
        for p in periods:
            record[decomposition.plan_period(p, lang)] = value(cells.get((ind, scope, p)), unit)
            fill.append(MISFIT_CELL if (ind, scope, p) in named else row_fill)
        records.append(record)
        fills.append(fill)
    table = pd.DataFrame(records)
    show_table(table, colours=pd.DataFrame(fills, columns=table.columns), key="plans_table")


# -- five-year plan targets -----------------------------------------------------------------


def plan_name(p: dict, lang: str) -> str:
    return p["name_zh"] if lang == "zh" else p["name_en"]


def plan_picker(year: int, lang: str) -> dict:
    """The five-year plan whose targets to show: the one `year` falls in, else the current
    one, else the latest."""
    options = fiveyear.plans()
    chosen = fiveyear.plan_of_year(year) or fiveyear.plan_of_year(date.today().year)
    ids = [p["id"] for p in options]
    picked = st.selectbox(
        t("plan_targets.picker", lang),
        ids,
        index=ids.index(chosen["id"]) if chosen else len(ids) - 1,
        key="plan_targets_plan",
        format_func=lambda i: (
            f"{plan_name(fiveyear.plan(i), lang)} "
            f"({fiveyear.plan(i)['first']}–{fiveyear.plan(i)['last']})"
        ),
    )
    return fiveyear.plan(picked)


def plan_findings(found: pd.DataFrame, p: dict, n_targets: int, lang: str) -> None:
    """A line per plan target that does not add up (or cannot be checked), or that the
    plan's targets are consistent; that none are set yet."""
    name = plan_name(p, lang)
    if not n_targets:
        st.info(t("plan_targets.none", lang, plan=name))
    elif found.empty:
        st.success(t("plan_targets.consistent", lang, plan=name, n=n_targets))
    else:
        st.warning(t("plan_targets.inconsistent", lang, plan=name, n=len(found)))
        for line in decomposition.plan_lines(found, p, lang):
            st.markdown(f"- {line}")


def plan_grid(plan_targets: pd.DataFrame, p: dict, editor: auth.Editor | None, lang: str) -> None:
    """A plan's cumulative targets (percent of the base) of the district, its groups and
    the ten 街镇, one row per indicator the plan targets; a row holding an illustrative
    target says so. Saved as a plan targets file would be loaded (submit_form)."""
    rows = [i for i in reference.indicator_ids() if fiveyear.measure(i)]
    demo = set(plan_targets.loc[plan_targets["is_demo"].astype(bool), "indicator_id"])
    notes = {
        t("plan_targets.col_demo", lang): [
            t("plan_targets.demo", lang) if i in demo else "" for i in rows
        ]
    }

    def label(i: str) -> str:
        key = "plan_targets.row_fall" if fiveyear.measure(i) == "fall" else "plan_targets.row_cap"
        return t(key, lang, indicator=i18n.indicator_name(i, lang))

    values = plan_targets.rename(columns={"scope_code": "owner"})
    changed = _grid(
        values, rows, _scope_columns(lang), editor, "plan_targets_grid", lang, label, notes
    )
    if changed is None:
        return
    entries = changed.rename(columns={"owner": "scope_code"}).assign(plan_id=p["id"])
    name = t("plan_targets.form_file", lang, plan=p["name_zh"] if lang == "zh" else p["id"])
    data.submit_form("plan_targets", entries, editor, name, lang)
