"""简报 Briefing: one slide per headline indicator, big type, stepped with the buttons,
←/→ or a presentation clicker (PageUp/PageDown)."""

import streamlit as st

from indicators import analysis, briefing, charts, deck, i18n, reference, report, ui, widgets
from indicators.i18n import t

f = ui.page_frame("page.briefing", presenting=True)
ids = [i["id"] for i in reference.catalogue() if i["headline"]]
frame = ui.indicator_frame(year=f.year)
cards = analysis.pick_cards(frame, f.scope, f.period, ids).to_dict("records")
ui.demo_banner(frame, f.lang)

index = ui.slide_controls(len(cards), f.lang)
card = cards[index]
st.header(
    t(
        "brief.slide_title",
        f.lang,
        n=index + 1,
        total=len(cards),
        name=i18n.indicator_name(card["indicator_id"], f.lang),
    )
)
widgets.big_text(briefing.headline(card, f.lang, f.year))
rows = analysis.ranking_rows(frame, card["indicator_id"], f.period, f.group)
if len(rows):
    widgets.chart(
        charts.ranked_bars(rows, card["indicator_id"], f.lang, highlight=f.scope),
        key="slide_chart",
        lang=f.lang,
    )
widgets.slide_footer(card, f.lang)

left, right = st.columns(2)
left.download_button(
    t("brief.download_pptx", f.lang),
    data=lambda: deck.build_deck(f.scope, f.year, f.period, f.lang, f.group),
    file_name=deck.deck_name(f.scope, f.year, f.lang),
    key="deck_pptx",
)
right.download_button(
    t("brief.download_pdf", f.lang),
    data=lambda: report.build_report(f.scope, f.year, f.period, f.lang, f.group),
    file_name=report.report_name(f.scope, f.year, f.lang),
    mime="application/pdf",
    key="deck_pdf",
)
