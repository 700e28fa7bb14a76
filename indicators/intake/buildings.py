"""The buildings register, extended by officials: a meter export that names buildings only
(楼宇名称 | 时间 | 用量) is placed by the register, and a building not in it is asked about
once. The answer, a 街镇 for each, comes as a buildings file (the CLI's `--buildings`,
columns 楼宇名称,街镇) or from the upload page's selects; either way it is checked here
(every 街镇 known, one 街镇 per building, the editor's rights, no building moved from the
街镇 the register has it in) and saved as a logged batch, so the next file of those
buildings loads with no question.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pandas as pd

from indicators import reference
from indicators.intake import files, readings
from indicators.intake.model import Problem, clean_text, compare_key, declaration, written_text
from indicators.store import db

COUNTS = ("inserted", "replaced_demo", "unchanged", "updated", "replaced", "conflicts")


def columns() -> dict[str, list[str]]:
    """A buildings file's two columns, each by the headers it may have (intake.yaml)."""
    return declaration()["buildings_file"]


def columns_text(lang: str | None = None) -> str:
    """The columns as a message names them: 楼宇名称,街镇 (zh), building,street (en), or
    both (a problem, said in either language)."""
    pairs = [",".join(n[i] for n in columns().values()) for i in (0, 1)]
    return {"zh": pairs[0], "en": pairs[1]}.get(lang or "", " / ".join(pairs))


def scope_header() -> str:
    """The 街镇 column as problems name it."""
    return columns()["scope_code"][0]


def to_place(checked) -> bool:
    """Whether a checked file waits only for its unknown buildings' 街镇 (then asked);
    a file with other problems is reported as it is."""
    return bool(checked.unknown_buildings) and all(
        p.key == "building_unknown" for p in checked.problems
    )


class BuildingsRefused(Exception):
    """A buildings file, or a placing, that cannot be saved: nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def read_file(data: bytes) -> tuple[pd.DataFrame, list[Problem]]:
    """A buildings file (CSV, UTF-8 or GBK) as rows: excel_row, name (as written) and
    scope_code; every problem with its row, column, value and why."""
    if b"\x00" in data[:8192] or data[:2] == b"PK":  # a workbook or other binary file
        return _empty(), [Problem("binary_file")]
    text = files.decode(data)
    if text is None:
        return _empty(), [Problem("bad_encoding")]
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        return _empty(), [Problem("empty_file")]
    header = [clean_text(h) for h in rows[0]]
    where, problems = {}, []
    for i, h in enumerate(header):
        column = next(
            (c for c, names in columns().items() if compare_key(h) in map(compare_key, names)),
            None,
        )
        if column is None or column in where:
            params = (("columns", columns_text()),)
            problems.append(Problem("buildings_extra_column", 1, h or f"#{i + 1}", params=params))
        else:
            where[column] = i
    problems += [
        Problem("missing_column", column=names[0])
        for column, names in columns().items()
        if column not in where
    ]
    if problems:
        return _empty(), problems
    return _rows(rows[1:], where, header)


def _rows(
    rows: list[list[str]], where: dict[str, int], header: list[str]
) -> tuple[pd.DataFrame, list[Problem]]:
    out, problems, first = [], [], {}
    name_header, scope_header = header[where["name"]], header[where["scope_code"]]
    for excel_row, cells in enumerate(rows, start=2):
        cell = dict.fromkeys(where, "") | {c: cells[i] for c, i in where.items() if i < len(cells)}
        name, scope_text = written_text(cell["name"]), clean_text(cell["scope_code"])
        code = reference.resolve_scope(scope_text) if scope_text else None
        if not name:
            problems.append(Problem("required", excel_row, name_header, ""))
        if not scope_text:
            problems.append(Problem("required", excel_row, scope_header, ""))
        elif code is None:
            problems.append(Problem("unknown_scope", excel_row, scope_header, scope_text))
        elif reference.scope(code)["kind"] not in reference.LEAF_KINDS:
            problems.append(Problem("buildings_not_a_street", excel_row, scope_header, scope_text))
        if not name or code is None:
            continue
        earlier = first.setdefault(compare_key(name), (excel_row, code))
        if earlier[1] != code:
            params = (("first", earlier[0]),)
            problems.append(
                Problem("buildings_two_scopes", excel_row, scope_header, scope_text, params)
            )
        out.append((excel_row, name, code))
    return pd.DataFrame(out, columns=["excel_row", "name", "scope_code"]), problems


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["excel_row", "name", "scope_code"])


def placed(frame: pd.DataFrame) -> dict[str, str]:
    """The file's buildings as readings.check takes them: name -> 街镇 code."""
    return dict(zip(frame["name"], frame["scope_code"], strict=True))


def refusals(
    con, frame: pd.DataFrame, allowed_scopes: set[str] | None, column: str
) -> list[Problem]:
    """What stops placing these buildings: a 街镇 the editor may not change, or a building
    the register already has in another 街镇 (both named). `column` is the 街镇 column's
    header as the official sees it."""
    registered: dict[str, set[str]] = {}
    for row in con.execute(db.sql("readings/register_buildings")).df().itertuples():
        if isinstance(row.name, str):
            registered.setdefault(compare_key(row.name), set()).add(row.scope_code)
    problems = []
    for row in frame.itertuples():
        row_number = int(row.excel_row) if pd.notna(row.excel_row) else None
        shown = reference.scope(row.scope_code)["name_zh"]
        if allowed_scopes is not None and row.scope_code not in allowed_scopes:
            problems.append(Problem("scope_not_allowed", row_number, column, shown))
        for other in sorted(registered.get(compare_key(row.name), set()) - {row.scope_code}):
            params = (("building", row.name), ("scope", other))
            problems.append(
                Problem("building_registered_elsewhere", row_number, column, shown, params)
            )
    return problems


def check(frame: pd.DataFrame, allowed_scopes: set[str] | None, column: str) -> list[Problem]:
    """refusals() on a short read-only connection: said before anything loads."""
    if not db.db_path().exists():
        return []
    return db.read_in(lambda con: refusals(con, frame, allowed_scopes, column))


def save(
    frame: pd.DataFrame,
    *,
    editor: str,
    file_name: str,
    data: bytes,
    allowed_scopes: set[str] | None,
    column: str,
) -> tuple[int | None, int]:
    """Add the buildings the register does not have, as one logged batch (a readings
    batch: rolled back like one, and not while later readings use its buildings). Checked
    again in the transaction: BuildingsRefused, nothing written. Returns the batch (None:
    every building was known already) and how many buildings it added."""
    rows = readings.made_ids(frame.drop_duplicates("name")).assign(is_demo=False)

    def work(con) -> tuple[int | None, int]:
        problems = refusals(con, frame, allowed_scopes, column)
        if problems:
            raise BuildingsRefused(problems)
        known = {
            compare_key(n)
            for n in con.execute(db.sql("readings/register_buildings")).df()["name"].dropna()
        }
        new = rows[[compare_key(n) not in known for n in rows["name"]]]
        if new.empty:
            return None, 0
        batch_id = db.new_batch(
            con,
            readings.KIND,
            editor,
            file_name=file_name,
            file_hash=hashlib.sha256(data).hexdigest(),
        )
        db.replace_logged(
            con, "buildings", new.assign(batch_id=batch_id), ["building_id"], batch_id, 1
        )
        counts = dict.fromkeys(COUNTS, 0)
        db.run(
            con,
            "commands/finish_batch",
            {"batch_id": batch_id, "row_count": len(new), "counts_json": json.dumps(counts)},
        )
        return batch_id, len(new)

    return db.write(work)
