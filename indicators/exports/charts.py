"""Plotly figures for the pages: big, clean, Chinese-first. DataFrame in, figure out."""

from __future__ import annotations

import math
import numbers

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators import reference
from indicators.domain import analysis, fiveyear
from indicators.domain.briefing import figure_mark
from indicators.domain.fund import ALL as FUND_ALL
from indicators.domain.status import BANDS, RAG_ORDER, flagged, on_misfit_plan
from indicators.reference import i18n
from indicators.reference.i18n import t

FONT = (
    "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
)
RAG_COLOURS = {
    "green": "#2e7d32",
    "yellow": "#f9a825",
    "orange": "#ef6c00",
    "red": "#c62828",
    "not_reported": "#757575",
    "not_due": "#b0bec5",
    "no_target": "#78909c",
    "not_applicable": "#cfd8dc",
}
# Text on each band's colour, dark where the colour is light enough to need it.
RAG_TEXT = {s: "#ffffff" for s in RAG_COLOURS} | {
    "yellow": "#212121",
    "not_due": "#212121",
    "no_target": "#ffffff",
    "not_applicable": "#424242",
}
# The 晴雨表's 预警等级 (fiveyear.yaml names each level's colour), and its other cells in
# the status colours of the same meaning (未报送, 无目标).
LEVEL_COLOURS = {"red": RAG_COLOURS["red"], "amber": "#ff8f00", "green": RAG_COLOURS["green"]}


def band_colours(band: str) -> tuple[str, str]:
    """A 晴雨表 cell's background and text colour (barometer bands: level_1..3,
    not_reported, no_target)."""
    if band.startswith("level_"):
        colour = fiveyear.colour(int(band.removeprefix("level_")))
        return LEVEL_COLOURS[colour], "#212121" if colour == "amber" else "#ffffff"
    return RAG_COLOURS[band], RAG_TEXT[band]


# Every figure names its template: Streamlit makes its own plotly's default in the app's
# process, and that one has no automargin, so images exported there lost the street names
# and axis numbers at the edges while the CLI's were whole.
TEMPLATE = "plotly_white"
SERIES = ["#1f6f4a", "#1565c0", "#8e24aa", "#ef6c00", "#6d4c41", "#00838f", "#546e7a"]

# The one palette of every chart that tells the 街镇 apart by colour: ten colours that
# differ by at least 30 in CIELAB (ΔE*ab) from each other and from the totals' colours below,
# so the ten 街镇 of a share bar never repeat a colour (a seven-colour cycle did).
STREET_PALETTE = [
    "#1f6f4a",  # green
    "#1565c0",  # blue
    "#e15759",  # red
    "#f28e2b",  # orange
    "#8e24aa",  # purple
    "#00acc1",  # cyan
    "#edc948",  # yellow
    "#9c755f",  # brown
    "#ff9da7",  # pink
    "#90a955",  # olive
]
FOCUS_GROUP_COLOUR = "#1f3b57"  # 双桥双新泾, the navy of its outline on the map
OTHERS_COLOUR = "#cfd8dc"  # a group of the other 街镇 (其他街镇), or the rest of a city's
DISTRICT_COLOUR = "#000000"  # 全区


def scope_colours(codes: list[str]) -> dict[str, str]:
    """Each scope's colour where a chart tells them apart. A 街镇 keeps its palette colour
    by its place in scopes.yaml, the same in every chart and view; with more 街镇 than
    colours (a city), the 街镇 charted take them in turn. A focus group is navy, another
    group and the rest of a trimmed chart light grey, the district black."""
    leaves = reference.leaves()
    known = {s["code"]: s for s in reference.scopes()}
    charted = [c for c in codes if c in set(leaves)]
    order = leaves if len(leaves) <= len(STREET_PALETTE) else charted
    out = {}
    for code in codes:
        if code in charted:
            out[code] = STREET_PALETTE[order.index(code) % len(STREET_PALETTE)]
        elif code == reference.district_code():
            out[code] = DISTRICT_COLOUR
        elif known.get(code, {}).get("focus"):
            out[code] = FOCUS_GROUP_COLOUR
        else:
            out[code] = OTHERS_COLOUR
    return out


def rag_text(status: str, lang: str) -> str:
    """Status as icon and word, so it never rests on colour alone."""
    return f"{t(f'rag_icon.{status}', lang)} {t(f'rag.{status}', lang)}"


def status_label(row: dict, lang: str) -> str:
    """A row's status as icon and word, saying so when it was judged against an
    illustrative target (the status is then illustrative too), or against a plan to date
    that does not fit its target."""
    status = row["rag_status"]
    text = rag_text(status, lang)
    if status in BANDS and flagged(row, "target_is_demo"):
        text += t("label.status_demo_target", lang)
    if on_misfit_plan(row):
        text += t("plan.status_mark", lang)
    return text


def demo_target_note(frame: pd.DataFrame, lang: str) -> str:
    """For a chart's title: any status in it judged against an illustrative target."""
    if "target_is_demo" not in frame:
        return ""
    rows = frame[frame["rag_status"].isin(BANDS)]
    demo = any(flagged(r, "target_is_demo") for r in rows.to_dict("records"))
    if not demo:
        return ""
    note = t("label.chart_demo_target", lang).strip()
    return f"<br><span style='font-size:14px'>{note}</span>"


def plan_misfit_note(frame: pd.DataFrame, lang: str, by: str = "scope_code") -> str:
    """For a chart's title: the 街镇 (or, `by` indicator_id, the indicators) whose status
    in it is judged on a plan to date that does not fit its annual target."""
    if "plan_misfit" not in frame:
        return ""
    rows = [r for r in frame.to_dict("records") if on_misfit_plan(r)]
    if not rows:
        return ""
    name = i18n.scope_name if by == "scope_code" else i18n.indicator_short
    names = t("reporting.list_joiner", lang).join(dict.fromkeys(name(r[by], lang) for r in rows))
    note = t("plan.chart_note", lang, names=names)
    return f"<br><span style='font-size:14px'>{note}</span>"


def plan_mark(row: dict) -> str:
    """After a status on a chart, when it is judged on a plan that does not fit."""
    return " ⚠" if on_misfit_plan(row) else ""


# A title line longer than this (in the width of a Latin letter; a Chinese character is
# two) breaks before its last part, so it is not cut on a projector or a half-width column.
TITLE_WIDTH = 64
SHORT_TAIL = 8  # a second line this short is a unit left alone: (%)


FULL_OPEN, FULL_COLON = chr(0xFF08), chr(0xFF1A)  # the full-width "(" and ":" of Chinese
TITLE_BREAKS = (" (", FULL_OPEN, ": ", FULL_COLON)


def _title_width(text: str) -> int:
    return sum(2 if ord(ch) >= i18n.CJK_START else 1 for ch in text)


def _wrap_title(title: str) -> str:
    """Break a long first line at a ": " or " (" / "（" (before the unit or the direction),
    the latest one whose first line fits and that leaves more than a unit on the second
    line, else at such a space; any note lines stay under it."""
    first, *notes = title.split("<br>")
    if _title_width(first) > TITLE_WIDTH:

        def fits(i: int) -> bool:
            return _title_width(first[:i]) <= TITLE_WIDTH and _title_width(first[i:]) > SHORT_TAIL

        marks = [i for i in range(1, len(first)) if first.startswith(TITLE_BREAKS, i)]
        spaces = [i for i, ch in enumerate(first) if ch == " " and fits(i)]
        cut = max([i for i in marks if fits(i)] or spaces or marks, default=0)
        if cut > 0:
            keep = 1 if first[cut] in (":", FULL_COLON) else 0  # a colon ends its line
            first = first[: cut + keep] + "<br>" + first[cut + keep :].lstrip(" ")
    return "<br>".join([first, *notes])


TITLE_PAD = 12  # px from the top of the figure to the title's first line
TITLE_LINE = 27  # px a title line takes (20 px type)
PANEL_TITLE = 28  # px a row of subplot titles takes above its panels (16 px type)
# Plotly drops the cap shift (0.7 em) of a title of several lines anchored at its top: its
# first line would rise 14 px into the figure's edge and be cut.
MULTILINE_SHIFT = 14


def _layout(fig: go.Figure, title: str, height: int = 420, panel_titles: bool = False) -> go.Figure:
    """The house style. The title hangs from the top of the figure whatever the height it
    is exported at, and the plot starts below its last line (and below the panels' names,
    with `panel_titles`): a title wrapped onto two lines never runs into the first panels."""
    title = _wrap_title(title)
    lines = title.count("<br>") + 1
    top = TITLE_PAD + TITLE_LINE * lines + 12 + (PANEL_TITLE if panel_titles else 0)
    fig.update_layout(
        template=TEMPLATE,
        title={
            "text": title,
            "font": {"size": 20},
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": TITLE_PAD + (MULTILINE_SHIFT if lines > 1 else 0)},
        },
        font={"family": FONT, "size": 15},
        height=height,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
    )
    fig.update_xaxes(gridcolor="#eceff1", automargin=True)
    # room between a bar's name and the label at its root
    fig.update_yaxes(gridcolor="#eceff1", automargin=True, ticklabelstandoff=10)
    return fig


def _with_unit(value: float, unit: str, lang: str) -> str:
    return f"{i18n.number(value, unit, lang)} {i18n.unit_label(unit, lang)}"


WAN, YI = 1e4, 1e8  # 万 and 亿: the steps a Chinese reader counts large numbers in


def nice_ticks(low: float, high: float, steps: int = 6) -> list[float]:
    """Round ticks (steps of 1, 2, 2.5 or 5 times a power of ten) that cover low..high in
    about `steps` steps, as many as plotly draws on a panel by itself."""
    if high < low:
        low, high = high, low
    span = high - low or abs(high) or 1.0
    raw = span / steps
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks, k = [], 0
    while first + k * step <= high + step * 1e-9 or len(ticks) < 2:
        ticks.append(round(first + k * step, 10))
        k += 1
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def wan_text(value: float, step: float) -> str:
    """A tick in 万 or 亿 as a Chinese reader writes it (12万, 1.2亿), with as many decimals
    as the step between ticks needs; below 1万 the number with thousands separators."""
    largest = max(abs(value), abs(step))
    divisor, key = (YI, "chart.tick_yi") if largest >= YI else (WAN, "chart.tick_wan")
    if value == 0:
        return "0"
    if largest < WAN:
        divisor, key = 1, None
    scaled = step / divisor
    decimals = next((d for d in range(5) if abs(round(scaled, d) - scaled) < 1e-9), 4)
    text = f"{value / divisor:,.{decimals}f}"
    return t(key, "zh", value=text) if key else text


def _axis_values(fig: go.Figure, letter: str) -> dict[str, list[float]]:
    """The numbers drawn against each axis of a letter ("x" or "y"), by its layout name
    (yaxis, yaxis2, ...): the traces' and the shapes' (a plan mark, the line at 100%)."""
    out: dict[str, list[float]] = {}

    def add(ref: str | None, values) -> None:
        name = f"{letter}axis{(ref or letter)[1:]}"
        nums = [float(v) for v in values if isinstance(v, numbers.Real) and not pd.isna(v)]
        out.setdefault(name, []).extend(nums)

    for trace in fig.data:
        values = getattr(trace, letter, None)
        if values is not None:
            add(getattr(trace, f"{letter}axis", None), list(values))
    for shape in fig.layout.shapes:
        ref = getattr(shape, f"{letter}ref", None)
        if ref is None or not ref.endswith("domain") and ref != "paper":
            add(ref, [getattr(shape, f"{letter}0"), getattr(shape, f"{letter}1")])
    return out


def _local_numbers(fig: go.Figure, letter: str, lang: str, steps: int = 6) -> go.Figure:
    """Value axes read as the reader counts: in Chinese 万 and 亿 (12万, 1.2亿) and never
    plotly's SI suffixes (10k, 1M, which a Chinese reader does not use), thousands
    separated below 1万; English keeps plotly's k and M. Axes that share a scale (matches)
    get the same ticks, from all the numbers drawn against any of them; a small panel
    asks for fewer `steps`."""
    if i18n.norm_lang(lang) != "zh":
        return fig
    values = _axis_values(fig, letter)
    axes = {name: fig.layout[name] for name in values if fig.layout[name] is not None}
    groups: dict[str, list[str]] = {}
    for name, axis in axes.items():
        key = f"{letter}axis{axis.matches[1:]}" if axis.matches else name
        groups.setdefault(key, []).append(name)
    for members in groups.values():
        pooled = [v for m in members for v in values.get(m, [])]
        if not pooled:
            continue
        low, high = min(pooled), max(pooled)
        bars = any(isinstance(tr, go.Bar) for tr in fig.data)
        if bars or any(axes[m].rangemode == "tozero" for m in members):
            low, high = min(low, 0.0), max(high, 0.0)
        for m in members:
            axes[m].update(exponentformat="none", separatethousands=True)
        if max(abs(low), abs(high)) < WAN:
            continue
        ticks = nice_ticks(low, high, steps)
        step = ticks[1] - ticks[0]
        labels = [wan_text(v, step) for v in ticks]
        for m in members:
            axes[m].update(tickmode="array", tickvals=ticks, ticktext=labels)
    return fig


def _legend_below(fig: go.Figure) -> go.Figure:
    """The legend on a line of its own at the foot of the figure, under the axis title:
    clear of a long title and of the plot, and no gap after a tall figure."""
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
        },
        margin={"b": (fig.layout.margin.b or 10) + 40},
    )
    return fig


def _unit(frame: pd.DataFrame, lang: str) -> str:
    return i18n.unit_label(frame["unit"].iloc[0], lang) if len(frame) else ""


def ranked_bars(
    frame: pd.DataFrame, indicator_id: str, lang: str, highlight: str | None = None
) -> go.Figure:
    """One bar per 街镇, the best at the top, coloured and labelled by status; the chosen
    街镇 outlined."""
    direction = reference.indicator(indicator_id)["direction"]
    # Plotly draws the first bar at the bottom, so the best comes last.
    ranked = frame.sort_values("value", ascending=(direction == "higher"), kind="stable")
    names = [i18n.scope_name(c, lang) for c in ranked["scope_code"]]
    unit = ranked["unit"].iloc[0] if len(ranked) else ""
    longest = ranked["value"].abs().max() if len(ranked) else 0
    marks = ranked["expected_to_date"] if "expected_to_date" in ranked else pd.Series()
    labels, hovers = _ranked_texts(ranked, names, marks, unit, lang)
    fig = go.Figure(
        go.Bar(
            x=ranked["value"],
            y=names,
            orientation="h",
            marker={
                "color": [RAG_COLOURS[s] for s in ranked["rag_status"]],
                "line": {
                    "color": "#212121",
                    "width": [4 if c == highlight else 0 for c in ranked["scope_code"]],
                },
            },
            text=labels,
            # Inside a long bar at its root, clear of the plan mark; after a short one, in
            # dark text, where a label inside would be shrunk past reading.
            textposition=["inside" if v >= 0.35 * longest else "outside" for v in ranked["value"]],
            insidetextanchor="start",
            insidetextfont={"color": [RAG_TEXT[s] for s in ranked["rag_status"]]},
            outsidetextfont={"color": "#212121"},
            cliponaxis=False,
            showlegend=False,
            customdata=ranked["scope_code"],
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    _add_plan_marks(fig, marks, lang)
    fig.update_xaxes(title=_unit(ranked, lang), rangemode="tozero")
    title = t("chart.ranked", lang, indicator=i18n.indicator_name(indicator_id, lang))
    better = t(f"chart.better_{direction}", lang)
    title = t("chart.with_unit", lang, title=title, unit=better) + demo_target_note(ranked, lang)
    title += plan_misfit_note(ranked, lang)
    fig = _layout(fig, title, height=140 + 60 * len(ranked))
    fig.update_layout(uniformtext={"minsize": 13, "mode": "show"})  # readable when squeezed
    fig = _local_numbers(fig, "x", lang)
    return _legend_below(fig) if fig.layout.showlegend else fig


def _ranked_texts(ranked, names: list, marks, unit: str, lang: str) -> tuple[list, list]:
    """Each bar's label (value, status icon and colour word) and its hover (the status
    whole, and the plan mark)."""
    # On the bar the status's icon and colour word (✔ 绿); the hover gives it whole.
    records = ranked.to_dict("records")
    values = [f"{i18n.number(r['value'], unit, lang)}{figure_mark(r, lang)}  " for r in records]
    pairs = list(zip(values, records, strict=True))
    labels = [v + t("rag_short." + r["rag_status"], lang) + plan_mark(r) for v, r in pairs]
    full = [v + rag_text(r["rag_status"], lang) + plan_mark(r) for v, r in pairs]
    hovers = [
        f"{name}: {label}"
        + (f" · {t('chart.plan_mark', lang)} {i18n.number(m, unit, lang)}" if pd.notna(m) else "")
        for name, label, m in zip(names, full, marks.reindex(ranked.index), strict=True)
    ]
    return labels, hovers


def _add_plan_marks(fig, marks, lang: str) -> None:
    """Each 街镇's mark to reach drawn across its own bar, with a legend entry."""
    # Each 街镇's own mark to reach: the plan to date (序时目标), or the target for a year,
    # drawn across its own bar at any height the chart is given (a slide, a deck's box).
    if len(marks) and marks.notna().any():
        for i, mark in enumerate(marks):
            if pd.notna(mark):
                fig.add_shape(
                    type="line",
                    x0=mark,
                    x1=mark,
                    y0=i - 0.45,
                    y1=i + 0.45,
                    line={"width": 4, "color": "#212121"},
                )
        fig.add_trace(  # the legend's entry for the marks
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "line-ns", "size": 20, "line": {"width": 4, "color": "#212121"}},
                name=t("chart.plan_mark", lang),
            )
        )
        fig.update_layout(showlegend=True)


def big_words(card: dict, lang: str) -> str:
    """A slide's value with its unit for display size, or what stands in for it (年末报送)."""
    value = card.get("value")
    if value is None or pd.isna(value):
        return rag_text(card["rag_status"], lang)
    return i18n.value_text(value, reference.indicator(card["indicator_id"])["unit"], lang)


def breakdown_bars(card: dict, lang: str) -> go.Figure | None:
    """A slide's figure where there is no ranking of 街镇: the value's parts as bars (the
    district's municipal reviews by kind), or None when it has none."""
    parts = card.get("parts") or []
    if not parts:
        return None
    ind = card["indicator_id"]
    unit = reference.indicator(ind)["unit"]
    names = [i18n.breakdown_name(ind, code, lang) for code, _ in parts]
    values = [v for _, v in parts]
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=names[::-1],
            orientation="h",
            marker={"color": SERIES[0]},
            text=[i18n.number(v, unit, lang) + figure_mark(card, lang) for v in values[::-1]],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title=i18n.unit_label(unit, lang), rangemode="tozero")
    title = t(
        "chart.breakdown",
        lang,
        indicator=i18n.indicator_name(ind, lang),
        total=i18n.number(card["value"], unit, lang),
        unit=i18n.unit_label(unit, lang),
    )
    return _local_numbers(_layout(fig, title, height=140 + 70 * len(parts)), "x", lang)


def slide_figure(
    frame: pd.DataFrame, card: dict, period: str, view: str, lang: str, highlight: str
) -> tuple[pd.DataFrame, go.Figure | None]:
    """A slide's chart, the same on the page, in the deck and in the report: the ranking of
    the view's 街镇, else the value's breakdown, else None (the figure in display size).
    Returns the ranking's rows too, which say whether the chart shows illustrative data."""
    ind = card["indicator_id"]
    # The 街镇 ranked on the months the slide's own figure is for (前三季度 where that is
    # what it shows in 1–10月).
    rows = analysis.ranking_rows(frame, ind, card.get("period") or period, view)
    if len(rows):
        return rows, ranked_bars(rows, ind, lang, highlight=highlight)
    return rows, breakdown_bars(card, lang)


def attainment_bars(cards: pd.DataFrame, scope_code: str, lang: str) -> go.Figure | None:
    """Each indicator's attainment of its plan to date as a bar coloured by status, against
    a line at 100%: what is off track, at a glance. None when no indicator has a target."""
    if "attainment_pct" not in cards:  # no values at all
        return None
    rows = cards.dropna(subset=["attainment_pct"])
    if rows.empty:
        return None
    rows = rows.sort_values("attainment_pct", ascending=False, kind="stable")  # worst on top
    fig = go.Figure(
        go.Bar(
            x=rows["attainment_pct"],
            y=[i18n.indicator_short(i, lang) for i in rows["indicator_id"]],
            orientation="h",
            marker={"color": [RAG_COLOURS[s] for s in rows["rag_status"]]},
            text=[
                f"{r['attainment_pct']:,.1f}%{figure_mark(r, lang)}  "
                f"{rag_text(r['rag_status'], lang)}" + plan_mark(r)
                for r in rows.to_dict("records")
            ],
            textposition="auto",
            insidetextanchor="start",  # clear of the line at 100%
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.add_vline(
        x=100,
        line={"color": "#212121", "dash": "dash", "width": 2},
        annotation_text=t("chart.plan_line", lang),
        annotation_position="top",
    )
    fig.update_xaxes(title=t("chart.attainment_axis", lang), rangemode="tozero")
    title = t("chart.attainment", lang, scope=i18n.scope_name(scope_code, lang))
    title += demo_target_note(rows, lang) + plan_misfit_note(rows, lang, by="indicator_id")
    fig = _layout(fig, title, height=140 + 56 * len(rows))
    return _local_numbers(fig, "x", lang)


def _panel_cells(n_streets: int, n_totals: int, cols: int) -> list[tuple[int, int]]:
    """(row, col) of each panel: the 街镇 row by row, then the totals on rows of their own."""
    street_rows = -(-n_streets // cols)
    cells = [(i // cols + 1, i % cols + 1) for i in range(n_streets)]
    return cells + [(street_rows + i // cols + 1, i % cols + 1) for i in range(n_totals)]


def small_multiples(frame: pd.DataFrame, indicator_id: str, lang: str) -> go.Figure:
    """One small line chart per 街镇 over the years, in the 街镇's colour, all on one scale
    so they compare by eye; the totals (a group, 全区) after them on a row of their own,
    each on its own scale and saying so: on the 街镇's scale 全区, ten times a 街镇, would
    flatten every line."""
    order = list(dict.fromkeys(frame.sort_values("scope_order")["scope_code"]))
    leaves = set(reference.leaves())
    streets = [c for c in order if c in leaves]
    totals = [c for c in order if c not in leaves]
    cols = min(3, max(1, len(streets), len(totals)))
    cells = _panel_cells(len(streets), len(totals), cols)
    rows = cells[-1][0] if cells else 1
    titles = [""] * (rows * cols)
    for code, (r, c) in zip([*streets, *totals], cells, strict=True):
        name = i18n.scope_name(code, lang)
        titles[(r - 1) * cols + c - 1] = (
            name if code in leaves else t("chart.own_scale", lang, scope=name)
        )
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, shared_xaxes=True)
    colours = scope_colours(order)
    unit = frame["unit"].iloc[0] if len(frame) else ""
    for code, (r, c) in zip([*streets, *totals], cells, strict=True):
        part = frame[frame["scope_code"] == code].sort_values("year")
        name = i18n.scope_name(code, lang)
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["value"],
                mode="lines+markers",
                line={"color": colours[code], "width": 3},
                showlegend=False,
                name=name,
                text=[_with_unit(v, unit, lang) for v in part["value"]],
                hovertemplate=f"{name} %{{x}}: %{{text}}<extra></extra>",
            ),
            row=r,
            col=c,
        )
        if code in leaves and (r, c) != cells[0]:
            fig.update_yaxes(matches="y", row=r, col=c)  # the 街镇 share the first one's scale
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(rangemode="tozero")  # a small change must not look like a cliff
    title = t("chart.small_multiples", lang, indicator=i18n.indicator_name(indicator_id, lang))
    if len(frame):
        title = t("chart.with_unit", lang, title=title, unit=_unit(frame, lang))
    fig = _layout(fig, title, height=260 * rows, panel_titles=True)
    fig.update_xaxes(showticklabels=True)  # years under every panel
    fig.update_yaxes(showticklabels=True)  # and the scale beside every panel
    return _local_numbers(fig, "y", lang, steps=4)


def share_chart(shares: pd.DataFrame, indicator_id: str, lang: str) -> go.Figure:
    """Each 街镇's share of the district total, as one stacked bar in the 街镇's own colour
    (scope_colours); each share in the legend too, where a thin part has no room for it."""
    fig = go.Figure()
    colours = scope_colours(list(shares["scope_code"]))
    for row in shares.itertuples(index=False):
        rest = row.scope_code == analysis.REST  # the 街镇 not charted one by one
        name = (
            t("chart.rest", lang, n=int(row.rest_n))
            if rest
            else i18n.scope_name(row.scope_code, lang)
        )
        share = f"{row.share_pct:.1f}%"
        colour = colours[row.scope_code]
        fig.add_trace(
            go.Bar(
                x=[row.share_pct],
                y=[""],
                orientation="h",
                name=f"{name} {share}",
                marker_color=colour,
                text=share,
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                insidetextfont={"color": "#ffffff" if _is_dark(colour) else "#212121"},
                hovertemplate=f"{name}: {share}<extra></extra>",
            )
        )
    fig.update_xaxes(range=[0, 100], showticklabels=False)  # the bars carry their %
    _layout(
        fig, t("chart.share", lang, indicator=i18n.indicator_name(indicator_id, lang)), height=240
    )
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "h", "y": -0.05, "traceorder": "normal"},
        uniformtext={"minsize": 12, "mode": "hide"},  # a thin part's % is in the legend
    )
    return fig


def trend_chart(
    series: pd.DataFrame,
    targets: pd.DataFrame,
    projection: pd.DataFrame,
    indicator_id: str,
    lang: str,
) -> go.Figure:
    """One panel per 街镇 and per total (each on its own scale, so 全区 flattens no 街镇):
    values over the years, the target as a dashed line, and a diamond where the year will
    end at the current pace."""
    codes = list(
        dict.fromkeys([*series.sort_values("scope_order")["scope_code"], *projection["scope_code"]])
    )
    cols = min(2, max(1, len(codes)))
    rows = -(-len(codes) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_xaxes=True,
        # About 90 px between rows (a panel title and the years), however many rows there
        # are: a fixed share of the height squeezed eleven panels to slivers.
        vertical_spacing=min(0.12, 90 / (300 * rows)),
        subplot_titles=[i18n.scope_name(c, lang) for c in codes],
    )
    names = {k: t(f"chart.{k}", lang) for k in ("actual", "target", "projection")}
    unit = series["unit"].iloc[0] if len(series) else ""
    for i, code in enumerate(codes):
        cell = {"row": i // cols + 1, "col": i % cols + 1}
        part = series[series["scope_code"] == code].sort_values("year")
        tgt = targets[targets["scope_code"] == code].sort_values("year")
        proj = projection[projection["scope_code"] == code]
        for key, trace in (
            (
                "actual",
                go.Scatter(
                    x=part["year"],
                    y=part["value"],
                    mode="lines+markers",
                    line={"color": SERIES[0], "width": 3},
                ),
            ),
            (
                "target",
                go.Scatter(
                    x=tgt["year"],
                    y=tgt["target_value"],
                    mode="lines+markers",  # a target for one year still shows
                    line={"color": RAG_COLOURS["red"], "dash": "dash", "width": 2},
                ),
            ),
            (
                "projection",
                go.Scatter(
                    x=proj["year"],
                    y=proj["projected"],
                    mode="markers",
                    marker={"color": SERIES[1], "symbol": "diamond", "size": 14},
                ),
            ),
        ):
            # The hover in the reader's numbers and unit, not plotly's 455.1k.
            hover = f"{i18n.scope_name(code, lang)} %{{x}} {names[key]}: %{{text}}<extra></extra>"
            trace.update(
                name=names[key],
                legendgroup=key,
                showlegend=(i == 0),
                text=[_with_unit(v, unit, lang) for v in trace.y],
                hovertemplate=hover,
            )
            fig.add_trace(trace, **cell)
    title = t("chart.trend", lang, indicator=i18n.indicator_name(indicator_id, lang))
    if len(series):
        title = t("chart.with_unit", lang, title=title, unit=_unit(series, lang))
    fig = _layout(fig, title, height=140 + 300 * rows, panel_titles=True)
    # Years under every panel, and the legend by the title, not after a blank gap.
    fig.update_xaxes(dtick=1, showticklabels=True)
    return _local_numbers(_legend_below(fig), "y", lang, steps=5)


def projects_by_scope(summary: pd.DataFrame, lang: str) -> go.Figure:
    """Project counts per 街镇, with amounts in the hover."""
    names = [i18n.scope_name(c, lang) for c in summary["scope_code"]]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=summary["n_projects"],
            marker_color=SERIES[0],
            text=summary["n_projects"],
            textposition="outside",
            cliponaxis=False,  # the tallest bar's count above it, not cut at the top
            customdata=summary[["amount_10k_yuan", "saving_tce_per_year"]],
            hovertemplate="%{x}<br>%{y}<br>%{customdata[0]:,.1f} / %{customdata[1]:,.0f}"
            "<extra></extra>",
        )
    )
    fig.update_yaxes(title=i18n.unit_label("item", lang))
    return _local_numbers(_layout(fig, t("chart.projects_by_scope", lang)), "y", lang)


def _rings(geometry) -> list:
    polygons = getattr(geometry, "geoms", [geometry])
    return [list(p.exterior.coords) for p in polygons]


def _ring_traces(geometry, **style) -> list[go.Scatter]:
    """A line trace per outer ring of a (multi)polygon, styled as given."""
    traces = []
    for ring in _rings(geometry):
        lon, lat = zip(*ring, strict=True)
        traces.append(
            go.Scatter(x=lon, y=lat, mode="lines", hoverinfo="skip", showlegend=False, **style)
        )
    return traces


# Value mode: one sequential scale, darker where better, for every indicator. Not red to
# green: that reads as a status, and a value's place in the range is not its status.
VALUE_SCALE = plotly.colors.make_colorscale(plotly.colors.sequential.Blues[2:])


def _value_share(value: float, low: float, high: float, direction: str) -> float:
    """Where a value sits on the scale: 1 at the better end."""
    share = 0.5 if high == low else (value - low) / (high - low)
    return 1 - share if direction == "lower" else share


def _scale_colour(value: float, low: float, high: float, direction: str) -> str:
    return plotly.colors.sample_colorscale(VALUE_SCALE, _value_share(value, low, high, direction))[
        0
    ]


def _is_dark(colour: str) -> bool:
    r, g, b = plotly.colors.unlabel_rgb(plotly.colors.convert_colors_to_same_type(colour)[0][0])
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


CONTEXT_FILL = "#e6e6e6"  # a 街镇 outside the chosen view, drawn for context only
FOCUS_OUTLINE = "#1f3b57"  # the outline of the 双桥双新泾 街镇


# Map labels: 14 px bold names over the value; a label wider than its 街镇 moves to the
# right of the district with a leader line. Sizes in px, for the 620 px tall figure.
MAP_HEIGHT, MAP_PLOT_PX = 620, 500
MAP_PLOT_MIN_W = 760  # the narrowest the map's plot area is drawn (a 1366 px screen)
LABEL_PX, LABEL_LINE_PX = 14, 18


def _text_px(text: str) -> float:
    """The width of a label line, near enough to decide whether it fits."""
    return sum(LABEL_PX if ord(ch) > 0x2E80 else LABEL_PX * 0.58 for ch in text)


def _degrees_per_px(shapes) -> float:
    """Degrees of longitude per pixel, at the smaller of the scales the map may be drawn at:
    its height, or its narrowest width with room for labels moved to the right."""
    minx, miny, maxx, maxy = shapes.total_bounds
    by_height = (maxy - miny) / MAP_PLOT_PX * 1.17
    by_width = (maxx - minx) * 1.15 / MAP_PLOT_MIN_W
    return max(by_height, by_width)


def _place_labels(shapes, labels, lines: dict[str, list[str]]) -> pd.DataFrame:
    """Where each label goes: on its 街镇 where it fits inside, else in a column to the
    right of the district at its own height (x, y, anchor_x, anchor_y, outside)."""
    from shapely.geometry import box

    minx, miny, maxx, maxy = shapes.total_bounds
    per_px_x = _degrees_per_px(shapes)
    per_px = per_px_x / 1.17  # the axes keep 1/cos(31.2°)
    rows = []
    geometry = dict(zip(shapes["scope_code"], shapes.geometry, strict=True))
    for code, point in zip(labels["scope_code"], labels.geometry, strict=True):
        w = max(_text_px(line) for line in lines[code]) * per_px_x / 2 + 4 * per_px_x
        h = len(lines[code]) * LABEL_LINE_PX * per_px / 2
        fits = geometry[code].contains(box(point.x - w, point.y - h, point.x + w, point.y + h))
        rows.append(
            {
                "scope_code": code,
                "x": point.x,
                "y": point.y,
                "anchor_x": point.x,
                "anchor_y": point.y,
                "outside": not fits,
            }
        )
    placed = pd.DataFrame(rows)
    outside = placed[placed["outside"]].sort_values("y", ascending=False)
    gap = 2 * LABEL_LINE_PX * per_px + 6 * per_px
    y = maxy
    for i in outside.index:  # top to bottom, each at its own height or below the last
        y = min(placed.at[i, "y"], y)
        placed.at[i, "y"], placed.at[i, "x"] = y, maxx + 30 * per_px_x
        y -= gap
    return placed


def street_map(
    shapes,
    labels,
    frame: pd.DataFrame,
    indicator_id: str,
    mode: str,
    lang: str,
    schematic: bool = True,
    view: str = "all",
    highlight: str | None = None,
) -> go.Figure:
    """The 街镇 as shapes coloured by value (one sequential scale, darker where better, its
    legend the same scale with the unit) or by status (a legend of the statuses shown),
    labelled, clickable anywhere inside; the 双桥双新泾 街镇 outlined strongly and the
    chosen one (`highlight`) with a double line. Plain SVG on lon/lat axes: no map tiles,
    no WebGL, no web fonts, so it draws on an intranet and exports to PNG.

    Args:
        shapes, labels: geo.schematic() and geo.label_points() (without the district).
        frame: one indicator's rows for one year and period (value, rag_status, unit).
        mode: "value" or "status".
        view: "all" colours every 街镇; "focus" the four, the others drawn grey for context.
    """
    focus = set(reference.focus_leaves())
    in_view = focus if view == "focus" else set(shapes["scope_code"])
    context = labels[~labels["scope_code"].isin(in_view)]
    labels = labels[labels["scope_code"].isin(in_view)]
    direction = reference.indicator(indicator_id)["direction"]
    unit = frame["unit"].iloc[0] if len(frame) else reference.indicator(indicator_id)["unit"]
    by_scope = frame.set_index("scope_code")
    # The scale spans the shapes drawn, not the district total.
    values = by_scope["value"].reindex([c for c in shapes["scope_code"] if c in in_view]).dropna()
    scale = (values.min(), values.max()) if len(values) else (0, 1)
    fig = go.Figure()
    fills, shown_statuses = _add_map_fills(fig, shapes, by_scope, in_view, mode, scale, direction)
    _add_map_outlines(fig, shapes, focus, highlight)
    _add_context_names(fig, context, lang)
    lines, hovers = _map_label_texts(labels, by_scope, unit, lang)
    _add_click_area(fig, shapes[shapes["scope_code"].isin(in_view)], hovers)
    placed = _place_labels(shapes, labels, lines)
    _add_map_labels(fig, placed, lines, hovers, fills)
    if mode == "value" and len(values):
        _add_value_legend(fig, scale, direction, unit, lang)
    else:
        _add_status_legend(fig, shown_statuses, lang)
    _fit_map_axes(fig, shapes, placed, lines)
    title = _map_title(
        frame[frame["scope_code"].isin(in_view)], indicator_id, mode, schematic, lang
    )
    return _layout(fig, title, height=MAP_HEIGHT)


def _scope_cell(by_scope: pd.DataFrame, column: str, code: str):
    """One scope's value in one column of the map's frame, or None where there is none."""
    return by_scope[column].get(code) if column in by_scope else None


def _add_map_fills(fig, shapes, by_scope, in_view, mode, scale, direction) -> tuple[dict, list]:
    """Each 街镇's shape filled by value, status or as context; returns the fills and the
    statuses shown."""
    low, high = scale
    fills, shown_statuses = {}, []
    for code, geometry in zip(shapes["scope_code"], shapes.geometry, strict=True):
        value = _scope_cell(by_scope, "value", code)
        status = _scope_cell(by_scope, "rag_status", code) or "not_reported"
        missing = value is None or pd.isna(value)
        if code not in in_view:
            colour = CONTEXT_FILL
        elif mode == "status" or missing:
            colour = RAG_COLOURS["not_reported" if missing else status]
            shown_statuses.append("not_reported" if missing else status)
        else:
            colour = _scale_colour(value, low, high, direction)
        fills[code] = colour
        fig.add_traces(
            _ring_traces(
                geometry, fill="toself", fillcolor=colour, line={"color": "white", "width": 2}
            )
        )
    return fills, shown_statuses


def _add_map_outlines(fig, shapes, focus: set, highlight: str | None) -> None:
    """The focus 街镇 outlined, and the chosen one with a double line, over every fill."""
    # The focus 街镇 outlined on top of every fill, so no neighbour's edge hides theirs;
    # the chosen one on top of all, with a double line no fill or outline shares.
    geometries = dict(zip(shapes["scope_code"], shapes.geometry, strict=True))
    for code in focus & set(geometries):
        style = {"color": FOCUS_OUTLINE, "width": 4}
        fig.add_traces(_ring_traces(geometries[code], line=style, name="focus_outline"))
    if highlight in geometries:
        for style in ({"color": "#000000", "width": 8}, {"color": "#ffffff", "width": 3}):
            fig.add_traces(_ring_traces(geometries[highlight], line=style, name="chosen"))


def _add_context_names(fig, context, lang: str) -> None:
    """The short names, in grey, of the 街镇 drawn only for context."""
    if len(context):
        fig.add_trace(
            go.Scatter(
                x=context.geometry.x,
                y=context.geometry.y,
                mode="text",
                text=[i18n.scope_short(c, lang) for c in context["scope_code"]],
                textfont={"size": 12, "color": "#6b6b6b"},
                hoverinfo="skip",
                showlegend=False,
                name="context",
            )
        )


def _map_label_texts(labels, by_scope, unit: str, lang: str) -> tuple[dict, dict]:
    """Each labelled 街镇's label lines (short name, value) and its hover text (name,
    value, target, status, data status)."""
    lines, hovers = {}, {}
    for code in labels["scope_code"]:
        value = _scope_cell(by_scope, "value", code)
        status = _scope_cell(by_scope, "rag_status", code) or "not_reported"
        shown = (
            i18n.number(value, unit, lang)
            if value is not None and not pd.isna(value)
            else t("rag.not_reported", lang)
        )
        lines[code] = [i18n.scope_short(code, lang), shown]
        hover = [i18n.scope_name(code, lang), f"{shown} {i18n.unit_label(unit, lang)}"]
        target = _scope_cell(by_scope, "target_value", code)
        if target is not None and not pd.isna(target):
            hover.append(t("map.hover_target", lang, target=i18n.number(target, unit, lang)))
        judged = {
            "rag_status": status,
            "target_is_demo": _scope_cell(by_scope, "target_is_demo", code),
        }
        misfit = _scope_cell(by_scope, "plan_misfit", code)
        hover.append(status_label({**judged, "plan_misfit": misfit}, lang))
        data_status = _scope_cell(by_scope, "data_status", code)
        if isinstance(data_status, str):
            hover.append(t(f"data_status.{data_status}", lang))
        hovers[code] = "<br>".join(hover)
    return lines, hovers


def _add_click_area(fig, shapes_in_view, hovers: dict) -> None:
    """Invisible points over each 街镇 in view, so anywhere inside is a click and hover."""
    from indicators.domain import geo

    # Anywhere inside a 街镇 is a click (and hover) target, not only its label.
    grid = geo.click_grid(shapes_in_view)
    invisible = {"marker": {"opacity": 0}}
    fig.add_trace(
        go.Scatter(
            x=grid["x"],
            y=grid["y"],
            mode="markers",
            marker={"size": 18, "opacity": 0, "color": "#000"},
            customdata=list(grid["scope_code"]),
            hovertext=[hovers[c] for c in grid["scope_code"]],
            hoverinfo="text",
            showlegend=False,
            name="click_area",
            selected=invisible,
            unselected=invisible,
        )
    )


def _add_map_labels(fig, placed, lines: dict, hovers: dict, fills: dict) -> None:
    """The labels where _place_labels put them, a leader line to each moved one, white
    text on a dark fill."""
    for row in placed[placed["outside"]].itertuples():  # leader lines to moved labels
        fig.add_trace(
            go.Scatter(
                x=[row.anchor_x, row.x],
                y=[row.anchor_y, row.y],
                mode="lines+markers",
                line={"color": "#424242", "width": 1},
                marker={"size": [5, 0], "color": "#424242"},
                hoverinfo="skip",
                showlegend=False,
                name="leader",
            )
        )
    dark = [not row.outside and _is_dark(fills[row.scope_code]) for row in placed.itertuples()]
    fig.add_trace(
        go.Scatter(
            x=placed["x"],
            y=placed["y"],
            mode="markers+text",
            text=[f"<b>{lines[c][0]}</b><br>{lines[c][1]}" for c in placed["scope_code"]],
            textposition=["middle right" if o else "middle center" for o in placed["outside"]],
            textfont={"size": LABEL_PX, "color": ["#ffffff" if d else "#111111" for d in dark]},
            marker={"size": 26, "opacity": 0.01},
            customdata=list(placed["scope_code"]),
            hovertext=[hovers[c] for c in placed["scope_code"]],
            hoverinfo="text",
            showlegend=False,
            name="scopes",
            cliponaxis=False,  # a moved label is never cut at the plot's edge
            # A click selects; keep every label readable rather than fading the others.
            selected={"marker": {"opacity": 0.01}},
            unselected={"marker": {"opacity": 0.01}},
        )
    )


def _add_value_legend(fig, scale, direction: str, unit: str, lang: str) -> None:
    """A colour bar of the fill's own scale, darker (better) at the top, in real values."""
    low, high = scale
    # The legend is the fill's own scale, darker (better) always at the top: a lower-is-
    # better indicator runs on its negated values, labelled with the real ones.
    sign = 1 if direction == "higher" else -1
    ticks = [low + (high - low) * k / 4 for k in range(5)] if high > low else [low]
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": VALUE_SCALE,
                "cmin": min(sign * low, sign * high),
                "cmax": max(sign * low, sign * high),
                "color": [sign * low],
                "colorbar": {
                    "title": {
                        "text": t(
                            f"chart.darker_{direction}",
                            lang,
                            unit=i18n.unit_label(unit, lang),
                        )
                    },
                    "thickness": 14,
                    "tickvals": [sign * v for v in ticks],
                    "ticktext": [i18n.number(v, unit, lang) for v in ticks],
                },
            },
        )
    )


def _add_status_legend(fig, shown_statuses: list, lang: str) -> None:
    """A legend entry for each status shown on the map, in the statuses' order."""
    for status in [s for s in RAG_ORDER if s in shown_statuses]:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=rag_text(status, lang),
                marker={"color": RAG_COLOURS[status], "size": 14, "symbol": "square"},
            )
        )


def _fit_map_axes(fig, shapes, placed, lines: dict) -> None:
    """Hidden axes at lon/lat proportions, widened on the right for any moved label."""
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.17)  # 1/cos(31.2°)
    if placed["outside"].any():  # room on the right for the moved labels
        minx, _, maxx, _ = shapes.total_bounds
        longest = max(_text_px(lines[c][0]) for c in placed.loc[placed["outside"], "scope_code"])
        room = (50 + longest) * 1.4 * _degrees_per_px(shapes)
        fig.update_xaxes(range=[minx - 0.002, maxx + room])


def _map_title(
    shown: pd.DataFrame, indicator_id: str, mode: str, schematic: bool, lang: str
) -> str:
    """The map's title; in status mode it says when a target is illustrative or a plan
    does not fit it."""
    title = t(
        "map.title" if schematic else "map.title_official",
        lang,
        indicator=i18n.indicator_name(indicator_id, lang),
    )
    if mode == "status":  # the statuses' colours: say when a target is illustrative
        title += demo_target_note(shown, lang)
        title += plan_misfit_note(shown, lang)
    return title


def plan_paths(
    path: pd.DataFrame,
    scopes: list[str],
    indicator_id: str,
    plan: dict,
    lang: str,
    illustrative: bool = False,
) -> go.Figure:
    """Each scope's five-year path (barometer.path), one panel each on one scale: the
    cumulative change from the plan's base year to date (the scope's colour), the even-pace
    进度要求 (grey, dashed) and the plan's target (red, dotted), in percent of the base.
    Years across; the current year's point sits at the share of it elapsed."""
    have = set(path["scope_code"])
    shown = [c for c in scopes if c in have]
    cols = min(3, max(1, len(shown)))
    rows = max(1, -(-len(shown) // cols))
    titles = [i18n.scope_name(c, lang) for c in shown]
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, shared_xaxes=True, shared_yaxes=True
    )
    colours = scope_colours(shown)
    names = {k: t(f"chart.path_{k}", lang) for k in ("achieved", "even_pace", "target")}
    styles = {
        "even_pace": {"color": "#78909c", "width": 2, "dash": "dash"},
        "target": {"color": RAG_COLOURS["red"], "width": 2, "dash": "dot"},
    }
    n = fiveyear.length(plan)
    for i, code in enumerate(shown):
        r, c = i // cols + 1, i % cols + 1
        part = path[path["scope_code"] == code]
        for kind in ("target", "even_pace", "achieved"):
            line = part[part["kind"] == kind].sort_values("x")
            if line.empty:
                continue
            achieved = kind == "achieved"
            labels = [f"{v:.2f}%" for v in line["value"]]
            fig.add_trace(
                go.Scatter(
                    x=line["x"] + plan["base"],
                    y=line["value"],
                    mode="lines+markers+text" if achieved else "lines",
                    line={"color": colours[code], "width": 3} if achieved else styles[kind],
                    text=[""] * (len(labels) - 1) + labels[-1:] if achieved else None,
                    textposition="middle right",
                    name=names[kind],
                    legendgroup=kind,
                    showlegend=i == 0,
                    hovertext=labels,
                    hovertemplate=f"{names[kind]} %{{hovertext}}<extra></extra>",
                ),
                row=r,
                col=c,
            )
    how = fiveyear.measure(indicator_id)
    plan_name = plan["name_zh"] if lang == "zh" else plan["name_en"]
    title = t(
        "chart.plan_paths",
        lang,
        indicator=i18n.indicator_name(indicator_id, lang),
        plan=plan_name,
    )
    if illustrative:
        title += t("label.demo_value", lang)
    fig.update_xaxes(
        range=[plan["base"] - 0.2, plan["base"] + n + 0.2], dtick=1, showticklabels=True
    )
    values = path.loc[path["scope_code"].isin(shown), "value"]
    low, high = min(0.0, values.min()), max(0.0, values.max()) if len(values) else 1.0
    pad = max((high - low) * 0.08, 0.5)  # one scale for every panel, the target inside it
    fig.update_yaxes(showticklabels=True, ticksuffix="%", range=[low - pad, high + pad])
    fig.update_yaxes(title_text=t(f"chart.path_axis_{how}", lang, base=plan["base"]), col=1)
    fig = _layout(fig, title, height=max(320, 280 * rows) + 60, panel_titles=True)
    return _legend_below(fig)


def fund_savings(perf: pd.DataFrame, scopes: list[str], year: int, lang: str) -> go.Figure:
    """Each 街镇's funded savings against its need this year (fund.performance's total
    rows): expected and verified savings as bars, the need as a marker. A 街镇 with no
    project saving has no bar, never a bar of 0."""
    rows = perf[(perf["category"] == FUND_ALL) & perf["street_code"].isin(scopes)]
    rows = rows.set_index("street_code")
    rows = rows.reindex([s for s in scopes if s in rows.index])
    names = [i18n.scope_name(c, lang) for c in rows.index]
    fig = go.Figure()
    for column, colour, key in (
        ("expected_saving_tce", SERIES[0], "chart.fund_expected"),
        ("verified_saving_tce", SERIES[1], "chart.fund_verified"),
    ):
        values = rows[column]
        fig.add_trace(
            go.Bar(
                x=names,
                y=values,
                name=t(key, lang),
                marker_color=colour,
                text=[i18n.number(v, "tce", lang) if v == v else "" for v in values],
                textposition="outside",
                textfont={"size": 14},
                cliponaxis=False,
                hovertemplate="%{x}: %{text}<extra></extra>",
            )
        )
    need = rows["need_tce"]
    fig.add_trace(
        go.Scatter(
            x=names,
            y=need,
            mode="markers",
            name=t("chart.fund_need", lang),
            marker={"symbol": "line-ew-open", "size": 40, "line": {"width": 4}, "color": "#c62828"},
            text=[_with_unit(v, "tce", lang) if v == v else "" for v in need],
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=i18n.unit_label("tce", lang), rangemode="tozero")
    title = t("chart.fund_savings", lang, year=year)
    return _legend_below(_local_numbers(_layout(fig, title, height=460), "y", lang))


def fund_cost_by_category(perf: pd.DataFrame, district: str, lang: str) -> go.Figure:
    """万元 per tce saved a year, by category, over the district's projects: the cheapest
    tonne first. A category with no stated saving has no bar."""
    rows = perf[(perf["street_code"] == district) & (perf["category"] != FUND_ALL)]
    rows = rows[rows["cost_per_tce"].notna()].sort_values("cost_per_tce", ascending=False)
    labels = [c if isinstance(c, str) else t("fund.no_category", lang) for c in rows["category"]]
    fig = go.Figure(
        go.Bar(
            x=rows["cost_per_tce"],
            y=labels,
            orientation="h",
            marker_color=SERIES[3],
            text=[f"{v:,.3f}" for v in rows["cost_per_tce"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title=t("chart.fund_cost_axis", lang), rangemode="tozero")
    height = max(300, 60 * len(rows) + 160)
    return _layout(fig, t("chart.fund_cost", lang), height=height)
