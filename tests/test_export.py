"""Tables leave as CSV and XLSX that Excel opens safely."""

import io

import openpyxl
import pandas as pd

from indicators import export, formulas

FRAME = pd.DataFrame(
    {
        "街镇": [
            "虹桥街道",
            '=HYPERLINK("http://x")',
            "+1+cmd|' /C calc'!A0",
            "-2",
            "@SUM(A1)",
            "\tx",
            "ok",
        ],
        "数值": [63, -5.5, 1.83, 0, 1e6, -1, 2],
        "来源": ["长发改〔2025〕17号", "示例数据", "", None, "a", "b", "c"],
    }
)


def test_csv_has_a_bom_and_no_live_formula_and_keeps_numbers():
    data = export.table_csv(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    # Every formula is quoted; a plain number such as "-2" is read as a number, so it stays.
    assert [v for v in back["街镇"] if str(v).startswith(formulas.FORMULA_STARTS)] == ["-2"]
    assert back["街镇"][1] == '\'=HYPERLINK("http://x")'
    assert list(back["数值"]) == [63, -5.5, 1.83, 0, 1e6, -1, 2]  # negatives stay numbers
    assert back["街镇"][0] == "虹桥街道"


def test_xlsx_opens_with_no_formula_cells():
    book = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(FRAME, "指标")))
    sheet = book["指标"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert [c.value for c in sheet["B"]][1:] == [63, -5.5, 1.83, 0, 1e6, -1, 2]
    assert sheet["A3"].value == '\'=HYPERLINK("http://x")'


def test_any_chart_exports_as_png_and_svg_with_chinese():
    from indicators import charts, queries

    frame = queries.indicator_frame("funded_projects", None, 2024, "Y")
    rows = frame[frame["scope_code"].isin(["hongqiao", "xinjing"])]
    fig = charts.ranked_bars(rows, "funded_projects", "zh")
    assert export.figure_image(fig, "png", 600, 400).startswith(b"\x89PNG")
    svg = export.figure_image(fig, "svg", 600, 400).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "虹桥街道" in svg
