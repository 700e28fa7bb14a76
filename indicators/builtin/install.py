"""Installing the built-in data (the seed's figures and the illustrative dataset) into a
database, and removing the illustrative part again."""

from __future__ import annotations

import pandas as pd

from indicators import auth, reference
from indicators.builtin import datasets
from indicators.intake import checks, files, loading, readings, review
from indicators.store import db


def builtin_data(demo: bool = True) -> dict[str, int]:
    """Migrate, then load the seed figures and, with `demo`, the illustrative dataset.

    Seed rows go in last so they win over an illustrative row with the same key.
    Returns the rows written per table.
    """
    db.db_path().parent.mkdir(parents=True, exist_ok=True)
    tables: dict[str, pd.DataFrame] = datasets.demo_tables() if demo else {}
    tables["commitments"] = datasets.commitments(demo)  # the reply's own, with or without demo
    seed = datasets.seed_observations()

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

    counts = db.write(work)
    if demo:
        counts["submissions"] = _illustrative_round()
    return counts


def _illustrative_round() -> int:
    """The example's reporting round (demo.yaml reporting_round), through the real paths: a
    街镇 figure left unreported, a submission returned with a reason, one awaiting review.
    Returns the submissions made."""
    vocabulary = reference.demo_vocabulary()
    spec = vocabulary["reporting_round"]
    key = {"year": spec["year"], "period": spec["period"]}
    db.write(lambda con: db.run(con, "commands/delete_observation", {**key, **spec["missing"]}))
    loaded = db.read("queries/demo_round_figures", key)
    batches = []
    for step in ("returned", "pending"):
        item = spec[step]
        (value,) = loaded.loc[
            loaded["scope_code"].eq(item["scope"]) & loaded["indicator_id"].eq(item["indicator"]),
            "value",
        ]
        entry = {"scope_code": item["scope"], "indicator_id": item["indicator"], **key}
        entry |= {"value": round(value * item["factor"], 1), "note": item.get("note", "")}
        entries = pd.DataFrame([entry])
        data = files.form_csv("observations", entries)
        name = f"{item['editor']}.csv"
        allowed = {item["scope"]}
        checked = checks.check(files.read_upload(data, name, kind="observations"), allowed)
        result = loading.load(
            checked, editor=item["editor"], file_name=name, data=data, allowed_scopes=allowed
        )
        batches.append(result.batch_id)
        if step == "returned":
            review.send_back(result.batch_id, spec["reviewer"], item["reason"])

    def mark(con) -> None:
        db.run(con, "commands/mark_demo_batches", {"batches": batches})
        db.run(
            con, "commands/mark_demo_pending", {"batches": batches, "source": vocabulary["source"]}
        )

    db.write(mark)
    return len(batches)


def remove_demo() -> None:
    """Delete the illustrative rows (and the totals of illustrative readings with them)."""
    db.write(lambda con: db.run(con, "commands/remove_demo"))
