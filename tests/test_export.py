"""What leaves the app: tables as CSV and XLSX that Excel opens safely, charts as whole images."""

import io

import openpyxl
import pandas as pd
import pytest

from indicators import formulas
from indicators.exports import takeaway

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
    data = takeaway.table_csv(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    # Every formula is quoted; a plain number such as "-2" is read as a number, so it stays.
    assert [v for v in back["街镇"] if str(v).startswith(formulas.FORMULA_STARTS)] == ["-2"]
    assert back["街镇"][1] == '\'=HYPERLINK("http://x")'
    assert list(back["数值"]) == [63, -5.5, 1.83, 0, 1e6, -1, 2]  # negatives stay numbers
    assert back["街镇"][0] == "虹桥街道"


def test_xlsx_opens_with_no_formula_cells():
    book = openpyxl.load_workbook(io.BytesIO(takeaway.table_xlsx(FRAME, "指标")))
    sheet = book["指标"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert [c.value for c in sheet["B"]][1:] == [63, -5.5, 1.83, 0, 1e6, -1, 2]
    assert sheet["A3"].value == '\'=HYPERLINK("http://x")'


def test_any_chart_exports_as_png_and_svg_with_chinese():
    from indicators.domain import queries
    from indicators.exports import charts

    frame = queries.indicator_frame("funded_projects", None, 2024, "Y")
    rows = frame[frame["scope_code"].isin(["hongqiao", "xinjing"])]
    fig = charts.ranked_bars(rows, "funded_projects", "zh")
    assert takeaway.figure_image(fig, "png").startswith(b"\x89PNG")
    svg = takeaway.figure_image(fig, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "虹桥街道" in svg


# Pages and filters that together draw every kind of chart the app offers as an image.
CHART_PAGES = [
    ("overview", {"year": "2026", "period": "Q3"}),
    ("streets", {"indicator": "energy_total", "group": "all", "year": "2024", "period": "Y"}),
    ("trends", {"indicator": "funded_projects", "scope": "hongqiao"}),
    ("projects", {"year": "2024"}),
    ("map", {"indicator": "pv_new", "group": "all"}),
    ("briefing", {"year": "2024", "period": "Y"}),
    ("barometer", {"year": "2026", "group": "all"}),
]


def _ink_at_edges(png: bytes, strip: int = 3) -> dict[str, int]:
    """How many non-background pixels lie in the outermost `strip` pixels of each edge:
    a label cut by the image's edge leaves ink there."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    boxes = {
        "left": (0, 0, strip, h),
        "right": (w - strip, 0, w, h),
        "top": (0, 0, w, strip),
        "bottom": (0, h - strip, w, h),
    }
    return {side: sum(image.crop(box).histogram()[:235]) for side, box in boxes.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_kind_exports_whole_through_the_apps_own_path(monkeypatch, lang):
    """Drawn by the pages under AppTest, in a process where Streamlit has made its plotly
    template the default (as in the app), and exported by the function behind the app's
    PNG button: nothing of any label lies on the image's edge."""
    from indicators.views import widgets
    from tests.test_pages import open_page

    drawn = []
    real_chart = widgets.chart

    def recording(figure, key, lang, **kwargs):
        drawn.append((key, figure))
        return real_chart(figure, key, lang, **kwargs)

    monkeypatch.setattr(widgets, "chart", recording)
    for page, params in CHART_PAGES:
        open_page(page, lang=lang, **params)
    import plotly.io as pio

    assert pio.templates.default == "streamlit"  # the app's process, not a bare one
    kinds = {key for key, _ in drawn}
    assert {"ranked", "share", "multiples", "trend", "by_scope", "map"} <= kinds, kinds
    assert "overview_attainment" in kinds and "slide_chart" in kinds and "plan_paths" in kinds
    for key, figure in drawn:
        png = takeaway.figure_image(figure, "png")
        assert _ink_at_edges(png) == dict.fromkeys(("left", "right", "top", "bottom"), 0), key


def test_long_titles_break_before_their_last_part_and_file_names_are_safe():
    from indicators.domain import briefing
    from indicators.exports import charts
    from indicators.reference import i18n

    long = "Reduction in energy per unit of GDP: subdistricts/towns ranked (higher is better)"
    assert charts._wrap_title(long) == long.replace(" (higher", "<br>(higher")
    note = "单位GDP能耗下降率：各街镇历年走势、年度目标与按当前进度测算的年末预测（%）<br>注"
    first, rest = charts._wrap_title(note).split("<br>", 1)
    # not before the unit alone, which would sit on a line of its own: after the colon
    assert first == "单位GDP能耗下降率：" and rest == note.split("：", 1)[1]  # the note under it
    multiples = "Energy per unit of GDP: each subdistrict/town over the years (full year) (%)"
    assert charts._wrap_title(multiples) == multiples.replace(" (full", "<br>(full")  # not (%)
    no_mark = "Energy per unit of GDP for each subdistrict and town over all the years (%)"
    assert charts._wrap_title(no_mark) == no_mark.replace(" the years", "<br>the years")
    short = "光伏新增：各街镇排名（越高越好）"
    assert charts._wrap_title(short) == short
    assert i18n.file_part('a: b/c\\\\d *?"<>| e') == "a_b_c_d_e"
    name = briefing.file_name("deck", "district", 2024, "en")
    assert " " not in name and name.startswith("lowcarbon_brief_Changning_District_2024_")


def test_quoting_keeps_each_column_type_and_the_intake_takes_the_quote_off_again():
    import numpy as np

    frame = pd.DataFrame(
        {
            "佐证": np.array([np.nan, np.nan], dtype=object),  # no text yet in the column
            "说明": pd.array([None, "=1+A1"], dtype="string"),
            "数值": [-3.2, 1.0],
        }
    )
    out = formulas.neutralise(frame)
    assert out.dtypes.tolist() == frame.dtypes.tolist()  # never turned into numbers
    assert out["说明"].tolist() == [pd.NA, "'=1+A1"] and out["数值"].tolist() == [-3.2, 1.0]
    for value in [*FRAME["街镇"], "'plain", "-3.2", "'-3.2", "=", "'"]:
        assert formulas.unquote(formulas.harmless(value)) == value
    assert formulas.unquote("'=已引") == "=已引"  # Excel's quoting mark: never stored
    assert formulas.unquote("'plain") == "'plain" and formulas.unquote("'-3.2") == "'-3.2"
