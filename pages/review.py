"""数据审核 Review: district editors approve a 街镇's submission (its figures become 正式)
or return it with a reason (it is rolled back; the 街镇 sees why and submits again)."""

import streamlit as st

from indicators.reference.i18n import t
from indicators.views import data, reporting, ui

f = ui.page_frame("page.review", filters=())
editor = ui.require_editor(f.lang)
data.flash()
if editor.streets is not None:
    st.info(t("review.review_district_only", f.lang))
    st.stop()
queue = ui.review_queue()
if queue.empty:
    st.success(t("review.queue_empty", f.lang))
    st.stop()
reporting.queue_table(queue, f.lang)
batch_id = st.selectbox(
    t("history.batch", f.lang), list(queue["batch_id"]), key="review_batch",
    format_func=lambda b: f"#{b}",
)  # fmt: skip
reporting.pending_table(ui.pending_figures(int(batch_id)), f.lang, key="review_figures")
reporting.review_actions(int(batch_id), editor, f.lang)
