"""What the reporting pages draw: the period picker, the 街镇 × indicator grid of states,
the list of due items, the 催报通知 and the data-entry grid of a 街镇's due figures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from indicators import auth, reference
from indicators.domain import reporting
from indicators.intake import review
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.store import db
from indicators.views import data
from indicators.views.widgets import (
    NOTICE_STYLE,
    STORED_NUMBER,
    data_caption,
    edit_table,
    show_table,
)

# Each state as an icon and a word, never colour alone; the colours only help.
STATE_ICONS = {"missing": "✖", "returned": "↩", "submitted": "●", "approved": "✔"}
STATE_COLOURS = {
    "missing": "background-color: #fbe3e1; color: #8a1c12",
    "returned": "background-color: #fdebd3; color: #7a4100",
    "submitted": "background-color: #eef2f8; color: #1f3b66",
    "approved": "background-color: #e2f2e5; color: #1d5a2b",
}


def period_picker(lang: str, key: str) -> tuple[int, str]:
    """Year and period of the reporting round, opening on the latest one due by today."""
    today = date.today()
    year, period = reporting.latest_due_period(today)
    years = list(range(today.year, today.year - 6, -1))
    left, right = st.columns(2)
    chosen_year = left.selectbox(
        t("filters.year", lang),
        years,
        index=years.index(year) if year in years else 0,
        key=f"{key}_year",
        format_func=lambda y: t("common.year", lang, year=y),
    )
    periods = [p for p in reference.PERIOD_CHOICES if reporting.due_indicators(p)]
    chosen_period = right.selectbox(
        t("filters.period", lang),
        periods,
        index=periods.index(period) if period in periods else 0,
        key=f"{key}_period",
        format_func=lambda p: i18n.period_choice(p, lang),
    )
    return int(chosen_year), str(chosen_period)


def state_text(state: str, overdue: int, lang: str, late: int = 0) -> str:
    """A state as icon and word, with the days it is overdue (a figure still owed) or the
    days it came in late (迟报, a figure in)."""
    text = f"{STATE_ICONS[state]} {t(f'reporting.state_{state}', lang)}"
    if overdue > 0:
        return text + t("reporting.days_late", lang, days=overdue)
    if late > 0:
        return text + t("reporting.days_late_in", lang, days=late)
    return text


def counts(frame: pd.DataFrame, lang: str) -> None:
    """How many items stand in each state, and how many are overdue."""
    columns = st.columns(len(reporting.STATES) + 1)
    for column, state in zip(columns, reporting.STATES, strict=False):
        column.metric(
            f"{STATE_ICONS[state]} {t(f'reporting.state_{state}', lang)}",
            int(frame["state"].eq(state).sum()),
        )
    columns[-1].metric(t("reporting.overdue", lang), int(frame["days_overdue"].gt(0).sum()))


def progress_grid(frame: pd.DataFrame, lang: str) -> None:
    """The 街镇 × indicator grid: each cell its state and days overdue, the 街镇 owing the
    most first."""
    indicators = list(dict.fromkeys(frame["indicator_id"]))
    streets = list(dict.fromkeys(frame["scope_code"]))  # worst first already
    cells = frame.set_index(["scope_code", "indicator_id"])
    rows, colours = [], []
    for scope in streets:
        row = {t("reporting.col_street", lang): i18n.scope_name(scope, lang)}
        style = {t("reporting.col_street", lang): ""}
        for ind in indicators:
            name = i18n.indicator_short(ind, lang)
            if (scope, ind) in cells.index:
                item = cells.loc[(scope, ind)]
                row[name] = state_text(
                    item["state"], int(item["days_overdue"]), lang, int(item["days_late"])
                )
                style[name] = STATE_COLOURS[item["state"]]
            else:
                row[name], style[name] = "", ""
        rows.append(row)
        colours.append(style)
    show_table(pd.DataFrame(rows), colours=pd.DataFrame(colours), key="reporting_grid")


def items_table(frame: pd.DataFrame, lang: str) -> None:
    """Every due item, sortable: 街镇, indicator, due date, state, days overdue (still owed)
    and late (came in after the due date), who sent it and when, and a return's reason; an
    illustrative figure says so."""
    demo = t("source.demo", lang)
    table = pd.DataFrame(
        {
            t("reporting.col_street", lang): [
                i18n.scope_name(s, lang) for s in frame["scope_code"]
            ],
            t("reporting.col_indicator", lang): [
                i18n.indicator_name(i, lang) for i in frame["indicator_id"]
            ],
            t("reporting.col_due", lang): [d.isoformat() for d in frame["due_on"]],
            t("reporting.col_state", lang): [
                state_text(s, 0, lang, int(n))
                for s, n in zip(frame["state"], frame["days_late"], strict=True)
            ],
            t("reporting.col_overdue", lang): frame["days_overdue"].astype(int),
            t("reporting.col_days_late", lang): frame["days_late"].astype(int),
            t("reporting.col_by", lang): [
                demo if d else b
                for b, d in zip(frame["submitted_by"], frame["is_demo"], strict=True)
            ],
            t("reporting.col_at", lang): [
                "" if pd.isna(a) else pd.Timestamp(a).strftime("%Y-%m-%d %H:%M")
                for a in frame["submitted_at"]
            ],
            t("reporting.col_reason", lang): frame["reason"],
        }
    )
    reason = st.column_config.TextColumn(width="large")
    show_table(
        table,
        fit=False,
        key="reporting_items",
        column_config={t("reporting.col_reason", lang): reason},
    )


def reminder_box(frame: pd.DataFrame, year: int, period: str, lang: str) -> None:
    """The 催报通知 as text to copy (the box's copy button) or download."""
    text = reporting.reminder(frame, year, period, date.today(), lang)
    if not text:
        st.success(t("reporting.nothing_overdue", lang))
        return
    st.code(text, language=None, wrap_lines=True)
    st.download_button(
        t("reporting.download_reminder", lang),
        text.encode("utf-8-sig"),  # Notepad on older Windows reads UTF-8 with its mark
        file_name=t("reporting.reminder_file", lang, year=year, period=period),
        mime="text/plain",
        key="reminder_download",
    )


def returned_notes(frame: pd.DataFrame, lang: str) -> None:
    """A 街镇 sees each returned figure with the district's reason."""
    for item in frame[frame["state"] == "returned"].itertuples():
        data_caption(
            t(
                "reporting.returned_note",
                lang,
                street=i18n.scope_name(item.scope_code, lang),
                indicator=i18n.indicator_name(item.indicator_id, lang),
                reason=item.reason,
            ),
            style="color:#7a4100;font-weight:600;margin:0.25rem 0",
        )


def rules_caption(frame: pd.DataFrame, lang: str) -> None:
    """The day the states are counted to, and that the due rules are illustrative."""
    text = t("reporting.as_of", lang, day=reporting.date_text(date.today(), lang))
    if any(reference.indicator(i)["due"]["illustrative"] for i in set(frame["indicator_id"])):
        text += t("reporting.rules_caption", lang)  # its own leading space where a language has one
    st.caption(text)


def entry_form(items: pd.DataFrame, editor: auth.Editor, year: int, period: str, lang: str):
    """The due figures as a grid to fill in (the loaded figure to start from); submitted,
    the changed rows are checked and loaded exactly as an uploaded file would be."""
    data.flash()
    if items.empty:
        st.info(t("reporting.nothing_due", lang))
        return
    if data.held_form(editor, lang):
        return
    labels = {c: t(f"reporting.form_{c}", lang) for c in ("street", "indicator", "unit", "value")}
    labels["note"] = t("reporting.form_note", lang)
    form = pd.DataFrame(
        {
            "scope_code": items["scope_code"].to_numpy(),
            "indicator_id": items["indicator_id"].to_numpy(),
            labels["street"]: [i18n.scope_name(s, lang) for s in items["scope_code"]],
            labels["indicator"]: [i18n.indicator_name(i, lang) for i in items["indicator_id"]],
            labels["unit"]: [
                i18n.unit_label(reference.indicator(i)["unit"], lang) for i in items["indicator_id"]
            ],
            labels["value"]: pd.to_numeric(items.get("value"), errors="coerce").to_numpy(),
            labels["note"]: "",
        }
    )
    edited = edit_table(
        form,
        # a new grid after every write: the old one's edits would replay on the new figures
        key=f"entry_{year}_{period}_{abs(hash(db.data_version()))}",
        column_order=list(labels.values()),
        disabled=[labels["street"], labels["indicator"], labels["unit"]],
        # the figure as stored, with thousands separators (220,945), never rounded
        column_config={labels["value"]: st.column_config.NumberColumn(format=STORED_NUMBER)},
    )
    if not st.button(t("reporting.submit", lang), type="primary", key="entry_submit"):
        return
    before, after = form[labels["value"]], edited[labels["value"]]
    changed = edited[after.notna() & ~(after == before)]
    if changed.empty:
        st.warning(t("reporting.nothing_entered", lang))
        return
    entries = pd.DataFrame(
        {
            "scope_code": changed["scope_code"],
            "year": year,
            "period": period,
            "indicator_id": changed["indicator_id"],
            "value": changed[labels["value"]],
            "note": changed[labels["note"]].fillna(""),
        }
    )
    name = t("reporting.form_file", lang, year=year, period=period)
    data.submit_form("observations", entries, editor, name, lang)


def queue_table(queue: pd.DataFrame, lang: str) -> None:
    """Submissions awaiting review, oldest first."""

    def names(codes: str | None, name) -> str:
        return t("reporting.list_joiner", lang).join(
            name(c, lang) for c in (codes or "").split(",") if c
        )

    table = pd.DataFrame(
        {
            t("history.col_batch", lang): [f"#{b}" for b in queue["batch_id"]],
            t("history.col_editor", lang): queue["editor"],
            t("history.col_time", lang): queue["loaded_at"].astype(str).str[:16],
            t("reporting.col_street", lang): [
                names(c, i18n.scope_name) for c in queue["scope_codes"]
            ],
            t("reporting.col_indicator", lang): [
                names(c, i18n.indicator_short) for c in queue["indicator_ids"]
            ],
            t("review.col_periods", lang): [
                t("reporting.list_joiner", lang).join(
                    t("reporting.round", lang, year=y, period=i18n.period_label(p, lang))
                    for y, p in (item.split(" ") for item in (text or "").split(",") if item)
                )
                for text in queue["periods"]
            ],
            t("review.col_figures", lang): queue["figures"].astype(int),
        }
    )
    show_table(table, fit=False, key="review_queue")


def pending_table(figures: pd.DataFrame, lang: str, key: str) -> None:
    """Figures awaiting review as a reviewer reads them: each with its unit, the public
    figure it would replace, the change, and whether it is within its plausible bounds
    (with the submitter's note confirming one that is not)."""
    from indicators.domain import plausibility

    def flag_text(flags: list[dict]) -> str:
        if not flags:
            return "✔ " + t("plaus.flag_ok", lang)
        return "⚠ " + t("plaus.flag_out", lang, n=len(flags))

    def replaced(value, is_demo, unit: str) -> str:
        if value is None or pd.isna(value):
            return t("pending.nothing_replaced", lang)
        return i18n.quantity(value, unit, lang) + (t("label.demo_value", lang) if is_demo else "")

    def indicator(code: str, breakdown: str) -> str:
        name = i18n.indicator_name(code, lang)
        return f"{name} · {i18n.breakdown_name(code, breakdown, lang)}" if breakdown else name

    rows = []
    for r in figures.to_dict("records"):
        unit = r["unit"]
        period = i18n.period_label(r["period"], lang)
        rows.append(
            {
                t("reporting.col_street", lang): i18n.scope_name(r["scope_code"], lang),
                t("reporting.col_indicator", lang): indicator(r["indicator_id"], r["breakdown"]),
                t("pending.col_period", lang): t(
                    "reporting.round", lang, year=r["year"], period=period
                ),
                t("pending.col_value", lang): i18n.quantity(r["value"], unit, lang),
                t("pending.col_replaces", lang): replaced(
                    r["replaced_value"], r["replaced_is_demo"], unit
                ),
                t("pending.col_change", lang): plausibility.change_text(r["change"], unit, lang)
                or t("common.none", lang),
                t("pending.col_plausible", lang): flag_text(r["flags"]),
                t("pending.col_note", lang): r["confirm_note"] or "",
                t("history.col_batch", lang): f"#{r['batch_id']}",
            }
        )
    show_table(pd.DataFrame(rows), fit=False, key=key)
    # each question in full below the table, with the submitter's word on it
    for r in figures.to_dict("records"):
        for flag in r["flags"]:
            data_caption("⚠ " + plausibility.line(flag, lang), style=NOTICE_STYLE)
        if r["flags"] and r["confirm_note"]:
            data_caption(t("plaus.submitter_note", lang, note=r["confirm_note"]))
    flagged = [f["indicator_id"] for flags in figures["flags"] for f in flags]
    if plausibility.illustrative(flagged):
        st.caption(t("plaus.bounds_illustrative", lang))


def review_actions(batch_id: int, editor: auth.Editor, lang: str) -> None:
    """Approve, or return with a reason; either is refused with a message, never half done."""
    left, right = st.columns(2)
    allowed = editor.allowed_scopes()
    if left.button(
        t("review.approve_button", lang, batch=batch_id), type="primary", key="review_approve"
    ):
        _review(
            lambda: review.approve(batch_id, editor.name, allowed),
            "review.approved",
            batch_id,
            lang,
        )
    reason = right.text_input(t("review.reason", lang), key="review_reason")
    if right.button(t("review.return_button", lang, batch=batch_id), key="review_return"):
        _review(
            lambda: review.send_back(batch_id, editor.name, reason, allowed),
            "review.returned",
            batch_id,
            lang,
        )


def _review(action, key: str, batch_id: int, lang: str) -> None:
    try:
        new = action()
    except review.ReviewRefused as refused:
        st.error(t(refused.key, lang, **refused.params))
        return
    data.done(t(key, lang, batch=batch_id, new=new))
