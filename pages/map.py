"""地图 Map: the 街镇 coloured by the chosen indicator or by status; click one to choose it."""

import streamlit as st

from indicators import reference
from indicators.domain import analysis, geo
from indicators.exports import charts
from indicators.reference.i18n import t
from indicators.views import ui, widgets

f = ui.page_frame("page.map")
period, year_rows = ui.compared_frame(f)
frame = analysis.totals_only(year_rows[year_rows["period"] == period])
ui.demo_banner(frame, f.lang)
st.subheader(ui.heading(f, period))
widgets.view_period_lines(
    frame, f.indicator, period, f.period, reference.view_leaves(f.group), f.lang
)
shapes, schematic = ui.boundaries()
st.caption(t("map.schematic" if schematic else "map.official", f.lang))

mode = st.segmented_control(
    t("map.mode", f.lang),
    ["value", "status"],
    default="value",
    key="map_mode",
    format_func=lambda m: t(f"map.mode_{m}", f.lang),
)
parts = shapes[shapes["scope_code"] != "district"]
figure = charts.street_map(
    parts,
    geo.label_points(parts),
    frame,
    f.indicator,
    mode or "value",
    f.lang,
    schematic=schematic,
    view=f.group,
    highlight=f.scope,
)
event = widgets.chart(figure, key="map", lang=f.lang, on_select="rerun", selection_mode="points")
clicked = ui.clicked_scope(event)
if clicked and clicked != f.scope:
    ui.choose_scope(clicked)
    st.rerun()
widgets.values_table(analysis.view_rows(frame, f.group), f.lang)
