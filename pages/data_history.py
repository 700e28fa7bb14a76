"""数据历史 History: every load batch (who loaded what, when) for everyone; rolling one back
for editors; the sign-in log for district editors."""

import streamlit as st

from indicators import auth
from indicators.intake import loading
from indicators.reference.i18n import t
from indicators.views import data, ui

f = ui.page_frame("page.history", filters=())
editor = ui.current_editor() if auth.editing_enabled() else None
if not auth.editing_enabled():
    st.info(t("auth.disabled", f.lang, env=auth.AUTH_ENV))
elif editor is None:
    st.info(t("history.readers", f.lang))
    st.page_link("pages/sign_in.py", label=t("page.sign_in", f.lang))

batches = ui.load_batches()
data.batches_table(batches, f.lang)
if not batches.empty:
    batch_id = st.selectbox(
        t("history.batch", f.lang),
        list(batches["batch_id"]),
        key="batch",
        format_func=lambda b: f"#{b}",
    )
    data.readings_summary(batches.set_index("batch_id").loc[batch_id], f.lang)
    data.changes_table(loading.batch_changes(batch_id), f.lang)

    if editor is not None and st.button(
        t("history.rollback", f.lang, batch=batch_id), key="rollback"
    ):
        try:
            new_id = loading.rollback(batch_id, editor.name, editor.allowed_scopes())
        except loading.RollbackRefused as refused:
            st.error(t(f"intake.{refused.key}", f.lang, **refused.params))
        else:
            st.success(t("intake.rolled_back", f.lang, batch=batch_id, new=new_id))

if editor is not None and editor.streets is None:  # every account's sign-ins
    log = auth.read_signins()
    data.signins_table(log.events, f.lang, log.unreadable)
