"""报送进度 Reporting progress: for a round (year and period), each 街镇's due figures and
where they stand, the most overdue first, and a 催报通知 naming what is late."""

import streamlit as st

from indicators.reference.i18n import t
from indicators.views import reporting, ui

f = ui.page_frame("page.reporting", filters=())
year, period = reporting.period_picker(f.lang, "reporting")
frame = ui.reporting_status(year, period)
ui.demo_banner(frame, f.lang)
reporting.counts(frame, f.lang)
reporting.rules_caption(frame, f.lang)

st.subheader(t("reporting.grid_title", f.lang))
reporting.progress_grid(frame, f.lang)
st.subheader(t("reporting.items_title", f.lang))
reporting.items_table(frame, f.lang)
st.subheader(t("reporting.reminder_title", f.lang))
reporting.reminder_box(frame, year, period, f.lang)
