"""Shaping indicator frames for the pages: pure DataFrame in, DataFrame out."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pandas as pd

from indicators import reference
from indicators.domain import status


def effective_period(indicator_id: str, period: str) -> str:
    """The period an indicator is due for when `period` is chosen: a yearly one only has
    the whole year; a quarterly one in a month view has its latest quarter to date (1–5月
    shows 一季度); otherwise the period itself. Where it has no figure, it is 未报送 for
    this period (see shown_period)."""
    frequency = reference.indicator(indicator_id)["frequency"]
    if frequency == "yearly":
        return "Y"
    if frequency == "quarterly" and period.startswith("M") and int(period[1:]) >= 3:
        quarter = int(period[1:]) // 3
        return "Y" if quarter == 4 else f"Q{quarter}"
    return period


def end_month(period: str) -> int:
    """The last month a period code covers, year to date: Q3 -> 9, M10 -> 10, Y -> 12."""
    return round(reference.period_share(period) * 12)


@cache  # asked once per cell of a city's status matrix
def _window(period: str) -> tuple[str, ...]:
    """The period codes a figure for `period` may fall back to, latest first: those ending
    from the latest quarter to date up to `period` (1–10月: M10, then M09 and Q3), the
    chosen code first among those ending in the same month, then its one choice code."""
    last = end_month(period)
    first = max(last // 3 * 3, 1)
    codes = [p for p in reference.PERIODS if first <= end_month(p) <= last]

    def rank(code: str) -> tuple[int, int, int]:
        return (-end_month(code), code != period, code != reference.choice_period(code))

    return tuple(sorted(codes, key=rank))


def shown_period(indicator_id: str, period: str, have: Iterable[str]) -> str:
    """The period an indicator's figure is shown for when `period` is chosen.

    The figure loaded or derived for exactly that period (by any of its codes: M09 is
    Q3) where there is one; a yearly indicator's whole year; else the latest figure from
    the latest quarter to date up to the chosen period (a quarterly figure in 1–10月 is
    前三季度's; a register's monthly figure its latest month in that span); else the period
    it is due for (effective_period), where it is 未报送.

    Args:
        period: the period chosen (a code of reference.PERIODS).
        have: the periods that hold a figure for the indicator (and scope, or view).
    Returns:
        A period code; the card says which when it is not the chosen one (same_period).
    """
    have = set(have)
    due = effective_period(indicator_id, period)
    if due == "Y" and not any(same_period(p, period) for p in have):
        return "Y"
    for code in _window(period):
        if code in have:
            return code
    return due


def same_period(a: str, b: str) -> bool:
    """Whether two period codes mean the same months (M09 and Q3; Q4, M12 and Y)."""
    return reference.choice_period(a) == reference.choice_period(b)


def period_note(indicator_id: str, shown: str, period: str) -> str | None:
    """Why a figure is shown for `shown` when `period` was chosen, if it is another period:
    "due" where that is the period the indicator is reported for (a yearly figure, or a
    quarterly one's latest quarter), "latest" where it is the latest figure there is (a
    register's latest month, a quarter while another scope has the chosen months)."""
    if same_period(shown, period):
        return None
    return "due" if same_period(shown, effective_period(indicator_id, period)) else "latest"


def periods_with_values(frame: pd.DataFrame) -> set[str]:
    """The periods of a frame's rows that hold a value."""
    return set(frame.loc[frame["value"].notna(), "period"])


def view_period(frame: pd.DataFrame, indicator_id: str, period: str, scope_codes) -> str:
    """The one period a page comparing scopes shows an indicator for (its ranking, map and
    table): shown_period over the periods any of `scope_codes` has a figure for, so the
    scopes are compared on the same months and a scope without them is named missing."""
    rows = frame[(frame["indicator_id"] == indicator_id) & frame["scope_code"].isin(scope_codes)]
    return shown_period(indicator_id, period, periods_with_values(rows))


def default_indicator(frame: pd.DataFrame, period: str, indicator_ids: list[str]) -> str:
    """The first of `indicator_ids` with a target for the period shown (so a page opens
    on a status, not on 无目标); the first of them when none has one."""
    for indicator_id in indicator_ids:
        rows = frame[frame["indicator_id"] == indicator_id]
        shown = shown_period(indicator_id, period, periods_with_values(rows))
        rows = rows[rows["period"] == shown]
        if "target_value" in rows and rows["target_value"].notna().any():
            return indicator_id
    return indicator_ids[0]


def periods_shown(period: str) -> tuple[str, ...]:
    """Every period a page showing `period` may need (see shown_period): the whole year
    and the codes from the latest quarter to date up to `period`."""
    return tuple(sorted({"Y", *_window(period)}))


def applies_to(indicator_id: str, scope_code: str) -> bool:
    """District-only indicators (street_values: none) do not apply to a 街镇."""
    ind = reference.indicator(indicator_id)
    return ind["street_values"] != "none" or scope_code == reference.district_code()


def pick_cards(
    frame: pd.DataFrame, scope_code: str, period: str, indicator_ids: list[str]
) -> pd.DataFrame:
    """One row per indicator for a scope and period, in catalogue order.

    Args:
        frame: an indicator frame for one year (queries.indicator_frame).
    Returns:
        The indicators' rows; an indicator with breakdown rows only gets one total row
        whose `parts` lists the breakdown; one with no value gets a not_reported row.
    """
    rows = []
    for ind_id in indicator_ids:
        if not applies_to(ind_id, scope_code):
            continue
        own = frame[(frame["indicator_id"] == ind_id) & (frame["scope_code"] == scope_code)]
        per = shown_period(ind_id, period, periods_with_values(own))
        part = own[own["period"] == per]
        total = part[part["breakdown"] == ""]
        if len(total):
            row = total.iloc[0].to_dict()
            row["parts"] = []
        elif len(part):
            row = part.iloc[0].to_dict()
            row.update(
                breakdown="",
                # a total of its breakdown only when every part is known (never a part as 0)
                value=part["value"].sum(min_count=len(part)),
                previous_value=part["previous_value"].sum(min_count=len(part)),
                previous_is_demo=any_flag(part, "previous_is_demo"),
                rag_status="no_target" if part["value"].notna().all() else "not_reported",
                target_value=None,
                attainment_pct=None,
                expected_to_date=None,
                note=None,
            )
            row["change"] = status.change_between(
                row["value"], row["previous_value"], row.get("change_kind", "pct")
            )
            row["parts"] = list(zip(part["breakdown"], part["value"], strict=True))
        else:
            # A yearly figure asked for mid-year is not late, just not due yet.
            not_due = per == "Y" and period != "Y"
            row = {
                "indicator_id": ind_id,
                "scope_code": scope_code,
                "period": per,
                "value": None,
                "rag_status": "not_due" if not_due else "not_reported",
                "parts": [],
                "is_demo": False,
            }
        rows.append(row)
    return pd.DataFrame(rows)


def any_flag(rows: pd.DataFrame, column: str) -> bool:
    """Whether any of the rows is flagged (an absent column flags none)."""
    return column in rows and bool(rows[column].fillna(False).astype(bool).any())


def status_matrix(
    frame: pd.DataFrame, scope_codes: list[str], period: str, indicator_ids: list[str]
) -> pd.DataFrame:
    """A scope × indicator table of rag_status: the 街镇 worst first, then their totals
    (双桥双新泾, 全区) in the order given, as the last rows of a table.

    A cell with no value is not_reported; an indicator that does not apply to a scope is
    not_applicable. `attrs["demo_targets"]` says whether a band was judged against an
    illustrative target; `attrs["plan_misfits"]` holds the rows of the bands judged on a
    plan to date that does not fit its target.
    """
    # The rules of pick_cards, as lookups: a city has hundreds of 街镇.
    rows = frame[frame["indicator_id"].isin(indicator_ids) & frame["scope_code"].isin(scope_codes)]
    valued = rows[rows["value"].notna()]
    have = valued.groupby(["scope_code", "indicator_id"])["period"].agg(set).to_dict()
    shown = {
        (code, i): shown_period(i, period, have.get((code, i), ()))
        for code in scope_codes
        for i in indicator_ids
    }
    keys = list(zip(rows["scope_code"], rows["indicator_id"], strict=True))
    rows = rows[[shown[k] == p for k, p in zip(keys, rows["period"], strict=True)]]
    total = rows["breakdown"].fillna("") == ""
    statuses = dict(
        zip(
            zip(rows.loc[total, "scope_code"], rows.loc[total, "indicator_id"], strict=True),
            rows.loc[total, "rag_status"],
            strict=True,
        )
    )
    # An indicator reported by its breakdown only has a total without a target.
    parts = set(zip(rows.loc[~total, "scope_code"], rows.loc[~total, "indicator_id"], strict=True))
    cells = {}
    for code in scope_codes:
        cells[code] = {}
        for i in indicator_ids:
            if not applies_to(i, code):
                cell = "not_applicable"
            elif (code, i) in statuses:
                cell = statuses[(code, i)]
            elif (code, i) in parts:
                cell = "no_target"
            else:  # a yearly figure asked for mid-year is not late, just not due yet
                cell = "not_due" if shown[(code, i)] == "Y" and period != "Y" else "not_reported"
            cells[code][i] = cell
    table = pd.DataFrame.from_dict(cells, orient="index")[indicator_ids]
    leaf = table.index.isin(reference.leaves())
    matrix = pd.concat([status.worst_first(table[leaf]), table[~leaf]])
    # Whether any band in it was judged against an illustrative target: the matrix says so.
    judged = rows[total & rows["rag_status"].isin(status.BANDS)]
    matrix.attrs["demo_targets"] = any_flag(judged, "target_is_demo")
    # The indicators whose cells show another period than the chosen one, by that period
    # (前三季度 for the quarterly ones in 1–10月), for the matrix to say so.
    other = {}
    for (code, i), per in shown.items():
        if applies_to(i, code) and not same_period(per, period):
            other.setdefault(reference.choice_period(per), set()).add(i)
    matrix.attrs["other_periods"] = {
        per: [i for i in indicator_ids if i in other[per]] for per in sorted(other, key=end_month)
    }
    # 含待审核: the cells whose figure is, or is computed from, a submission not yet reviewed
    pending = rows["pending"] if "pending" in rows else pd.Series(False, index=rows.index)
    marked = total & pending.fillna(False).astype(bool)
    # a list of pairs, not a set: a table's attrs go to the browser as JSON
    matrix.attrs["pending_cells"] = sorted(
        set(zip(rows.loc[marked, "scope_code"], rows.loc[marked, "indicator_id"], strict=True))
    )
    # Plain fields only: a table's attrs go to the browser as JSON.
    fields = ["scope_code", "indicator_id", "rag_status", *status.MISFIT_FIELDS.values()]
    misfit = [
        {f: None if pd.isna(r[f]) else r[f] for f in fields}
        for r in judged.reindex(columns=fields).to_dict("records")
        if status.on_misfit_plan(r)
    ]
    order = {code: n for n, code in enumerate(matrix.index)}
    matrix.attrs["plan_misfits"] = sorted(misfit, key=lambda r: order[r["scope_code"]])
    return matrix


def shares_of_district(frame: pd.DataFrame) -> pd.DataFrame:
    """Each non-district scope's share of the district value (additive indicators).

    Args:
        frame: rows of one indicator, year and period, with scope_code and value.
    Returns:
        scope_code, value, share_pct; empty when the district value is missing or zero.
    """
    district = frame.loc[frame["scope_code"] == "district", "value"]
    if district.empty or pd.isna(district.iloc[0]) or district.iloc[0] == 0:
        return pd.DataFrame(columns=["scope_code", "value", "share_pct"])
    parts = frame[frame["scope_code"] != "district"][["scope_code", "value"]].copy()
    parts["share_pct"] = parts["value"] / district.iloc[0] * 100
    return parts.reset_index(drop=True)


def project_to_year_end(frame: pd.DataFrame, direction: str) -> pd.DataFrame:
    """Where each scope will end the year at its current pace, against its target.

    Args:
        frame: rows of one indicator, year and year-to-date period with target_value,
            target_kind and expected_to_date (from queries.indicator_frame); the pace
            follows the plan to date where there is one, and a flow with no target
            (year_to_date: sum) scales up by the share of the year covered.
        direction: "higher" or "lower" is better.
    Returns:
        scope_code, year, value, projected, target_value, will_meet, shortfall (how far the
        projection falls short of the target in the indicator's unit; 0 when met).
    """
    rows = []
    for r in frame.itertuples(index=False):
        if pd.isna(r.value):
            continue
        target = None if pd.isna(r.target_value) else float(r.target_value)
        plan_share = None
        if target and not pd.isna(r.expected_to_date):
            plan_share = float(r.expected_to_date) / target
        # Without a target, the catalogue says whether the value is a flow that adds up.
        kind = r.target_kind
        if pd.isna(kind) and reference.indicator(r.indicator_id)["year_to_date"] == "sum":
            kind = "cumulative"
        projected = status.project_year_end(r.value, r.period, kind, plan_share)
        if target is None:
            will_meet, shortfall = None, None
        else:
            will_meet = status.meets(projected, target, direction)
            gap = target - projected if direction == "higher" else projected - target
            shortfall = max(gap, 0.0)
        rows.append(
            {
                "scope_code": r.scope_code,
                "year": r.year,
                "value": r.value,
                "projected": projected,
                "target_value": target,
                "will_meet": will_meet,
                "shortfall": shortfall,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "scope_code",
            "year",
            "value",
            "projected",
            "target_value",
            "will_meet",
            "shortfall",
        ],
    )


def summarise_projects(projects: pd.DataFrame, view: str | None = None) -> pd.DataFrame:
    """Counts, amounts and expected savings of funded projects per 街镇; with a view, per
    part of the district as the view shows it (in 双桥双新泾 the other six 街镇 as one
    其他街镇 row), so the rows still add up to the district."""
    if projects.empty:
        return pd.DataFrame(columns=["scope_code", "n_projects", *PROJECT_SUMS, *_missing()])
    if view is not None:
        part = reference.part_of(view)
        order = {s["code"]: n for n, s in enumerate(reference.scopes())}
        codes = projects["scope_code"].map(lambda c: part.get(c, c))
        projects = projects.assign(scope_code=codes, scope_order=codes.map(order))
    # A sum of unknowns is unknown (min_count=1), never zero; how many were unknown is
    # kept beside each sum (<column>_missing).
    out = projects.groupby(["scope_order", "scope_code"], as_index=False, sort=True).agg(
        n_projects=("project_id", "count"),
        **{c: (c, known_sum) for c in PROJECT_SUMS},
        **{m: (c, count_missing) for c, m in zip(PROJECT_SUMS, _missing(), strict=True)},
    )
    return out.drop(columns="scope_order")


PROJECT_SUMS = ("amount_10k_yuan", "saving_tce_per_year")


def _missing() -> list[str]:
    return [f"{c}_missing" for c in PROJECT_SUMS]


def known_sum(values: pd.Series) -> float:
    """The sum of the known values; unknown (NaN) when none is known."""
    return values.sum(min_count=1)


def count_missing(values: pd.Series) -> int:
    return int(values.isna().sum())


def trend_rows(frame: pd.DataFrame, scope_code: str, view: str = "focus") -> pd.DataFrame:
    """Rows to plot over time: a 街镇 alone; a group with its members; the district with
    the scopes of the view (the four, their group and 全区; or all ten and 全区). A city's
    hundreds of 街镇 come down to the district and the focus 街镇 (panel_scopes)."""
    rows = totals_only(frame)
    if scope_code == reference.district_code():
        return panel_scopes(view_rows(rows, view))
    keep = [scope_code, *reference.members(scope_code)]
    return rows[rows["scope_code"].isin(keep)]


def view_rows(frame: pd.DataFrame, view: str) -> pd.DataFrame:
    """The rows of the scopes a view lists (reference.view_scopes), in that order."""
    order = {c: n for n, c in enumerate(reference.view_scopes(view))}
    rows = frame[frame["scope_code"].isin(order)]
    return rows.iloc[rows["scope_code"].map(order).argsort(kind="stable")]


def chosen_rows(frame: pd.DataFrame, scope_code: str, view: str) -> pd.DataFrame:
    """A table's rows for the chosen scope: the view's when it is the district, else the
    chosen 街镇 with the groups above it (双桥双新泾 or 其他街镇, and 全区) to compare with."""
    rows = view_rows(frame, view)
    if scope_code == reference.district_code():
        return rows
    above, code = [scope_code], scope_code
    tree = reference.parents()
    while code in tree:
        code = tree[code]
        above.append(code)
    chosen = frame[frame["scope_code"].isin(above)]
    return chosen.iloc[chosen["scope_code"].map(above.index).argsort(kind="stable")]


def targets_of(frame: pd.DataFrame) -> pd.DataFrame:
    """One target per scope and year from an indicator frame."""
    out = frame.drop_duplicates(["scope_code", "year"])[["scope_code", "year", "target_value"]]
    return out[out["target_value"].notna()].reset_index(drop=True)


def filter_projects(
    projects: pd.DataFrame,
    category: str | None = None,
    fund: str | None = None,
    period: str = "Y",
) -> pd.DataFrame:
    """The register rows of a category and fund (None for any) approved by the end of
    `period`; as in the funded_projects view, a project without an approval date counts
    in the whole year only."""
    keep = pd.Series(True, index=projects.index)
    end_month = round(reference.period_share(period) * 12)
    if end_month < 12:
        approved = pd.to_datetime(projects["approved_on"])
        keep &= approved.notna() & (approved.dt.month <= end_month)
    if category is not None:
        keep &= projects["category"] == category
    if fund is not None:
        keep &= projects["fund"] == fund
    return projects[keep]


def headline_period_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Per year, only the rows of the period that sums the year up: the whole year where
    there is one, else the latest quarter, else the latest month (2026 Q3 before Y)."""

    def rank(period: str) -> tuple[int, float]:
        return ({"Y": 0, "Q": 1, "M": 2}[period[0]], -reference.period_share(period))

    best = {year: min(group["period"], key=rank) for year, group in frame.groupby("year")}
    return frame[frame["period"] == frame["year"].map(best)]


def parts_missing(frame: pd.DataFrame) -> pd.Series:
    """Rows whose figure is a sum that left unknown parts out (a register's projects with
    no amount): the figure is the known parts' sum, or unknown if none is known."""
    if "missing_parts" not in frame:
        return pd.Series(False, index=frame.index)
    # no count is a figure that is not a sum of parts: nothing left out
    return frame["missing_parts"].fillna(0).gt(0)


def totals_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with a value for the indicator as a whole (no breakdown rows)."""
    return frame[(frame["breakdown"] == "") & frame["value"].notna()].reset_index(drop=True)


def named_scopes(frame: pd.DataFrame, view: str = "all") -> pd.DataFrame:
    """The 街镇 that can be ranked against each other (not groups or the district): the
    four of 双桥双新泾, or all of them."""
    return frame[frame["scope_code"].isin(reference.view_leaves(view))]


def view_shares(frame: pd.DataFrame, view: str) -> pd.DataFrame:
    """Shares of the district by the parts a view splits it into (the four and 其他街镇,
    or the ten), so the shares add up to the whole."""
    shares = shares_of_district(frame)
    return shares[shares["scope_code"].isin(reference.view_parts(view))].reset_index(drop=True)


# Charts stay readable with a city's hundreds of 街镇: past this many, the ranking shows
# the best and the worst few, with the focus 街镇 and the chosen one always in.
MAX_CHARTED = 20
EACH_END = 8


def charted_scopes(
    frame: pd.DataFrame, indicator_id: str, chosen: str | None = None
) -> tuple[pd.DataFrame, int]:
    """The rows of a ranking to chart, and how many 街镇 there are in all. With up to
    MAX_CHARTED, all of them; with more, the EACH_END best and worst, the focus 街镇
    and the chosen one."""
    if len(frame) <= MAX_CHARTED:
        return frame, len(frame)
    better_high = reference.indicator(indicator_id)["direction"] == "higher"
    ranked = frame.sort_values("value", ascending=not better_high, kind="stable")
    focus = {s["code"] for s in reference.scopes() if s.get("focus")} | {chosen}
    ends = set(ranked["scope_code"].head(EACH_END)) | set(ranked["scope_code"].tail(EACH_END))
    keep = ranked["scope_code"].isin(ends | focus)
    return frame[frame["scope_code"].isin(set(ranked.loc[keep, "scope_code"]))], len(frame)


REST = "_rest"  # the scope code of "the other 街镇" in a trimmed share chart


def charted_shares(shares: pd.DataFrame, chosen: str | None = None) -> pd.DataFrame:
    """Shares of the district to chart: all of them up to MAX_CHARTED 街镇; past that the
    EACH_END largest, the focus 街镇 and the chosen one, and one REST row for the others
    (rest_n of them), so the bar still adds up to the whole."""
    if len(shares) <= MAX_CHARTED:
        return shares
    focus = {s["code"] for s in reference.scopes() if s.get("focus")} | {chosen}
    largest = set(shares.nlargest(EACH_END, "share_pct")["scope_code"])
    keep = shares["scope_code"].isin(largest | focus)
    kept = shares[keep].sort_values("share_pct", ascending=False, kind="stable")
    rest = shares[~keep]
    rest_row = {
        "scope_code": REST,
        "value": known_sum(rest["value"]),
        "share_pct": known_sum(rest["share_pct"]),
        "rest_n": len(rest),
    }
    return pd.concat([kept, pd.DataFrame([rest_row])], ignore_index=True)


def panel_scopes(frame: pd.DataFrame, chosen: str | None = None) -> pd.DataFrame:
    """Small multiples: a panel per 街镇 up to MAX_CHARTED; past that, the focus 街镇,
    the chosen one and the district."""
    if frame["scope_code"].nunique() <= MAX_CHARTED:
        return frame
    keep = {s["code"] for s in reference.scopes() if s.get("focus")} | {chosen, "district"}
    return frame[frame["scope_code"].isin(keep)]


def ranking_rows(
    frame: pd.DataFrame, indicator_id: str, period: str, view: str = "all"
) -> pd.DataFrame:
    """The view's 街镇 totals of one indicator for the period a comparison of them shows
    when `period` is chosen (view_period: yearly ones by year)."""
    per = view_period(frame, indicator_id, period, reference.view_scopes(view))
    rows = frame[(frame["indicator_id"] == indicator_id) & (frame["period"] == per)]
    return named_scopes(totals_only(rows), view)
