"""The 项目 page's performance view (专项资金绩效): what the special fund bought in a year,
by 街镇 and category, against each 街镇's need; and the projects to chase."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from indicators import reference
from indicators.domain import fund
from indicators.exports import charts
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import widgets


def _figure(value, unit: str, lang: str) -> str:
    """A total for a metric whose label carries the unit: the number alone."""
    return t("missing.not_given", lang) if pd.isna(value) else i18n.number(value, unit, lang)


def totals(perf: pd.DataFrame, basis: dict, lang: str) -> None:
    """The district's totals: projects (with an outcome), funds, savings, CO₂, PV."""
    row = perf[(perf["street_code"] == reference.district_code()) & (perf["category"] == fund.ALL)]
    if row.empty:
        return
    r = row.iloc[0]
    pv = basis["pv"].set_index("scope_code")
    pv_share = pv["share"].get(reference.district_code())
    cells = [
        ("fund.metric_projects", "item", t("fund.projects_value", lang, n=int(r["projects"]),
                                           with_outcome=int(r["projects_with_outcome"]))),
        ("fund.metric_funds", "10k_yuan", _figure(r["funded_amount"], "10k_yuan", lang)),
        ("fund.metric_expected", "tce", _figure(r["expected_saving_tce"], "tce", lang)),
        ("fund.metric_verified", "tce", _figure(r["verified_saving_tce"], "tce", lang)),
        ("fund.metric_co2", "tco2", _figure(r["co2_t"], "tco2", lang)),
        ("fund.metric_pv", "kw", _figure(r["pv_kw"], "kw", lang)),
    ]  # fmt: skip
    for i in range(0, len(cells), 3):
        for col, (key, unit, shown) in zip(st.columns(3), cells[i : i + 3], strict=False):
            col.metric(t(key, lang, unit=i18n.unit_label(unit, lang)), shown)
    if pd.notna(pv_share):
        st.caption(t("fund.pv_share", lang, share=f"{pv_share:.1f}"))


def performance(perf: pd.DataFrame, basis: dict, view: str, year: int, lang: str) -> None:
    """The view: totals, the notes the figures rest on, savings against need by 街镇, cost
    per tce by category, the table with its downloads, and the projects to chase."""
    district = reference.district_code()
    scopes = reference.view_leaves(view)
    totals(perf, basis, lang)
    for line in fund.notes(perf, basis, lang):
        st.caption(line)
    widgets.chart(charts.fund_savings(perf, scopes, year, lang), key="fund_savings", lang=lang)
    if perf.loc[perf["street_code"] == district, "cost_per_tce"].notna().any():
        widgets.chart(
            charts.fund_cost_by_category(perf, district, lang), key="fund_cost", lang=lang
        )
    table = fund.rows(perf[perf["street_code"].isin([*scopes, district])], lang)
    shown = fund.shown(table.drop(columns=["street_code"]), lang)
    widgets.show_table(shown, column_config=widgets.number_columns(shown))
    widgets.table_downloads(
        fund.shown(table, lang), t("fund.file", lang, year=year), key="fund_perf", lang=lang
    )
    to_chase(basis["projects"], lang)


def to_chase(projects: pd.DataFrame, lang: str) -> None:
    """The projects missing their outcomes, and those past their expected acceptance date."""
    st.subheader(t("fund.chase_title", lang))
    missing = fund.without_outcome(projects).assign(why=t("fund.why_no_outcome", lang))
    late = fund.overdue(projects, date.today()).assign(why=t("fund.why_overdue", lang))
    both = pd.concat([missing, late])
    if both.empty:
        st.caption(t("fund.chase_none", lang))
        return
    due = pd.to_datetime(both["due_acceptance_on"], errors="coerce").dt.date
    frame = pd.DataFrame(
        {
            t("col.project", lang): [
                i18n.demo_name(str(n), bool(d), lang)
                for n, d in zip(both["name"], both["is_demo"].fillna(False), strict=True)
            ],
            t("col.scope", lang): [i18n.scope_name(c, lang) for c in both["scope_code"]],
            t("fund.col_category", lang): both["category"],
            t("fund.col_stage", lang): [
                t(f"fund.stage_{s}", lang) if isinstance(s, str) and s else None
                for s in both["stage"]
            ],
            t("fund.col_due", lang): due,
            t("fund.col_why", lang): both["why"],
        }
    )
    widgets.show_table(frame)
