"""The PDF briefing report: a one-page summary (cards and the status matrix), then a page
per headline indicator. Built as HTML and laid out by WeasyPrint, which embeds Noto CJK
as named CID fonts (Chromium's print-to-PDF embeds it too, but as nameless Type 3
glyphs; reportlab cannot embed the .ttc at all)."""

from __future__ import annotations

import base64
import html
from datetime import date

from indicators import reference
from indicators.domain import analysis, briefing, commitments, queries
from indicators.exports import charts, takeaway
from indicators.reference import i18n
from indicators.reference.i18n import t

STYLE = """
@page { size: A4 landscape; margin: 14mm; }
body { font-family: 'Noto Sans CJK SC', sans-serif; color: #212121; }
h1 { font-size: 24pt; margin: 0 0 6mm; } h2 { font-size: 18pt; margin: 0 0 4mm; }
.page { page-break-after: always; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4mm; }
.card { border: 1px solid #cfd8dc; border-radius: 3mm; padding: 2mm 3mm; font-size: 9pt; }
.card b { font-size: 11pt; }
h1 .part { white-space: nowrap; }
/* The status matrix whole on one page: after the cards, or on the next page by itself. */
table { border-collapse: collapse; font-size: 9pt; margin-top: 5mm; page-break-inside: avoid; }
.big { font-size: 40pt; font-weight: 700; text-align: center; margin: 20mm 0 4mm; }
td, th { border: 1px solid #cfd8dc; padding: 1mm 2mm; }
tr { page-break-inside: avoid; }
thead tr { page-break-after: avoid; }  /* never a header alone at a page's foot */
.headline { font-size: 15pt; line-height: 1.5; }
.note { font-size: 9pt; color: #616161; }
img { width: 100%; }
.lines { font-size: 11pt; line-height: 1.5; margin: 0 0 2mm; }
.pair { display: flex; gap: 8mm; } .pair > div { flex: 1; } .pair table { width: 100%; }
.pair td { white-space: nowrap; }
.pair b { display: block; min-height: 12mm; }
"""
# A chart's place on an indicator's page, in inches: the page's width inside its margins.
CHART_BOX = (10.5, 4.5)
FUND_CHART_BOX = (10.5, 3.6)  # below four lines of totals, on the same page


def report_name(scope: str, year: int, lang: str, today: date | None = None) -> str:
    return briefing.file_name("report", scope, year, lang, today)


def report_html(scope: str, year: int, period: str, lang: str, view: str = "focus") -> str:
    """The report as one HTML document (every data value escaped)."""
    ids = [i["id"] for i in reference.catalogue() if i["headline"]]
    frame, cards, title = briefing.contents(scope, year, period, lang)
    parts = [f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>"]
    matrix = analysis.status_matrix(frame, reference.view_scopes(view), period, ids)
    parts.append(_summary_page(frame, cards, matrix, title, year, lang))
    parts += [_indicator_page(frame, card, scope, year, period, lang, view) for card in cards]
    parts += [_barometer_page(page) for page in briefing.barometer_pages(year, period, lang, view)]
    if fund_page := briefing.fund_page(year, lang, view):
        parts.append(_fund_page(fund_page))
    parts.append(_commitments_page(lang))
    parts.append("</body></html>")
    return "".join(parts)


def _summary_page(frame, cards: list, matrix, title: str, year: int, lang: str) -> str:
    """The first page: the title, the demo banner, a card per indicator, the status matrix."""
    e = html.escape
    parts = [
        # The title breaks between its parts, never inside one ("Jan–Sep").
        "<div class='page'><h1>"
        + " · ".join(f"<span class='part'>{e(part)}</span>" for part in title.split(" · "))
        + "</h1>",
    ]
    if frame["is_demo"].fillna(False).astype(bool).any():
        parts.append(f"<p class='note'>{e(t('banner.demo', lang))}</p>")
    parts.append("<div class='cards'>")
    for card in cards:
        parts.append(
            f"<div class='card'><b>{e(i18n.indicator_name(card['indicator_id'], lang))}"
            f"</b><br>{e(briefing.headline(card, lang, year))}<br>"
            f"{e(charts.status_label(card, lang))}</div>"
        )
    parts.append("</div>")
    parts.append(
        # A header in <thead> repeats where all ten 街镇 run onto the next page.
        "<table><thead><tr><th></th>"
        + "".join(f"<th>{e(i18n.indicator_short(i, lang))}</th>" for i in matrix.columns)
        + "</tr></thead><tbody>"
    )
    for code in matrix.index:
        cells = "".join(
            f"<td style='background:{charts.RAG_COLOURS[s]};color:{charts.RAG_TEXT[s]}'>"
            f"{e(t(f'rag_short.{s}', lang))}</td>"
            for s in matrix.loc[code]
        )
        parts.append(f"<tr><th>{e(i18n.scope_name(code, lang))}</th>{cells}</tr>")
    parts.append("</tbody></table>")
    if matrix.attrs.get("demo_targets"):
        parts.append(f"<p class='note'>{e(t('label.matrix_demo_target', lang))}</p>")
    parts += [f"<p class='note'>{e(n)}</p>" for n in briefing.matrix_plan_notes(matrix, lang)]
    parts.append("</div>")
    return "".join(parts)


def _indicator_page(frame, card: dict, scope, year, period, lang, view) -> str:
    """One headline indicator's page: headline, source lines, chart (or the figure in
    display size) and its scope note."""
    e = html.escape
    ind = card["indicator_id"]
    parts = [
        f"<div class='page'><h2>{e(i18n.indicator_name(ind, lang))}</h2>"
        f"<p class='headline'>{e(briefing.headline(card, lang, year))}</p>"
    ]
    parts += [f"<p class='note'>{e(line)}</p>" for line in briefing.footer_lines(card, lang)]
    _, figure = charts.slide_figure(frame, card, period, view, lang, scope)
    if figure is not None:
        png = takeaway.figure_image(figure, box=CHART_BOX)
        parts.append(f"<img src='data:image/png;base64,{base64.b64encode(png).decode()}'>")
    else:  # the figure itself in display size, as on the slide
        big = charts.big_words(card, lang) + briefing.figure_mark(card, lang)
        parts.append(f"<p class='big'>{e(big)}</p>")
    parts.append(f"<p class='note'>{e(i18n.indicator_scope_note(ind, lang))}</p></div>")
    return "".join(parts)


def _fund_page(fund_page: dict) -> str:
    """What the fund bought (briefing.fund_page): totals, chart and notes."""
    e = html.escape
    figure = charts.fund_savings(*fund_page["chart"])
    png = takeaway.figure_image(figure, box=FUND_CHART_BOX)
    return (
        f"<div class='page'><h2>{e(fund_page['title'])}</h2><p class='lines'>"
        + "<br>".join(e(line) for line in fund_page["lines"])
        + "</p>"
        + f"<img src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
        + "".join(f"<p class='note'>{e(n)}</p>" for n in fund_page["notes"])
        + "</div>"
    )


def _commitments_page(lang: str) -> str:
    """What was promised, what is done, what is late (承诺事项), as a table."""
    e = html.escape
    page = commitments.briefing_page(queries.commitments(date.today()), lang)
    parts = [f"<div class='page'><h2>{e(page['title'])}</h2><p>{e(page['counts'])}</p>"]
    if page["rows"]:
        parts.append(
            "<table><thead><tr>"
            + "".join(f"<th>{e(h)}</th>" for h in page["heads"])
            + "</tr></thead><tbody>"
            + "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in page["rows"]
            )
            + "</tbody></table>"
        )
    else:
        parts.append(f"<p>{e(page['none_late'])}</p>")
    parts += [f"<p class='note'>{e(note)}</p>" for note in page["notes"]]
    parts.append("</div>")
    return "".join(parts)


def _barometer_page(page: dict) -> str:
    """The 晴雨表 (briefing.barometer_pages) as a page: its two tables side by side, each
    cell in its level's colour, the notes below."""
    e = html.escape
    tables = []
    for part in page["tables"]:
        head = "".join(f"<th>{e(h)}</th>" for h in part["heads"])
        body = "".join(
            f"<tr><th>{e(name)}</th>"
            + "".join(
                "<td style='background:{};color:{}'>{}</td>".format(
                    *charts.band_colours(band), e(text)
                )
                for text, band in cells
            )
            + "</tr>"
            for name, cells in part["rows"]
        )
        tables.append(
            f"<div><b>{e(part['title'])}</b><table><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )
    notes = "".join(f"<p class='note'>{e(n)}</p>" for n in page["notes"])
    lead = "".join(f"<p><b>{e(line)}</b></p>" for line in page["summary"])
    return (
        f"<div class='page'><h2>{e(page['title'])}</h2>{lead}"
        f"<div class='pair'>{''.join(tables)}</div>{notes}</div>"
    )


def build_report(scope: str, year: int, period: str, lang: str, view: str = "focus") -> bytes:
    """The report as PDF bytes (WeasyPrint, embedding the Noto CJK fonts by name)."""
    from weasyprint import HTML  # slow to import: only a report pays for it

    return HTML(string=report_html(scope, year, period, lang, view)).write_pdf()
