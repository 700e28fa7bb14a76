"""The briefing deck opens with python-pptx and carries the headline figures and the East
Asian typeface that PowerPoint and WPS need for Chinese."""

from datetime import date

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from indicators import reference
from indicators.exports import charts, deck, takeaway
from indicators.reference.i18n import t
from tests.test_load import cli


def _texts(path):
    prs = Presentation(str(path))
    texts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
    return prs, texts


def test_brief_for_2024_holds_63_and_183_with_east_asian_fonts(tmp_path):
    res = cli("brief", "--format", "pptx", "--year", "2024", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    (path,) = tmp_path.glob("*.pptx")
    assert path.name == f"双碳简报_全区_2024_{date.today():%Y%m%d}.pptx"
    prs, texts = _texts(path)
    headlines = [x for x in texts if x.startswith("2024年全区")]
    assert any("专项资金支持项目数63项" in x for x in headlines)
    assert any("经费预算同比增长1.83%" in x for x in headlines)
    n_headline = len([i for i in reference.catalogue() if i["headline"]])
    # title, one per indicator, the matrix, what the fund bought, the commitments (2024 is
    # in no plan with targets: no 晴雨表)
    assert len(prs.slides) == n_headline + 4
    assert "2024年专项资金支持了什么" in texts
    assert any("街镇 × 指标" in x for x in texts)
    runs = [
        r
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    ]
    ea = [r._r.rPr.find(qn("a:ea")) for r in runs]
    assert all(e is not None and e.get("typeface") == deck.FONT for e in ea)
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) >= 5  # a chart on the indicator slides
    # Each chart is laid out for its box and fills it, drawn at twice its layout size.
    box = [round(Inches(v)) for v in deck.CHART_BOX]
    for picture in pictures:
        assert [picture.left, picture.top, picture.width, picture.height] == box
        assert picture.image.size[0] == 2 * round(deck.CHART_BOX[2] * takeaway.PX_PER_INCH)
    # The official 63 says where it comes from and that it is final, as on the page.
    assert any("长发改〔2025〕17号 · 正式数 · 数据截至 2025-04-11" in x for x in texts)
    # The matrix is coloured by status, as on the page and in the report.
    (matrix,) = [
        sl
        for sl in prs.slides
        if any(sh.has_text_frame and "街镇 × 指标" in sh.text_frame.text for sh in sl.shapes)
    ]
    (table,) = [sh.table for sh in matrix.shapes if sh.has_table]
    fills = {
        str(cell.fill.fore_color.rgb): cell.text
        for row in list(table.rows)[1:]
        for cell in list(row.cells)[1:]
    }
    for rgb, text in fills.items():
        status = next(s for s in charts.RAG_COLOURS if text == t(f"rag_short.{s}", "zh"))
        assert rgb == charts.RAG_COLOURS[status].lstrip("#").upper(), text


def test_brief_for_a_street_in_english_and_bad_arguments(tmp_path):
    out = tmp_path / "deck.pptx"
    res = cli("brief", "--year", "2026", "--street", "新泾", "--out", str(out), "--lang", "en")
    assert res.returncode == 0, res.stderr
    _, texts = _texts(out)
    assert any(x.startswith("Xinjing Town low-carbon briefing") for x in texts)
    assert cli("brief", "--year", "2024", "--street", "火星", "--out", str(out)).returncode == 2
    assert cli("brief", "--year", "1990", "--out", str(out)).returncode == 1
    missing = cli("brief", "--year", "2024", "--out", str(tmp_path / "no" / "such" / "x.pptx"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "无法写入" in missing.stderr


def test_the_pdf_report_has_the_chinese_headlines_and_embedded_fonts(tmp_path):
    import subprocess

    from pypdf import PdfReader

    res = cli("brief", "--format", "pdf", "--year", "2024", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    (path,) = tmp_path.glob("*.pdf")
    assert path.name == f"双碳报告_全区_2024_{date.today():%Y%m%d}.pdf"
    reader = PdfReader(str(path))
    n_headline = len([i for i in reference.catalogue() if i["headline"]])
    # the summary, a page per indicator, what the fund bought, the commitments
    assert len(reader.pages) == n_headline + 3
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "2024年全区专项资金支持项目数63项" in text
    assert "2024年全区经费预算同比增长1.83%" in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    cjk = [line for line in fonts if "Noto-Sans-CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # embedded, by name


def test_the_same_data_gives_the_same_deck_text(tmp_path):
    import io

    texts = []
    for _ in range(2):
        prs = Presentation(io.BytesIO(deck.build_deck("xinjing", 2026, "Q3", "zh")))
        texts.append(
            [s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame]
        )
    assert texts[0] == texts[1] and any("新泾镇" in x for x in texts[0])


def test_the_deck_and_report_label_each_figure_not_the_slide():
    """The seed's official 63 projects carry no 示例; the illustrative target they are
    judged against is named on the headline and on the status, in the PPTX and the PDF."""
    import io

    from pypdf import PdfReader

    from indicators.exports import report

    prs = Presentation(io.BytesIO(deck.build_deck("district", 2024, "Y", "zh")))
    slide = next(
        s
        for s in prs.slides
        if any(sh.has_text_frame and sh.text_frame.text == "专项资金支持项目数" for sh in s.shapes)
    )
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    headline = next(x for x in texts if x.startswith("2024年全区"))
    assert headline.startswith("2024年全区专项资金支持项目数63项，")
    assert "（目标为示例）" in headline and "63项（示例）" not in headline
    assert any(x.startswith("✔ 绿") and "（按示例目标）" in x for x in texts)
    assert any("长发改〔2025〕17号" in x for x in texts)  # its source, beside it
    pdf = PdfReader(io.BytesIO(report.build_report("district", 2024, "Y", "zh")))
    text = "".join(p.extract_text() for p in pdf.pages).replace("\n", "")
    assert "专项资金支持项目数63项，同比增长" in text and "（按示例目标）" in text


def test_the_english_report_never_leaves_the_matrix_header_alone_on_a_page():
    import io

    from pypdf import PdfReader

    from indicators.exports import report
    from indicators.reference import i18n

    pdf = PdfReader(io.BytesIO(report.build_report("district", 2026, "Q3", "en", "all")))
    header = i18n.indicator_short("energy_per_gdp", "en")
    names = [i18n.scope_name(s, "en") for s in reference.view_scopes("all")]
    pages = [p.extract_text().replace("\n", " ") for p in pdf.pages]
    with_header = [p for p in pages if header in p]
    assert with_header
    for page in with_header:  # a page with the header has rows of the table too
        assert any(name in page for name in names), page[-300:]
