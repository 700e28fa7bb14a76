"""The 街镇 map: schematic boundaries that tile the district, checked loading, the page."""

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators import reference
from indicators.domain import geo, queries
from indicators.reference import i18n
from tests.conftest import ROOT


def test_schematic_boundaries_are_valid_share_edges_and_stay_inside():
    frame = geo.schematic()
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()
    assert sorted(frame["scope_code"]) == sorted([*reference.leaves(), "district"])
    assert len(reference.leaves()) == 10 and frame.geometry.geom_type.eq("Polygon").all()
    gap, overlap, outside = geo.tiling_errors(frame)
    assert gap < 1e-12 and overlap < 1e-12 and outside == []  # no gaps, no overlaps


def test_tiling_errors_catch_a_gap_an_overlap_and_a_stray():
    frame = geo.schematic().copy()
    hq = frame["scope_code"] == "hongqiao"
    frame.loc[hq, "geometry"] = frame.loc[hq, "geometry"].buffer(0.002)  # grows over others
    gap, overlap, outside = geo.tiling_errors(frame)
    assert overlap > 0 and "hongqiao" in outside
    shrunk = geo.schematic().copy()
    shrunk.loc[hq, "geometry"] = shrunk.loc[hq, "geometry"].buffer(-0.002)
    assert geo.tiling_errors(shrunk)[0] > 0


def test_every_feature_is_labelled_schematic_in_the_file():
    data = json.loads(geo.SCHEMATIC.read_text(encoding="utf-8"))
    for feature in data["features"]:
        props = feature["properties"]
        assert props["schematic"] is True
        assert "非官方" in props["source"]
        # names beside the code, so the file reads well in QGIS
        scope = reference.scope(props["scope_code"])
        assert (props["name_zh"], props["name_en"]) == (scope["name_zh"], scope["name_en"])


@pytest.mark.parametrize(
    ("props", "code"),
    [
        ({"name": "虹桥街道"}, "hongqiao"),
        ({"NAME": "Xinjing Town"}, "xinjing"),
        ({"名称": "北新泾"}, "beixinjing"),
        ({"code": "chengjiaqiao"}, "chengjiaqiao"),
        ({"name": "长宁区"}, "district"),
        ({"name": "火星"}, None),
        ({}, None),
    ],
)
def test_features_match_scopes_by_name_or_code(props, code):
    assert geo.match_scope(props) == code


def test_the_loader_rejects_broken_files_with_a_reason(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json at all", encoding="utf-8")
    frame, problems = geo.read_boundaries(bad)
    assert frame is None and [p.key for p in problems] == ["unreadable"]
    unknown = tmp_path / "unknown.geojson"
    unknown.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "火星"},
                        "geometry": {"type": "Point", "coordinates": [121.4, 31.2]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    frame, problems = geo.read_boundaries(unknown)
    assert frame is None and problems[0].key == "unmatched" and problems[0].value == "1"
    bowtie = tmp_path / "bowtie.geojson"
    bowtie.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "虹桥"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    frame, problems = geo.read_boundaries(bowtie)
    assert frame is None and problems[0].key == "invalid_geometry"


def _map_trace(at):
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    return next(t for t in fig["data"] if t.get("name") == "scopes")


@pytest.mark.parametrize("indicator", [i["id"] for i in reference.catalogue()])
def test_the_map_page_holds_each_streets_known_value(indicator):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"year": "2024", "period": "Y", "indicator": indicator, "group": "all"})
    at.run()
    at.switch_page("pages/map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    trace = _map_trace(at)
    assert sorted(trace["customdata"]) == sorted(reference.leaves())  # all ten
    frame = queries.indicator_frame(indicator, None, 2024, "Y")
    frame = frame[frame["breakdown"] == ""].set_index("scope_code")
    for code, text in zip(trace["customdata"], trace["text"], strict=True):
        assert reference.scope(code)["short_zh"] in text
        if code in frame.index and frame.loc[code, "value"] == frame.loc[code, "value"]:
            from indicators.reference import i18n

            assert i18n.number(frame.loc[code, "value"], frame.loc[code, "unit"], "zh") in text
        else:
            assert "未报送" in text


def test_status_view_and_english():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "indicator": "pv_new"})
    at.run()
    at.switch_page("pages/map.py").run()
    at.segmented_control(key="map_mode").set_value("status").run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    legend = [
        t["name"] for t in fig["data"] if t.get("name", "").startswith(("✔", "✖", "▲", "◆", "○"))
    ]
    assert "✔ Green · on track" in legend
    assert "schematic" in fig["layout"]["title"]["text"]


def test_the_map_exports_as_a_png_for_the_deck():
    import io

    from PIL import Image

    from indicators.exports import charts, takeaway

    shapes = geo.schematic()
    parts = shapes[shapes["scope_code"] != "district"]
    frame = queries.indicator_frame("pv_new", None, 2025, "Y")
    fig = charts.street_map(parts, geo.label_points(parts), frame, "pv_new", "status", "zh")
    png = takeaway.figure_image(fig)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.size == takeaway.export_size(fig)
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 50  # drawn, not blank


def _official_files(tmp_path):
    """The schematic shapes re-saved as an editor might receive official ones: a GeoJSON
    with Chinese names, a GeoPackage in a projected CRS, and a zipped Shapefile."""
    import zipfile

    frame = geo.schematic().copy()
    frame["name"] = [reference.scope(c)["name_zh"] for c in frame["scope_code"]]
    frame = frame.drop(columns="scope_code")
    gj = tmp_path / "official.geojson"
    frame.to_file(gj, driver="GeoJSON")
    gpkg = tmp_path / "official.gpkg"
    frame.to_crs(32651).to_file(gpkg, driver="GPKG")
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "streets.shp")
    zipped = tmp_path / "official.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for part in shp_dir.iterdir():
            zf.write(part, part.name)
    return gj, gpkg, zipped


def test_official_boundaries_load_in_three_formats_and_replace_the_schematic(work_db, tmp_path):
    from tests.test_load import cli

    for path in _official_files(tmp_path):
        frame, problems = geo.read_boundaries(path)
        assert problems == [], path
        assert frame.crs.to_epsg() == 4326
        assert set(frame["scope_code"]) >= {"hongqiao", "xinjing", "district"}
        gap, overlap, outside = geo.tiling_errors(frame)
        assert gap < 1e-9 and overlap < 1e-9 and outside == []
    res = cli("boundaries", str(tmp_path / "official.gpkg"), "--source", "区规划资源局 2026")
    assert res.returncode == 0, res.stderr
    shapes, schematic = queries.boundaries()
    assert not schematic and len(shapes) == len(reference.leaves()) + 1
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/map.py").run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "示意" not in fig["layout"]["title"]["text"]
    bad = tmp_path / "bad.geojson"
    bad.write_text("{}", encoding="utf-8")
    res = cli("boundaries", str(bad), "--source", "x")
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_the_hover_holds_value_target_status_and_data_status():
    from indicators.exports import charts

    shapes = geo.schematic()
    parts = shapes[shapes["scope_code"] != "district"]
    frame = queries.indicator_frame("pv_new", None, 2026, "Q3")
    frame = frame[frame["breakdown"] == ""]
    fig = charts.street_map(parts, geo.label_points(parts), frame, "pv_new", "value", "zh")
    trace = next(t for t in fig.data if t.name == "scopes")
    hover = dict(zip(trace.customdata, trace.hovertext, strict=True))["hongqiao"]
    row = frame.set_index("scope_code").loc["hongqiao"]
    assert "年度目标" in hover and "初步数" in hover
    assert charts.rag_text(row["rag_status"], "zh") in hover


@pytest.mark.parametrize("view", ["focus", "all"])
def test_the_map_colours_the_view_and_outlines_the_focus_four(view):
    from indicators.exports import charts

    shapes = geo.schematic()
    parts = shapes[shapes["scope_code"] != "district"]
    frame = queries.indicator_frame("pv_new", None, 2025, "Y")
    frame = frame[frame["breakdown"] == ""]
    fig = charts.street_map(
        parts, geo.label_points(parts), frame, "pv_new", "status", "zh", view=view
    )
    clickable = next(t for t in fig.data if t.name == "scopes")
    shown = reference.focus_leaves() if view == "focus" else reference.leaves()
    assert sorted(clickable.customdata) == sorted(shown)
    fills = [t.fillcolor for t in fig.data if t.fill == "toself"]
    assert len(fills) == 10
    assert fills.count(charts.CONTEXT_FILL) == (6 if view == "focus" else 0)
    outlines = [t for t in fig.data if t.name == "focus_outline"]
    assert len(outlines) == 4 and all(t.line.color == charts.FOCUS_OUTLINE for t in outlines)


def _map(mode, indicator="pv_new", lang="zh", highlight=None, year=2026, period="Q3"):
    from indicators.exports import charts

    shapes = geo.schematic()
    parts = shapes[shapes["scope_code"] != "district"]
    frame = queries.indicator_frame(indicator, None, year, period)
    frame = frame[frame["breakdown"] == ""]
    fig = charts.street_map(
        parts, geo.label_points(parts), frame, indicator, mode, lang, highlight=highlight
    )
    return parts, frame.set_index("scope_code"), fig


@pytest.mark.parametrize("indicator", ["pv_new", "energy_per_gdp"])
def test_in_value_mode_the_legend_is_the_fill_and_darker_is_better(indicator):
    import plotly.colors

    from indicators.exports import charts

    parts, frame, fig = _map("value", indicator)
    bar = next(t for t in fig.data if t.marker.colorscale)
    scale = [list(step) for step in bar.marker.colorscale]
    assert scale == [list(step) for step in charts.VALUE_SCALE]  # the fill's own scale
    fills = dict(
        zip(parts["scope_code"], [t.fillcolor for t in fig.data if t.fill == "toself"], strict=True)
    )
    values = frame.loc[list(parts["scope_code"]), "value"]
    best = (
        values.idxmax()
        if reference.indicator(indicator)["direction"] == "higher"
        else values.idxmin()
    )
    worst = values.idxmin() if best == values.idxmax() else values.idxmax()
    top = plotly.colors.sample_colorscale(charts.VALUE_SCALE, 1.0)[0]
    bottom = plotly.colors.sample_colorscale(charts.VALUE_SCALE, 0.0)[0]
    assert fills[best] == top and fills[worst] == bottom  # the best is the darkest, on top
    # The tick at the top of the bar reads the best value.
    top_tick = bar.marker.colorbar.ticktext[
        list(bar.marker.colorbar.tickvals).index(bar.marker.cmax)
    ]
    assert top_tick == i18n.number(values[best], frame.loc[best, "unit"], "zh")
    assert str(frame.loc[best, "unit"]) and "越深越好" in bar.marker.colorbar.title.text
    assert not {c for c in fills.values()} & set(charts.RAG_COLOURS.values())  # no status colours


def test_in_status_mode_the_legend_lists_only_the_statuses_shown():
    from indicators.exports import charts

    _, frame, fig = _map("status", year=2025, period="Y")
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    shown = set(frame.loc[list(reference.leaves()), "rag_status"])
    assert legend == [charts.rag_text(s, "zh") for s in charts.RAG_ORDER if s in shown]


def test_a_click_anywhere_inside_a_street_chooses_it_and_the_chosen_one_stands_out():
    import shapely

    parts, _, fig = _map("value", highlight="chengjiaqiao")
    area = next(t for t in fig.data if t.name == "click_area")
    shapes = dict(zip(parts["scope_code"], parts.geometry, strict=True))
    for x, y, code in zip(area.x, area.y, area.customdata, strict=True):
        assert shapely.contains_xy(shapes[code], x, y)
    # Every 街镇 is covered, in proportion to its size (the smallest by at least a dozen).
    counts = pd.Series(list(area.customdata)).value_counts()
    assert set(counts.index) == set(shapes) and counts.min() >= 12
    chosen = [t for t in fig.data if t.name == "chosen"]
    assert chosen and {t.line.color for t in chosen} == {"#000000", "#ffffff"}


def test_english_labels_fit_their_street_or_move_out_with_a_leader_line():
    from shapely.geometry import box

    from indicators.exports import charts

    parts, _, fig = _map("value", lang="en")
    labels = next(t for t in fig.data if t.name == "scopes")
    leaders = [t for t in fig.data if t.name == "leader"]
    shapes = dict(zip(parts["scope_code"], parts.geometry, strict=True))
    per_px_x = charts._degrees_per_px(parts)
    moved = 0
    for code, x, y, position, text in zip(
        labels.customdata, labels.x, labels.y, labels.textposition, labels.text, strict=True
    ):
        name = text.split("<br>")[0].replace("<b>", "").replace("</b>", "")
        if position == "middle center":
            w = charts._text_px(name) / 2 * per_px_x
            h = charts.LABEL_LINE_PX * per_px_x / 1.17
            assert shapes[code].contains(box(x - w, y - h, x + w, y + h)), code
        else:
            moved += 1
            assert x > parts.total_bounds[2]  # right of the district
            assert any(t.x[1] == x and t.y[1] == y for t in leaders), code
    assert moved == len(leaders) and moved >= 1  # Tianshan Rd does not fit in its shape
