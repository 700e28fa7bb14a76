"""本街镇待报 Our due reports: a signed-in editor's due figures for a round, returned ones
with the district's reason, and a form to enter them (checked and loaded as an upload)."""

import streamlit as st

from indicators.reference.i18n import t
from indicators.views import reporting, ui

f = ui.page_frame("page.my_reports", filters=())
editor = ui.require_editor(f.lang)
st.caption(
    t("auth.signed_in_as", f.lang, name=editor.name, streets=ui.streets_text(editor, f.lang))
)
year, period = reporting.period_picker(f.lang, "mine")
frame = ui.reporting_status(year, period)
mine = frame[frame["scope_code"].isin(editor.streets or frame["scope_code"])]
ui.demo_banner(mine, f.lang)
reporting.counts(mine, f.lang)
reporting.returned_notes(mine, f.lang)
reporting.items_table(mine, f.lang)

st.subheader(t("reporting.form_title", f.lang))
st.caption(t("reporting.form_help", f.lang))
reporting.entry_form(mine, editor, year, period, f.lang)
st.page_link("pages/data_upload.py", label=t("reporting.upload_instead", f.lang))
