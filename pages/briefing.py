"""简报 Briefing: one slide per headline indicator, the furthest behind the plan first, sized
to fit a projector's screen (1366×768 up); stepped with the buttons, ←/→ or a clicker."""

import streamlit as st

from indicators import reference
from indicators.domain import briefing
from indicators.exports import charts, deck, report
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import ui, widgets

f = ui.page_frame("page.briefing", presenting=True)
frame = ui.indicator_frame(year=f.year, with_pending=False)  # the projector: accepted figures only
cards = briefing.slides(frame, f.scope, f.period)

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
figure_side, words_side = st.columns([3, 2], gap="large")
rows, figure = charts.slide_figure(frame, card, f.period, f.group, f.lang, f.scope)
with figure_side:
    if figure is not None:
        figure.update_layout(height=widgets.SLIDE_CHART_PX)
        widgets.chart(figure, key="slide_chart", lang=f.lang)
    else:
        widgets.big_figure(card, f.lang)
with words_side:
    widgets.big_text(briefing.headline(card, f.lang, f.year))
    widgets.slide_footer(card, f.lang)
    if widgets.any_demo(card, rows):
        widgets.data_caption(t("brief.demo_footnote", f.lang, source=reference.seed()["source"]))

left, right, _ = st.columns([1, 1, 2])
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
