"""晴雨表 Barometer: each 街镇's 预警等级 in every round of the year so far, against the year's
target and against the five-year plan's 进度要求, and each one's five-year path."""

import streamlit as st

from indicators import reference
from indicators.domain import barometer, fiveyear
from indicators.exports import charts
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import ui, widgets

f = ui.page_frame(
    "page.barometer", filters=("group", "year", "indicator"), indicators=fiveyear.indicators()
)
plan = fiveyear.plan_of_year(f.year)
if plan is None:
    st.warning(t("barometer.no_plan", f.lang, year=f.year))
    st.stop()
plan_name = plan["name_zh"] if f.lang == "zh" else plan["name_en"]
statuses = ui.plan_rounds(plan, f.year)
if not any(len(frame) for frame in statuses.values()):  # the plan has no target at all
    st.info(t("barometer.no_targets", f.lang, plan=plan_name))
    st.stop()
rounds = barometer.rounds_so_far(statuses, f.year)
long = barometer.levels(statuses, f.year)
scopes = reference.view_scopes(f.group)
if ui.with_pending():
    st.caption(t("barometer.public_only", f.lang))
if long["illustrative"].any():
    st.info(t("banner.demo", f.lang), icon="ℹ️")
st.subheader(barometer.title(f.indicator, f.year, f.lang))
st.caption(t("common.definition", f.lang, text=i18n.indicator_scope_note(f.indicator, f.lang)))
if not rounds:
    st.warning(t("barometer.no_rounds", f.lang, year=f.year, plan=plan_name))
    st.stop()
for line in barometer.summary(long, f.indicator, scopes, rounds, f.lang):
    st.markdown(f"**{line}**")
for against in barometer.AGAINST:
    bands, moves = barometer.table(long, f.indicator, against, scopes, rounds)
    if not barometer.untargeted(bands):
        st.markdown(f"**{t(f'barometer.table_{against}', f.lang, plan=plan_name)}**")
        widgets.barometer_table(bands, moves, f.lang)
for note in barometer.notes(long, f.indicator, f.lang):
    st.caption(note)
widgets.table_downloads(
    barometer.download(long, f.indicator, scopes, rounds, f.lang),
    t(
        "barometer.file",
        f.lang,
        year=f.year,
        indicator=i18n.file_part(i18n.indicator_short(f.indicator, f.lang)),
    ),
    key="barometer",
    lang=f.lang,
)

path = barometer.path(statuses, plan, f.indicator, f.year)
demo = bool(long.loc[long["indicator_id"] == f.indicator, "illustrative"].any())
drawn = barometer.charted(scopes)
figure = charts.plan_paths(path, drawn, f.indicator, plan, f.lang, illustrative=demo)
widgets.chart(figure, key="plan_paths", lang=f.lang)
if len(drawn) < len(scopes):
    st.caption(t("barometer.paths_trimmed", f.lang, shown=len(drawn), n=len(scopes)))
st.caption(t("barometer.path_note", f.lang, base=plan["base"], plan=plan_name))
