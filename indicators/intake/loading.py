"""Loading a checked upload: all or nothing in one transaction, every change logged so a
batch can be read back and rolled back. Data already loaded is never silently replaced:
a different value for the same key is a conflict unless the editor chose to replace
(illustrative rows are replaced without asking; identical rows are left as they are)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from indicators import reference
from indicators.domain import plausibility
from indicators.domain.plans import follow_targets
from indicators.intake import readings
from indicators.intake.model import Checked, Problem, declaration
from indicators.store import db


class LoadConflict(Exception):
    """Rows that would replace different values already loaded."""

    def __init__(self, conflicts: pd.DataFrame) -> None:
        super().__init__(f"{len(conflicts)} conflicts")
        self.conflicts = conflicts


class LoadRefused(Exception):
    """Rows a 街镇-limited editor may not write: the rows they would replace belong to
    another 街镇, or the data is the district's (a budget). Nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


class LoadHeld(Exception):
    """Figures outside their plausible bounds (plausibility.flag): the load waits for the
    editor to confirm them with a note. Nothing was written."""

    def __init__(self, flags: pd.DataFrame) -> None:
        super().__init__(f"{len(flags)} figures held")
        self.flags = flags


class RollbackRefused(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@dataclass
class LoadResult:
    batch_id: int | None
    counts: dict[str, int] = field(default_factory=dict)
    conflicts: pd.DataFrame | None = None


@dataclass(frozen=True)
class _Target:
    table: str
    key: list[str]
    frame: pd.DataFrame


def _targets(checked: Checked, source: str, submission: bool = False) -> list[_Target]:
    """The table(s) a kind of upload goes to, with rows shaped for them. A submission's
    figures wait for the district's review in a table of their own, preliminary (初步)
    whatever the file says: nothing public changes until the district approves."""
    decl = declaration()["kinds"][checked.kind]
    if checked.kind == readings.KIND:  # the buildings here; the readings load as a set
        frame = readings.buildings_frame(checked).assign(is_demo=False)
        return [_Target("buildings", ["building_id"], frame)]
    frame = checked.frame.drop(columns=["excel_row"]).copy()
    if "source" in frame:
        frame["source"] = frame["source"].fillna(source)
    frame["is_demo"] = False
    if checked.kind == "targets":
        annual = frame[frame["period"] == "Y"].drop(columns=["period", "unit"])
        plans = frame[frame["period"] != "Y"].rename(columns={"target_value": "plan_value"})
        plans = plans[["indicator_id", "scope_code", "year", "period", "plan_value", "is_demo"]]
        return [
            _Target("targets", ["indicator_id", "scope_code", "year"], annual),
            _Target("target_plans", ["indicator_id", "scope_code", "year", "period"], plans),
        ]
    if checked.kind == "observations":
        frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
        if submission:
            frame["data_status"] = "preliminary"
            return [_Target(PENDING_TABLE, decl["key"], frame)]
    return [_Target(decl["table"], decl["key"], frame)]


def _with_plans_following(con, targets: list[_Target]) -> list[_Target]:
    """A targets upload with the stored plans to date of the targets it changes, moved
    with them (plans.follow_targets): written, logged and rolled back as its own rows."""
    annual, given = targets
    everything = {"indicator_id": None, "scope_code": None}
    moved = follow_targets(
        annual.frame,
        given.frame,
        db.rows(con, db.sql("queries/targets"), everything),
        db.rows(con, db.sql("queries/target_plans"), everything),
    )
    if moved.empty:
        return targets
    frame = pd.concat([given.frame, moved.assign(is_demo=False)])
    return [annual, _Target(given.table, given.key, frame)]


PENDING_TABLE = "pending_observations"
VALUE_COLUMNS = {
    "observations": "value",
    PENDING_TABLE: "value",
    "targets": "target_value",
    "target_plans": "plan_value",
}
STATES = ("new", "demo", "unchanged", "updated", "conflict")


def _compare(con, target: _Target) -> pd.DataFrame:
    """Each incoming row's state against the loaded one (see db.compare_by_key)."""
    figures = declaration()["conflict_columns"][target.table]
    return db.compare_by_key(
        con, target.table, target.frame, target.key, figures, VALUE_COLUMNS.get(target.table)
    )


def _conflict_frame(target: _Target, states: pd.DataFrame) -> pd.DataFrame:
    """The rows that would change loaded figures: key, figure before and after, what differs."""
    hit = (states["state"] == "conflict").to_numpy()
    rows = target.frame.loc[hit, target.key].reset_index(drop=True)
    rows.insert(len(target.key), "table", target.table)
    if target.table in VALUE_COLUMNS:
        rows["old_value"] = states.loc[hit, "old_value"].to_numpy()
        rows["new_value"] = target.frame.loc[hit, VALUE_COLUMNS[target.table]].to_numpy()
    rows["changed"] = states.loc[hit, "changed"].to_numpy()
    return rows


def _outside(
    checked: Checked, target: _Target, states: pd.DataFrame, allowed: set[str]
) -> list[Problem]:
    """The rows of `target` a limited editor may not write, by the row in the file: all
    of a table without 街镇 (district data), and each that replaces another 街镇's row."""
    if "scope_code" not in target.frame or target.table in district_tables():
        return [Problem("district_only")]
    if "excel_row" in checked.frame:
        rows = [int(r) for r in checked.frame.loc[target.frame.index, "excel_row"]]
    else:  # a building of a readings file: said by its id
        rows = [None] * len(target.frame)
    labels = target.frame[target.key[0]].astype(str).to_numpy()
    return [
        Problem(
            "scope_not_allowed_before",
            row,
            value=label,
            params=(("scope", scope),),
        )
        for row, label, scope in zip(rows, labels, states["old_scope"].to_numpy(), strict=True)
        if isinstance(scope, str) and scope not in allowed
    ]


def judged_against(con, figures: pd.DataFrame, pending: bool) -> pd.DataFrame:
    """The figures (observations' key, in any order) with what they are judged against:
    the public figure of the same period last year (last_year_value, last_year_is_demo)
    and the figure each would replace (replaced_value, replaced_is_demo; with `pending`,
    a 街镇's own figure awaiting review first, else the public one)."""
    keyed = figures[plausibility.KEY].assign(_row=range(len(figures)))
    con.register("_figures", keyed)
    try:
        refs = con.execute(db.sql("queries/plausibility_refs"), {"pending": pending}).df()
    finally:
        con.unregister("_figures")
    return pd.concat(
        [figures.reset_index(drop=True), refs.drop(columns="_row").reset_index(drop=True)],
        axis=1,
    )


def plausibility_flags(con, figures: pd.DataFrame, pending: bool) -> pd.DataFrame:
    """The figures (observations' key and value) outside their plausible bounds
    (plausibility.flag on judged_against)."""
    if figures.empty:
        return pd.DataFrame(columns=plausibility.FLAG_COLUMNS)
    return plausibility.flag(judged_against(con, figures, pending), reference.catalogue())


def _log_changes(con, batch_id: int, changes: list[dict]) -> None:
    """Record a batch's row changes in the change log, in order, as one insert."""
    frame = pd.DataFrame(
        changes,
        columns=["table_name", "action", "key_json", "old_row_json", "new_row_json"],
        dtype="object",
    )
    frame.insert(0, "seq", range(1, len(frame) + 1))
    frame.insert(0, "batch_id", batch_id)
    db.insert_frame(con, "change_log", frame)


def load(
    checked: Checked,
    *,
    editor: str,
    file_name: str,
    data: bytes,
    replace: bool = False,
    dry_run: bool = False,
    allowed_scopes: set[str] | None = None,
    confirm_note: str | None = None,
) -> LoadResult:
    """Load a checked upload in one transaction and return what it did.

    Raises LoadConflict (nothing written) when rows would change figures already loaded
    and `replace` is false; LoadRefused when an editor limited to `allowed_scopes` would
    replace a row of another 街镇 or write district data (the rows' own 街镇 were checked
    with the file); LoadHeld when figures lie outside their plausible bounds and no
    `confirm_note` confirms them (the note is kept with the batch). With `dry_run`, works
    out the same result on a read-only connection and writes nothing.
    """
    if not checked.ok:
        raise ValueError("a file with problems is never loaded")
    submission = is_submission(checked.kind, allowed_scopes)
    targets = _targets(checked, source=file_name, submission=submission)

    def work(con) -> LoadResult:
        plans = _plans(con, checked, targets, allowed_scopes)
        counts = _counts(con, checked, plans, replace)
        held = _held(con, checked, plans, submission)
        if len(held) and not (confirm_note or "").strip():
            raise LoadHeld(held)
        if dry_run:
            return LoadResult(None, counts)
        # the editor's word on the figures held, kept with the batch for the review
        note = " ".join(confirm_note.split()) if len(held) else None
        counts["confirmed"] = int(held[plausibility.KEY].drop_duplicates().shape[0])
        batch_id = db.new_batch(
            con,
            checked.kind,
            editor,
            file_name=file_name,
            file_hash=hashlib.sha256(data).hexdigest(),
            note=note,
        )
        _write_rows(con, checked, plans, batch_id)
        db.run(
            con,
            "commands/finish_batch",
            {
                "batch_id": batch_id,
                "row_count": len(checked.frame),
                "counts_json": json.dumps(counts),
            },
        )
        if submission:
            set_review(con, batch_id, "pending")
        return LoadResult(batch_id, counts)

    return db.read_in(work) if dry_run else db.write(work)


def _plans(
    con, checked: Checked, targets: list[_Target], allowed_scopes: set[str] | None
) -> list[tuple[_Target, pd.DataFrame]]:
    """Each table to write (targets with the plans that follow them) with the state of its
    rows against what is loaded; LoadRefused for rows a 街镇-limited editor may not write."""
    written = _with_plans_following(con, targets) if checked.kind == "targets" else targets
    plans = [(t, _compare(con, t)) for t in written]
    if allowed_scopes is not None:
        refused = [p for t, states in plans for p in _outside(checked, t, states, allowed_scopes)]
        if refused:
            raise LoadRefused(refused)
    return plans


def _counts(
    con, checked: Checked, plans: list[tuple[_Target, pd.DataFrame]], replace: bool
) -> dict[str, int]:
    """What the load does to each state of row, counted (a readings file: its readings);
    LoadConflict when rows would change figures already loaded and `replace` is false."""
    total = {s: sum(int((states["state"] == s).sum()) for _, states in plans) for s in STATES}
    conflict_frames = [
        _conflict_frame(t, states) for t, states in plans if (states["state"] == "conflict").any()
    ]
    bulk = checked.kind == readings.KIND
    if bulk:  # buildings are counted as details; the counts are the readings'
        set_counts, set_conflicts = readings.compare_in(con, checked.frame)
        total = {
            "new": set_counts["inserted"],
            "demo": set_counts["replaced_demo"],
            "unchanged": set_counts["unchanged"],
            "updated": total["updated"],  # a building's new name
            "conflict": set_counts["conflicts"] + total["conflict"],
        }
        if len(set_conflicts):
            conflict_frames.append(set_conflicts)
    counts = {
        "inserted": total["new"],
        "replaced_demo": total["demo"],
        "unchanged": total["unchanged"],
        "updated": total["updated"],
        "replaced": total["conflict"] if replace else 0,
        "conflicts": total["conflict"],
    }
    if total["conflict"] and not replace:
        raise LoadConflict(pd.concat(conflict_frames, ignore_index=True))
    return counts


def _write_rows(
    con, checked: Checked, plans: list[tuple[_Target, pd.DataFrame]], batch_id: int
) -> None:
    """Every new, illustrative-replacing, updated or replacing row written under the batch,
    each change logged; a readings file's readings and monthly totals with them."""
    seq = 1
    for target, states in plans:
        write = states["state"].isin(["new", "demo", "updated", "conflict"]).to_numpy()
        rows = target.frame.loc[write].assign(batch_id=batch_id)
        seq = db.replace_logged(con, target.table, rows, target.key, batch_id, seq)
    bulk = checked.kind == readings.KIND
    if bulk:  # a building moved to another 街镇 changes totals of every month
        # (a new building lists every column as changed: only a conflict is a move)
        moved = any(
            (states["state"].eq("conflict") & states["changed"].str.contains("scope_code")).any()
            for _, states in plans
        )
        readings.apply_in(con, checked.frame, batch_id, everything=moved)


def _held(
    con, checked: Checked, plans: list[tuple[_Target, pd.DataFrame]], submission: bool
) -> pd.DataFrame:
    """The figures this load writes that lie outside their plausible bounds, with the
    file's row of each (a figure already loaded as it is is not asked about again)."""
    written = [
        t.frame.loc[states["state"].ne("unchanged").to_numpy()]
        for t, states in plans
        if t.table in ("observations", PENDING_TABLE)
    ]
    if not written:
        return pd.DataFrame(columns=plausibility.FLAG_COLUMNS)
    figures = written[0][[*plausibility.KEY, "value"]]
    figures = figures.assign(excel_row=checked.frame.loc[figures.index, "excel_row"].to_numpy())
    return plausibility_flags(con, figures, pending=submission)


def district_tables() -> set[str]:
    """The tables only district editors write: the district-only kinds' (intake.yaml)."""
    return {k["table"] for k in declaration()["kinds"].values() if k.get("district_only")}


def is_submission(kind: str, allowed_scopes: set[str] | None) -> bool:
    """A 街镇 editor's figures are a submission for the district to review (reporting
    cycle); a district editor's load and every other kind of data are not."""
    return kind == "observations" and allowed_scopes is not None


def set_review(
    con, batch_id: int, review: str, reviewer: str | None = None, reason: str | None = None
) -> None:
    """A submission's review state (pending, approved, returned), who set it and why."""
    at = None if reviewer is None else pd.Timestamp.now().to_pydatetime()
    db.run(
        con,
        "commands/set_review",
        {
            "batch_id": batch_id,
            "review": review,
            "reviewer": reviewer,
            "reviewed_at": at,
            "reason": reason,
        },
    )


def rollback(batch_id: int, editor: str, allowed_scopes: set[str] | None = None) -> int:
    """Undo a batch: rows it inserted go, rows it replaced come back. Recorded as a batch
    of its own. Refused when a later batch still in force changed the same rows."""
    return db.write(lambda con: rollback_in(con, batch_id, editor, allowed_scopes))


def rollback_in(
    con, batch_id: int, editor: str, allowed_scopes: set[str] | None = None, note: str = ""
) -> int:
    """The rollback as part of a caller's `write` transaction; `note` follows the batch
    number in the rollback's own note (a return's reason)."""
    batch = con.execute(db.sql("queries/batch"), {"batch_id": batch_id}).df()
    if batch.empty:
        raise RollbackRefused("no_batch", batch=batch_id)
    # Only uploads log their rows; built-in data and boundaries are replaced, not undone.
    kind = batch["kind"].iloc[0]
    if batch["status"].iloc[0] == "rolled_back" or kind not in declaration()["kinds"]:
        raise RollbackRefused("cannot_roll_back", batch=batch_id)
    bulk = kind == readings.KIND
    later = con.execute(db.sql("queries/later_changes"), {"batch_id": batch_id}).df()
    later_ids = [int(later["batch_id"].min())] if len(later) else []
    if bulk and (later_reading := readings.later_batch_in(con, batch_id)) is not None:
        later_ids.append(later_reading)
    if later_ids:
        raise RollbackRefused("later_batch", batch=batch_id, later=min(later_ids))
    changes = con.execute(db.sql("queries/batch_changes"), {"batch_id": batch_id}).df()
    if allowed_scopes is not None:
        if changes["table_name"].isin(district_tables()).any():
            raise RollbackRefused("district_only_batch", batch=batch_id)
        if changes["table_name"].eq("observations").any():
            # a 街镇's public figures change only through the district's review
            raise RollbackRefused("public_figures_batch", batch=batch_id)
        # every row the rollback touches, as it is now and as it comes back
        # (a register's key is its id: the 街镇 is in its rows, before and after)
        keys = [json.loads(k) for k in changes["key_json"]]
        scopes = {k["scope_code"] for k in keys if "scope_code" in k} | {
            json.loads(r).get("scope_code")
            for column in ("new_row_json", "old_row_json")
            for r in changes[column].dropna()
        }
        if bulk:
            scopes |= readings.batch_scopes_in(con, batch_id)
        if not scopes <= allowed_scopes:
            raise RollbackRefused("scope_not_allowed_batch", batch=batch_id)
    new_id = db.new_batch(
        con,
        "rollback",
        editor,
        row_count=len(changes),
        note=f"#{batch_id} · {note}" if note else f"#{batch_id}",
    )
    # A batch changes each key once, so each table is undone as one set.
    for table, part in changes.groupby("table_name", sort=False):
        keys = pd.DataFrame([json.loads(k) for k in part["key_json"]])
        db.delete_by_key(con, table, keys, list(keys.columns))
        old = [json.loads(r) for r in part["old_row_json"] if isinstance(r, str)]
        if old:
            db.insert_frame(con, table, pd.DataFrame(old))
    undone = changes.sort_values("seq", ascending=False)
    restored = undone["old_row_json"].map(lambda r: isinstance(r, str))
    _log_changes(
        con,
        new_id,
        [
            {
                "table_name": c.table_name,
                "action": "replace" if back else "delete",
                "key_json": c.key_json,
                "old_row_json": c.new_row_json,
                "new_row_json": c.old_row_json if back else None,
            }
            for c, back in zip(undone.itertuples(), restored, strict=True)
        ],
    )
    if bulk:  # a building moved back to its old 街镇 changes totals of every month
        moved = bool(
            (changes["table_name"].eq("buildings") & changes["action"].eq("replace")).any()
        )
        readings.rollback_in(con, batch_id, everything=moved)
    db.run(con, "commands/mark_rolled_back", {"batch_id": batch_id, "by": new_id})
    return int(new_id)


def batches() -> pd.DataFrame:
    return db.read("queries/load_batches")


def batch_changes(batch_id: int) -> pd.DataFrame:
    return db.read("queries/batch_changes", {"batch_id": batch_id})
