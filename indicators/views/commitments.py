"""What the 承诺事项 page draws: the filters, the counts, the list by owner, and a grid in
which an editor updates the status, due date and evidence of the commitments they own."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import auth, formulas, reference
from indicators.domain import commitments
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.store import db
from indicators.views import data
from indicators.views.widgets import edit_table, show_table, wrapped_row_height


def filters(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Owner kind, owner, status and late-only, side by side; the commitments kept."""
    kind_col, owner_col, status_col, late_col = st.columns([1.2, 1.6, 2.2, 1.0])
    kind = kind_col.selectbox(
        t("commitments.owner_kind", lang),
        [None, *commitments.OWNER_KINDS],
        key="commitments_kind",
        format_func=lambda k: t(f"commitments.kind_{k or 'all'}", lang),
    )
    owners = list(dict.fromkeys(commitments.choose(frame, kind)["owner"]))
    owner = owner_col.selectbox(
        t("commitments.owner", lang),
        [None, *owners],
        key="commitments_owner",
        format_func=lambda c: i18n.owner_name(c, lang) if c else t("commitments.kind_all", lang),
    )
    statuses = status_col.multiselect(
        t("commitments.status", lang),
        list(commitments.STATUSES),
        key="commitments_status",
        format_func=lambda s: commitments.status_text(s, lang),
        placeholder=t("commitments.any_status", lang),
    )
    late = late_col.toggle(t("commitments.late_only", lang), key="commitments_late")
    return commitments.choose(frame, kind, owner, statuses, late)


def counts(frame: pd.DataFrame, lang: str) -> None:
    numbers = commitments.counts(frame)
    columns = st.columns(len(commitments.STATUSES) + 1)
    for column, status in zip(columns, commitments.STATUSES, strict=False):
        column.metric(commitments.status_text(status, lang), numbers[status])
    columns[-1].metric(t("commitments.late", lang), numbers["late"])


# Column widths (px) of the list: the promise and the status are read whole, wrapped in
# rows tall enough for the longest (Streamlit's grid cuts a cell at its width otherwise);
# the four columns an official reads first fit a projector's page without scrolling.
LISTING_WIDTHS = {
    "commitments.col_id": 60,
    "commitments.owner": 170,
    "commitments.col_promise": 420,
    "commitments.status": 180,
    "commitments.col_due": 100,
    "commitments.col_cadence": 90,
    "commitments.col_evidence": 220,
    "commitments.col_indicator": 150,
    "commitments.col_source": 170,
}
WRAPPED = (
    "commitments.owner",
    "commitments.col_promise",
    "commitments.status",
    "commitments.col_evidence",
)


def listing(frame: pd.DataFrame, lang: str) -> None:
    """The commitments by owner, each promise and status whole; illustrative tracking
    says so on its own row."""
    demo = t("label.demo_value", lang)
    table = pd.DataFrame(
        {
            t("commitments.col_id", lang): frame["commitment_id"],
            t("commitments.owner", lang): [i18n.owner_name(c, lang) for c in frame["owner"]],
            t("commitments.col_promise", lang): [
                commitments.promise_text(r, lang) for r in frame.to_dict("records")
            ],
            t("commitments.status", lang): [
                commitments.status_text(s, lang)
                + (t("commitments.late_mark", lang) if late else "")
                + (demo if d else "")
                for s, late, d in zip(frame["status"], frame["late"], frame["is_demo"], strict=True)
            ],  # fmt: skip
            t("commitments.col_due", lang): [
                "" if pd.isna(d) else pd.Timestamp(d).date().isoformat() for d in frame["due_on"]
            ],
            t("commitments.col_cadence", lang): [
                t(f"commitments.cadence_{c}", lang) if isinstance(c, str) else ""
                for c in frame["cadence"]
            ],
            t("commitments.col_evidence", lang): [
                commitments.evidence_text(r, lang) for r in frame.to_dict("records")
            ],
            t("commitments.col_indicator", lang): [
                i18n.indicator_short(i, lang) if isinstance(i, str) else ""
                for i in frame["indicator_id"]
            ],
            t("commitments.col_source", lang): frame["source"],
        }
    )
    widths = {t(k, lang): w for k, w in LISTING_WIDTHS.items()}
    show_table(
        table,
        key="commitments_table",  # every row shown: eleven, not a scroll box
        column_config={name: st.column_config.TextColumn(width=w) for name, w in widths.items()},
        row_height=wrapped_row_height(table, {t(k, lang): widths[t(k, lang)] for k in WRAPPED}),
    )


EDITABLE = ("status", "due_on", "evidence")


def editor_grid(frame: pd.DataFrame, editor: auth.Editor, lang: str) -> None:
    """The commitments the editor owns (a 街镇 editor: their 街镇's; a district editor:
    every one), status, due date and evidence editable; saved as a commitments upload."""
    mine = frame if editor.streets is None else frame[frame["scope_code"].isin(editor.streets)]
    if mine.empty:
        st.info(t("commitments.none_yours", lang))
        return
    labels = {c: t(f"commitments.edit_{c}", lang) for c in ("id", "promise", *EDITABLE)}
    grid = pd.DataFrame(
        {
            labels["id"]: mine["commitment_id"].to_numpy(),
            labels["promise"]: [commitments.promise_text(r, lang) for r in mine.to_dict("records")],
            labels["status"]: mine["status"].to_numpy(),
            labels["due_on"]: pd.to_datetime(mine["due_on"]).dt.date.to_numpy(),
            # Text even when no commitment has evidence yet: typed text is stored as typed.
            labels["evidence"]: pd.array(mine["evidence"], dtype="string"),
        }
    )
    edited = edit_table(
        grid,
        key=f"commitments_grid_{abs(hash(db.data_version()))}",  # fresh after every write
        disabled=[labels["id"], labels["promise"]],
        column_config={
            labels["status"]: st.column_config.SelectboxColumn(
                options=list(commitments.STATUSES),
                format_func=lambda s: commitments.status_text(s, lang),
            ),
            labels["due_on"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
            labels["evidence"]: st.column_config.TextColumn(),
        },
    )
    if not st.button(t("commitments.save", lang), type="primary", key="commitments_save"):
        return
    changed = ~(
        edited[[labels[c] for c in EDITABLE]].astype("string").fillna("")
        == formulas.neutralise(grid)[[labels[c] for c in EDITABLE]].astype("string").fillna("")
    ).all(axis=1)
    if not changed.any():
        st.warning(t("reporting.nothing_entered", lang))
        return
    rows = mine[changed.to_numpy()].copy()
    for c in EDITABLE:
        rows[c] = edited.loc[changed, labels[c]].to_numpy()
    name = t("commitments.form_file", lang)
    data.submit_form("commitments", rows, editor, name, lang)


def owners_note(lang: str) -> None:
    """Who owns what: the departments by name (their codes are data)."""
    names = t("reporting.list_joiner", lang).join(
        i18n.owner_name(d["code"], lang) for d in reference.departments()
    )
    st.caption(t("commitments.owners_note", lang, names=names))
