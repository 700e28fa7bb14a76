"""数据历史 History: every load batch, what it changed, and rolling one back; for district
editors, the sign-in log too."""

import streamlit as st

from indicators import auth, data_widgets, ui
from indicators.i18n import t
from indicators.intake import loading

f = ui.page_frame("page.history")
editor = ui.require_editor(f.lang)

batches = ui.load_batches()
data_widgets.batches_table(batches, f.lang)
if not batches.empty:
    batch_id = st.selectbox(
        t("history.batch", f.lang),
        list(batches["batch_id"]),
        key="batch",
        format_func=lambda b: f"#{b}",
    )
    data_widgets.readings_summary(batches.set_index("batch_id").loc[batch_id], f.lang)
    data_widgets.changes_table(loading.batch_changes(batch_id), f.lang)

    if st.button(t("history.rollback", f.lang, batch=batch_id), key="rollback"):
        try:
            new_id = loading.rollback(batch_id, editor.name, editor.allowed_scopes())
        except loading.RollbackRefused as refused:
            st.error(t(f"intake.{refused.key}", f.lang, **refused.params))
        else:
            st.success(t("intake.rolled_back", f.lang, batch=batch_id, new=new_id))

if editor.streets is None:  # every account's sign-ins: district editors only
    data_widgets.signins_table(auth.signins(), f.lang)
