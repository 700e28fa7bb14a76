"""Writes of whole datasets: the built-in data and removing the illustrative part."""

from __future__ import annotations

import pandas as pd

from indicators import auth, builtin, db
from indicators.intake import readings


def install_builtin(demo: bool = True) -> dict[str, int]:
    """Migrate, then load the seed figures and, with `demo`, the illustrative dataset.

    Seed rows go in last so they win over an illustrative row with the same key.
    Returns the rows written per table.
    """
    db.db_path().parent.mkdir(parents=True, exist_ok=True)
    tables: dict[str, pd.DataFrame] = builtin.demo_tables() if demo else {}
    tables["commitments"] = builtin.commitments(demo)  # the reply's own, with or without demo
    seed = builtin.seed_observations()

    def work(con) -> dict[str, int]:
        db.migrate_in(con)
        total = sum(len(f) for f in tables.values()) + len(seed)
        note = "seed" + (" + demo" if demo else "")
        batch_id = db.new_batch(con, "builtin", auth.os_user(), row_count=total, note=note)
        counts = {}
        for table, frame in tables.items():
            counts[table] = db.insert_frame(con, table, frame.assign(batch_id=batch_id))
        counts["observations"] = counts.get("observations", 0) + db.insert_frame(
            con, "observations", seed.assign(batch_id=batch_id)
        )
        if "energy_readings" in tables:
            hours = tables["energy_readings"]["hour"]
            readings.refresh_monthly_in(con, hours.min(), hours.max())
        return counts

    return db.write(work)


def remove_demo() -> None:
    """Delete the illustrative rows (and the totals of illustrative readings with them)."""
    db.write(lambda con: db.run(con, "commands/remove_demo"))


def save_boundaries(rows: pd.DataFrame, editor: str, file_name: str) -> int:
    """Replace the stored boundaries with checked ones, as one recorded batch."""

    def work(con) -> int:
        batch_id = db.new_batch(con, "boundaries", editor, file_name=file_name, row_count=len(rows))
        db.run(con, "commands/clear_boundaries")
        db.insert_frame(con, "boundaries", rows.assign(batch_id=batch_id))
        return int(batch_id)

    return db.write(work)
