"""Entry point: `streamlit run app.py`. Declares the pages; each page draws the shared
layout itself, so a deep link to any page shows the whole dashboard."""

import streamlit as st

from indicators import ui
from indicators.i18n import t

lang = ui.current_lang()
st.set_page_config(page_title=t("app.title", lang), page_icon="🌿", layout="wide")
pages = [
    st.Page("pages/overview.py", title=t("page.overview", lang), url_path="overview", default=True),
    st.Page("pages/streets.py", title=t("page.streets", lang), url_path="streets"),
    st.Page("pages/trends.py", title=t("page.trends", lang), url_path="trends"),
    st.Page("pages/projects.py", title=t("page.projects", lang), url_path="projects"),
]
st.navigation(pages).run()
