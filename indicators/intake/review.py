"""The district's review of 街镇 submissions: approve (the figures become final, 正式) or
return with a reason (the submission is rolled back, so its figures never reach a
total; the 街镇 sees the reason and submits again). Only district editors review.
"""

from __future__ import annotations

import pandas as pd

from indicators import reference
from indicators.domain import plausibility
from indicators.intake import loading
from indicators.intake.model import declaration
from indicators.store import db


class ReviewRefused(Exception):
    """Why a review cannot be made (a message key and its values); nothing was written."""

    def __init__(self, key: str, **params) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _pending(con, batch_id: int, allowed_scopes: set[str] | None) -> None:
    """Refuse unless the reviewer is a district editor and the batch awaits review."""
    if allowed_scopes is not None:
        raise ReviewRefused("review.review_district_only")
    batch = con.execute(db.sql("queries/batch"), {"batch_id": batch_id}).df()
    if batch.empty:
        raise ReviewRefused("review.no_batch", batch=batch_id)
    row = batch.iloc[0]
    if row["review"] != "pending" or row["status"] != "loaded":
        raise ReviewRefused("review.not_pending", batch=batch_id)


def approve(batch_id: int, reviewer: str, allowed_scopes: set[str] | None = None) -> int:
    """Make a submission's figures public and final: they move from review into
    observations, in a batch of its own (kind 'review') logging each figure before and
    after. Returns its number."""

    def work(con) -> int:
        _pending(con, batch_id, allowed_scopes)
        rows = con.execute(db.sql("queries/submitted_rows"), {"batch_id": batch_id}).df()
        new_id = db.new_batch(con, "review", reviewer, row_count=len(rows), note=f"#{batch_id}")
        key = declaration()["kinds"]["observations"]["key"]
        final = rows.assign(data_status="final")
        seq = db.replace_logged(con, "observations", final, key, new_id, 1)
        db.delete_logged(con, loading.PENDING_TABLE, rows, key, new_id, seq)
        loading.set_review(con, batch_id, "approved", reviewer)
        return int(new_id)

    return db.write(work)


def send_back(
    batch_id: int, reviewer: str, reason: str, allowed_scopes: set[str] | None = None
) -> int:
    """Return a submission with a reason: it is rolled back (the figures it replaced come
    back) and marked returned. Returns the rollback's batch number."""
    reason = " ".join(reason.split())
    if not reason:
        raise ReviewRefused("review.reason_needed")

    def work(con) -> int:
        _pending(con, batch_id, allowed_scopes)
        try:
            new_id = loading.rollback_in(con, batch_id, reviewer, None, note=reason)
        except loading.RollbackRefused as refused:
            raise ReviewRefused(f"intake.{refused.key}", **refused.params) from refused
        loading.set_review(con, batch_id, "returned", reviewer, reason)
        return new_id

    return db.write(work)


def queue() -> pd.DataFrame:
    """Submissions awaiting review, oldest first, with the 街镇 and indicators they hold."""
    return db.read("queries/review_queue")


def pending_figures(batch_id: int | None = None) -> pd.DataFrame:
    """Each figure awaiting review (of one submission, or all): its unit, the public figure
    it would replace, the change on it (% or 百分点), and its plausibility flags (a list of
    plausibility.flag rows, empty when within bounds) — judged as its load was."""

    def judged(con) -> pd.DataFrame:
        rows = con.execute(db.sql("queries/pending_figures"), {"batch_id": batch_id}).df()
        return loading.judged_against(con, rows, pending=False)

    rows = db.read_in(judged)
    units = [reference.indicator(i)["unit"] for i in rows["indicator_id"]]
    rows["unit"] = units
    rows["change"] = [
        plausibility.change(v, r, u == "pct")
        for v, r, u in zip(rows["value"], rows["replaced_value"], units, strict=True)
    ]
    flags = plausibility.flag(rows, reference.catalogue())
    by_key = {
        key: part.to_dict("records")
        for key, part in flags.groupby(plausibility.KEY, sort=False, dropna=False)
    }
    rows["flags"] = [
        by_key.get(tuple(r[k] for k in plausibility.KEY), [])
        for r in rows[plausibility.KEY].to_dict("records")
    ]
    return rows
