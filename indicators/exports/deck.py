"""The briefing deck (PPTX): a title slide, one slide per headline indicator with its
headline sentence, chart, status and source, and a closing 街镇 × 指标 status matrix.

python-pptx's `font.name` sets only the Latin typeface; PowerPoint and WPS pick Chinese
glyphs from the East Asian one (a:ea), so every run gets both.
"""

from __future__ import annotations

import io
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from indicators import reference
from indicators.domain import analysis, briefing, commitments, queries
from indicators.exports import charts, takeaway
from indicators.reference import i18n
from indicators.reference.i18n import t

FONT = "Noto Sans CJK SC"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9


def _style(run, size: int, bold: bool = False, colour: str = "212121") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = RGBColor.from_string(colour)
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = rpr.makeelement(qn(tag), {})
            rpr.append(element)
        element.set("typeface", FONT)


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool]]) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _style(paragraph.add_run(), size, bold)
        paragraph.runs[-1].text = text


def _cell(cell, text: str, fill: str, colour: str, bold: bool = False, size: int = 12) -> None:
    """A table cell coloured as the page colours it (the status colours on the matrix)."""
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#").upper())
    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            _style(run, size, bold, colour.lstrip("#").upper())


def deck_name(scope: str, year: int, lang: str, today: date | None = None) -> str:
    return briefing.file_name("deck", scope, year, lang, today)


# Where a slide's chart goes, in inches: the picture is laid out for this box and fills it.
CHART_BOX = (0.6, 2.4, 8.4, 4.8)


def _picture(slide, figure) -> None:
    left, top, width, height = CHART_BOX
    png = takeaway.figure_image(figure, box=(width, height))
    slide.shapes.add_picture(
        io.BytesIO(png), Inches(left), Inches(top), width=Inches(width), height=Inches(height)
    )


def _title(slide, text: str) -> None:
    _text(slide, Inches(0.6), Inches(0.3), Inches(12), Inches(0.9), [(text, 30, True)])


def build_deck(scope: str, year: int, period: str, lang: str, view: str = "focus") -> bytes:
    """The deck for a scope, year and period, as PPTX bytes; rankings and the status
    matrix list the 街镇 of the view (reference.VIEWS)."""
    ids = [i["id"] for i in reference.catalogue() if i["headline"]]
    frame, cards, heading = briefing.contents(scope, year, period, lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    _title_slide(prs.slides.add_slide(blank), frame, heading, lang)
    for card in cards:
        _indicator_slide(prs.slides.add_slide(blank), frame, card, scope, year, period, lang, view)
    matrix = analysis.status_matrix(frame, reference.view_scopes(view), period, ids)
    _matrix_slide(prs.slides.add_slide(blank), matrix, ids, lang)
    for page in briefing.barometer_pages(year, period, lang, view):
        _barometer_slide(prs.slides.add_slide(blank), page)
    if fund_page := briefing.fund_page(year, lang, view):
        _fund_slide(prs.slides.add_slide(blank), fund_page)
    _commitments_slide(prs.slides.add_slide(blank), lang)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _title_slide(slide, frame, heading: str, lang: str) -> None:
    """The heading and the app's title, and the demo banner when any figure is illustrative."""
    lines = [(heading, 40, True), (t("app.title", lang), 24, False)]
    if frame["is_demo"].fillna(False).astype(bool).any():
        lines.append((t("banner.demo", lang), 16, False))
    _text(slide, Inches(0.8), Inches(2.2), Inches(11.7), Inches(3.5), lines)


def _indicator_slide(slide, frame, card: dict, scope, year, period, lang, view) -> None:
    """One headline indicator: its headline sentence, its chart (or the figure in display
    size), its status and its source."""
    ind = card["indicator_id"]
    _title(slide, i18n.indicator_name(ind, lang))
    _text(
        slide,
        Inches(0.6),
        Inches(1.2),
        Inches(12),
        Inches(1.2),
        [(briefing.headline(card, lang, year), 20, False)],
    )
    _, figure = charts.slide_figure(frame, card, period, view, lang, scope)
    if figure is not None:
        _picture(slide, figure)
    else:  # the figure itself in display size: every slide has a visual
        left, top, width, _ = CHART_BOX
        big = [(charts.big_words(card, lang), 54, True)]
        if mark := briefing.figure_mark(card, lang):
            big.append((mark.strip(), 24, False))
        _text(slide, Inches(left), Inches(top + 1.2), Inches(width), Inches(2), big)
    side = [(charts.status_label(card, lang), 20, True)]
    side += [(line, 14, False) for line in briefing.footer_lines(card, lang)]
    _text(slide, Inches(9.3), Inches(2.6), Inches(3.6), Inches(3.5), side)


def _matrix_slide(slide, matrix, ids: list[str], lang: str) -> None:
    """The 街镇 × 指标 status matrix as a table in the status colours, with its notes."""
    _title(slide, t("overview.matrix", lang))
    # Rows share the space below the title: all ten 街镇 and 全区 fit on the slide.
    row_height = min(int(Inches(0.6)), int(Inches(5.9)) // (len(matrix) + 1))
    table = slide.shapes.add_table(
        len(matrix) + 1,
        len(ids) + 1,
        Inches(0.4),
        Inches(1.3),
        Inches(12.5),
        Emu(row_height * (len(matrix) + 1)),
    ).table
    # The 街镇 column as wide as its longest name needs; the statuses share the rest.
    table.columns[0].width = Inches(2.9)
    for j in range(1, len(ids) + 1):
        table.columns[j].width = Emu((int(Inches(12.5)) - int(Inches(2.9))) // len(ids))
    _cell(table.cell(0, 0), "", "ECEFF1", "212121")
    for j, ind in enumerate(matrix.columns, start=1):
        _cell(table.cell(0, j), i18n.indicator_short(ind, lang), "ECEFF1", "212121", bold=True)
    for i, code in enumerate(matrix.index, start=1):
        _cell(table.cell(i, 0), i18n.scope_name(code, lang), "FFFFFF", "212121", bold=True)
        for j, ind in enumerate(matrix.columns, start=1):
            status = matrix.loc[code, ind]
            text = t(f"rag_short.{status}", lang)
            _cell(table.cell(i, j), text, charts.RAG_COLOURS[status], charts.RAG_TEXT[status])
    note = [t("label.matrix_demo_target", lang)] if matrix.attrs.get("demo_targets") else []
    note += briefing.matrix_plan_notes(matrix, lang)
    if note:
        _text(
            slide,
            Inches(0.4),
            Inches(7.0),
            Inches(12.5),
            Inches(0.4),
            [(n, 12, False) for n in note],
        )


def _fund_slide(slide, fund_page: dict) -> None:
    """What the fund bought (briefing.fund_page): its chart, totals and notes."""
    _title(slide, fund_page["title"])
    _picture(slide, charts.fund_savings(*fund_page["chart"]))
    side = [(line, 16, False) for line in fund_page["lines"]]
    _text(slide, Inches(9.3), Inches(2.4), Inches(3.6), Inches(3.0), side)
    notes = [(note, 10, False) for note in fund_page["notes"]]
    _text(slide, Inches(0.6), Inches(1.2), Inches(12), Inches(1.1), notes)


def _commitments_slide(slide, lang: str) -> None:
    """What was promised, what is done, what is late (承诺事项, from the reply)."""
    page = commitments.briefing_page(queries.commitments(date.today()), lang)
    _title(slide, page["title"])
    _text(slide, Inches(0.6), Inches(1.2), Inches(12), Inches(0.8), [(page["counts"], 18, False)])
    if not page["rows"]:
        _text(slide, Inches(0.6), Inches(2.2), Inches(12), Inches(0.6),
              [(page["none_late"], 18, False)])  # fmt: skip
        return
    widths = (2.4, 6.3, 1.6, 2.2)
    rows = page["rows"]
    table = slide.shapes.add_table(
        len(rows) + 1, len(widths), Inches(0.6), Inches(2.1), Inches(sum(widths)),
        Inches(0.5 * (len(rows) + 1)),
    ).table  # fmt: skip
    for j, width in enumerate(widths):
        table.columns[j].width = Inches(width)
    for j, head in enumerate(page["heads"]):
        _cell(table.cell(0, j), head, "ECEFF1", "212121", bold=True)
    for i, cells in enumerate(rows, start=1):
        for j, text in enumerate(cells):
            _cell(table.cell(i, j), text, "FFFFFF", "212121")
    if page["notes"]:
        notes = [(note, 12, False) for note in page["notes"]]
        _text(slide, Inches(0.6), Inches(6.7), Inches(12), Inches(0.6), notes)


NAME_WIDTH = 2.1  # inches: 仙霞新村街道, or "Chengjiaqiao Subdistrict" at 10 pt, on one line


def _barometer_slide(slide, page: dict) -> None:
    """The 晴雨表 (briefing.barometer_pages): its two tables side by side, each cell in its
    level's colour as on the page, the notes below."""
    _title(slide, page["title"])
    left, gap, width = 0.4, 0.3, 6.2
    for i, part in enumerate(page["tables"]):
        x = Inches(left + i * (width + gap))
        _text(slide, x, Inches(1.15), Inches(width), Inches(0.4), [(part["title"], 13, True)])
        rows = part["rows"]
        row_height = min(int(Inches(0.42)), int(Inches(4.9)) // (len(rows) + 1))
        table = slide.shapes.add_table(
            len(rows) + 1, len(part["heads"]) + 1, x, Inches(1.6), Inches(width),
            Emu(row_height * (len(rows) + 1)),
        ).table  # fmt: skip
        table.columns[0].width = Inches(NAME_WIDTH)
        for j in range(1, len(part["heads"]) + 1):
            table.columns[j].width = Emu(
                (int(Inches(width)) - int(Inches(NAME_WIDTH))) // len(part["heads"])
            )
        _cell(table.cell(0, 0), "", "ECEFF1", "212121", size=10)
        for j, head in enumerate(part["heads"], start=1):
            _cell(table.cell(0, j), head, "ECEFF1", "212121", bold=True, size=10)
        for r, (name, cells) in enumerate(rows, start=1):
            _cell(table.cell(r, 0), name, "FFFFFF", "212121", bold=True, size=10)
            for j, (text, band) in enumerate(cells, start=1):
                _cell(table.cell(r, j), text, *charts.band_colours(band), size=10)
    lines = [(line, 12, True) for line in page["summary"]]
    lines += [(note, 10, False) for note in page["notes"]]
    _text(slide, Inches(0.4), Inches(6.5), Inches(12.5), Inches(1.0), lines)
