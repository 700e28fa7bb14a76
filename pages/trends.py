"""趋势 Trends: each 街镇 over time against its target, and where the year will end."""

import streamlit as st

from indicators import reference
from indicators.domain import analysis
from indicators.exports import charts
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import ui, widgets

f = ui.page_frame("page.trends")
ind = reference.indicator(f.indicator)
frame = ui.indicator_frame(indicator_id=f.indicator, year=f.year, year_from=f.year - 7)
frame = analysis.trend_rows(frame, f.scope, f.group)
scopes = list(dict.fromkeys(frame["scope_code"]))
this_year = frame[frame["year"] == f.year]
period = analysis.view_period(this_year, f.indicator, f.period, scopes)
ui.demo_banner(frame, f.lang)
st.subheader(ui.heading(f, period))
st.caption(t("common.definition", f.lang, text=i18n.indicator_scope_note(f.indicator, f.lang)))

current = this_year[this_year["period"] == period]
widgets.view_period_lines(current, f.indicator, period, f.period, scopes, f.lang)
projection = analysis.project_to_year_end(current, ind["direction"])
if len(frame):
    widgets.chart(
        charts.trend_chart(
            frame[frame["period"] == "Y"],
            analysis.targets_of(frame),
            projection,
            f.indicator,
            f.lang,
        ),
        key="trend",
        lang=f.lang,
    )
    st.subheader(t("trends.result" if period == "Y" else "trends.projection", f.lang))
    widgets.projection_table(projection, current, ind["unit"], f.lang, year_over=(period == "Y"))
else:
    st.warning(t("common.no_data", f.lang))
