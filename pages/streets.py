"""分街镇 Streets: the 街镇 compared on one indicator — ranked, over time, by share."""

import streamlit as st

from indicators import analysis, charts, reference, ui, widgets
from indicators.i18n import t

f = ui.page_frame("page.streets")
period = analysis.effective_period(f.indicator, f.period)
history = ui.indicator_frame(
    indicator_id=f.indicator, period=period, year=f.year, year_from=f.year - 6
)
history = history[history["breakdown"] == ""]
now = history[history["year"] == f.year]
ui.demo_banner(history, f.lang)
st.subheader(ui.heading(f, period))

if now["value"].notna().any():
    parts = now[(now["scope_code"] != "district") & now["value"].notna()]
    st.plotly_chart(charts.ranked_bars(parts, f.indicator, f.lang), key="ranked")
    if reference.indicator(f.indicator)["additive"]:
        shares = analysis.shares_of_district(now)
        if len(shares):
            st.plotly_chart(charts.share_chart(shares, f.indicator, f.lang), key="share")
    st.plotly_chart(
        charts.small_multiples(history[history["value"].notna()], f.indicator, f.lang),
        key="multiples",
    )
    widgets.values_table(now, f.lang)
else:
    st.warning(t("common.no_data", f.lang))
