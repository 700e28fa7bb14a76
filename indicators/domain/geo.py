"""街镇 boundaries: the schematic file in data/, read and checked with geopandas.

Pure functions; no Streamlit, no database. The schematic shapes are drawn from public
descriptions of where each 街镇 lies (tools/make_schematic_boundaries.py) and are labelled
示意 / schematic wherever they are shown; they are never official.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from indicators import reference

SCHEMATIC = Path(__file__).resolve().parents[2] / "data" / "boundaries_schematic.geojson"
WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class BoundaryProblem:
    key: str  # message key under geo.*
    value: str = ""


def match_scope(properties: dict) -> str | None:
    """The scope a feature is, by its code or any name or alias in its properties."""
    for column in reference.intake_declaration()["boundary_name_columns"]:
        value = properties.get(column)
        if value:
            code = reference.resolve_scope(str(value))
            if code:
                return code
    return None


def read_boundaries(path: Path) -> tuple[gpd.GeoDataFrame | None, list[BoundaryProblem]]:
    """Read a boundary file (GeoJSON, zipped Shapefile, GeoPackage), check it and return it
    in WGS 84 with a scope_code per feature; or the problems that stop it."""
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises many kinds for unreadable files
        return None, [BoundaryProblem("unreadable", type(exc).__name__)]
    problems = []
    if frame.crs is None:
        problems.append(BoundaryProblem("no_crs"))
    invalid = frame[~frame.geometry.is_valid | frame.geometry.is_empty]
    problems += [BoundaryProblem("invalid_geometry", str(i + 1)) for i in invalid.index]
    codes = [
        match_scope({k: v for k, v in row.items() if k != "geometry"})
        for row in frame.to_dict("records")
    ]
    unmatched = [str(i + 1) for i, c in enumerate(codes) if c is None]
    if unmatched:
        problems.append(BoundaryProblem("unmatched", ", ".join(unmatched)))
    if problems:
        return None, problems
    frame = frame.to_crs(WGS84)
    frame["scope_code"] = codes
    return frame[["scope_code", "geometry"]], []


@cache
def schematic() -> gpd.GeoDataFrame:
    frame, problems = read_boundaries(SCHEMATIC)
    if problems:
        raise ValueError(problems)
    return frame


def tiling_errors(frame: gpd.GeoDataFrame) -> tuple[float, float, list[str]]:
    """How well the 街镇 tile the district: (gap area, overlap area, codes outside it),
    in the frame's units. All three are zero for a perfect tiling."""
    district = frame.loc[frame["scope_code"] == "district", "geometry"].iloc[0]
    parts = frame[frame["scope_code"] != "district"]
    union = unary_union(list(parts.geometry))
    geoms = list(parts.geometry)
    overlap = sum(a.intersection(b).area for i, a in enumerate(geoms) for b in geoms[i + 1 :])
    outside = [
        c
        for c, g in zip(parts["scope_code"], geoms, strict=True)
        if g.difference(district).area > 1e-12
    ]
    return district.symmetric_difference(union).area, overlap, outside


def label_points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A point inside each shape, for its label and its click target."""
    out = frame.copy()
    out["geometry"] = frame.geometry.representative_point()
    return out


def click_grid(frame: gpd.GeoDataFrame, columns: int = 70) -> pd.DataFrame:
    """Points on a regular grid inside each shape (x, y, scope_code): invisible click and
    hover targets, so a click anywhere in a 街镇 chooses it, not only on its label."""
    import numpy as np
    import shapely

    minx, miny, maxx, maxy = frame.total_bounds
    step = (maxx - minx) / columns
    xs, ys = np.meshgrid(
        np.arange(minx + step / 2, maxx, step), np.arange(miny + step / 2, maxy, step)
    )
    xs, ys = xs.ravel(), ys.ravel()
    parts = []
    for code, geometry in zip(frame["scope_code"], frame.geometry, strict=True):
        inside = shapely.contains_xy(geometry, xs, ys)
        parts.append(pd.DataFrame({"x": xs[inside], "y": ys[inside], "scope_code": code}))
    return pd.concat(parts, ignore_index=True)


def to_rows(frame: gpd.GeoDataFrame, source: str) -> pd.DataFrame:
    """Checked boundaries as rows for the boundaries table."""
    return pd.DataFrame(
        {
            "scope_code": frame["scope_code"],
            "geometry_geojson": [json.dumps(mapping(g)) for g in frame.geometry],
            "source": source,
        }
    )


def from_rows(rows: pd.DataFrame) -> gpd.GeoDataFrame:
    """Stored boundaries back as a GeoDataFrame in WGS 84."""
    geoms = [shape(json.loads(text)) for text in rows["geometry_geojson"]]
    return gpd.GeoDataFrame({"scope_code": list(rows["scope_code"])}, geometry=geoms, crs=WGS84)
