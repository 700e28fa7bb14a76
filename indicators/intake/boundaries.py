"""Official 街镇 boundaries, once checked (domain.geo.read_boundaries), stored as one
recorded batch in place of the ones before."""

from __future__ import annotations

import pandas as pd

from indicators.store import db


def save(rows: pd.DataFrame, editor: str, file_name: str) -> int:
    """Replace the stored boundaries with checked ones, as one recorded batch."""

    def work(con) -> int:
        batch_id = db.new_batch(con, "boundaries", editor, file_name=file_name, row_count=len(rows))
        db.run(con, "commands/clear_boundaries")
        db.insert_frame(con, "boundaries", rows.assign(batch_id=batch_id))
        return int(batch_id)

    return db.write(work)
