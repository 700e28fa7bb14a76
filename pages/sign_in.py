"""登录 Sign in: editors sign in to change data; everyone else reads the dashboard."""

import streamlit as st

from indicators import auth
from indicators.reference.i18n import t
from indicators.views import ui

f = ui.page_frame("page.sign_in", filters=())
if not auth.editing_enabled():
    st.info(t("auth.disabled", f.lang, env=auth.AUTH_ENV))
    st.stop()

editor = ui.current_editor()
if editor is not None:
    st.success(
        t("auth.signed_in_as", f.lang, name=editor.name, streets=ui.streets_text(editor, f.lang))
    )
    if st.button(t("auth.sign_out", f.lang), key="sign_out"):
        ui.sign_out()
        st.rerun()
else:
    with st.form("sign_in_form"):
        name = st.text_input(t("auth.name", f.lang), key="sign_in_name")
        password = st.text_input(
            t("auth.password", f.lang), type="password", key="sign_in_password"
        )
        submitted = st.form_submit_button(t("auth.sign_in", f.lang))
    if submitted:
        outcome = ui.attempt_sign_in(name.strip(), password, f.lang)
        if outcome is not None:
            ui.sign_in(outcome)
            st.rerun()
