"""项目 Projects: the funded-project register, filtered, with totals by 街镇; and what the
fund bought (专项资金绩效): savings by 街镇 against each one's need, cost per tce."""

import streamlit as st

from indicators import reference
from indicators.domain import analysis
from indicators.exports import charts
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import fund, ui, widgets

f = ui.page_frame("page.projects", filters=("group", "scope", "year", "period"))
shown = st.segmented_control(
    t("projects.view", f.lang),
    ["register", "performance"],
    default="register",
    key="projects_view",
    format_func=lambda v: t(f"projects.view_{v}", f.lang),
)
if shown == "performance":
    perf, basis = ui.fund_performance(f.year)
    ui.demo_banner(basis["projects"], f.lang)
    st.subheader(t("fund.heading", f.lang, year=f.year))
    fund.performance(perf, basis, f.group, f.year, f.lang)
    st.stop()
register = ui.funded_projects(scope_code=f.scope, year=f.year)
ui.demo_banner(register, f.lang)
st.subheader(
    t(
        "projects.heading",
        f.lang,
        year=f.year,
        period=i18n.period_label(analysis.effective_period("funded_projects", f.period), f.lang),
    )
)

col_category, col_fund = st.columns(2)
category = widgets.choice(
    col_category, t("projects.category", f.lang), register["category"], "category", f.lang
)
chosen_fund = widgets.choice(col_fund, t("projects.fund", f.lang), register["fund"], "fund", f.lang)
period = analysis.effective_period("funded_projects", f.period)
chosen = analysis.filter_projects(register, category=category, fund=chosen_fund, period=period)
# The district's projects by the view's parts (in 双桥双新泾: the four and 其他街镇).
by_part = f.group if f.scope == reference.district_code() else None
summary = analysis.summarise_projects(chosen, by_part)

widgets.project_totals(summary, f.lang)
if len(summary):
    widgets.chart(charts.projects_by_scope(summary, f.lang), key="by_scope", lang=f.lang)
    widgets.project_summary(summary, f.lang)
    widgets.project_register(chosen, f.year, f.lang)
else:
    st.warning(t("common.no_data", f.lang))
