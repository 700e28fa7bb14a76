"""目标分解 Targets: a year's district targets split over the 街镇 and departments, and
whether the shares add up; below, a five-year plan's cumulative targets and the same check.
District editors set them in the grids."""

import streamlit as st

from indicators import auth, data_widgets, target_widgets, ui
from indicators.i18n import t

f = ui.page_frame("page.targets", filters=())
editor = ui.current_editor() if auth.editing_enabled() else None
targets = ui.targets()
year = target_widgets.year_picker(sorted({int(y) for y in targets["year"]}), f.lang)
shares, plans, findings = ui.target_split(year)
ui.demo_banner(targets[targets["year"] == year], f.lang)
data_widgets.flash()
target_widgets.findings(findings, year, int((targets["year"] == year).sum()), f.lang)
st.caption(
    t("targets.edit_help" if editor and editor.streets is None else "targets.readers", f.lang)
)

st.subheader(t("targets.by_scope", f.lang))
target_widgets.scope_grid(targets, year, editor, f.lang)
st.subheader(t("targets.by_department", f.lang))
target_widgets.department_grid(shares, targets, year, editor, f.lang)
target_widgets.plan_table(plans, targets, findings, year, f.lang)

heading = st.container()  # named after the plan picked below it
plan = target_widgets.plan_picker(year, f.lang)
heading.subheader(t("plan_targets.title", f.lang, plan=target_widgets.plan_name(plan, f.lang)))
st.caption(t("plan_targets.help", f.lang, base_year=plan["base"]))
plan_targets, plan_findings = ui.plan_targets(plan["id"])
target_widgets.plan_findings(plan_findings, plan, len(plan_targets), f.lang)
target_widgets.plan_grid(plan_targets, plan, editor, f.lang)
