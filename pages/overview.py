"""总览 Overview: a card per headline indicator, their progress against the plan to date,
then the 街镇 × 指标 status matrix."""

import streamlit as st

from indicators import reference
from indicators.domain import analysis
from indicators.exports import charts
from indicators.reference.i18n import t
from indicators.views import ui, widgets

f = ui.page_frame("page.overview")
headline = [i["id"] for i in reference.catalogue() if i["headline"]]
frame = ui.indicator_frame(year=f.year, periods=analysis.periods_shown(f.period))
cards = analysis.pick_cards(frame, f.scope, f.period, headline)
ui.demo_banner(frame, f.lang)  # the cards and the matrix below
ui.scope_note(f.scope, f.lang)

st.subheader(ui.heading(f))
widgets.cards(cards, f.lang, chosen_period=f.period)
attainment = charts.attainment_bars(cards, f.scope, f.lang)
if attainment is not None:
    widgets.chart(attainment, "overview_attainment", f.lang)

st.subheader(t("overview.matrix", f.lang))
st.caption(t("overview.matrix_hint", f.lang))
scopes = reference.view_scopes(f.group)
widgets.status_matrix(analysis.status_matrix(frame, scopes, f.period, headline), f.lang)
