"""Write data/boundaries_schematic.geojson: SCHEMATIC 街镇 shapes, not official boundaries.

Drawn from public facts only, west to east: 新泾镇 takes the north-west (north of the
airport, along Suzhou Creek), 北新泾街道 a small area on the creek east of it, 程家桥街道 the
south-west beside Hongqiao airport, 虹桥街道 east of 程家桥 around Hongqiao Road; then
周家桥街道 on the creek's southern bank, 仙霞新村街道 and 天山路街道 in the middle, 华阳路街道
by Zhongshan Park in the north-east, 新华路街道 in the south-east and 江苏路街道 at the
eastern end. Shapes are built by cutting one district outline in that order, so
neighbours share their edges exactly and nothing leaves the outline.
Run: python tools/make_schematic_boundaries.py
"""

import json
from pathlib import Path

import yaml
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "boundaries_schematic.geojson"
SCOPES = ROOT / "indicators" / "reference" / "scopes.yaml"

# A simplified district outline (lon, lat), clockwise from the north-west.
DISTRICT = Polygon(
    [
        (121.332, 31.236),
        (121.372, 31.238),
        (121.395, 31.233),
        (121.420, 31.228),
        (121.446, 31.226),
        (121.447, 31.205),
        (121.432, 31.196),
        (121.418, 31.192),  # where the 虹桥 cut meets the outline: no sliver
        (121.380, 31.188),
        (121.345, 31.190),
        (121.330, 31.200),
    ]
)
# Each box takes what is left of the outline inside it; the last 街镇 takes the rest.
CUTS = {
    "beixinjing": box(121.375, 31.208, 121.395, 31.240),
    "xinjing": box(121.320, 31.208, 121.375, 31.240),
    "chengjiaqiao": box(121.320, 31.180, 121.392, 31.208),
    "hongqiao": box(121.392, 31.180, 121.418, 31.205),
    "zhoujiaqiao": box(121.395, 31.222, 121.420, 31.245),
    "xianxiaxincun": box(121.392, 31.205, 121.407, 31.222),
    "tianshanlu": box(121.407, 31.205, 121.420, 31.222),
    "huayanglu": box(121.420, 31.214, 121.450, 31.245),
    "xinhualu": box(121.418, 31.180, 121.433, 31.214),
}
LAST = "jiangsulu"


def build() -> dict:
    parts = {}
    taken = None
    for code, cut in CUTS.items():
        shape = DISTRICT.intersection(cut)
        if taken is not None:
            shape = shape.difference(taken)
        parts[code] = shape
        taken = shape if taken is None else unary_union([taken, shape])
    rest = DISTRICT.difference(taken)
    # Cutting a slanted outline leaves zero-area slivers from rounding; they are not land.
    kept = [p for p in getattr(rest, "geoms", [rest]) if p.area > 1e-12]
    parts[LAST] = kept[0] if len(kept) == 1 else MultiPolygon(kept)
    parts["district"] = DISTRICT
    # Zero-width spikes left where a cut meets an outline vertex are not land either, and
    # turn into self-intersections once reprojected: dropping collinear vertices removes
    # them without moving any edge.
    parts = {code: shape.simplify(1e-9) for code, shape in parts.items()}
    names = {s["code"]: s for s in yaml.safe_load(SCOPES.read_text(encoding="utf-8"))["scopes"]}
    features = [
        {
            "type": "Feature",
            "properties": {
                "scope_code": code,
                "name_zh": names[code]["name_zh"],
                "name_en": names[code]["name_en"],
                "schematic": True,
                "source": "示意图，依公开方位描述绘制，非官方边界 / schematic, not official",
            },
            "geometry": mapping(shape),
        }
        for code, shape in parts.items()
    ]
    return {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1), encoding="utf-8")
    print(OUT)
