"""The reporting cycle (报送进度): what each 街镇 is due to report for a period, by when, and
where each item stands — missing (未报送), submitted (已报送), approved (已审核) or
returned (退回) — and how many days it is overdue on a given day.

Pure: the catalogue's due rules and frames in, frames out; no database, no Streamlit.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import pandas as pd

from indicators import reference
from indicators.reference import i18n

# Worst first: the order the 报送进度 grid and the CLI sort by.
STATES = ("missing", "returned", "submitted", "approved")
# A state that still owes the district a figure: it counts days overdue.
OWING = ("missing", "returned")
# The periods of each frequency, as the dashboard codes them (Q4 is the year: reference).
FREQUENCY_PERIODS = {
    "monthly": set(reference.PERIOD_CHOICES),
    "quarterly": {"Q1", "Q2", "Q3", "Y"},
    "yearly": {"Y"},
}
ITEM_COLUMNS = ["scope_code", "indicator_id", "year", "period", "due_on"]


def end_month(period: str) -> int:
    """The last month a period code covers: Q3 -> 9, M05 -> 5, Y -> 12."""
    return round(reference.period_share(period) * 12)


def due_on(year: int, period: str, rule: dict[str, Any]) -> date:
    """When a figure for `year`/`period` is due under `rule` ({months, day}): that many
    months after the period's last month, on that day or the month's last day."""
    months = year * 12 + end_month(period) - 1 + int(rule["months"])
    y, m = divmod(months, 12)
    day = min(int(rule["day"]), calendar.monthrange(y, m + 1)[1])
    return date(y, m + 1, day)


def due_indicators(period: str, reported_by: str = "streets") -> list[dict[str, Any]]:
    """The catalogue entries `reported_by` reports for a period (its one code: M09 is Q3)."""
    code = reference.choice_period(period)
    return [
        ind
        for ind in reference.catalogue()
        if ind["reported_by"] == reported_by and code in FREQUENCY_PERIODS[ind["frequency"]]
    ]


def due_items(year: int, period: str, streets: list[str]) -> pd.DataFrame:
    """One row per (街镇, indicator) due for the period, with its due date."""
    code = reference.choice_period(period)
    rows = [
        (scope, ind["id"], year, code, due_on(year, code, ind["due"]))
        for scope in streets
        for ind in due_indicators(code)
    ]
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def _text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def item_state(row: dict[str, Any]) -> tuple[str, str, Any, str]:
    """(state, submitted by, submitted at, reason) of one due item from what is loaded:
    `present`/`final`/`is_demo` describe the figure loaded now and `row_editor`/`row_at`
    the load that put it there; `last_review`/`last_editor`/`last_at`/`last_reason` the
    latest upload that reported it. A returned upload stays returned until a later load
    reports the item again; a figure loaded is approved when final, else submitted."""
    if _text(row.get("last_review")) == "returned":
        return "returned", _text(row["last_editor"]), row["last_at"], _text(row["last_reason"])
    if row.get("present") is True:
        state = "approved" if row.get("final") is True else "submitted"
        return state, _text(row.get("row_editor")), row.get("row_at"), ""
    return "missing", "", None, ""


def item_states(items: pd.DataFrame, loaded: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The due items with their state on `as_of`: state, submitted_by, submitted_at,
    reason, is_demo (the figure is illustrative), days_overdue (days past the due date
    while a figure is still owed; 0 before it or once submitted) and days_late (how late a
    figure that is in came in: 迟报). Worst first."""
    key = ["scope_code", "indicator_id"]
    merged = items.merge(loaded, on=key, how="left", suffixes=("", "_loaded"))
    states = [item_state(r) for r in merged.to_dict("records")]
    out = items.copy()
    out["state"] = [s[0] for s in states]
    out["submitted_by"] = [s[1] for s in states]
    out["submitted_at"] = [s[2] for s in states]
    out["reason"] = [s[3] for s in states]
    demo = merged["is_demo"] if "is_demo" in merged else pd.Series(False, index=merged.index)
    out["is_demo"] = demo.eq(True).to_numpy() & out["state"].isin(["submitted", "approved"])
    if "value" in merged:  # the figure loaded now (for a form to start from)
        out["value"] = merged["value"].where(out["state"].ne("returned")).to_numpy()
    late = [(as_of - d).days for d in out["due_on"]]
    out["days_overdue"] = [
        max(n, 0) if s in OWING else 0 for n, s in zip(late, out["state"], strict=True)
    ]
    out["days_late"] = days_late(out)
    return sort_worst_first(out)


def days_late(items: pd.DataFrame) -> list[int]:
    """For each item in, the days between its due date and when its figure came in
    (submitted or approved, counted from the submission); 0 when it came in on time, is
    still owed, or is illustrative (built-in data was not submitted by anyone)."""
    out = []
    for state, at, due, demo in zip(
        items["state"], items["submitted_at"], items["due_on"], items["is_demo"], strict=True
    ):
        if state in OWING or bool(demo) or at is None or pd.isna(at):
            out.append(0)
        else:
            out.append(max((pd.Timestamp(at).date() - due).days, 0))
    return out


def sort_worst_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Most overdue first, then by state (missing, returned, submitted, approved), then in
    the 街镇 and catalogue order."""
    order = {code: i for i, code in enumerate(s["code"] for s in reference.scopes())}
    indicators = {ind: i for i, ind in enumerate(reference.indicator_ids())}
    keys = pd.DataFrame(
        {
            "late": -frame["days_overdue"],
            "state": frame["state"].map(STATES.index),
            "scope": frame["scope_code"].map(order),
            "indicator": frame["indicator_id"].map(indicators),
        }
    )
    ranked = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[ranked].reset_index(drop=True)


def latest_due_period(today: date) -> tuple[int, str]:
    """The latest year and period whose street figures were due by `today` (the period a
    reporting page opens on): on 1 December, Q3 (due 15 October)."""
    for months_back in range(0, 36):
        y, m = divmod(today.year * 12 + today.month - 1 - months_back, 12)
        code = reference.choice_period(f"M{m + 1:02d}")
        items = due_indicators(code)
        if items and min(due_on(y, code, ind["due"]) for ind in items) <= today:
            return y, code
    return today.year - 1, "Y"


def date_text(day: date, lang: str) -> str:
    return i18n.t("reporting.date", lang, y=day.year, m=day.month, d=day.day)


def reminder(frame: pd.DataFrame, year: int, period: str, as_of: date, lang: str) -> str:
    """A 催报通知: each 街镇 that still owes figures past their due date, what it owes, due
    when, overdue how long (and why a figure came back). Empty when nothing is overdue."""
    late = frame[frame["state"].isin(OWING) & frame["days_overdue"].gt(0)]
    if late.empty:
        return ""
    lines = []
    for n, (scope, items) in enumerate(late.groupby("scope_code", sort=False), start=1):
        owed = i18n.t("reporting.list_joiner", lang).join(
            i18n.indicator_name(i, lang)
            + (
                i18n.t("reporting.returned_because", lang, reason=r)
                if s == "returned" and r
                else ""
            )
            for i, s, r in zip(items["indicator_id"], items["state"], items["reason"], strict=True)
        )
        lines.append(
            i18n.t(
                "reporting.reminder_line",
                lang,
                n=n,
                street=i18n.scope_name(scope, lang),
                items=owed,
                due=date_text(min(items["due_on"]), lang),
                days=int(items["days_overdue"].max()),
            )
        )
    illustrative = any(reference.indicator(i)["due"]["illustrative"] for i in late["indicator_id"])
    return i18n.t(
        "reporting.reminder",
        lang,
        period=i18n.t("reporting.round", lang, year=year, period=i18n.period_label(period, lang)),
        as_of=date_text(as_of, lang),
        lines="\n".join(lines),
        rules=i18n.t("reporting.rules_illustrative", lang) if illustrative else "",
    ).strip()
