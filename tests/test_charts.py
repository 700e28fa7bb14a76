"""Charts readable in the 全部街镇 view: a colour per 街镇, 全区 on its own scale, Chinese
axes in 万, titles clear of the panels, units on the shortfall, whole commitments."""

import io
import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from indicators import reference
from indicators.domain import commitments as promises
from indicators.domain import queries
from indicators.exports import charts, takeaway
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import widgets
from tests.test_pages import figures, open_page


def _lab(colour: str) -> tuple[float, float, float]:
    """sRGB hex to CIELAB (D65)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(v):
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _history(codes: list[str], values: dict[str, float], unit: str = "tco2") -> pd.DataFrame:
    """Two years of a value per scope, in scopes.yaml's order."""
    order = {c: n for n, c in enumerate(s["code"] for s in reference.scopes())}
    return pd.DataFrame(
        [
            {
                "scope_code": c,
                "scope_order": order[c],
                "year": y,
                "value": values[c] * k,
                "unit": unit,
            }
            for c in codes
            for y, k in ((2024, 1.0), (2025, 1.1))
        ]
    )


# --- one palette, ten colours -------------------------------------------------------


def test_the_ten_streets_get_ten_colours_far_apart_and_apart_from_the_totals():
    leaves = reference.leaves()
    colours = charts.scope_colours([*leaves, "focus", "others", "district"])
    assert len({colours[c] for c in leaves}) == len(leaves) == 10
    shown = list(colours.values())
    assert len(set(shown)) == len(shown)  # the group, the others and 全区 differ too
    closest = min(math.dist(_lab(a), _lab(b)) for a, b in itertools.combinations(shown, 2))
    assert closest >= 25  # ΔE*ab: told apart at a glance, not only side by side


def test_a_street_keeps_its_colour_in_every_view():
    everyone = charts.scope_colours(reference.leaves())
    four = charts.scope_colours([*reference.focus_leaves(), "others"])
    assert all(four[c] == everyone[c] for c in reference.focus_leaves())
    assert four["others"] == charts.OTHERS_COLOUR


def test_the_share_bar_of_the_ten_streets_repeats_no_colour():
    leaves = reference.leaves()
    shares = pd.DataFrame(
        {"scope_code": leaves, "value": 1.0, "share_pct": [100 / len(leaves)] * len(leaves)}
    )
    fig = charts.share_chart(shares, "co2_total", "zh")
    colours = [bar.marker.color for bar in fig.data]
    assert len(set(colours)) == 10
    assert colours == [charts.scope_colours(leaves)[c] for c in leaves]
    assert all(bar.name.endswith("10.0%") for bar in fig.data)  # a thin part's share


def test_the_streets_page_in_the_all_view_colours_ten_streets_ten_ways():
    # energy use: every 街镇 reported it (the example leaves one CO₂ figure unreported, and
    # a share of a district total that is missing is no share)
    at = open_page("streets", year="2026", period="Q3", indicator="energy_total", group="all")
    share = next(f for f in figures(at) if f["layout"].get("barmode") == "stack")
    assert len({bar["marker"]["color"] for bar in share["data"]}) == 10


# --- 全区 on its own scale -------------------------------------------------------------


def test_small_multiples_put_the_district_on_its_own_scale_below_the_streets():
    codes = ["hongqiao", "beixinjing", "huayanglu", "district"]
    values = {"hongqiao": 400_000.0, "beixinjing": 150_000.0, "huayanglu": 250_000.0}
    fig = charts.small_multiples(
        _history(codes, values | {"district": 2_500_000.0}), "co2_total", "en"
    )
    axis_of = {tr.name: tr.yaxis for tr in fig.data}
    district = axis_of[i18n.scope_name("district", "en")]
    streets = [axis_of[i18n.scope_name(c, "en")] for c in codes[:3]]
    layout = fig.layout
    # The 街镇 share one scale: each matches the first's (y).
    assert streets[0] == "y" and all(layout[f"yaxis{a[1:]}"].matches == "y" for a in streets[1:])
    # 全区 matches none and no 街镇 matches it.
    district_axis = layout[f"yaxis{district[1:]}"]
    assert district_axis.matches is None
    assert all(layout[f"yaxis{a[1:]}"].matches != district for a in streets)
    # On a row of its own, below every 街镇, and its panel says so.
    assert district_axis.domain[1] < min(layout[f"yaxis{a[1:]}"].domain[0] for a in streets)
    names = [a.text for a in layout.annotations]
    assert t("chart.own_scale", "en", scope=i18n.scope_name("district", "en")) in names
    # Each 街镇's line in its own colour.
    lines = {tr.name: tr.line.color for tr in fig.data}
    expected = charts.scope_colours(codes)
    assert all(lines[i18n.scope_name(c, "en")] == expected[c] for c in codes)


def test_the_focus_view_puts_the_group_and_the_district_on_their_own_scales():
    codes = [*reference.focus_leaves(), "focus", "district"]
    values = {c: 100_000.0 * (n + 1) for n, c in enumerate(codes)}
    fig = charts.small_multiples(_history(codes, values), "co2_total", "zh")
    axis_of = {tr.name: tr.yaxis for tr in fig.data}
    totals = [axis_of[i18n.scope_name(c, "zh")] for c in ("focus", "district")]
    assert all(fig.layout[f"yaxis{a[1:]}"].matches is None for a in totals)
    assert len(set(totals)) == 2


def test_the_trends_panels_share_no_axis_with_the_district():
    at = open_page("trends", year="2026", period="Q3", indicator="co2_total", group="all")
    (fig,) = figures(at)
    layout = fig["layout"]
    drawn = {f"yaxis{tr.get('yaxis', 'y')[1:]}" for tr in fig["data"]}
    assert len(drawn) == 11  # ten 街镇 and 全区, each on its own scale
    assert not [k for k in layout if k.startswith("yaxis") and layout[k].get("matches")]


# --- Chinese axes in 万 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [
        (120_000, 20_000, "12万"),
        (125_000, 25_000, "12.5万"),
        (1.2e8, 2e7, "1.2亿"),
        (3e8, 1e8, "3亿"),
        (0, 1e5, "0"),
        (-50_000, 50_000, "-5万"),
        (5_000, 1_000, "5,000"),
    ],
)
def test_a_tick_reads_in_wan_and_yi(value, step, text):
    assert charts.wan_text(value, step) == text


def test_ticks_are_round_and_cover_the_values():
    assert charts.nice_ticks(0, 455_146.8) == [0, 100_000, 200_000, 300_000, 400_000, 500_000]
    ticks = charts.nice_ticks(2_650_000, 2_950_000, steps=4)
    assert ticks[0] <= 2_650_000 and ticks[-1] >= 2_950_000
    assert len({round(b - a, 6) for a, b in itertools.pairwise(ticks)}) == 1


def test_chinese_value_axes_read_in_wan_and_english_ones_keep_k():
    codes = ["hongqiao", "beixinjing", "district"]
    frame = _history(codes, {"hongqiao": 455_000.0, "beixinjing": 128_000.0, "district": 2.1e6})
    zh = charts.small_multiples(frame, "co2_total", "zh")
    axes = [zh.layout[f"yaxis{tr.yaxis[1:]}"] for tr in zh.data]
    assert all(a.tickmode == "array" and a.exponentformat == "none" for a in axes)
    labels = [text for a in axes for text in a.ticktext]
    assert all(text == "0" or text.endswith("万") for text in labels)
    assert "200万" in labels  # 全区's own scale, in 万 too
    # The 街镇 axes share one set of ticks that reach the largest 街镇 (500,500), not 全区.
    assert zh.layout.yaxis.ticktext == zh.layout.yaxis2.ticktext
    assert 500_500 <= max(zh.layout.yaxis.tickvals) < 1_000_000
    en = charts.small_multiples(frame, "co2_total", "en")
    assert all(en.layout[k].tickmode is None for k in en.layout if k.startswith("yaxis"))


def test_chinese_axes_below_wan_have_separators_not_k():
    frame = _history(["hongqiao"], {"hongqiao": 5_000.0}, unit="kw")
    fig = charts.small_multiples(frame, "pv_capacity", "zh")
    assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands
    assert fig.layout.yaxis.tickmode is None  # plotly's own ticks, as 5,000


def test_every_chart_on_the_streets_and_trends_pages_reads_in_wan():
    pages = [
        ("streets", {"indicator": "co2_total"}),
        ("trends", {"indicator": "co2_total"}),
    ]
    for page, params in pages:
        at = open_page(page, year="2026", period="Q3", group="all", **params)
        for fig in figures(at):
            layout = fig["layout"]
            shown = [
                layout[k]
                for k in layout
                if k.startswith(("xaxis", "yaxis")) and layout[k].get("showticklabels") is not False
            ]
            value_axes = [a for a in shown if a.get("ticktext")]
            assert not [a for a in shown if a.get("exponentformat") not in (None, "none")]
            for axis in value_axes:
                assert all(x == "0" or x.endswith("万") for x in axis["ticktext"]), (page, axis)
        assert any(
            a.get("ticktext") for f in figures(at) for k, a in f["layout"].items() if "axis" in k
        )


# --- the English trends title clears the first panel ---------------------------------


def _ink_rows(a: bytes, b: bytes) -> np.ndarray:
    """Rows of pixels where two renderings differ."""
    one = np.asarray(Image.open(io.BytesIO(a)).convert("L"), dtype=int)
    two = np.asarray(Image.open(io.BytesIO(b)).convert("L"), dtype=int)
    return np.where((np.abs(one - two) > 40).any(axis=1))[0]


def test_the_english_trends_title_clears_the_first_row_of_panels():
    at = open_page("trends", year="2026", period="Q3", group="all", lang="en")
    fig = charts.go.Figure(figures(at)[0])
    title = fig.layout.title
    lines = title.text.count("<br>") + 1
    assert lines == 2  # the case that overlapped: a title wrapped onto two lines
    assert fig.layout.margin.t >= (
        charts.TITLE_PAD + charts.TITLE_LINE * lines + charts.PANEL_TITLE
    )
    # As drawn: the title's ink starts below the figure's edge and ends above the panels'
    # names (each found as what changes when it is taken away).
    full = takeaway.figure_image(fig)
    no_title = charts.go.Figure(fig).update_layout(title_text="")
    no_names = charts.go.Figure(fig).update_annotations(text="")
    title_rows = _ink_rows(full, takeaway.figure_image(no_title))
    name_rows = _ink_rows(full, takeaway.figure_image(no_names))
    assert title_rows.min() > 0
    assert title_rows.max() < name_rows.min()


# --- the shortfall has a unit ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [
        (1.4, "pct", "zh", "1.40 个百分点"),
        (1.4, "pct", "en", "1.40 percentage points"),
        (12_345.6, "tco2", "zh", "12,345.6 吨二氧化碳"),
        (250.0, "kw", "en", "250 kW"),
        (0.0, "tce", "zh", "无缺口"),
        (None, "tce", "en", "—"),
    ],
)
def test_the_shortfall_says_its_unit(value, unit, lang, text):
    assert widgets.shortfall_text(value, unit, lang) == text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_trends_table_gives_every_shortfall_its_unit(lang):
    at = open_page(
        "trends",
        year="2026",
        period="Q3",
        indicator="energy_per_gdp_change",
        group="all",
        lang=lang,
    )
    column = list(at.dataframe[0].value[t("col.shortfall", lang)])
    words = {t("trends.no_shortfall", lang), t("common.none", lang)}
    gaps = [v for v in column if v not in words]
    # A rate falls short in percentage points, and only some 街镇 fall short.
    points = t("trends.shortfall_pp", lang, value="")
    assert gaps and all(v.endswith(points) for v in gaps)
    assert t("trends.no_shortfall", lang) in column
    # and every 街镇's name whole (仙霞新村街道 was cut at the width of the shorter ones)
    scope = t("col.scope", lang)
    width = json.loads(at.dataframe[0].proto.columns)[scope]["width"]
    names = at.dataframe[0].value[scope]
    assert all(widgets.cell_lines(n, width) == 1 for n in names)


def test_the_status_matrix_shows_every_streets_name_whole():
    at = open_page("overview", year="2026", period="Q3", group="all")
    matrix = next(d for d in at.dataframe if "仙霞新村街道" in list(d.value.index))
    width = json.loads(matrix.proto.columns)["_index"]["width"]
    assert all(widgets.cell_lines(name, width) == 1 for name in matrix.value.index)


# --- whole commitments ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("中" * 10, 156, 1),  # 10 × 14 px in 140 px of room
        ("中" * 11, 156, 2),
        ("word " * 4, 149, 1),  # four words of 4 letters, 7 px each, and spaces: 133
        ("word " * 5, 149, 2),
        ("x" * 50, 86, 5),  # one long word breaks anywhere: 350 px in 70
    ],
)
def test_cell_lines_count_the_wrapped_lines(text, width, lines):
    assert widgets.cell_lines(text, width) == lines


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_commitments_table_shows_whole_promises_and_statuses(lang):
    at = open_page("commitments", lang=lang)
    table = at.dataframe[0]
    frame = table.value
    names = list(frame.columns)
    promise, status = t("commitments.col_promise", lang), t("commitments.status", lang)
    assert names.index(status) == names.index(promise) + 1  # read together, no scrolling
    config = json.loads(table.proto.columns)
    widths = {name: config[name]["width"] for name in (promise, status)}
    assert widths[promise] >= 400 and widths[status] >= 160
    # Rows tall enough for the longest promise and status, wrapped (the grid wraps only
    # in rows taller than 4rem).
    needed = max(
        widgets.cell_lines(v, widths[name]) for name in (promise, status) for v in frame[name]
    )
    assert needed >= 2  # the case that was cut
    assert table.proto.row_height >= needed * widgets.CELL_LINE_PX
    assert table.proto.row_height > 64
    # Every promise whole, as the reply says it.
    data = queries.commitments(pd.Timestamp.today().date())
    expected = {promises.promise_text(r, lang) for r in data.to_dict("records")}
    assert set(frame[promise]) == expected
