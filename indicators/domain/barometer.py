"""The 晴雨表 (节能目标完成情况晴雨表): for each scope, the 预警等级 of every round of a year so
far — against the year's target and against the five-year plan's 进度要求 — and how it
moved since the round before (↑ worse, ↓ better); and each scope's five-year path.

In: plan_status.status frames keyed by (year, round), as queries.plan_rounds reads them.
Out: frames and words for the page, the deck, the PDF and the downloads, so all four say
the same. A cell without a figure is 未报送 (never 三级); a cell whose target is not set is
无目标. Pure: no database, no Streamlit.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from indicators.domain import fiveyear
from indicators.domain.fiveyear import missing
from indicators.reference import i18n, period_share
from indicators.reference.i18n import t

ROUNDS = ("Q1", "Q2", "Q3", "Y")  # 一季度, 上半年, 前三季度, 全年 (each to date)
AGAINST = ("year", "plan")  # the year's target; the five-year plan's 进度要求
# A cell's band: a level, or why it has none (the status colours' words for the same)
BAND = {1: "level_1", 2: "level_2", 3: "level_3"}
LONG_COLUMNS = [
    "scope_code",
    "indicator_id",
    "round",
    "against",
    "level",
    "band",
    "moved",
    "illustrative",
]


def rounds_so_far(statuses: dict[tuple[int, str], pd.DataFrame], year: int) -> list[str]:
    """The rounds of `year` up to the latest with any figure: Q1 and Q3 reported gives
    一季度, 上半年, 前三季度 (上半年 then shows 未报送); none gives none."""
    have = [
        r for r in ROUNDS if (year, r) in statuses and statuses[(year, r)]["value"].notna().any()
    ]
    return list(ROUNDS[: ROUNDS.index(have[-1]) + 1]) if have else []


def rounds_until(rounds: list[str], period: str) -> list[str]:
    """The rounds a briefing for `period` shows: those it has reached (Q3 or M09: through
    前三季度; M05: 一季度 only; Y: all)."""
    share = period_share(period)
    return [r for r in rounds if period_share(r) <= share + 1e-9]


def targeted(long: pd.DataFrame, indicator: str) -> bool:
    """Whether any scope has a five-year target for `indicator` (else the tables would be
    无目标 throughout: the briefing leaves the indicator out)."""
    part = long[(long["indicator_id"] == indicator) & (long["against"] == "plan")]
    return bool((part["band"] != "no_target").any())


def _band(level: Any, target_set: bool) -> str:
    if not missing(level):
        return BAND[int(level)]
    return "not_reported" if target_set else "no_target"


def _year_target_set(row: Any) -> bool:
    how = fiveyear.measure(row.indicator_id)
    if how == "fall":
        return not missing(row.year_change_target)
    if how == "cap":
        cap = row.year_total_target
        return not missing(cap) and cap > 0 and row.year_total_kind in ("cumulative", "level")
    return False


def levels(statuses: dict[tuple[int, str], pd.DataFrame], year: int) -> pd.DataFrame:
    """One row per scope, indicator, round of `year` and what it is judged against: the
    level (Int64, NA without one), its band (level_1..3, not_reported, no_target) and how
    it moved since the round before in the same year ('↑', '↓' or ''; 一季度 has none)."""
    rows = []
    for (y, rnd), frame in statuses.items():
        if y != year:
            continue
        for r in frame.itertuples():
            common = {
                "scope_code": r.scope_code,
                "indicator_id": r.indicator_id,
                "round": rnd,
                "illustrative": bool(r.illustrative) if not missing(r.illustrative) else False,
            }
            year_level, plan_level = r.level_year, r.level_plan
            rows.append(
                common
                | {
                    "against": "year",
                    "level": year_level,
                    "band": _band(year_level, _year_target_set(r)),
                }
            )
            rows.append(
                common
                | {
                    "against": "plan",
                    "level": plan_level,
                    "band": _band(plan_level, not missing(r.plan_target)),
                }
            )
    out = pd.DataFrame(rows, columns=[c for c in LONG_COLUMNS if c != "moved"])
    out["level"] = pd.array([None if missing(v) else int(v) for v in out["level"]], "Int64")
    order = {r: i for i, r in enumerate(ROUNDS)}
    out = out.sort_values(
        ["scope_code", "indicator_id", "against", "round"], key=_round_key(order)
    ).reset_index(drop=True)
    before = out.groupby(["scope_code", "indicator_id", "against"])["level"].shift()
    out["moved"] = [
        fiveyear.moved(None if missing(b) else int(b), None if missing(n) else int(n))
        for b, n in zip(before, out["level"], strict=True)
    ]
    return out[LONG_COLUMNS]


def _round_key(order: dict[str, int]):
    def key(column: pd.Series) -> pd.Series:
        return column.map(order) if column.name == "round" else column

    return key


def cell_text(band: str, moved: str, lang: str) -> str:
    """A cell as the tables show it: an icon and the level's short word, then ↑/↓."""
    text = t(f"barometer.band_{band}", lang)
    return f"{text} {moved}" if moved else text


def round_label(rnd: str, lang: str) -> str:
    return t(f"barometer.round_{rnd}", lang)


def table(
    long: pd.DataFrame, indicator: str, against: str, scopes: list[str], rounds: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One 晴雨表 as two frames indexed by scope (in `scopes` order) with a column per
    round: the bands and the moves. A scope or round without a row is not_reported."""
    part = long[(long["indicator_id"] == indicator) & (long["against"] == against)]

    def wide(column: str, blank: str) -> pd.DataFrame:
        cells = part.pivot(index="scope_code", columns="round", values=column)
        cells = cells.reindex(index=scopes, columns=rounds).astype(object)
        return cells.where(cells.notna(), blank).rename_axis(index=None, columns=None)

    return wide("band", "not_reported"), wide("moved", "")


def shown_table(bands: pd.DataFrame, moves: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table in words: scope names down the side, round names across."""
    cells = pd.DataFrame(
        [
            [cell_text(b, m, lang) for b, m in zip(bands.loc[s], moves.loc[s], strict=True)]
            for s in bands.index
        ],
        index=[i18n.scope_name(s, lang) for s in bands.index],
        columns=[round_label(r, lang) for r in bands.columns],
    )
    return cells


def download(
    long: pd.DataFrame, indicator: str, scopes: list[str], rounds: list[str], lang: str
) -> pd.DataFrame:
    """Both tables in one frame for CSV/XLSX (the page's download and the command line's
    `plan barometer`): a row per scope and what it is judged against, a column per round,
    and whether any of the row's figures or targets is illustrative (示例数据)."""
    head = t("barometer.col_scope", lang), t("barometer.col_against", lang)
    demo_col = t("barometer.col_illustrative", lang)
    rows = []
    for against in AGAINST:
        bands, moves = table(long, indicator, against, scopes, rounds)
        shown = shown_table(bands, moves, lang)
        part = long[(long["indicator_id"] == indicator) & (long["against"] == against)]
        demo = set(part.loc[part["illustrative"], "scope_code"])
        for code, (_, cells) in zip(scopes, shown.iterrows(), strict=True):
            rows.append(
                {
                    head[0]: i18n.scope_name(code, lang),
                    head[1]: t(f"barometer.against_{against}", lang),
                    **cells.to_dict(),
                    demo_col: t("common.yes" if code in demo else "common.no", lang),
                }
            )
    return pd.DataFrame(rows)


def briefing_page(
    long: pd.DataFrame,
    indicator: str,
    scopes: list[str],
    rounds: list[str],
    plan: dict[str, Any],
    year: int,
    lang: str,
) -> dict[str, Any]:
    """What the deck's slide and the PDF's page show: a title, for each of the two tables
    (those with a target somewhere) its title, heads and rows of (text, band) cells, the
    summary lines (what is off track) and the notes (how a cell reads, what is
    illustrative)."""
    name = plan["name_zh"] if lang == "zh" else plan["name_en"]
    tables = []
    for against in AGAINST:
        bands, moves = table(long, indicator, against, scopes, rounds)
        if untargeted(bands):  # said in a note (notes), not a table of 无目标
            continue
        tables.append(
            {
                "title": t(f"barometer.table_{against}", lang, plan=name),
                "heads": [round_label(r, lang) for r in rounds],
                "rows": [
                    (
                        i18n.scope_name(s, lang),
                        [
                            (cell_text(b, m, lang), b)
                            for b, m in zip(bands.loc[s], moves.loc[s], strict=True)
                        ],
                    )
                    for s in scopes
                ],
            }
        )
    return {
        "title": title(indicator, year, lang),
        "tables": tables,
        "summary": summary(long, indicator, scopes, rounds, lang),
        "notes": notes(long, indicator, lang),
    }


def summary(
    long: pd.DataFrame, indicator: str, scopes: list[str], rounds: list[str], lang: str
) -> list[str]:
    """What is off track, in a line per judgement of the latest round: how many scopes are
    at each level, naming those at 一级 and 二级, and how many have not reported."""
    if not rounds:
        return []
    last, sep = rounds[-1], t("common.list_sep", lang)
    lines = []
    for against in AGAINST:
        bands = table(long, indicator, against, scopes, [last])[0][last]
        if untargeted(bands.to_frame()):
            continue
        parts = []
        for band in [*BAND.values(), "not_reported"]:
            names = [i18n.scope_name(s, lang) for s in bands.index if bands[s] == band]
            if names:
                parts.append(
                    t(f"barometer.count_{band}", lang, n=len(names), names=sep.join(names))
                )
        lines.append(
            t(
                "barometer.summary",
                lang,
                round=round_label(last, lang),
                against=t(f"barometer.against_{against}", lang),
                parts=t("barometer.summary_sep", lang).join(parts),
            )
        )
    return lines


def untargeted(bands: pd.DataFrame) -> bool:
    """A table with no target in any cell (a total with no annual cap): the page, the
    deck and the PDF say so in a line instead of a table of 无目标."""
    return bool(bands.size) and bool((bands == "no_target").all().all())


def title(indicator: str, year: int, lang: str) -> str:
    return t("barometer.title", lang, year=year, indicator=i18n.indicator_name(indicator, lang))


def notes(long: pd.DataFrame, indicator: str, lang: str) -> list[str]:
    """What a reader of the tables needs beside them: which judgement has no target at
    all, how a cell reads, and what is illustrative (figures or targets; the thresholds
    until the district sets them)."""
    part = long[long["indicator_id"] == indicator]
    out = [
        t(f"barometer.untargeted_{against}", lang, indicator=i18n.indicator_name(indicator, lang))
        for against in AGAINST
        if len(part[part["against"] == against])
        and (part.loc[part["against"] == against, "band"] == "no_target").all()
    ]
    out.append(t("barometer.legend", lang))
    if part["illustrative"].any():
        out.append(t("barometer.illustrative", lang))
    if fiveyear.illustrative():
        out.append(t("plan.levels_illustrative", lang))
    return out


def charted(scopes: list[str]) -> list[str]:
    """The scopes whose five-year path is drawn: all of a view up to analysis.MAX_CHARTED;
    past that (a city's hundreds of 街镇), the focus 街镇, the groups and the district —
    the tables above still list every one."""
    from indicators.domain.analysis import MAX_CHARTED
    from indicators.reference import focus_leaves, leaves

    if len(scopes) <= MAX_CHARTED:
        return scopes
    keep = set(focus_leaves()) | (set(scopes) - set(leaves()))
    return [s for s in scopes if s in keep]


def path(
    statuses: dict[tuple[int, str], pd.DataFrame], p: dict[str, Any], indicator: str, year: int
) -> pd.DataFrame:
    """Each scope's five-year path for the chart: one row per point, `x` the plan's years
    elapsed (the base year is 0; the current year counted by its share elapsed), `value`
    in percent of the base, and `kind` achieved (the cumulative change: each earlier
    year's whole year, then the latest round of `year`), even_pace (the 进度要求 along the
    way) or target (the whole plan's). A point with no figure is left out of the achieved
    line, never drawn as 0."""
    now = rounds_so_far(statuses, year)
    points = [(y, "Y") for y in range(p["first"], year)] + ([(year, now[-1])] if now else [])
    how, n = fiveyear.measure(indicator), fiveyear.length(p)
    rows: list[dict[str, Any]] = []
    for y, rnd in points:
        frame = statuses.get((y, rnd), pd.DataFrame(columns=["indicator_id"]))
        for r in frame[frame["indicator_id"] == indicator].itertuples():
            if not missing(r.cumulative_change):
                k = fiveyear.elapsed(p, y, rnd)
                rows.append(_point(r.scope_code, k, "achieved", r.cumulative_change, rnd, y))
    last = statuses.get((year, now[-1] if now else "Y"))
    if last is not None:  # the base, the even-pace path and the target, once per scope
        steps = [k / 4 for k in range(4 * n + 1)]
        for r in last[last["indicator_id"] == indicator].itertuples():
            rows.append(_point(r.scope_code, 0.0, "achieved", 0.0, "base", p["base"]))
            if missing(r.plan_target):
                continue
            target = float(r.plan_target)
            rows += [
                _point(r.scope_code, k, "even_pace", fiveyear.required(target, k, n, how))
                for k in steps
            ]
            rows += [_point(r.scope_code, k, "target", target) for k in (0.0, float(n))]
    out = pd.DataFrame(rows, columns=["scope_code", "x", "kind", "value", "round", "year"])
    return out.sort_values(["scope_code", "kind", "x"], kind="stable").reset_index(drop=True)


def _point(scope, x, kind, value, rnd="", year=None) -> dict[str, Any]:
    return {
        "scope_code": scope,
        "x": float(x),
        "kind": kind,
        "value": float(value) * 100.0,
        "round": rnd,
        "year": year,
    }
