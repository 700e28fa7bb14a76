"""Building energy readings: hourly meter readings by building, converted to tce with the
factor table and summed by 街镇 and month into the `building_energy` indicator.

A readings file can hold millions of rows, so it is checked and loaded as a set in DuckDB
rather than cell by cell; the problems it reports are the intake's own (row, column,
value, why), and loads keep the intake's rules: all or nothing, a batch in the history,
conflicts asked about, every load reversible.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators import reference
from indicators.intake.cells import CellError, footnote, number
from indicators.intake.model import (
    Checked,
    Problem,
    RawTable,
    clean_text,
    compare_key,
    declaration,
)
from indicators.store import db

KIND = "readings"
MAX_PROBLEMS = 500  # listed in full up to this many; the total is always given
MAX_CONFLICTS = 1000
KEY = ["building_id", "hour", "energy_type"]
# A file is of 15- or 30-minute intervals when it has, for each quarter (or half) hour, at
# least this share as many readings as on the hour: one stray 10:30 in an hourly file is not.
SUB_HOURLY_SHARE = 0.5
# Meter checks whose detail the message shows: intervals found, the tce of an hour, the
# building's typical hour, the rows that never fell.
METER_KEYS = ("hour_incomplete", "implausible_hour", "far_above_typical", "looks_cumulative")
LOADED_COLUMNS = ["building_id", "hour", "energy_type", "quantity", "unit"]


def _energy_code(text: str) -> str | None:
    key = compare_key(text)
    for code, kind in reference.energy_types().items():
        if key in {"".join(str(w).split()).casefold() for w in [code, *kind["words"]]}:
            return code
    return None


def _unit_rows() -> list[tuple[str, str, float]]:
    """(energy type, unit as a file may write it, factor to the type's own unit); the
    empty unit means the type's own unit."""
    rows = []
    for code, kind in reference.energy_types().items():
        rows.append((code, "", 1.0))
        for name, factor in kind["units"].items():
            rows.append((code, str(name), float(factor)))
    return rows


def _parse_number(text: str) -> float | None:
    try:
        value, percent = number(text)
    except CellError:
        return None
    return None if percent else value


def _footnote_mark(text: str) -> str | None:
    try:
        return footnote(text)[1]
    except CellError:
        return None


def _distinct(con, column: str) -> list[str]:
    rows = con.execute(
        f"select distinct nullif(trim({db.quote_ident(column)}::varchar), '') from raw"
    ).fetchall()
    return [r[0] for r in rows if r[0] is not None]


def _register_maps(con) -> None:
    """What Python makes of each distinct text, for the SQL to join on."""
    summary = re.compile(_summary_pattern())
    scopes = [
        (s, reference.resolve_scope(clean_text(s)), bool(summary.search(s.casefold())))
        for s in _distinct(con, "scope_code")
    ]
    energies = [(e, _energy_code(e)) for e in _distinct(con, "energy_type")]
    units = _unit_rows()
    # Units as written: matched ignoring case, spaces and full-width forms.
    written = {u: compare_key(u) for u in _distinct(con, "unit")}
    unit_map = [(code, u, f) for code, u, f in units if u == ""]
    for raw_unit, key in written.items():
        unit_map += [(code, raw_unit, f) for code, u, f in units if u and u.casefold() == key]
    # Only numbers a cast cannot read go through Python (full-width digits, spaces, "1 234").
    odd = {
        text
        for column in ("quantity", "register")
        for (text,) in con.execute(
            db.sql("readings/odd_numbers").replace("$column", db.quote_ident(column))
        ).fetchall()
    }
    numbers = [(text, _parse_number(text)) for text in sorted(odd)]
    # A figure read without its footnote mark (1,000① is 1000): said in a note.
    marked = [
        (column, text, _footnote_mark(text))
        for column in ("quantity", "register")
        for text, value in numbers
        if value is not None and _footnote_mark(text)
    ]
    for name, cols, rows in (
        ("scope_map", ["raw", "code", "is_summary"], scopes),
        ("energy_map", ["raw", "code"], energies),
        ("unit_map", ["energy_type", "raw", "factor"], unit_map),
        ("number_map", ["raw", "value"], numbers),
        ("footnote_map", ["column_id", "raw", "mark"], marked),
    ):
        frame = pd.DataFrame(rows, columns=cols)
        if "value" in frame or "factor" in frame:
            frame = frame.astype({cols[-1]: "float64"})
        else:
            frame = frame.astype({c: "bool" if c == "is_summary" else "string" for c in cols})
        con.register(name, frame)
    con.register(
        "tce_factor",
        pd.DataFrame(
            [
                (code, float(kind["kgce_per_unit"]))
                for code, kind in reference.energy_types().items()
            ],
            columns=["energy_type", "kgce"],
        ),
    )
    con.register(
        "unit_base",
        pd.DataFrame(
            [(code, kind["unit"]) for code, kind in reference.energy_types().items()],
            columns=["energy_type", "unit"],
        ),
    )


def _summary_pattern() -> str:
    words = [re.escape(str(w).casefold()) for w in declaration()["summary_words"]]
    return "(" + "|".join(words) + ")"


def check(
    raw: RawTable, allowed_scopes: set[str] | None = None, placed: dict[str, str] | None = None
) -> Checked:
    """Check a readings file; the frame holds the readings ready to load when there is no
    problem (quantities in the energy type's own unit). A file without a 街镇 column is
    placed by the buildings register, or by `placed` (building name -> 街镇 code, as the
    official just said); a building in neither is asked about (Checked.unknown_buildings)."""
    if raw.problems or raw.cells is None:
        return Checked(KIND, _empty_frame(), list(raw.problems))
    cells, problems = _header_unit(raw)
    if problems:
        return Checked(KIND, _empty_frame(), problems)
    if "scope_code" not in raw.headers:  # a meter export naming buildings only
        cells, problems, unknown = _place_by_register(cells, placed or {})
        if problems:  # asked before any row is checked: no row can be without its 街镇
            checked = Checked(KIND, _empty_frame(), problems)
            checked.unknown_buildings = unknown
            return checked
    cells = _with_every_column(cells)
    allowed = (
        sorted(allowed_scopes)
        if allowed_scopes is not None
        else [s["code"] for s in reference.scopes()]
    )
    if "register" not in raw.headers and "quantity" not in raw.headers:
        return Checked(
            KIND, _empty_frame(), [Problem("missing_column", column=_header("quantity"))]
        )
    with db.scratch() as con:
        con.register("raw", cells)
        _register_maps(con)
        con.execute(db.sql("readings/parse"), {"summary": _summary_pattern()})
        uses, registers = con.execute(db.sql("readings/value_columns")).fetchone()
        if uses and registers:  # which is the use: the one given, or their difference?
            both = f"{_header('quantity', raw.headers)} / {_header('register', raw.headers)}"
            return Checked(KIND, _empty_frame(), [Problem("register_and_quantity", value=both)])
        _check_rows(con, "register" if registers else "quantity", allowed)
        listed = con.execute(db.sql("readings/problem_list"), {"limit": MAX_PROBLEMS}).df()
        summary = [r for (r,) in con.execute(db.sql("readings/summary_rows")).fetchall()]
        notes = con.execute(db.sql("readings/meter_notes"), {"limit": MAX_PROBLEMS}).df()
        marked = con.execute(db.sql("readings/footnotes"), {"limit": MAX_PROBLEMS}).fetchall()
        if listed.empty:
            for table in ("parsed", "intervals"):  # their memory, before the rows come out
                con.execute(f"drop table {table}")
            frame = db.rows(con, db.sql("readings/clean"))
        else:
            frame = _empty_frame()
    problems = _listed_problems(listed, raw.headers)
    if frame.empty and not problems:
        problems.append(Problem("no_rows"))
    checked = Checked(
        KIND, frame, problems, summary, list(raw.unused_columns), raw.sheet, list(raw.sheet_names)
    )
    checked.notes = _readings_notes(notes, marked, raw.headers)
    return checked


def _with_every_column(cells: pa.Table) -> pa.Table:
    """The cells with every declared column, an absent optional one as empty."""
    for col in declaration()["kinds"][KIND]["columns"]:
        if col["id"] not in cells.column_names:
            cells = cells.append_column(col["id"], pa.nulls(cells.num_rows, pa.string()))
    return cells


def _check_rows(con, mode: str, allowed: list[str]) -> None:
    """The parsed rows' problems, intervals and hours worked out in `con`; the meter checks
    too where no row has a problem. `mode`: the value column, register or quantity."""
    meters = declaration()["meters"]
    params = {"allowed": allowed, "mode": mode, "step": _step(con), "limit": MAX_PROBLEMS}
    db.run(con, "readings/problems", params)
    db.run(con, "readings/intervals", {**params, "rollover": meters["rollover_share"]})
    db.run(con, "readings/hourly", params)
    if not con.execute(db.sql("readings/problem_list"), {"limit": 1}).fetchall():
        db.run(
            con,
            "readings/meter_checks",
            {
                **params,
                "value_column": mode,
                "max_tce": meters["max_tce_per_hour"],
                "ratio": meters["typical_ratio"],
                "min_hours": meters["typical_min_hours"],
                "min_tce": meters["typical_min_tce"],
                "min_rows": meters["cumulative_min_rows"],
            },
        )


def _listed_problems(listed: pd.DataFrame, headers: dict[str, str]) -> list[Problem]:
    """The problems listed (at most MAX_PROBLEMS), and how many more there are."""
    problems = [_problem(r, headers) for r in listed.itertuples()]
    if not listed.empty and int(listed["total"].iloc[0]) > len(listed):
        problems.append(
            Problem("more_problems", params=(("n", int(listed["total"].iloc[0]) - len(listed)),))
        )
    return problems


def _readings_notes(
    notes: pd.DataFrame, marked: list[tuple], headers: dict[str, str]
) -> list[Problem]:
    """The meter notes, and a note per figure read without its footnote mark."""
    return [_note(r, headers) for r in notes.itertuples()] + [
        Problem(
            "footnote_removed" if n == 1 else "footnote_removed_rows",
            int(row),
            _header(column, headers),
            text,
            (("mark", mark), ("n", n)),
        )
        for column, text, mark, row, n in marked
    ]


def _place_by_register(
    cells: pa.Table, placed: dict[str, str]
) -> tuple[pa.Table, list[Problem], list[tuple[str, int]]]:
    """Each row's 街镇 from the buildings register by its building (the name, or the id
    where a row has no name; names compared ignoring spaces, case and full-width forms),
    else from `placed`. Never from the words of a name (东虹桥中心 is in 程家桥, not 虹桥).
    Returns the cells with a 街镇 column, a problem per building the register does not
    know or places in two 街镇, and the unknown buildings with their row counts."""
    given = {  # each column's text, an empty cell as none
        column: pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        for column in ("building_id", "building")
        if column in cells.column_names
        for text in [pc.utf8_trim_whitespace(cells[column].cast(pa.string()))]
    }
    label = pa.nulls(cells.num_rows, pa.string())
    for column in ("building_id", "building"):  # the name first, then the id
        if column in given:
            label = pc.coalesce(given[column], label)
    counts = pc.value_counts(label).to_pylist()
    register = _register()
    answered = {compare_key(name): code for name, code in placed.items()}
    problems, unknown, chosen, ids = [], [], {}, {}
    for item in sorted(counts, key=lambda c: str(c["values"])):
        text, n = item["values"], int(item["counts"])
        if text is None:
            continue  # a row with neither: its building is said missing with the rows
        scopes, known_ids = register.get(compare_key(text), (set(), set()))
        if len(scopes) > 1:
            problems.append(Problem("building_in_two_scopes", value=text, params=(("n", n),)))
        elif scopes or compare_key(text) in answered:
            chosen[text] = next(iter(scopes)) if scopes else answered[compare_key(text)]
            if len(known_ids) == 1:  # the register's id: one building, one id in every file
                ids[text] = next(iter(known_ids))
        else:
            unknown.append((text, n))
            problems.append(Problem("building_unknown", value=text, params=(("n", n),)))
    # the 街镇 by its name, as a 街镇 column would hold it (a message shows it so)
    names = {code: reference.scope(code)["name_zh"] for code in set(chosen.values())}
    scope = _lookup(label, {k: names[code] for k, code in chosen.items()})
    found_id = _lookup(label, ids)
    if "building_id" in cells.column_names:  # an id the row gives stays its id
        index = cells.column_names.index("building_id")
        cells = cells.set_column(index, "building_id", pc.coalesce(given["building_id"], found_id))
    else:
        cells = cells.append_column("building_id", found_id)
    return cells.append_column("scope_code", scope), problems, unknown


def _lookup(label: pa.ChunkedArray | pa.Array, mapping: dict[str, str]) -> pa.ChunkedArray:
    """Each row's label mapped (null where the mapping has none)."""
    keys = pa.array(list(mapping), pa.string())
    values = pa.array(list(mapping.values()), pa.string())
    return pc.take(values, pc.index_in(label, value_set=keys))


def _register() -> dict[str, tuple[set[str], set[str]]]:
    """Each building in the register, by name and by id as compared: its 街镇 and ids."""
    if not db.db_path().exists():
        return {}
    out: dict[str, tuple[set[str], set[str]]] = {}
    for row in db.read("readings/register_buildings").itertuples():
        for text in (row.name, row.building_id):
            if isinstance(text, str) and text.strip():
                scopes, ids = out.setdefault(compare_key(text), (set(), set()))
                scopes.add(row.scope_code)
                ids.add(row.building_id)
    return out


def made_ids(placed: pd.DataFrame) -> pd.DataFrame:
    """The buildings an official placed (name, scope_code) with the id each file of theirs
    will make for them (readings/parse): building_id, name, scope_code."""
    with db.scratch() as con:
        con.register("placed", placed[["name", "scope_code"]])
        return con.execute(db.sql("readings/made_ids")).df()


def _header_unit(raw: RawTable) -> tuple[pa.Table, list[Problem]]:
    """A unit in the use (or register) column's header, 用量(MWh), is the unit of every row
    whose unit cell is empty; with no energy type column, it tells the energy type (kWh is
    electricity). No energy type column and no such unit: the file is refused."""
    cells = raw.cells
    value_id = "register" if "register" in raw.headers else "quantity"
    found = re.search(declaration()["layout"]["bracket"], raw.headers.get(value_id, ""))
    unit = clean_text(found[1]) if found else ""
    key = "".join(unit.split()).casefold()
    types = {code for code, written, _ in _unit_rows() if written and written.casefold() == key}
    if "energy_type" not in raw.headers:
        if len(types) != 1:
            return cells, [Problem("missing_column", column=_header("energy_type"))]
        (code,) = types
        cells = cells.append_column("energy_type", pa.array([code] * cells.num_rows))
    if types:
        given = cells["unit"] if "unit" in cells.column_names else None
        filled = pa.array([unit] * cells.num_rows, pa.string())
        if given is None:
            cells = cells.append_column("unit", filled)
        else:
            empty = pc.equal(pc.utf8_trim_whitespace(pc.fill_null(given.cast(pa.string()), "")), "")
            index = cells.column_names.index("unit")
            cells = cells.set_column(index, "unit", pc.if_else(empty, filled, given))
    return cells, []


def _header(column_id: str, headers: dict[str, str] | None = None) -> str:
    decl = {c["id"]: c for c in declaration()["kinds"][KIND]["columns"]}
    return (headers or {}).get(column_id, decl[column_id]["headers"][0])


def _step(con) -> int:
    """The file's interval in minutes: 15 or 30 where its readings fall on every quarter
    or half hour about as often as on the hour; else 60 (a reading off the hour is then a
    mistake, and said)."""
    counts = dict(con.execute(db.sql("readings/minutes")).fetchall())
    on_hour = counts.get(0, 0)
    for step in (15, 30):
        marks = range(step, 60, step)
        if on_hour and all(counts.get(m, 0) >= SUB_HOURLY_SHARE * on_hour for m in marks):
            return step
    return 60


def _note(row: Any, headers: dict[str, str]) -> Problem:
    """A meter note: a rollover or reset (the reading before), an hour at an end of a
    series left out (its intervals), an id made for a named building."""
    column = {"hour_edge": "hour", "building_id_made": "building"}.get(row.key, "register")
    return Problem(
        row.key, int(row.excel_row), _header(column, headers), "", (("detail", row.detail),)
    )


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame(columns=["building_id", "building", "scope_code", *LOADED_COLUMNS[1:]])


def _problem(row: Any, headers: dict[str, str]) -> Problem:
    column = _header(row.column_id, headers) if isinstance(row.column_id, str) else None
    params: tuple[tuple[str, Any], ...] = ()
    if row.key == "duplicate_reading":
        params = (("first", int(row.detail)),)
    elif row.key == "unit_no_convert":
        params = (("target", reference.energy_types()[row.detail]["unit"]),)
    elif row.key == "building_two_scopes":
        params = (("scope", row.detail),)
    elif row.key in METER_KEYS:
        params = (("detail", row.detail),)
    return Problem(row.key, int(row.excel_row), column, row.value or "", params)


def buildings_frame(checked: Checked) -> pd.DataFrame:
    """One row per building in the file: its name and 街镇 (a name left empty keeps none)."""
    frame = checked.frame
    first = frame.drop_duplicates("building_id")[["building_id", "scope_code"]]
    names = frame.dropna(subset=["building"]).drop_duplicates("building_id")
    out = first.merge(names[["building_id", "building"]], on="building_id", how="left")
    return out.rename(columns={"building": "name"}).reset_index(drop=True)


def compare_in(con, frame: pd.DataFrame) -> tuple[dict[str, int], pd.DataFrame]:
    """Sort the incoming readings against those loaded; the counts and the first
    conflicts. Leaves the temp table `compared` for apply_in."""
    con.register("incoming", frame[LOADED_COLUMNS])
    con.execute(db.sql("readings/compare"), _range(frame))
    counts = con.execute(db.sql("readings/compare_counts")).df().iloc[0].astype(int).to_dict()
    conflicts = pd.DataFrame()
    if counts["conflicts"]:
        conflicts = con.execute(db.sql("readings/conflicts"), {"limit": MAX_CONFLICTS}).df()
    return counts, conflicts


def apply_in(con, frame: pd.DataFrame, batch_id: int, everything: bool = False) -> None:
    """Write what compare_in found, keeping replaced readings, and refresh the totals of
    the months it touched (of `everything` when a building moved to another 街镇)."""
    params = {**_range(frame), "batch_id": batch_id}
    for name in ("keep_replaced", "delete_replaced", "insert_incoming"):
        db.run(con, f"readings/{name}", params)
    con.unregister("incoming")
    _refresh(con, _range(frame), everything)


def _refresh(con, hours: dict[str, Any], everything: bool) -> None:
    if everything:
        db.run(con, "readings/clear_all_monthly")
        first, last = con.execute(db.sql("readings/hour_range")).fetchone()
        hours = {"first": first, "last": last}
    refresh_monthly_in(con, hours["first"], hours["last"])


def _range(frame: pd.DataFrame) -> dict[str, Any]:
    return {"first": frame["hour"].min(), "last": frame["hour"].max()}


def refresh_monthly_in(con, first: Any, last: Any) -> None:
    """Recompute the 街镇-month totals of the whole months from `first` to `last`."""
    if first is None or pd.isna(first):
        return
    params = {"first": pd.Timestamp(first), "last": pd.Timestamp(last)}
    db.run(con, "readings/clear_monthly", params)
    db.run(con, "readings/sum_monthly", {**params, "demo_source": reference.DEMO_SOURCE})


def rebuild_monthly() -> int:
    """Recompute every 街镇-month total from the readings (after removing illustrative
    data, or to check the totals); returns how many totals there are."""

    def work(con) -> int:
        _refresh(con, {}, everything=True)
        return con.execute(db.sql("readings/count_monthly")).fetchone()[0]

    return db.write(work)


def later_batch_in(con, batch_id: int) -> int | None:
    (later,) = con.execute(db.sql("readings/later_batch"), {"batch_id": batch_id}).fetchone()
    return None if later is None else int(later)


def batch_scopes_in(con, batch_id: int) -> set[str]:
    rows = con.execute(db.sql("readings/batch_scopes"), {"batch_id": batch_id}).fetchall()
    return {code for (code,) in rows}


def rollback_in(con, batch_id: int, everything: bool = False) -> None:
    """Take a load's readings out and put back those it replaced; refresh the totals."""
    first, last = con.execute(
        db.sql("readings/batch_hour_range"), {"batch_id": batch_id}
    ).fetchone()
    for name in ("rollback_remove", "rollback_restore", "rollback_forget"):
        db.run(con, f"readings/{name}", {"batch_id": batch_id})
    _refresh(con, {"first": first, "last": last}, everything)
