"""分街镇 Streets: the 街镇 compared on one indicator — ranked, over time, by share."""

import streamlit as st

from indicators import reference
from indicators.domain import analysis
from indicators.exports import charts
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import ui, widgets

f = ui.page_frame("page.streets")
period, frame = ui.compared_frame(f)
now = analysis.totals_only(frame[frame["period"] == period])
history = analysis.totals_only(
    ui.indicator_frame(indicator_id=f.indicator, year=f.year, year_from=f.year - 6, period="Y")
)
ui.demo_banner(now, f.lang, history)  # the ranking and the years' panels
st.subheader(ui.heading(f, period))
st.caption(t("common.definition", f.lang, text=i18n.indicator_scope_note(f.indicator, f.lang)))
widgets.view_period_lines(
    now, f.indicator, period, f.period, reference.view_leaves(f.group), f.lang
)

if len(now):
    named = analysis.named_scopes(now, f.group)
    ranked, n_named = analysis.charted_scopes(named, f.indicator, f.scope)
    if len(ranked) < n_named:
        st.caption(t("streets.trimmed", f.lang, shown=len(ranked), n=n_named))
    widgets.chart(
        charts.ranked_bars(ranked, f.indicator, f.lang, highlight=f.scope),
        key="ranked",
        lang=f.lang,
    )
    if reference.indicator(f.indicator)["additive"]:
        shares = analysis.charted_shares(analysis.view_shares(now, f.group), f.scope)
        if len(shares):
            widgets.chart(charts.share_chart(shares, f.indicator, f.lang), key="share", lang=f.lang)
    if len(history):
        panels = analysis.panel_scopes(analysis.view_rows(history, f.group), f.scope)
        widgets.chart(
            charts.small_multiples(panels, f.indicator, f.lang), key="multiples", lang=f.lang
        )
    widgets.values_table(analysis.chosen_rows(now, f.scope, f.group), f.lang)
else:
    st.warning(t("common.no_data", f.lang))
