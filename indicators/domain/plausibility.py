"""Whether a figure about to be loaded is plausible (pure: DataFrame in, DataFrame out).

A figure is questioned, not swallowed, when it lies outside the catalogue's physical range
(`plausible`) or moves further than its bounds (`plausibility`) against the same period
last year or against the figure it replaces: a typo of 5 tce against last year's 220,945.
The load is then held until the editor confirms it with a note, and the district's review
shows the same flags beside each figure.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators import reference
from indicators.reference import i18n
from indicators.reference.i18n import t

KEY = ["scope_code", "indicator_id", "breakdown", "year", "period"]
FLAG_COLUMNS = [
    *KEY,
    "excel_row",
    "value",
    "unit",
    "check",  # range | yoy | replaced
    "reference",  # the figure compared with (last year's, or the one replaced)
    "reference_is_demo",
    "change",  # % change, or 百分点 for a % indicator
    "low",
    "high",
]
# What each comparison reads from the figures frame: the reference's value and whether it is
# illustrative.
COMPARED = {
    "yoy": ("last_year_value", "last_year_is_demo"),
    "replaced": ("replaced_value", "replaced_is_demo"),
}


def change(value: float, before: float, in_points: bool) -> float | None:
    """The move from `before` to `value`: in 百分点 for a % indicator, else in % of `before`
    (undefined from zero or from nothing)."""
    if before is None or pd.isna(before) or value is None or pd.isna(value):
        return None
    if in_points:
        return float(value) - float(before)
    if before == 0:
        return None
    return (float(value) / float(before) - 1.0) * 100.0


def _range(row: dict, ind: dict) -> tuple[float, float] | None:
    """The physical range of a figure of this scope and period: the whole-year lower bound
    scaled by the share of the year it covers, the upper by the 街镇 it stands for."""
    bounds = ind.get("plausible")
    if not bounds:
        return None
    parts = max(1, len(reference.leaves_of(row["scope_code"])))
    share = reference.period_share(row["period"] or "Y")
    return bounds["min"] * share, bounds["max"] * parts


def flag(figures: pd.DataFrame, catalogue: list[dict]) -> pd.DataFrame:
    """The figures outside their bounds, one row per figure and check (FLAG_COLUMNS).

    Args:
        figures: KEY, value (in the catalogue's unit), last_year_value, last_year_is_demo,
            replaced_value, replaced_is_demo; optionally excel_row.
        catalogue: the indicators, with their `plausible` range and `plausibility` bounds.
    Returns:
        Empty when every figure is plausible.
    """
    by_id = {ind["id"]: ind for ind in catalogue}
    out = []
    for row in figures.to_dict("records"):
        ind = by_id.get(row["indicator_id"])
        value = row.get("value")
        if ind is None or value is None or pd.isna(value):
            continue
        base = {k: row[k] for k in KEY} | {
            "excel_row": row.get("excel_row"),
            "value": float(value),
            "unit": ind["unit"],
        }
        span = _range(row, ind)
        if span is not None and not span[0] <= value <= span[1]:
            out.append(base | {"check": "range", "low": span[0], "high": span[1]})
        in_points = ind["unit"] == "pct"
        bounds = ind["plausibility"].get("change_pp" if in_points else "change_pct")
        if not bounds:
            continue
        for check, (ref_col, demo_col) in COMPARED.items():
            moved = change(value, row.get(ref_col), in_points)
            if moved is None or bounds["min"] <= moved <= bounds["max"]:
                continue
            out.append(
                base
                | {
                    "check": check,
                    "reference": float(row[ref_col]),
                    "reference_is_demo": bool(row.get(demo_col) is True),
                    "change": moved,
                    "low": bounds["min"],
                    "high": bounds["max"],
                }
            )
    return pd.DataFrame(out, columns=FLAG_COLUMNS)


def change_text(moved: float | None, unit: str, lang: str) -> str:
    """上升 12.5% / 下降 99.998% / 上升 3.2 个百分点: the size of a move, by which way."""
    if moved is None or (isinstance(moved, float) and math.isnan(moved)):
        return ""
    size = f"{abs(moved):,.3f}".rstrip("0").rstrip(".")
    way = t("plaus.up" if moved > 0 else "plaus.down", lang)
    key = "plaus.points" if unit == "pct" else "plaus.percent"
    return t(key, lang, way=way, size=size)


def describe(flag_row: dict, lang: str) -> str:
    """One flag as the editor reads it: which figure, what it is compared with, and the
    question, e.g. "与上年同期相比下降 99.998%，请确认"."""
    unit = flag_row["unit"]
    figure = i18n.quantity(flag_row["value"], unit, lang)
    if flag_row["check"] == "range":
        return t(
            "plaus.range",
            lang,
            figure=figure,
            low=i18n.quantity(flag_row["low"], unit, lang),
            high=i18n.quantity(flag_row["high"], unit, lang),
        )
    reference_text = i18n.quantity(flag_row["reference"], unit, lang)
    if flag_row.get("reference_is_demo"):
        reference_text += t("label.demo_value", lang)
    return t(
        f"plaus.{flag_row['check']}",
        lang,
        figure=figure,
        reference=reference_text,
        change=change_text(flag_row["change"], unit, lang),
    )


def line(flag_row: dict, lang: str) -> str:
    """A flag in one line: its row in the file where it has one, which figure, and why
    (第 2 行 · 虹桥街道 · 能源消费总量 · 2026年前三季度：…，请确认)."""
    row = flag_row.get("excel_row")
    at = "" if row is None or pd.isna(row) else t("plaus.row", lang, row=int(row)) + " · "
    return at + t("plaus.line", lang, where=where(flag_row, lang), why=describe(flag_row, lang))


def illustrative(indicator_ids) -> bool:
    """Whether the bounds of any of these indicators are still the illustrative ones."""
    return any(reference.indicator(i)["plausibility"]["illustrative"] for i in indicator_ids)


def where(flag_row: dict, lang: str) -> str:
    """虹桥街道 · 能源消费总量 · 2026年前三季度: the figure a flag is about."""
    return t(
        "plaus.where",
        lang,
        street=i18n.scope_name(flag_row["scope_code"], lang),
        indicator=i18n.indicator_name(flag_row["indicator_id"], lang),
        breakdown=(
            i18n.breakdown_name(flag_row["indicator_id"], flag_row["breakdown"], lang)
            if flag_row["breakdown"]
            else ""
        ),
        year=int(flag_row["year"]),
        period=i18n.period_label(flag_row["period"], lang),
    )
