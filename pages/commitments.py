"""承诺事项 Commitments: what the reply 长发改〔2025〕17号 commits departments and 街镇 to,
by owner, with how each stands and which are late; editors update their own."""

import streamlit as st

from indicators import auth
from indicators.reference.i18n import t
from indicators.views import commitments, data, ui

f = ui.page_frame("page.commitments", filters=())
editor = ui.current_editor() if auth.editing_enabled() else None
frame = ui.commitments()
ui.demo_banner(frame, f.lang)
commitments.owners_note(f.lang)
chosen = commitments.filters(frame, f.lang)
commitments.counts(chosen, f.lang)
commitments.listing(chosen, f.lang)

if editor is not None:
    st.subheader(t("commitments.edit_title", f.lang))
    st.caption(t("commitments.edit_help", f.lang))
    data.flash()
    commitments.editor_grid(frame, editor, f.lang)
