"""报送进度 Reporting progress: for a round (year and period), each 街镇's due figures and
where they stand, the most overdue first, and a 催报通知 naming what is late."""

import streamlit as st

from indicators import reporting_widgets, ui
from indicators.i18n import t

f = ui.page_frame("page.reporting", filters=())
year, period = reporting_widgets.period_picker(f.lang, "reporting")
frame = ui.reporting_status(year, period)
ui.demo_banner(frame, f.lang)
reporting_widgets.counts(frame, f.lang)
reporting_widgets.rules_caption(frame, f.lang)

st.subheader(t("reporting.grid_title", f.lang))
reporting_widgets.progress_grid(frame, f.lang)
st.subheader(t("reporting.items_title", f.lang))
reporting_widgets.items_table(frame, f.lang)
st.subheader(t("reporting.reminder_title", f.lang))
reporting_widgets.reminder_box(frame, year, period, f.lang)
