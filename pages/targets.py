"""目标分解 Targets: a year's district targets split over the 街镇 and departments, and
whether the shares add up; below, a five-year plan's cumulative targets and the same check.
District editors set them in the grids."""

import streamlit as st

from indicators import auth
from indicators.reference.i18n import t
from indicators.views import data, targets, ui

f = ui.page_frame("page.targets", filters=())
editor = ui.current_editor() if auth.editing_enabled() else None
all_targets = ui.targets()
year = targets.year_picker(sorted({int(y) for y in all_targets["year"]}), f.lang)
shares, plans, findings = ui.target_split(year)
ui.demo_banner(all_targets[all_targets["year"] == year], f.lang)
data.flash()
targets.findings(findings, year, int((all_targets["year"] == year).sum()), f.lang)
st.caption(
    t("targets.edit_help" if editor and editor.streets is None else "targets.readers", f.lang)
)

st.subheader(t("targets.by_scope", f.lang))
targets.scope_grid(all_targets, year, editor, f.lang)
st.subheader(t("targets.by_department", f.lang))
targets.department_grid(shares, all_targets, year, editor, f.lang)
targets.plan_table(plans, all_targets, findings, year, f.lang)

heading = st.container()  # named after the plan picked below it
plan = targets.plan_picker(year, f.lang)
heading.subheader(t("plan_targets.title", f.lang, plan=targets.plan_name(plan, f.lang)))
st.caption(t("plan_targets.help", f.lang, base_year=plan["base"]))
plan_targets, plan_findings = ui.plan_targets(plan["id"])
targets.plan_findings(plan_findings, plan, len(plan_targets), f.lang)
targets.plan_grid(plan_targets, plan, editor, f.lang)
