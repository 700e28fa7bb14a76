"""Loading a checked upload: all or nothing in one transaction, every change logged so a
batch can be read back and rolled back. Data already loaded is never silently replaced:
a different value for the same key is a conflict unless the editor chose to replace
(illustrative rows are replaced without asking; identical rows are left as they are)."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import pandas as pd

from indicators import db, readings
from indicators.intake_check import Checked
from indicators.intake_read import declaration

# Columns that say where a row came from, not what it says: not compared for conflicts.
PROVENANCE = {"batch_id", "is_demo", "excel_row"}


class LoadConflict(Exception):
    """Rows that would replace different values already loaded."""

    def __init__(self, conflicts: pd.DataFrame) -> None:
        super().__init__(f"{len(conflicts)} conflicts")
        self.conflicts = conflicts


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


def _targets(checked: Checked, source: str) -> list[_Target]:
    """The table(s) a kind of upload goes to, with rows shaped for them."""
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
    return [_Target(decl["table"], decl["key"], frame)]


def _plain(value: Any) -> Any:
    """A cell as JSON can hold it, dates as ISO dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _row_json(row: dict) -> str:
    return json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)


def _same(a: Any, b: Any) -> bool:
    a, b = _plain(a), _plain(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _classify(con, target: _Target) -> dict[str, list]:
    """Sort incoming rows: new; replacing illustrative rows; unchanged; updated (the same
    figures, other details new); conflicting (a different figure)."""
    existing = db.rows_by_key(con, target.table, target.frame, target.key)
    index = {tuple(_plain(r[k]) for k in target.key): r for r in existing.to_dict("records")}
    every = [c for c in target.frame.columns if c not in PROVENANCE]
    figures = declaration()["conflict_columns"][target.table]
    out: dict[str, list] = {k: [] for k in ("new", "demo", "unchanged", "updated", "conflicts")}
    for row in target.frame.to_dict("records"):
        old = index.get(tuple(_plain(row[k]) for k in target.key))
        if old is None:
            out["new"].append((row, None))
        elif old.get("is_demo"):
            out["demo"].append((row, old))
        elif all(_same(row.get(c), old.get(c)) for c in every):
            out["unchanged"].append((row, old))
        elif all(_same(row.get(c), old.get(c)) for c in figures if c in row):
            out["updated"].append((row, old))
        else:
            out["conflicts"].append((row, old))
    return out


def _conflict_frame(target: _Target, conflicts: list[tuple[dict, dict]]) -> pd.DataFrame:
    value_col = {
        "observations": "value",
        "targets": "target_value",
        "target_plans": "plan_value",
    }.get(target.table)
    rows = []
    for new, old in conflicts:
        row = {k: new[k] for k in target.key}
        row["table"] = target.table
        if value_col:
            row["old_value"], row["new_value"] = old.get(value_col), new.get(value_col)
        row["changed"] = ", ".join(
            c for c in new if c not in PROVENANCE and not _same(new.get(c), old.get(c))
        )
        rows.append(row)
    return pd.DataFrame(rows)


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
) -> LoadResult:
    """Load a checked upload in one transaction and return what it did.

    Raises LoadConflict (nothing written) when rows would change figures already loaded
    and `replace` is false. With `dry_run`, works out the same result on a read-only
    connection and writes nothing.
    """
    if not checked.ok:
        raise ValueError("a file with problems is never loaded")
    targets = _targets(checked, source=file_name)

    bulk = checked.kind == readings.KIND

    def work(con) -> LoadResult:
        plans = [(t, _classify(con, t)) for t in targets]
        total = {
            k: sum(len(p[k]) for _, p in plans)
            for k in ("new", "demo", "unchanged", "updated", "conflicts")
        }
        conflict_frames = [_conflict_frame(t, p["conflicts"]) for t, p in plans if p["conflicts"]]
        if bulk:  # buildings are counted as details; the counts are the readings'
            set_counts, set_conflicts = readings.compare_in(con, checked.frame)
            total = {
                "new": set_counts["inserted"],
                "demo": set_counts["replaced_demo"],
                "unchanged": set_counts["unchanged"],
                "updated": total["updated"],  # a building's new name
                "conflicts": set_counts["conflicts"] + total["conflicts"],
            }
            if len(set_conflicts):
                conflict_frames.append(set_conflicts)
        counts = {
            "inserted": total["new"],
            "replaced_demo": total["demo"],
            "unchanged": total["unchanged"],
            "updated": total["updated"],
            "replaced": total["conflicts"] if replace else 0,
            "conflicts": total["conflicts"],
        }
        if total["conflicts"] and not replace:
            raise LoadConflict(pd.concat(conflict_frames, ignore_index=True))
        if dry_run:
            return LoadResult(None, counts)
        (batch_id,) = con.execute(
            db.sql("commands/new_batch"),
            {
                "kind": checked.kind,
                "editor": editor,
                "file_name": file_name,
                "file_hash": hashlib.sha256(data).hexdigest(),
                "row_count": 0,
                "note": None,
            },
        ).fetchone()
        log = []
        for target, plan in plans:
            pairs = plan["new"] + plan["demo"] + plan["updated"] + plan["conflicts"]
            if not pairs:
                continue
            rows = pd.DataFrame([row for row, _ in pairs]).assign(batch_id=batch_id)
            db.delete_by_key(con, target.table, rows, target.key)
            db.insert_frame(con, target.table, rows)
            log += [
                {
                    "table_name": target.table,
                    "action": "insert" if old is None else "replace",
                    "key_json": _row_json({k: row[k] for k in target.key}),
                    "old_row_json": None if old is None else _row_json(old),
                    "new_row_json": _row_json({**row, "batch_id": batch_id}),
                }
                for row, old in pairs
            ]
        _log_changes(con, batch_id, log)
        if bulk:  # a building moved to another 街镇 changes totals of every month
            moved = any(
                old is not None and old.get("scope_code") != row.get("scope_code")
                for target, plan in plans
                for row, old in plan["updated"] + plan["conflicts"]
            )
            readings.apply_in(con, checked.frame, batch_id, everything=moved)
        db.run(
            con,
            "commands/finish_batch",
            {
                "batch_id": batch_id,
                "row_count": len(checked.frame),
                "counts_json": json.dumps(counts),
            },
        )
        return LoadResult(batch_id, counts)

    return db.read_in(work) if dry_run else db.write(work)


def rollback(batch_id: int, editor: str, allowed_scopes: set[str] | None = None) -> int:
    """Undo a batch: rows it inserted go, rows it replaced come back. Recorded as a batch
    of its own. Refused when a later batch still in force changed the same rows."""

    def work(con) -> int:
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
            scopes = {json.loads(k).get("scope_code") for k in changes["key_json"]} | {
                json.loads(r).get("scope_code") for r in changes["new_row_json"].dropna()
            }
            if bulk:
                scopes |= readings.batch_scopes_in(con, batch_id)
            if not scopes <= allowed_scopes:
                raise RollbackRefused("scope_not_allowed_batch", batch=batch_id)
        (new_id,) = con.execute(
            db.sql("commands/new_batch"),
            {
                "kind": "rollback",
                "editor": editor,
                "file_name": None,
                "file_hash": None,
                "row_count": len(changes),
                "note": f"#{batch_id}",
            },
        ).fetchone()
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

    return db.write(work)


def batches() -> pd.DataFrame:
    return db.read("queries/load_batches")


def batch_changes(batch_id: int) -> pd.DataFrame:
    return db.read("queries/batch_changes", {"batch_id": batch_id})
